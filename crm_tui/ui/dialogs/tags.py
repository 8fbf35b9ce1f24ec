"""Tick the behaviour a contact or a document shows (the policy's examples)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList, Static

from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.errors import DomainError
from crm_tui.services.database import session
from crm_tui.ui.delivery import DeliveryMixin, deliver
from crm_tui.ui.text import literal

Submit = Callable[[tuple[BehaviourCategory, ...]], Any]


class TagDialog(DeliveryMixin, ModalScreen[Any]):
    DEFAULT_CSS = """
    TagDialog { align: center middle; }
    TagDialog > Vertical {
        width: 80; height: auto; max-height: 90%; border: thick $accent; background: $surface;
        padding: 1 2;
    }
    TagDialog #tag-title { text-style: bold; }
    TagDialog #tag-help { color: $text-muted; }
    TagDialog SelectionList { height: auto; max-height: 17; margin-top: 1; }
    TagDialog #error { color: $error; height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]
    HOLDS_KEYS = True

    def __init__(self, title: str, selected: tuple[BehaviourCategory, ...],
                 submit: Submit) -> None:
        super().__init__()
        self._title, self._selected, self._submit = title, selected, submit

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self._title), id="tag-title")
            yield Static("Space ticks or unticks; ctrl+s saves; Escape cancels.", id="tag-help")
            yield SelectionList[str](*[(c.label, c.name, c in self._selected)
                                       for c in BehaviourCategory], id="tags")
            yield Label("", id="error")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_save(self) -> None:
        names = self.query_one("#tags", SelectionList).selected
        self.run_step(tuple(BehaviourCategory[str(n)] for n in names))

    @work(thread=True, exclusive=True, exit_on_error=False, group="tag-step")
    def run_step(self, categories: tuple[BehaviourCategory, ...]) -> None:
        try:
            with session():
                self._submit(categories)
        except DomainError as exc:
            deliver(self, self.show_error, str(exc))
            return
        deliver(self, self.dismiss, categories)

    def show_error(self, message: str) -> None:
        self.query_one("#error", Label).update(literal(message, wrap=True))

    def action_cancel(self) -> None:
        self.dismiss(None)
