"""The header (issue 15): the council's name and the acting person whatever the width; the
role is shortened first."""

from __future__ import annotations

from pathlib import Path

from crm_tui.ui.app import create_app
from crm_tui.ui.widgets.app_header import FittedTitle, fit_title
from tests.ui.keys import settle

TITLE = "Northmere City Council — DEMO DATA"
WHO = "Gareth Bell · Service Director, Legal & Business Operations (or nominated officer)"


def test_the_role_is_shortened_then_dropped_before_the_council_or_the_person() -> None:
    assert fit_title(TITLE, WHO, 200) == (TITLE, WHO)
    assert fit_title(TITLE, WHO, 70) == (TITLE, "Gareth Bell · Service Director")
    assert fit_title(TITLE, WHO, 62) == ("Northmere City Council — DEMO",
                                         "Gareth Bell · Service Director")
    assert fit_title(TITLE, WHO, 45) == ("Northmere City Council — DEMO", "Gareth Bell")
    head, person = fit_title(TITLE, WHO, 35)
    assert person == "Gareth Bell" and head.startswith("Northmere") and "…" in head
    assert len(head) + 3 + len(person) <= 35


async def test_the_header_keeps_the_council_and_the_person_at_80_columns(db: Path) -> None:
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        title = app.screen.query_one(FittedTitle)
        shown = str(title.render())
        assert "Northmere City Council" in shown and "Gareth Bell" in shown
        assert len(shown) <= title.content_region.width
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        assert "Legal & Business Operations" in str(title.render())


LONG = "Ana [/b] Tag [link=https://evil.example]Officer"


def test_a_long_name_is_cut_with_an_ellipsis_before_the_role_is_dropped() -> None:
    """v15 N5: a long acting name dropped the role, with no "…"."""
    who = f"{LONG} · Complaints Resolution Team officer"
    assert fit_title(TITLE, who, 100) == (TITLE, f"{LONG} · Team officer")
    head, tail = fit_title(TITLE, who, 70)
    assert head == "Northmere City Council — DEMO"
    assert tail == "Ana [/b] Tag [link=htt… · Team officer"
    assert len(head) + 3 + len(tail) <= 70


async def test_a_long_name_keeps_the_role_in_the_header_at_100_and_80_columns(
        db: Path) -> None:
    from crm_tui.db.connection import open_database
    from crm_tui.db.models import database_proxy
    from tests import builders

    open_database(db)
    builders.renamed("tomasz.nowak", LONG)
    database_proxy.close()
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        title = app.screen.query_one(FittedTitle)
        for size in ((100, 30), (80, 24)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            shown = str(title.render())
            assert shown.endswith(" · Team officer"), (size, shown)
            assert "Ana [/b] Tag" in shown and "Northmere City Council" in shown, shown
            assert len(shown) <= title.content_region.width
        assert "…" in shown, shown  # at 80 columns the name is cut, and says so


async def test_every_role_is_in_the_header_at_80x24_shortened_if_need_be(db: Path) -> None:
    """v15c m6: at 80x24 the header left out the user administrator's role ("… — Morgan
    Price"), which had no short form, while the CRM's was shortened to "CRM". Every role has
    one now, and is shown, whole or short, beside a name whole."""
    from crm_tui.db.connection import open_database
    from crm_tui.db.models import User, database_proxy
    from crm_tui.domain.roles import Role

    open_database(db)
    holders = {Role(u.role): u for u in User.select().where(User.active == True)  # noqa: E712
               .order_by(User.id)}
    database_proxy.close()
    assert set(holders) == set(Role)
    for role, user in holders.items():
        app = create_app(str(db), user.login)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            title = app.screen.query_one(FittedTitle)
            shown = str(title.render())
            assert shown.endswith((f"{user.name} · {role.label}",
                                   f"{user.name} · {role.short_label}")), (role, shown)
            assert len(shown) <= title.content_region.width
        database_proxy.close()
