"""The PDF a person receives in answer to a subject access request: plain and readable, one
section per kind of record, each record a short block of labelled lines. Everything is
escaped before ReportLab sees it: its Paragraphs read markup, and the records hold what
customers and staff typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from crm_tui.letters.assets import BOLD, register_fonts


@dataclass(frozen=True)
class Record:
    """One record: a heading ("Contact, 2 Dec 2026 14:30") and its labelled lines."""

    heading: str
    lines: list[tuple[str, str]]


@dataclass(frozen=True)
class Section:
    title: str
    intro: str = ""
    records: list[Record] = field(default_factory=list)


@dataclass(frozen=True)
class SubjectAccessContent:
    council: str
    person: str  # their name and reference
    prepared_on: str  # "28 Nov 2026"
    sections: list[Section]
    # The body size the person needs in points, as their letters use (None: the standard
    # size); every line on the page, the footer too, is at least that size.
    print_pt: int | None = None


STANDARD_BODY = 10.0  # points: the body of a standard answer
STANDARD_FOOTER = 8.0


def _body_size(content: SubjectAccessContent) -> float:
    return float(max(content.print_pt, STANDARD_BODY)) if content.print_pt else STANDARD_BODY


def _styles(size: float) -> dict[str, ParagraphStyle]:
    font = register_fonts()
    base = getSampleStyleSheet()
    body = ParagraphStyle("sar-body", parent=base["BodyText"], fontName=font, fontSize=size,
                          leading=size * 1.3)
    return {
        "title": ParagraphStyle("sar-title", parent=body, fontName=BOLD, fontSize=size * 1.6,
                                leading=size * 2, spaceAfter=6),
        "section": ParagraphStyle("sar-section", parent=body, fontName=BOLD,
                                  fontSize=size * 1.3, leading=size * 1.6, spaceBefore=12,
                                  spaceAfter=4),
        "record": ParagraphStyle("sar-record", parent=body, spaceBefore=6),
        "body": body,
    }


def _text(value: str) -> str:
    """Customer- or staff-typed text, escaped, its line breaks kept."""
    return escape(value).replace("\n", "<br/>")


def render_subject_access(content: SubjectAccessContent, path: Path) -> None:
    size = _body_size(content)
    styles = _styles(size)
    footer_size = size if content.print_pt else STANDARD_FOOTER
    story: list[Any] = [
        Paragraph(_text(f"The information {content.council} holds about you"), styles["title"]),
        Paragraph(_text(f"{content.person}. Prepared on {content.prepared_on} in answer to "
                        "your subject access request. It holds every record about you "
                        "kept under the council's policy on unreasonably persistent or "
                        "vexatious customer behaviour."), styles["body"]),
    ]
    for section in content.sections:
        story.append(Paragraph(_text(section.title), styles["section"]))
        if section.intro:
            story.append(Paragraph(_text(section.intro), styles["body"]))
        if not section.records:
            story.append(Paragraph("None held.", styles["body"]))
        for record in section.records:
            # One paragraph a record, its lines broken within it: a log of thousands of
            # contacts is laid out in seconds, not minutes.
            lines = [f"<b>{_text(record.heading)}</b>"]
            lines += [f"<b>{_text(label)}:</b> {_text(value)}"
                      for label, value in record.lines if value]
            story.append(Paragraph("<br/>".join(lines), styles["record"]))
        story.append(Spacer(1, 2 * mm))
    # In large print the footer may not fit on one line: the name on its own line above the
    # date and page, and the text kept clear of it.
    room = A4[0] - 40 * mm
    widest = stringWidth(f"{content.person} · {content.prepared_on} · page 9999",
                         register_fonts(), footer_size)
    footer_lines = 1 if widest <= room else 2
    bottom = max(18 * mm, 10 * mm + footer_lines * footer_size * 1.3 + 4 * mm)
    document = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=20 * mm,
                                 rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=bottom,
                                 title=f"Subject access request: {content.person}",
                                 author=content.council)

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(register_fonts(), footer_size)
        when = f"{content.prepared_on} · page {doc.page}"
        if footer_lines == 1:
            canvas.drawString(20 * mm, 10 * mm, f"{content.person} · {when}")
        else:
            canvas.drawString(20 * mm, 10 * mm + footer_size * 1.3, content.person)
            canvas.drawString(20 * mm, 10 * mm, when)
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
