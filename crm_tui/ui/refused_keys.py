"""Keys that cannot work are left out of the footer and refused: such a key is bound twice,
to the action that works (offered in the footer) and to one that says why it cannot (left out
of the footer), and a screen's check_action lets exactly one of the two answer."""

from __future__ import annotations

from collections.abc import Callable

# The action that works, the one bound to the same key that says why it cannot, and whether
# it works now (asked only when the action checked is one of the two).
Pair = tuple[str, str, Callable[[], object]]


def key_answer(action: str, *pairs: Pair) -> bool | None:
    """For check_action: True for the one of its pair that answers the key now (the working
    action while it works, else the refuser), False for the other (out of the footer); None
    for an action in no pair, left to the screen's other rules."""
    for working, refuser, works in pairs:
        if action in (working, refuser):
            return bool(works()) == (action == working)
    return None
