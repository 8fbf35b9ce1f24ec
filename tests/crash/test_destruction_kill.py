"""A destruction killed after its commit (issue 16's loose end): its files were removed, and
the search indexes rewritten, only after the commit, so a kill between left the destroyed
customer's letter and documents on disk, and their words in the search index's pages, with
nothing to say so. Now the destruction announces that work in its own transaction, and the
next start (the same clean-up every start runs) finishes it.

The kill lands exactly there: a forked copy of this process destroys the file and dies
(SIGKILL) the moment the commit is done, before any file goes."""

from __future__ import annotations

import json
import logging
import os
import signal
from pathlib import Path

import pytest

from crm_tui.db.connection import open_database
from crm_tui.db.models import AuditEntry, Setting, Tombstone, database_proxy
from crm_tui.domain.counting import counted
from crm_tui.domain.roles import Actor, Role
from crm_tui.services.core import audit, erasure, leftovers, settings
from crm_tui.services.core.evidence_store import evidence_store
from crm_tui.services.retention import archive
from tests.unit.services.retention.test_destruction_bytes import _file_of, _found


def _destroy_killed_after_commit(db_path: Path, crm: Actor, reference: str) -> int:
    pid = os.fork()
    if pid == 0:  # the child: destroys, and is killed once the destruction is committed
        try:
            open_database(db_path)

            def killed(*, purge: bool = True) -> list[str]:
                os.kill(os.getpid(), signal.SIGKILL)
                return []

            erasure.finish = killed  # type: ignore[assignment]
            archive.destroy(crm, reference)
        finally:
            os._exit(1)  # not killed: the test fails on the status
    return os.waitpid(pid, 0)[1]


def test_a_destruction_killed_after_its_commit_is_finished_at_the_next_start(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ref = _file_of(actors, tmp_path)
    letters = [p for p in settings.current().letters_path().iterdir() if p.suffix == ".pdf"]
    documents = [p for p in evidence_store().root.rglob("*") if p.is_file()
                 and leftovers.RUNS not in p.parts]
    assert letters and documents
    monkeypatch.setenv("CRM_TUI_NOW", "2032-12-01T09:00:00")
    database_proxy.obj.close()
    status = _destroy_killed_after_commit(db_path, actors[Role.CRM], ref)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status
    open_database(db_path)
    # Killed after the commit: destroyed in the database, its files and index words left.
    assert Tombstone.select().where(Tombstone.case_reference == ref).exists()
    assert all(p.exists() for p in [*letters, *documents])
    assert _found(db_path), "nothing was left to clean up: the kill came too late"
    assert Setting.select().where(Setting.key.startswith(erasure.PENDING)).count() == 1

    logged: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: logged.append(record.getMessage())  # type: ignore[method-assign]
    erasure.log.addHandler(handler)
    try:
        swept = leftovers.sweep()  # the next start
    finally:
        erasure.log.removeHandler(handler)
    # Round 10: the files it removed are counted (it said "1 destruction finished" with no
    # file, and the log's list of files removed said "none").
    said = (f"{counted(len(documents), 'document')} and "
            f"{counted(len(letters), 'letter file')} removed")
    assert swept.destructions == 1 and f"1 destruction finished ({said}" in swept.said
    assert sorted(swept.destroyed_documents) == sorted(p.name for p in documents)
    assert len(swept.destroyed_letters) == len(letters)
    assert any(f"Destruction of {ref} finished: {said}" in line and documents[0].name in line
               for line in logged), logged
    entry = AuditEntry.get((AuditEntry.action == "destroy") & (AuditEntry.case_reference == ref))
    assert json.loads(entry.payload)["files"] == {"documents": len(documents),
                                                  "letters": len(letters)}
    assert not any(p.exists() for p in [*letters, *documents])
    assert _found(db_path) == []
    assert not erasure.pending()
    assert audit.verify().ok
    assert not leftovers.sweep()  # nothing the second time
