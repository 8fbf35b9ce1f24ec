"""The first page's fixed parts: the letterhead, the address where the envelope's window shows
it, the council's return line above the window (never in it), the reference block beside it,
and fold marks on request. On a standard letter the letterhead's details and the reference sit
in the right-hand column; on a large-print letter they would not fit there at the customer's
size, so they open the letter's text instead, where they can wrap (`opening`)."""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

from reportlab.graphics.shapes import String
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import Flowable, Paragraph, Spacer
from svglib.svglib import svg2rlg

from crm_tui.letters.assets import BOLD, assets_dir, register_fonts
from crm_tui.letters.content import Letter, day
from crm_tui.letters.line_breaks import breakable
from crm_tui.letters.page_setup import (
    FOLDS,
    HEIGHT,
    MARGIN,
    RIGHT_COLUMN,
    TOP,
    WIDTH,
    WINDOW_BOTTOM,
    WINDOW_LEFT,
    WINDOW_RIGHT,
    WINDOW_TOP,
    PrintOptions,
    Sizes,
)

ARTWORK_HEIGHT = 22 * mm
# The address stays this far inside the window, so that it shows whatever the letter's play
# in the envelope.
WINDOW_INSET_X, WINDOW_INSET_Y = 4 * mm, 2.5 * mm
DEMO = "DEMO: invented people, not a real letter"
LETTERHEAD_TOP = HEIGHT - TOP
# The council's name and details sit right of the window's edge, clear of it at any size.
DETAILS_LEFT = WINDOW_RIGHT + 2 * mm


def _without_text(node: Any) -> None:
    node.contents = [n for n in getattr(node, "contents", []) if not isinstance(n, String)]
    for child in node.contents:
        if hasattr(child, "contents"):
            _without_text(child)


# ReportLab's renderer marks the drawing it draws (it sets and then deletes `_parent` on it):
# two letters rendered at once in two threads (three exports in the same second) met the same
# cached drawing half-marked ("'Drawing' object has no attribute '_parent'").
_DRAWING = threading.Lock()


@cache
def _artwork(large: bool) -> Any:
    """The crest and the council's name as drawn; on a large-print letter the crest alone,
    since the name beside it is printed at the customer's size and the artwork's is not."""
    drawing = svg2rlg(str(assets_dir() / "letterhead.svg"))
    if drawing is None:
        raise FileNotFoundError("the letterhead artwork (assets/letterhead.svg) cannot be read")
    scale = ARTWORK_HEIGHT / drawing.height
    drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
    drawing.scale(scale, scale)
    # ReportLab's graphics start every drawing in Helvetica, which would then be listed, not
    # embedded, in every letter: start it in the app's font instead.
    drawing.initialFontName = register_fonts()
    if large:
        _without_text(drawing)
    return drawing


def copy_note(letter: Letter) -> str:
    return f"Copy of the letter sent on {day(letter.copy_of)}" if letter.copy_of else ""


def _style(name: str, size: float, *, bold: bool = False, right: bool = False) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=BOLD if bold else register_fonts(), fontSize=size,
                          leading=size * 1.25, alignment=TA_RIGHT if right else 0)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    # The council's and customer's words, never markup; long addresses break at "@" or ".".
    return Paragraph(breakable(text, style, WIDTH - 2 * MARGIN), style)


def _details(letter: Letter) -> list[str]:
    head = letter.letterhead
    return [head.department, *head.address, *letter.council_ways(), head.website]


def _reference_rows(letter: Letter) -> list[tuple[str, str]]:
    return [("Our reference", letter.reference), ("Date", day(letter.written_on)),
            ("Contact", "Complaints Resolution Team")]


def opening(letter: Letter, sizes: Sizes) -> list[Flowable]:
    """What opens a large-print letter's text: who it is from, the reference and date, and
    the copy or demo marks. A standard letter has them in the right-hand column instead, and
    opens with the copy mark alone."""
    bold = _style("mark", sizes.body, bold=True)
    if not sizes.large:
        return [_p(copy_note(letter), bold), Spacer(1, 2 * mm)] if letter.copy_of else []
    marks = [_p(note, bold) for note in (copy_note(letter), DEMO if letter.demo else "")
             if note]
    head = letter.letterhead
    plain = _style("from", sizes.body)
    rows = [_p(f"From: {head.department}, {head.council}, {', '.join(head.address)}", plain),
            _p(" · ".join([*letter.council_ways(), head.website]), plain)]
    rows.append(Spacer(1, sizes.body * 0.5))
    rows += [_p(f"{label}: {value}", plain) for label, value in _reference_rows(letter)]
    return [*rows, *marks, Spacer(1, sizes.body)]


class FirstPage:
    """Draws the first page's fixed parts; `bottom` is how low they reach (points from the
    foot of the sheet), so that the letter's text starts below them."""

    def __init__(self, letter: Letter, sizes: Sizes, options: PrintOptions) -> None:
        self.letter, self.sizes, self.options = letter, sizes, options
        name_box = WIDTH - MARGIN - DETAILS_LEFT
        self.name = _p(letter.letterhead.council, _style("council", sizes.council, bold=True,
                                                         right=True))
        self.name_height = self.name.wrap(name_box, 200 * mm)[1]
        self.name_box = name_box
        if not sizes.large:
            right = _style("details", sizes.details, right=True)
            self.details = [_p(line, right) for line in _details(letter)]
            label = _style("label", sizes.details, bold=True)
            value = _style("value", sizes.details)
            self.rows = [(_p(k, label), _p(v, value)) for k, v in _reference_rows(letter)]
            self.demo = [_p(DEMO, label)] if letter.demo else []
        else:
            self.details, self.rows, self.demo = [], [], []
        self.address_size, self.address_lines = self._fit_address()
        self.bottom = self._layout()

    def _fit_address(self) -> tuple[float, list[str]]:
        """The address at the letter's size, if it fits the window; else as large as the
        window allows (the envelope must show all of it)."""
        font = register_fonts()
        width = WINDOW_RIGHT - WINDOW_LEFT - 2 * WINDOW_INSET_X
        height = WINDOW_TOP - WINDOW_BOTTOM - 2 * WINDOW_INSET_Y
        size = self.sizes.body
        while True:
            lines = [part for line in (self.letter.recipient, *self.letter.address)
                     for part in simpleSplit(line, font, size, width)]
            if len(lines) * size * 1.15 <= height or size <= 8:
                return size, lines
            size -= 0.5

    def _layout(self) -> float:
        """Where each part of the right-hand column goes; returns the lowest point used."""
        y = LETTERHEAD_TOP - self.name_height - 2 * mm
        column = WIDTH - MARGIN - RIGHT_COLUMN
        placed: list[tuple[Flowable, float, float]] = []
        for para in self.details:
            _, h = para.wrap(self.name_box, 100 * mm)
            y -= h
            placed.append((para, WIDTH - MARGIN - self.name_box, y))
        y = min(y - 5 * mm, WINDOW_TOP - 4 * mm)
        label_width = 27 * mm
        for label, value in self.rows:
            label.wrap(label_width, 50 * mm)
            _, h = value.wrap(column - label_width, 50 * mm)
            y -= max(h, label.height)
            placed += [(label, RIGHT_COLUMN, y + max(h, label.height) - label.height),
                       (value, RIGHT_COLUMN + label_width, y)]
            y -= 1.2 * mm
        for para in self.demo:
            _, h = para.wrap(column, 50 * mm)
            y -= h + 2 * mm
            placed.append((para, RIGHT_COLUMN, y))
        self.placed = placed
        return float(min(y, WINDOW_BOTTOM) - 6 * mm)

    def draw(self, canvas: Any) -> None:
        canvas.saveState()
        art = _artwork(self.sizes.large)
        with _DRAWING:  # one drawing, cached, drawn by one thread at a time (see _DRAWING)
            art.drawOn(canvas, MARGIN, LETTERHEAD_TOP - art.height)
        self.name.drawOn(canvas, WIDTH - MARGIN - self.name_box, LETTERHEAD_TOP - self.name_height)
        for para, x, y in self.placed:
            para.drawOn(canvas, x, y)
        font = register_fonts()
        if self.options.return_line and not self.sizes.large:
            head = self.letter.letterhead
            size = self.sizes.return_line
            canvas.setFont(font, size)
            lines = simpleSplit(f"{head.council}, {', '.join(head.address)}", font, size,
                                DETAILS_LEFT - WINDOW_LEFT - 4 * mm)
            # Above the window, never in it: the envelope shows the customer's address alone.
            y = WINDOW_TOP + 2 * mm + (len(lines) - 1) * size * 1.2
            for line in lines:
                canvas.drawString(WINDOW_LEFT, y, line)
                y -= size * 1.2
        size = self.address_size
        canvas.setFont(font, size)
        y = WINDOW_TOP - WINDOW_INSET_Y - size
        for line in self.address_lines:
            canvas.drawString(WINDOW_LEFT + WINDOW_INSET_X, y, line)
            y -= size * 1.15
        if self.options.fold_marks:
            canvas.setLineWidth(0.5)
            for fold in FOLDS:
                canvas.line(5 * mm, fold, 10 * mm, fold)
        canvas.restoreState()

