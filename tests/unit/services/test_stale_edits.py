"""A save from a stale view is refused, with who changed the record, when, and how it reads
now, and the database is as it was: a drafted restriction, the reason it stands despite a
contact need, the customer's details and address, a prepared letter's words, a logged contact.
Through the service, and the command line where it edits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Case, ContactLogEntry, Decision
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.errors import StaleEdit
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.intake import customer_details
from crm_tui.services.letters import editing, issuing
from crm_tui.services.restrictions import builder, decisions, versions
from tests import builders, dumps, outside
from tests.builders import LETTER_ONLY, TOLD


def _dump() -> list[str]:
    return dumps.dump()


def _refused(save: Callable[[], object], *said: str) -> None:
    before = _dump()
    with pytest.raises(StaleEdit) as refused:
        save()
    for words in said:
        assert words in str(refused.value)
    assert "Nothing was saved" in str(refused.value)
    assert _dump() == before


def _version(ref: str, restriction_id: int) -> int:
    return versions.current(Case.get(Case.reference == ref))[restriction_id]


def test_a_draft_saved_from_a_stale_view_is_refused(people: dict[Role, Actor]) -> None:
    ref = builders.referred(people)
    draft_id = builders.draft(people, ref)
    opened = _version(ref, draft_id)  # the CRM opens the draft in the builder
    # Meanwhile the officer rewords its reason.
    builder.update_draft(people[Role.OFFICER], ref, draft_id,
                         replace(LETTER_ONLY, reason="Forty emails a week to six officers"),
                         read_version=opened)
    mine = replace(LETTER_ONLY, proportionality="Letters only; nothing less has worked")
    _refused(lambda: builder.update_draft(people[Role.CRM], ref, draft_id, mine,
                                          read_version=opened),
             "Sam Patel changed this draft (the Contact in a particular form only restriction)",
             "at 10:00 since you opened it",
             "the reason now reads “Forty emails a week to six officers”")
    # Read again, the change is made.
    builder.update_draft(people[Role.CRM], ref, draft_id, mine,
                         read_version=_version(ref, draft_id))


def test_the_reason_a_draft_stands_saved_from_a_stale_view_is_refused(
        people: dict[Role, Actor]) -> None:
    ref = builders.referred(people)
    draft_id = builders.draft(people, ref)
    opened = _version(ref, draft_id)
    builder.justify(people[Role.OFFICER], ref, draft_id, "Letters are read aloud by a carer",
                    read_version=opened)
    _refused(lambda: builder.justify(people[Role.CRM], ref, draft_id, "Large print letters",
                                     read_version=opened),
             "Sam Patel changed this draft", "why it stands now reads “Letters are read aloud")


def test_the_customers_details_saved_from_a_stale_view_are_refused(
        people: dict[Role, Actor]) -> None:
    ref = builders.local_resolution(people)
    crm, officer = people[Role.CRM], people[Role.OFFICER]
    opened = customer_details.details(crm, ref)
    customer_details.set_details(officer, ref, replace(opened, language="Polish"))
    _refused(lambda: customer_details.set_details(crm, ref, replace(opened, large_print_pt=16)),
             "Sam Patel changed this customer's record at 10:00",
             "the language now reads “Polish”")
    address = customer_details.contact(crm, ref)
    customer_details.set_contact(officer, ref, replace(address, postcode="NM2 8BW"))
    _refused(lambda: customer_details.set_contact(
        crm, ref, replace(address, telephone="01632 960888")),
             "Sam Patel changed this customer's record", "the postcode now reads “NM2 8BW”")


def test_two_writers_of_different_fields_are_merged_and_of_one_field_refused_naming_it(
        people: dict[Role, Actor]) -> None:
    """Issue 16 (breaker 3, finding 5): a change to the telephone saved after another person
    changed the email was refused, naming the email as changed (it compared with what was
    being saved, the editor's own change included). Field by field against what the editor
    opened: a different field is merged; the same field is refused, naming it alone."""
    ref = builders.local_resolution(people)
    crm, officer = people[Role.CRM], people[Role.OFFICER]
    opened = customer_details.contact(crm, ref)
    customer_details.set_contact(officer, ref, replace(opened, email="p20@example.org"),
                                 opened=opened)
    kept = customer_details.set_contact(crm, ref, replace(opened, telephone="07700 900021"),
                                        opened=opened)
    assert (kept.email, kept.telephone) == ("p20@example.org", "07700 900021")
    now = customer_details.contact(crm, ref)
    assert (now.email, now.telephone) == ("p20@example.org", "07700 900021")
    # The same field, changed by both to different values: refused, naming it alone.
    customer_details.set_contact(officer, ref, replace(now, telephone="07700 900111"),
                                 opened=now)
    mine = replace(now, telephone="07700 900222", email="q@example.org")
    _refused(lambda: customer_details.set_contact(crm, ref, mine, opened=now),
             "Sam Patel changed this customer's record", "the telephone now reads “07700 900111”")
    with pytest.raises(StaleEdit) as refused:
        customer_details.set_contact(crm, ref, mine, opened=now)
    assert "email" not in str(refused.value)
    # How the customer is written to, the same way.
    written = customer_details.details(crm, ref)
    customer_details.set_details(officer, ref, replace(written, language="Polish"),
                                 opened=written)
    kept_details = customer_details.set_details(crm, ref, replace(written, large_print_pt=16),
                                                opened=written)
    assert (kept_details.language, kept_details.large_print_pt) == ("Polish", 16)


def test_the_command_line_merges_a_change_made_meanwhile_to_another_field(
        people: dict[Role, Actor], db_path: Path, acting_as: Callable[[str], None],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The postcode changes between the command reading the record and saving its change to
    the telephone: a command opens nothing, and both changes stand (issue 16: one run in five
    of two commands at once failed "changed … since you opened it")."""
    ref = builders.local_resolution(people)
    reading = customer_details.contact

    def read_then_changed(actor: Actor, reference: str) -> customer_details.ContactDetails:
        read = reading(actor, reference)
        customer_details.set_contact(people[Role.OFFICER], reference,
                                     replace(read, postcode="NM2 8BW"))
        return read

    monkeypatch.setattr(customer_details, "contact", read_then_changed)
    acting_as("crm")
    result = CliRunner().invoke(main, ["customer", "contact", ref, "--telephone", "01632 960123",
                                       "--db", outside.target(db_path)])
    assert result.exit_code == 0, result.output
    monkeypatch.setattr(customer_details, "contact", reading)
    now = customer_details.contact(people[Role.CRM], ref)
    assert (now.telephone, now.postcode) == ("01632 960123", "NM2 8BW")


def test_a_letter_edited_from_a_stale_view_is_refused(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    decisions.lift_restrictions(actors[Role.CRM], ref, TOLD, customer_reason=TOLD)
    letter_id = issuing.prepare(actors[Role.OFFICER], ref, LetterKind.LIFTED)
    decision = Decision.select().order_by(Decision.id.desc()).get()
    key = f"decision:{decision.id}:customer_reason"
    opened = editing.view(actors[Role.CRM], letter_id)
    # Changed meanwhile, from another view (preparing it again unchanged is no change).
    meanwhile = editing.view(actors[Role.CRM], letter_id)
    editing.edit(actors[Role.CRM], letter_id, key, "You have kept to the limits. They now end.",
                 read_version=meanwhile.version)
    better = "You have kept to the limits for six months. Thank you. They now end."
    _refused(lambda: editing.edit(actors[Role.CRM], letter_id, key, better,
                                  read_version=opened.version),
             f"Alex Morgan changed this letter (register number {letter_id}) at 10:00")
    now = editing.view(actors[Role.CRM], letter_id)
    edited = editing.edit(actors[Role.CRM], letter_id, key, better, read_version=now.version)
    assert edited.version == now.version + 1


def test_a_contact_corrected_from_a_stale_view_is_refused(people: dict[Role, Actor]) -> None:
    ref = builders.local_resolution(people)
    entry = ContactInput(at=datetime(2026, 10, 5, 9, 0), channel=Channel.EMAIL,
                         direction=Direction.INBOUND, service_area="Housing Services",
                         officer_name="Sam Patel", summary="Asked about the same repair")
    contact_id = contacts.log_contact(people[Role.OFFICER], ref, entry)
    opened = int(ContactLogEntry.get_by_id(contact_id).version)
    contacts.correct_contact(people[Role.OFFICER], ref, contact_id,
                             replace(entry, summary="Asked about the same repair, twice"),
                             "Said twice", read_version=opened)
    _refused(lambda: contacts.correct_contact(
        people[Role.CRM], ref, contact_id, replace(entry, duration_minutes=20), "Was 20 min",
        read_version=opened),
        "Sam Patel changed this contact", "the summary now reads “Asked about the same repair, "
        "twice”")


def test_contact_needs_saved_from_a_stale_builder_are_refused(people: dict[Role, Actor]) -> None:
    from crm_tui.domain.equality import ContactNeed

    ref = builders.referred(people)
    opened = builder.builder_view(people[Role.CRM], ref).customer_version
    customer_details.set_contact(people[Role.OFFICER], ref, replace(
        customer_details.contact(people[Role.OFFICER], ref), postcode="NM2 8BW"))
    _refused(lambda: builder.set_contact_needs(people[Role.CRM], ref,
                                               (ContactNeed.TELEPHONE,), read_version=opened),
             "Sam Patel changed this customer's record", "the contact needs now reads “(none)”")
    now = builder.builder_view(people[Role.CRM], ref).customer_version
    builder.set_contact_needs(people[Role.CRM], ref, (ContactNeed.TELEPHONE,), read_version=now)
    assert builder.builder_view(people[Role.CRM], ref).customer_version == now + 1


def test_contact_needs_are_refused_only_when_another_changed_them(
        people: dict[Role, Actor]) -> None:
    """Issue 16 (breaker 3, finding 5): the builder's save of the contact needs was refused
    when another person had changed the postcode, naming the contact needs as changed."""
    from crm_tui.domain.equality import ContactNeed

    ref = builders.referred(people)
    crm, officer = people[Role.CRM], people[Role.OFFICER]
    opened = builder.builder_view(crm, ref).needs
    customer_details.set_contact(officer, ref, replace(
        customer_details.contact(officer, ref), postcode="NM2 8BW"))
    builder.set_contact_needs(crm, ref, (ContactNeed.TELEPHONE,), opened=opened)
    assert builder.builder_view(crm, ref).needs == (ContactNeed.TELEPHONE,)
    assert customer_details.contact(crm, ref).postcode == "NM2 8BW"
    builder.set_contact_needs(officer, ref, (ContactNeed.LARGE_PRINT,),
                              opened=(ContactNeed.TELEPHONE,))
    _refused(lambda: builder.set_contact_needs(crm, ref, (ContactNeed.EMAIL,),
                                               opened=(ContactNeed.TELEPHONE,)),
             "Sam Patel changed this customer's record", "the contact needs now reads")
