"""A multi-line field that takes no more than its limit as it is typed or pasted: Textual's
takes any length, and a long paste typed in as keys (a terminal without bracketed paste) made
each key cost more than the last, pinning the app at full CPU past 2 GB (found when tried; the
limit was only checked at save). What would go past the limit is not taken; the form says so
at the field (FormBehaviour)."""

from __future__ import annotations

from textual import events
from textual.document._document import EditResult, Location
from textual.widgets import TextArea


class BoundedTextArea(TextArea):
    # Characters it takes at most (0: no limit); the form sets it from the service's limit.
    max_length = 0

    def _replace_via_keyboard(self, insert: str, start: Location,
                              end: Location) -> EditResult | None:
        if self.max_length and insert:
            kept = len(self.text) - len(self.get_text_range(*sorted((start, end))))
            room = max(0, self.max_length - kept)
            if len(insert) > room:
                insert = insert[:room]
                if not insert and start == end:
                    self.app.bell()
                    return None
        return super()._replace_via_keyboard(insert, start, end)

    def on_resize(self, event: events.Resize) -> None:
        """Paint again once rewrapped to the new width (issue 15 AV4, v18: a word looked lost
        after a resize). Textual's TextArea rewraps its text on Resize, after the lines were
        painted at the new width with the old wrapping cut at its edge ("… need no"), and
        repaints only if the number of lines changed: those cut lines stayed on screen."""
        del event
        self.refresh()
