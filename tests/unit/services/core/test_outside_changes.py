"""Changes committed by another program on the same database are told to this one's
listeners as if made here (once each), and this program's own are not told twice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crm_tui.domain.roles import Actor, Role
from crm_tui.services.core import changes
from crm_tui.services.core.outside_changes import OutsideChanges
from crm_tui.services.intake import casework
from tests import builders, outside


def write_from_outside(db_path: Path, reference: str, action: str,
                       *statements: tuple[str, tuple[object, ...]]) -> None:
    """Another program's commit: `statements` and their audit entry, written on a connection
    of its own."""
    other = outside.connect(db_path)
    with other:
        for sql, parameters in statements:
            other.execute(sql, parameters)
        seq = other.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_entry").fetchone()[0]
        other.execute(
            "INSERT INTO audit_entry (seq, at, actor_login, actor_role, action, "
            "case_reference, reason, payload, reason_hash, payload_hash, prev_hash, "
            "entry_hash, erased) VALUES (?, '2026-11-28T10:00:00', 'officer', 'officer', ?, "
            "?, '', '{}', '', '', '', '', FALSE)", (seq, action, reference))
        other.execute("UPDATE audit_head SET seq = ?", (seq,))
    other.close()


def _watcher(every: float | None = None) -> OutsideChanges:
    """The watcher the app starts for the database open now (its file's, or the server's)."""
    watcher = OutsideChanges.for_open_database() if every is None \
        else OutsideChanges.for_open_database(every=every)
    assert watcher is not None
    return watcher


@pytest.fixture
def heard() -> Iterator[list[changes.Change]]:
    found: list[changes.Change] = []
    stop = changes.listen(found.append)
    yield found
    stop()


def test_a_commit_by_another_connection_is_told(db_path: Path, actors: dict[Role, Actor],
                                                heard: list[changes.Change]) -> None:
    ref = builders.referred(actors)
    watcher = _watcher()
    watcher.start_watching()
    try:
        assert watcher.poll() == []  # nothing committed since it began looking
        write_from_outside(db_path, ref, "import_log_sheet")
        heard.clear()
        assert watcher.poll() == [changes.Change(ref, "import_log_sheet")]
        assert heard == [changes.Change(ref, "import_log_sheet")]
        assert watcher.poll() == []  # told once
        # This program's own change is told when it commits, and not again from outside.
        heard.clear()
        casework.begin_consideration(actors[Role.CRM], ref)
        assert heard == [changes.Change(ref, "begin_consideration")]
        assert watcher.poll() == []
        assert heard == [changes.Change(ref, "begin_consideration")]
    finally:
        watcher.stop()


def test_the_thread_looks_by_itself_and_stops(db_path: Path, actors: dict[Role, Actor],
                                              heard: list[changes.Change]) -> None:
    import threading

    ref = builders.referred(actors)
    told = threading.Event()
    stop_listening = changes.listen(lambda c: told.set() if c.what == "outside" else None)
    watcher = _watcher(every=0.02)
    watcher.start()
    try:
        write_from_outside(db_path, ref, "outside")
        assert told.wait(5.0)
    finally:
        watcher.stop()
        stop_listening()
    assert watcher._thread is not None and not watcher._thread.is_alive()


def test_an_entry_number_taken_again_after_a_rollback_elsewhere_stays_ours() -> None:
    """A step rehearsed in one thread (rolled back) and a step committed in another took the
    same audit entry number, the commit between the rehearsal's rollback and its forgetting:
    the committed entry was then told as another program's change (the inbox refused `o` on
    the case for five seconds, as changed elsewhere: test_triage_by_keys, cc93)."""
    import threading

    changes.keep_ours(True)
    try:
        rehearsal_wrote = threading.Event()
        commit_done = threading.Event()

        def rehearse() -> None:
            changes.noted("UPV-2026-0009", "assign", 41)
            rehearsal_wrote.set()
            assert commit_done.wait(5.0)
            changes.rolled_back()  # after the other thread's commit took number 41 again

        rehearsal = threading.Thread(target=rehearse)
        rehearsal.start()
        assert rehearsal_wrote.wait(5.0)
        changes.noted("UPV-2026-0009", "assign", 41)
        changes.committed()
        commit_done.set()
        rehearsal.join(5.0)
        assert changes.ours(41)  # this program's: not told again as if from outside
        assert not changes.ours(41)  # asked once
    finally:
        changes.keep_ours(False)


def test_a_second_watcher_stopping_leaves_the_first_keeping_its_entries() -> None:
    changes.keep_ours(True)
    try:
        changes.keep_ours(True)  # a second app's watcher in the same process
        changes.keep_ours(False)  # ... closed
        changes.noted("UPV-2026-0009", "assign", 7)
        changes.committed()
        assert changes.ours(7)
    finally:
        changes.keep_ours(False)
    changes.noted("UPV-2026-0009", "assign", 8)
    changes.committed()
    assert not changes.ours(8)  # no watcher left: nothing is kept


def test_a_stopped_watcher_tells_no_one(db_path: Path, actors: dict[Role, Actor],
                                        heard: list[changes.Change]) -> None:
    """Its app closed while it looked: what it found is for no one (the listeners may by then
    be the next app's, on another database)."""
    ref = builders.referred(actors)
    watcher = _watcher()
    watcher.start_watching()
    try:
        assert watcher.poll() == []
        write_from_outside(db_path, ref, "import_log_sheet")
        heard.clear()
        watcher._stop.set()
        assert watcher.poll() == [changes.Change(ref, "import_log_sheet")]
        assert heard == []
    finally:
        watcher.stop()
