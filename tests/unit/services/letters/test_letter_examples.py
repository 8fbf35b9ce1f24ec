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
    assert both[-1].startswith("In both these contacts, you "), both


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
    assert "In both these contacts, you sent the same matter to several people at once." in said
    assert f"In your contact on 27 October 2026, you {REPEATED}." in said, said
    assert not any(s.startswith("In both these contacts") and REPEATED in s for s in said), said


def _tagged(actors: dict[Role, Actor], ref: str, at: datetime,
            categories: tuple[B, ...]) -> int:
    return contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=at, channel=Channel.EMAIL, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam Patel",
        summary="Wrote about the gutter again", categories=categories))


def test_every_behaviour_relied_on_is_named_most_frequent_first_with_its_days(
        actors: dict[Role, Actor]) -> None:
    """Issue 15 AX1: the busiest five days (4, 7, 14, 20, 24 November) left out 3 November,
    the letter said "In your contact on 7 November 2026, you sent the same matter to several
    people at once" though 3 November was tagged so too, and never named the repeat
    complaints, the most frequent behaviour."""
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False,
                            consulted=False)
    matter = matters.open_matter(crm, ref, "Gutter repair")
    matters.close_matter(crm, ref, matter, date(2026, 10, 20), "Stage 2 answered")
    ids = [
        _tagged(actors, ref, datetime(2026, 11, 3, 9), (B.REPEAT_COMPLAINTS, B.SCATTERGUN)),
        _tagged(actors, ref, datetime(2026, 11, 4, 9), (B.REPEAT_COMPLAINTS,)),
        _tagged(actors, ref, datetime(2026, 11, 7, 9), (B.SCATTERGUN,)),
        _tagged(actors, ref, datetime(2026, 11, 7, 15), (B.EXCESSIVE_DEMANDS,)),
        _tagged(actors, ref, datetime(2026, 11, 14, 9), (B.EXCESSIVE_DEMANDS,)),
        _tagged(actors, ref, datetime(2026, 11, 20, 9), (B.REPEAT_COMPLAINTS,)),
        _tagged(actors, ref, datetime(2026, 11, 24, 9), (B.OFFENSIVE_REMARKS,)),
    ]
    for contact in ids:
        tagging.set_matter(crm, ref, contact, matter)
    said = _said(ids)
    # Every day a behaviour is named on is among the examples, 3 November too.
    assert "On 3 November 2026 you emailed us." in said, said
    assert "On 7 November 2026 you emailed us twice." in said, said
    repeat = f"In three of your contacts, on 3, 4 and 20 November 2026, you {REPEATED}."
    scatter = ("In two of your contacts, on 3 and 7 November 2026, you sent the same matter "
               "to several people at once.")
    demands = ("In two of your contacts, on 7 and 14 November 2026, you asked again and again "
               "for updates on the same matter.")
    rude = "In your contact on 24 November 2026, you were rude or threatening to our staff."
    for sentence in (repeat, scatter, demands, rude):
        assert sentence in said, said
    # The most frequent first.
    assert said.index(repeat) < said.index(scatter) < said.index(rude), said
    assert "In your contact on 7 November 2026, you sent" not in said, said


def test_a_behaviour_seen_on_a_quiet_day_still_has_an_example(
        actors: dict[Role, Actor]) -> None:
    """The example days show every behaviour, though busier days would fill the five."""
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False,
                            consulted=False)
    ids = [_tagged(actors, ref, datetime(2026, 11, d, h), (B.EXCESSIVE_DEMANDS,))
           for d in range(10, 20) for h in (9, 15)]
    ids.append(_tagged(actors, ref, datetime(2026, 11, 2, 9), (B.SCATTERGUN,)))
    said = letter_facts.examples(ContactLogEntry.select().where(ContactLogEntry.id.in_(ids)))
    assert "On 2 November 2026 you emailed us." in said, said
    assert said[-2] == ("In 20 of your contacts, between 10 and 19 November 2026, you "
                        "asked again and again for updates on the same matter."), said
    assert said[-1] == ("In your contact on 2 November 2026, you sent the same matter to "
                        "several people at once."), said
