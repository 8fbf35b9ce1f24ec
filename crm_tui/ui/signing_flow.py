"""Signing from a screen: first ask, naming who signs and what goes to whom ("Sign and issue
the decision letter to Mr X as Ceri Hughes, Complaints Resolution Manager?"); then try with the
keyring's passphrase; if there is none, ask for it once and try again. The work runs in a
thread worker; the passphrase is kept only for the length of the step."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from textual.screen import Screen

from crm_tui.domain.errors import DomainError
from crm_tui.domain.roles import Actor
from crm_tui.services.core.database import session
from crm_tui.services.core.database_facts import demo_user
from crm_tui.services.letters import signing_facts
from crm_tui.ui.confirm import acting_as, ask_passphrase, finish
from crm_tui.ui.delivery import deliver
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.passphrase import PassphraseDialog
from crm_tui.ui.toasts import KEYRING_NOT_USED

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp

Step = Callable[[str | None], Any]


class SigningFlow(Screen[None]):
    def sign_with(self, step: Step, done: Callable[[Any], None],
                  passphrase: str | None = None, *, question: str = "",
                  what: str = "", held: int | None = None) -> None:
        """`question`: asked first; nothing is signed unless the signer says yes. `what`:
        what the passphrase prompt says is being signed (the question, once answered).
        `held`: the app's hold on the keys typed since the yes (let go once the passphrase
        prompt is open, or the step has answered)."""
        if question:
            ask = AskDialog(question, yes="Sign", no="Not now", hold_keys=True)
            self.app.push_screen(ask, lambda yes: self._answered(step, done, passphrase,
                                                                  question, ask.held)
                                 if yes else None)
            return
        self.run_worker(lambda: self._attempt(step, done, passphrase, what, held),
                        thread=True, exclusive=True, group="signing", exit_on_error=False)

    def _answered(self, step: Step, done: Callable[[Any], None], passphrase: str | None,
                  question: str, held: int | None) -> None:
        # "y" then the passphrase at once (round 11): the keys typed before its prompt opened
        # went to the screen below (letters as area keys; once the app closed). They are held
        # from the yes (`held`, taken by the question) for the prompt, or let go once the step
        # has answered without one.
        self.sign_with(step, done, passphrase, what=question, held=held)

    def _let_go(self, held: int | None) -> None:
        let_go = getattr(self.app, "let_go_keys", None)
        if held is not None and callable(let_go):
            let_go(held)

    def _then(self, held: int | None, act: Callable[..., None], *args: Any) -> None:
        try:
            act(*args)
        finally:
            self._let_go(held)

    def _attempt(self, step: Step, done: Callable[[Any], None], passphrase: str | None,
                 what: str, held: int | None = None) -> None:
        """In the worker. A passphrase asked for is waited for here, and its prompt stays,
        saying the letters are being signed and taking the keys typed meanwhile, until the
        step has answered (as every step confirmed with a passphrase: ui.confirm)."""
        prompt: PassphraseDialog | None = None
        try:
            while True:
                try:
                    with session():
                        demo = demo_user() is not None
                        result = step(passphrase)
                    break
                except signing_facts.PassphraseNeeded as exc:
                    if passphrase is None and prompt is None:
                        passphrase, prompt = self._ask(str(exc), demo, what, exc.notice, held)
                        held = None  # the prompt let them go
                        if not passphrase:
                            return
                        continue
                    finish(self.app, prompt)
                    if exc.notice:
                        deliver(self, self._tell, exc.notice)
                    deliver(self, self._then, held, self._refused, str(exc))
                    return
                except DomainError as exc:
                    finish(self.app, prompt)
                    deliver(self, self._then, held, self._refused, str(exc))
                    return
                except Exception:
                    deliver(self, self._let_go, held)
                    raise
            finish(self.app, prompt)  # first: what `done` opens must not be closed with it
            deliver(self, self._then, held, done, result)
        finally:
            finish(self.app, prompt)

    def _ask(self, why: str, demo: bool, what: str, notice: str | None,
             held: int | None) -> tuple[str | None, PassphraseDialog]:
        """The keys held since the yes go to the prompt once its field has the focus."""
        hint = (f"The demo's keys use the passphrase {signing_facts.DEMO_PASSPHRASE}."
                if demo else "")
        actor = cast("CrmApp", self.app).actor
        return ask_passphrase(self.app, "Passphrase for your signing key", why.capitalize(),
                              hint, what or f"Signing as {acting_as(actor)}", notice, held)

    def _tell(self, notice: str) -> None:
        cast("CrmApp", self.app).notify(notice, title=KEYRING_NOT_USED, severity="warning",
                                        markup=False, timeout=20)

    def _refused(self, message: str) -> None:
        cast("CrmApp", self.app).notify(message, title="Not signed", severity="error",
                                        markup=False, timeout=12)
        self.signing_refused()

    def signing_refused(self) -> None:
        """Nothing was signed: a screen whose letter may have changed meanwhile (in another
        copy of the app) reads it again here."""



def signing_question(actor: Actor, what: str, to: str) -> str:
    """"Sign and issue the decision letter to Mr X as Ceri Hughes, Complaints Resolution
    Manager?" — `what`: the letter(s); `to`: whom they go to ("" when several)."""
    return (f"Sign and issue {what}{f' to {to}' if to else ''} as {acting_as(actor)}? "
            "Once signed, a letter is a record: it cannot be changed.")
