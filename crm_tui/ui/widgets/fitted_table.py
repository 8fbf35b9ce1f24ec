"""A DataTable whose columns fit the width it has: each as wide as its content, the most
important given room first, the least important hidden when the terminal is too narrow.

Textual's DataTable gives a column either a fixed width (long names were cut at 16 characters
while space stood empty at 160 columns) or its content's width (a wide column pushed the
state and the next action off a 100-column screen). Here each column has a priority: columns
are shown in priority order while their minimum widths fit; each starts at its content's width
(up to a soft cap), the least important are narrowed first when the total is too wide, and any
room left lets capped columns show more of their text. Cut text ends in "…". The layout is
worked out again when the table is resized or rows arrive that need more room.

DataTable has no hidden columns, so a change of layout rebuilds the table from the rows it
holds (all cells, shown or not), keeping the cursor on the same row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import CellType, RowKey


@dataclass(frozen=True)
class Col:
    """A column: `priority` 0 is the most important (shown first, narrowed last); `min_width`
    is the narrowest it is worth showing; `max_width` a soft cap on its content width, lifted
    when room is left over (None: its content's width). An `extra` column is shown only when
    every column more important than it has its whole (capped) width beside it: it never costs
    the customer's name, nor a more important extra column, its last letters. `room` orders
    the columns shown for width, when it differs from the order in which they are shown:
    lower gets room first (widened first, narrowed last); None: its priority. (The inbox
    shows the next action before the state in a narrow terminal, but once both are shown the
    state keeps its letters first.)"""

    key: str
    label: str
    priority: int = 5
    min_width: int = 6
    max_width: int | None = None
    extra: bool = False
    room: int | None = None

    @property
    def room_rank(self) -> int:
        return self.priority if self.room is None else self.room


def _width(cell: object) -> int:
    if isinstance(cell, Text):
        plain = cell.plain
    elif isinstance(cell, str):
        plain = Text.from_markup(cell).plain
    elif cell is None:
        return 0
    else:
        plain = str(cell)
    return max((cell_len(line) for line in plain.split("\n")), default=0)


def fit_columns(columns: Sequence[Col], natural: dict[str, int], available: int,
                padding: int = 1, empty: frozenset[str] = frozenset()) -> dict[str, int]:
    """The width of each column shown (in the columns' order), given each column's natural
    width (its widest cell or label) and the width available. Columns in `empty` (no cell
    holds anything) are left out: a heading over nothing took the room of columns cut beside
    it (Behaviour and Found standing empty while the document's type was cut). Pure, so it is
    tested alone."""
    gap = 2 * padding
    ranked = sorted(range(len(columns)), key=lambda i: (columns[i].priority, i))

    def floor(col: Col) -> int:
        return min(col.min_width, natural[col.key])

    def is_extra(col: Col) -> bool:
        return col.extra

    def whole(col: Col) -> int:
        cap = natural[col.key] if col.max_width is None else min(natural[col.key], col.max_width)
        return max(cap, floor(col))

    shown: list[int] = []
    used = 0
    for index in ranked:
        col = columns[index]
        if col.key in empty and len(empty) < len(columns):
            continue
        need = floor(col) + gap
        if shown and used + need > available:
            continue  # a later, narrower column may still fit
        if shown and is_extra(col):
            # Every column more important than it (shown before it) whole, extra or not: the
            # behaviour, least important, took the service area's last letters at 200x60
            # once a next action ran to 32 characters (v15c F1). An uncapped extra column is
            # shown whole or not at all: its text is short and read whole (v15e F7: the
            # service area cut to "Council Tax and Benef…" at 200x60); a capped one (the
            # behaviour) may be cut to its minimum.
            before = sum(whole(columns[i]) for i in shown) + gap * len(shown)
            own = whole(col) + gap if col.max_width is None else need
            if before + own > available:
                continue
        shown.append(index)
        used += need
    widths = {index: whole(columns[index]) for index in shown}
    excess = sum(w + gap for w in widths.values()) - available
    for index in sorted(shown, key=lambda i: (-columns[i].room_rank, -i)):
        if excess <= 0:
            break
        give = min(excess, widths[index] - floor(columns[index]))
        widths[index] -= give
        excess -= give
    spare = -excess
    for index in sorted(shown, key=lambda i: (columns[i].room_rank, i)):
        if spare <= 0:
            break
        more = min(spare, natural[columns[index].key] - widths[index])
        if more > 0:
            widths[index] += more
            spare -= more
    return {columns[i].key: widths[i] for i in sorted(shown)}


def _ellipsis(text: Text) -> Text:
    """A copy of `text` that, cut short, ends in "…" (cells and headings alike)."""
    cut = text.copy()
    cut.no_wrap, cut.overflow = True, "ellipsis"
    return cut


@dataclass
class _Row:
    key: str | None
    cells: dict[str, Any]
    height: int | None


class MeasuredOnce(DataTable[CellType]):
    """A DataTable that does not measure the cells of columns given their own width.

    DataTable measures every cell of every new row for its column's content width, which only
    a column without a width of its own uses: with every column given one (a FittedTable once
    fitted, the evidence's figures), the measuring was most of the cost of a log-sheet page's
    100 rows and of the evidence's 75 figures (issue 17). A row of auto height or with a label
    is still measured (its height, the label column); the table's size is worked out from
    every row as before."""

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        if self.columns and not any(c.auto_width for c in self.columns.values()):
            new_rows = [key for key in new_rows if (row := self.rows.get(key)) is not None
                        and (row.auto_height or row.label is not None)]
        super()._update_dimensions(new_rows)


class FittedTable(MeasuredOnce[CellType]):
    """A DataTable whose columns are declared with `Col`s and sized to the width it has.
    Rows are added, cleared and updated as on a DataTable, with every column's cell given
    (hidden columns keep theirs for when there is room again).

    `enter` names what Enter does on a row, shown in the footer (DataTable's own binding is
    hidden, so "Enter Open" was never shown); None where Enter does nothing."""

    class Fitted(Message):
        """The columns shown, or their widths, have changed (a screen that shows the
        highlighted row in full where the table cuts it looks again)."""

        def __init__(self, table: FittedTable[Any]) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> FittedTable[Any]:
            return self.table

    # As wide as its place (a DataTable is as wide as its columns: the columns were then
    # fitted to that, and space stood empty beside a table of cut names).
    DEFAULT_CSS = """
    FittedTable { width: 1fr; }
    """

    def __init__(self, *columns: Col, enter: str | None = "Open",
                 enter_offered: Callable[[], bool] | None = None, **kwargs: Any) -> None:
        """`enter_offered`: whether Enter does its work on the row highlighted now; where
        not, it is left out of the footer and the key goes on to the screen (which may say
        why): "Act as" was offered on a person who had left (v15b S4)."""
        super().__init__(**kwargs)
        self.enter_offered = enter_offered
        self._bindings.key_to_bindings["enter"] = [Binding(
            "enter", "select_cursor", enter or "", show=enter is not None)]
        # Home and End go to the first and last row, as a person reading a list expects
        # (DataTable scrolls sideways with them, and the columns here fit the width: they
        # did nothing on the inbox, b15d m8).
        for key, action in (("home", "scroll_top"), ("end", "scroll_bottom")):
            self._bindings.key_to_bindings[key] = [Binding(key, action, show=False)]
        self.specs: list[Col] = list(columns)
        self._held: list[_Row] = []
        self._natural: dict[str, int] = {c.key: cell_len(c.label) for c in columns}
        self._filled: set[str] = set()
        self._layout: dict[str, int] = {}
        self._labels: dict[str, Text] = {c.key: Text(c.label) for c in columns}
        self._fit_pending = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor" and self.enter_offered is not None:
            return self.enter_offered()
        return super().check_action(action, parameters)

    # -- columns ----------------------------------------------------------------------------
    def set_columns(self, *columns: Col) -> None:
        """Declare the columns afresh (the rows are cleared)."""
        self.specs = list(columns)
        self._labels = {c.key: Text(c.label) for c in columns}
        self.clear()
        self._layout = {}
        self._rebuild()

    def set_label(self, key: str, label: Text | str) -> None:
        """Change a column's heading (kept while the column is hidden)."""
        text = Text(label) if isinstance(label, str) else label
        self._labels[key] = text
        self._natural[key] = max(self._natural.get(key, 0), text.cell_len)
        if key in self._layout:
            self.columns[key].label = _ellipsis(text)  # type: ignore[index]
            self.refresh()

    def row_cells(self, index: int) -> list[Any]:
        """Every cell of the row at `index`, shown or hidden, in the columns' order
        (`get_row_at` gives only those shown)."""
        held = self._held[index].cells
        return [held.get(c.key, "") for c in self.specs]

    @property
    def shown_columns(self) -> list[str]:
        """The keys of the columns on screen, in order."""
        return list(self._layout)

    def cuts(self, *keys: str) -> bool:
        """Whether one of these columns is left out, or narrower than its widest cell: some
        of its text is not on screen whole."""
        if not self._layout:
            return False
        return any(key not in self._layout or self._layout[key] < self._natural.get(key, 0)
                   for key in keys)

    def natural_width(self) -> int:
        """The width its columns want whole (each filled column's widest cell or heading and
        its padding, and the scrollbar's room): what a dialog sized to its list asks for."""
        shown = [c for c in self.specs if c.key in self._filled] or self.specs
        return (sum(self._natural.get(c.key, 0) + 2 * self.cell_padding for c in shown)
                + self.styles.scrollbar_size_vertical)

    # -- rows -------------------------------------------------------------------------------
    def add_row(self, *cells: CellType, height: int | None = 1, key: str | None = None,
                label: Any = None) -> RowKey:
        values = dict(zip((c.key for c in self.specs), cells, strict=False))
        self._held.append(_Row(key, values, height))
        grew = False
        for column, value in values.items():
            width = _width(value)
            if width and column not in self._filled:
                self._filled.add(column)
                grew = True
            if width > self._natural.get(column, 0):
                self._natural[column] = width
                grew = True
        if grew:
            self._schedule_fit()
        return super().add_row(*self._shown_cells(values), height=height, key=key, label=label)

    def set_rows(self, rows: Iterable[tuple[Sequence[CellType], str | None]], *,
                 wait_for_width: bool = False) -> None:
        """Every row afresh (cells, key), in one go: the columns are fitted to the new rows
        first, so that the table is built once. Cleared, then given its rows one by one, a
        table was built for the headings' widths and built again at the next refresh for the
        rows' (the case file's timeline, twice at every open: issue 17). The cursor goes to
        the top, as at a clear. Before the table is laid out its width is not known: it is
        built at once for the headings' widths (and again once fitted), or with
        `wait_for_width` only once fitted (no rows until then: the case file, shown before its
        first layout)."""
        super().clear()
        self._held.clear()
        self._natural = {c.key: self._labels[c.key].cell_len for c in self.specs}
        self._filled = set()
        keys = [c.key for c in self.specs]
        for cells, key in rows:
            values = dict(zip(keys, cells, strict=False))
            self._held.append(_Row(key, values, 1))
            for column, value in values.items():
                width = _width(value)
                if width:
                    self._filled.add(column)
                    if width > self._natural.get(column, 0):
                        self._natural[column] = width
        available = self._available()
        if available > 0 and self.specs:
            empty = frozenset(c.key for c in self.specs if c.key not in self._filled)
            layout = fit_columns(self.specs, self._natural, available, self.cell_padding,
                                 empty if self._held else frozenset())
            if layout != self._layout:
                self._layout = layout
                self.post_message(self.Fitted(self))
            self._rebuild()
        elif wait_for_width:  # built once laid out, fitted to its width (fit, on_resize)
            self._layout = {}
            self._schedule_fit()
        else:
            self._rebuild()
            self._schedule_fit()

    def clear(self, columns: bool = False) -> FittedTable[CellType]:
        self._held.clear()
        self._natural = {c.key: self._labels[c.key].cell_len for c in self.specs}
        self._filled = set()
        super().clear(columns)
        if columns:
            self._layout = {}
        self._schedule_fit()  # a column the new rows leave empty goes (found, after a search)
        return self

    def update_cell(self, row_key: RowKey | str, column_key: Any, value: CellType, *,
                    update_width: bool = False) -> None:
        wanted = row_key.value if isinstance(row_key, RowKey) else row_key
        column = column_key.value if hasattr(column_key, "value") else str(column_key)
        for row in self._held:
            if row.key == wanted:
                row.cells[column] = value
        if _width(value) and column not in self._filled:  # an empty column filled: shown
            self._filled.add(column)
            self._natural[column] = max(self._natural.get(column, 0), _width(value))
            self._schedule_fit()
        if column in self._layout:
            super().update_cell(row_key, column_key, self._cut(value),
                                update_width=update_width)

    # -- layout -----------------------------------------------------------------------------
    def on_mount(self) -> None:
        self._rebuild()
        self._schedule_fit()

    def on_resize(self, event: events.Resize) -> None:
        self.fit()
        # Made shorter (a message's strip at the foot of the screen, ui/app.tcss), the table
        # keeps the row under its cursor in sight: it is most often the one just acted on
        # (b15e F7: `c` on the inbox's last row, which a toast then hid).
        self.call_after_refresh(self._cursor_in_sight)

    def _cursor_in_sight(self) -> None:
        if not self.row_count or self.cursor_type == "none":
            return
        # Moved onto the row it is on: no highlight to report (as in _rebuild).
        with self.prevent(DataTable.RowHighlighted, DataTable.CellHighlighted,
                          DataTable.ColumnHighlighted):
            self.move_cursor(row=self.cursor_row, column=self.cursor_column, animate=False,
                             scroll=True)

    def _schedule_fit(self) -> None:
        if not self._fit_pending:
            self._fit_pending = True
            self.call_after_refresh(self.fit)

    def _available(self) -> int:
        return self.content_region.width - self.styles.scrollbar_size_vertical

    def fit(self) -> None:
        """Work the layout out for the width the table has now; rebuild if it changed."""
        self._fit_pending = False
        available = self._available()
        if available <= 0 or not self.specs:
            return
        empty = frozenset(c.key for c in self.specs if c.key not in self._filled)
        layout = fit_columns(self.specs, self._natural, available, self.cell_padding,
                             empty if self._held else frozenset())
        if layout != self._layout:
            self._layout = layout
            self._rebuild()
            self.post_message(self.Fitted(self))

    def _cut(self, value: CellType) -> CellType:
        # A cell narrowed below its text ends in "…" so the user sees there is more.
        if isinstance(value, Text):
            return _ellipsis(value)  # type: ignore[return-value]
        return value

    def _shown_cells(self, values: dict[str, CellType]) -> list[CellType]:
        keys = self._layout or {c.key: 0 for c in self.specs}
        return [self._cut(values.get(key, "")) for key in keys]  # type: ignore[arg-type]

    def _rebuild(self) -> None:
        at = None
        if self.row_count and self.cursor_row < len(self._held):
            at = self.cursor_row
        scroll_y = self.scroll_y
        held = list(self._held)
        # The cursor ends on the row it was on: no highlight to report (a screen that reads the
        # highlighted row's document would read it again, cancelling its own read).
        with self.prevent(DataTable.RowHighlighted, DataTable.CellHighlighted,
                          DataTable.ColumnHighlighted):
            super().clear(columns=True)
            keys: dict[str, int | None] = dict(self._layout) or {c.key: None for c in self.specs}
            for key, width in keys.items():
                super().add_column(_ellipsis(self._labels[key]), key=key, width=width)
            for row in held:
                super().add_row(*self._shown_cells(row.cells), height=row.height, key=row.key)
            if at is not None and at < self.row_count:
                self.move_cursor(row=at, animate=False, scroll=False)
        if at is not None and at < self.row_count:
            self.scroll_to(y=scroll_y, animate=False, immediate=True)
