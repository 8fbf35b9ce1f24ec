"""A labelled count on the home screen; a non-zero count that needs action stands out."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label

from crm_tui.domain.counting import counted


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

    def __init__(self, label: str, *, one: str = "", alert_when_nonzero: bool = False,
                 id: str) -> None:
        """`label`: what is counted, for any count but 1; `one`: for a count of 1 ("Appeal
        awaiting a decision"), where the label counts a noun."""
        super().__init__(id=id)
        self.label = self._many = label
        self._one = one
        self.alert_when_nonzero = alert_when_nonzero
        self.add_class("-loading")

    def compose(self) -> ComposeResult:
        yield Label("…", classes="count")
        yield Label(self.label, classes="label")

    def watch_count(self, count: int | None) -> None:
        self.set_class(count is None, "-loading")
        self.set_class(bool(count) and self.alert_when_nonzero, "-alert")
        self.label = (counted(count, self._one, self._many).partition(" ")[2]
                      if count is not None and self._one else self._many)
        if self.is_mounted:
            self.query_one(".count", Label).update("…" if count is None else str(count))
            self.query_one(".label", Label).update(self.label)

    def on_mount(self) -> None:
        self.watch_count(self.count)
