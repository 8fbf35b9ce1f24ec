"""The behaviour a letter tells the customer of follows the analysis's rule, not the tag alone:
"you raised complaints we had already answered" only from a contact about a matter closed
before it (b15e F2: the letter said it of contacts under no matter while the analysis counted
0 repeats on closed matters)."""

from __future__ import annotations

from datetime import date, datetime

from crm_tui.db.models import ContactLogEntry
from crm_tui.domain.categories import BehaviourCategory as B
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.evidence import contacts, matters, tagging
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.letters import letter_facts
from tests import builders

REPEATED = "raised complaints we had already answered"


def _contact(actors: dict[Role, Actor], ref: str, at: datetime) -> int:
    return contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=at, channel=Channel.TELEPHONE, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam Patel",
        summary="Rang about the gutter complaint again",
        categories=(B.REPEAT_COMPLAINTS, B.SCATTERGUN)))


def _said(ids: list[int]) -> str:
    return " ".join(letter_facts.examples(
        ContactLogEntry.select().where(ContactLogEntry.id.in_(ids))))


def test_repeat_complaints_are_told_only_of_a_matter_closed_before(
        actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False,
                            consulted=False)
    first = _contact(actors, ref, datetime(2026, 10, 1, 9, 0))
    second = _contact(actors, ref, datetime(2026, 10, 27, 9, 0))

    # Under no matter: the other behaviour is said, the repeat is not.
    said = _said([first, second])
    assert "sent the same matter to several people at once" in said, said
    assert REPEATED not in said, said

    # Under a matter still open, or closed after the contact: still a complaint.
    matter = matters.open_matter(crm, ref, "Gutter repair")
    tagging.set_matter(crm, ref, first, matter)
    tagging.set_matter(crm, ref, second, matter)
    assert REPEATED not in _said([first, second])
    matters.close_matter(crm, ref, matter, date(2026, 10, 20), "Stage 2 answered")
    assert REPEATED not in _said([first])

    # About the matter closed before it: the letter may say so.
    said = _said([second])
    assert REPEATED in said, said


def test_what_the_contact_showed_agrees_in_number_with_the_contacts_listed(
        actors: dict[Role, Actor]) -> None:
    """v15e F9: "In this contact, you …" followed a list of two, or five, contacts."""
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False,
                            consulted=False)
    first = _contact(actors, ref, datetime(2026, 10, 1, 9, 0))
    second = _contact(actors, ref, datetime(2026, 10, 27, 9, 0))
    one = letter_facts.examples(ContactLogEntry.select().where(ContactLogEntry.id == first))
    assert one[-1].startswith("In this contact, you "), one
    both = letter_facts.examples(
        ContactLogEntry.select().where(ContactLogEntry.id.in_([first, second])))
    assert both[-1].startswith("In these contacts, you "), both


def test_a_behaviour_only_some_examples_showed_is_said_of_their_days_alone(
        actors: dict[Role, Actor]) -> None:
    """v15g G1: "In these contacts, you disputed a decision that had already been through
    every appeal" followed five contacts, one of them about a closed matter."""
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False,
                            consulted=False)
    first = _contact(actors, ref, datetime(2026, 10, 1, 9, 0))
    second = _contact(actors, ref, datetime(2026, 10, 27, 9, 0))
    matter = matters.open_matter(crm, ref, "Gutter repair")
    matters.close_matter(crm, ref, matter, date(2026, 10, 20), "Stage 2 answered")
    tagging.set_matter(crm, ref, second, matter)
    said = letter_facts.examples(
        ContactLogEntry.select().where(ContactLogEntry.id.in_([first, second])))
    assert said[:2] == ["On 1 October 2026 you telephoned us.",
                        "On 27 October 2026 you telephoned us."], said
    assert "In these contacts, you sent the same matter to several people at once." in said
    assert f"In your contact on 27 October 2026, you {REPEATED}." in said, said
    assert not any(s.startswith("In these contacts") and REPEATED in s for s in said), said
