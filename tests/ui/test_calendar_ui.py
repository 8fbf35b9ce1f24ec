"""The review calendar, a whole review session and an appeal, by keys."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, TextArea
from textual.widgets._footer import FooterKey

from crm_tui.db.models import Appeal, Case, ReviewSession
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.help import HelpScreen
from crm_tui.ui.screens.calendar import CalendarScreen
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.ui.keys import press_settled, settle

SIZE = (140, 40)


def text_of(app: CrmApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_calendar_moves_by_day_and_month(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        assert "November 2026" in text_of(app, "#month-title")
        # Monday 23 November: nothing due (the post to screen falls due later that week), so
        # the agenda lists all
        await pilot.press(*["left"] * 5)
        await settle(pilot)
        assert "Monday 23 November 2026: nothing due" in text_of(app, "#agenda-title")
        await pilot.press("up", "up")  # two weeks back: Monday 9 November
        assert screen.selected.isoformat() == "2026-11-09"
        await pilot.press("pagedown")
        await settle(pilot)
        assert "December 2026" in text_of(app, "#month-title")
        await pilot.press("0")
        await settle(pilot)
        assert screen.selected.isoformat() == "2026-11-28"
        await pilot.press("enter")  # the day's items (a file due for destruction)
        await settle(pilot)
        agenda = app.screen.query_one("#agenda", DataTable)
        assert agenda.has_focus and agenda.row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)


async def test_a_whole_review_session_by_keys(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "d", "s")
        await pilot.press("ctrl+s")  # reviews due in the next 30 days
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewSessionScreen) and screen.info is not None
        total = len(screen.info.references)
        first = screen.info.current
        assert total >= 3 and "case 1 of" in text_of(app, "#session-title")
        # continue the first unchanged
        await pilot.press("c")
        await settle(pilot)
        app.screen.query_one(TextArea).text = "Contact continues; the restriction is needed"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")  # asked first, as lifting is (t15c F7)
        await settle(pilot)
        # on past the second, which awaits the customer's comments, to the next decidable
        assert screen.info.position == 2
        assert Case.get(Case.reference == first).state == "restricted"
        # pause and resume where it was left
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("enter")  # "Resume"
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewSessionScreen) and screen.info is not None
        assert screen.info.position == 2  # resumed where it was left
        await pilot.press("left")
        await settle(pilot)
        assert screen.info.position == 1
        # the second awaits the customer's comments on a proposed extension: neither
        # continuing nor changing the period is offered; each key says why at once
        assert Case.get(Case.reference == screen.info.current).reply_by is not None
        for key in ("c", "r"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is screen
        assert "until 11 Dec 2026" in str(list(app._notifications)[-1].message)
        footer = " ".join(b.binding.description for b in screen.active_bindings.values()
                          if b.enabled and b.binding.show)
        assert "Continue unchanged" not in footer and "Lift" in footer
        await pilot.press("right")
        await settle(pilot)
        # change the review period of the third, with a reason
        second = screen.info.current
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("enter")  # personal circumstances
        await settle(pilot)
        app.screen.query_one("#next_review", Input).value = "01/03/2027"
        app.screen.query_one("#note", Input).value = "Health is changing"
        app.screen.query_one("#reason", Input).value = "Restrictions still needed"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert str(Case.get(Case.reference == second).review_due) == "2027-03-01"
        # step past the rest: the session ends
        for _ in range(total):
            await pilot.press("right")
            await settle(pilot)
        assert "finished" in text_of(app, "#session-title")
        assert ReviewSession.select().where(~ReviewSession.finished).count() == 0


async def test_record_and_decide_an_appeal_by_keys(db: Path) -> None:
    ref = "UPV-2025-0004"
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen(ref))
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        app.screen.query_one("#grounds", Input).value = "The email address is not mine"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert Case.get(Case.reference == ref).state == "under_appeal"
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen(ref))
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # removed
        await settle(pilot)
        app.screen.query_one("#reason", TextArea).text = (
            "Not proportionate: one address was wrong")
        app.screen.query_one("#customer_reason", TextArea).text = (
            "One of the addresses we used was wrong, so the limits end now.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")  # yes to "Decide the appeal … as Gareth Bell, Service Director…?"
        await settle(pilot)
        assert Case.get(Case.reference == ref).state == "ended"
        assert Appeal.get(Appeal.outcome == "removed").reason.startswith("Not proportionate")


async def test_the_agenda_has_room_at_100x30_and_80x24(db: Path) -> None:
    from textual.widgets.data_table import ColumnKey

    from crm_tui.ui.widgets.fitted_table import FittedTable

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_area("calendar")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        assert screen.query_one("#month").size.width <= 42  # seven days of six columns
        agenda = screen.query_one("#agenda", FittedTable)
        assert agenda.row_count > 0
        customers = [str(agenda.row_cells(i)[3]) for i in range(agenda.row_count)]
        kinds = [str(agenda.row_cells(i)[1]) for i in range(agenda.row_count)]
        for width, height in ((100, 30), (80, 24)):
            await pilot.resize_terminal(width, height)
            await settle(pilot)
            assert agenda.shown_columns == ["date", "kind", "case", "customer"]
            # The customer and what is due whole at 100 columns (it was one letter).
            if width == 100:
                assert agenda.columns[ColumnKey("customer")].width >= max(map(len, customers))
                assert agenda.columns[ColumnKey("kind")].width >= max(map(len, kinds))
            # At 80 the customer, least important, is cut before what is due (v15f N2).
            assert agenda.columns[ColumnKey("customer")].width >= 12
            assert agenda.region.right <= screen.region.right


async def test_a_refused_export_path_is_said_in_words_without_the_options_name(
        db: Path, tmp_path: Path) -> None:
    """The command line's refusal names its option (`ics: …`); in the dialog the path is the
    field, and the refusal read "ics: /…/notes.txt already exists…" (found when tried)."""
    from crm_tui.ui.dialogs.path_prompt import PathDialog

    notes = tmp_path / "notes.ics"
    notes.write_text("The officer's own notes, not a calendar.\n")
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "d", "x")
        assert isinstance(app.screen, PathDialog)
        app.screen.query_one("#path", Input).value = str(notes)
        await press_settled(pilot, "enter")
        said = text_of(app, "#error")
        assert said.startswith(f"{notes} already exists and is not a calendar"), said
        assert notes.read_text().startswith("The officer's own notes")


async def test_the_footer_names_enter_and_the_help_lists_enter_and_the_arrows(
        db: Path) -> None:
    """b15b 6: the calendar's footer showed no Enter and its help listed neither Enter nor
    the arrows, the keys the month is read with."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await press_settled(pilot, "d")

        def footer_keys() -> dict[str, str]:
            return {k.key: k.description for k in app.screen.query(FooterKey) if k.display}

        assert footer_keys().get("enter") == "Items"
        await press_settled(pilot, "0", "enter")  # today's items: the agenda has the focus
        assert app.screen.query_one("#agenda", DataTable).has_focus
        assert footer_keys().get("enter") == "Open"
        await press_settled(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        lines = app.screen.text().splitlines()
        for key, words in (("⏎", "Day's items / open"), ("←", "Day before"),
                           ("→", "Day after"), ("↑", "Week before"), ("↓", "Week after")):
            assert any(line.startswith(f"{key}  {words} — ") and "(not now)" not in line
                       for line in lines), key
        await press_settled(pilot, "escape", "escape")  # the help, then the agenda's focus
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        before = screen.selected
        screen.set_focus(None)  # the arrows act from anywhere on the screen, as listed
        await press_settled(pilot, "down")
        assert (screen.selected - before).days == 7


async def test_arrows_move_by_day_across_weeks_and_months(db: Path) -> None:
    """t15 9: `→` on a Sunday and `←` on a Monday did nothing (the month's grid stopped at
    its week's edge), nor did `↑` in the month's first week: a CRM stepping through the
    agenda day by day thought the days beyond were empty."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await press_settled(pilot, "d", "0")  # today: Saturday 28 November 2026
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        await press_settled(pilot, "right", "right")  # Sunday 29, then over the week's edge
        assert screen.selected.isoformat() == "2026-11-30"
        assert "Monday 30 November 2026" in text_of(app, "#agenda-title")
        await press_settled(pilot, "left")  # back over it, from a Monday
        assert screen.selected.isoformat() == "2026-11-29"
        await press_settled(pilot, "right", "right")  # into December: its month is shown
        assert screen.selected.isoformat() == "2026-12-01"
        assert "December 2026" in text_of(app, "#month-title")
        assert "Tuesday 1 December 2026" in text_of(app, "#agenda-title")
        await press_settled(pilot, "up")  # a week back, in November again
        assert screen.selected.isoformat() == "2026-11-24"
        assert "November 2026" in text_of(app, "#month-title")


def _comments_received_on_the_case_that_awaits_them() -> str:
    """The customer's comments recorded on the demo's case invited to comment (as in a
    review session, `m`): its obligation becomes "Comments received: decide review", the
    longest the calendar lists."""
    import threading
    from datetime import date

    from crm_tui.services.core.database import session
    from crm_tui.services.core.users import resolve_actor
    from crm_tui.services.reviews import review_session

    found: list[str] = []

    def step() -> None:
        with session():
            ref = Case.get(Case.reply_by.is_null(False)).reference
            review_session.record_comments(resolve_actor("ceri.hughes"), ref,
                                           "They say the restrictions are unfair",
                                           date(2026, 11, 28))
            found.append(ref)
    other = threading.Thread(target=step)
    other.start()
    other.join()
    return found[0]


async def test_the_agenda_keeps_its_dates_beside_a_long_obligation(db: Path) -> None:
    """v15f N2: once an obligation read "Comments received: decide review", the list of
    "Overdue, then the next 30 days" at 100x30 and 80x24 kept that whole and left out the
    Date column: eighteen obligations and no date. The date and the case always show; the
    obligation is cut (ending in "…") before either goes; the customer comes last."""
    from textual.widgets.data_table import ColumnKey

    from crm_tui.services.reviews.calendar import Obligation
    from crm_tui.ui.widgets.fitted_table import FittedTable

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        ref = _comments_received_on_the_case_that_awaits_them()
        await press_settled(pilot, "d", "0")
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        # A day with nothing due: the agenda lists the overdue, then the next 30 days.
        while screen.view is not None and screen.view.by_day.get(screen.selected):
            await press_settled(pilot, "down")
        assert "Overdue, then the next 30 days" in text_of(app, "#agenda-title")
        await press_settled(pilot, "enter")
        agenda = screen.query_one("#agenda", FittedTable)
        assert any(i.kind is Obligation.COMMENTS_IN and i.reference == ref
                   for i in screen.agenda_items)
        for width, height in ((100, 30), (80, 24)):
            await pilot.resize_terminal(width, height)
            await settle(pilot)
            shown = agenda.shown_columns
            assert shown[:3] == ["date", "kind", "case"], (width, shown)
            # Each date and reference whole ("28 Nov 2026", "UPV-2025-0003").
            assert agenda.columns[ColumnKey("date")].width >= len("28 Nov 2026")
            assert agenda.columns[ColumnKey("case")].width >= len(ref)
            assert agenda.columns[ColumnKey("kind")].width >= 14
            assert "customer" in shown  # at 80 columns too, cut
            assert agenda.region.right <= screen.region.right
        # At 100 columns every column has room, the long obligation and the customer whole.
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert agenda.shown_columns == ["date", "kind", "case", "customer"]
        assert not agenda.cuts("date", "kind", "case")
