"""An evidence bundle or the staff register killed while written to a folder the user chose
(`--out`) (found when tried, b16d F1: the whole bundle, the customer's name and contacts, kept
there for good as `….partial`, while the next start removed its name and its announcement and
said "1 export cut short"; the staff register the same). Now the next start removes the
partial file with the name: nothing of the export is left, and nothing is left unrecorded.

The kill lands in the write: a forked copy of this process exports, and dies (SIGKILL) once
the renderer has written the whole file under its partial name, before it is named."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from crm_tui.db.models import AuditEntry, Setting
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import leftovers
from tests import builders
from tests.crash.kills import in_a_child_killed


def _killed_in_the_write(db_path: Path, export: Callable[[], object],
                         patch: Callable[[Callable[[object, Path], None]], None]) -> int:
    def render_then_die(content: object, path: Path) -> None:
        path.write_bytes(b"%PDF-1.7 the whole export, customer's name and all")
        os.kill(os.getpid(), signal.SIGKILL)

    def written_whole_then_killed() -> None:
        # The child writes the whole export under its partial name, and is killed.
        patch(render_then_die)
        export()

    return in_a_child_killed(db_path, written_whole_then_killed)


def _bundle(actor: Actor, reference: str, out: Path,
            monkeypatch: pytest.MonkeyPatch) -> tuple[Callable[[], object], Callable[..., None]]:
    from crm_tui.services.evidence import bundle

    return (lambda: bundle.export_bundle(actor, reference, out, "Northmere"),
            lambda render: monkeypatch.setattr(bundle, "render_bundle", render))


def _register(actor: Actor, reference: str, out: Path,
              monkeypatch: pytest.MonkeyPatch) -> tuple[Callable[[], object], Callable[..., None]]:
    from crm_tui.letters import register as printed
    from crm_tui.services.restrictions import register

    return (lambda: register.export_register(actor, out, "Northmere"),
            lambda render: monkeypatch.setattr(printed, "render_register", render))


@pytest.mark.parametrize("kind", ["bundle", "register"])
def test_an_export_killed_while_written_to_out_leaves_nothing_after_the_next_start(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    reference = builders.at_state(actors, CaseState.NEW)
    out = tmp_path / "chosen-by-the-user"
    out.mkdir()
    entries = AuditEntry.select().count()
    export, patch = {"bundle": _bundle, "register": _register}[kind](
        actors[Role.CRM], reference, out, monkeypatch)
    status = _killed_in_the_write(db_path, export, patch)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status
    partials = [p for p in out.iterdir() if p.suffix == ".partial"]
    assert len(partials) == 1 and b"customer's name" in partials[0].read_bytes()
    swept = leftovers.sweep()  # the next command that writes
    assert swept.exports == 1 and "1 export cut short" in swept.said
    assert list(out.iterdir()) == []
    assert not Setting.select().where(Setting.key.startswith(leftovers.PENDING_EXPORT)).exists()
    assert AuditEntry.select().count() == entries  # never recorded, and nothing left of it
    assert not leftovers.sweep()  # nothing the second time
