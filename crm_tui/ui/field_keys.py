"""Keys sent in a burst (a paste of keys, a script, fast typing) act in the order sent.

Textual runs a key's binding in one of two places. A priority binding (a dialog's Enter or
ctrl+s) runs at once, as the key arrives at the app, before the keys still queued to the
focused widget: a passphrase typed and confirmed in one burst was read empty and refused, and
`Down Enter` in a pick list chose the first item, not the second. Any other binding runs only
after its key has gone to the focused widget and bubbled back up through each container's
queue, while the keys after it are already at the widget: `Tab End ctrl+u 4/12/2027` left the
date field empty (the date typed, then cleared), and `space ctrl+s` in a tick list saved before
the tick.

Here every key that a binding will act on takes the way a key bubbles, one queue after
another from the focused widget up to the app (behind the keys already sent to the widget and
the messages already on their way up, such as a text area's Changed), and its action then runs
with the binding Textual would have chosen (the widget's own, an ancestor's, or a priority one;
none that is disabled). The keys that come meanwhile are held, and handed on in their order
once it has run and what it set off has settled: the action may move the focus or open a
dialog, so they go where it leaves them. A key the widget takes for itself (a letter in a
field, Enter in a text area) goes to it as before.
"""

from __future__ import annotations

import sys
from typing import Any

from textual import events
from textual.app import App
from textual.binding import ActiveBinding
from textual.message_pump import MessagePump
from textual.widget import Widget

from crm_tui.ui.dialogs.question_keys import key_typed, not_an_answer

# A held key is let go after this long even if its turn never came (the widget closed before
# running it, a dialog dismissed by its worker meanwhile): keys are never swallowed for good.
_LET_GO_AFTER = 1.0
# A step's hold (`hold_keys`) lasts at most this long, whatever becomes of the step.
_HOLD_AT_MOST = 5.0


def _is_text_area(widget: Widget) -> bool:
    """Whether `widget` is a TextArea, without loading TextArea (with its documents and
    syntax themes, some 3 ms at a start that shows none, issue 17): no widget can be one
    before its module is loaded."""
    module = sys.modules.get("textual.widgets._text_area")
    return module is not None and isinstance(widget, module.TextArea)


# Keys a text area handles in its own key handler, though it does not declare them consumed.
_TEXT_AREA_KEYS = frozenset({"enter", "tab", "escape"})


class FieldKeysInTurn(App[Any]):
    _waiting: int | None = None  # the number of the turn the held keys wait for
    _turns = 0

    @property
    def _held(self) -> list[events.Key]:
        held: list[events.Key] = self.__dict__.setdefault("_held_keys", [])
        return held

    @property
    def _holds(self) -> set[int]:
        holds: set[int] = self.__dict__.setdefault("_step_holds", set())
        return holds

    def hold_keys(self) -> int:
        """Hold the keys pressed from now until `let_go_keys` (or, whatever happens, a few
        seconds): for a step run in a worker that the next keys depend on. A user switch
        chosen, then `u Down Enter` at once: the next switch list opened before the first
        switch had landed, counted from the person acting before it, and chose the same
        person again (round 8)."""
        self._turns += 1
        turn = self._turns
        self._holds.add(turn)
        self.set_timer(_HOLD_AT_MOST, lambda: self.let_go_keys(turn))
        return turn

    def keys_waiting(self) -> bool:
        """Whether keys pressed are held, or a key's action is on its way (a test waits for
        them as for a worker: a person sees them land)."""
        later = getattr(super(), "keys_waiting", None)  # a standing check (standing_keys)
        return (bool(self._held or self._holds) or self._waiting is not None
                or (callable(later) and bool(later())))

    def let_go_keys(self, turn: int) -> None:
        if turn in self._holds:
            self._holds.discard(turn)
            self.call_after_refresh(self._hand_on_held)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            key_typed(self, event)  # when it came, before any hold: a question asks
            if self._holds:
                self._held.append(event)
                return
            if self._waiting is not None or self._held:
                if not self._held and self._waiting is not None:
                    # The first key held: a timer only now, not for every key pressed.
                    turn = self._waiting
                    self.set_timer(_LET_GO_AFTER, lambda: self._let_go(turn))
                self._held.append(event)
                return
            if not_an_answer(self, event) or self._bound_key_in_turn(event):
                return
        await super().on_event(event)

    def _binding_for(self, event: events.Key, focused: Widget) -> ActiveBinding | None:
        bindings = self.screen.active_bindings
        active = next((bindings[key] for key in event.aliases if key in bindings), None)
        if active is None or not active.enabled:
            return None
        if active.binding.priority:
            return active
        # Not a key the widget takes for itself (Textual drops an ancestor's binding for a key
        # the focused widget consumes; the widget's own stay, and it may type them).
        if focused.check_consume_key(event.key, event.character):
            return None
        if _is_text_area(focused) and event.key in _TEXT_AREA_KEYS:
            return None
        return active

    def _bound_key_in_turn(self, event: events.Key) -> bool:
        focused = self.focused
        if focused is None:
            return False
        active = self._binding_for(event, focused)
        if active is None:
            return False
        self._turns += 1
        turn = self._turns
        way: list[MessagePump] = [*focused.ancestors_with_self]
        if way[-1] is not self:
            way.append(self)
        if not self._next_hop(way, turn, event, active):
            return False
        self._waiting = turn
        return True

    def _next_hop(self, way: list[MessagePump], turn: int, event: events.Key,
                  active: ActiveBinding) -> bool:
        here, rest = way[0], way[1:]
        if rest:
            return here.call_later(self._next_hop, rest, turn, event, active)
        return here.call_later(self._run_in_turn, turn, event, active)

    async def _run_in_turn(self, turn: int, event: events.Key, active: ActiveBinding) -> None:
        try:
            if self._waiting != turn:  # let go already: the key goes its ordinary way
                await super().on_event(event)
            elif not await self.run_action(active.binding.action, active.node):
                await super().on_event(event)  # the action passed the key on (SkipAction)
        finally:
            self._let_go(turn)

    def _let_go(self, turn: int) -> None:
        if self._waiting == turn:
            self._waiting = None
            # Once what the action set off has settled (a focus change, a screen pushed, a
            # radio button's Changed on its way to its set), as it would have between keys
            # typed one by one.
            self.call_after_refresh(self._hand_on_held)

    async def _hand_on_held(self) -> None:
        held = self._held
        while held and self._waiting is None and not self._holds:
            event = held.pop(0)
            if not_an_answer(self, event):
                continue
            if not self._bound_key_in_turn(event):
                await super().on_event(event)
