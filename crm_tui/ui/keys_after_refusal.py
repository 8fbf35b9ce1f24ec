"""Keys typed straight after a key that is refused are dropped, and the refusal is read.

A key refused with a toast (the Head of Service's `x`, `l` on an archived file's evidence, `D`
while something stands in the way) opens nothing, so the keys typed after it (the reason for
closing, the contact's summary: meant for the dialog that did not open) went on to the screen
below and acted there: their letters switched areas, a `u` opened the user picker, and the
refusal went with the screen it was given on (v15b S1, b15c F2).

A refusal is a warning or an error told while a key is at work: its action running, or the
keys after it held while what it set off runs (keys_wait.py, field_keys.py). The keys held
then are dropped, and so is every key that comes until the refusal is on screen and the
typing has paused (`QUIET`): a burst from tmux, a paste, or a reason typed on without looking
at the screen ends with the refusal, whole, on show; the first key after the pause acts. A
warning told when no key is at work (a change made elsewhere, an export done) drops nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from time import monotonic
from typing import Any

from textual import events
from textual.actions import ActionParseResult
from textual.dom import DOMNode
from textual.notifications import SeverityLevel

from crm_tui.ui.dialogs.question_keys import key_typed
from crm_tui.ui.field_keys import FieldKeysInTurn

# How long the typing must pause, once the refusal is on screen, before a key acts again
# (seconds): longer than the gap between keys of a burst or of someone typing on, shorter
# than it takes to read the refusal and choose another key.
QUIET = 0.4


class KeysDroppedAfterRefusal(FieldKeysInTurn):
    _acting = 0                      # actions of keys running (nested: one may run another)
    _dropping = False                # keys are being dropped after a refusal
    _refusal_shown = False           # the refusal has been painted
    _last_dropped = 0.0              # when the refusal was told or a key last dropped
    _not_refusing = 0                # inside `not_a_refusal`: a warning about work done

    async def run_action(self, action: str | ActionParseResult,
                         default_namespace: DOMNode | None = None,
                         namespaces: Mapping[str, DOMNode] | None = None) -> bool:
        self._acting += 1
        try:
            return await super().run_action(action, default_namespace, namespaces)
        finally:
            self._acting -= 1

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
        # notify may be called from a worker's thread; the keys are the event loop's.
        if (severity != "information" and not self._not_refusing
                and threading.get_ident() == self._thread_id
                and (self._acting or super().keys_waiting())):
            self.drop_keys_after_refusal()

    def drop_keys_after_refusal(self) -> None:
        """Drop the keys held, and those typed until the refusal just told (its toast, or its
        dialog pushed) is on screen and the typing has paused."""
        self._held.clear()
        self._last_dropped = monotonic()
        self._refusal_shown = False
        if not self._dropping:
            self._dropping = True
            self.set_timer(QUIET, self._end_drop)
        # Once the Notify posted has been handled (it is queued behind the keys already
        # sent), and the screen then painted.
        self.call_later(self.call_after_refresh, self._shown)

    def _shown(self) -> None:
        self._refusal_shown = True

    def _end_drop(self) -> None:
        left = self._last_dropped + QUIET - monotonic()
        if not self._refusal_shown or left > 0:
            self.set_timer(max(left, 0.02), self._end_drop)
            return
        self._dropping = False

    def keys_waiting(self) -> bool:
        # A test waits for the drop to end as for a person pausing after the refusal.
        return super().keys_waiting() or self._dropping

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self._dropping:
            self._last_dropped = monotonic()
            key_typed(self, event)  # typing still, for a question that comes next
            return
        await super().on_event(event)



@contextmanager
def not_a_refusal(app: Any) -> Iterator[None]:
    """A warning told about work done (a breach recorded with the contact just saved, a
    referral saved with no postal address), not a refusal: the keys typed after it act. Found
    when tried: `d` pressed after logging a contact that breached the restrictions was dropped,
    and the document was never attached."""
    if not isinstance(app, KeysDroppedAfterRefusal):
        yield
        return
    app._not_refusing += 1
    try:
        yield
    finally:
        app._not_refusing -= 1
