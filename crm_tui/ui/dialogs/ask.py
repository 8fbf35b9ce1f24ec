"""A yes-or-no question before something that cannot be taken back: throwing away what was
typed, or a step that acts in someone's name (signing, deciding, writing to the customer).
The question names who acts and what goes out; y or Enter on the first button says yes, n or
Escape says no."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from crm_tui.ui.dialogs.keys import DialogKeys
from crm_tui.ui.guide import Guide
from crm_tui.ui.text import literal


class AskDialog(ModalScreen[bool]):
    DEFAULT_CSS = """
    AskDialog { align: center middle; }
    AskDialog > Vertical {
        width: 76; height: auto; max-height: 90%; border: thick $warning; background: $surface;
        padding: 1 2 0 2;
    }
    AskDialog #ask-question { text-style: bold; }
    AskDialog #ask-detail { color: $text-muted; margin-top: 1; }
    AskDialog Horizontal { height: auto; margin-top: 1; }
    AskDialog Button { margin-right: 2; }
    """
    GUIDE = Guide("A question before acting",
                  "Asked before a step that cannot be taken back: it names who acts, for whom "
                  "and what goes out. Nothing is done until you say yes.")
    BINDINGS = [Binding("y", "answer(True)", "Yes", key_display="y",
                        tooltip="Yes: go ahead, as the question says"),
                Binding("n,escape", "answer(False)", "No", key_display="n/esc",
                        tooltip="No: go back; nothing is done")]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No",
                 detail: str = "", hold_keys: bool = False) -> None:
        """`hold_keys`: a yes holds the keys typed after it (the app's `hold_keys`; its number
        in `held`) for the step it sets off to let go, as a passphrase typed with the yes
        waits for its prompt."""
        super().__init__()
        self.question, self.yes, self.no, self.detail = question, yes, no, detail
        self.holds_keys = hold_keys
        self.held: int | None = None
        # The keys inside say what the buttons say ("y Sign", "n/esc Not now").
        keys = self._bindings.key_to_bindings
        keys["y"] = [Binding("y", "answer(True)", yes, key_display="y",
                             tooltip=f"{yes}: go ahead, as the question says")]
        for key in ("n", "escape"):
            keys[key] = [Binding(key, "answer(False)", no, key_display="n/esc",
                                 tooltip=f"{no}: go back; nothing is done")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self.question, wrap=True), id="ask-question")
            if self.detail:
                yield Static(literal(self.detail, wrap=True), id="ask-detail")
            with Horizontal():
                yield Button(f"{self.yes} (y)", variant="primary", id="ask-yes")
                yield Button(f"{self.no} (n)", id="ask-no")
            yield DialogKeys()

    def on_mount(self) -> None:
        self.query_one("#ask-yes", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "ask-yes")

    def action_answer(self, yes: bool) -> None:
        # Held here, as the yes is taken: the callback runs later, in the screen that asked,
        # and the keys after the yes, let go meanwhile, went to that screen as its keys (a
        # passphrase's letters as area keys: d the calendar, t the team).
        hold = getattr(self.app, "hold_keys", None)
        if yes and self.holds_keys and self.held is None and callable(hold):
            self.held = hold()
        self.dismiss(yes)
