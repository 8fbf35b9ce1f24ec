"""The case's next action as a person is shown it (the case file's title, the inbox's Next
action column and line, `crm-tui cases`): the stored one (services.core.next_step), except
that "Decide" is said only when the decision can be made. While something the stored rule
does not weigh still stands in the way (a clash with the customer's needs not justified, no
words for the customer, no warning recorded, a letter that cannot go…), it says what must
happen first, in the words the builder's D refuses with, so that the screens and the refusal
agree (issue 15: "every screen shows the truth"; fixG G3)."""

from __future__ import annotations

from crm_tui.domain.errors import DomainError
from crm_tui.domain.roles import Actor
from crm_tui.domain.wording import in_one_sentence

DECIDE = "Decide"  # domain.next_action: everything the stored rule weighs is done
BEFORE_DECIDING = "Before deciding: "


def shown(actor: Actor, reference: str, stored: str) -> str:
    """`stored`, or for "Decide" while the decision would be refused, "Before deciding: …"
    with what stands in the way."""
    if stored != DECIDE:
        return stored
    # The decision's checks (and the letters they read) load for the first case to decide.
    from crm_tui.services.restrictions import readiness

    try:
        found = readiness.blockers(actor, reference)
    except DomainError:
        return stored
    return f"{BEFORE_DECIDING}{in_one_sentence(found)}" if found else stored
