"""The fonts and artwork shipped with the app, registered with ReportLab once. The fonts are
embedded in every PDF, so documents look the same on any machine and names in any script
(Siân, Łukasz, Ngọc) come out right."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"


def assets_dir() -> Path:
    """`crm_tui/assets` in an installed wheel; the repository's `assets/` when run from source."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "assets", here.parent / "assets"):
        if (candidate / "fonts").is_dir():
            return candidate
    raise FileNotFoundError("crm-tui's assets (fonts, letterhead) are missing from the install")


@cache
def register_fonts() -> str:
    """Register the shipped fonts; returns the body font's name."""
    fonts = assets_dir() / "fonts"
    for name in (FONT, BOLD, ITALIC):
        pdfmetrics.registerFont(TTFont(name, str(fonts / f"{name}.ttf")))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, BOLD)
    addMapping(FONT, 0, 1, ITALIC)
    addMapping(FONT, 1, 1, BOLD)
    return FONT
