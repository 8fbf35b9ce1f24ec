"""Where a line may break inside an address: an email or web address too wide for a line
(in large print) breaks after an "@" or before a ".", not mid-word with no sign of it (found when
tried at 24 pt: "complaints.review@northmere.exampl / e.gov.uk")."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth

_ADDRESSES = re.compile(r"\S+@\S+|\bwww\.\S+")


def breakable(value: str, style: ParagraphStyle, width: float) -> str:
    """The text as paragraph markup: escaped (never read as markup), with a line break of our
    own inside any address wider than `width`."""
    width *= 0.92  # room for the frame's padding and the rounding of glyph widths
    out, at = [], 0
    for match in _ADDRESSES.finditer(value):
        out.append(escape(value[at:match.start()]))
        at = match.end()
        pieces: list[str] = []
        rest = match.group(0)
        while stringWidth(rest, style.fontName, style.fontSize) > width:
            # After an "@", before a dot: a line ending "northmere." reads as the end of the
            # address, one starting ".example.gov.uk" as its continuation (found when tried).
            cuts = [i + (1 if c == "@" else 0) for i, c in enumerate(rest) if c in "@."]
            cuts = [i for i in cuts if i > 0
                    and stringWidth(rest[:i], style.fontName, style.fontSize) <= width]
            if not cuts:
                break
            pieces.append(rest[:cuts[-1]])
            rest = rest[cuts[-1]:]
        # A broken address starts a line of its own, so that each piece fits where it falls.
        lead = "<br/>" if pieces and match.start() > 0 else ""
        out.append(lead + "<br/>".join(escape(piece) for piece in [*pieces, rest]))
    out.append(escape(value[at:]))
    return "".join(out)
