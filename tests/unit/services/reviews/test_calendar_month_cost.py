"""perf7: moving the calendar a month with 5,000 restrictions in force took 106 ms (budget
100). Two costs, neither changing a date:

- the customer's comment period (comments_in.comments_by_column) ran the invitation's
  subqueries, and SQLite's lent working-day rule, for every live case, each with no
  proposal open (no reply-by date) included, whose period is NULL whatever they find: now
  it is NULL at once for those;
- the overdue agenda counted each kind of obligation in a statement of its own and read its
  oldest in another (the same SQL written and run twice): now one statement gives both.

The suite's clock: Saturday 28 November 2026."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from peewee import SqliteDatabase

from crm_tui.db.models import Case
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import comments_in
from crm_tui.services.reviews import calendar
from crm_tui.services.reviews.calendar import Obligation
from tests import builders


def _set(ref: str, **dates: date) -> None:
    with builders.as_the_app(ref):
        Case.update(**dates).where(Case.reference == ref).execute()


@pytest.fixture
def statements(db: Any) -> Iterator[Callable[[], list[str]]]:
    """The statements the database was asked since the last asking, on either engine."""
    seen: list[str] = []
    original = db.execute_sql

    def counting(sql: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(sql)
        return original(sql, *args, **kwargs)

    db.execute_sql = counting

    def asked() -> list[str]:
        found = list(seen)
        seen.clear()
        return found

    yield asked
    del db.execute_sql


def test_the_overdue_agenda_counts_and_reads_each_kind_in_one_statement(
        actors: dict[Role, Actor], statements: Callable[[], list[str]]) -> None:
    crm = actors[Role.CRM]
    late = [builders.at_state(actors, CaseState.RESTRICTED) for _ in range(3)]
    for ref in late:
        _set(ref, review_due=date(2026, 11, 2))
    awaited = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, awaited, reply_by=date(2026, 12, 17))  # comments awaited
    statements()
    view = calendar.month(crm, 2026, 11)
    asked = statements()
    # The month's 12 reads, the look for invitations that cannot go, the post filed without
    # reply overdue (counted, read) and 10 kinds overdue, each counted and read at once: 25
    # (29 were each kind counted and read apart; the 10th kind, an invitation to sign again:
    # fixAO; the 11th, a decision letter to sign again: fixAU3, one statement for all cases;
    # the 12th, any other next action overdue: fixBB BB1).
    assert len(asked) == 25, "\n".join(asked)
    assert view.overdue_total == 3
    assert {(i.reference, i.kind) for i in view.overdue} == {
        (ref, Obligation.REVIEW) for ref in late}
    assert (awaited, Obligation.REPLY_BY, date(2026, 12, 17)) in {
        (i.reference, i.kind, i.day) for i in view.soon}
    # Counted before the limit: all of them, not only those read.
    total, oldest = calendar.overdue(crm, date(2026, 11, 28), 2)
    assert total == 3
    assert len(oldest) == 2
    assert {i.reference for i in oldest} < set(late)
    # None overdue of any kind: counted as none.
    assert calendar.overdue(crm, date(2026, 10, 1), 5) == (0, [])


def test_the_comment_period_is_not_looked_for_on_a_case_with_no_proposal_open(
        actors: dict[Role, Actor], db: Any) -> None:
    if not isinstance(db, SqliteDatabase):
        pytest.skip("the working-day rule is lent to SQLite only (PostgreSQL counts it in SQL)")
    plain = [builders.at_state(actors, CaseState.RESTRICTED) for _ in range(4)]
    invited = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, invited, reply_by=date(2026, 12, 17))
    calls: list[object] = []
    lent = comments_in._period_from_sql

    def counting(issued: str | None) -> str | None:
        calls.append(issued)
        return lent(issued)

    db.register_function(counting, "crm_reply_by_period_from", 1)
    try:
        ids = [c.id for c in Case.select(Case.id).where(Case.reference.in_([*plain, invited]))]
        rows = dict(Case.select(Case.reference, comments_in.comments_by_column())
                    .where(Case.id.in_(ids)).tuples())
    finally:
        db.register_function(lent, "crm_reply_by_period_from", 1)
    assert all(rows[ref] is None for ref in plain)
    assert rows[invited] is not None
    assert len(calls) == 1  # the invited case's only; was one for each of the five
    assert comments_in.comments_by(Case.get(Case.reference == invited)) == date(2026, 12, 17)
