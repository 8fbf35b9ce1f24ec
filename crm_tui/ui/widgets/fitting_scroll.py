"""A scroll view inside a dialog's box that never runs past the bottom of the box.

Textual (8.2) does not shrink an auto-height child to its parent's max-height: the view took
its own height (the letter preview 30 lines, help as tall as its text) while the box around it
was cut at the screen's edge, so End stopped lines short of the end and the last wrapped
lines (the letter's signature, help's last key) could not be read at 100x30 or 80x24
(issue 15, round 15). When the view spills out of its box, the box takes its greatest height
and the view the room left in it; when the text fits again (a taller terminal) both go back
to the height of their text.
"""

from __future__ import annotations

from typing import Any

from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget


class FittingScroll(VerticalScroll):
    def on_mount(self) -> None:
        self._fitted = False
        self.screen.screen_layout_refresh_signal.subscribe(self, self._fit)

    def _fit(self, _screen: Screen[Any]) -> None:
        box = self.parent
        if not isinstance(box, Widget) or not self.is_attached:
            return
        if not self._fitted:
            bottom = box.content_region.bottom
            if any(child.region.bottom > bottom for child in box.displayed_children):
                self._fitted = True
                box.styles.height = box.styles.max_height or "100%"
                self.styles.height = "1fr"
                self.styles.max_height = "100%"
        elif self.virtual_size.height <= self.scrollable_content_region.height:
            # Room for the whole text: as tall as it is again.
            self._fitted = False
            box.styles.height = None
            self.styles.height = None
            self.styles.max_height = None
