"""A letter is a record (issue 14): issued once from the event it is about, dated on the day
it is issued, refused when a date it gives is past; kept (content and bytes) so that an export
is the very same file; re-sent as a marked duplicate; and offered only where it fits the case.
Each finding of the issue is reproduced here through the service and the command line."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from crm_tui import clock
from crm_tui.cli import main
from crm_tui.db.models import AuditEntry, Case, Letter, LetterFile
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.errors import DomainError, PermissionDenied, RequirementMissing
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.letters import record
from crm_tui.services.core import deadlines, settings, users
from crm_tui.services.core.inputs import CustomerInput, LocalResolutionInput, ReferralInput
from crm_tui.services.intake import case_file, casework
from crm_tui.services.letters import copies, issuing, posting, signing_keys, verification
from crm_tui.services.reviews import appeals
from tests import builders, outside

PASS = "test passphrase"


@pytest.fixture
def team(actors: dict[Role, Actor]) -> dict[Role, Actor]:
    """Keys for those who decide and sign (kept in the tests' keyring)."""
    for login in ("crm", "hos", "director"):
        signing_keys.create_key(users.resolve_actor(login), login, PASS, council="Test")
    return actors


def _issue(team: dict[Role, Actor], ref: str, kind: LetterKind, folder: Path,
           who: Role = Role.CRM) -> issuing.IssuedLetter:
    return issuing.sign_and_export(team[who], ref, kind, folder, PASS)


def _rows(ref: str) -> list[Letter]:
    return list(Letter.select().join(Case).where(Case.reference == ref).order_by(Letter.id))


def _text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def _export(ref: str, kind: str, out: Path, db_path: Path) -> str:
    result = CliRunner().invoke(main, ["letters", "export", "--case", ref, "--kind", kind,
                                       "--out", str(out), "--db", outside.target(db_path)])
    assert result.exit_code == 0, result.output
    return result.output


def test_three_exports_make_one_register_entry_and_identical_copies(
        team: dict[Role, Actor], db_path: Path, acting_as: Callable[[str], None],
        tmp_path: Path) -> None:
    ref = builders.at_state(team, CaseState.RESTRICTED)
    acting_as("crm")
    outputs = [_export(ref, "decision", tmp_path / f"out{n}", db_path) for n in range(3)]
    assert "Signed, issued and registered" in outputs[0]
    assert all("the register is unchanged" in out for out in outputs[1:])
    [row] = _rows(ref)
    kept = bytes(LetterFile.get(LetterFile.letter == row.id).pdf)
    files = [next((tmp_path / f"out{n}").glob("*.pdf")).read_bytes() for n in range(3)]
    assert files == [kept] * 3 and hashlib.sha256(kept).hexdigest() == row.sha256
    actions = [e.action for e in AuditEntry.select().where(AuditEntry.case_reference == ref)]
    assert actions.count("issue_letter") == 1 and actions.count("export_letter") == 2
    # Signing again, by any path, is refused: the letter was issued.
    with pytest.raises(RequirementMissing, match="issued on 28 November 2026; export a copy "
                                                 "or re-send it"):
        _issue(team, ref, LetterKind.DECISION, tmp_path / "again")
    assert LetterKind.DECISION not in issuing.kinds_for(team[Role.CRM], ref)
    # --letter N names it: the same bytes again.
    result = CliRunner().invoke(main, ["letters", "export", "--letter", str(row.id), "--out",
                                       str(tmp_path / "by-number"),
                                       "--db", outside.target(db_path)])
    assert result.exit_code == 0, result.output
    assert next((tmp_path / "by-number").glob("*.pdf")).read_bytes() == kept
    assert len(_rows(ref)) == 1


def test_a_letter_is_dated_on_issue_and_kept_as_issued(team: dict[Role, Actor],
                                                     tmp_path: Path) -> None:
    ref = builders.at_state(team, CaseState.RESTRICTED)
    with clock.travel_to(datetime(2026, 12, 3, 9, 30)):
        issued = _issue(team, ref, LetterKind.DECISION, tmp_path)
    row = Letter.get_by_id(issued.letter_id)
    due = deadlines.due("appeal", date(2026, 12, 3), settings.current().appeal_period_days)
    assert (row.written_on, row.appeal_by) == (date(2026, 12, 3), due)
    assert row.source.startswith("decision:") and row.duplicate_of is None
    kept = record.loads(row.content)
    assert kept.written_on == date(2026, 12, 3) and kept.kind is LetterKind.DECISION
    assert record.dumps(kept) == row.content  # round-trips exactly
    assert f"must reach us by {due.day} {due:%B %Y}" in _text(issued.path)
    # The appeal period runs from the letter.
    assert Case.get(Case.reference == ref).appeal_due == due
    # Read later, the letter is what was issued, not composed again on a later day.
    with clock.travel_to(datetime(2027, 2, 1, 9, 0)):
        shown = copies.issued_text(team[Role.CRM], issued.letter_id)
    assert "3 December 2026" in shown and "1 February 2027" not in shown


def test_a_letter_whose_review_date_has_passed_is_refused(
        team: dict[Role, Actor], db_path: Path, acting_as: Callable[[str], None],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(team, CaseState.RESTRICTED)  # reviewed by 28 November 2027
    with clock.travel_to(datetime(2027, 11, 29, 9, 0)):
        assert LetterKind.DECISION not in issuing.kinds_for(team[Role.CRM], ref)
        # Its end date too: a review date alone passed is no refusal, the letter saying the
        # review is held now (issue 15 AG4).
        with pytest.raises(RequirementMissing, match=r"end date it would give \(28 November "
                                                     r"2027\).*already past"):
            _issue(team, ref, LetterKind.DECISION, tmp_path)
        with pytest.raises(RequirementMissing, match="already past"):
            issuing.prepare(team[Role.OFFICER], ref, LetterKind.DECISION)
    assert _rows(ref) == []
    monkeypatch.setenv("CRM_TUI_NOW", "2027-11-29T09:00:00")
    acting_as("crm")
    result = CliRunner().invoke(main, ["letters", "export", "--case", ref, "--kind", "decision",
                                       "--out", str(tmp_path), "--db", outside.target(db_path)])
    assert result.exit_code == 1 and "28 November 2027" in result.output
    assert "already past" in result.output and _rows(ref) == []


def test_an_appealed_case_gets_no_new_decision_letter_or_appeal_deadline(
        team: dict[Role, Actor], db_path: Path, acting_as: Callable[[str], None],
        tmp_path: Path) -> None:
    ref = builders.at_state(team, CaseState.UNDER_APPEAL)
    due = Case.get(Case.reference == ref).appeal_due
    assert LetterKind.DECISION not in issuing.kinds_for(team[Role.CRM], ref)
    with pytest.raises(RequirementMissing, match="already appealed"):
        _issue(team, ref, LetterKind.DECISION, tmp_path)
    acting_as("crm")
    result = CliRunner().invoke(main, ["letters", "export", "--case", ref, "--kind", "decision",
                                       "--out", str(tmp_path), "--db", outside.target(db_path)])
    assert result.exit_code == 1 and "already appealed" in result.output
    assert Case.get(Case.reference == ref).appeal_due == due and _rows(ref) == []
    appeals.decide_appeal(team[Role.SERVICE_DIRECTOR], ref, AppealOutcome.CONFIRMED,
                          customer_reason=builders.TOLD, reason=
                          "The restriction is proportionate")
    assert issuing.kinds_for(team[Role.CRM], ref) == [LetterKind.APPEAL_OUTCOME]
    _issue(team, ref, LetterKind.APPEAL_OUTCOME, tmp_path, Role.SERVICE_DIRECTOR)
    assert issuing.kinds_for(team[Role.CRM], ref) == []


def test_an_archived_case_is_offered_nothing_new_only_copies(
        team: dict[Role, Actor], db_path: Path, acting_as: Callable[[str], None],
        tmp_path: Path) -> None:
    from crm_tui.services.restrictions import decisions

    ref = builders.at_state(team, CaseState.RESTRICTED)
    decisions.lift_restrictions(team[Role.CRM], ref, "Behaviour has subsided",
                                customer_reason=builders.TOLD)
    # Once the restrictions ended, no decision letter: only the letter lifting them.
    assert issuing.kinds_for(team[Role.CRM], ref) == [LetterKind.LIFTED]
    lifted = _issue(team, ref, LetterKind.LIFTED, tmp_path / "issued")
    builders.archive_after_appeal_period(team[Role.CRM], ref)
    assert issuing.kinds_for(team[Role.CRM], ref) == []
    for kind in LetterKind:
        with pytest.raises(DomainError):
            issuing.letter(team[Role.CRM], ref, kind)
    with pytest.raises(DomainError, match="archived"):
        _issue(team, ref, LetterKind.DECISION, tmp_path / "refused")
    acting_as("crm")
    refused = CliRunner().invoke(main, ["letters", "export", "--case", ref, "--kind",
                                        "decision", "--out", str(tmp_path / "cli"), "--db",
                                        outside.target(db_path)])
    assert refused.exit_code == 1 and "archived" in refused.output
    # A copy of what was issued is still there, byte for byte, and its export is recorded.
    out = _export(ref, "lifted", tmp_path / "copy", db_path)
    assert "Copy of letter" in out
    copy = next((tmp_path / "copy").glob("*.pdf"))
    assert copy.read_bytes() == lifted.path.read_bytes()
    assert len(_rows(ref)) == 1


def _local_resolution(team: dict[Role, Actor]) -> str:
    builders.reachable(team, "manager")  # the single point of contact, with a direct line
    return casework.open_local_resolution(
        team[Role.SERVICE_AREA_MANAGER], CustomerInput(name="Ada Example",
                                                       address=("2 Test Row",)),
        "Housing Services",
        LocalResolutionInput(written_on=date(2026, 11, 20), written_summary="Concerns set out",
                             monitoring_start=date(2026, 11, 20),
                             monitoring_end=date(2027, 2, 20), spoc="manager",
                             contact_frequency="weekly", warned=True,
                             customer_summary=builders.TOLD)).reference


def test_a_local_resolution_letter_fits_only_before_a_decision(
        team: dict[Role, Actor], tmp_path: Path) -> None:
    ref = _local_resolution(team)
    assert issuing.kinds_for(team[Role.CRM], ref) == [LetterKind.LOCAL_RESOLUTION]
    casework.record_referral(team[Role.SERVICE_AREA_MANAGER], ReferralInput(
        referred_by="manager", received_on=date(2026, 11, 25),
        behaviour_details="Forty emails a week",
        categories=(BehaviourCategory.SCATTERGUN,)), case_reference=ref)
    casework.begin_consideration(team[Role.CRM], ref)
    builders.draft(team, ref)
    builders.consult(team, ref)
    # Referred: "from now on" no longer fits, even before any decision (found when tried).
    assert LetterKind.LOCAL_RESOLUTION not in issuing.kinds_for(team[Role.CRM], ref)
    from crm_tui.services.restrictions import decisions

    decisions.impose_restrictions(team[Role.CRM], ref, "Persistent contact", builders.TERMS,
                                  read=builders.read(ref), customer_reason=builders.TOLD)
    assert issuing.kinds_for(team[Role.CRM], ref) == [LetterKind.DECISION]
    with pytest.raises(RequirementMissing, match="past local resolution"):
        _issue(team, ref, LetterKind.LOCAL_RESOLUTION, tmp_path)
    with pytest.raises(RequirementMissing, match="past local resolution"):
        issuing.preview(team[Role.CRM], ref, LetterKind.LOCAL_RESOLUTION)


def test_a_local_resolution_letter_is_issued_once(team: dict[Role, Actor],
                                                 tmp_path: Path) -> None:
    ref = _local_resolution(team)
    _issue(team, ref, LetterKind.LOCAL_RESOLUTION, tmp_path)
    assert issuing.kinds_for(team[Role.CRM], ref) == []
    [row] = _rows(ref)
    assert row.source.startswith("local_resolution:") and row.appeal_by is None


def test_a_lost_letter_is_re_sent_as_a_marked_duplicate(
        team: dict[Role, Actor], db_path: Path, acting_as: Callable[[str], None],
        tmp_path: Path) -> None:
    ref = builders.at_state(team, CaseState.RESTRICTED)
    original = _issue(team, ref, LetterKind.DECISION, tmp_path / "original")
    first = Letter.get_by_id(original.letter_id)
    # Not yet posted, so not lost: post it rather than a copy (found when tried).
    with pytest.raises(RequirementMissing, match="has not been posted yet"):
        copies.resend(team[Role.CRM], original.letter_id, tmp_path, PASS, "Lost")
    assert Letter.select().count() == 1
    posting.record_posting(team[Role.CRM], [original.letter_id], date(2026, 11, 28), "first")
    with pytest.raises(DomainError, match="reason"):
        copies.resend(team[Role.CRM], original.letter_id, tmp_path, PASS, "  ")
    with pytest.raises(PermissionDenied):
        copies.resend(team[Role.OFFICER], original.letter_id, tmp_path, PASS, "Lost")
    with clock.travel_to(datetime(2026, 12, 14, 11, 0)):
        dup = copies.resend(team[Role.CRM], original.letter_id, tmp_path / "dup", PASS,
                            "The customer says it never arrived")
    row = Letter.get_by_id(dup.letter_id)
    assert row.duplicate_of_id == original.letter_id and row.status == "issued"
    assert (row.written_on, row.appeal_by, row.source) == (first.written_on, first.appeal_by,
                                                           first.source)
    kept, copy = record.loads(first.content), record.loads(row.content)
    assert copy.copy_of == date(2026, 11, 28) and kept.copy_of is None
    # It can be posted: read as of the letter it copies ("the restrictions start on 28
    # November 2026" is what was said then), its last day to appeal still to come (v15i J2).
    from crm_tui.services.core.posting_dates import cannot_go

    assert cannot_go(row, date(2026, 12, 14)) == ""
    assert {**copy.__dict__, "copy_of": None} == kept.__dict__  # the same text and date
    text = _text(dup.path)
    assert "Copy of the letter sent on 28 November 2026" in text
    assert "28 November 2026" in text and "14 December 2026" not in text
    assert verification.verify(dup.path).genuine and verification.verify(original.path).genuine
    # Verified, the copy says it is one (found when tried: it read as the letter itself).
    assert (f"GENUINE: letter {dup.letter_id}, a marked copy of letter {original.letter_id} "
            "re-sent to the customer") in verification.verify(dup.path).said
    assert verification.verify(original.path).said.startswith(
        f"GENUINE: letter {original.letter_id}, Decision to restrict contact")
    # The original's file and entry did not change.
    assert bytes(LetterFile.get(LetterFile.letter == first.id).pdf) == \
        original.path.read_bytes()
    assert Letter.get_by_id(first.id).sha256 == first.sha256
    entry = AuditEntry.select().where(AuditEntry.action == "resend_letter").get()
    assert entry.reason == "The customer says it never arrived"
    [listed, *_] = issuing.register(team[Role.CRM], ref)
    assert listed.shown_status == f"duplicate of {original.letter_id}"
    # The case's timeline says which is the letter and which the copy, and why it was re-sent.
    said = {e.title: e.detail for e in case_file.case_file(team[Role.CRM], ref).timeline
            if e.kind == "letter"}
    # Each names who signed it (t15 F11).
    crm = team[Role.CRM].name
    assert f"Letter {original.letter_id}: Decision to restrict contact, issued by {crm}" in said
    copy_entry = said[f"Letter {dup.letter_id}: copy of letter {original.letter_id} "
                      f"(Decision to restrict contact), re-sent by {crm}"]
    assert "Dated: 28 Nov 2026" in copy_entry
    assert "Re-sent because: The customer says it never arrived" in copy_entry
    acting_as("crm")
    result = CliRunner().invoke(main, ["letters", "resend", str(original.letter_id), "--reason",
                                       "Second copy asked for", "--out", str(tmp_path / "cli"),
                                       "--db", outside.target(db_path)])
    assert result.exit_code == 0, result.output
    assert f"a marked duplicate of letter {original.letter_id}" in result.output
    listing = CliRunner().invoke(main, ["letters", "list", "--case", ref,
                                        "--db", outside.target(db_path)])
    assert listing.output.count(f"duplicate of {original.letter_id}") == 2
    assert "appeal by" in listing.output


def test_a_draft_about_an_earlier_event_is_refused_at_signing(
        team: dict[Role, Actor], tmp_path: Path) -> None:
    ref = builders.at_state(team, CaseState.RESTRICTED)
    draft = issuing.prepare(team[Role.OFFICER], ref, LetterKind.DECISION)
    assert Letter.get_by_id(draft).source.startswith("decision:")
    # As if the decision it was prepared about had been replaced by another.
    Letter.update(source="decision:999").where(Letter.id == draft).execute()
    [(_, result)] = issuing.sign_many(team[Role.CRM], [draft], tmp_path, PASS, lambda *_: None)
    assert result.startswith("not signed") and "decision:999" in result
    assert "prepare it again" in result and Letter.get_by_id(draft).status == "draft"
    issuing.prepare(team[Role.OFFICER], ref, LetterKind.DECISION)  # prepared again: current
    [(_, result)] = issuing.sign_many(team[Role.CRM], [draft], tmp_path, PASS, lambda *_: None)
    assert result.startswith("signed"), result
    row = Letter.get_by_id(draft)
    assert row.status == "issued" and row.content and row.written_on == date(2026, 11, 28)


def test_a_decision_not_to_write_is_about_its_decision(team: dict[Role, Actor]) -> None:
    from crm_tui.services.restrictions import decisions

    ref = builders.at_state(team, CaseState.UNDER_REVIEW)
    builders.consult_no_communication(team, ref)
    decisions.lift_restrictions(team[Role.CRM], ref, "Writing would restart it",
                                without_letter=True)
    [row] = _rows(ref)
    assert row.status == "not_sent" and row.source.startswith("decision:")
    assert issuing.kinds_for(team[Role.CRM], ref) == []


def test_the_record_round_trips_any_fields() -> None:
    """Fields added to a letter later still round-trip: the conversion reads the dataclass."""
    from dataclasses import dataclass, field

    @dataclass(frozen=True)
    class Later:
        kind: LetterKind
        on: date
        maybe: date | None
        lines: tuple[str, ...]
        sections: list[tuple[str, list[str]]] = field(default_factory=list)
        added: str = "default"

    value = Later(LetterKind.LIFTED, date(2026, 1, 2), None, ("a", "b"), [("H", ["p"])])
    plain = record._plain(value)
    assert plain["on"] == "2026-01-02" and plain["kind"] == "lifted"
    assert record._build(Later, plain) == value
    del plain["added"]  # kept before the field existed
    plain["gone"] = 1  # a field since removed
    assert record._build(Later, plain) == value


def test_the_appeal_period_runs_from_the_letter(team: dict[Role, Actor],
                                                tmp_path: Path) -> None:
    """A decision letter issued later than the decision gives the customer their full appeal
    period from the letter: an appeal after the restrictions ended is judged by that date."""
    from crm_tui.services.restrictions import decisions

    ref = builders.at_state(team, CaseState.RESTRICTED)  # decided 28 November 2026
    days = settings.current().appeal_period_days
    from_decision = deadlines.due("appeal", date(2026, 11, 28), days)
    with clock.travel_to(datetime(2026, 12, 14, 9, 0)):
        issued = _issue(team, ref, LetterKind.DECISION, tmp_path)
        decisions.lift_restrictions(team[Role.CRM], ref, "Behaviour has subsided",
                                customer_reason=builders.TOLD)
    from_letter = Letter.get_by_id(issued.letter_id).appeal_by
    assert from_letter == deadlines.due("appeal", date(2026, 12, 14), days) > from_decision
    late = datetime.combine(from_letter, datetime.min.time()).replace(hour=9)
    with clock.travel_to(late):
        appeals.lodge_appeal(team[Role.OFFICER], ref, from_letter, "Received in time")
    assert Case.get(Case.reference == ref).state == CaseState.UNDER_APPEAL.value


def test_the_timeline_puts_an_issued_letter_when_it_was_signed(
        team: dict[Role, Actor], tmp_path: Path) -> None:
    # Found when tried: the timeline gave the time the draft was prepared.
    ref = builders.at_state(team, CaseState.RESTRICTED)
    with clock.travel_to(datetime(2026, 11, 28, 9, 0)):
        draft = issuing.prepare(team[Role.OFFICER], ref, LetterKind.DECISION)
    with clock.travel_to(datetime(2026, 11, 28, 15, 30)):
        [(_, result)] = issuing.sign_many(team[Role.CRM], [draft], tmp_path, PASS,
                                          lambda *_: None)
    assert not result.startswith("not signed"), result
    [entry] = [e for e in case_file.case_file(team[Role.CRM], ref).timeline
               if e.kind == "letter" and e.title.startswith(f"Letter {draft}:")]
    assert entry.at == datetime(2026, 11, 28, 15, 30)
    assert entry.title.endswith(f"issued by {team[Role.CRM].name}")


def test_a_late_letter_says_so_before_it_is_signed(team: dict[Role, Actor], db_path: Path,
                                                   acting_as: Callable[[str], None],
                                                   tmp_path: Path) -> None:
    # Found when tried: decision letters issued months after the decision, each with a new
    # appeal date, and nothing said.
    ref = builders.at_state(team, CaseState.RESTRICTED)
    crm = team[Role.CRM]
    assert issuing.lateness(crm, ref, LetterKind.DECISION) == ""  # on the day
    with clock.travel_to(datetime(2027, 1, 4, 10, 0)):
        late = issuing.lateness(crm, ref, LetterKind.DECISION)
        assert late.startswith("Late: what this letter tells of was recorded on 28 Nov 2026, "
                               "37 days ago") and "new appeal date" in late
        acting_as("crm")
        result = CliRunner().invoke(main, ["letters", "export", "--case", ref, "--out",
                                           str(tmp_path / "late"), "--db", outside.target(db_path)])
        assert "Late: what this letter tells of" in result.output, result.output


def test_an_export_that_loses_the_race_to_issue_gives_a_copy(
        team: dict[Role, Actor], db_path: Path, acting_as: Callable[[str], None],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found when tried: three `letters export --case` started together; the two that found
    the letter still to issue, then lost the race, said "the letter was not issued: it was
    issued …" (exit 1). Now each gives the copy a run a moment later would give."""
    ref = builders.at_state(team, CaseState.RESTRICTED)
    acting_as("crm")
    _export(ref, "decision", tmp_path / "first", db_path)
    # The second run's first look saw the letter still to issue (before the first issued).
    monkeypatch.setattr(issuing, "kinds_for",
                        _first_then(issuing.kinds_for, [LetterKind.DECISION]))
    said = _export(ref, "decision", tmp_path / "second", db_path)
    assert "was issued meanwhile by another run: a copy of it instead" in said
    [row] = _rows(ref)
    copy = next((tmp_path / "second").glob("*.pdf")).read_bytes()
    assert hashlib.sha256(copy).hexdigest() == row.sha256


def _first_then(real: Callable[..., list[LetterKind]],
                first: list[LetterKind]) -> Callable[..., list[LetterKind]]:
    calls = [first]

    def kinds(actor: Actor, reference: str) -> list[LetterKind]:
        return calls.pop() if calls else real(actor, reference)
    return kinds


def test_a_letter_issued_to_another_folder_is_filed_in_the_letters_folder_too(
        team: dict[Role, Actor], db_path: Path, acting_as: Callable[[str], None],
        tmp_path: Path) -> None:
    """Found when tried: a letter issued with `letters export --case … --out DIR` was only in
    DIR, so every later backup failed as "not whole" and every audit verify noted it."""
    from crm_tui.services.core import audit, settings

    ref = builders.at_state(team, CaseState.RESTRICTED)
    acting_as("crm")
    _export(ref, "decision", tmp_path / "out", db_path)
    [row] = _rows(ref)
    filed = settings.current().letters_path() / row.file_name
    assert hashlib.sha256(filed.read_bytes()).hexdigest() == row.sha256
    assert filed.stat().st_mode & 0o077 == 0
    assert not audit.verify().missing_letters


def test_a_lost_letter_whose_appeal_date_has_passed_is_not_re_sent(
        team: dict[Role, Actor], db_path: Path, acting_as: Callable[[str], None],
        tmp_path: Path) -> None:
    """v15i J2: a copy keeps the original's date and text, so a copy of a letter whose last
    day to appeal has passed was signed and registered, then held back as "Cannot go" by
    every post run. It is refused, saying why, before anything is signed."""
    ref = builders.at_state(team, CaseState.RESTRICTED)
    original = _issue(team, ref, LetterKind.DECISION, tmp_path / "original")
    posting.record_posting(team[Role.CRM], [original.letter_id], date(2026, 11, 28), "first")
    appeal_by = Letter.get_by_id(original.letter_id).appeal_by
    with clock.travel_to(datetime.combine(appeal_by + timedelta(days=1), time(10))):
        for attempt in (lambda: copies.check_resend(team[Role.CRM], original.letter_id),
                        lambda: copies.resend(team[Role.CRM], original.letter_id,
                                              tmp_path / "dup", None, "Lost in the post")):
            with pytest.raises(RequirementMissing, match=f"letter {original.letter_id} cannot "
                               "be re-sent: it gives .* as the last day to appeal.*"
                               "could never send it. Nothing was signed"):
                attempt()
        acting_as("crm")
        result = CliRunner().invoke(main, ["letters", "resend", str(original.letter_id),
                                           "--reason", "Lost in the post", "--out",
                                           str(tmp_path / "cli"), "--db",
                                           outside.target(db_path)])
    assert result.exit_code != 0 and "could never send it" in result.output
    assert Letter.select().count() == 1
    assert not AuditEntry.select().where(AuditEntry.action == "resend_letter").exists()
