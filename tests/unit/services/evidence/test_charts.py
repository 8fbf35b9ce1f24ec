"""The figures behind the analysis's charts (screen and bundle alike): every week of the
period and its count, dated labels, whole-number count marks, the channel and behaviour mix,
and an empty period that says so in the PDF instead of drawing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from crm_tui.domain.categories import BehaviourCategory as B
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.evidence import analysis, bundle, charts, contacts
from crm_tui.services.evidence.analysis import Period
from crm_tui.services.evidence.contacts import ContactInput
from tests import builders

PERIOD = Period(date(2026, 10, 1), date(2026, 11, 27), "test")


def _log(actors: dict[Role, Actor], ref: str, at: datetime, channel: Channel,
         categories: tuple[B, ...] = ()) -> None:
    contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=at, channel=channel, direction=Direction.INBOUND, service_area="Housing Services",
        officer_name="Aisha", summary="x", categories=categories))


def _weeks(first: date, counts: list[int]) -> list[tuple[date, int]]:
    return [(first + timedelta(days=7 * i), n) for i, n in enumerate(counts)]


def test_the_charts_figures_come_from_the_contacts(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    _log(actors, ref, datetime(2026, 10, 5, 9, 0), Channel.EMAIL, (B.SCATTERGUN,))
    _log(actors, ref, datetime(2026, 10, 6, 9, 0), Channel.EMAIL,
         (B.SCATTERGUN, B.EXCESSIVE_DEMANDS))
    _log(actors, ref, datetime(2026, 10, 13, 9, 0), Channel.TELEPHONE, (B.REPEAT_COMPLAINTS,))
    _log(actors, ref, datetime(2026, 11, 2, 9, 0), Channel.LETTER)
    result = analysis.analyse(actors[Role.CRM], ref, PERIOD)
    bars = charts.weekly(result.per_week, columns=60)
    # every week of the period is a bar, quiet ones as 0, each dated by its Monday
    assert bars.weeks_per_bar == 1 and bars.title == "Contacts per week"
    assert bars.starts[0] == date(2026, 9, 28) and bars.starts[-1] == date(2026, 11, 23)
    assert bars.counts == [0, 2, 1, 0, 0, 1, 0, 0, 0]
    # 60 columns hold 7 labels of dd/mm: every other week of the 9 is labelled
    assert [label for _, label in bars.ticks] == ["28/09", "12/10", "26/10", "09/11", "23/11"]
    assert bars.count_ticks == [0, 1, 2]
    assert charts.channel_mix(result).bars == [("Email", 2), ("Letter", 1), ("Telephone", 1)]
    assert charts.behaviour_mix(result).bars == [
        ("Scattergun approach", 2), ("Excessive demands on time", 1), ("Repeat complaints", 1)]


def test_a_long_period_is_labelled_by_month_and_grouped_to_fit() -> None:
    per_week = _weeks(date(2024, 1, 1), [1] * 157)  # three years of Mondays
    bars = charts.weekly(per_week, columns=40)
    assert bars.weeks_per_bar == 4 and len(bars.counts) == 40
    assert bars.title == "Contacts per 4 weeks"
    assert sum(bars.counts) == 157  # nothing lost to the grouping
    labels = [label for _, label in bars.ticks]
    assert labels[0] == "Jan 2024" and all(len(label) == 8 for label in labels)
    for i, label in bars.ticks:  # each labelled bar holds the 1st of the month it names
        first = datetime.strptime(label, "%b %Y").date()
        assert bars.starts[i] <= first < bars.starts[i] + timedelta(days=28)
    assert len(bars.ticks) <= 40 // 11


def test_a_short_period_labels_weeks_as_many_as_fit() -> None:
    bars = charts.weekly(_weeks(date(2026, 3, 2), [3, 0, 5, 1, 0, 0, 2, 9]), columns=16)
    assert bars.ticks == [(0, "02/03"), (4, "30/03")]  # two labels of dd/mm fit 16 columns


@settings(database=None)  # hypothesis would keep its examples in .hypothesis/ otherwise
@given(st.integers(min_value=0, max_value=100_000), st.integers(min_value=1, max_value=12))
def test_count_marks_are_whole_round_and_cover_the_top(top: int, most: int) -> None:
    ticks = charts.count_ticks(top, most)
    step = ticks[1] - ticks[0]
    assert ticks[0] == 0 and ticks[-1] >= top and len(ticks) <= most + 1
    assert all(b - a == step for a, b in pairwise(ticks))
    assert int(str(step)[0]) in (1, 2, 5) and set(str(step)[1:]) <= {"0"}


@settings(database=None)
@given(st.integers(min_value=1, max_value=100_000), st.integers(min_value=3, max_value=40))
def test_count_marks_fall_on_whole_rows_and_leave_a_row_for_the_top_count(
        top: int, rows: int) -> None:
    """b15b 2: marks 15, 10, 5, 0 on six rows fell two rows, one row, two rows apart."""
    ticks = charts.row_ticks(top, rows)
    step, end = ticks[1] - ticks[0], ticks[-1]
    assert ticks[0] == 0 and all(b - a == step for a, b in pairwise(ticks))
    assert (rows - 1) % (len(ticks) - 1) == 0  # every step the same whole number of rows
    assert top * (rows - 1) <= end * (rows - 2)  # the tallest bar ends below the top row


def test_count_marks_for_the_weeks_that_read_wrong() -> None:
    # the monitoring period of UPV-2026-0007 (busiest week 14): at 7 rows a mark every 2
    # rows, at 9 every 2 rows; 73 contacts on 9 rows in steps of 25
    assert charts.row_ticks(14, 7) == [0, 6, 12, 18]
    assert charts.row_ticks(14, 9) == [0, 4, 8, 12, 16]
    assert charts.row_ticks(73, 9) == [0, 25, 50, 75, 100]


def test_an_empty_period_says_so_in_the_bundle(actors: dict[Role, Actor],
                                               tmp_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    path = bundle.export_bundle(actors[Role.CRM], ref, tmp_path / "out", "Northmere", PERIOD)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())
    assert charts.empty_sentence(PERIOD) in text
    assert "No contacts were logged in this period (01/10/2026 to 27/11/2026)" in text
    assert "Contacts per week" not in text and "Contacts by channel" not in text


def test_the_bundle_carries_the_charts(actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    _log(actors, ref, datetime(2026, 10, 5, 9, 0), Channel.EMAIL, (B.SCATTERGUN,))
    path = bundle.export_bundle(actors[Role.CRM], ref, tmp_path / "out", "Northmere", PERIOD)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())
    assert "No contacts were logged" not in text
    for shown in ("Contacts per week", "28/09", "Contacts by channel",
                  "Contacts by behaviour", "Scattergun approach"):
        assert shown in text


def test_the_bundle_sets_each_hash_in_two_halves_and_its_day_in_full(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """Round 11: a document's SHA-256 wrapped as 31 + 32 characters and a lone last one, and
    its day read "05 Dec 26"."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm

    from crm_tui import clock
    from crm_tui.letters.bundle import hash_cell
    from crm_tui.services.evidence import documents

    ref = builders.at_state(actors, CaseState.RESTRICTED)
    note = tmp_path / "note.txt"
    note.write_text("Rang four times about the bins.", encoding="utf-8")
    documents.attach_document(actors[Role.CRM], ref, note)
    [doc] = documents.list_documents(actors[Role.CRM], ref)
    path = bundle.export_bundle(actors[Role.CRM], ref, tmp_path / "out", "Northmere", PERIOD)
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    today = clock.today()
    assert f"{today.day} {today:%b %Y}" in text
    assert doc.sha256[:32] in text and doc.sha256[32:] in text
    cell = hash_cell(doc.sha256, ParagraphStyle("s", fontName="Helvetica", fontSize=7.5),
                     45 * mm)
    cell.wrap(45 * mm - 12, 1000)
    assert len(cell.blPara.lines) == 2
    for wider in ("f" * 64, "0" * 64):  # the widest and narrowest hex digits alike
        cell = hash_cell(wider, ParagraphStyle("s", fontName="Helvetica", fontSize=7.5),
                         45 * mm)
        cell.wrap(45 * mm - 12, 1000)
        assert len(cell.blPara.lines) == 2


def test_each_month_heading_fits_its_column() -> None:
    """Seen in a demo bundle: "Aug 2026Sep 2026", each heading running into the next in
    columns narrower than itself. Down to the narrowest column a year's bundle gives, each
    word of a heading fits its cell (the year goes under the month when both do not)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm

    from crm_tui.letters.bundle import month_heading

    style = ParagraphStyle("s", fontName="Helvetica", fontSize=7.5)
    for months in (3, 6, 12, 13):
        cell = min(16 * mm, (180 * mm - 60 * mm) / months)
        for month in ("May 2026", "Aug 2026", "Sep 2026", "Dec 2026"):
            heading = month_heading(month, style, cell)
            heading.wrap(cell - 12, 1000)
            assert all(line[0] >= 0 for line in heading.blPara.lines), (months, month)


def test_the_bundles_weekly_chart_carries_each_bars_count() -> None:
    """v15h H2: the bundle's contacts-per-week bars had no count over them, where the
    screen's chart and the bundle's channel and behaviour charts have theirs. A quiet week
    has no bar and no figure, as on screen."""
    import re
    from dataclasses import dataclass

    from reportlab.graphics import renderSVG

    from crm_tui.letters.bundle import _weekly_chart

    @dataclass
    class Weeks:
        counts: list[int]
        ticks: list[tuple[int, str]]
        count_ticks: list[int]
        title: str = "Contacts per week"

    weeks = Weeks([3, 0, 17, 5], [(0, "05/10"), (2, "19/10")], [0, 10, 20])
    svg = renderSVG.drawToString(_weekly_chart(weeks, 160 * 72 / 25.4))
    shown = [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    for count in ("3", "17", "5"):
        assert shown.count(count) == 1, shown  # over its bar (no axis mark reads so)
    assert shown.count("0") == 1, shown  # the axis's 0, and no quiet week's 0
    assert "05/10" in shown and "20" in shown


def test_the_bundle_pdf_has_the_weekly_counts(actors: dict[Role, Actor],
                                              tmp_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    for day in range(7):  # seven in one week: the axis marks 0, 2, 4, 6 and 8, never 7
        _log(actors, ref, datetime(2026, 10, 5 + day, 9, 0), Channel.EMAIL)
    path = bundle.export_bundle(actors[Role.CRM], ref, tmp_path / "out", "Northmere", PERIOD)
    page = next(p.extract_text() for p in PdfReader(path).pages
                if "Contacts per week" in p.extract_text())
    chart = page.split("Contacts per week", 1)[1].split("Contacts by channel", 1)[0]
    assert "7" in chart.split(), chart
