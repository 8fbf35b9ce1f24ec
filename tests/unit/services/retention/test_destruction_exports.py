"""Issue 16's loose ends at destruction. Exports outlive the file: a subject access export or
an evidence bundle written to disk holds the personal data after the file is destroyed. The
app knows what it wrote (the audit trail records where): the question before a destruction
and `retention run`'s report list them, and those still in the app's own folders are deleted
with the file. And the whole contact index is no longer rewritten inside each destruction:
once, after its commit (or after a retention run's last destruction)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db import dialect
from crm_tui.db.models import Tombstone
from crm_tui.domain.errors import DatabaseBusy
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit, erasure, leftovers, settings
from crm_tui.services.evidence.bundle import export_bundle
from crm_tui.services.retention import archive, schedule
from crm_tui.services.retention.subject_access import export_subject_access
from tests import builders, outside

LATER = "2032-12-01T09:00:00"
COUNCIL = "Northmere City Council"


def _exported(actors: dict[Role, Actor], tmp_path: Path) -> tuple[str, list[Path], Path]:
    """An archived file with a bundle and a subject access export in the exports folder, and
    a bundle written elsewhere (sent on, say): (reference, the app's own, the other)."""
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.ARCHIVED)
    own = settings.current().exports_path()
    bundle = export_bundle(crm, ref, own, COUNCIL)
    sar = export_subject_access(crm, ref, "SAR-2026-17", own, COUNCIL).folder
    elsewhere = export_bundle(crm, ref, tmp_path / "sent", COUNCIL)
    return ref, [bundle, sar], elsewhere


def test_exports_are_listed_before_and_those_in_the_apps_folders_deleted(
        actors: dict[Role, Actor], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ref, own, elsewhere = _exported(actors, tmp_path)
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    [row] = schedule.due(actors[Role.CRM]).destroy
    # The builder signed its letter outside the letters folder: it is listed too (round 10).
    assert [e.what for e in row.exports] == ["Letter", "Evidence bundle",
                                            "Subject access export", "Evidence bundle"]
    letter = row.exports[0].path
    asked = erasure.before_destruction(row.exports)
    assert "Exports were made of this file (4)" in asked
    assert "delete them by hand or confirm they were sent" in asked
    assert str(elsewhere) in asked and str(own[0]) in asked and "28 Nov 2026" in asked
    assert asked.count("(deleted with the file)") == 2

    done = archive.destroy(actors[Role.CRM], ref)
    assert not any(path.exists() for path in own)
    assert elsewhere.exists()  # the app cannot delete what was sent: it says so
    assert [e.path for e in done.exports_left] == [letter, str(elsewhere)]
    told = erasure.after_destruction(done.exports)
    assert "2 exports of it deleted from the app's folders" in told
    assert f"confirm they were sent: Letter of 28 Nov 2026 by crm: {letter}; Evidence bundle " \
           f"of 28 Nov 2026 by crm: {elsewhere}" in told
    # Break 16c finding 7a: the list outlives the message, on the destruction's entry (paths
    # only), shown in the audit trail.
    assert "The list stays on the destruction's entry in the audit trail." in told
    [entry] = audit.recent(actors[Role.CRM], limit=1)
    assert entry.action == "destroy" and entry.left_by_hand == (letter, str(elsewhere))


def test_retention_runs_report_lists_the_exports_and_rewrites_the_index_once(
        actors: dict[Role, Actor], tmp_path: Path, db_path: Path,
        acting_as: Callable[[str], None], monkeypatch: pytest.MonkeyPatch) -> None:
    ref, own, elsewhere = _exported(actors, tmp_path)
    other = builders.at_state(actors, CaseState.ARCHIVED)
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    rewrites: list[int] = []
    rewrite = dialect.purge_search

    def counted(db: object) -> None:
        # Rewritten after the destructions are committed: another connection sees them.
        with outside.connect(db_path) as elsewhere_reading:
            rewrites.append(elsewhere_reading.execute(
                "SELECT COUNT(*) FROM tombstone").fetchone()[0])
        elsewhere_reading.close()
        rewrite(db)  # type: ignore[arg-type]

    monkeypatch.setattr(dialect, "purge_search", counted)
    acting_as("crm")
    dry = CliRunner().invoke(main, ["retention", "run", "--dry-run",
                                    "--db", outside.target(db_path)])
    assert dry.exit_code == 0, dry.output
    # Tester v16 N5: the dry run says which exports the run deletes and which it leaves, as
    # the run then does (it listed them all "to delete by hand").
    going, left = dry.output.split(f"{ref}: the run deletes 2 exports of it from the app's "
                                   "folders itself:")[1].split(
        f"{ref}: these exports were made of this file and the run leaves them: delete them by "
        "hand or confirm they were sent:")
    assert all(str(path) in going for path in own) and str(elsewhere) not in going
    assert str(elsewhere) in left.split(f"{other}:")[0]
    assert not any(str(path) in left for path in own)
    assert other not in dry.output.split("Would destroy")[0]
    result = CliRunner().invoke(main, ["retention", "run", "--db", outside.target(db_path)])
    assert result.exit_code == 0, result.output
    assert "Destroyed: 2 files" in result.output
    # What each destruction removed from the store and the letters folder (round 10: not
    # counted anywhere).
    assert result.output.count("letter file removed") + \
        result.output.count("letter files removed") == 2, result.output
    # Tester b16c F8: the run names each export it deleted, as the dry run does.
    deleted = result.output.split(f"{ref}: 2 exports of it deleted from the app's folders:")[1] \
        .split(f"{ref}: these exports were made of this file")[0]
    assert all(str(path) in deleted for path in own) and str(elsewhere) not in deleted
    assert f"{ref}: these exports were made of this file: delete them by hand or confirm " \
           "they were sent:" in result.output
    assert f"Evidence bundle of 28 Nov 2026 by crm: {elsewhere}" in result.output
    assert not any(path.exists() for path in own) and elsewhere.exists()
    assert rewrites == [2]  # once, for both files, after both were committed


def test_a_destruction_whose_clean_up_finds_the_database_busy_is_still_done(
        actors: dict[Role, Actor], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The destruction is committed; if the work after it waits out the busy timeout (a long
    import elsewhere), the CRM is not told it failed: the next start finishes it."""
    ref, own, _elsewhere = _exported(actors, tmp_path)
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    finish = erasure.finish

    def busy(*, purge: bool = True) -> list[str]:
        raise DatabaseBusy("another person's save is taking long")

    monkeypatch.setattr(erasure, "finish", busy)
    done = archive.destroy(actors[Role.CRM], ref)
    assert done.reference == ref and Tombstone.select().count() == 1
    assert erasure.pending() and all(path.exists() for path in own)
    monkeypatch.setattr(erasure, "finish", finish)
    assert leftovers.sweep().destructions == 1
    assert not erasure.pending() and not any(path.exists() for path in own)


def test_a_dry_run_or_a_reading_command_finishes_no_interrupted_destruction(
        actors: dict[Role, Actor], tmp_path: Path, db_path: Path,
        acting_as: Callable[[str], None], monkeypatch: pytest.MonkeyPatch) -> None:
    """Round 10: `retention run --dry-run` finished an interrupted destruction (the start's
    clean-up) and then said nothing was changed. It says what a real run will finish."""
    ref, own, _elsewhere = _exported(actors, tmp_path)
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    finish = erasure.finish

    def busy(*, purge: bool = True) -> list[str]:
        raise DatabaseBusy("another person's save is taking long")

    monkeypatch.setattr(erasure, "finish", busy)
    archive.destroy(actors[Role.CRM], ref)
    monkeypatch.setattr(erasure, "finish", finish)
    assert erasure.interrupted() == [ref]
    acting_as("crm")
    for command in (["retention", "run", "--dry-run"], ["cases"], ["letters", "list"]):
        result = CliRunner().invoke(main, [*command, "--db", outside.target(db_path)])
        assert result.exit_code == 0, result.output
        assert erasure.pending() and all(path.exists() for path in own), command
    dry = CliRunner().invoke(main, ["retention", "run", "--dry-run",
                                    "--db", outside.target(db_path)])
    assert f"An interrupted destruction of {ref} will be finished" in dry.output
    assert "Dry run: nothing was changed." in dry.output
    done = CliRunner().invoke(main, ["retention", "run", "--db", outside.target(db_path)])
    assert done.exit_code == 0 and "1 destruction finished" in done.output
    assert not erasure.pending() and not any(path.exists() for path in own)


def test_an_export_finished_after_a_destruction_is_refused_and_removed(
        actors: dict[Role, Actor], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Break 16c finding 1: a subject access export or a bundle that read the file before its
    destruction and recorded itself after it left its files and a live audit entry after the
    tombstone. The race forced: the file is destroyed between the export's reading and its
    writing (no sleeps). It is refused, says so, and leaves nothing."""
    from crm_tui.db.models import AuditEntry
    from crm_tui.domain.scope import DestroyedFile
    from crm_tui.services.evidence import bundle
    from crm_tui.services.retention import subject_access

    crm = actors[Role.CRM]
    out = tmp_path / "out"
    refs = [builders.at_state(actors, CaseState.ARCHIVED) for _ in range(2)]
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    for ref, (module, name, export) in zip(refs, (
            (subject_access, "render_subject_access",
             lambda ref: export_subject_access(crm, ref, "SAR-2026-18", out, COUNCIL)),
            (bundle, "render_bundle", lambda ref: export_bundle(crm, ref, out, COUNCIL))),
            strict=True):
        render = getattr(module, name)

        def destroyed_first(content: object, path: Path, *, ref: str = ref,
                            render: Callable[..., object] = render) -> object:
            archive.destroy(crm, ref)  # the destruction commits while the export writes
            return render(content, path)

        monkeypatch.setattr(module, name, destroyed_first)
        with pytest.raises(DestroyedFile, match=f"{ref} was destroyed.*what it wrote was "
                                                "removed"):
            export(ref)
        monkeypatch.setattr(module, name, render)
        assert not out.exists() or not any(out.iterdir()), name
        last = AuditEntry.select().order_by(AuditEntry.seq.desc()).get()
        assert (last.action, last.case_reference) == ("destroy", ref), name
        assert not leftovers.sweep().exports, name


def test_a_destruction_is_logged_as_finished_only_once_it_is(
        actors: dict[Role, Actor], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Break 16a F14: "Destruction of … finished" was logged inside the clean-up's
    transaction, before the search indexes were rewritten and the announcement dropped: a
    run stopped there left a log saying finished what the next start still had to finish."""
    ref, own, _elsewhere = _exported(actors, tmp_path)
    monkeypatch.setenv("CRM_TUI_NOW", LATER)
    logged: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: logged.append(record.getMessage())  # type: ignore[method-assign]
    erasure.log.addHandler(handler)
    rewrite = dialect.purge_search

    def stopped(db: object) -> None:
        raise DatabaseBusy("another person's save is taking long")

    try:
        monkeypatch.setattr(dialect, "purge_search", stopped)
        archive.destroy(actors[Role.CRM], ref)
        assert erasure.pending() and not any(path.exists() for path in own)
        assert not any("finished" in line for line in logged), logged
        monkeypatch.setattr(dialect, "purge_search", rewrite)
        erasure.finish()
    finally:
        erasure.log.removeHandler(handler)
    assert not erasure.pending()
    assert logged == [f"Destruction of {ref} finished: the search indexes rewritten."]
