"""A yes-or-no question before something that cannot be taken back: throwing away what was
typed, or a step that acts in someone's name (signing, deciding, writing to the customer).
The question names who acts and what goes out; y or Enter on the first button says yes, n or
Escape says no, pressed while it is on screen (question_keys.py)."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from crm_tui.ui.dialogs.fit_list import fit_list
from crm_tui.ui.dialogs.keys import DialogKeys
from crm_tui.ui.dialogs.question_keys import AnswersOnlyKeysAfterShown
from crm_tui.ui.guide import Guide
from crm_tui.ui.text import literal
from crm_tui.ui.widgets.more_panel import MorePanel


class AskDialog(AnswersOnlyKeysAfterShown, ModalScreen[bool]):
    DEFAULT_CSS = """
    AskDialog { align: center middle; }
    AskDialog > Vertical {
        width: 76; height: auto; max-height: 90%; border: thick $warning; background: $surface;
        padding: 1 2 0 2;
    }
    AskDialog #ask-question { text-style: bold; }
    AskDialog #ask-detail-box { height: auto; margin-top: 1; }
    AskDialog #ask-detail-box.-more {
        border-bottom: round $warning 60%; border-subtitle-color: $text-muted;
    }
    AskDialog #ask-detail { color: $text-muted; width: 1fr; height: auto; }
    AskDialog Horizontal { height: auto; margin-top: 1; }
    AskDialog Button { margin-right: 2; }
    """
    GUIDE = Guide("A question before acting",
                  "Asked before a step that cannot be taken back: it names who acts, for whom "
                  "and what goes out. Nothing is done until you say yes.")
    BINDINGS = [Binding("y", "answer(True)", "Yes", key_display="y",
                        tooltip="Go ahead, as the question says"),
                Binding("n,escape", "answer(False)", "No", key_display="n/esc",
                        tooltip="Go back; nothing is done"),
                # A long detail (every export of a file to be destroyed) scrolls inside its
                # box, as its border says: at 80x24 the question showed 3 of 9 exports, the
                # copies to delete by hand not among them, and the buttons were cut off.
                *(Binding(key, f"scroll_detail('{how}')", show=False)
                  for key, how in (("down", "down"), ("up", "up"), ("pagedown", "page_down"),
                                   ("pageup", "page_up"), ("home", "home"), ("end", "end")))]

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
                with MorePanel(id="ask-detail-box"):
                    yield Static(literal(self.detail, wrap=True), id="ask-detail")
            with Horizontal():
                yield Button(f"{self.yes} (y)", variant="primary", id="ask-yes")
                yield Button(f"{self.no} (n)", id="ask-no")
            yield DialogKeys()

    def on_mount(self) -> None:
        self.query_one("#ask-yes", Button).focus()

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        # The detail is never taller than the room the dialog leaves it: the question and
        # the buttons stay in sight, and the detail scrolls (↓, PgDn, End).
        for box in self.query("#ask-detail-box"):
            fit_list(self, self.query_one(Vertical), box, 1000)

    def action_scroll_detail(self, how: str) -> None:
        for box in self.query("#ask-detail-box").results(MorePanel):
            getattr(box, f"scroll_{how}")(animate=False)

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
