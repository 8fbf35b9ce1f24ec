"""A person who has left (deactivated) is shown as such: the Team screen marks them with the
day and offers no "act as"; Home's notice of new decision-role holders says they have since
left (b15d F2: both read as if the person still held the role)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from crm_tui import clock
from crm_tui.db.connection import open_database
from crm_tui.domain.roles import Role
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import confirmation, users
from crm_tui.services.letters import signing_keys
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.team import TeamScreen
from crm_tui.ui.widgets.fitted_table import FittedTable
from tests.ui.keys import press_settled, settle

SIZE = (100, 30)


def add_and_deactivate(db: Path) -> None:
    open_database(db)
    admin = users.resolve_actor("morgan.price")
    with confirmation.given(signing_keys.DEMO_PASSPHRASE):
        users.add_user(admin, "dora.gone", "Dora Departed", Role.CRM, staff_id="E77001")
        users.deactivate(admin, "dora.gone", "Left the council")


async def test_team_marks_a_person_who_left_and_does_not_offer_to_act_as_them(
        db: Path) -> None:
    add_and_deactivate(db)
    today = in_prose(clock.now().date())
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "t")
        screen = app.screen
        assert isinstance(screen, TeamScreen)
        table = screen.query_one(DataTable)
        logins = [u.login for u in screen.rows]
        assert logins[-1] == "dora.gone"  # those who may act come first
        name = str(screen.query_one(FittedTable).row_cells(len(logins) - 1)[1])
        assert name == f"Dora Departed (left {today})", name
        table.move_cursor(row=len(logins) - 1)
        await settle(pilot)
        duties = str(screen.query_one("#duties", Static).render())
        assert f"inactive since {today}" in duties, duties
        assert "act as this user" not in duties
        assert "no one can act as them" in duties
        await press_settled(pilot, "enter")
        assert app.actor.login == "ceri.hughes"
        assert any("Dora Departed has left" in n.message for n in app._notifications), \
            [n.message for n in app._notifications]


def test_home_notice_says_a_new_holder_has_since_left(db: Path) -> None:
    add_and_deactivate(db)
    notices = users.decision_role_notices(users.resolve_actor("ceri.hughes"))
    dora = [n for n in notices if n.startswith("Dora Departed (dora.gone)")]
    assert len(dora) == 1, notices
    assert dora[0].endswith(
        f"; has since left: access ended on {in_prose(clock.now().date(), full_month=True)}"), \
        dora[0]
