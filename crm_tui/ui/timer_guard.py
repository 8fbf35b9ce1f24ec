"""A guard against a Textual timer that spins for ever (the freeze found in issue 15).

Textual's `Timer` takes its interval as given. With a negative interval its catch-up arithmetic
(`count = int((now - start) / interval + 1)`) counts down instead of up and loops without ever
awaiting: the event loop is blocked for good, the screen stops answering keys, and a core spins.
A toast is given its notification's `time_left` as that interval. A notification that runs out
between the toast rack's expiry check and the toast being built -- a few milliseconds when a
worker thread holds the interpreter, as while switching user -- gives a negative interval; that
is what froze the user picker. An interval of zero fails too, by dividing by zero.

No timer in the app means "less than a millisecond", so every timer is given at least that.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from textual.timer import Timer

SHORTEST = 0.001  # seconds

_original_init = Timer.__init__


@wraps(_original_init)
def _guarded_init(self: Timer, event_target: Any, interval: float, *args: Any,
                  **kwargs: Any) -> None:
    _original_init(self, event_target, max(interval, SHORTEST), *args, **kwargs)


def install() -> None:
    """Guard every timer made from now on; calling it again changes nothing."""
    if Timer.__init__ is not _guarded_init:
        Timer.__init__ = _guarded_init  # type: ignore[method-assign]
