"""The last place before the terminal: no character of any text shown reaches it as a
control. A customer's name holding `ESC[2J` put into the database by hand, or an audit reason
stored before the rule that refuses them (domain/characters.py), blanked the inbox and the
audit screen, and `ESC[12;20H` painted forged words over another row (t16 F0). Text from the
database is shown through `literal()`, which writes such characters out (`\\x1b`, `\\u202e`)
as the command line does; this filter is the net under every widget for text shown any other
way (a Content, a toast, a header): each line of every widget passes through it on its way to
the screen (Textual's line filters, asked for by `App.get_line_filters`)."""

from __future__ import annotations

import re

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

# Anything a terminal obeys or that changes how a line reads unseen: C0 (new line and tab
# too, which never belong inside one painted line), DEL, C1, the line and paragraph
# separators, the bidirectional overrides and isolates, the invisible marks. Each is zero
# cells wide to Rich, so the line's layout never made room for it.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200b"
                      "\u200e\u200f\u061c\u2060-\u2064\ufeff\u180e]")


def _written_out(text: str) -> str:
    """As `characters.escaped` writes them: `\\x1b`, `\\u202e`."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class ControlsShown(LineFilter):
    """Each control character of a painted line written out, the line kept to its width:
    what the written-out form pushes past the widget's edge is cut (the row's width, and so
    every other row and widget, stays as laid out)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not any(_CONTROL.search(segment.text) for segment in segments
                   if not segment.control):
            return segments
        width = Segment.get_line_length(segments)
        shown = [segment if segment.control
                 else Segment(_written_out(segment.text), segment.style)
                 for segment in segments]
        return Segment.adjust_line_length(shown, width)
