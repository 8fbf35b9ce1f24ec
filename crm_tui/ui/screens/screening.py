"""The screening queue: post filed without reply, still to be read. Unread items oldest first
(those past their read-by date in red), or with `f` the items already screened, latest first;
paged from the database as the cursor nears the end. The line under the list shows the
highlighted contact in full, as plain text. Enter (or `o`) gives an unread item its outcome
(the Complaints Resolution Team); `c` opens the case."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from crm_tui import clock
from crm_tui.domain.permissions import Capability, can
from crm_tui.domain.roles import Role
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core.database import session
from crm_tui.services.evidence import screening
from crm_tui.services.evidence.screening import QueueCounts, ScreeningPage, ScreeningRow
from crm_tui.ui.delivery import DeliveryMixin, deliver_latest
from crm_tui.ui.guide import RESTRICTIONS, Guide
from crm_tui.ui.refused_keys import key_answer
from crm_tui.ui.text import literal
from crm_tui.ui.widgets.app_header import AppHeader
from crm_tui.ui.widgets.fitted_table import Col, FittedTable
from crm_tui.ui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp

PAGE = 100
LOAD_AHEAD = 20  # fetch the next page when the cursor comes this close to the end


class ScreeningScreen(DeliveryMixin, Screen[None]):
    CSS_PATH = "screening.tcss"
    AUTO_FOCUS = "#queue"
    GUIDE = Guide("Screening queue",
                  "Post filed without reply (a restriction says it is not acknowledged) is still "
                  "read: each item gets an outcome, nothing new, a new matter, or an emergency "
                  "passed on.",
                  (RESTRICTIONS,))
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="screening-back",
                tooltip="Back to where you came from"),
        # Enter on the list does the same (the list has Enter first: see row_chosen).
        # Shown as Enter's "Outcome" (the list's own key), not twice: o does the same.
        Binding("o", "outcome", "Outcome", id="screening-outcome", show=False,
                tooltip="Record what reading it found: nothing new, a new matter, or an "
                        "emergency passed on"),
        # Where no outcome can be given, the same key says why (see check_action).
        Binding("o", "why_no_outcome", show=False),
        Binding("f", "toggle_screened", "Unread/screened", id="screening-toggle",
                tooltip="Show the post still to read, or the post already screened"),
        Binding("c", "open_case", "Open case", id="screening-case",
                tooltip="Open the case file of the highlighted post"),
        Binding("x", "all_cases", "All cases", id="screening-all",
                tooltip="Show the post of every case, not only this one's"),
        Binding("f5", "reload", "Refresh", show=False,
                tooltip="Read the queue again from the database"),
    ]

    def __init__(self, case_reference: str = "") -> None:
        super().__init__()
        self.case_reference = case_reference
        self.screened = False
        self.rows: dict[str, ScreeningRow] = {}
        self.next_after: tuple[datetime, int] | None = None
        self.fetching = False
        self.stale = False

    @property
    def crm_app(self) -> CrmApp:
        return cast("CrmApp", self.app)

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Vertical(id="screening"):
            yield Static(id="queue-title")
            # Enter is offered as Outcome only to a role that may screen post; to any other
            # it still says why, but is not in the footer (it only refused).
            may = can(self.crm_app.actor, Capability.SCREEN_POST)
            yield FittedTable(id="queue", cursor_type="row", zebra_stripes=True,
                              enter="Outcome" if may else None)
            yield Static(id="item-detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.refresh_data()

    def action_reload(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        table = self.query_one("#queue", FittedTable)
        if self.screened:
            table.set_columns(Col("arrived", "Arrived", priority=2, min_width=17),
                              Col("screened", "Screened", priority=3, min_width=17),
                              Col("by", "By", priority=4, min_width=12),
                              Col("case", "Case", priority=1, min_width=13),
                              Col("customer", "Customer", priority=0, min_width=18),
                              Col("outcome", "Outcome", priority=1, min_width=16))
        else:
            table.set_columns(Col("arrived", "Arrived", priority=2, min_width=17),
                              Col("read_by", "Read by", priority=1, min_width=11),
                              Col("case", "Case", priority=3, min_width=13),
                              Col("customer", "Customer", priority=0, min_width=18),
                              Col("channel", "Channel", priority=5, min_width=9),
                              Col("summary", "What came in", priority=1, min_width=20))
        self.rows.clear()
        self.next_after, self.fetching = None, True
        self.query_one("#item-detail", Static).update("")
        self.load(None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="screening-page")
    def load(self, after: tuple[datetime, int] | None) -> None:
        actor = self.crm_app.actor
        with session():
            found = screening.page(actor, screened=self.screened,
                                   case_reference=self.case_reference, after=after, size=PAGE)
            counts = screening.counts(actor) if after is None else None
        # The latest read only: a page of the list left behind (the other list chosen since)
        # would be shown under this list's columns.
        deliver_latest(self, self.add_rows, found, counts)

    def add_rows(self, found: ScreeningPage, counts: QueueCounts | None) -> None:
        if counts is not None:
            self.show_title(found, counts)
        table = self.query_one("#queue", DataTable)
        today = clock.today()
        for row in found.rows:
            key = str(row.id)
            if key in self.rows:
                continue
            self.rows[key] = row
            arrived = literal(f"{row.arrived_at:%d %b %Y %H:%M}")
            summary = row.summary.replace("\n", " ")
            if self.screened:
                outcome = row.outcome.label if row.outcome else ""
                when = f"{row.screened_at:%d %b %Y %H:%M}" if row.screened_at else ""
                table.add_row(arrived, literal(when), literal(row.screened_by),
                              literal(row.case_reference), literal(row.customer_name),
                              literal(outcome), key=key)
            else:
                late = "bold red" if row.overdue(today) else ""
                table.add_row(arrived, literal(f"{row.screen_by:%d %b %Y}", late),
                              literal(row.case_reference), literal(row.customer_name),
                              literal(row.channel.label), literal(summary), key=key)
        self.next_after, self.fetching = found.next_after, False
        if table.row_count and len(self.rows) == len(found.rows):
            self.show_detail(found.rows[0])
        elif not table.row_count:
            self.query_one("#item-detail", Static).update(literal(
                "Nothing has been screened yet." if self.screened else
                "Nothing is waiting to be read.", "bold"))
        self.refresh_bindings()

    def show_title(self, found: ScreeningPage, counts: QueueCounts) -> None:
        actor = self.crm_app.actor
        if self.screened:
            head = f"Post screened: {found.total}, latest first"
        else:
            head = (f"Post filed without reply, to be read: {counts.unread} unread, "
                    f"{counts.overdue} past the read-by date (read within "
                    f"{counts.working_days} working days of arriving)")
        lines = [head]
        if self.case_reference:
            lines.append(f"Only {self.case_reference}: {found.total} here; x shows all cases.")
        if actor.role is Role.SERVICE_AREA_MANAGER:
            lines.append("Your service area's cases only. The Complaints Resolution Team reads "
                         "each item and records its outcome.")
        elif not can(actor, Capability.SCREEN_POST):
            lines.append("You can read the queue; the Complaints Resolution Team records the "
                         "outcomes.")
        self.query_one("#queue-title", Static).update(literal("\n".join(lines), "bold",
                                                              wrap=True))

    @property
    def highlighted(self) -> ScreeningRow | None:
        table = self.query_one("#queue", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(str(key))

    @on(DataTable.RowHighlighted, "#queue")
    def highlighted_row(self, event: DataTable.RowHighlighted) -> None:
        row = self.rows.get(str(event.row_key.value))
        if row is not None:
            self.show_detail(row)
        self.refresh_bindings()
        table = event.data_table
        if (self.next_after is not None and not self.fetching
                and event.cursor_row >= table.row_count - LOAD_AHEAD):
            self.fetching = True
            self.load(self.next_after)

    def show_detail(self, row: ScreeningRow) -> None:
        self.query_one("#item-detail", Static).update(detail_text(row, clock.today()))

    # -- keys -------------------------------------------------------------------------------
    @on(DataTable.RowSelected, "#queue")
    def row_chosen(self) -> None:
        # The list has Enter first: it gives the outcome, or says why none can be given.
        if self._may_screen():
            self.action_outcome()
        else:
            self.action_why_no_outcome()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        answer = key_answer(action, ("outcome", "why_no_outcome", self._may_screen))
        if answer is not None:
            return answer
        if action == "all_cases":
            return bool(self.case_reference)
        return True

    def _may_screen(self) -> bool:
        return (can(self.crm_app.actor, Capability.SCREEN_POST) and not self.screened
                and self.highlighted is not None)

    def action_outcome(self) -> None:
        from crm_tui.ui.dialogs.screening_outcome import ScreeningOutcomeDialog

        row = self.highlighted
        if row is not None:
            self.app.push_screen(ScreeningOutcomeDialog(row), self._screened)

    def _screened(self, row: ScreeningRow | None) -> None:
        if row is not None and row.outcome is not None:
            self.notify(f"{row.outcome.label} · {row.case_reference}, contact of "
                        f"{in_prose(row.arrived_at)}", title="Screened", markup=False)
            self.refresh_data()

    def no_outcome_words(self) -> str:
        """Why no outcome can be given on the row in hand (Enter and `o` say it)."""
        row = self.highlighted
        if row is None:
            return "There is nothing here to screen."
        if row.outcome is not None:
            return (f"This contact was already screened by {row.screened_by} "
                    f"({row.outcome.label}): an outcome is given once.")
        return f"{screening.ONLY_THE_TEAM[:1].upper()}{screening.ONLY_THE_TEAM[1:]}."

    def action_why_no_outcome(self) -> None:
        self.notify(self.no_outcome_words(), title="No outcome given", severity="warning",
                    markup=False, timeout=8)

    def key_refusal(self, action: str) -> str:
        """Why a key that cannot work now cannot, in the words its key says (the palette
        says it: fixBB BB5)."""
        return self.no_outcome_words() if action == "outcome" and not self._may_screen() \
            else ""

    def action_toggle_screened(self) -> None:
        self.screened = not self.screened
        self.refresh_data()

    def action_all_cases(self) -> None:
        self.case_reference = ""
        self.refresh_data()

    def action_open_case(self) -> None:
        from crm_tui.ui.screens.case_file import CaseFileScreen

        row = self.highlighted
        if row is not None:
            self.stale = True  # a correction there may take the item out of the queue
            self.app.push_screen(CaseFileScreen(row.case_reference))

    def on_screen_resume(self) -> None:
        if self.stale:
            self.stale = False
            self.refresh_data()


def detail_text(row: ScreeningRow, today: date) -> Text:
    """The highlighted item in full. The summary is the customer's words as logged: plain
    text, never markup."""
    text = Text()
    text.append(f"{row.case_reference} · {row.customer_name} · {row.service_area}\n",
                style="bold")
    about = f" · about {row.matter}" if row.matter else ""
    taken = f", taken by {row.officer}" if row.officer else ""
    text.append(f"Arrived {row.arrived_at:%A} {in_prose(row.arrived_at, full_month=True)} "
                f"{row.arrived_at:%H:%M} by {row.channel.label.lower()}"
                f"{taken}{about}\n")
    text.append("What came in: ", style="bold")
    text.append(row.summary + "\n")
    for reason in row.reasons:
        text.append("Queued because: ", style="bold")
        text.append(reason + "\n")
    if row.outcome is None:
        late = row.overdue(today)
        text.append(f"Read by {row.screen_by:%A} {in_prose(row.screen_by, full_month=True)}"
                    + (" — OVERDUE\n" if late else "\n"),
                    style="bold red" if late else "bold")
        for advice in row.advice:
            text.append(advice + "\n", style="yellow")
        return text
    when = (f"{in_prose(row.screened_at, full_month=True)} {row.screened_at:%H:%M}"
            if row.screened_at else "")
    text.append(f"Screened by {row.screened_by} on {when}: {row.outcome.label}\n",
                style="bold green")
    if row.new_matter:
        text.append(f"Matter opened: {row.new_matter}\n")
    if row.passed_to:
        text.append(f"Passed to {row.passed_to}: {row.passed_how}\n")
    if row.note:
        text.append(f"Note: {row.note}\n")
    return text
