"""The memory of closed screens given back while the person reads, not while they type.

A closed screen (a case file, its letters, the evidence viewer) is garbage in reference cycles
(widget and parent, bound methods, closures): only Python's cyclic collector frees it, and the
app collects seldom (THRESHOLDS in ui/collector.py, for the evidence viewer's paint times), so a
screen that lived a few seconds waited for a full collection while the heap grew around it.
A full collection a moment after the screen on top changes, once no key has been pressed for a
while, frees it at once; never inside a key's work (a full collection takes ~170 ms with the
areas open on a loaded two-core machine: memBW).
"""

from __future__ import annotations

import gc
from time import monotonic
from typing import Any

from textual import events
from textual.app import App
from textual.timer import Timer

# After the screen changes (seconds): a person who closes one screen and opens the next at
# once is not kept waiting.
AFTER_SCREEN_CHANGE = 2.0
# No key for this long (seconds) before collecting: otherwise it waits as long again.
QUIET = 1.0


class CollectsWhenIdle(App[Any]):
    """Mixed into the app: call `collect_when_idle` when a screen changes."""

    _last_key = 0.0
    _collection: Timer | None = None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self._last_key = monotonic()
        await super().on_event(event)

    def collect_when_idle(self) -> None:
        if self._collection is None:
            self._collection = self.set_timer(AFTER_SCREEN_CHANGE, self._collect, name="gc")
        else:
            self._collection.reset()

    def _collect(self) -> None:
        if monotonic() - self._last_key < QUIET:
            self._collection = self.set_timer(AFTER_SCREEN_CHANGE, self._collect, name="gc")
            return
        self._collection = None
        gc.collect()
