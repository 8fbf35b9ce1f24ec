"""A letter as an A4 PDF, laid out for a DL window envelope: the letterhead from configuration
with the artwork in `assets/`, the address where the window shows it, the reference and date,
the headed sections, page numbers, and a signature block with room for the visible digital
signature. Fonts are the ones shipped with the app, embedded. The output is byte-identical for
the same input (fixed metadata), so that it can be regression-tested."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
)
from svglib.svglib import svg2rlg

from crm_tui.letters.assets import BOLD, assets_dir, register_fonts
from crm_tui.letters.content import Letter, day
from crm_tui.letters.record import copy_mark

WIDTH, HEIGHT = A4
# A DL window envelope shows 20-110 mm from the left, 48-88 mm from the top of the sheet.
WINDOW = (20 * mm, HEIGHT - 88 * mm, 90 * mm, 40 * mm)
STAMP_SIZE = (70 * mm, 20 * mm)


@dataclass
class StampPlace:
    """Where the signature block left room for the visible signature (PDF points)."""

    page: int = 0
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


class _StampRoom(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """Blank room for the visible signature; remembers where it was drawn."""

    def __init__(self, place: StampPlace) -> None:
        super().__init__()
        self.place = place
        self.width, self.height = STAMP_SIZE

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        self.place.page = self.canv.getPageNumber()
        self.place.box = (x, y, x + self.width, y + self.height)


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds pages back until the end so that each can say "page n of m"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(register_fonts(), 8)
            self.drawRightString(WIDTH - 20 * mm, 10 * mm,
                                 f"{self._reference} · page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


@cache
def _artwork() -> Any:
    drawing = svg2rlg(str(assets_dir() / "letterhead.svg"))
    if drawing is None:
        raise FileNotFoundError("the letterhead artwork (assets/letterhead.svg) cannot be read")
    scale = (22 * mm) / drawing.height
    drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
    drawing.scale(scale, scale)
    return drawing


def _styles(large: bool) -> dict[str, ParagraphStyle]:
    font = register_fonts()
    size = 14 if large else 10.5  # large print, where the customer needs it
    body = ParagraphStyle("body", fontName=font, fontSize=size, leading=size * 1.35,
                          spaceAfter=size * 0.5)
    return {"body": body,
            "heading": ParagraphStyle("heading", parent=body, fontName=BOLD, spaceBefore=4,
                                      spaceAfter=2),
            "subject": ParagraphStyle("subject", parent=body, fontName=BOLD,
                                      fontSize=size + 1.5, leading=(size + 1.5) * 1.3),
            "small": ParagraphStyle("small", fontName=font, fontSize=8, leading=10)}


def _first_page(letter: Letter) -> Any:
    head = letter.letterhead

    def draw(canvas: Any, doc: Any) -> None:
        font = register_fonts()
        canvas.saveState()
        canvas._reference = f"Our reference {letter.reference}"
        art = _artwork()
        art.drawOn(canvas, 20 * mm, HEIGHT - 12 * mm - art.height)
        canvas.setFont(BOLD, 13)
        canvas.drawRightString(WIDTH - 20 * mm, HEIGHT - 18 * mm, head.council)
        canvas.setFont(font, 8.5)
        y = HEIGHT - 23 * mm
        for line in (head.department, *head.address, f"Telephone {head.telephone}", head.email,
                     head.website):
            canvas.drawRightString(WIDTH - 20 * mm, y, line)
            y -= 3.8 * mm
        x, top = WINDOW[0], WINDOW[1] + WINDOW[3]
        canvas.setFont(font, 6.5)  # the return address, above the window's address
        canvas.drawString(x, top - 4 * mm, f"{head.council}, {', '.join(head.address)}")
        canvas.setFont(font, 11 if not letter.large_print else 13)
        y = top - 10 * mm
        for line in (letter.recipient, *letter.address):
            canvas.drawString(x, y, line)
            y -= 5 * mm
        canvas.setFont(font, 9.5)
        y = top - 10 * mm
        for label, value in (("Our reference", letter.reference),
                             ("Date", day(letter.written_on)),
                             ("Contact", "Complaints Resolution Team")):
            canvas.setFont(BOLD, 9.5)
            canvas.drawString(125 * mm, y, label)
            canvas.setFont(font, 9.5)
            canvas.drawString(152 * mm, y, value)
            y -= 5 * mm
        if letter.demo:
            canvas.setFont(BOLD, 9)
            canvas.drawString(125 * mm, y - 3 * mm, "DEMO: invented people, not a real letter")
        canvas.restoreState()
    return draw


def _later_pages(letter: Letter) -> Any:
    def draw(canvas: Any, doc: Any) -> None:
        canvas._reference = f"Our reference {letter.reference}"
    return draw


def render_letter(letter: Letter, path: Path, signature_image: Path | None = None) -> StampPlace:
    """Write the unsigned letter; returns where the visible signature goes."""
    s = _styles(letter.large_print)
    place = StampPlace()
    doc = BaseDocTemplate(str(path), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                          topMargin=20 * mm, bottomMargin=18 * mm, invariant=1,
                          title=f"{letter.kind.label} · {letter.reference}",
                          author=letter.letterhead.council, subject=letter.kind.label,
                          creator="crm-tui")
    first = Frame(20 * mm, 18 * mm, WIDTH - 40 * mm, HEIGHT - 18 * mm - 100 * mm, id="first")
    later = Frame(20 * mm, 18 * mm, WIDTH - 40 * mm, HEIGHT - 38 * mm, id="later")
    doc.addPageTemplates([
        PageTemplate("first", [first], onPage=_first_page(letter), autoNextPageTemplate="later"),
        PageTemplate("later", [later], onPage=_later_pages(letter))])

    def p(value: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(value), s[style])  # never read the customer's text as markup

    story: list[Any] = [p(letter.salutation), p(letter.subject, "subject")]
    if letter.copy_of is not None:  # a re-sent duplicate says so, first
        story.insert(0, p(copy_mark(letter.copy_of), "heading"))
    for heading, paragraphs in letter.sections:
        block = [p(heading, "heading")] if heading else []
        block += [p(para) for para in paragraphs]
        story.append(KeepTogether(block[:2]) if heading else block[0])
        story += block[2:] if heading else block[1:]
    sign_off: list[Any] = [p("Yours sincerely,"), _StampRoom(place)]
    if signature_image is not None and signature_image.is_file():
        from reportlab.platypus import Image

        sign_off.insert(1, Image(str(signature_image), width=45 * mm, height=15 * mm,
                                 kind="proportional"))
    sign_off += [p(letter.signer, "heading"), p(letter.signer_title),
                 p(letter.letterhead.council)]
    story += [Spacer(1, 4 * mm), KeepTogether(sign_off)]
    doc.build(story, canvasmaker=_NumberedCanvas)
    return place
