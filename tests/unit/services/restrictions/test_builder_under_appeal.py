"""The builder's view of a case under appeal (t15 F4): the decision appealed against stands
while the appeal is decided, so the builder shows it (what, who, when, its dates, the Head of
Service's view it rested on, the appeal lodged since), not a consultation still to come."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from crm_tui.db.connection import open_database
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.outcomes import ConsultationView
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.restrictions import builder
from tests.demo_copies import copy_demo

UNDER_APPEAL = "UPV-2026-0004"  # the demo's: restrictions imposed, then appealed


def test_a_case_under_appeal_shows_the_decision_appealed_and_its_view(
        demo_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, path)
    open_database(path)
    view = builder.builder_view(resolve_actor("ceri.hughes"), UNDER_APPEAL)
    assert view.under_appeal and view.shows_decision and not view.drafts
    decided = view.decided
    assert decided is not None
    assert decided.action is Action.IMPOSE_RESTRICTIONS and decided.decided_by == "Ceri Hughes"
    assert decided.starts_on == date(2026, 11, 8) and decided.review_due == date(2027, 11, 8)
    assert decided.view is not None and decided.view.view is ConsultationView.AGREES
    assert decided.view.consultee == "Priya Raman"
    assert [step.what for step in decided.since] == ["Appeal lodged"]


def test_a_restricted_case_is_not_read_as_under_appeal(demo_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, path)
    open_database(path)
    view = builder.builder_view(resolve_actor("ceri.hughes"), "UPV-2025-0006")
    assert view.summary.state.value == "restricted"
    assert not view.under_appeal and view.shows_decision
