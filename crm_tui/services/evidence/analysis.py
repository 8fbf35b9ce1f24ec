"""What the evidence shows over a period: figures computed in SQL, grouped in the database,
never by loading every contact into Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from peewee import Case as SqlCase
from peewee import fn

from crm_tui import clock
from crm_tui.db import dialect
from crm_tui.db.models import ContactLogEntry, LocalResolution, Matter, ServiceArea
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.dates import month_named
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.roles import Actor
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core.case_steps import load_case
from crm_tui.services.evidence import log_sheet
from crm_tui.services.evidence.log_sheet import ContactFilter

DEFAULT_DAYS = 90
LONGEST_PERIOD_DAYS = 3 * 366  # longer periods are refused: they say little about behaviour now


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str


@dataclass(frozen=True)
class Figure:
    """One number the analysis shows, and the filter that lists the contacts behind it."""

    section: str
    label: str
    count: int
    filter: ContactFilter


@dataclass(frozen=True)
class Analysis:
    period: Period
    total: int
    inbound: int
    per_week: list[tuple[date, int]]
    by_channel: list[tuple[Channel, int]]
    by_service_area: list[tuple[str, int]]
    by_officer: list[tuple[str, int]]
    matrix_months: list[str]
    matrix: dict[BehaviourCategory, list[int]]  # category -> count per month
    unusual_hours: int
    weekends: int
    repeats: int = 0
    breaches: int = 0  # contacts that did not keep to the restrictions in force
    repeats_by_matter: list[tuple[int, str, int]] = field(default_factory=list)
    area_ids: dict[str, int] = field(default_factory=dict)

    @property
    def by_category(self) -> list[tuple[BehaviourCategory, int]]:
        """Contacts showing each behaviour over the period, most first (a contact tagged
        with two behaviours counts under each); behaviours not seen are left out."""
        counted = [(c, sum(self.matrix[c])) for c in BehaviourCategory]
        return sorted(((c, n) for c, n in counted if n), key=lambda pair: -pair[1])

    @property
    def base(self) -> ContactFilter:
        return ContactFilter(self.period.start, self.period.end)

    def figures(self) -> list[Figure]:
        """Every figure, in the order shown, each with the filter for its entries."""
        b = self.base
        out = [Figure("Totals", "All contacts in the period", self.total, b),
               Figure("Totals", "From the customer", self.inbound,
                      b.narrowed("from the customer", direction=Direction.INBOUND)),
               Figure("Totals", "Outside 08:00-18:00", self.unusual_hours,
                      b.narrowed("outside 08:00-18:00", unusual_hours=True)),
               Figure("Totals", "At weekends", self.weekends,
                      b.narrowed("at weekends", weekends=True)),
               Figure("Totals", "Repeats on closed matters", self.repeats,
                      b.narrowed("repeats on closed matters", repeats=True)),
               Figure("Totals", "Breaches of restrictions", self.breaches,
                      b.narrowed("breaches of restrictions", breaches=True))]
        out += [Figure("Repeats by matter", title, n,
                       b.narrowed(f"repeats on {title}", repeats=True, matter_id=matter_id))
                for matter_id, title, n in self.repeats_by_matter]
        out += [Figure("By channel", c.label, n, b.narrowed(c.label, channel=c))
                for c, n in self.by_channel]
        out += [Figure("By service area", name, n,
                       b.narrowed(name, service_area_id=self.area_ids.get(name)))
                for name, n in self.by_service_area]
        out += [Figure("By officer", name, n,
                       b.narrowed(f"officer {name}", officer="" if name == NO_OFFICER
                                  else name))
                for name, n in self.by_officer]
        out += [Figure("By week", f"week of {in_prose(week)}", n,
                       b.narrowed(f"week of {in_prose(week)}", week=week))
                for week, n in self.per_week if n]
        return out

    def cell(self, category: BehaviourCategory, month: str) -> ContactFilter:
        """The filter behind one cell of the behaviour-by-month matrix."""
        return self.base.narrowed(f"{category.label}, {month_named(month)}", category=category,
                                  month=month)


NO_OFFICER = "(not recorded)"


def check_period(start: date, end: date) -> Period:
    """A period the user chose; refused when it runs backwards, is in the future or is long."""
    if end < start:
        raise ValidationError("end", f"the period would end on {end.isoformat()}, before it "
                                     f"starts on {start.isoformat()}: give the earlier day first")
    if start > clock.today():
        raise ValidationError("start", f"the period starts on {start.isoformat()}, in the "
                                       "future")
    if (end - start).days > LONGEST_PERIOD_DAYS:
        raise ValidationError("end", "choose a period of at most three years")
    return Period(start, end, "chosen period")


def default_period(actor: Actor, reference: str) -> Period:
    """The latest monitoring period, or the last 90 days when there is none."""
    case = load_case(actor, reference)
    lr = (LocalResolution.select().where(LocalResolution.case == case)
          .order_by(LocalResolution.id.desc()).first())
    if lr is not None:
        return Period(lr.monitoring_start, lr.monitoring_end, "monitoring period")
    today = clock.today()
    return Period(today - timedelta(days=DEFAULT_DAYS), today, f"last {DEFAULT_DAYS} days")


def _dicts(query: Any) -> list[dict[str, Any]]:
    # Peewee's stubs type .dicts() as returning model rows; it yields plain dicts.
    return cast(list[dict[str, Any]], list(query.dicts()))


def _grouped(column: Any, where: Any, order_by_count: bool = True) -> list[tuple[Any, int]]:
    count = fn.COUNT(ContactLogEntry.id)
    query = (ContactLogEntry.select(column.alias("key"), count.alias("n")).where(where)
             .group_by(column))
    query = query.order_by(count.desc(), column) if order_by_count else query.order_by(column)
    return [(row["key"], int(row["n"])) for row in _dicts(query)]


def _flag(condition: Any, name: str) -> Any:
    return fn.SUM(SqlCase(None, [(condition, 1)], 0)).alias(name)


def period_of(actor: Actor, reference: str, period: Period | None = None) -> Period:
    """The period chosen, or the one the analysis covers by default (see analyse)."""
    return period or default_period(actor, reference)


def analyse(actor: Actor, reference: str, period: Period | None = None) -> Analysis:
    """The figures for a case's customer over a period (the monitoring period by default)."""
    case = load_case(actor, reference)
    period = period or default_period(actor, reference)
    where = log_sheet.where(case.customer_id, ContactFilter(period.start, period.end),
                            actor)
    at = ContactLogEntry.at
    totals = _dicts(ContactLogEntry.select(
        fn.COUNT(ContactLogEntry.id).alias("total"),
        _flag(ContactLogEntry.direction == "inbound", "inbound"),
        _flag(log_sheet.unusual(at), "unusual"),
        _flag(log_sheet.weekend(at), "weekends"),
        _flag(log_sheet.breached(), "breaches"),
    ).where(where))[0]
    counted = {date.fromisoformat(str(key)): n for key, n in
               _grouped(dialect.week_start(at), where, order_by_count=False)}
    per_week = _every_week(period, counted)
    by_channel = [(Channel(key), n) for key, n in _grouped(ContactLogEntry.channel, where)]
    area_names = {a.id: a.name for a in ServiceArea.select()}
    by_area = [(area_names.get(key, str(key)), n)
               for key, n in _grouped(ContactLogEntry.service_area, where)]
    by_officer = [(str(key) or NO_OFFICER, n)
                  for key, n in _grouped(ContactLogEntry.officer_name, where)]
    repeats = _grouped(ContactLogEntry.matter, where & log_sheet.repeat_on_closed_matter())
    titles = {m.id: m.title for m in Matter.select().where(Matter.case == case)}
    months, matrix = _matrix(where, period)
    return Analysis(
        period=period, total=int(totals["total"] or 0), inbound=int(totals["inbound"] or 0),
        per_week=per_week, by_channel=by_channel, by_service_area=by_area,
        by_officer=by_officer, matrix_months=months, matrix=matrix,
        unusual_hours=int(totals["unusual"] or 0), weekends=int(totals["weekends"] or 0),
        repeats=sum(n for _, n in repeats), breaches=int(totals["breaches"] or 0),
        repeats_by_matter=[(int(key), titles.get(key, f"matter {key}"), n)
                           for key, n in repeats],
        area_ids={name: area_id for area_id, name in area_names.items()})


def _every_week(period: Period, counted: dict[date, int]) -> list[tuple[date, int]]:
    """Every week of the period, quiet ones included: a chart that skipped them would make
    sporadic contact look constant."""
    week = period.start - timedelta(days=period.start.weekday())
    weeks = []
    while week <= period.end:
        weeks.append((week, counted.get(week, 0)))
        week += timedelta(days=7)
    return weeks


def _matrix(where: Any, period: Period) -> tuple[list[str], dict[BehaviourCategory, list[int]]]:
    """Behaviour category x month, one grouped query with a sum per category bit. Every month
    of the period is a column, quiet ones as 0: a grid that skipped them (February then
    April) would make sporadic contact look constant, as the weekly chart would."""
    month = dialect.month(ContactLogEntry.at)
    sums = [_flag(ContactLogEntry.categories.bin_and(c.mask) != 0, c.name)
            for c in BehaviourCategory]
    rows = {str(r["month"]): r for r in _dicts(
        ContactLogEntry.select(month.alias("month"), *sums).where(where).group_by(month))}
    months = sorted(set(_every_month(period)) | set(rows))  # 'YYYY-MM' sorts by time
    matrix = {c: [int(rows[m][c.name] or 0) if m in rows else 0 for m in months]
              for c in BehaviourCategory}
    return months, matrix


def _every_month(period: Period) -> list[str]:
    """'YYYY-MM' of each month the period touches, first to last."""
    year, month = period.start.year, period.start.month
    months = []
    while (year, month) <= (period.end.year, period.end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
