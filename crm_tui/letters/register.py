"""The staff register as a printable PDF: landscape A4, one row per restricted customer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from crm_tui.domain.typed_dates import in_prose
from crm_tui.letters.assets import BOLD, register_fonts


@dataclass(frozen=True)
class RegisterRow:
    customer_name: str
    customer_reference: str
    case_reference: str
    handling: list[str]
    still_reachable: str
    until: date | None
    review_due: date | None


@dataclass(frozen=True)
class RegisterContent:
    council: str
    printed_at: datetime
    printed_by: str
    rows: list[RegisterRow]
    # How many customers it names, in the screen's and Home's words (register.headline):
    # counting rows here said "10 under restriction" where the screen said 8 in force and 2
    # not yet (v15k F6).
    headline: str


def render_register(content: RegisterContent, path: Path) -> None:
    font = register_fonts()
    body = ParagraphStyle("body", fontName=font, fontSize=8.5, leading=10.5)
    title = ParagraphStyle("title", fontName=BOLD, fontSize=14, leading=18)
    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=12 * mm,
                            rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=14 * mm,
                            title="Staff register of contact restrictions",
                            author=content.council)

    def p(text: str) -> Paragraph:
        return Paragraph(escape(text), body)

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.drawString(12 * mm, 8 * mm, f"{content.council} · Staff register · OFFICIAL-"
                          f"SENSITIVE: for handling contact only; do not share · printed "
                          f"{in_prose(content.printed_at)} {content.printed_at:%H:%M} by "
                          f"{content.printed_by} · "
                          f"page {document.page}")
        canvas.restoreState()

    rows = [["Customer", "Case", "How staff must handle contact", "Still reachable", "Until",
             "Review"]]
    for r in content.rows:
        rows.append([p(f"{r.customer_name} ({r.customer_reference})"), r.case_reference,
                     p("; ".join(r.handling)), p(r.still_reachable),
                     f"{r.until:%d %b %Y}" if r.until else "",
                     f"{r.review_due:%d %b %Y}" if r.review_due else ""])
    widths = [46 * mm, 28 * mm, 86 * mm, 65 * mm, 23 * mm, 23 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1, style=TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("FONTNAME", (0, 0), (-1, 0), BOLD),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e9ef")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story: list[Any] = [
        Paragraph("Staff register of contact restrictions", title),
        p(f"{content.council}. {content.headline} Follow the handling exactly; log every "
          "contact; pass emergencies on at once."),
        Spacer(1, 4 * mm), table]
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
