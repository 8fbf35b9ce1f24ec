"""Keys sent in a burst (a paste of keys, a script, fast typing) act in the order sent.

Textual runs a key bound by the focused field (End, Home, Backspace, ctrl+u…) only after the
key has bubbled from the field back up to the app, through each container's queue; the
letters sent after it are typed by the field as they reach it, so they landed first ("Tab End
ctrl+u 4/12/2027" at once left the date field empty: the date was typed, then cleared). A
priority binding (a dialog's Enter or ctrl+s) did the opposite: it ran at once, before the
letters still queued to the field, so a passphrase typed and confirmed in one burst was read
empty and refused, and a note saved with ctrl+s lost its last words.

Here the app hands such a key's action to the field's queue, behind the letters already
forwarded to it, with the binding it would have met anyway (the field's own, unless a priority
binding or a disabled action says otherwise); the keys that come while it waits are held, and
handed on in their order once it has run (the action may move the focus, so they are sent
where it leaves it).
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.widgets import Input, TextArea

# A held key is let go after this long even if the field closed before running the action
# (a dialog dismissed by its worker meanwhile): keys are never swallowed for good.
_LET_GO_AFTER = 1.0


class FieldKeysInTurn(App[Any]):
    _waiting: int | None = None  # the number of the action the held keys wait for
    _turns = 0

    @property
    def _held(self) -> list[events.Key]:
        held: list[events.Key] = self.__dict__.setdefault("_held_keys", [])
        return held

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._waiting is not None or self._held:
                self._held.append(event)
                return
            if self._field_key_in_turn(event):
                return
        await super().on_event(event)

    def _field_key_in_turn(self, event: events.Key) -> bool:
        field = self.focused
        if not isinstance(field, (Input, TextArea)):
            return False
        active = self.screen.active_bindings.get(event.key)
        if active is None or not active.enabled:
            return False
        node: DOMNode
        if active.binding.priority:
            node = active.node
        elif active.node is field and not event.is_printable:
            node = field
        else:
            return False
        # Into the field's own queue, behind the letters already forwarded to it (running it
        # here, at once, would put it before or after them, depending on the binding).
        self._turns += 1
        turn = self._turns
        if not field.call_later(self._run_in_turn, turn, active.binding.action, node):
            return False
        self._waiting = turn
        self.set_timer(_LET_GO_AFTER, lambda: self._let_go(turn))
        return True

    async def _run_in_turn(self, turn: int, action: str, node: DOMNode) -> None:
        try:
            await self.run_action(action, node)
        finally:
            self._let_go(turn)

    def _let_go(self, turn: int) -> None:
        if self._waiting == turn:
            self._waiting = None
            # Behind what the action queued on the app (a focus change, a screen pushed).
            self.call_later(self._hand_on_held)

    async def _hand_on_held(self) -> None:
        held = self._held
        while held and self._waiting is None:
            event = held.pop(0)
            if not self._field_key_in_turn(event):
                await super().on_event(event)
