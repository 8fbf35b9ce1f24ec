"""A tab's pane holding a list over a reader (the evidence's documents over the document read):
the list is as tall as its rows, up to a most, and gives up lines first when the pane is short,
so that the reader keeps lines of its own.

At 80x24, while the toasts after logging a contact stood in their strip (~10 s), the documents'
table kept its nine lines, four of them empty, and the reader below it got none at all (v15d N2).
A pane's Resize comes whenever the screen gives it more or fewer lines, a toast's strip coming or
going among them.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import DataTable, TabPane


class ListOverReader(TabPane):
    def __init__(self, title: str, *children: Widget, list_id: str, reader_id: str,
                 most_rows: int, reader_lines: int, id: str) -> None:
        super().__init__(title, *children, id=id)
        self.list_id, self.reader_id = list_id, reader_id
        self.most_rows, self.reader_lines = most_rows, reader_lines

    def on_resize(self, event: events.Resize) -> None:
        self.fit()

    def fit(self) -> None:
        """Size the list for its rows and the pane's room; the reader (1fr) takes the rest."""
        table = self.query_one(f"#{self.list_id}", DataTable)
        reader = self.query_one(f"#{self.reader_id}", Widget)
        inside = self.content_region
        if not inside.height or not table.region.height:
            return  # another tab is shown: fitted when this one is
        above = table.region.y - inside.y  # the search and its status line
        header = table.header_height if table.show_header else 0
        rows = header + table.row_count
        room = inside.height - above - self.reader_lines - reader.styles.gutter.height
        # The header and a row stay, the cursor's row among them (the table keeps it in sight).
        least = min(rows, header + 1)
        height = max(least, min(rows, header + self.most_rows, room))
        if table.styles.height is None or table.styles.height.cells != height:
            table.styles.height = height
