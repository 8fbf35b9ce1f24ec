"""A destruction held to the service's rules (audit_destructions) on the day it could really
have been written, with the retention years in force then: a destruction written with the
clock ahead (v16b X1) and one made before `retention_years` was raised (b16c F11) are lawful
and pass `audit verify`; one that was not due on its real day still fails."""

from __future__ import annotations

import json

import pytest

from crm_tui.config import Config
from crm_tui.db.models import AuditEntry
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit, settings
from crm_tui.services.retention import archive
from tests import builders

# A file archived on the suite's day (28 Nov 2026) is due for destruction on 28 Nov 2032.
AHEAD = "2033-02-01T10:00:00"


def _destroyed_ahead(actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch,
                     real: str) -> int:
    """The file destroyed while the clock read AHEAD, then the clock set back to `real` and
    an ordinary entry written at it, as the team's next work would."""
    ref = builders.at_state(actors, CaseState.ARCHIVED)
    monkeypatch.setenv("CRM_TUI_NOW", AHEAD)
    archive.destroy(actors[Role.CRM], ref)
    seq = int(AuditEntry.select(AuditEntry.seq).where(AuditEntry.action == "destroy").scalar())
    monkeypatch.setenv("CRM_TUI_NOW", real)
    audit.record(actors[Role.CRM], "note_written", reason="The next morning's work")
    return seq


def test_a_destruction_written_with_the_clock_ahead_is_noted_not_broken(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    """Due on its real day (the entry after it is dated 1 Dec 2032): the trail holds, with the
    note of an entry dated before the one above it, as for any entry written ahead."""
    _destroyed_ahead(actors, monkeypatch, "2032-12-01T09:00:00")
    result = audit.verify()
    assert result.ok, result.problem
    assert result.backwards and "the clock was set back" in result.clock_note


def test_a_destruction_not_due_on_its_real_day_still_fails(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    """The entry written after it is dated 1 Nov 2032, before the file's retention ended on
    28 Nov 2032: the clock ahead destroyed it early, and that is said."""
    seq = _destroyed_ahead(actors, monkeypatch, "2032-11-01T09:00:00")
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == seq
    assert f"entry {seq} destroyed" in result.problem
    assert "(written by 2032-11-01: the clock was ahead when it was written)" in result.problem


def test_raising_the_retention_years_afterwards_leaves_a_lawful_destruction_intact(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(actors, CaseState.ARCHIVED)
    monkeypatch.setenv("CRM_TUI_NOW", "2032-12-01T09:00:00")
    archive.destroy(actors[Role.CRM], ref)
    entry = AuditEntry.get(AuditEntry.action == "destroy")
    assert json.loads(entry.payload)["retention_years"] == 6
    settings.configure(Config(retention_years=10))
    result = audit.verify()
    assert result.ok, result.problem
