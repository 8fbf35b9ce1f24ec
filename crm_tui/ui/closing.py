"""Closing a screen whose case the person now acting may not see (after `u`): it is blanked
at once, so that nothing of the case stays in view, and popped from its stack (at once in the
area on view, on return in another)."""

from __future__ import annotations

from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

CLOSED = "-closed-for-actor"


def shown_case(screen: Screen[object]) -> str | None:
    """The case a screen shows (the case file, the builder, the evidence viewer, the case's
    letters…), or None for one that lists cases."""
    reference = getattr(screen, "reference", None)
    return reference if isinstance(reference, str) and reference else None


def is_closed(node: DOMNode | None) -> bool:
    return isinstance(node, Screen) and node.has_class(CLOSED)


def close_blanked(screen: Screen[object], why: str) -> None:
    if is_closed(screen):
        return
    screen.add_class(CLOSED)
    for child in list(screen.children):
        if not isinstance(child, (Header, Footer)):
            child.display = False
    if screen.is_mounted:
        screen.mount(Static(f"Closed: {why}.", classes="closed-notice", markup=False))
