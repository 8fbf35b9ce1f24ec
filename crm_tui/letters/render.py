"""A letter as an A4 PDF, laid out for a DL window envelope (`first_page`), the headed
sections, page numbers, and a signature block with room for the visible digital signature,
kept on the page with the letter's last paragraph. Every font is the app's own, embedded
(ReportLab's default Helvetica is never referenced); the document says it is in British
English and bears the moment it was issued. The output is byte-identical for the same letter
and moment, so that it can be regression-tested."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
)

from crm_tui import clock
from crm_tui.letters.assets import BOLD, FONT, register_fonts
from crm_tui.letters.content import Letter
from crm_tui.letters.first_page import FirstPage, copy_note, opening
from crm_tui.letters.line_breaks import breakable
from crm_tui.letters.page_setup import (
    HEIGHT,
    MARGIN,
    WIDTH,
    PrintOptions,
    Sizes,
    sizes_for,
)
from crm_tui.letters.stamp import Stamp, stamp_for

LANGUAGE = "en-GB"
PDF_VERSION = (2, 0)  # what pyHanko's PAdES signature with an EC key makes it: said once
FRAME_WIDTH = WIDTH - 2 * MARGIN


@dataclass
class StampPlace:
    """Where the signature block left room for the visible signature (PDF points), and the
    stamp that fills it."""

    page: int = 0
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    stamp: Stamp | None = field(default=None)


class _StampRoom(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """Blank room for the visible signature; remembers where it was drawn."""

    def __init__(self, place: StampPlace, stamp: Stamp) -> None:
        super().__init__()
        self.place = place
        self.width, self.height = stamp.width, stamp.height
        place.stamp = stamp

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        self.place.page = self.canv.getPageNumber()
        self.place.box = (x, y, x + self.width, y + self.height)


class _IssueTime:
    """ReportLab's document time stamp, set to the moment the letter is issued rather than
    ReportLab's fixed one of its reproducible mode (1 January 2000)."""

    def __init__(self, at: datetime) -> None:
        local = at.astimezone()
        offset = local.utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset is not None else 0
        self.t = local.timestamp()
        self.lt = local.timetuple()
        self.YMDhms = tuple(self.lt)[:6]
        self.dhh, self.dmm = int(minutes / 60), abs(minutes) % 60
        self.tzname = local.tzname() or "UTC"


def footer_lines(letter: Letter, sizes: Sizes, page: int, total: int) -> list[str]:
    """The foot of each page, wrapped to the page's width at the letter's footer size."""
    parts = [f"Our reference {letter.reference}", f"page {page} of {total}"]
    if letter.copy_of:
        parts.insert(0, copy_note(letter))
    words = " · ".join(parts)
    if stringWidth(words, FONT, sizes.footer) <= FRAME_WIDTH:
        return [words]
    # Too wide in large print: one part to a line, never "page 1" on one line and "of 5" on
    # the next (found when tried at 24 pt).
    parts[-1] = parts[-1].capitalize()
    lines: list[str] = [line for part in parts
                        for line in simpleSplit(part, FONT, sizes.footer, FRAME_WIDTH)]
    return lines


class _LetterCanvas(Canvas):  # type: ignore[misc]
    """Holds pages back until the end so that each can say "page n of m"."""

    def __init__(self, *args: Any, letter: Letter, sizes: Sizes, issued: datetime,
                 **kwargs: Any) -> None:
        super().__init__(*args, pdfVersion=PDF_VERSION, **kwargs)
        self._doc._timeStamp = _IssueTime(issued)
        self._letter, self._sizes = letter, sizes
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        size = self._sizes.footer
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(FONT, size)
            lines = footer_lines(self._letter, self._sizes, self._pageNumber, total)
            y = 10 * mm + (len(lines) - 1) * size * 1.2
            for line in lines:
                self.drawRightString(WIDTH - MARGIN, y, line)
                y -= size * 1.2
            super().showPage()
        super().save()


def _styles(sizes: Sizes) -> dict[str, ParagraphStyle]:
    size = sizes.body
    body = ParagraphStyle("body", fontName=register_fonts(), fontSize=size,
                          leading=sizes.leading, spaceAfter=size * 0.5)
    return {"body": body,
            "heading": ParagraphStyle("heading", parent=body, fontName=BOLD,
                                      spaceBefore=size * 0.4, spaceAfter=size * 0.2,
                                      keepWithNext=1),
            # The greeting and the subject go with the first paragraph: never "Dear Mr
            # Penhaligon," alone at the foot of a page (found when tried at 24 pt).
            "salutation": ParagraphStyle("salutation", parent=body, keepWithNext=1),
            "subject": ParagraphStyle("subject", parent=body, fontName=BOLD,
                                      fontSize=sizes.subject, leading=sizes.subject * 1.3,
                                      keepWithNext=1)}


def _story(letter: Letter, sizes: Sizes, place: StampPlace, stamp: Stamp,
           signature_image: Path | None) -> list[Any]:
    s = _styles(sizes)

    def p(value: str, style: str = "body") -> Paragraph:
        # Never read the customer's text as markup: escaped, with only our own line breaks.
        return Paragraph(breakable(value, s[style], FRAME_WIDTH), s[style])

    story: list[Any] = [*opening(letter, sizes), p(letter.salutation, "salutation"),
                        p(letter.subject, "subject")]
    for heading, paragraphs in letter.sections:
        if heading:
            story.append(p(heading, "heading"))  # keepWithNext: never last on a page
        story += [p(para) for para in paragraphs]
    sign_off: list[Any] = [Spacer(1, sizes.body * 0.5), p("Yours sincerely,")]
    if signature_image is not None and signature_image.is_file():
        sign_off.append(Image(str(signature_image), width=45 * mm, height=15 * mm,
                              kind="proportional"))
    sign_off += [_StampRoom(place, stamp), p(letter.signer, "heading"), p(letter.signer_title),
                 p(letter.letterhead.council)]
    # The sign-off never stands alone on a page: it goes with the last paragraph (and that
    # paragraph's heading, where it is the only one under it).
    tail = 1
    if len(story) > 2 and isinstance(story[-2], Paragraph) and story[-2].style.name == "heading":
        tail = 2
    return [*story[:-tail], KeepTogether([*story[-tail:], *sign_off])]


def render_letter(letter: Letter, path: Path, signature_image: Path | None = None, *,
                  options: PrintOptions | None = None,
                  issued: datetime | None = None) -> StampPlace:
    """Write the unsigned letter; returns where the visible signature goes and what it says.
    `issued`: the moment of issue, the document's creation date (now, by default)."""
    options = options or PrintOptions()
    issued = issued or clock.now()
    sizes = sizes_for(letter)
    register_fonts()
    first = FirstPage(letter, sizes, options)
    foot = len(footer_lines(letter, sizes, 99, 99)) * sizes.footer * 1.2
    bottom = 12 * mm + foot
    place = StampPlace()
    stamp = stamp_for(letter.signer, issued, demo=letter.demo, size=sizes.stamp,
                      max_width=FRAME_WIDTH)
    doc = BaseDocTemplate(str(path), pagesize=(WIDTH, HEIGHT), leftMargin=MARGIN,
                          rightMargin=MARGIN, topMargin=20 * mm, bottomMargin=bottom,
                          invariant=1, lang=LANGUAGE, initialFontName=FONT,
                          title=f"{letter.kind.label} · {letter.reference}",
                          author=letter.letterhead.council, subject=letter.subject,
                          creator="crm-tui", keywords=letter.reference)
    frames = {"first": Frame(MARGIN, bottom, FRAME_WIDTH, first.bottom - bottom, id="first"),
              "later": Frame(MARGIN, bottom, FRAME_WIDTH, HEIGHT - 20 * mm - bottom,
                             id="later")}
    doc.addPageTemplates([
        PageTemplate("first", [frames["first"]], onPage=lambda c, d: first.draw(c),
                     autoNextPageTemplate="later"),
        PageTemplate("later", [frames["later"]])])
    doc.build(_story(letter, sizes, place, stamp, signature_image),
              canvasmaker=partial(_LetterCanvas, letter=letter, sizes=sizes, issued=issued))
    return place
