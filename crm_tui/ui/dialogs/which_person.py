"""Which person a referral names, when customers on record are likely the same one: asked
alike by the referral form (`n`) and the import (`I`), and answered alike (b16f F6: a second
record for one person splits what is held about them)."""

from __future__ import annotations

from dataclasses import replace

from crm_tui.services.core.inputs import CustomerInput
from crm_tui.services.intake.customer_matches import OTHER_AREAS_LINK, LikelyMatch, linkable
from crm_tui.ui.dialogs.choose import ChooseDialog

DIFFERENT_PERSON = "__different__"
SAME_PERSON = "same:"  # + the reference of the customer on record chosen
NOT_SAID = "say whether the customer is one already on record or a different person"


def which_person(name: str, matches: list[LikelyMatch]) -> ChooseDialog:
    """The question: each likely match the asker may link as "the same person", then "a
    different person". A manager's match of another area's customer is no choice of theirs
    (v16h H0: linking it opened that customer's record to them): it is said without who it
    is, as one the Complaints Resolution Team can link."""
    choices = [(f"{SAME_PERSON}{m.reference}",
                f"The same person: use {m.reference} (their record kept as it is) — "
                f"{m.described}") for m in linkable(matches)]
    others = "; ".join(m.described for m in matches if m.withheld)
    title = f"{name.strip()} may be a customer already on record."
    if others:
        title = (f"{title} Also {others}. {OTHER_AREAS_LINK}." if choices else
                 f"{name.strip()} may be a customer already on record: {others}. "
                 f"{OTHER_AREAS_LINK}.")
    if choices:
        title += " Which is this?"
        choices.append((DIFFERENT_PERSON,
                        f"A different person: record {name.strip()} as a new customer"))
    else:
        choices.append((DIFFERENT_PERSON, f"Record {name.strip()} as a new customer (the "
                                          "team can link them)"))
    # It comes up after ctrl+s or Enter, and each answer has consequences (v15f N0: an Enter
    # pressed a moment after ctrl+s chose "The same person" before it was read, filing the
    # referral on another customer's record): nothing is chosen until an arrow is pressed.
    if len(choices) > 1:
        title += " Use the arrows to choose."
    return ChooseDialog(title, choices, question=True, no_default=len(choices) > 1)


def as_said(typed: CustomerInput, chosen: str) -> CustomerInput:
    """The customer as the answer says: a new person, or the one on record (the details
    typed go with it, for the audit entry's record of the match)."""
    if chosen == DIFFERENT_PERSON:
        return replace(typed, new_person=True)
    return replace(typed, reference=chosen.removeprefix(SAME_PERSON), same_as_match=True)
