"""Which person a referral names, when customers on record are likely the same one: asked
alike by the referral form (`n`) and the import (`I`), and answered alike (b16f F6: a second
record for one person splits what is held about them)."""

from __future__ import annotations

from dataclasses import replace

from crm_tui.services.core.inputs import CustomerInput
from crm_tui.services.intake.customer_matches import LikelyMatch
from crm_tui.ui.dialogs.choose import ChooseDialog

DIFFERENT_PERSON = "__different__"
SAME_PERSON = "same:"  # + the reference of the customer on record chosen
NOT_SAID = "say whether the customer is one already on record or a different person"


def which_person(name: str, matches: list[LikelyMatch]) -> ChooseDialog:
    """The question: each likely match as "the same person", then "a different person"."""
    # A manager's match of another area's customer is said without who it is (their
    # reference goes only into the choice's id, to link the referral if chosen).
    choices = [(f"{SAME_PERSON}{m.reference}",
                f"The same person: {m.described}; their record kept as it is"
                if m.withheld else
                f"The same person: use {m.reference} (their record kept as it is) — "
                f"{m.described}") for m in matches]
    choices.append((DIFFERENT_PERSON,
                    f"A different person: record {name.strip()} as a new customer"))
    return ChooseDialog(f"{name.strip()} may be a customer already on record. Which is this?",
                        choices)


def as_said(typed: CustomerInput, chosen: str) -> CustomerInput:
    """The customer as the answer says: a new person, or the one on record (the details
    typed go with it, for the audit entry's record of the match)."""
    if chosen == DIFFERENT_PERSON:
        return replace(typed, new_person=True)
    return replace(typed, reference=chosen.removeprefix(SAME_PERSON), same_as_match=True)
