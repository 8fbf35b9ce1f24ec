"""A list in a dialog as tall as its items, up to a number of lines, and never taller than the
room the dialog leaves it.

Textual does not shrink an auto-height child to its parent's max-height: on a short terminal
(80x24, a title of three lines) the dialog itself scrolled, its scroll bar drawn over the list
and the footer ("esc Cancel ▆▆"). The list scrolls inside its own border instead."""

from __future__ import annotations

from typing import Any

from textual.css.scalar import Scalar
from textual.screen import Screen
from textual.widget import Widget

# Of the screen's height, what a dialog takes at most (a line above and below stays for the
# header and the screen's footer).
SHARE = 0.9


def fit_list(dialog: Screen[Any], box: Widget, listing: Widget, most: int) -> None:
    others = sum(child.outer_size.height + child.styles.margin.top + child.styles.margin.bottom
                 for child in box.children if child is not listing and child.display)
    room = (int(dialog.size.height * SHARE) - box.gutter.height - others
            - listing.styles.margin.top - listing.styles.margin.bottom)
    lines = max(5, min(most, room))
    if listing.styles.max_height != Scalar.from_number(lines):
        listing.styles.max_height = lines
