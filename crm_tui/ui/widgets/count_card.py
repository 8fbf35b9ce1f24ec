"""A labelled count on the home screen; a non-zero count that needs action stands out."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label


class CountCard(Widget, can_focus=True):
    DEFAULT_CSS = """
    CountCard {
        width: 1fr; height: 4; border: round $primary-darken-1; padding: 0 1;
        background: $panel;
    }
    CountCard:focus { border: round $accent; background: $boost; }
    CountCard .count { text-style: bold; width: 100%; content-align: left middle; }
    CountCard .label { color: $text-muted; width: 100%; }
    CountCard.-alert { border: round $error; }
    CountCard.-alert .count { color: $error; }
    CountCard.-loading .count { color: $text-disabled; }
    """

    count: reactive[int | None] = reactive(None)

    def __init__(self, label: str, *, alert_when_nonzero: bool = False, id: str) -> None:
        super().__init__(id=id)
        self.label = label
        self.alert_when_nonzero = alert_when_nonzero
        self.add_class("-loading")

    def compose(self) -> ComposeResult:
        yield Label("…", classes="count")
        yield Label(self.label, classes="label")

    def watch_count(self, count: int | None) -> None:
        self.set_class(count is None, "-loading")
        self.set_class(bool(count) and self.alert_when_nonzero, "-alert")
        if self.is_mounted:
            self.query_one(".count", Label).update("…" if count is None else str(count))

    def on_mount(self) -> None:
        self.watch_count(self.count)
