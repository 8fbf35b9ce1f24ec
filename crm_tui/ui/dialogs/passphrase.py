"""Ask for the signing key's passphrase when the keyring does not hold it. It is used for this
signing only: never stored, never logged."""

from __future__ import annotations

from collections.abc import Callable

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from crm_tui.ui.dialogs.keys import DialogKeys
from crm_tui.ui.guide import LETTER, Guide
from crm_tui.ui.painted import when_painted
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
                 notice: str | None = None, held: int | None = None,
                 working: str = "", answered: Callable[[str], None] | None = None) -> None:
        """`what`: what the passphrase confirms, naming who acts ("Sign the decision letter
        to Mr X as Ceri Hughes, …?"), so that nobody confirms blind. `notice`: why the
        keyring is not used, said once per process: carried by the dialog itself, since a
        toast given just before it opened belonged to the screen beneath (or to the question
        still closing) and went with it, unseen, one time in two. `held`: the app's hold on
        the keys typed since the step was confirmed (`hold_keys`), let go once the field has
        the focus (as soon as the dialog was on top, they went to no field: the passphrase's
        letters ran as the app's keys once Enter had closed the prompt; round 11).
        `answered`, `working`: the passphrase goes to `answered` and the prompt stays, saying
        `working`, taking no keys, until the step it confirms has answered (`finish`): it
        closed at once, the screen looked idle for the seconds an appeal's decision takes,
        and the keys typed meanwhile acted on the screens below once it had gone (found when
        tried)."""
        super().__init__()
        self._why, self._hint, self._title, self._what = why, hint, title, what
        self._notice = notice
        self._held = held
        self._working, self._answered = working, answered
        self.busy = False
        self.closed = False  # dismissed by the person: nothing left for `finish` to close

    @property
    def awaits_answer(self) -> bool:
        """A worker waits for the passphrase (ui.confirm) and none has been given yet: the
        keys typed are the prompt's as soon as it is ready (ui.keys_wait.waited_on), and a
        test's settle fails at once, naming it, rather than wait for that worker."""
        return not self.busy and not self.closed

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
        self._give(event.value)

    def action_confirm(self) -> None:
        self._give(self.query_one(Input).value)

    def action_cancel(self) -> None:
        if not self.busy:
            self.closed = True
            self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the step runs nothing here may be pressed: neither confirmed again nor
        # "cancelled" (it can no longer be).
        return not (self.busy and action in ("confirm", "cancel"))

    def on_key(self, event: events.Key) -> None:
        if self.busy:  # typed while the step runs: for nothing below, once the prompt goes
            event.stop()
            event.prevent_default()

    def _give(self, secret: str) -> None:
        if self.busy:
            return
        if self._answered is None or not secret:
            self.closed = True
            self.dismiss(secret)
            return
        self.busy = True
        field = self.query_one(Input)
        field.value = ""
        field.display = False
        self.set_focus(None)
        self.query_one("#pass-help", Static).update(literal(self._working, "bold", wrap=True))
        # The keys go at once, with the field: recomposed after a refresh of its own, the
        # dialog's footer went on offering `enter Confirm esc Cancel` in the first paint.
        self.query_one(DialogKeys).display = False
        self.refresh_bindings()
        # The step's worker goes only once this is on the terminal: its work holds the
        # interpreter, and the prompt looked idle for the 1 to 2.5 s it took (ui.painted).
        answered = self._answered
        when_painted(self, lambda: answered(secret))

    def finish(self) -> None:
        """The step has answered: the prompt goes (with anything opened over it meanwhile)."""
        if not self.closed and self.app.is_running and self in self.app.screen_stack:
            self.closed = True
            self.pop_until_active()
            self.dismiss(None)
