"""The visible signature's words and the room they take. The letter leaves exactly that room
and the signature draws exactly these lines, so that pyHanko never has to shrink the stamp to
fit: its text is the letter's own size (the customer's, on a large-print letter)."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from crm_tui.letters.assets import register_fonts

PADDING = 6  # points between the stamp's border and its text
# pyHanko lays the stamp's font out from its own copy of the font; a little slack keeps
# rounding from tipping a line over the edge.
SLACK = 1.04


@dataclass(frozen=True)
class Stamp:
    text: str  # one line per line of the stamp
    size: int  # points: pyHanko sets whole points
    leading: int
    width: float
    height: float


def stamp_for(signer: str, at: datetime, *, demo: bool, size: float,
              max_width: float) -> Stamp:
    """The stamp's lines for `signer` at `at`, wrapped to `max_width` points."""
    font = register_fonts()
    points = math.ceil(size)
    when = at.astimezone()
    lines = [f"Digitally signed by {signer}", f"{when:%d %b %Y %H:%M} {when.tzname()}"]
    if demo:
        lines.append("DEMO CERTIFICATE: not a real signature")
    room = max_width / SLACK - 2 * PADDING
    wrapped = [part for line in lines
               for part in simpleSplit(unicodedata.normalize("NFC", line), font, points, room)]
    widest = max(stringWidth(line, font, points) for line in wrapped)
    leading = math.ceil(points * 1.2)
    return Stamp("\n".join(wrapped), points, leading,
                 min(max_width, widest * SLACK + 2 * PADDING),
                 len(wrapped) * leading + 2 * PADDING + points * 0.3)
