"""A person who has left (deactivated) is shown as such: the Team screen marks them with the
day and offers no "act as"; Home's notice of new decision-role holders says they have since
left (b15d F2: both read as if the person still held the role)."""

from __future__ import annotations

from pathlib import Path

import pytest
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
from tests.ui.keys import press_settled, settle, shown_keys

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


LONG = "Ana [/b] Tag [link=https://evil.example]Officer"


def add_long_named_and_deactivate(db: Path) -> None:
    open_database(db)
    admin = users.resolve_actor("morgan.price")
    with confirmation.given(signing_keys.DEMO_PASSPHRASE):
        users.add_user(admin, "ana.tag", LONG, Role.OFFICER, staff_id="E77002")
        users.deactivate(admin, "ana.tag", "Left the council")


def shown_lines(app: object) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
async def test_a_long_name_keeps_its_left_mark_and_leaves_the_roles_their_room(
        db: Path, size: tuple[int, int]) -> None:
    add_long_named_and_deactivate(db)
    today = in_prose(clock.now().date())
    app = create_app(str(db), "ceri.hughes", demo=True)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press_settled(pilot, "t")
        screen = app.screen
        assert isinstance(screen, TeamScreen)
        lines = shown_lines(app)
        # The name is cut, the day she left is not.
        ana = [line for line in lines if "Ana" in line and "(left " in line]
        assert len(ana) == 1 and f"… (left {today})" in ana[0], lines
        # One long name no longer cuts every role: the CRM's and the officers' stand whole.
        ceri = next(line for line in lines if "▕   Ceri Hughes" in line)
        assert "Complaints Resolution Manager " in ceri + " ", ceri
        tomasz = next(line for line in lines if "Tomasz Nowak" in line)
        assert "Complaints Resolution Team officer" in tomasz, tomasz
        # On her row the footer offers no "Act as"; on the row above it does.
        table = screen.query_one(DataTable)
        await press_settled(pilot, "end")
        assert screen.rows[table.cursor_row].login == "ana.tag"
        assert "enter" not in shown_keys(app), shown_keys(app)
        await press_settled(pilot, "home")
        assert "enter" in shown_keys(app), shown_keys(app)


async def test_the_cursor_stays_on_the_person_acted_as(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "t", "down", "down", "down")
        screen = app.screen
        assert isinstance(screen, TeamScreen)
        chosen = screen.rows[3]
        await press_settled(pilot, "enter")
        assert app.actor.login == chosen.login
        table = screen.query_one(DataTable)
        assert screen.rows[table.cursor_row].login == chosen.login
        duties = str(screen.query_one("#duties", Static).render())
        assert duties.startswith(f"{chosen.name} ({chosen.login})"), duties


async def test_at_200_columns_a_long_name_who_left_leaves_the_logins_and_areas_whole(
        db: Path) -> None:
    """v15c m5: at 200x60 one long name with its "(left …)" took 62 columns and the role 68,
    and the logins ("hannah.okaf…") and the service area ("Council Tax and B…") were cut."""
    open_database(db)
    admin = users.resolve_actor("morgan.price")
    long_name = "Bartholomew Fitzwilliam-Montgomery-Aldridge"
    with confirmation.given(signing_keys.DEMO_PASSPHRASE):
        users.add_user(admin, "bartholomew.fitz", long_name, Role.SERVICE_AREA_MANAGER,
                       staff_id="E77003", service_area="Housing Services")
        users.deactivate(admin, "bartholomew.fitz", "Left the council")
    today = in_prose(clock.now().date())
    app = create_app(str(db), "ceri.hughes", demo=True)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        await press_settled(pilot, "t")
        table = app.screen.query_one(FittedTable)
        lines = shown_lines(app)
        for login, area in (("hannah.okafor", "Housing Services"),
                            ("liam.doyle", "Council Tax and Benefits")):
            row = next(line for line in lines if f" {login} " in line)
            assert f" {area} " in row, row
        # Every column shown, each whole but the one long name, which keeps its mark.
        assert table.shown_columns == ["login", "name", "role", "area", "telephone"]
        widths = {str(k.value): c.width for k, c in table.columns.items()}
        for key, index in (("login", 0), ("role", 2), ("area", 3), ("telephone", 4)):
            longest = max(len(str(table.row_cells(r)[index])) for r in range(table.row_count))
            assert widths[key] >= longest, (key, widths)
        bart = next(line for line in lines if "Bartholomew" in line)
        assert f"… (left {today})" in bart and "Service area manager" in bart, bart
        for size in ((100, 30), (80, 24)):  # narrower, as before: the line under gives them
            await pilot.resize_terminal(*size)
            await settle(pilot)
            assert "area" not in table.shown_columns and "login" not in table.shown_columns
