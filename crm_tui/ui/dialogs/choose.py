"""Choose one of a short list (for example the officer to assign a case to)."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from crm_tui.ui.dialogs.fit_list import fit_list
from crm_tui.ui.dialogs.keys import DialogKeys
from crm_tui.ui.dialogs.question_keys import AnswersOnlyKeysAfterShown
from crm_tui.ui.guide import Guide
from crm_tui.ui.text import literal


class ListChoice(ModalScreen[str | None]):
    """A dialog answered by choosing from its list: the chosen option's id, or None when
    cancelled. Its BINDINGS give Enter to `choose` and Escape to `cancel`."""

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_choose(self) -> None:
        self.query_one(OptionList).action_select()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChooseDialog(AnswersOnlyKeysAfterShown, ListChoice):
    DEFAULT_CSS = """
    ChooseDialog { align: center middle; }
    ChooseDialog > Vertical {
        width: 70; height: auto; max-height: 80%; border: thick $accent;
        background: $surface; padding: 1 2 0 2;
    }
    ChooseDialog OptionList { height: auto; max-height: 16; margin-top: 1; }
    """
    GUIDE = Guide("Choose",
                  'Choose one of the list with the arrows and Enter.')
    BINDINGS = [Binding("enter", "choose", "Choose", key_display="enter", priority=True,
                        tooltip="Choose the highlighted item of the list"),
                Binding("escape", "cancel", "Cancel", key_display="esc",
                        tooltip="Close the list without choosing; nothing is changed")]

    def __init__(self, title: str, choices: list[tuple[str, str]], *,
                 question: bool = False, no_default: bool = False) -> None:
        """`question`: it comes up of itself (after a save), not as a list a key asked for:
        keys typed before it came up do not choose (question_keys.py). `no_default`: nothing
        is highlighted until an arrow is pressed, so Enter alone chooses nothing (a question
        whose every answer has consequences: which person a referral is about)."""
        super().__init__()
        self.answers_only_keys_after_shown = question
        self._no_default = no_default
        self._title = title
        self.GUIDE = Guide(title, self.GUIDE.purpose)
        self._choices = choices  # (id, label)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(f"{self._title} (Enter to choose, Escape to cancel)"))
            yield OptionList(*[Option(label, id=key) for key, label in self._choices],
                             markup=False)
            yield DialogKeys()

    def on_mount(self) -> None:
        super().on_mount()
        if self._no_default:
            self.call_after_refresh(self._highlight_nothing)

    def _highlight_nothing(self) -> None:
        self.query_one(OptionList).highlighted = None

    def on_resize(self, event: events.Resize) -> None:
        # As tall as its items (16 at most) within the room the dialog leaves it (fit_list).
        self.call_after_refresh(
            fit_list, self, self.query_one(Vertical), self.query_one(OptionList), 16)
