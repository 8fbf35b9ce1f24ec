"""Tick some of a list, then run the step it is for: the behaviour a contact or a document
shows (the policy's examples), a customer's contact needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.equality import ContactNeed
from crm_tui.domain.errors import DomainError
from crm_tui.services.core.database import session
from crm_tui.ui.delivery import deliver
from crm_tui.ui.dialogs.base import FormDialog
from crm_tui.ui.dialogs.fit_list import fit_list
from crm_tui.ui.guide import Guide
from crm_tui.ui.text import literal, ticks
from crm_tui.ui.widgets.tick_marks import SelectionList


class Ticks(SelectionList[str]):
    """The list, its space key told in the dialog's footer: the one place it is said (a line
    above the list said it again)."""

    BINDINGS = [Binding("space", "select", "Tick or untick", key_display="space",
                        tooltip="Tick or untick the item the cursor is on")]


class TickDialog(FormDialog):
    DEFAULT_CSS = """
    TickDialog { align: center middle; }
    TickDialog > Vertical {
        width: 80; height: auto; max-height: 90%; border: thick $accent; background: $surface;
        padding: 1 2 0 2;
    }
    TickDialog #tag-title { text-style: bold; }
    TickDialog SelectionList { height: auto; max-height: 17; margin-top: 1; }
    TickDialog #form-error { color: $error; height: auto; }
    """
    GUIDE = Guide("Tick the items that apply",
                  'Tick the items that apply, then save.')
    DISCARD = "the changes to the ticks"

    def __init__(self, title: str, items: list[tuple[str, str, bool]],
                 submit: Callable[[tuple[str, ...]], Any], *, save: str) -> None:
        """`items`: (label, key, ticked); `submit` gets the ticked keys, in list order;
        `save`: what the save key does ("Keep the behaviours ticked")."""
        super().__init__()
        self._title, self._items, self._submit = title, items, submit
        self.GUIDE = Guide(title, self.GUIDE.purpose)
        self.name_save(save)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self._title), id="tag-title")
            # Labels as written: a contact's summary or a file's name is the customer's text.
            yield Ticks(*ticks(self._items), id="tags")
            yield Static("", id="form-error")

    def on_resize(self, event: events.Resize) -> None:
        # As tall as its items (17 at most) within the room the dialog leaves it (fit_list).
        self.call_after_refresh(
            fit_list, self, self.query_one(Vertical), self.query_one(Ticks), 17)

    def action_save(self) -> None:
        ticked = set(self.query_one("#tags", SelectionList).selected)
        self.run_step(tuple(key for _, key, _ in self._items if key in ticked))

    @work(thread=True, exclusive=True, exit_on_error=False, group="tag-step")
    def run_step(self, keys: tuple[str, ...]) -> None:
        try:
            with session():
                self._submit(keys)
        except DomainError as exc:
            deliver(self, self.show_error, exc)
            return
        deliver(self, self.dismiss, keys)


def tag_dialog(title: str, selected: tuple[BehaviourCategory, ...],
               submit: Callable[[tuple[BehaviourCategory, ...]], Any]) -> TickDialog:
    """Tick the behaviour categories shown."""
    return TickDialog(title, [(c.label, c.name, c in selected) for c in BehaviourCategory],
                      lambda names: submit(tuple(BehaviourCategory[n] for n in names)),
                      save="Keep the behaviours ticked")


def needs_dialog(title: str, selected: tuple[ContactNeed, ...],
                 submit: Callable[[tuple[ContactNeed, ...]], Any]) -> TickDialog:
    """Tick the customer's contact needs."""
    return TickDialog(title, [(n.label, n.value, n in selected) for n in ContactNeed],
                      lambda values: submit(tuple(ContactNeed(v) for v in values)),
                      save="Keep the needs ticked")
