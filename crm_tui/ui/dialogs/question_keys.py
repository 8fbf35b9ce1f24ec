"""A question is answered only by a key pressed once it could have been read.

The app hands keys typed ahead on to the screen a key opens (keys_wait.py): right for a form
or a list asked for, wrong for a question that comes up of itself, before a form or after a
save. t15c F10: `c` and a view typed at once met "…rests on no evidence. Record the view
anyway?" and the `y` of "typed" answered it. Dropping only the keys already queued when the
question came up was not enough (v15f N1): typed a key every 0.08 s, the `y` came a few
milliseconds after the question and answered it; a `y` typed on 0.15 s after Esc answered
"Discard the referral you typed?" and the form was lost.

So a question takes no key in its first QUESTION_GRACE seconds on screen (nobody reads and
answers it faster), nor any key of a run of typing (each key within QUESTION_GRACE of the
one before) that began before then, however long the run goes on. Such a key rings the bell
and, once per question, says why; the question stays open, unanswered. The first key after a
pause of QUESTION_GRACE is an answer. Every question (a ModalScreen asking yes or no, or
choose one, of itself) takes the mixin; the app notes each key as it arrives (`key_typed`),
before any hold or drop, and asks `not_an_answer` before a key reaches the screen on top."""

from __future__ import annotations

import math
from time import monotonic
from typing import Any
from weakref import WeakKeyDictionary

from textual import events
from textual.app import App, ScreenStackError

# Seconds: longer than the gap between keys of someone typing on, shorter than it takes to
# read a question and press its key. The tests set it to 0 (a key pressed once the question
# is on screen answers it) except where they drive the clock to test it.
QUESTION_GRACE = 0.4

EARLY = ("Answer the question first: keys typed as it came up, or typed on without a pause, "
         "are not taken as its answer. Read it, then press its key")


def now() -> float:
    """The clock the rule reads: when a key came, when a question was shown (tests drive it)."""
    return monotonic()


class _Typing:
    """The app's typing so far: when its last key came, and when the run it ends began."""

    def __init__(self) -> None:
        self.last_at = -math.inf
        self.run_began = -math.inf


_typing: WeakKeyDictionary[App[Any], _Typing] = WeakKeyDictionary()
# Each key noted: when the run of typing it belongs to began.
_run_of: WeakKeyDictionary[events.Key, float] = WeakKeyDictionary()


def key_typed(app: App[Any], event: events.Key) -> None:
    """Note a key as it reaches the app, whatever then becomes of it (held for a screen to
    open, dropped after a refusal): all of it is typing. Once per key."""
    if event in _run_of:
        return
    at = now()
    typing = _typing.setdefault(app, _Typing())
    if at - typing.last_at >= QUESTION_GRACE:
        typing.run_began = at  # after a pause: a new run
    typing.last_at = at
    _run_of[event] = typing.run_began


class AnswersOnlyKeysAfterShown:
    """For a question dialog (a ModalScreen): `shown_at`, when it last came on top (pushed,
    or uncovered) and was drawn, on the clock `now`; no key answers it before. With
    `answers_only_keys_after_shown` False keys typed ahead go to it as to any screen (a list
    a key asked for)."""

    answers_only_keys_after_shown = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Not shown until its ScreenResume (posted as it is pushed) has been handled.
        self.shown_at = math.inf
        self.told_early = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        self.shown_at = now()
        # And again once drawn (later on a loaded machine): only then can it be read.
        call_after_refresh = getattr(self, "call_after_refresh", None)
        if callable(call_after_refresh):
            call_after_refresh(self._drawn)

    def _drawn(self) -> None:
        self.shown_at = max(self.shown_at, now())


def not_an_answer(app: App[Any], event: events.Key) -> bool:
    """Whether `event` came too soon to answer the question on top: then it is dropped
    (True), the bell rung and, the first time, the reason said."""
    try:
        screen = app.screen
    except ScreenStackError:
        return False
    if not (isinstance(screen, AnswersOnlyKeysAfterShown)
            and screen.answers_only_keys_after_shown):
        return False
    key_typed(app, event)  # noted already as it came; a key posted some other way, now
    if _run_of[event] >= screen.shown_at + QUESTION_GRACE:
        return False
    app.bell()
    if not screen.told_early:
        screen.told_early = True
        app.notify(EARLY, title="Not an answer", timeout=6)
    return True
