"""The baseline for start-up: a bare Textual app (a header, a 60-row DataTable, a footer),
started the same way as crm-tui and timed to the same kind of painted screen."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Reference", "Customer", "State")
        table.add_rows([(f"REF-{n:04d}", f"Customer {n}", "new") for n in range(60)])
        self.sub_title = "60 rows shown"


if __name__ == "__main__":
    Bare().run()
