"""Ask for the signing key's passphrase when the keyring does not hold it. It is used for this
signing only: never stored, never logged."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from crm_tui.ui.dialogs.keys import DialogKeys
from crm_tui.ui.guide import LETTER, Guide
from crm_tui.ui.text import literal
from crm_tui.ui.toasts import KEYRING_NOT_USED, NOTICE_ID, DialogNotice, notice_text


class PassphraseDialog(ModalScreen[str | None]):
    DEFAULT_CSS = """
    PassphraseDialog { align: center middle; }
    PassphraseDialog > Vertical {
        width: 76; height: auto; border: thick $accent; background: $surface; padding: 1 2 0 2;
    }
    PassphraseDialog #pass-title { text-style: bold; }
    PassphraseDialog #pass-help { color: $text-muted; margin-bottom: 1; }
    """
    GUIDE = Guide("Passphrase",
                  "Your signing key's passphrase, used for this signing only and never stored.",
                  (LETTER,))
    # Enter before the field's own (hidden) Enter: the dialog's footer showed only "esc
    # Cancel", not how to confirm.
    BINDINGS = [Binding("enter", "confirm", "Confirm", key_display="enter", priority=True,
                        tooltip="Confirm with the passphrase of your personal key"),
                Binding("escape", "cancel", "Cancel", key_display="esc",
                        tooltip="Do not sign now; nothing is signed or sent")]
    HOLDS_KEYS = True

    def __init__(self, why: str, hint: str = "", *,
                 title: str = "Passphrase for your signing key", what: str = "",
                 notice: str | None = None, held: int | None = None) -> None:
        """`what`: what the passphrase confirms, naming who acts ("Sign the decision letter
        to Mr X as Ceri Hughes, …?"), so that nobody confirms blind. `notice`: why the
        keyring is not used, said once per process: carried by the dialog itself, since a
        toast given just before it opened belonged to the screen beneath (or to the question
        still closing) and went with it, unseen, one time in two. `held`: the app's hold on
        the keys typed since the step was confirmed (`hold_keys`), let go once the field has
        the focus (as soon as the dialog was on top, they went to no field: the passphrase's
        letters ran as the app's keys once Enter had closed the prompt; round 11)."""
        super().__init__()
        self._why, self._hint, self._title, self._what = why, hint, title, what
        self._notice = notice
        self._held = held

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self._title), id="pass-title")
            if self._what:
                yield Static(literal(self._what, "bold", wrap=True), id="pass-what")
            yield Static(literal(f"{self._why}. {self._hint}".strip(), wrap=True),
                         id="pass-help")
            yield Input(password=True, id="passphrase")
            if self._notice:
                yield DialogNotice(notice_text(KEYRING_NOT_USED, self._notice, "warning"),
                                   id=NOTICE_ID)
            yield DialogKeys()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(events.DescendantFocus)
    def _let_go(self) -> None:
        held, self._held = self._held, None
        let_go = getattr(self.app, "let_go_keys", None)
        if held is not None and callable(let_go):
            let_go(held)

    def on_unmount(self) -> None:
        self._let_go()  # closed (by the mouse) before its field had the focus

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_confirm(self) -> None:
        self.dismiss(self.query_one(Input).value)

    def action_cancel(self) -> None:
        self.dismiss(None)
