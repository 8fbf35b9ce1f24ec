"""Textual's Select, its list of choices made when first opened.

A Select composes the line that shows its value and, hidden below it, the list it opens (an
OptionList, with every choice as an option): the inbox's service-area filter made that list
at every start, for a list most starts never open (issue 17: the widgets of the first screen,
each composed, styled and filled before the first paint). Here the list is mounted, and filled
with the choices, when it is first opened (Enter, the arrows, space, a click); it then stays,
as Textual's does. It looks and answers the keys as Textual's Select.

Textual's private hooks replaced here (`_setup_options_renderables`, `_watch_value`,
`_watch_expanded`, `_watch_prompt`) are held by tests/ui/test_textual_private.py.
"""

from __future__ import annotations

from typing import Generic

from textual._context import active_message_pump
from textual.app import ComposeResult
from textual.css.query import NoMatches
from textual.widgets import Select
from textual.widgets._select import NoSelection, SelectCurrent, SelectOverlay, SelectType


class SelectOnDemand(Select[SelectType], Generic[SelectType]):
    """A Select whose list of choices is mounted when it is first opened."""

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)

    def _made(self) -> SelectOverlay | None:
        found = self.query(SelectOverlay)
        return found.first() if found else None

    def _overlay(self) -> SelectOverlay:
        """The list of choices: mounted, with the choices, the first time it is wanted."""
        overlay = self._made()
        if overlay is None:
            # Bound to this Select's `compact` as in Textual's compose, where the widget
            # composing is the message pump the binding is made against.
            pump = active_message_pump.set(self)
            try:
                overlay = SelectOverlay(type_to_search=self._type_to_search).data_bind(
                    compact=Select.compact)
            finally:
                active_message_pump.reset(pump)
            self.mount(overlay)
            super()._setup_options_renderables()
            for index, (_, value) in enumerate(self._options):
                if value == self.value:
                    overlay.highlighted = index
                    break
        return overlay

    def _setup_options_renderables(self) -> None:
        if self._made() is not None:  # else filled when it is made
            super()._setup_options_renderables()

    def _watch_value(self, value: SelectType | NoSelection) -> None:
        if self._made() is not None:
            super()._watch_value(value)
            return
        # Textual's, without the list's highlight (set when the list is made).
        self._value = value
        try:
            current = self.query_one(SelectCurrent)
        except NoMatches:  # not composed yet
            return
        if value == self.NULL:
            current.update(self.NULL)
        else:
            for prompt, option in self._options:
                if option == value:
                    current.update(prompt)
                    break
        self.post_message(self.Changed(self, value))

    def _watch_expanded(self, expanded: bool) -> None:
        if expanded:
            self._overlay()
        super()._watch_expanded(expanded)

    def action_show_overlay(self) -> None:
        self._overlay()
        super().action_show_overlay()

    def _watch_prompt(self, prompt: str) -> None:
        if self.is_mounted and self._allow_blank:
            self._overlay()
        super()._watch_prompt(prompt)
