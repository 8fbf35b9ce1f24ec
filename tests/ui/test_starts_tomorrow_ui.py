"""Restrictions decided today to start tomorrow are decided, not yet in force (t15 F6): the
case file said "RESTRICTIONS IN FORCE", Home counted them in force and the builder listed them
as in force now, the day before the customer was restricted. One rule (domain/in_force.py)
says when restrictions are in force, read the same by the counts, the case file, the builder
and the breach check."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from textual.widgets import DataTable, Static

from crm_tui import clock
from crm_tui.db.connection import open_database
from crm_tui.db.models import Case
from crm_tui.services.core import confirmation
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.intake import case_file, queries
from crm_tui.services.restrictions import builder, compliance, decisions, register
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests import builders
from tests.demo_decided import CONSIDERING, ready_to_decide
from tests.ui.keys import settle

TOMORROW = date(2026, 11, 29)  # the suite's frozen day is 28 Nov 2026


def decided_to_start_tomorrow(db: Path) -> None:
    ready_to_decide(db)
    crm = resolve_actor("ceri.hughes")
    with confirmation.given(DEMO_PASSPHRASE):
        terms = replace(builder.decision_defaults(crm, CONSIDERING), starts_on=TOMORROW)
        decisions.impose_restrictions(crm, CONSIDERING, "Calls all day to many officers",
                                      terms, read=builders.read(CONSIDERING),
                                      customer_reason=builders.TOLD)


def test_decided_today_to_start_tomorrow_is_not_in_force_until_tomorrow(db: Path) -> None:
    open_database(db)
    crm = resolve_actor("ceri.hughes")
    before = queries.dashboard(crm)
    decided_to_start_tomorrow(db)
    customer = Case.get(Case.reference == CONSIDERING).customer_id
    today = queries.dashboard(crm)
    assert today.restrictions_in_force == before.restrictions_in_force
    assert today.restrictions_starting == before.restrictions_starting + 1
    assert case_file.case_file(crm, CONSIDERING).starts_on == TOMORROW
    assert compliance.restrictions_on(customer, clock.today()) == []
    # The staff register says from when, so that no desk applies them early.
    [entry] = [e for e in register.staff_register(crm) if e.case_reference == CONSIDERING]
    assert all(line.startswith("From 29 Nov 2026, not yet in force: ") for line in entry.handling)
    with clock.travel_to(datetime(2026, 11, 29, 9, 0)):
        tomorrow = queries.dashboard(crm)
        assert tomorrow.restrictions_in_force == before.restrictions_in_force + 1
        assert tomorrow.restrictions_starting == before.restrictions_starting
        assert case_file.case_file(crm, CONSIDERING).starts_on is None
        assert len(compliance.restrictions_on(customer, TOMORROW)) == 2
        [entry] = [e for e in register.staff_register(crm) if e.case_reference == CONSIDERING]
        assert not any(line.startswith("From ") for line in entry.handling)


async def test_the_screens_say_from_tomorrow_not_in_force(db: Path) -> None:
    decided_to_start_tomorrow(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen(CONSIDERING))
        await settle(pilot)
        panel = " ".join(str(app.screen.query_one("#in-force", Static).render()).split())
        assert panel.startswith("RESTRICTIONS FROM 29 Nov 2026 (decided, not yet in force)")
        assert "IN FORCE" not in panel
        app.push_screen(RestrictionBuilderScreen(CONSIDERING))
        await settle(pilot)
        rows = app.screen.query_one("#in-force", DataTable)
        assert rows.row_count == 2
        assert all(str(rows.get_row_at(i)[0]).startswith(
            "From 29 Nov 2026, not yet in force: ") for i in range(rows.row_count))
        detail = " ".join(str(app.screen.query_one("#draft-detail").render()).split())
        assert "the 2 restrictions decided start on 29 Nov 2026 (below)" in detail
        decided = " ".join(str(app.screen.query_one("#consultation-panel").render()).split())
        assert "Decided, not yet in force: from 29 Nov 2026" in decided
        app.open_area("home")
        await settle(pilot)
        notice = " ".join(str(app.screen.query_one("#starting-notice", Static).render())
                          .split())
        assert notice.startswith("Restrictions decided, not yet in force: 1 customer")
