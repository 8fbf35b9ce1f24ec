"""A question is answered only by keys pressed while it is on screen (t15c F10: `c` and a
view typed at once for the consultation form met the question that comes first, "…rests on
no evidence. Record the view anyway?", and the `y` of "typed" answered it; the words were
lost). The app hands keys typed ahead on to the screen a key opens (keys_wait.py): right for
a form or a list asked for, wrong for a question that comes up of itself, before a form or
after a save. A key pressed before the question was shown is dropped there, with the bell and,
once, a word saying why; the question stays open, unanswered."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App, ScreenStackError
from textual.message import Message

EARLY = ("Answer the question first: the keys typed before it came up were not taken as "
         "its answer")


def _now() -> float:
    # The clock Textual stamps each message with (its own, in a private module), read the
    # public way: a key's `time` is compared with it.
    return Message().time


class AnswersOnlyKeysAfterShown:
    """For a question dialog (a ModalScreen): `shown_at`, when it last came on top (pushed, or
    uncovered), on the clock of the keys' `time`. `answers_only_keys_after_shown` False: keys
    typed ahead go to it as to any screen (a list a key asked for)."""

    answers_only_keys_after_shown = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Until its ScreenResume (posted as it is pushed) has been handled: never later than
        # the push.
        self.shown_at = _now()
        self.told_early = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        self.shown_at = event.time


def dropped_before_question(app: App[Any], event: events.Key) -> bool:
    """Whether `event` was pressed before the question on top was shown: then it is dropped
    (True), the bell rung and, the first time, the reason said."""
    try:
        screen = app.screen
    except ScreenStackError:
        return False
    if not (isinstance(screen, AnswersOnlyKeysAfterShown)
            and screen.answers_only_keys_after_shown and event.time < screen.shown_at):
        return False
    app.bell()
    if not screen.told_early:
        screen.told_early = True
        app.notify(EARLY, title="Not an answer", timeout=6)
    return True
