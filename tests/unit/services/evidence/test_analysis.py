"""The evidence analysis: known contacts give known figures."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from pypdf import PdfReader

from crm_tui.domain.categories import BehaviourCategory as B
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.dates import month_named
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.evidence import analysis, bundle, contacts
from crm_tui.services.evidence.analysis import Period
from crm_tui.services.evidence.contacts import ContactInput
from tests import builders


def _log(actors: dict[Role, Actor], ref: str, at: datetime, channel: Channel, area: str,
         officer: str, categories: tuple[B, ...] = (),
         direction: Direction = Direction.INBOUND) -> None:
    contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=at, channel=channel, direction=direction, service_area=area, officer_name=officer,
        summary="x", categories=categories))


def test_known_contacts_give_known_figures(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    log = [
        # Monday 5 Oct 2026, working hours, two areas
        (datetime(2026, 10, 5, 9, 0), Channel.EMAIL, "Housing Services", "Aisha",
         (B.SCATTERGUN,)),
        (datetime(2026, 10, 5, 10, 0), Channel.EMAIL, "Waste and Recycling", "Ben",
         (B.SCATTERGUN, B.EXCESSIVE_DEMANDS)),
        # Sunday 11 Oct, late at night: same week, weekend, unusual hour
        (datetime(2026, 10, 11, 23, 30), Channel.TELEPHONE, "Housing Services", "Aisha",
         (B.OFFENSIVE_REMARKS,)),
        # Monday 12 Oct: the next week; early morning
        (datetime(2026, 10, 12, 7, 15), Channel.TELEPHONE, "Housing Services", "Carys", ()),
        # November: a different month
        (datetime(2026, 11, 2, 14, 0), Channel.LETTER, "Housing Services", "Aisha",
         (B.EXCESSIVE_DEMANDS,)),
    ]
    for at, channel, area, officer, cats in log:
        _log(actors, ref, at, channel, area, officer, cats)
    _log(actors, ref, datetime(2026, 8, 1, 9, 0), Channel.EMAIL, "Housing Services",
         "Aisha")  # before the period
    result = analysis.analyse(actors[Role.CRM], ref,
                              Period(date(2026, 10, 1), date(2026, 11, 27), "test"))
    assert result.total == 5 and result.inbound == 5
    weeks = dict(result.per_week)
    assert len(weeks) == 9  # every week of the period, quiet ones too
    assert min(weeks) == date(2026, 9, 28) and max(weeks) == date(2026, 11, 23)
    assert {w: n for w, n in weeks.items() if n} == {
        date(2026, 10, 5): 3, date(2026, 10, 12): 1, date(2026, 11, 2): 1}
    assert dict(result.by_channel) == {Channel.EMAIL: 2, Channel.TELEPHONE: 2,
                                       Channel.LETTER: 1}
    assert dict(result.by_service_area) == {"Housing Services": 4, "Waste and Recycling": 1}
    assert result.by_officer[0] == ("Aisha", 3)
    assert result.matrix_months == ["2026-10", "2026-11"]
    # Said as a month, not "26-11" (read as the 26th of November) or "2026-11" (round 8).
    assert result.cell(B.SCATTERGUN, "2026-11").label.endswith("Nov 2026")
    assert month_named("2026-11", short=True) == "Nov 26"
    assert result.matrix[B.SCATTERGUN] == [2, 0]
    assert result.matrix[B.EXCESSIVE_DEMANDS] == [1, 1]
    assert result.matrix[B.OFFENSIVE_REMARKS] == [1, 0]
    assert result.unusual_hours == 2 and result.weekends == 1


def test_default_period_is_the_monitoring_period(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    period = analysis.default_period(actors[Role.CRM], ref)
    assert (period.start, period.end) == (date(2026, 9, 1), date(2026, 10, 31))
    assert analysis.analyse(actors[Role.CRM], ref).total == 0


def test_behaviour_by_month_lists_the_quiet_months_too(actors: dict[Role, Actor],
                                                        tmp_path: Path) -> None:
    """b15b 5: a month without a contact was left out of the grid (Feb 26 then Apr 26), on
    screen and in the bundle, so the quiet month could not be seen."""
    ref = builders.at_state(actors, CaseState.NEW)
    _log(actors, ref, datetime(2026, 9, 14, 9, 0), Channel.EMAIL, "Housing Services", "Aisha",
         (B.SCATTERGUN,))
    _log(actors, ref, datetime(2026, 11, 2, 9, 0), Channel.EMAIL, "Housing Services", "Aisha",
         (B.SCATTERGUN,))
    period = Period(date(2026, 8, 20), date(2026, 11, 27), "test")
    result = analysis.analyse(actors[Role.CRM], ref, period)
    assert result.matrix_months == ["2026-08", "2026-09", "2026-10", "2026-11"]
    assert result.matrix[B.SCATTERGUN] == [0, 1, 0, 1]
    assert result.cell(B.SCATTERGUN, "2026-10").label.endswith("Oct 2026")
    path = bundle.export_bundle(actors[Role.CRM], ref, tmp_path / "out", "Northmere", period)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())
    grid = text[text.rindex("Behaviour by month"):text.rindex("Matters raised")]
    assert "Aug 2026 Sep 2026 Oct 2026 Nov 2026" in grid
    assert "Scattergun approach 0 1 0 1" in grid
