"""Decisions of consequence, confirmed from a screen: the step runs with the keyring's
passphrase; if the keyring does not hold it, the person is asked for it; if they have no
personal key yet, they choose its passphrase and it is made (at first use). Called from the
thread worker that runs the step, which waits while the person answers; the passphrase is
used for that step only, never kept by the screen."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from textual.app import App

from crm_tui.domain.roles import Actor
from crm_tui.services.core import confirmation, settings
from crm_tui.services.core.database_facts import demo_user
from crm_tui.services.core.passphrases import (
    DEMO_PASSPHRASE,
    NoPersonalKey,
    NotConfirmed,
    PassphraseNeeded,
)
from crm_tui.ui.dialogs.passphrase import PassphraseDialog

T = TypeVar("T")


# Said on the prompt while the step it confirmed runs (it stays until the step answers).
WORKING = ("Passphrase taken: recording it now… This can take a few seconds; keys typed "
           "meanwhile are ignored.")


def ask_passphrase(app: App[Any], title: str, why: str, hint: str, what: str,
                   notice: str | None = None, held: int | None = None,
                   ) -> tuple[str | None, PassphraseDialog]:
    """From a thread worker: the passphrase typed (None if cancelled) and its prompt, which
    stays on screen saying the step is being recorded until `PassphraseDialog.finish`.
    `held`: the app's hold on the keys typed since the step was confirmed (the prompt lets
    them go once its field has the cursor)."""
    answer: Future[str | None] = Future()

    def give(secret: str | None) -> None:
        if not answer.done():  # given once; the prompt's closing after the step gives None
            answer.set_result(secret)

    dialog = PassphraseDialog(why, hint, title=title, what=what, notice=notice, held=held,
                              working=WORKING, answered=give)
    app.call_from_thread(app.push_screen, dialog, give)
    while True:  # the person may take their time; if the app closes meanwhile, stop waiting
        try:
            return answer.result(timeout=0.5), dialog
        except TimeoutError:
            if not app.is_running:
                return None, dialog


def finish(app: App[Any], dialog: PassphraseDialog | None) -> None:
    """From the worker, once the step has answered: its prompt (if one was asked) goes."""
    if dialog is not None and app.is_running:
        app.call_from_thread(dialog.finish)


def _hint() -> str:
    return (f"The demo's people use the passphrase {DEMO_PASSPHRASE}."
            if demo_user() is not None else "")


def confirmed(app: App[Any], actor: Actor, step: Callable[[], T], what: str) -> T:
    """Run `step` (in a thread worker) confirmed by `actor`'s own passphrase. `what`: the
    step as the passphrase prompt names it (who acts, what goes out): asked of every caller,
    as a prompt saying only "Confirming as …" left the person to guess what they confirmed
    (issue 15)."""
    # The prompt asked stays on screen, saying the step is being recorded and taking no
    # keys, until the step has answered (PassphraseDialog.finish).
    dialog: PassphraseDialog | None = None
    try:
        try:
            return step()
        except NoPersonalKey:
            secret, dialog = ask_passphrase(app, "Make your personal key",
                                  "You have no personal key yet. It confirms your decisions "
                                  "and signs your letters. Choose its passphrase (at least 8 "
                                  "characters)", _hint(), what)
            if not secret:
                raise NotConfirmed("not confirmed: nothing was changed") from None
            from crm_tui.services.letters import signing_keys  # cryptography when needed

            signing_keys.create_key(actor, actor.login, secret,
                                    council=settings.current().council.name,
                                    demo=demo_user() is not None)
        except PassphraseNeeded as exc:
            # Why the keyring is not used goes on the prompt: a toast given as it opened went
            # with the screen beneath.
            secret, dialog = ask_passphrase(app, "Confirm with your passphrase",
                                  str(exc).capitalize(), _hint(), what, exc.notice)
            if not secret:
                raise NotConfirmed("not confirmed: nothing was changed") from None
        with confirmation.given(secret):
            return step()
    finally:
        finish(app, dialog)


def confirming(app: App[Any], actor: Actor, submit: Callable[..., T], *,
               what: str | Callable[..., str]) -> Callable[..., T]:
    """A dialog's submit function whose step is confirmed as above. `what` may be worked out
    from what the dialog gives (the person chosen in it, the view given…)."""
    return lambda *args: confirmed(app, actor, lambda: submit(*args),
                                   what(*args) if callable(what) else what)


def acting_as(actor: Actor) -> str:
    """Who acts, as a confirmation names them: "Ceri Hughes, Complaints Resolution Manager"."""
    role = actor.role.label.removesuffix(" (or nominated officer)")
    return f"{actor.name}, {role}"
