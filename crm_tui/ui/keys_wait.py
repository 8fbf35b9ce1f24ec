"""Keys typed straight after a key that opens a dialog or a screen go to what it opens.

Many keys open what they open only after a read in a worker: `r` in the inbox first asks the
database whether the step may be taken, `v` on a case file reads the evidence before its
screen comes, a full screen reads what it shows once mounted. The keys typed meanwhile (a
burst from tmux or a paste, fast typing over a laggy link) went to the screen still on top
and acted there: `r` then "could you send…" moved the referral to consideration (`c`),
switched area (`l`) and stacked one dialog per `r` (issue 15, b15b F1).

Here a key whose action starts a worker, or brings another screen on top, holds the keys
after it (the app's `hold_keys`) until the work it set off has ended and what that work
delivered has run, and the screen then on top is mounted with its cursor placed; they are
then handed on in their order, as if typed one by one once the screen had answered. A screen
that comes on top meanwhile (the dialog the read opened, a passphrase prompt a worker waits
on) takes the keys once ready, whatever still runs. Work that a person goes on past (an
export, a verification: said by a toast when done) is named `IN_BACKGROUND` and holds nothing.

A key may open what it opens only through a message its widget posts: Enter on a list's row
posts the row chosen, and the screen pushes the case file when that message reaches it. So
every key's action holds the keys after it while the messages it posted travel up from the
widget that had the cursor (b15 N2: `Enter v 2` in one burst from tmux: `v` and `2` were
handed to the inbox before the case file came, and `2` was lost; `Enter R a` switched area).
A screen come on top is given the keys only once its own read (started on mount) has ended
and shown: `R a` chose a restriction in a builder that had not yet read what it may offer.
If the work a key set off fails (a refusal, shown in its own dialog), or the key is refused
with a toast, the keys typed after it are dropped (keys_after_refusal.py): they were meant for
what did not open, and must not act on the screen below.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from textual.actions import ActionParseResult
from textual.app import ScreenStackError
from textual.dom import DOMNode
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from crm_tui.ui.dialogs.error import ErrorDialog
from crm_tui.ui.keys_after_refusal import KeysDroppedAfterRefusal

# The `name` of a worker the keys after its key need not wait for (`@work(name=…)`).
IN_BACKGROUND = "in the background"
# How often a hold looks again at the work it waits for (seconds).
_LOOK_AGAIN = 0.02
# How many times it looks for the cursor on a screen come on top before handing the keys on
# all the same: a form places it within a refresh or two; a screen that places none must not
# keep the keys for the whole hold.
_CURSOR_LOOKS = 25


@dataclass
class _Wait:
    """The keys held after one key, and what they wait for."""

    turn: int                          # the hold (hold_keys), let go when this ends
    before: frozenset[Worker[Any]]     # the workers running before the key
    top: Screen[Any] | None = None     # the screen on top once the key's action had settled
    seen: set[Worker[Any]] = field(default_factory=set)  # its work, seen running
    cursor_looks: int = 0              # looks for the cursor of the screen on top
    tracked: set[Worker[Any]] = field(default_factory=set)  # every worker waited for
    reading: set[Worker[Any]] = field(default_factory=set)  # the top screen's own read

    def failed(self) -> bool:
        return any(w.state is WorkerState.ERROR for w in self.tracked)


def waited_on(screen: Screen[Any]) -> bool:
    """A dialog on which a worker waits for the person's answer (the passphrase prompt, until
    the passphrase is given): its `awaits_answer`."""
    return bool(getattr(screen, "awaits_answer", False))


class KeysAwaitOpening(KeysDroppedAfterRefusal):
    async def run_action(self, action: str | ActionParseResult,
                         default_namespace: DOMNode | None = None,
                         namespaces: Mapping[str, DOMNode] | None = None) -> bool:
        before = frozenset(self.workers)
        screen = self._top()
        focused = self.focused
        way: list[MessagePump] = [*focused.ancestors_with_self] if focused is not None else []
        try:
            return await super().run_action(action, default_namespace, namespaces)
        finally:
            # What the action posted (a list's row chosen) reaches the screen that acts on it
            # first; only then is it known whether it opens anything.
            turn = self.hold_keys()
            self._through(way, partial(self._after_action, turn, before, screen))

    def _after_action(self, turn: int, before: frozenset[Worker[Any]],
                      screen: Screen[Any] | None) -> None:
        if self._top() is not screen or self._started(before):
            # Once what the action set off has settled (a screen pushed is mounted).
            self.call_after_refresh(self._look, _Wait(turn, before))
        else:
            self.let_go_keys(turn)

    def _top(self) -> Screen[Any] | None:
        """The screen on top; None while the app closes (its stack emptied)."""
        try:
            return self.screen
        except ScreenStackError:
            return None

    def _started(self, before: frozenset[Worker[Any]]) -> list[Worker[Any]]:
        return [w for w in self.workers if w not in before and not w.is_finished
                and w.name != IN_BACKGROUND]

    def _own_work(self, screen: Screen[Any], before: frozenset[Worker[Any]]) -> list[Worker[Any]]:
        """The work still running that the screen on top, or a widget on it, started since
        the key (a worker that opened a dialog and waits on its answer is not the dialog's)."""
        return [w for w in self._started(before) if w.node is screen
                or (isinstance(w.node, Widget) and screen in w.node.ancestors)]

    def _look(self, wait: _Wait) -> None:
        if wait.turn not in self._holds:
            return  # let go already: its time was up
        top = self._top()
        if top is None:
            self.let_go_keys(wait.turn)
            return
        if wait.top is None:
            wait.top = top
        if top is not wait.top or waited_on(top):
            # A screen came meanwhile (the dialog the read opened): the keys are its own. So
            # are they if the screen already on top is a prompt a worker waits on: the work
            # it waits for ends only once it is answered, and the passphrase typed into it
            # was held until the hold ran out (5 s of an empty field; found when tried).
            self._when_ready(wait)
            return
        running = self._started(wait.before)
        if running:
            wait.seen.update(running)
            wait.tracked.update(running)
            self.set_timer(_LOOK_AGAIN, partial(self._look, wait))
            return
        if wait.seen:
            # Ended: what it delivered waits in its screen's queue (a dialog to push, a list
            # to show); once that has run, look again (it may have started more).
            nodes: list[MessagePump] = [w.node for w in wait.seen]
            wait.seen.clear()
            self._through(nodes, lambda: self.call_after_refresh(self._look, wait))
            return
        self._when_ready(wait)

    def _through(self, nodes: list[MessagePump], then: Callable[[], object]) -> None:
        """Run `then` once each node has handled the messages already sent to it."""
        if not nodes:
            self.call_later(then)
            return
        node, rest = nodes[0], nodes[1:]
        if not node.call_later(self._through, rest, then):
            self._through(rest, then)  # closed meanwhile: nothing of its own to wait for

    def _when_ready(self, wait: _Wait) -> None:
        """Let go once the screen on top is mounted and has placed its cursor (a form puts
        it on its first field a moment after it is mounted): a key handed to it before
        would find no field and be lost."""
        if wait.turn not in self._holds:
            return
        screen = self._top()
        if screen is None:
            self.let_go_keys(wait.turn)
            return
        if wait.failed() or isinstance(screen, ErrorDialog):
            # Refused: the refusal is on top (its work may have ended before it was looked
            # at); the keys were for what did not open, and would close it unread.
            self.drop_keys_after_refusal()
            self.let_go_keys(wait.turn)
            return
        if screen.is_mounted:
            reading = self._own_work(screen, wait.before)
            if reading:
                # Its own read (started on mount): a key before it has shown would act on a
                # screen that does not yet know what it may offer.
                wait.reading.update(reading)
                wait.tracked.update(reading)
                self.set_timer(_LOOK_AGAIN, partial(self._when_ready, wait))
                return
            if wait.reading:
                wait.reading.clear()
                self._through([screen], lambda: self.call_after_refresh(self._when_ready, wait))
                return
        placed = screen.focused is not None or not screen.focus_chain
        if not screen.is_mounted or (not placed and wait.cursor_looks < _CURSOR_LOOKS):
            wait.cursor_looks += screen.is_mounted
            self.set_timer(_LOOK_AGAIN, partial(self._when_ready, wait))
            return
        self.let_go_keys(wait.turn)
