"""Said when the person the app acts as can no longer act: the user administrator ended their
access, or changed their role, from elsewhere while the app was open (found when tried: the
app kept acting as a person deactivated meanwhile). Every step is refused by the services
anyway; this says why before anyone types a form in vain."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from crm_tui.services.core.audit_seals import AUDIT_VERIFY
from crm_tui.ui.dialogs.keys import DialogKeys
from crm_tui.ui.dialogs.question_keys import AnswersOnlyKeysAfterShown
from crm_tui.ui.guide import Guide
from crm_tui.ui.text import literal


class AccessEndedDialog(AnswersOnlyKeysAfterShown, ModalScreen[str]):
    """Answers "switch" (act as someone else: the demo) or "quit"; nothing else closes it."""

    DEFAULT_CSS = """
    AccessEndedDialog { align: center middle; }
    AccessEndedDialog > Vertical {
        width: 72; height: auto; border: thick $error; background: $surface; padding: 1 2 0 2;
    }
    AccessEndedDialog #title { text-style: bold; color: $error; margin-bottom: 1; }
    AccessEndedDialog #message { margin-bottom: 1; }
    """
    GUIDE = Guide("Access ended",
                  "The person the app acts as can no longer act: nothing more is saved in "
                  "their name.")
    BINDINGS = [Binding("u", "switch", "Act as someone else",
                        tooltip="Pick another person of the demo to act as"),
                Binding("q", "quit_app", "Quit", tooltip="Close crm-tui")]
    HOLDS_KEYS = True

    def __init__(self, why: str, *, demo: bool, edited: str = "", name: str = "") -> None:
        """`edited`: the person's own user record was changed in the database, not by the
        app (grants.Standing.record_edited), said as such, at start as at any step."""
        super().__init__()
        self.why = why
        self.demo = demo
        self.edited = edited
        self.person = name

    def compose(self) -> ComposeResult:
        with Vertical():
            if self.edited:
                yield Static("Your user record was changed outside the app", id="title")
                yield Static(literal(
                    f"{self.person}: {self.edited}. Nothing can be recorded in your name "
                    "until it is looked into: ask the user administrator, who can run "
                    f"`{AUDIT_VERIFY}` to see what was changed. "
                    + ("Act as someone else (u) or quit (q)." if self.demo else "Quit (q)."),
                    wrap=True), id="message")
            else:
                yield Static("You can no longer act", id="title")
                yield Static(literal(f"{self.why}. Nothing more can be saved in their name: "
                                     + ("act as someone else (u) or quit (q)." if self.demo
                                        else "quit (q) and ask the user administrator."),
                                     wrap=True), id="message")
            yield DialogKeys()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.demo if action == "switch" else True

    def action_switch(self) -> None:
        self.dismiss("switch")

    def action_quit_app(self) -> None:
        self.dismiss("quit")
