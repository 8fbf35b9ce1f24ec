"""v16g G4: `CRM_TUI_NOW` given with a UTC offset was recorded with the offset dropped (an
entry dated hours off), and a time later the same day than the computer's clock was recorded,
the guard comparing by the day; `audit verify` then blamed the next honest entry for a clock
set back. It is read as an instant now, converted to this computer's local time as the app
stores times, and refused more than 2 minutes ahead of the computer's clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui import clock
from crm_tui.cli import main
from crm_tui.db.models import AuditEntry, Case, Customer
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit
from crm_tui.services.restrictions import decisions
from tests import builders, outside


def _computer_at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(clock, "computer_now", lambda: moment)


def _local(moment: datetime) -> datetime:
    """An instant on this computer's clock, as the app stores it (no offset)."""
    return moment.astimezone().replace(tzinfo=None)


def test_an_offset_is_honoured_not_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_TUI_NOW", "2026-11-28T23:30:00-12:00")
    assert clock.now() == _local(datetime(2026, 11, 29, 11, 30, tzinfo=UTC))
    monkeypatch.setenv("CRM_TUI_NOW", "2026-11-28T09:15:00+00:00")
    assert clock.now() == _local(datetime(2026, 11, 28, 9, 15, tzinfo=UTC))
    # Without an offset it is this computer's local time, as before.
    monkeypatch.setenv("CRM_TUI_NOW", "2026-11-28T09:15:00")
    assert clock.now() == datetime(2026, 11, 28, 9, 15)


def test_later_the_same_day_is_refused_beyond_two_minutes(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    restricted = builders.at_state(actors, CaseState.RESTRICTED)
    monkeypatch.setenv("CRM_TUI_NOW", "2033-01-01T14:30:00")  # the restriction has ended
    _computer_at(monkeypatch, datetime(2033, 1, 1, 10, 0))
    before = AuditEntry.select().count()
    with pytest.raises(audit.DatedAhead, match=(
            "the app's clock says 14:30 on 1 Jan 2033 but the computer's clock says 10:00, "
            "more than 2 minutes earlier: CRM_TUI_NOW is set, and a step is never recorded "
            "dated ahead of the computer's clock; nothing was recorded")):
        decisions.expire_due(actors[Role.CRM])
    assert AuditEntry.select().count() == before
    # Within the 2 minutes a command takes to start: recorded.
    _computer_at(monkeypatch, datetime(2033, 1, 1, 14, 28, 30))
    decisions.expire_due(actors[Role.CRM])
    assert AuditEntry.select().count() > before
    assert Case.get(Case.reference == restricted).state != CaseState.RESTRICTED.value


def test_the_cli_refuses_an_offset_that_puts_the_clock_ahead(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The report's steps: 23:30 at -12:00 is 11:30 UTC the next day; the computer's clock an
    hour before that instant. Refused, nothing recorded; the same instant on the computer's
    clock is recorded dated as that instant, not as 23:30."""
    reference = builders.at_state(actors, CaseState.NEW)
    acting_as("crm")
    given = "2026-11-28T23:30:00-12:00"
    instant = _local(datetime(2026, 11, 29, 11, 30, tzinfo=UTC))
    monkeypatch.setenv("CRM_TUI_NOW", given)
    _computer_at(monkeypatch, instant - timedelta(hours=1))
    before = AuditEntry.select().count()
    args = ["customer", "contact", reference, "--address", "2 Tide Street, Northmere",
            "--db", outside.target(db_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "CRM_TUI_NOW is set, and a step is never recorded dated ahead" in result.stderr
    assert AuditEntry.select().count() == before
    assert not Customer.select().where(Customer.address.contains("Tide Street")).exists()
    _computer_at(monkeypatch, instant)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    last = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
    assert last.at == instant.isoformat(timespec="seconds")
    assert audit.verify().ok
