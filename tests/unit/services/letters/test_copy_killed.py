"""A copy of an issued letter killed while written to a folder the user chose (`letters export
--letter N --out DIR`): its partial file (the letter, the customer's name and address) was
left there for good, no start looking in that folder (found when tried, b16d F1's sibling).
Now the copy is announced before it is written, and the next start removes the partial."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from crm_tui.db.connection import open_database
from crm_tui.db.models import AuditEntry, Setting, database_proxy
from crm_tui.domain.letters import LetterKind
from crm_tui.private_files import write_private
from crm_tui.services.core import leftovers
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import copies


def test_a_letter_copy_killed_while_written_to_out_is_removed_at_the_next_start(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    crm = resolve_actor("ceri.hughes")
    original = copies.latest_original(crm, "UPV-2025-0001", LetterKind.LIFTED)
    out = tmp_path / "chosen-by-the-user"
    out.mkdir()
    entries = AuditEntry.select().count()

    def written_then_killed(folder: Path, name: str, data: bytes, *, new: bool = False) -> Path:
        return write_private(folder / name, lambda path: (
            path.write_bytes(data), os.kill(os.getpid(), signal.SIGKILL)))

    database_proxy.obj.close()
    pid = os.fork()
    if pid == 0:  # the child: writes the whole copy under its partial name, and is killed
        try:
            open_database(demo)
            monkeypatch.setattr(copies, "write_out", written_then_killed)
            copies.export_copy(crm, original.id, out)
        finally:
            os._exit(1)  # not killed: the test fails on the status
    status = os.waitpid(pid, 0)[1]
    open_database(demo)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status
    assert [p.suffix for p in out.iterdir()] == [".partial"]
    swept = leftovers.sweep()  # the next command that writes
    assert swept.exports == 1 and "1 export cut short" in swept.said
    assert list(out.iterdir()) == []
    assert not Setting.select().where(Setting.key.startswith(leftovers.PENDING_EXPORT)).exists()
    assert AuditEntry.select().count() == entries
    # Written whole, the copy is recorded and its announcement gone.
    copy = copies.export_copy(crm, original.id, out)
    assert copy.read_bytes() and not leftovers.sweep()
