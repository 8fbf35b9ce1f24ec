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


def _styles() -> dict[str, ParagraphStyle]:
    font = register_fonts()
    base = getSampleStyleSheet()
    body = ParagraphStyle("sar-body", parent=base["BodyText"], fontName=font, fontSize=10,
                          leading=13)
    return {
        "title": ParagraphStyle("sar-title", parent=body, fontName=BOLD, fontSize=16,
                                leading=20, spaceAfter=6),
        "section": ParagraphStyle("sar-section", parent=body, fontName=BOLD, fontSize=13,
                                  leading=16, spaceBefore=12, spaceAfter=4),
        "record": ParagraphStyle("sar-record", parent=body, spaceBefore=6),
        "body": body,
    }


def _text(value: str) -> str:
    """Customer- or staff-typed text, escaped, its line breaks kept."""
    return escape(value).replace("\n", "<br/>")


def render_subject_access(content: SubjectAccessContent, path: Path) -> None:
    styles = _styles()
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
    document = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=20 * mm,
                                 rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
                                 title=f"Subject access request: {content.person}",
                                 author=content.council)

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(register_fonts(), 8)
        canvas.drawString(20 * mm, 10 * mm, f"{content.person} · {content.prepared_on} · "
                                            f"page {doc.page}")
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
