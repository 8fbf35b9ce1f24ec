"""What a killed run leaves is cleaned up at the next start, and nothing else: evidence copies
cut short, evidence files no record points to (older than every run at work), and letters
written out but never registered (issue 16: 85 orphaned files and 31 `.incoming-*` files after
killed imports; a signed PDF in no register, 20 times in 20, after a killed export)."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui import private_files
from crm_tui.cli import main
from crm_tui.db.models import Letter, Setting, database_proxy
from crm_tui.domain.errors import DomainError
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.private_files import write_new_private_bytes, write_private
from crm_tui.services.core import leftovers, settings
from crm_tui.services.core.evidence_store import evidence_store
from crm_tui.services.evidence import documents
from crm_tui.services.letters import issuing
from tests import builders, outside
from tests.conftest import PASSPHRASE

LONG_AGO = time.time() - 3600


def _orphan(content: bytes, *, at: float = LONG_AGO) -> Path:
    store = evidence_store()
    path = store.path_for(hashlib.sha256(content).hexdigest())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    os.utime(path, (at, at))
    return path


def _partial(name: str, *, at: float = LONG_AGO) -> Path:
    path = evidence_store().root / name
    path.write_bytes(b"half a fi")
    os.utime(path, (at, at))
    return path


def test_orphans_and_partial_copies_go_and_recorded_files_stay(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    kept = tmp_path / "kept.txt"
    kept.write_text("A letter from the customer.")
    sha = documents.attach_document(actors[Role.OFFICER], ref, kept)
    recorded = evidence_store().path_for(sha)
    os.utime(recorded, (LONG_AGO, LONG_AGO))  # old, and still a record's: never removed
    orphan = _orphan(b"An email the import never recorded.")
    partial = _partial(".incoming-4242-139872")
    by_hand = evidence_store().root / "ab" / "notes.txt"  # not a name the store gives
    by_hand.parent.mkdir(exist_ok=True)
    by_hand.write_text("put here by a person")
    swept = leftovers.sweep()
    assert swept.partial == 1 and swept.orphans == [orphan.name] and swept.letters == []
    assert "1 evidence copy cut short; 1 evidence file no record points to" in swept.said
    assert not orphan.exists() and not partial.exists()
    assert recorded.exists() and by_hand.exists()
    assert documents.verify_store(actors[Role.CRM]).checked == 1
    assert not leftovers.sweep()  # nothing the second time


def test_what_a_run_at_work_is_writing_is_left_alone(actors: dict[Role, Actor]) -> None:
    """Another person's import, copying files in now: its copies (newer than its start) stay;
    what is older than every run at work goes."""
    builders.at_state(actors, CaseState.NEW)
    older = _orphan(b"left by a run killed an hour ago")
    partial_old = _partial(".incoming-1-1")
    with leftovers.running():
        newer = _orphan(b"being recorded by the run at work", at=time.time() + 5)
        partial_new = _partial(".incoming-2-2", at=time.time() + 5)
        swept = leftovers.sweep()
        assert newer.exists() and partial_new.exists()
    assert not older.exists() and not partial_old.exists()
    assert swept.orphans == [older.name] and swept.partial == 1
    # The run has ended: its lock file went with it, and what it left is a leftover now.
    assert list((evidence_store().root / leftovers.RUNS).iterdir()) == []
    assert leftovers.sweep().orphans == [newer.name]


def test_the_lock_of_a_killed_run_is_free_and_removed(actors: dict[Role, Actor]) -> None:
    builders.at_state(actors, CaseState.NEW)
    runs = evidence_store().root / leftovers.RUNS
    runs.mkdir(parents=True, exist_ok=True)
    dead = runs / "999999-deadbeef"
    dead.write_bytes(b"")  # no process holds its lock
    unnamed = runs / ".999999-cafe"  # killed between making its lock file and naming it
    unnamed.write_bytes(b"")
    making = runs / f".{os.getpid()}-beef"  # this process, making its lock file now
    making.write_bytes(b"")
    orphan = _orphan(b"left by the killed run")
    leftovers.sweep()
    assert not dead.exists() and not orphan.exists() and not unnamed.exists()
    assert making.exists()


def test_a_file_swept_while_it_was_being_recorded_is_refused_not_recorded_missing(
        actors: dict[Role, Actor], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another start's sweep took the copy between the copy and the commit: the attach says
    so and records nothing (no record ever points to a missing file)."""
    ref = builders.at_state(actors, CaseState.NEW)
    source = tmp_path / "note.txt"
    source.write_text("words")
    real = documents.attach

    def swept_first(*args: Any, **kwargs: Any) -> Any:
        for f in evidence_store().root.glob("??/*"):
            f.chmod(0o600)
            f.unlink()
        return real(*args, **kwargs)

    monkeypatch.setattr(documents, "attach", swept_first)
    with pytest.raises(DomainError, match="left the evidence store"):
        documents.attach_document(actors[Role.OFFICER], ref, source)
    assert documents.list_documents(actors[Role.CRM], ref) == []


@pytest.fixture
def crm(actors: dict[Role, Actor]) -> Actor:
    return actors[Role.CRM]  # with a key of their own (the actors fixture)


def test_a_letter_killed_before_its_register_commit_is_removed_at_the_next_start(
        actors: dict[Role, Actor], crm: Actor, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    folder = tmp_path / "letters"
    kind = issuing.kinds_for(crm, ref)[0]
    written: list[Path] = []
    real = issuing.write_registered

    def die_before_commit(folder: Path, name: str, data: bytes, register: Any) -> Any:
        # As SIGKILL would: the run's cleanup never runs, so the file and the announcement
        # stay, and the run's lock is gone with the process.
        with leftovers.running() as token:
            leftovers.pending_letter(folder, Path(name).stem, hashlib.sha256(data)
                                     .hexdigest(), token)
            written.append(write_new_private_bytes(folder / name, data))
        raise SystemExit(137)

    monkeypatch.setattr(issuing, "write_registered", die_before_commit)
    with pytest.raises(SystemExit):
        issuing.sign_and_export(crm, ref, kind, folder, PASSPHRASE)
    monkeypatch.setattr(issuing, "write_registered", real)
    assert written[0].exists() and not Letter.select().where(Letter.sha256 != "").exists()
    other = folder / "kept-by-hand.pdf"
    other.write_bytes(b"%PDF another file")
    swept = leftovers.sweep()
    assert len(swept.letters) == 1 and "1 signed letter never registered" in swept.said
    assert not written[0].exists() and other.exists()
    assert not Setting.select().where(Setting.key.startswith(leftovers.PENDING)).exists()
    # Issued properly afterwards: registered, its file kept by the next sweep.
    issued = issuing.sign_and_export(crm, ref, kind, folder, PASSPHRASE)
    assert not leftovers.sweep() and issued.path.exists()
    assert not Setting.select().where(Setting.key.startswith(leftovers.PENDING)).exists()


def test_a_letter_refused_at_its_commit_leaves_no_file_and_no_announcement(
        actors: dict[Role, Actor], crm: Actor, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    folder = tmp_path / "letters"
    kind = issuing.kinds_for(crm, ref)[0]

    def issued_meanwhile(*_: object) -> None:
        raise DomainError("the letter was issued by someone else meanwhile")

    monkeypatch.setattr(issuing, "_register_issued", issued_meanwhile)
    with pytest.raises(DomainError, match="meanwhile"):
        issuing.sign_and_export(crm, ref, kind, folder, PASSPHRASE)
    assert list(folder.iterdir()) == []
    assert not Setting.select().where(Setting.key.startswith(leftovers.PENDING)).exists()


def test_a_writing_command_cleans_up_and_a_check_does_not(
        actors: dict[Role, Actor], acting_as: Callable[[str], None]) -> None:
    builders.at_state(actors, CaseState.NEW)
    orphan = _orphan(b"left by a killed import")
    db = outside.target(database_proxy.obj.database)
    acting_as("crm")
    checked = CliRunner().invoke(main, ["evidence", "verify", "--db", db])
    assert checked.exit_code == 1 and "ORPHAN" in checked.output and orphan.exists()
    started = CliRunner().invoke(main, ["expire", "--db", db])
    assert started.exit_code == 0, started.output
    assert "Cleaned up after an interrupted run: 1 evidence file no record points to" \
        in started.output
    assert not orphan.exists()
    log = Path(os.environ["CRM_TUI_DATA_DIR"]) / "crm-tui.log"
    logged = log.read_text()
    assert orphan.name in logged and "Housing" not in logged
    assert CliRunner().invoke(main, ["evidence", "verify", "--db", db]).exit_code == 0


def _killed_while_writing(target: Path) -> Path:
    """An export killed half-way: a child process writes `target` through write_private and
    dies in the middle; its partial file is left, made an hour old."""
    pid = os.fork()
    if pid == 0:  # the child: killed while it writes
        try:
            write_private(target, lambda path: (path.write_bytes(b"%PDF-1.7 half"),
                                                os._exit(9)))
        finally:
            os._exit(1)
    os.waitpid(pid, 0)
    left = [p for p in target.parent.iterdir()
            if p.suffix == ".partial" and p.name.startswith(f"{target.stem}.")]
    assert len(left) == 1, left
    os.utime(left[0], (LONG_AGO, LONG_AGO))
    return left[0]


def test_the_partial_files_of_killed_exports_are_swept_and_none_being_written(
        actors: dict[Role, Actor]) -> None:
    """Issue 16's loose end: a bundle, a subject access export or a letter's copy killed
    half-way left its `.partial` file (personal data) in the app's folders for good. Now the
    next start removes those whose writer is gone, and `evidence verify` lists them; a file
    another process is writing (its lock held), a young one and a person's own are kept."""
    builders.at_state(actors, CaseState.NEW)
    config = settings.current()
    bundle = _killed_while_writing(config.exports_path() / "evidence-bundle-UPV-1.pdf")
    sar = config.exports_path() / "subject-access-C000001-20261128-100000" / "documents"
    sar.mkdir(parents=True)
    document = _killed_while_writing(sar / "001-email.txt")
    letter = _killed_while_writing(config.letters_path() / "UPV-1-lifted.pdf")
    writing, handle = private_files._partial(config.exports_path() / "being-written.pdf",
                                             personal=False)
    os.utime(writing, (LONG_AGO, LONG_AGO))  # old, but its writer is at work
    young = _killed_while_writing(config.letters_path() / "young.pdf")
    os.utime(young, None)
    by_hand = config.exports_path() / "notes.partial"
    by_hand.write_text("a person's own file")
    os.utime(by_hand, (LONG_AGO, LONG_AGO))
    try:
        listed = documents.verify_store(actors[Role.CRM]).partial
        assert {bundle, document, letter} <= set(listed)
        assert writing not in listed and young not in listed and by_hand not in listed
        swept = leftovers.sweep()
        assert swept.exports == 3 and "3 exports cut short" in swept.said
        assert not bundle.exists() and not document.exists() and not letter.exists()
        assert writing.exists() and young.exists() and by_hand.exists()
    finally:
        os.close(handle)
        writing.unlink()


def test_an_export_killed_before_its_audit_entry_is_deleted_at_the_next_start(
        actors: dict[Role, Actor], db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A subject access export (a folder of the person's data) or an evidence bundle killed
    after it was written but before its audit entry was committed: the trail does not know
    of it, so a destruction could never list it. The next start deletes it; one recorded
    stays."""
    from crm_tui.db.connection import open_database
    from crm_tui.services.core import audit
    from crm_tui.services.evidence.bundle import export_bundle
    from crm_tui.services.retention.subject_access import export_subject_access

    ref = builders.at_state(actors, CaseState.NEW)
    crm = actors[Role.CRM]
    own = settings.current().exports_path()
    monkeypatch.setenv("CRM_TUI_NOW", "2026-11-28T09:00:00")
    kept = export_bundle(crm, ref, own, "Northmere")  # recorded: stays
    monkeypatch.setenv("CRM_TUI_NOW", "2026-11-28T10:00:00")
    where = outside.target(db_path)
    database_proxy.obj.close()
    for export in (lambda: export_subject_access(crm, ref, "SAR-1", own, "Northmere"),
                   lambda: export_bundle(crm, ref, own, "Northmere")):
        pid = os.fork()
        if pid == 0:  # the child: killed as it records the export, all of it written
            try:
                open_database(where)
                audit.record = lambda *args, **kwargs: os.kill(os.getpid(), 9)  # type: ignore[assignment]
                export()
            finally:
                os._exit(1)
        assert os.WIFSIGNALED(os.waitpid(pid, 0)[1])
    open_database(where)
    left = {p.name for p in own.iterdir()}
    assert any(n.startswith("subject-access-") for n in left) and len(left) == 3
    swept = leftovers.sweep()
    assert swept.exports == 2 and "2 exports cut short" in swept.said
    assert [p.name for p in own.iterdir()] == [kept.name]
    assert not Setting.select().where(Setting.key.startswith(leftovers.PENDING_EXPORT)).exists()


@pytest.mark.sqlite_only("a restore stages copies of the SQLite file: on a PostgreSQL "
                         "database restore is refused, the server's own backups do it "
                         "(test_postgresql_commands.py)")
def test_the_copies_a_killed_restore_staged_are_removed_and_a_running_ones_kept(
        actors: dict[Role, Actor], db_path: Path) -> None:
    """A restore stages whole copies of the backup (database, evidence, letters) beside what
    it replaces, as `.NAME.restoring-STAMP-PID`; killed, it left them (personal data) for
    good. The next start removes those whose process is gone."""
    builders.at_state(actors, CaseState.NEW)
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)  # a process that is gone
    letters = settings.current().letters_path()
    letters.mkdir(parents=True, exist_ok=True)
    dead_db = db_path.with_name(f".{db_path.name}.restoring-20261128-100000-{pid}")
    dead_db.write_bytes(b"SQLite format 3\0 a copy")
    dead_letters = letters.with_name(f".letters.restoring-20261128-100000-{pid}")
    (dead_letters / "nested").mkdir(parents=True)
    (dead_letters / "nested" / "UPV-1.pdf").write_bytes(b"%PDF")
    running = db_path.with_name(f".{db_path.name}.restoring-20261128-100000-{os.getpid()}")
    running.write_bytes(b"being restored now")
    other = db_path.with_name(f".other.sqlite3.restoring-20261128-100000-{pid}")
    other.write_bytes(b"not this database's")
    # Break 16c finding 7b: the staged database's sidecars (SQLite's, killed mid-write)
    # stayed for good; so did those left once their copy was gone.
    sidecars = [dead_db.with_name(dead_db.name + end) for end in ("-journal", "-wal", "-shm")]
    alone = dead_db.with_name(dead_db.name.replace("100000", "090000") + "-journal")
    for sidecar in [*sidecars, alone]:
        sidecar.write_bytes(b"pages of the staged copy")
    kept = running.with_name(running.name + "-wal")
    kept.write_bytes(b"the running restore's")
    swept = leftovers.sweep()
    assert swept.restores == 2 and "2 copies staged by a restore cut short" in swept.said
    assert not dead_db.exists() and not dead_letters.exists()
    assert not any(path.exists() for path in [*sidecars, alone])
    assert running.exists() and other.exists() and kept.exists()


def test_the_partials_of_an_announced_export_are_those_of_its_name_whose_writer_is_gone(
        tmp_path: Path) -> None:
    """What the next start removes with an export announced in a user's `--out` folder whose
    run died (b16d F1): its own partial files, however young; never another export's (`-2`)
    nor one a live writer holds."""
    target = tmp_path / "evidence-bundle-UPV-2026-0004-20261206-043101.pdf"
    dead = _killed_while_writing(target)
    os.utime(dead, None)  # a moment ago: the writer is known dead, no minute's wait
    other = _killed_while_writing(target.with_name(f"{target.stem}-2.pdf"))
    writing, handle = private_files._partial(target, personal=False)
    try:
        assert private_files.partials_of(target) == [dead]
        assert other.exists() and writing.exists()
    finally:
        os.close(handle)
        writing.unlink()


def test_a_letter_killed_in_the_middle_of_its_write_to_out_leaves_no_partial_file(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """Its partial file is not the announced letter's SHA-256 yet (half of it), so it was
    never found by it; its writer is dead, and it goes all the same."""
    builders.at_state(actors, CaseState.NEW)
    out = tmp_path / "chosen-by-the-user"
    with leftovers.running() as token:  # the run's lock is gone with it, as with SIGKILL
        leftovers.pending_letter(out, "UPV-1-lifted", hashlib.sha256(
            b"%PDF-1.7 the whole signed letter").hexdigest(), token)
    half = _killed_while_writing(out / "UPV-1-lifted.pdf")
    other = _killed_while_writing(out / "UPV-1-lifted-2.pdf")  # another letter's: not this
    swept = leftovers.sweep()
    assert len(swept.letters) == 1 and "1 signed letter never registered" in swept.said
    assert not half.exists() and other.exists()
    assert not Setting.select().where(Setting.key.startswith(leftovers.PENDING)).exists()


def test_audit_verify_names_a_signed_letter_an_export_killed_before_registering_left(
        actors: dict[Role, Actor], tmp_path: Path, db_path: Path) -> None:
    """b16f F5: `letters export --out DIR` killed after signing left a signed letter in DIR,
    in no register, and `audit verify` said nothing until the next export removed it. Verify
    only reads: it names the file (a note; the trail is intact) and removes nothing; the next
    sweep removes it."""
    builders.at_state(actors, CaseState.NEW)
    out = tmp_path / "chosen-by-the-user"
    signed = b"%PDF-1.7 the whole signed letter"
    with leftovers.running() as token:  # the run's lock is gone with it, as with SIGKILL
        leftovers.pending_letter(out, "UPV-1-lifted", hashlib.sha256(signed).hexdigest(),
                                 token)
        left = write_new_private_bytes(out / "UPV-1-lifted.pdf", signed)
    other = write_new_private_bytes(out / "UPV-1-lifted-2.pdf", b"%PDF-1.7 another letter")
    assert leftovers.unregistered_letters() == [left]
    result = CliRunner().invoke(main, ["audit", "verify", "--db", outside.target(db_path)])
    assert result.exit_code == 0, result.output
    assert "Audit trail intact" in result.output
    assert (f"Note: a signed letter never registered was left at {left} by an interrupted "
            "export; it is not a letter of the register: delete it") in result.output
    assert str(other) not in result.output
    assert left.exists() and Setting.select().where(
        Setting.key.startswith(leftovers.PENDING)).exists()  # verify removed nothing
    assert "1 signed letter never registered" in leftovers.sweep().said
    assert not left.exists() and other.exists() and leftovers.unregistered_letters() == []
    result = CliRunner().invoke(main, ["audit", "verify", "--db", outside.target(db_path)])
    assert "never registered" not in result.output
