"""Round 10 (issue 16, second breaker): every file the app writes that holds a case's personal
data is recorded with its path, and a destruction deletes or names each one: a plain copy of
a document (it wrote no audit entry), a print pack and the staff register (they hold other
cases too), a letter signed outside the letters folder. And exports made in the same second
never share a name: each gets its own, and each is recorded."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import AuditEntry, Case, Letter
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import erasure, settings
from crm_tui.services.evidence.bundle import export_bundle
from crm_tui.services.evidence.documents import attach_document, copy_out
from crm_tui.services.letters import posting
from crm_tui.services.letters.verification import Verdict, verify
from crm_tui.services.restrictions import decisions
from crm_tui.services.restrictions.register import export_register
from crm_tui.services.retention import archive, schedule
from crm_tui.services.retention.subject_access import export_subject_access
from tests import builders, outside
from tests.unit.services.letters.issued import issued_letter

LATER = "2032-12-01T09:00:00"
COUNCIL = "Northmere City Council"


def _paths(action: str) -> list[str]:
    return [json.loads(row.payload)["path"] for row in
            AuditEntry.select().where(AuditEntry.action == action).order_by(AuditEntry.seq)]


def test_a_destruction_deletes_or_names_every_copy_the_app_wrote(
        actors: dict[Role, Actor], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    live = builders.at_state(actors, CaseState.RESTRICTED)
    own = settings.current().exports_path()
    register = export_register(crm, own, COUNCIL)  # names both customers
    decisions.lift_restrictions(crm, ref, "Behaviour has subsided",
                                customer_reason=builders.TOLD)
    note = tmp_path / "file-note-2019-10-06.txt"
    note.write_text("Note of the call from the customer about the boiler\n")
    attach_document(actors[Role.OFFICER], ref, note)
    builders.sign_lifted(crm, ref)  # signed outside the letters folder
    copy = copy_out(crm, ref, note.name, own)
    assert _paths("export_evidence_copy") == [str(copy)]  # an export like the others
    lifted = int(Letter.select().join(Case).where(Case.reference == ref).get().id)
    pack = posting.make_print_pack(actors[Role.OFFICER], [lifted, issued_letter(live)],
                                   group="").path
    builders.archive_after_appeal_period(crm, ref)
    monkeypatch.setenv("CRM_TUI_NOW", LATER)

    asked = erasure.before_destruction(archive.exports_made(crm, ref))
    done = archive.destroy(crm, ref)
    said = {e.what: e for e in done.exports}
    assert set(said) == {"Staff register", "Copy of a document", "Letter", "Print pack"}
    assert not copy.exists() and said["Copy of a document"].deleted
    # Holding another live case, or outside the app's folders: kept, and named by hand.
    assert register.exists() and pack.exists()
    assert said["Print pack"].others == (live,) and said["Staff register"].others == (live,)
    told = erasure.after_destruction(done.exports)
    for path in (register, pack, Path(said["Letter"].path)):
        assert str(path) in asked and str(path) in told
    assert f"it also holds {live}: delete it by hand" in told
    assert asked.count("(deleted with the file)") == 1


def test_the_dry_run_says_which_exports_the_run_deletes_as_the_run_then_does(
        actors: dict[Role, Actor], db_path: Path, acting_as: Callable[[str], None],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Tester v16 N5: a print pack of this file's letter only was listed by the dry run "to
    delete by hand or confirm they were sent"; the run then deleted it itself."""
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    decisions.lift_restrictions(crm, ref, "Behaviour has subsided",
                                customer_reason=builders.TOLD)
    builders.sign_lifted(crm, ref)
    lifted = int(Letter.select().join(Case).where(Case.reference == ref).get().id)
    pack = posting.make_print_pack(actors[Role.OFFICER], [lifted], group="").path
    builders.archive_after_appeal_period(crm, ref)
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    acting_as("crm")
    dry = CliRunner().invoke(main, ["retention", "run", "--dry-run",
                                    "--db", outside.target(db_path)])
    assert dry.exit_code == 0, dry.output
    going = dry.output.split(f"{ref}: the run deletes 1 export of it from the app's folders "
                             "itself:")[1]
    assert f"Print pack of 28 Nov 2026 by officer: {pack}" in going.split("\n")[1]
    left = dry.output.split("and the run leaves them")[1]
    assert str(pack) not in left  # only the letter signed outside the letters folder
    assert pack.exists()
    run = CliRunner().invoke(main, ["retention", "run", "--db", outside.target(db_path)])
    assert run.exit_code == 0, run.output
    # Named as deleted (tester b16c F8), and not among those left by hand.
    deleted = run.output.split(f"{ref}: 1 export of it deleted from the app's folders:")[1]
    assert f"Print pack of 28 Nov 2026 by officer: {pack}" in deleted.split("\n")[1]
    assert str(pack) not in run.output.split("delete them by hand")[-1] and not pack.exists()


def test_exports_made_in_the_same_second_each_get_a_name_of_their_own(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """Two bundles in one second printed one path (one officer got the other's bundle);
    a second subject access export failed "[Errno 17] File exists". The clock is frozen:
    every export here is made in the same second."""
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    own = settings.current().exports_path()
    note = tmp_path / "note.txt"
    note.write_text("A note\n")
    attach_document(actors[Role.OFFICER], ref, note)
    made = {
        "export_evidence_bundle": [export_bundle(crm, ref, own, COUNCIL) for _ in range(2)],
        "subject_access_request": [export_subject_access(crm, ref, "SAR-1", own, COUNCIL).folder
                                   for _ in range(3)],
        "export_evidence_copy": [copy_out(crm, ref, note.name, own) for _ in range(2)],
        "export_staff_register": [export_register(crm, own, COUNCIL) for _ in range(2)],
    }
    for action, paths in made.items():
        assert len(set(paths)) == len(paths) and all(p.exists() for p in paths), action
        assert _paths(action) == [str(p) for p in paths], action
    assert made["export_evidence_bundle"][1].name.endswith("-2.pdf")
    assert made["subject_access_request"][2].name.endswith("-3")


def test_two_retention_runs_at_once_each_take_the_others_work_as_done(
        actors: dict[Role, Actor], db_path: Path, acting_as: Callable[[str], None],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Round 10: of two `retention run` jobs at once, one exited 1 with "cannot archive: the
    case is archived" and "… was destroyed …" for the files the other had just done. The
    interleaving: this run read what was due before the other run did it all."""
    crm = actors[Role.CRM]
    gone = builders.at_state(actors, CaseState.ARCHIVED)
    ended = builders.at_state(actors, CaseState.ENDED)
    builders.send_lifted(crm, ended)
    # Not yet past its destruction date (a setup shortcut): the other run archives it only
    # (one past it, the run destroys too, since break 16a F6).
    with builders.as_the_app(ended):
        Case.update(ended_on=date(2027, 6, 1), destroy_after=date(2033, 6, 1)).where(
            Case.reference == ended).execute()
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    stale = schedule.due(crm)
    assert [r.reference for r in stale.archive] == [ended]
    assert [r.reference for r in stale.destroy] == [gone]
    other = schedule.run(crm)  # the other job, first to each file
    assert other.archived and other.destroyed and not other.refused
    monkeypatch.setattr(schedule, "due", lambda actor, **_: stale)
    acting_as("crm")
    result = CliRunner().invoke(main, ["retention", "run", "--db", outside.target(db_path)])
    assert result.exit_code == 0, result.output
    assert "Refused" not in result.output
    assert "Done meanwhile by another run or person: 2 files (not a failure)" in result.output
    assert f"{ended}" in result.output and "archived meanwhile by crm on 1 Dec 2032" \
        in result.output
    assert f"{gone}" in result.output and "only its tombstone remains" in result.output


def test_a_letter_of_a_destroyed_file_is_told_as_issued_in_it(
        actors: dict[Role, Actor], db_path: Path, acting_as: Callable[[str], None],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Round 10: `letters verify` on a letter whose file was destroyed said "NOT GENUINE: …
    it was never issued as it stands". The destruction's entry keeps each issued letter's
    hash: the letter is told as issued in that file, destroyed on its day (exit 0)."""
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.ARCHIVED)
    row = Letter.select().join(Case).where(Case.reference == ref).get()
    letter = db_path.parent / "issued" / row.file_name  # as the builder signed it
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    archive.destroy(crm, ref)
    assert letter.is_file()
    found = verify(letter)
    assert found.verdict is Verdict.ISSUED_FILE_DESTROYED and found.genuine
    assert f"in file {ref}, which was destroyed on 1 Dec 2032" in found.said
    acting_as("crm")
    result = CliRunner().invoke(main, ["letters", "verify", str(letter),
                                       "--db", outside.target(db_path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("GENUINE: issued on ")
    # A file not issued at all is still not genuine.
    assert not verify(_flipped(letter)).genuine
    # Destroyed before destructions kept their letters' hashes: neither way, and said why.
    AuditEntry.update(payload="{}").where(AuditEntry.action == "destroy").execute()
    legacy = verify(letter)
    assert legacy.verdict is Verdict.NOT_REGISTERED
    assert f"the file it names, {ref}, was destroyed on 1 Dec 2032" in legacy.said
    assert "cannot be shown" in legacy.said and "never issued" not in legacy.said


def _flipped(letter: Path) -> Path:
    changed = letter.with_name("changed.pdf")
    data = bytearray(letter.read_bytes())
    data[len(data) // 2] ^= 0x01
    changed.write_bytes(bytes(data))
    return changed


def test_an_export_cut_short_is_not_taken_for_its_namesake_made_in_the_same_second(
        actors: dict[Role, Actor]) -> None:
    """A subject access export killed before its audit entry, and one made in the same
    second after it (so named `…-2`, recorded): the next start deletes the first. It was
    kept: its path is the start of the second's, and the check took it as recorded."""
    from crm_tui.services.core import leftovers

    ref = builders.at_state(actors, CaseState.NEW)
    customer = Case.get(Case.reference == ref).customer.reference
    own = settings.current().exports_path()
    cut = own / f"subject-access-{customer}-20261128-100000"
    cut.mkdir(parents=True)
    (cut / "half.json").write_text("{")
    leftovers.pending_export(cut, "4242-deadbeef0000")  # its run is gone
    made = export_subject_access(actors[Role.CRM], ref, "SAR-1", own, COUNCIL).folder
    assert made.name == f"{cut.name}-2"
    assert leftovers.sweep().exports == 1
    assert not cut.exists() and made.exists()
