"""What the evidence shows over a period: figures computed in SQL, grouped in the database,
never by loading every contact into Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from peewee import Case as SqlCase
from peewee import fn

from crm_tui import clock
from crm_tui.db import sqlite
from crm_tui.db.models import ContactLogEntry, LocalResolution, ServiceArea
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.contact import Channel
from crm_tui.domain.roles import Actor
from crm_tui.services.case_steps import load_case

WORKING_HOURS = (8, 18)  # contacts outside 08:00-18:00 or at weekends count as unusual hours
DEFAULT_DAYS = 90


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str


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


def _rows(customer_id: int | None, period: Period) -> Any:
    start = datetime.combine(period.start, time.min)
    end = datetime.combine(period.end + timedelta(days=1), time.min)
    return ((ContactLogEntry.customer == customer_id) & (ContactLogEntry.at >= start)
            & (ContactLogEntry.at < end))


def _grouped(column: Any, where: Any, order_by_count: bool = True) -> list[tuple[Any, int]]:
    count = fn.COUNT(ContactLogEntry.id)
    query = (ContactLogEntry.select(column.alias("key"), count.alias("n")).where(where)
             .group_by(column))
    query = query.order_by(count.desc(), column) if order_by_count else query.order_by(column)
    return [(row["key"], int(row["n"])) for row in _dicts(query)]


def analyse(actor: Actor, reference: str, period: Period | None = None) -> Analysis:
    """The figures for a case's customer over a period (the monitoring period by default)."""
    case = load_case(actor, reference)
    period = period or default_period(actor, reference)
    where = _rows(case.customer_id, period)
    totals = _dicts(ContactLogEntry.select(
        fn.COUNT(ContactLogEntry.id).alias("total"),
        fn.SUM(SqlCase(None, [(ContactLogEntry.direction == "inbound", 1)], 0)).alias("inbound"),
        fn.SUM(SqlCase(None, [((sqlite.hour(ContactLogEntry.at) < WORKING_HOURS[0])
                               | (sqlite.hour(ContactLogEntry.at) >= WORKING_HOURS[1]), 1)], 0))
        .alias("unusual"),
        fn.SUM(SqlCase(None, [(sqlite.weekday(ContactLogEntry.at).in_([0, 6]), 1)], 0))
        .alias("weekends"),
    ).where(where))[0]
    per_week = [(date.fromisoformat(str(key)), n) for key, n in
                _grouped(sqlite.week_start(ContactLogEntry.at), where, order_by_count=False)]
    by_channel = [(Channel(key), n) for key, n in _grouped(ContactLogEntry.channel, where)]
    area_names = {a.id: a.name for a in ServiceArea.select()}
    by_area = [(area_names.get(key, str(key)), n)
               for key, n in _grouped(ContactLogEntry.service_area, where)]
    by_officer = [(str(key) or "(not recorded)", n)
                  for key, n in _grouped(ContactLogEntry.officer_name, where)]
    months, matrix = _matrix(where)
    return Analysis(period, int(totals["total"] or 0), int(totals["inbound"] or 0), per_week,
                    by_channel, by_area, by_officer, months, matrix,
                    int(totals["unusual"] or 0), int(totals["weekends"] or 0))


def _matrix(where: Any) -> tuple[list[str], dict[BehaviourCategory, list[int]]]:
    """Behaviour category x month, one grouped query with a sum per category bit."""
    month = sqlite.month(ContactLogEntry.at)
    sums = [fn.SUM(SqlCase(None, [(ContactLogEntry.categories.bin_and(c.mask) != 0, 1)], 0))
            .alias(c.name) for c in BehaviourCategory]
    rows = _dicts(ContactLogEntry.select(month.alias("month"), *sums).where(where)
                  .group_by(month).order_by(month))
    months = [str(r["month"]) for r in rows]
    matrix = {c: [int(r[c.name] or 0) for r in rows] for c in BehaviourCategory}
    return months, matrix
