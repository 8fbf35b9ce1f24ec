"""The review calendar: a month of dated obligations beside an agenda. Today, overdue and the
next 30 days stand out. Arrows move by day and week, PageUp/PageDown (or [ and ]) by month, 0
jumps to today; Enter on a day lists its items, Enter on an item opens its case."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from crm_tui import clock
from crm_tui.domain.counting import counted
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core.database import session
from crm_tui.services.reviews import calendar, review_session
from crm_tui.services.reviews.calendar import CalendarItem, MonthView
from crm_tui.ui.delivery import deliver_latest
from crm_tui.ui.dialogs.path_prompt import PathDialog
from crm_tui.ui.guide import RETENTION, REVIEW, Guide
from crm_tui.ui.refused_keys import key_answer
from crm_tui.ui.screens.base import AreaScreen
from crm_tui.ui.text import literal
from crm_tui.ui.widgets.fitted_table import Col, FittedTable

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_WIDTH = 6  # " 14●3", and a space before the next day
STACKED_BELOW = 120  # columns: below, the legend beside the month, the agenda under both
MONTH_MIN, MONTH_MAX = 44, 114  # the month's column beside the agenda (the days, a margin)
AGENDA_ROOM = 106  # screen columns the month leaves the agenda (and the areas' list)
MAX_DAY_LINES = 8  # a day's cell grows to this many lines at most


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _fit(size_width: int, size_height: int) -> tuple[int, int]:
    """A day's cell (columns, lines) in a month grid of that size: six columns and a line at
    the least (100x30, the month beside its legend), more as the terminal gives room (issue
    15: at 200x50 the month stayed 42 columns by 7 lines, the rest of the screen blank)."""
    return (max(DAY_WIDTH, size_width // 7),
            max(1, min(MAX_DAY_LINES, (size_height - 1) // 6)))


def _day_cell(day: date, view: MonthView, width: int, lines: int) -> Text:
    """A day: its number and how many items (" 14●3"), and on the lines below, when the cell
    has them, what is due (its kind, cut to the cell), "+2 more" where they run out."""
    found = view.by_day.get(day, [])
    cell = Text(f" {day.day:>2}", style="reverse bold" if day == view.today
                else ("" if day.month == view.first.month else "dim"), no_wrap=True,
                overflow="crop")
    soon_end = view.today + timedelta(days=calendar.SOON_DAYS)
    if found:
        overdue = any(i.overdue(view.today) for i in found)
        colour = ("bold red" if overdue else "bold yellow"
                  if day <= soon_end and day >= view.today else "green")
        cell.append(f"●{len(found)}", style=colour)
    room = lines - 1
    for index, item in enumerate(found[:room]):
        if index == room - 1 and len(found) > room:
            cell.append(f"\n +{len(found) - index} more", style="dim")
            break
        style = ("red" if item.overdue(view.today) else "yellow"
                 if view.today <= item.day <= soon_end else "")
        label = item.label
        if len(label) > width - 1:
            label = label[:width - 2] + "…"
        cell.append("\n ")
        cell.append(label, style=style)
    return cell


class MonthGrid(DataTable[Text]):
    """The month, a day to a cell. Enter's action named in the footer (DataTable's own Enter
    is hidden, so the footer never said what Enter does here)."""

    BINDINGS = [Binding("enter", "select_cursor", "Items",
                        tooltip="List the highlighted day's items in the agenda, and move there"),
                # By date, not by cell: the grid's own arrows stopped at a week's edge (`→` on
                # a Sunday, `←` on a Monday did nothing, t15 9) and at the month's.
                Binding("left", "screen.step(-1)", show=False),
                Binding("right", "screen.step(1)", show=False),
                Binding("up", "screen.step(-7)", show=False),
                Binding("down", "screen.step(7)", show=False)]

    def on_resize(self) -> None:
        # The days take the room the grid is given (calendar.tcss): drawn again to fit.
        screen = self.screen
        if isinstance(screen, CalendarScreen) and screen.view is not None and (
                _fit(self.size.width, self.size.height) != screen.cell_size):
            screen.show(screen.view)


def _agenda_table(name: str) -> FittedTable[Text]:
    return FittedTable(Col("date", "Date", priority=0, min_width=11),
                       Col("kind", "Obligation", priority=2, min_width=14),
                       Col("case", "Case", priority=1, min_width=13),
                       Col("customer", "Customer", priority=3, min_width=12),
                       id=name, cursor_type="row", zebra_stripes=True, enter="Open")


class CalendarScreen(AreaScreen):
    MODE = "calendar"
    AUTO_FOCUS = "#month"
    CSS_PATH = "calendar.tcss"
    GUIDE = Guide("Review calendar",
                  "Every dated obligation by month (reviews due, restriction end dates, reply-by "
                  "dates, appeal decisions, files due for archive) with an agenda; review "
                  "sessions start here.",
                  (REVIEW, RETENTION))
    BINDINGS = [
        # The way forward first: a narrow footer drops keys from the end of this list.
        Binding("s", "session", "Review session", id="cal-session",
                tooltip="Start or resume a review session: every review due by a date, one case "
                        "after another"),
        # For a role that holds no review sessions, the same key says why (check_action).
        Binding("s", "why_no_session", show=False),
        # Priority: the grid's own PageUp/PageDown would only scroll it.
        # Short words: the footer lists these before `s` (the grid's own keys come first), and
        # with Enter's action in front `s` was dropped at 80 columns.
        Binding("pageup,left_square_bracket", "month(-1)", "Prev month", id="cal-prev",
                priority=True,
                tooltip="Show the month before"),
        Binding("pagedown,right_square_bracket", "month(1)", "Next month", id="cal-next",
                priority=True,
                tooltip="Show the month after"),
        Binding("0", "today", "Today", id="cal-today",
                tooltip="Go back to today"),
        Binding("x", "export", "Export .ics", id="cal-export",
                tooltip="Export the calendar's dates to an .ics file for Outlook"),
        # For the help: the month and the agenda take these keys while they have the focus
        # (the footer shows Enter's from there); here they act the same from anywhere else.
        Binding("enter", "choose", "Day's items / open", id="cal-enter", show=False,
                tooltip="On a day of the month: its items, in the agenda; on an item of the "
                        "agenda: open its case"),
        Binding("left", "step(-1)", "Day before", show=False,
                tooltip="Move to the day before on the month"),
        Binding("right", "step(1)", "Day after", show=False,
                tooltip="Move to the day after on the month"),
        Binding("up", "step(-7)", "Week before", show=False,
                tooltip="Move to the same day a week earlier (on the agenda: the item above)"),
        Binding("down", "step(7)", "Week after", show=False,
                tooltip="Move to the same day a week later (on the agenda: the item below)"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.shown = clock.today().replace(day=1)
        self.selected = clock.today()
        self.view: MonthView | None = None
        self.agenda_items: list[CalendarItem] = []
        self.ahead_items: list[CalendarItem] = []
        self._reading = False
        self.cell_size = (DAY_WIDTH, 1)  # a day's cell as last drawn (columns, lines)

    def compose_body(self) -> ComposeResult:
        yield Static(id="month-title")
        with Horizontal(id="calendar-body"):
            with Vertical(id="month-column"):
                yield MonthGrid(id="month", cursor_type="cell", show_cursor=True,
                                cell_padding=0)
                yield Static(id="legend")
            with Vertical(id="agenda-column"):
                yield Static(id="agenda-title")
                # What is due when, on which case: the date and the case always show, and a
                # long obligation is cut ("…") before either goes; the customer comes last.
                # (The date, shown only beside a whole obligation, went from the whole list
                # at 100 and 80 columns once one read "Comments received: decide review",
                # v15f N2.) At 80 columns all four fit, the obligation and the customer cut.
                yield _agenda_table("agenda")
                # Beside the month (120 columns and more), under a day's own items: what is
                # overdue and due in the next 30 days, as a day with nothing due lists them
                # (at 200x50 a day of one item left the rest of the column blank, issue 15).
                yield Static(id="ahead-title")
                yield _agenda_table("ahead")

    def on_resize(self) -> None:
        # Too narrow for the month and a readable agenda side by side: the agenda goes under.
        stacked = self.size.width < STACKED_BELOW
        if stacked != self.has_class("-stacked"):
            self.set_class(stacked, "-stacked")
            self.show_agenda(self.selected)  # the list ahead only beside the month
        # Beside the agenda, the month takes what the agenda leaves once it has room for its
        # four columns whole (some 90 of the screen's, the areas' list included), 44 columns
        # at the least: at 200 columns it grows to 94, and its days with it. Stacked, the
        # whole width (calendar.tcss), the legend beside it.
        self.query_one("#month-column").styles.width = None if stacked else max(
            MONTH_MIN, min(MONTH_MAX, self.size.width - AGENDA_ROOM))

    def on_mount(self) -> None:
        self.refresh_data()

    def show_legend(self) -> None:
        # `s` only for those who hold review sessions (it follows a switch of user).
        session_key = "" if review_session.refused(self.crm_app.actor) else (
            "s: review session; ")
        self.query_one("#legend", Static).update(Text.assemble(
            # No-break spaces: a narrow legend wraps between its items, never inside one.
            ("today", "reverse bold"), "  ", ("●\u00a0overdue", "bold red"), "  ",
            ("●\u00a0next\u00a030\u00a0days", "bold yellow"), "  ", ("●\u00a0later", "green"),
            "\n", f"Enter: the day's items; {session_key}x: export to .ics"))

    def refresh_data(self) -> None:
        self.show_legend()
        self._reading = True
        self.load(self.shown)

    @work(thread=True, exclusive=True, exit_on_error=False, group="calendar")
    def load(self, first: date) -> None:
        with session():
            view = calendar.month(self.crm_app.actor, first.year, first.month)
        deliver_latest(self, self.show, view)

    def show(self, view: MonthView) -> None:
        self.view, self._reading = view, False
        self.query_one("#month-title", Static).update(literal(
            f"{view.first:%B %Y} · today {view.today:%A} "
            f"{in_prose(view.today, full_month=True)} · {view.overdue_total} "
            f"overdue · {len(view.soon)} in the next 30 days", "bold", wrap=True))
        grid = self.query_one("#month", DataTable)
        # Seven columns of six at the least (the month 42 columns, the agenda beside or under
        # it the rest: at 52 it left the agenda a letter of the customer at 100 columns), and
        # a line a week; wider and taller where the terminal gives the grid room.
        width, lines = self.cell_size = _fit(grid.size.width, grid.size.height)
        grid.clear(columns=True)
        for name in DAYS:
            grid.add_column(name, key=name, width=width)
        for week in range(6):
            grid.add_row(*(_day_cell(view.grid_start + timedelta(days=week * 7 + weekday),
                                     view, width, lines) for weekday in range(7)),
                         key=str(week), height=lines)
        self.move_to(self.selected)

    def move_to(self, day: date) -> None:
        if self.view is None:
            return
        offset = (day - self.view.grid_start).days
        if 0 <= offset < 42:
            self.query_one("#month", DataTable).cursor_coordinate = Coordinate(offset // 7,
                                                                             offset % 7)
        self.selected = day
        self.show_agenda(day)

    def _day_at(self, coordinate: Coordinate) -> date | None:
        if self.view is None:
            return None
        return self.view.grid_start + timedelta(days=coordinate.row * 7 + coordinate.column)

    @on(DataTable.CellHighlighted, "#month")
    def day_highlighted(self, event: DataTable.CellHighlighted) -> None:
        day = self._day_at(event.coordinate)
        if day is not None and day != self.selected:
            self.selected = day
            self.show_agenda(day)

    @on(DataTable.CellSelected, "#month")
    def day_chosen(self, event: DataTable.CellSelected) -> None:
        agenda = self.query_one("#agenda", DataTable)
        if agenda.row_count and self.agenda_items:
            agenda.focus()

    def show_agenda(self, day: date) -> None:
        view = self.view
        if view is None:
            return
        on_day = view.by_day.get(day, [])
        if on_day:
            title = (f"{day:%A} {in_prose(day, full_month=True)}: {len(on_day)} "
                     f"item{'s' if len(on_day) != 1 else ''}")
            shown = on_day
        else:
            title = (f"{day:%A} {in_prose(day, full_month=True)}: nothing due. Overdue, "
                     "then the next 30 days:")
            shown = view.overdue + view.soon
            more = view.overdue_total - len(view.overdue)
            if more > 0:
                title += f" ({more} more overdue not listed: choose a day to see its own)"
        self.agenda_items = shown
        self.query_one("#agenda-title", Static).update(literal(title, "bold", wrap=True))
        self._list(self.query_one("#agenda", DataTable), shown)
        ahead = ([i for i in view.overdue + view.soon if i not in on_day]
                 if on_day and not self.has_class("-stacked") else [])
        self.ahead_items = ahead
        self.set_class(bool(ahead), "-ahead")
        more = view.overdue_total - len(view.overdue)
        self.query_one("#ahead-title", Static).update(literal(
            "Overdue, then the next 30 days" + (f" ({more} more overdue not listed)"
                                                 if more > 0 else "") + ":", "bold", wrap=True))
        self._list(self.query_one("#ahead", DataTable), ahead)

    def _list(self, table: DataTable[Text], items: list[CalendarItem]) -> None:
        view = self.view
        assert view is not None
        table.clear()
        soon_end = view.today + timedelta(days=calendar.SOON_DAYS)
        for item in items:
            style = ("bold red" if item.overdue(view.today) else "yellow"
                     if view.today <= item.day <= soon_end else "")
            table.add_row(literal(f"{item.day:%d %b %Y}", style), literal(item.label,
                                                                         style),
                          literal(item.reference), literal(item.customer))

    @on(DataTable.RowSelected, "#agenda")
    def open_item(self, event: DataTable.RowSelected) -> None:
        if self.agenda_items:
            self._open(self.agenda_items[event.cursor_row])

    @on(DataTable.RowSelected, "#ahead")
    def open_ahead(self, event: DataTable.RowSelected) -> None:
        if self.ahead_items:
            self._open(self.ahead_items[event.cursor_row])

    def _open(self, item: CalendarItem) -> None:
        from crm_tui.ui.screens.case_file import CaseFileScreen

        if item.kind is calendar.Obligation.SCREENING:  # the post itself, to be read
            self.crm_app.open_screening(item.reference)
        else:
            self.app.push_screen(CaseFileScreen(item.reference))

    def action_choose(self) -> None:
        agenda = self.query_one("#agenda", DataTable)
        ahead = self.query_one("#ahead", DataTable)
        if agenda.has_focus:
            agenda.action_select_cursor()
        elif ahead.has_focus:
            ahead.action_select_cursor()
        else:
            self.query_one("#month", DataTable).action_select_cursor()

    def action_step(self, days: int) -> None:
        """The day `days` after (before) the one selected, across weeks and months: a day of
        another month shows that month."""
        self.query_one("#month", DataTable).focus()
        day = self.selected + timedelta(days=days)
        if day.replace(day=1) != self.shown:
            self.shown, self.selected = day.replace(day=1), day
            self.load(self.shown)
        else:
            self.move_to(day)

    def action_month(self, step: int) -> None:
        self.shown = _add_months(self.shown, step)
        self.selected = self.shown
        self.load(self.shown)

    def action_today(self) -> None:
        today = clock.today()
        if today.replace(day=1) != self.shown:
            self.shown, self.selected = today.replace(day=1), today
            self.load(self.shown)
        else:
            self.move_to(today)
        self.query_one("#month", DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        actor = self.crm_app.actor
        answer = key_answer(action, ("session", "why_no_session",
                                     lambda: not review_session.refused(actor)))
        return True if answer is None else answer

    def action_session(self) -> None:
        from crm_tui.ui.screens.review_session import ReviewSessionScreen

        self.app.push_screen(ReviewSessionScreen())

    def action_why_no_session(self) -> None:
        self.notify(review_session.refused(self.crm_app.actor), title="No review session",
                    severity="warning", markup=False)

    def key_refusal(self, action: str) -> str:
        """Why a key that cannot work now cannot, in the words its key says (the palette
        says it: fixBB BB5, it said "Not now" with no why)."""
        return review_session.refused(self.crm_app.actor) if action == "session" else ""

    def action_export(self) -> None:
        actor = self.crm_app.actor
        self.app.push_screen(PathDialog(
            "Export the calendar to an .ics file",
            "Every obligation from 90 days ago to 400 days ahead, as all-day events that "
            "Outlook can import. Events name the case reference only, not the customer.",
            lambda path: calendar.export_ics(actor, _ics(path)), go="Export the calendar",
            path_field="ics"),
            self._exported)

    def _exported(self, count: object) -> None:
        if isinstance(count, int):
            self.notify(f"{counted(count, 'obligation')} exported", title="Calendar",
                        markup=False)


def _ics(path: Path) -> Path:
    return path if path.suffix.lower() == ".ics" else path.with_suffix(".ics")
