"""Issue 13, item 11: an archived file is read-only. Every service that writes is tried on an
archived case (built through the services, as the demo's are) and refused in plain words,
with the database unchanged; only the retention steps (destroying it in time) go through.
Reading the file is still allowed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Case, ContactLogEntry, Referral, Restriction
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.errors import DomainError, NotFound
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome, ConsultationMethod, ConsultationView
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.scope import ReadOnlyFile
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit, case_steps
from crm_tui.services.core.inputs import CustomerInput, LocalResolutionInput, ReferralInput
from crm_tui.services.evidence import bundle, contacts, documents, matters, tagging
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.evidence.tagging import EvidenceKind
from crm_tui.services.intake import case_file, casework, triage
from crm_tui.services.letters import issuing
from crm_tui.services.restrictions import builder, decisions
from crm_tui.services.retention import archive, subject_access
from crm_tui.services.reviews import appeals, review_session, review_steps
from tests import builders, dumps, outside
from tests.builders import TOLD
from tests.conftest import PASSPHRASE


@dataclass(frozen=True)
class Archived:
    """An archived file, with a contact, a matter, a referral and a restriction of its own."""

    reference: str
    contact: int
    matter: int
    referral: int
    restriction: int
    folder: Path


@pytest.fixture
def archived(actors: dict[Role, Actor], tmp_path: Path) -> Archived:
    ref = builders.at_state(actors, CaseState.ENDED)
    matter = matters.open_matter(actors[Role.OFFICER], ref, "Gutter repairs")
    # The customer is told the restrictions are lifted before the file is archived.
    issuing.sign_and_export(actors[Role.CRM], ref, LetterKind.LIFTED, tmp_path / "issued",
                            PASSPHRASE)
    builders.archive_after_appeal_period(actors[Role.CRM], ref)
    case = Case.get(Case.reference == ref)
    return Archived(
        ref, ContactLogEntry.get(ContactLogEntry.case == case).id, matter,
        Referral.get(Referral.case == case).id, Restriction.get(Restriction.case == case).id,
        tmp_path)


def _contact(summary: str = "Rang again about the gutter") -> ContactInput:
    return ContactInput(at=datetime(2026, 11, 27, 9, 0), channel=Channel.TELEPHONE,
                        direction=Direction.INBOUND, service_area="Housing Services",
                        officer_name="Sam Patel", summary=summary,
                        categories=(BehaviourCategory.EXCESSIVE_DEMANDS,))


def _file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


def _log_sheet(folder: Path) -> Path:
    return _file(folder, "log.csv", ",".join(contacts.CSV_COLUMNS) + "\n"
                 "2026-11-27 09:00,telephone,inbound,Housing Services,Sam,5,Rang again,\n")


Write = Callable[[dict[Role, Actor], Archived], Any]

# Every service that writes to a case, with someone whose role may otherwise do it.
WRITES: dict[str, Write] = {
    "log a contact": lambda a, f: contacts.log_contact(a[Role.OFFICER], f.reference, _contact()),
    "correct a contact": lambda a, f: contacts.correct_contact(
        a[Role.OFFICER], f.reference, f.contact, _contact("Corrected"), "Wrong time"),
    "import a log sheet": lambda a, f: contacts.import_log_sheet(
        a[Role.OFFICER], f.reference, _log_sheet(f.folder)),
    "attach a document": lambda a, f: documents.attach_document(
        a[Role.OFFICER], f.reference, _file(f.folder, "email.eml", "From: x\n\nAgain")),
    "tag a contact": lambda a, f: tagging.tag(a[Role.CRM], f.reference, EvidenceKind.CONTACT,
                                              f.contact, (BehaviourCategory.SCATTERGUN,)),
    "put a contact under a matter": lambda a, f: tagging.set_matter(
        a[Role.CRM], f.reference, f.contact, f.matter),
    "link evidence": lambda a, f: tagging.toggle_link(
        a[Role.CRM], f.reference, EvidenceKind.CONTACT, f.contact, f"referral:{f.referral}"),
    "open a matter": lambda a, f: matters.open_matter(a[Role.OFFICER], f.reference, "New"),
    "close a matter": lambda a, f: matters.close_matter(
        a[Role.OFFICER], f.reference, f.matter, date(2026, 11, 27), "Answered"),
    "record a note": lambda a, f: triage.record_note(
        a[Role.CRM], f.reference, triage.NoteKind.ENQUIRY, "Asked Housing"),
    "assign": lambda a, f: casework.assign(a[Role.CRM], f.reference, "officer"),
    "record a referral": lambda a, f: casework.record_referral(
        a[Role.SERVICE_AREA_MANAGER], ReferralInput("manager", date(2026, 11, 27), "Again"),
        case_reference=f.reference),
    "record a consultation": lambda a, f: casework.record_consultation(
        a[Role.HEAD_OF_SERVICE], f.reference, view=ConsultationView.AGREES, view_text="Agree",
        method=ConsultationMethod.MEETING),
    "begin consideration": lambda a, f: casework.begin_consideration(a[Role.CRM], f.reference),
    "draft a restriction": lambda a, f: decisions.draft_restriction(
        a[Role.CRM], f.reference, builders.LETTER_ONLY),
    "discard a draft": lambda a, f: decisions.discard_draft(a[Role.CRM], f.reference,
                                                            f.restriction),
    "change a draft": lambda a, f: builder.update_draft(a[Role.CRM], f.reference,
                                                        f.restriction, builders.LETTER_ONLY),
    "justify a draft": lambda a, f: builder.justify(a[Role.CRM], f.reference, f.restriction,
                                                    "Letters suit them"),
    "rest a draft on evidence": lambda a, f: builder.rest_on_referral_evidence(
        a[Role.CRM], f.reference, f.restriction),
    "record contact needs": lambda a, f: builder.set_contact_needs(a[Role.CRM], f.reference,
                                                                   ()),
    "impose restrictions": lambda a, f: decisions.impose_restrictions(
        a[Role.CRM], f.reference, "Again", builders.TERMS, read=builders.read(f.reference),
        customer_reason=TOLD),
    "lift restrictions": lambda a, f: decisions.lift_restrictions(a[Role.CRM], f.reference,
                                                                  "Subsided", customer_reason=TOLD),
    "start a review": lambda a, f: review_steps.start_review(a[Role.CRM], f.reference),
    "record comments": lambda a, f: review_session.record_comments(
        a[Role.CRM], f.reference, "I disagree", date(2026, 11, 27)),
    "lodge an appeal": lambda a, f: appeals.lodge_appeal(a[Role.OFFICER], f.reference,
                                                         date(2026, 11, 27), "Unfair"),
    "decide an appeal": lambda a, f: appeals.decide_appeal(
        a[Role.SERVICE_DIRECTOR], f.reference, AppealOutcome.REMOVED, "Not proportionate",
        customer_reason=TOLD),
    "prepare a letter": lambda a, f: issuing.prepare(a[Role.OFFICER], f.reference,
                                                     LetterKind.LIFTED),
    "sign a letter": lambda a, f: issuing.sign_and_export(
        a[Role.CRM], f.reference, LetterKind.LIFTED, f.folder / "out", PASSPHRASE),
    "archive again": lambda a, f: archive.archive(a[Role.CRM], f.reference),
}


def _dump() -> list[str]:
    return dumps.dump()


@pytest.mark.parametrize("write", list(WRITES), ids=lambda w: w.replace(" ", "-"))
def test_every_write_is_refused_on_an_archived_file(
        write: str, actors: dict[Role, Actor], archived: Archived) -> None:
    before = _dump()
    expected = f"{archived.reference} is archived: its file is read-only"
    if write == "archive again":  # the retention step itself: refused by the lifecycle
        expected = "cannot archive: the case is archived"
    with pytest.raises(Exception, match=expected):
        WRITES[write](actors, archived)
    assert _dump() == before
    assert not list((archived.folder / "out").glob("*.pdf"))


def test_the_audit_trail_refuses_what_a_service_forgot_to(
        actors: dict[Role, Actor], archived: Archived, monkeypatch: pytest.MonkeyPatch) -> None:
    # A service that skipped its own check still writes an audit entry naming the case: the
    # trail refuses it, and the whole transaction (the contact with it) rolls back.
    monkeypatch.setattr(contacts, "load_case_for_change", case_steps.load_case)
    before = _dump()
    with pytest.raises(ReadOnlyFile, match="is archived: its file is read-only"):
        contacts.log_contact(actors[Role.OFFICER], archived.reference, _contact())
    assert _dump() == before


def test_reading_an_archived_file_and_destroying_it_in_time(
        actors: dict[Role, Actor], archived: Archived, monkeypatch: pytest.MonkeyPatch) -> None:
    crm = actors[Role.CRM]
    assert case_file.case_file(crm, archived.reference).summary.state is CaseState.ARCHIVED
    bundle.export_bundle(crm, archived.reference, archived.folder, "Council")  # a read
    # A subject access request is answered from an archived file too (a recorded read).
    subject_access.export_subject_access(crm, archived.reference, "SAR-2", archived.folder,
                                         "Council")
    monkeypatch.setenv("CRM_TUI_NOW", "2032-12-01T09:00:00")
    archive.destroy(crm, archived.reference)
    with pytest.raises(NotFound):  # nothing is held any more
        subject_access.export_subject_access(crm, archived.reference, "SAR-3",
                                             archived.folder, "Council")
    with pytest.raises(ReadOnlyFile, match="was destroyed: only its tombstone remains"):
        audit.record(crm, "log_contact", archived.reference)
    assert audit.verify().ok


def test_a_contact_of_an_archived_file_stays_as_it_was_when_seen_from_a_newer_case(
        actors: dict[Role, Actor], archived: Archived) -> None:
    # The customer writes again after their file was archived: the service area opens a new
    # case for them. Their old contacts show in its log sheet but cannot be changed from it.
    customer = Case.get(Case.reference == archived.reference).customer.reference
    new = casework.open_local_resolution(
        actors[Role.SERVICE_AREA_MANAGER], CustomerInput(name="", reference=customer),
        "Housing Services", LocalResolutionInput(date(2026, 11, 27), "Concerns set out again",
                                                 date(2026, 11, 27), date(2027, 1, 31),
                                                 customer_summary=TOLD))
    contacts.log_contact(actors[Role.OFFICER], new.reference, _contact())  # a new contact: fine
    before = _dump()
    with pytest.raises(ReadOnlyFile, match=f"{archived.reference} is archived"):
        tagging.tag(actors[Role.CRM], new.reference, EvidenceKind.CONTACT, archived.contact,
                    (BehaviourCategory.SCATTERGUN,))
    with pytest.raises(ReadOnlyFile):
        contacts.correct_contact(actors[Role.OFFICER], new.reference, archived.contact,
                                 _contact("Corrected"), "Wrong time")
    assert _dump() == before


@pytest.mark.parametrize("state", [CaseState.ENDED, CaseState.CLOSED_NO_ACTION])
def test_an_ended_or_closed_file_still_takes_new_contacts(
        state: CaseState, actors: dict[Role, Actor]) -> None:
    # Until it is archived, the file is still the customer's current one: the customer may
    # write again, and what they send is logged on it (and goes with it at destruction).
    ref = builders.at_state(actors, state)
    contact = contacts.log_contact(actors[Role.OFFICER], ref, _contact())
    assert ContactLogEntry.get_by_id(contact).case.reference == ref


def test_the_log_sheet_command_is_refused_on_an_archived_file(
        actors: dict[Role, Actor], archived: Archived, acting_as: Callable[[str], None],
        db_path: Path) -> None:
    acting_as("officer")
    before = _dump()
    result = CliRunner().invoke(main, ["import", "log-sheet", archived.reference,
                                       str(_log_sheet(archived.folder)),
                                       "--db", outside.target(db_path)])
    assert result.exit_code == 1
    assert f"{archived.reference} is archived: its file is read-only" in result.output
    assert _dump() == before


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_write_is_refused_on_an_archived_file_as_every_role(
        role: Role, actors: dict[Role, Actor], archived: Archived) -> None:
    """Issue 16: each write step, taken by each role in turn, is refused on an archived file
    and changes nothing (by the file's being read-only, or by the role's not taking it)."""
    as_role = {r: actors[role] for r in Role}
    before = _dump()
    for write in WRITES:
        with pytest.raises(DomainError):
            WRITES[write](as_role, archived)
        assert _dump() == before, f"{write} as {role.value} changed the database"
    assert not list((archived.folder / "out").glob("*.pdf"))


READ_ONLY = "{ref} is archived: its file is read-only"


@pytest.mark.parametrize("login, command, refusal", [
    ("officer", ["appeals", "lodge", "{ref}", "--received", "27/11/2026", "--grounds", "Unfair"],
     READ_ONLY),
    ("crm", ["letters", "export", "--case", "{ref}", "--kind", "decision", "--out", "{out}"],
     "the case is archived: no new letter is written"),
    ("crm", ["import", "log-sheet", "{ref}", "{sheet}"], READ_ONLY),
], ids=["appeals-lodge", "letters-export", "import-log-sheet"])
def test_write_commands_are_refused_on_an_archived_file(
        login: str, command: list[str], refusal: str, actors: dict[Role, Actor],
        archived: Archived, acting_as: Callable[[str], None], db_path: Path) -> None:
    """Issue 16: the command line meets the same refusal as the screens."""
    acting_as(login)
    values = {"ref": archived.reference, "out": str(archived.folder / "out"),
              "sheet": str(_log_sheet(archived.folder))}
    before = _dump()
    result = CliRunner().invoke(main, [*(part.format(**values) for part in command),
                                       "--db", outside.target(db_path)])
    assert result.exit_code == 1, result.output
    assert refusal.format(**values) in result.output
    assert _dump() == before
    assert not list((archived.folder / "out").glob("*.pdf"))
