"""A customer's log sheet, paged from the database as the cursor nears the end: a customer
with 15,000 contacts opens as fast as one with fifteen."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.message import Message
from textual.widgets import DataTable

from crm_tui.services.core.database import session
from crm_tui.services.evidence import log_sheet
from crm_tui.services.evidence.log_sheet import ContactFilter, ContactPage, ContactRow
from crm_tui.ui.delivery import DeliveryMixin, deliver
from crm_tui.ui.text import links_in_short, literal
from crm_tui.ui.widgets.fitted_table import Col, FittedTable

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp

# What happened and when first; who took it and where are for wider screens.
COLUMNS = (Col("when", "When", priority=0, min_width=14),
           Col("channel", "Channel", priority=1, min_width=9),
           Col("direction", "Direction", priority=1, min_width=13),
           Col("area", "Service area", priority=5, min_width=10, max_width=20),
           Col("officer", "Officer", priority=4, min_width=10),
           Col("summary", "Summary", priority=0, min_width=20, max_width=60),
           Col("behaviour", "Behaviour", priority=2, min_width=12, max_width=30),
           Col("matter", "Matter", priority=3, min_width=10, max_width=24),
           Col("links", "Linked to", priority=6, min_width=9))
FETCH_AHEAD = 10  # rows from the end at which the next page is fetched


class LogSheetTable(DeliveryMixin, FittedTable[object]):
    """Shows one filter's contacts; `rows` maps each row's key to what it shows."""

    def __init__(self, reference: str, *, id: str | None = None) -> None:
        super().__init__(*COLUMNS, id=id, cursor_type="row", zebra_stripes=True, enter=None)
        self.reference = reference
        self.filter: ContactFilter | None = None
        self.rows_by_id: dict[int, ContactRow] = {}
        self.total = 0
        self._next: tuple[datetime, int] | None = None
        self._fetching = False
        # Which start of the list a page belongs to: a next page read before the list was
        # started again (a change, a narrowing) would add rows already shown, and DataTable
        # stops the app on a row key it holds twice.
        self._generation = 0
        # The page after the last shown, read ahead while the user reads (issue 17): the
        # cursor reaching the end then shows it at once, with no read in a worker to wait
        # for. Kept with the list start and keyset it was read for, and used only for those.
        self._ahead: tuple[int, tuple[datetime, int], ContactPage] | None = None

    @property
    def highlighted(self) -> ContactRow | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return self.rows_by_id.get(int(key)) if key is not None else None

    def show(self, f: ContactFilter, keep_cursor: bool = False) -> None:
        """Start again from the newest contact matching `f`."""
        self.filter = f
        self._fetching = True
        self._generation += 1
        self.fetch(f, None, self.cursor_row if keep_cursor else 0, self._generation)

    def show_page(self, f: ContactFilter, first: ContactPage, keep_cursor: bool = False) -> None:
        """Show a first page already read (with the rest of the screen's data)."""
        self.filter = f
        self._generation += 1
        self._add(first, True, self.cursor_row if keep_cursor else 0, self._generation)

    @work(thread=True, exclusive=True, exit_on_error=False, group="log-sheet")
    def fetch(self, f: ContactFilter, after: tuple[datetime, int] | None, cursor: int,
              generation: int) -> None:
        actor = cast("CrmApp", self.app).actor
        with session():
            got = log_sheet.page(actor, self.reference, f, after)
        deliver(self, self._add, got, after is None, cursor, generation)

    @work(thread=True, exclusive=True, exit_on_error=False, group="log-sheet-ahead")
    def read_ahead(self, f: ContactFilter, after: tuple[datetime, int], generation: int) -> None:
        actor = cast("CrmApp", self.app).actor
        with session():
            got = log_sheet.page(actor, self.reference, f, after)
        deliver(self, self._arrived_ahead, got, after, generation)

    def _arrived_ahead(self, got: ContactPage, after: tuple[datetime, int],
                       generation: int) -> None:
        if generation == self._generation and after == self._next:
            self._ahead = (generation, after, got)

    def _read_next_ahead(self) -> None:
        self._ahead = None
        if self._next is not None and self.filter is not None and self.is_mounted:
            self.read_ahead(self.filter, self._next, self._generation)

    def _add(self, got: ContactPage, fresh: bool, cursor: int, generation: int) -> None:
        if generation != self._generation:
            return  # read for a list since started again
        if fresh:
            self.clear()
            self.rows_by_id = {}
        self.total, self._next, self._fetching = got.total, got.next_after, False
        # Read once what is on screen is painted: never competing with its first paint.
        self._ahead = None
        self.call_after_refresh(self._read_next_ahead)
        for row in got.rows:
            self.rows_by_id[row.id] = row
            matter = f"↻ {row.matter}" if row.repeat else row.matter
            self.add_row(
                literal(f"{row.at:%d/%m/%y %H:%M}"), literal(row.channel.label),
                literal(row.direction.label),
                literal(row.service_area), literal(row.officer),
                literal(("⚑ " if row.breaches else "") + row.summary,
                        "bold red" if row.breaches else ""),
                literal(", ".join(c.label for c in row.categories)),
                literal(matter, "bold yellow" if row.repeat else ""),
                literal(links_in_short(row.links)), key=str(row.id))
        if fresh and self.row_count:
            self.move_cursor(row=min(cursor, self.row_count - 1))
        self.post_message(self.Loaded())

    class Loaded(Message):
        """A page arrived: the screen updates its heading (how many, what filter)."""

    @on(DataTable.RowHighlighted)
    def maybe_fetch_more(self, event: DataTable.RowHighlighted) -> None:
        if (self._next is not None and not self._fetching and self.filter is not None
                and event.cursor_row >= self.row_count - FETCH_AHEAD):
            ahead = self._ahead
            if ahead is not None and ahead[:2] == (self._generation, self._next):
                self._add(ahead[2], False, 0, self._generation)  # read already: at once
                return
            self._fetching = True
            self.fetch(self.filter, self._next, 0, self._generation)
