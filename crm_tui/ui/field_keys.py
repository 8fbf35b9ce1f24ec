"""Keys sent in a burst (a paste of keys, a script, fast typing) act in the order sent.

Textual runs a key bound by the focused field (End, Home, Backspace, ctrl+u…) only after the
key has bubbled from the field back up to the app, through each container's queue; the
letters sent after it are typed by the field as they reach it, so they landed first ("Tab End
ctrl+u 4/12/2027" at once left the date field empty: the date was typed, then cleared). Here
the app hands such a key's action to the field's queue in its turn among the letters, with the
binding it would have met anyway (the field's own, unless a priority binding or a disabled
action says otherwise).
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.widgets import Input


class FieldKeysInTurn(App[Any]):
    async def on_event(self, event: events.Event) -> None:
        if (isinstance(event, events.Key) and not event.is_forwarded
                and await self._field_key_at_once(event)):
            return
        await super().on_event(event)

    async def _field_key_at_once(self, event: events.Key) -> bool:
        field = self.focused
        if not isinstance(field, Input) or event.is_printable:
            return False
        active = self.screen.active_bindings.get(event.key)
        if active is None or active.node is not field or not active.enabled:
            return False
        # Into the field's own queue, behind the letters already forwarded to it (running it
        # here, at once, would put it before them instead).
        return field.call_later(self.run_action, active.binding.action, field)
