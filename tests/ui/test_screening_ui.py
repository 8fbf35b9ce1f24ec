"""Screening post by keys: the queue from the home screen, the palette and the calendar; an
outcome given in the dialog; refusals for whoever may not give one and for a second outcome;
the customer's words shown as plain text."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Input, Static

from crm_tui import clock
from crm_tui.db.models import AuditEntry, ScreeningItem
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.screening import ScreeningOutcome
from crm_tui.services.core import users
from crm_tui.services.evidence import contacts, screening
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.evidence.screening import ScreeningDecision
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.screening_outcome import ScreeningOutcomeDialog
from crm_tui.ui.screens.screening import ScreeningScreen
from tests.ui.keys import settle
from tests.ui.test_footers import shown_keys

SIZE = (140, 40)


def _state() -> tuple[list[tuple[int, str]], int]:
    """The queue's outcomes and the audit trail's length: what a refusal must leave alone."""
    outcomes = [(i.id, i.outcome) for i in ScreeningItem.select().order_by(ScreeningItem.id)]
    return outcomes, AuditEntry.select().count()


def _said(app: CrmApp) -> list[str]:
    return [n.message for n in app._notifications]


async def _queue(pilot: Any, app: CrmApp, notice: str = "") -> ScreeningScreen:
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)
    if notice:
        assert notice in str(app.screen.query_one("#screening-notice", Static).render())
    await pilot.press("s")
    await settle(pilot)
    assert isinstance(app.screen, ScreeningScreen)
    return app.screen


def _detail(screen: ScreeningScreen) -> str:
    return str(screen.query_one("#item-detail", Static).render())


async def test_from_the_home_screen_an_item_is_read_and_passed_on(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _queue(pilot, app, "Post filed without reply: 7 to read, 5 past the "
                                          "read-by date (2 working days after arriving).")
        assert screen.query_one("#queue", DataTable).row_count == 7
        first = screen.highlighted  # the oldest unread: a call on a blocked channel
        assert first is not None and first.case_reference == "UPV-2025-0005"
        assert "Read by Tuesday 24 November 2026 — OVERDUE" in _detail(screen)
        assert "Do not reply by telephone: telephone and electronic contact is blocked" in \
            _detail(screen)
        # One key for the outcome in the footer: Enter's, not "o Outcome" beside it.
        assert "enter" in shown_keys(app) and "o" not in shown_keys(app)
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ScreeningOutcomeDialog)
        await pilot.press("ctrl+s")  # nothing chosen: filing is a decision too
        await settle(pilot)
        # Under the choices, as every form's problem is under its field (it was above them).
        problem = dialog.query_one("#outcome-error")
        assert "Choose the outcome" in str(problem.render()) and problem.display
        assert problem.region.y > dialog.query_one("#outcome").region.y
        assert str(dialog.query_one("#form-error", Static).render()) == ""
        await pilot.press("down", "down", "space", "ctrl+s")  # passed on, but to whom?
        await settle(pilot)
        assert dialog.query_one("#passed_to", Input).has_class("-problem")
        assert app.focused is dialog.query_one("#passed_to", Input)
        assert ScreeningItem.get_by_id(first.id).outcome == ""
        await pilot.press(*"Jo Carter", "tab", *"Phoned the duty line", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        item = ScreeningItem.get_by_id(first.id)
        assert (item.outcome, item.passed_to, item.passed_how) == (
            "passed_on", "Jo Carter", "Phoned the duty line")
        assert item.screened_by.login == "ceri.hughes"
        assert screen.query_one("#queue", DataTable).row_count == 6
        assert any("Emergency or safeguarding" in m for m in _said(app))


async def test_a_service_area_manager_reads_their_areas_queue_but_gives_no_outcome(
        db: Path) -> None:
    app = create_app(str(db), "hannah.okafor")  # Housing Services
    async with app.run_test(size=SIZE) as pilot:
        screen = await _queue(pilot, app)
        assert {r.service_area for r in screen.rows.values()} == {"Housing Services"}
        before = _state()
        for key in ("o", "enter"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is screen
            assert _said(app)  # each key says why at once
        assert _state() == before
        said = _said(app)
        # The same refusal twice: the second replaces the first on show, never stacked.
        assert len(said) == 1 and all(
            m.startswith("Only the Complaints Resolution Team (the CRM and its officers) "
                         "screens post filed without reply") for m in said)
        assert "The Complaints Resolution Team reads each item" in str(
            screen.query_one("#queue-title", Static).render())


async def test_a_second_outcome_is_refused_on_the_screen(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _queue(pilot, app)
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ScreeningOutcomeDialog)
        # Meanwhile the CRM reads the same item and files it.
        screening.record_outcome(users.resolve_actor("ceri.hughes"), dialog.item.id,
                                 ScreeningDecision(ScreeningOutcome.FILED))
        before = _state()
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        assert app.screen is dialog and _state() == before
        assert "This contact was already screened by Ceri Hughes on 28 November 2026" in str(
            dialog.query_one("#form-error", Static).render())
        await pilot.press("escape")  # an outcome was chosen: asked before it is thrown away
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("f")  # the screened items: none takes a second outcome
        await settle(pilot)
        assert screen.screened and screen.highlighted is not None
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and _state() == before
        assert any("an outcome is given once" in m for m in _said(app))


async def test_the_customers_words_are_shown_as_plain_text(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    contacts.log_contact(users.resolve_actor("tomasz.nowak"), "UPV-2025-0005", ContactInput(
        at=clock.now() - timedelta(days=10), channel=Channel.EMAIL, direction=Direction.INBOUND,
        service_area="Council Tax and Benefits", officer_name="Gita Shah",
        summary="[bold red]Help[/] me [link=x]now[/link]"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _queue(pilot, app)
        assert screen.highlighted is not None
        assert "[bold red]Help[/] me [link=x]now[/link]" in _detail(screen)
        await pilot.press("enter")
        await settle(pilot)
        assert "[bold red]Help[/] me" in str(app.screen.query_one("#contact", Static).render())


async def test_the_palette_and_the_calendar_open_the_queue(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"screen post")
        await settle(pilot)  # the palette's search, a worker
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ScreeningScreen) and not app.screen.case_reference
        await pilot.press("escape", "d")
        await settle(pilot)
        calendar = app.screen
        await pilot.press("left", "enter")  # Friday 27 November: post was to be read by then
        await settle(pilot)
        items = calendar.agenda_items  # type: ignore[attr-defined]
        index = next(i for i, item in enumerate(items) if item.kind.value == "screening")
        await pilot.press(*["down"] * index, "enter")
        await settle(pilot)
        assert isinstance(app.screen, ScreeningScreen)
        assert app.screen.case_reference == items[index].reference
        assert {r.case_reference for r in app.screen.rows.values()} == {items[index].reference}
        await pilot.press("x")
        await settle(pilot)
        assert len(app.screen.rows) == 7
