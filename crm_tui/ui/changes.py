"""Every screen shows the truth after every change, wherever the change was made.

The services note each committed change to a case (`services.core.changes`, fed by the audit
trail that every change writes). The app turns each into a `CaseChanged` message, posted to
itself from the worker that committed it, and publishes it on its `case_changed` signal.
Each screen that shows cases (`FollowsChanges`) subscribes when mounted, and unsubscribes when
closed: a change that concerns it marks it stale; a screen on view reloads at once, one out of
sight (under another screen, or in another area) when it comes back. Nothing re-reads on a
timer; changes committed by another program on the same database come the same way, found in
the audit trail by `services.core.outside_changes` on a thread of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from textual import events, on
from textual.app import App
from textual.message import Message
from textual.screen import Screen
from textual.signal import Signal
from textual.worker import NoActiveWorker, get_current_worker

from crm_tui.services.core import changes
from crm_tui.ui.closing import is_closed

# The `what` of the change told when the day turns with the app open (ui/new_day.py): every
# screen reads itself again, whatever case it shows.
NEW_DAY = "new day"


class CaseChanged(Message, bubble=False):
    """A change to a case was committed: `what` is the step (the audit trail's action);
    `outside`: not by this app (another program, found in the trail, or another app object
    of this process), so not by the person at this screen."""

    def __init__(self, reference: str, what: str, outside: bool = False) -> None:
        super().__init__()
        self.reference = reference
        self.what = what
        self.outside = outside


def made_here(app: App[Any]) -> bool:
    """Whether the change being told was committed by `app`: by one of its workers, or on
    the event loop's thread (a step run there). The thread that finds another program's
    changes (outside_changes) is neither."""
    try:
        worker = get_current_worker()
    except NoActiveWorker:
        return threading.current_thread() is threading.main_thread()
    # The worker's node up to its app (not `app.workers`, a set the event loop changes while
    # this thread would read it).
    node: Any = worker.node
    while node is not None and node is not app:
        node = getattr(node, "parent", None)
    return node is app


def follow_services(app: App[Any]) -> Callable[[], None]:
    """Post `CaseChanged` to `app` after each committed change (from any thread: Textual's
    `post_message` is thread-safe); returns the function that stops it."""
    return changes.listen(lambda c: app.post_message(
        CaseChanged(c.reference, c.what, outside=not made_here(app))))


class FollowsChanges(Screen[None]):
    """Mixed into every screen that shows cases. Subclasses say which changes concern them
    (`concerns`, all by default) and how to read themselves again (`show_again`)."""

    outdated = False
    _catching_up = False

    def concerns(self, change: CaseChanged) -> bool:
        return True

    def show_again(self) -> None:
        """Read what the screen shows again; the screen keeps its cursor where it can."""

    @on(events.Mount)
    def _follow_changes(self) -> None:
        signal = getattr(self.app, "case_changed", None)
        if isinstance(signal, Signal):
            signal.subscribe(self, self._case_changed)

    @on(events.Unmount)
    def _stop_following(self) -> None:
        # Textual drops a gone node's subscription only at the signal's next publish (a
        # committed change to a case): until then its callback, holding the screen, kept every
        # case file, case's letters, evidence screen and builder ever closed alive with all its
        # widgets (~1.5 MB each) through a morning of reading (memBW).
        signal = getattr(self.app, "case_changed", None)
        if isinstance(signal, Signal):
            signal.unsubscribe(self)

    def _case_changed(self, change: CaseChanged) -> None:
        if change.what != NEW_DAY and not self.concerns(change):
            return
        self.outdated = True
        if self.is_current:
            self._catch_up_soon()

    @on(events.ScreenResume)
    def _resumed(self) -> None:
        if self.outdated:
            self._catch_up_soon()

    def catch_up_now(self) -> None:
        """Read again at once if anything it shows has changed (the acting person, say)."""
        self._catch_up_soon()

    def _catch_up_soon(self) -> None:
        # Several changes committed together (signing a batch of letters) read again once.
        if not self._catching_up:
            self._catching_up = True
            self.call_next(self._catch_up)

    def _catch_up(self) -> None:
        self._catching_up = False
        if self.outdated and self.is_mounted and not is_closed(self):
            self.outdated = False
            self.show_again()
