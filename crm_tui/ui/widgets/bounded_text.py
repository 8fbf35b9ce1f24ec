"""A multi-line field that takes no more than its limit as it is typed or pasted: Textual's
takes any length, and a long paste typed in as keys (a terminal without bracketed paste) made
each key cost more than the last, pinning the app at full CPU past 2 GB (found when tried; the
limit was only checked at save). What would go past the limit is not taken; the form says so
at the field (FormBehaviour)."""

from __future__ import annotations

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
