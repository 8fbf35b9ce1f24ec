"""The evidence bundle as a PDF: an index, what the evidence shows, the matters, the documents
with their SHA-256, and the log sheet in full. For the Head of Service, an appeal or the
Ombudsman. Everything customer-supplied is escaped before ReportLab sees it: its Paragraphs
read markup."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    LongTable,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from crm_tui.domain.counting import counted
from crm_tui.domain.typed_dates import in_prose
from crm_tui.letters.assets import BOLD, register_fonts


@dataclass(frozen=True)
class BundleContact:
    at: datetime
    channel: str
    direction: str
    service_area: str
    officer: str
    minutes: int
    summary: str
    categories: str
    matter: str
    repeat: bool


@dataclass(frozen=True)
class BundleDocument:
    name: str
    media_type: str
    size: int
    sha256: str
    added_by: str
    added_at: str
    description: str
    categories: str
    links: str


@dataclass(frozen=True)
class BundleDecision:
    """A decision on the case, with the Head of Service's view it went on."""

    decided_at: datetime
    what: str
    decided_by: str
    reason: str
    view: str  # the Head of Service's view, in words; "" where none was needed
    against_view_reason: str  # the CRM's reasons for going against a view of "does not agree"


@dataclass(frozen=True)
class BundleContent:
    council: str
    reference: str
    customer: str
    state: str
    period: str
    prepared_by: str
    prepared_at: datetime
    totals: list[tuple[str, int]]
    breakdowns: list[tuple[str, list[tuple[str, int]]]]  # section title, (label, count)
    per_week: list[tuple[date, int]]
    matrix_months: list[str]
    matrix: list[tuple[str, list[int]]]  # category label, count per month
    matters: list[tuple[str, str, int]]  # title, open/closed (date and outcome), contacts
    documents: list[BundleDocument]
    contacts: list[BundleContact]
    decisions: list[BundleDecision] = field(default_factory=list)
    week_chart: WeekChart | None = None  # the bars and labels the screen's chart draws
    # title, (label, count) per bar, the marks on the count axis
    mixes: list[tuple[str, list[tuple[str, int]], list[int]]] = field(default_factory=list)
    empty_period: str = ""  # said instead of drawing when there was no contact


class WeekChart(Protocol):
    """Contacts per week as bars (services.evidence.charts.WeeklyBars)."""

    @property
    def counts(self) -> list[int]: ...

    @property
    def ticks(self) -> list[tuple[int, str]]: ...  # (bar, dated label)

    @property
    def title(self) -> str: ...

    @property
    def count_ticks(self) -> list[int]: ...


def _styles() -> dict[str, ParagraphStyle]:
    font = register_fonts()
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=font, fontSize=9,
                          leading=11.5)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=18, leading=22,
                                spaceAfter=8),
        # Headings kept with what follows: "2. Behaviour by month" stood alone at a page's
        # foot, its table on the next (v22 C7).
        "h1": ParagraphStyle("Heading1", parent=body, fontName=BOLD, fontSize=13, leading=16,
                             spaceBefore=8, spaceAfter=6, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=body, fontName=BOLD, fontSize=10, leading=13,
                             spaceBefore=6, spaceAfter=3, keepWithNext=1),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5),
        "toc": ParagraphStyle("toc", parent=body, fontSize=10, leading=14),
    }


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def hash_cell(sha256: str, style: ParagraphStyle, width: float) -> Paragraph:
    """A SHA-256 set in two halves of 32 characters, one a line, at a size that fits the
    column `width` (cell padding allowed for): wrapped where it met the edge it read 31 + 32
    characters and a lone last one."""
    half = len(sha256) // 2 + len(sha256) % 2
    halves = (sha256[:half], sha256[half:])
    size = style.fontSize
    while size > 5 and max(stringWidth(h, style.fontName, size) for h in halves) > width - 13:
        size -= 0.25
    fitted = ParagraphStyle("hash", parent=style, fontSize=size, leading=size + 2)
    return Paragraph("<br/>".join(escape(h) for h in halves), fitted)


def month_heading(month: str, style: ParagraphStyle, width: float) -> Paragraph:
    """A month's column heading ("Aug 2026") for a column `width` wide (cell padding allowed
    for): on one line when it fits, else the year under the month, at a size at which each
    word fits. As a plain string it ran into the next heading ("Aug 2026Sep 2026")."""
    size = style.fontSize
    while size > 5 and max(stringWidth(w, style.fontName, size)
                           for w in month.split()) > width - 13:
        size -= 0.25
    return _p(month, ParagraphStyle("month", parent=style, fontSize=size, leading=size + 2))


def _grid(font: str, header: bool = True) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        commands += [("FONTNAME", (0, 0), (-1, 0), BOLD),
                     ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e9ef"))]
    return TableStyle(commands)


class _IndexedAbove(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """Takes no room: every heading the index lists is above it (_Bundle.filterFlowables)."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class _Bundle(BaseDocTemplate):  # type: ignore[misc]  # ReportLab is untyped
    """Two passes (multiBuild) so that the index can give page numbers."""

    def __init__(self, path: Path, content: BundleContent) -> None:
        super().__init__(str(path), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                         topMargin=18 * mm, bottomMargin=18 * mm,
                         title=f"Evidence bundle {content.reference}",
                         author=content.council, subject="Evidence bundle")
        self.content = content
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._decorate)])

    def _decorate(self, canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(register_fonts(), 7.5)
        footer = (f"{self.content.council} · Evidence bundle {self.content.reference} · "
                  f"OFFICIAL-SENSITIVE · page {doc.page}")
        canvas.drawString(15 * mm, 10 * mm, footer)
        canvas.restoreState()

    def filterFlowables(self, flowables: list[Any]) -> None:  # noqa: N802 (ReportLab's)
        """A pass whose index will not hold stops at the last heading's end: what follows
        moves no heading, and the next pass lays it out and draws it (the log sheet of 15,000
        contacts was drawn twice, once to be thrown away; issue 17)."""
        if (flowables and isinstance(flowables[0], _IndexedAbove)
                and not all(f.isSatisfied() for f in getattr(self, "_indexingFlowables", ()))):
            del flowables[1:]

    def afterFlowable(self, flowable: Any) -> None:  # noqa: N802 (ReportLab's hook name)
        if isinstance(flowable, Paragraph) and flowable.style.name == "Heading1":
            self.notify("TOCEntry", (0, flowable.getPlainText(), self.page))


def _count_axis(axis: Any, ticks: list[int], font: str) -> None:
    """Whole-number marks, as on screen: contacts are counted, never 4.6."""
    axis.valueMin, axis.valueMax = 0, ticks[-1]
    axis.valueStep = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    axis.labelTextFormat = "%d"
    axis.labels.fontName, axis.labels.fontSize = font, 7


def _weekly_chart(chart_data: WeekChart, width: float) -> Drawing:
    font = register_fonts()
    drawing = Drawing(width, 58 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 10 * mm, 12 * mm, width - 15 * mm, 42 * mm
    chart.data = [chart_data.counts]
    labels = dict(chart_data.ticks)
    chart.categoryAxis.categoryNames = [labels.get(i, "") for i in range(len(chart_data.counts))]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.dy = -2
    _count_axis(chart.valueAxis, chart_data.count_ticks, font)
    chart.bars[0].fillColor = colors.HexColor("#4a6fa5")
    # The count over each bar, as on screen and as the channel and behaviour charts carry
    # theirs (v15h H2: the bundle's weekly bars had none); a quiet week has no bar and no
    # figure, as on screen.
    chart.barLabelFormat = _count_over_bar
    chart.barLabels.fontName, chart.barLabels.fontSize = font, 6.5
    chart.barLabels.boxAnchor, chart.barLabels.dy = "s", 1.5
    drawing.add(chart)
    return drawing


def _count_over_bar(count: float) -> str:
    return f"{count:.0f}" if count else ""


def _mix_chart(bars: list[tuple[str, int]], ticks: list[int], width: float) -> Drawing:
    """Horizontal bars, largest on top, each labelled in full on its left."""
    font = register_fonts()
    row = 6 * mm
    drawing = Drawing(width, row * len(bars) + 12 * mm)
    chart = HorizontalBarChart()
    chart.x, chart.y = 62 * mm, 8 * mm
    chart.width, chart.height = width - 70 * mm, row * len(bars)
    chart.data = [[n for _, n in reversed(bars)]]
    chart.categoryAxis.categoryNames = [label for label, _ in reversed(bars)]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    _count_axis(chart.valueAxis, ticks, font)
    chart.bars[0].fillColor = colors.HexColor("#4a6fa5")
    chart.barLabelFormat = "%d"  # the count at the end of each bar, read without the axis
    chart.barLabels.fontName, chart.barLabels.fontSize = font, 7
    chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 2
    drawing.add(chart)
    return drawing


def _charts(content: BundleContent, width: float, s: dict[str, ParagraphStyle]) -> list[Any]:
    """The same charts as the analysis on screen; an empty period says so instead."""
    if content.empty_period:
        return [_p(content.empty_period, s["body"])]
    story: list[Any] = []
    if content.week_chart is not None and content.week_chart.counts:
        story += [_p(content.week_chart.title, s["h2"]),
                  _weekly_chart(content.week_chart, width)]
    for title, bars, ticks in content.mixes:
        if bars:
            story += [_p(title, s["h2"]), _mix_chart(bars, ticks, width)]
    return story


def _story(content: BundleContent, width: float) -> list[Any]:
    s = _styles()
    font = register_fonts()
    story: list[Any] = [
        _p(f"Evidence bundle · {content.reference}", s["title"]),
        _p(content.council, s["body"]),
        _p(f"Customer: {content.customer}. Case stage: {content.state}.", s["body"]),
        _p(f"Period: {content.period}.", s["body"]),
        *[_p(f"Decided against the Head of Service's view on "
             f"{in_prose(d.decided_at, full_month=True)}: "
             f"{d.what}.", s["body"]) for d in content.decisions if d.against_view_reason],
        _p(f"Prepared by {content.prepared_by} on {in_prose(content.prepared_at, full_month=True)} "
           f"at {content.prepared_at:%H:%M}.",
           s["body"]),
        Spacer(1, 6 * mm), _p("Index", s["h2"]),
    ]
    toc = TableOfContents()
    toc.levelStyles = [s["toc"]]
    story += [toc, PageBreak()]

    story.append(_p("1. What the evidence shows", s["h1"]))
    story.append(Table([[_p(label, s["body"]), str(n)] for label, n in content.totals],
                       colWidths=[width - 25 * mm, 25 * mm], style=_grid(font, header=False)))
    story += _charts(content, width, s)
    for title, rows in content.breakdowns:
        if rows:
            story.append(_p(title, s["h2"]))
            story.append(Table([["", "Contacts"]] + [[_p(lbl, s["body"]), str(n)]
                                                     for lbl, n in rows],
                               colWidths=[width - 25 * mm, 25 * mm], style=_grid(font)))
    story.append(_p("2. Behaviour by month", s["h1"]))
    rows_with_counts = [(label, counts) for label, counts in content.matrix if any(counts)]
    if rows_with_counts:
        months = content.matrix_months
        cell = min(16 * mm, (width - 60 * mm) / max(1, len(months)))
        story.append(Table([["Behaviour", *[month_heading(m, s["small"], cell) for m in months]]] +
                           [[_p(label, s["small"]), *[str(n) for n in counts]]
                            for label, counts in rows_with_counts],
                           colWidths=[60 * mm] + [cell] * len(months), style=_grid(font),
                           repeatRows=1))
    else:
        story.append(_p("No contact in the period is tagged with a behaviour.", s["body"]))
    story.append(_p("3. Matters raised", s["h1"]))
    if content.matters:
        story.append(Table([["Matter", "State", "Contacts"]] +
                           [[_p(t, s["body"]), _p(st, s["small"]), str(n)]
                            for t, st, n in content.matters],
                           colWidths=[70 * mm, width - 95 * mm, 25 * mm], style=_grid(font),
                           repeatRows=1))
    else:
        story.append(_p("No matters are recorded on this case.", s["body"]))
    story.append(_p("4. Documents", s["h1"]))
    story.append(_p("Each document is held in the council's evidence store under its SHA-256; "
                    "a copy whose hash differs is not the document listed here.", s["body"]))
    if content.documents:
        story.append(LongTable(
            [["Document", "Added", "Behaviour, links", "SHA-256"]] +
            [[_p(f"{d.name} ({d.media_type}, {counted(d.size, 'byte', grouped=True)}) "
                 f"{d.description}", s["small"]),
              _p(f"{d.added_at} by {d.added_by}", s["small"]),
              _p("; ".join(x for x in (d.categories, d.links) if x), s["small"]),
              hash_cell(d.sha256, s["small"], width - 125 * mm)] for d in content.documents],
            colWidths=[55 * mm, 30 * mm, 40 * mm, width - 125 * mm], style=_grid(font),
            repeatRows=1))
    else:
        story.append(_p("No documents are attached.", s["body"]))
    story += _decisions(content.decisions, width, font)
    story.append(_p(f"6. Log sheet ({counted(len(content.contacts), 'contact')})", s["h1"]))
    if content.contacts:
        # The last heading is above: the log sheet is laid out and drawn once, in the pass
        # whose index holds.
        story += [_IndexedAbove(), *_log_sheet(content.contacts, width, font)]
    else:
        story.append(_p("No contacts are logged in the period.", s["body"]))
    return story


def _decisions(decisions: list[BundleDecision], width: float, font: str) -> list[Any]:
    s = _styles()
    story: list[Any] = [_p("5. Decisions and the Head of Service's views", s["h1"])]
    if not decisions:
        return [*story, _p("No decision has been made on this case.", s["body"])]
    rows = []
    for d in decisions:
        why = d.reason
        if d.against_view_reason:
            why += (" — DECIDED AGAINST THE HEAD OF SERVICE'S VIEW. Reasons for going ahead: "
                    f"{d.against_view_reason}")
        rows.append([_p(f"{d.decided_at:%d %b %Y}", s["small"]),
                     _p(f"{d.what} ({d.decided_by})", s["small"]), _p(why, s["small"]),
                     _p(d.view or "—", s["small"])])
    story.append(LongTable([["Date", "Decision", "Reasons", "Head of Service's view"], *rows],
                           colWidths=[20 * mm, 40 * mm, (width - 60 * mm) / 2,
                                      (width - 60 * mm) / 2], style=_grid(font), repeatRows=1))
    return story


LOG_FONT_SIZE = 7


def _wrapped(text: str, width: float, font: str) -> str:
    """Text broken into lines that fit `width`. Plain strings, not Paragraphs: a log sheet
    can run to thousands of rows, and a Paragraph per cell made 15,000 rows take minutes."""
    padding = 12  # ReportLab's default 6 points either side of a cell
    return "\n".join(simpleSplit(text, font, LOG_FONT_SIZE, width - padding)) if text else ""


LOG_CHUNK = 40  # rows per table: ReportLab re-measures a table's rest at every page break


def _log_sheet(contacts: list[BundleContact], width: float, font: str) -> list[Table]:
    widths = [18 * mm, 22 * mm, 35 * mm, width - 120 * mm, 45 * mm]
    header = ["When", "Channel", "Area / officer", "Summary", "Behaviour / matter"]
    rows: list[list[str]] = []
    for c in contacts:
        matter = c.matter + (" (repeat after closure)" if c.repeat else "")
        rows.append([
            f"{c.at:%d/%m/%Y}\n{c.at:%H:%M}",
            "\n".join([c.channel, _wrapped(c.direction, widths[1], font)]),
            _wrapped(f"{c.service_area} / {c.officer}", widths[2], font),
            _wrapped(c.summary, widths[3], font),
            _wrapped("; ".join(x for x in (c.categories, matter) if x), widths[4], font)])
    style = _grid(font)
    style.add("FONTSIZE", (0, 0), (-1, -1), LOG_FONT_SIZE)
    style.add("LEADING", (0, 0), (-1, -1), LOG_FONT_SIZE + 1.5)
    tables = []
    for start in range(0, len(rows), LOG_CHUNK):
        chunk = [header, *rows[start:start + LOG_CHUNK]]
        # Heights given, not measured: every cell is already broken into lines.
        heights = [max(cell.count("\n") + 1 for cell in row) * (LOG_FONT_SIZE + 1.5) + 6
                   for row in chunk]
        tables.append(Table(chunk, colWidths=widths, rowHeights=heights, style=style,
                            repeatRows=1))
    return tables


def render_bundle(content: BundleContent, path: Path) -> None:
    """Write the bundle to `path` (which the caller has made private to the user)."""
    doc = _Bundle(path, content)
    doc.multiBuild(_story(content, doc.width))
