"""A letter's accessible copies (`.txt`, `.html`) and the calendar's `.ics` file, cut short
while written to a folder the user chose (found when tried: neither was announced, so a run
killed half-way left its `.partial` file there for good, no start looking in that folder; and
an accessible copy whose HTML failed kept its text copy, which no audit entry records). Now
both are announced while written: a failure leaves no file and no partial one, and the next
start removes what a killed run left, never the calendar written there before."""

from __future__ import annotations

import os
import signal
import stat
from pathlib import Path

import pytest
from icalendar import Calendar

from crm_tui.db.models import AuditEntry, Setting
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.letters.content import Letter
from crm_tui.private_files import write_private
from crm_tui.services.core import leftovers
from crm_tui.services.letters import accessible, issuing
from crm_tui.services.letters.signing_facts import SigningProblem
from crm_tui.services.reviews import calendar
from tests import builders
from tests.conftest import PASSPHRASE
from tests.crash.kills import in_a_child_killed


def _die(*_: object) -> str:
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("not killed")


def _announced() -> int:
    return Setting.select().where(Setting.key.startswith(leftovers.PENDING_EXPORT)).count()


def _copies_recorded() -> int:
    return AuditEntry.select().where(AuditEntry.action == "export_accessible_copy").count()


@pytest.fixture
def issued_pdf(actors: dict[Role, Actor], tmp_path: Path) -> tuple[int, Path]:
    """A decision letter issued to a folder the user chose: (its register number, its PDF)."""
    reference = builders.at_state(actors, CaseState.RESTRICTED)
    out = tmp_path / "chosen-by-the-user"
    issued = issuing.sign_and_export(actors[Role.CRM], reference, LetterKind.DECISION, out,
                                     PASSPHRASE)
    return issued.letter_id, issued.path


def test_an_accessible_copy_failing_mid_write_leaves_neither_copy(
        actors: dict[Role, Actor], issued_pdf: tuple[int, Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    letter_id, pdf = issued_pdf

    def html_fails(content: Letter, notice: str = "") -> str:  # the text copy is written by now
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(accessible, "html", html_fails)
    with pytest.raises(SigningProblem, match="No space left"):
        accessible.export_letter(actors[Role.CRM], letter_id, pdf)
    assert sorted(pdf.parent.iterdir()) == [pdf]  # no .txt, no .html, no .partial
    assert _copies_recorded() == 0 and _announced() == 0
    monkeypatch.undo()
    copies = accessible.export_letter(actors[Role.CRM], letter_id, pdf)
    assert sorted(pdf.parent.iterdir()) == sorted([pdf, copies.text, copies.html])
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in (copies.text, copies.html))
    assert _copies_recorded() == 1 and _announced() == 0


def test_an_accessible_copy_killed_mid_write_is_removed_at_the_next_start(
        actors: dict[Role, Actor], issued_pdf: tuple[int, Path], db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    letter_id, pdf = issued_pdf

    def export() -> None:
        monkeypatch.setattr(accessible, "html", _die)  # the text copy is written by now
        accessible.export_letter(actors[Role.CRM], letter_id, pdf)

    status = in_a_child_killed(db_path, export)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status
    left = [p for p in pdf.parent.iterdir() if p.suffix == ".partial"]
    assert len(left) == 2 and any(b"Dear" in p.read_bytes() for p in left)
    swept = leftovers.sweep()  # the next command that writes
    assert swept.exports == 1 and "1 export cut short" in swept.said
    assert sorted(pdf.parent.iterdir()) == [pdf]
    assert _copies_recorded() == 0 and _announced() == 0
    assert not leftovers.sweep()  # nothing the second time


def test_a_calendar_failing_mid_write_leaves_the_one_written_before(
        actors: dict[Role, Actor], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builders.at_state(actors, CaseState.RESTRICTED)
    ics = tmp_path / "chosen-by-the-user" / "team.ics"
    ics.parent.mkdir()
    count = calendar.export_ics(actors[Role.CRM], ics)
    before = ics.read_bytes()
    assert stat.S_IMODE(ics.stat().st_mode) == 0o600 and _announced() == 0

    def half_then_fails(path: Path, data: bytes) -> Path:
        def produce(partial: Path) -> None:
            partial.write_bytes(data[:len(data) // 2])
            raise OSError(28, "No space left on device")
        return write_private(path, produce)

    monkeypatch.setattr(calendar, "write_private_bytes", half_then_fails)
    with pytest.raises(OSError, match="No space left"):
        calendar.export_ics(actors[Role.CRM], ics)
    assert list(ics.parent.iterdir()) == [ics] and ics.read_bytes() == before
    assert _announced() == 0
    assert len(list(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))) == count


def test_a_calendar_killed_mid_write_loses_its_partial_at_the_next_start(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    builders.at_state(actors, CaseState.RESTRICTED)
    ics = tmp_path / "chosen-by-the-user" / "team.ics"
    ics.parent.mkdir()
    calendar.export_ics(actors[Role.CRM], ics)
    before = ics.read_bytes()

    def half_then_killed(path: Path, data: bytes) -> Path:
        return write_private(path, lambda partial: (
            partial.write_bytes(data[:len(data) // 2]), _die()))

    def export() -> None:
        monkeypatch.setattr(calendar, "write_private_bytes", half_then_killed)
        calendar.export_ics(actors[Role.CRM], ics)

    status = in_a_child_killed(db_path, export)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status
    assert sorted(p.suffix for p in ics.parent.iterdir()) == [".ics", ".partial"]
    swept = leftovers.sweep()  # the next command that writes
    assert swept.exports == 1 and "1 export cut short" in swept.said
    # The calendar Outlook subscribes to stays, as it was: no entry records a calendar, and
    # its name only ever holds a whole one.
    assert list(ics.parent.iterdir()) == [ics] and ics.read_bytes() == before
    assert _announced() == 0 and not leftovers.sweep()
