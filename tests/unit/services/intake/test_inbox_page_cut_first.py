"""perf6: at 100,000 customers (10,000 cases) a page of the inbox counted the last 30 days'
contacts of every case the tab holds, and looked up every case's customer, before the 60
rows it shows were cut from them; the tab counts looked up every case's customer and service
area too. Now the page is cut from the cases alone, then its own rows are joined and their
contacts counted, and the counts read the cases alone: the same rows, the same figures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from crm_tui import clock
from crm_tui.db.models import Case, ContactLogEntry
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.intake import inbox
from crm_tui.services.intake.inbox import InboxFilter, SortKey, Tab
from tests import builders


@pytest.fixture
def said(db: Any) -> Iterator[list[tuple[str, Any]]]:
    """The statements the database is given, with their parameters."""
    statements: list[tuple[str, Any]] = []
    original = db.execute_sql

    def recording(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        statements.append((sql, params))
        return original(sql, params, *args, **kwargs)

    db.execute_sql = recording
    yield statements
    del db.execute_sql


def _contacts_since(customer_id: int) -> int:
    since = clock.today() - timedelta(days=30)
    return int(ContactLogEntry.select().where((ContactLogEntry.customer == customer_id)
                                              & (ContactLogEntry.at >= since)).count())


def test_a_page_counts_and_joins_its_own_rows_only(
        actors: dict[Role, Actor], said: list[tuple[str, Any]], engine: str) -> None:
    crm = actors[Role.CRM]
    refs = [builders.at_state(actors, CaseState.NEW) for _ in range(5)]
    # Contacts of the last 30 days for two customers, and one from before then.
    cases = {ref: Case.get(Case.reference == ref) for ref in refs}
    recorder = crm.user_id
    now = datetime.combine(clock.today(), datetime.min.time())
    for ref, days_ago in ((refs[1], 2), (refs[1], 40), (refs[3], 5), (refs[3], 6)):
        ContactLogEntry.create(customer=cases[ref].customer_id, at=now - timedelta(days=days_ago),
                               channel="email", direction="inbound", summary="Another email",
                               recorded_by=recorder, service_area=cases[ref].service_area_id)
    expected = {ref: _contacts_since(case.customer_id) for ref, case in cases.items()}
    assert any(expected.values())
    for key in (SortKey.DUE, SortKey.CONTACTS, SortKey.CUSTOMER, SortKey.REFERENCE):
        for descending in (False, True):
            shown: dict[str, int] = {}
            after = None
            while True:
                page = inbox.page(crm, InboxFilter(sort=key, descending=descending), after,
                                  size=2)
                shown |= {r.reference: r.contacts_30_days for r in page.rows}
                after = page.after
                if not page.has_more:
                    break
            assert {ref: shown[ref] for ref in refs} == expected, (key, descending)
    said.clear()
    inbox.page(crm, InboxFilter(tab=Tab.NEW))
    inbox.tab_counts(crm, InboxFilter())
    page_sql, counts_sql = said[0], said[-1]
    # The tab counts read the cases alone (no customer, no service area looked up).
    assert '"customer"' not in counts_sql[0] and '"service_area"' not in counts_sql[0]
    if engine == "sqlite":
        plan = " / ".join(str(row[3]) for row in
                          Case._meta.database.execute_sql("EXPLAIN QUERY PLAN " + page_sql[0],
                                                          page_sql[1]))
        # No contacts counted for each case in the tab; the page cut first, then joined.
        assert "CORRELATED SCALAR SUBQUERY" not in plan, plan
        assert "LIST SUBQUERY" in plan, plan
