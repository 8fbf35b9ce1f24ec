"""The referral inbox: tabs with counts, filters, sorting and keyset-paged rows.

Pages come from the database a screenful at a time, ordered by the sort column and the case
id, and the next page starts after the last row seen, so that paging costs the same on page
one hundred as on page one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from peewee import JOIN, Expression, fn

from crm_tui import clock
from crm_tui.db import dialect
from crm_tui.db.models import Case, ContactLogEntry, Customer, ServiceArea, User
from crm_tui.domain.categories import BehaviourCategory, from_mask
from crm_tui.domain.roles import Actor
from crm_tui.domain.states import CaseState as S
from crm_tui.services.core import area_names, next_step, scope
from crm_tui.services.intake import next_shown

PAGE_SIZE = 60


class Tab(StrEnum):
    LOCAL_RESOLUTION = "local_resolution"
    NEW = "new"
    UNDER_CONSIDERATION = "under_consideration"
    AWAITING_CONSULTATION = "awaiting_consultation"
    DECIDED = "decided"
    RESTRICTED = "restricted"
    UNDER_REVIEW = "under_review"
    UNDER_APPEAL = "under_appeal"
    ARCHIVED = "archived"
    ALL = "all"

    @property
    def label(self) -> str:
        return _TAB_LABELS[self]

    @property
    def states(self) -> tuple[S, ...]:
        return _TAB_STATES[self]


_TAB_LABELS = {
    Tab.LOCAL_RESOLUTION: "Local resolution", Tab.NEW: "New",
    Tab.UNDER_CONSIDERATION: "Considering", Tab.AWAITING_CONSULTATION: "Awaiting HoS",
    Tab.DECIDED: "Decided", Tab.RESTRICTED: "Restricted", Tab.UNDER_REVIEW: "Review",
    Tab.UNDER_APPEAL: "Appeal", Tab.ARCHIVED: "Archived", Tab.ALL: "All",
}
_TAB_STATES: dict[Tab, tuple[S, ...]] = {
    Tab.LOCAL_RESOLUTION: (S.LOCAL_RESOLUTION,), Tab.NEW: (S.NEW,),
    Tab.UNDER_CONSIDERATION: (S.UNDER_CONSIDERATION,),
    Tab.AWAITING_CONSULTATION: (S.AWAITING_CONSULTATION,),
    Tab.DECIDED: (S.CLOSED_NO_ACTION, S.ENDED), Tab.RESTRICTED: (S.RESTRICTED,),
    Tab.UNDER_REVIEW: (S.UNDER_REVIEW,), Tab.UNDER_APPEAL: (S.UNDER_APPEAL,),
    Tab.ARCHIVED: (S.ARCHIVED,),
    Tab.ALL: tuple(s for s in S if s is not S.DESTROYED),
}


def state_names() -> list[tuple[str, str]]:
    """Every (code, name) a state is typed by: each state's code and label, then each of the
    inbox's tabs that names a state otherwise ("Considering") or several ("Decided"), so that
    the command line takes a state as the screens name it."""
    names = [(state.value, state.label) for state in S]
    return names + [(tab.value, tab.label) for tab in Tab if (tab.value, tab.label) not in names]


def states_named(code: str) -> tuple[S, ...]:
    """The states a code of `state_names` stands for: one state, or a tab's."""
    return (S(code),) if code in {state.value for state in S} else Tab(code).states


class SortKey(StrEnum):
    REFERENCE = "reference"
    CUSTOMER = "customer"
    SERVICE_AREA = "service_area"
    RECEIVED = "received"
    DAYS_WAITING = "days_waiting"
    STATE = "state"
    CATEGORIES = "categories"
    CONTACTS = "contacts"
    NEXT_ACTION = "next_action"
    DUE = "due"
    ASSIGNED_TO = "assigned_to"


@dataclass(frozen=True)
class InboxFilter:
    tab: Tab = Tab.ALL
    service_area: str | None = None
    assigned_to_me: bool = False
    search: str = ""
    sort: SortKey = SortKey.DUE
    descending: bool = False


@dataclass(frozen=True)
class InboxRow:
    case_id: int
    reference: str
    customer_name: str
    customer_reference: str
    service_area: str
    received_on: date | None
    days_waiting: int | None
    state: S
    categories: tuple[BehaviourCategory, ...]
    contacts_30_days: int
    next_action: str
    next_action_due: date | None
    overdue: bool
    assigned_to: str


@dataclass(frozen=True)
class Page:
    rows: list[InboxRow]
    after: tuple[Any, int] | None  # pass back to get the next page
    has_more: bool


@dataclass(frozen=True)
class TabCounts:
    counts: dict[Tab, int] = field(default_factory=dict)


_FAR_DATE = date(9999, 12, 31)


def _contacts_since(since: date) -> Any:
    inner = ContactLogEntry.alias()
    return (inner.select(fn.COUNT(inner.id))
            .where((inner.customer == Case.customer) & (inner.at >= since)))


def _sort_expression(key: SortKey, since: date) -> Any:
    # COALESCE keeps rows with no value in a fixed place so that keyset comparisons hold.
    return {
        SortKey.REFERENCE: Case.reference,
        SortKey.CUSTOMER: fn.COALESCE(Customer.name, ""),
        SortKey.SERVICE_AREA: ServiceArea.name,
        SortKey.RECEIVED: fn.COALESCE(Case.received_on, _FAR_DATE),
        # Longest waiting first when ascending: the oldest received date.
        SortKey.DAYS_WAITING: fn.COALESCE(Case.received_on, _FAR_DATE),
        SortKey.STATE: Case.state,
        SortKey.CATEGORIES: Case.categories,
        SortKey.CONTACTS: fn.COALESCE(_contacts_since(since), 0),
        SortKey.NEXT_ACTION: Case.next_action,
        SortKey.DUE: fn.COALESCE(Case.next_action_due, _FAR_DATE),
        # The assignee's name (joined by `page`); no one's last.
        SortKey.ASSIGNED_TO: fn.COALESCE(User.name, "\uffff"),
    }[key]


def _searching(spec: InboxFilter) -> bool:
    return bool(spec.search.strip() and dialect.match_query(spec.search))


def tab_states(tab: Tab, searching: bool) -> tuple[S, ...]:
    """The states a tab lists. An archived file is out of the working list (All) and under
    its own tab; a search finds it under All too."""
    if tab is Tab.ALL and not searching:
        return tuple(s for s in tab.states if s is not S.ARCHIVED)
    return tab.states


def _conditions(actor: Actor, spec: InboxFilter, *, with_tab: bool) -> list[Expression]:
    conditions: list[Expression] = []
    if with_tab:
        conditions.append(Case.state.in_([s.value for s in
                                          tab_states(spec.tab, _searching(spec))]))
    else:
        conditions.append(Case.state != S.DESTROYED.value)
    conditions.append(scope.visible(actor))
    if spec.service_area:
        conditions.append(ServiceArea.name == spec.service_area)
    if spec.assigned_to_me:
        conditions.append(Case.assigned_to == actor.user_id)
    if _searching(spec):
        conditions.append(dialect.cases_matching(Case.id, Case.customer, spec.search))
    return conditions


def _base(select: Any, conditions: list[Expression]) -> Any:
    query = (select.join(Customer, JOIN.LEFT_OUTER, on=(Case.customer == Customer.id))
             .switch(Case).join(ServiceArea, on=(Case.service_area == ServiceArea.id)))
    for condition in conditions:
        query = query.where(condition)
    return query


def tab_counts(actor: Actor, spec: InboxFilter) -> TabCounts:
    """How many cases each tab holds under the current filters."""
    # The counts need no customer, and the service area only to filter by its name: joined,
    # they were looked up for every case (at 100,000 customers, most of the count's time).
    query: Any = Case.select(Case.state, fn.COUNT(Case.id).alias("n"))
    if spec.service_area:
        query = query.join(ServiceArea, on=(Case.service_area == ServiceArea.id))
    for condition in _conditions(actor, spec, with_tab=False):
        query = query.where(condition)
    query = query.group_by(Case.state)
    by_state = {row.state: row.n for row in query}
    searching = _searching(spec)
    return TabCounts({tab: sum(by_state.get(s.value, 0) for s in tab_states(tab, searching))
                      for tab in Tab})


# The sort keys read from the case's own columns: a page can be cut from the cases alone.
_ON_THE_CASE = frozenset({SortKey.REFERENCE, SortKey.RECEIVED, SortKey.DAYS_WAITING,
                          SortKey.STATE, SortKey.CATEGORIES, SortKey.NEXT_ACTION, SortKey.DUE})


def page(actor: Actor, spec: InboxFilter, after: tuple[Any, int] | None = None,
         size: int = PAGE_SIZE) -> Page:
    """One page of the inbox, starting after the row `after` (from the previous page)."""
    today = clock.today()
    since = today - timedelta(days=30)
    key = _sort_expression(spec.sort, since)
    # Days waiting runs the other way from the received date it is worked out from.
    descending = spec.descending != (spec.sort is SortKey.DAYS_WAITING)
    conditions = _conditions(actor, spec, with_tab=True)
    if after is not None:
        value, last_id = after
        if descending:
            conditions.append((key < value) | ((key == value) & (Case.id < last_id)))
        else:
            conditions.append((key > value) | ((key == value) & (Case.id > last_id)))
    order = [key.desc(), Case.id.desc()] if descending else [key.asc(), Case.id.asc()]
    if spec.sort in _ON_THE_CASE:
        # The page cut from the cases alone, then its rows joined to their customers, areas
        # and assignees: joined first, every case the tab holds was (at 10,000 cases, most
        # of a keystroke's time).
        cut = Case.select(Case.id)
        if spec.service_area:
            cut = cut.join(ServiceArea, on=(Case.service_area == ServiceArea.id))
        for condition in conditions:
            cut = cut.where(condition)
        conditions = [Case.id.in_(cut.order_by(*order).limit(size + 1))]
    query = _base(
        Case.select(Case.id, Case.reference, Case.state, Case.received_on, Case.categories,
                    Case.next_action, Case.next_action_due, Customer.name.alias("customer_name"),
                    Customer.reference.alias("customer_ref"),
                    ServiceArea.name.alias("area_name"), ServiceArea.id.alias("area_id"),
                    User.name.alias("assignee"), Case.customer.alias("customer_id"),
                    key.alias("sort_value")),
        conditions)
    query = query.switch(Case).join(User, JOIN.LEFT_OUTER, on=(Case.assigned_to == User.id))
    rows = list(query.order_by(*order).limit(size + 1).objects())
    has_more = len(rows) > size
    rows = rows[:size]
    names = area_names.shown_names()  # as the trail sealed them, read once for the page
    contacts = (_contacts_on_page(rows, since) if spec.sort is not SortKey.CONTACTS
                else {int(r.id): int(r.sort_value or 0) for r in rows})
    result = [_row(r, today, names, contacts.get(int(r.id), 0)) for r in rows]
    # "Decide" only where the decision can be made: what stands in the way otherwise (few
    # rows: every step the stored rule weighs is done on them).
    result = [replace(row, next_action=next_shown.shown(actor, row.reference, row.next_action))
              if row.next_action == next_shown.DECIDE else row for row in result]
    cursor = (rows[-1].sort_value, rows[-1].id) if rows else after
    return Page(result, cursor, has_more)


def _contacts_on_page(rows: list[Any], since: date) -> dict[int, int]:
    """The contacts of the last 30 days of each case's customer on the page, by case: counted
    for the page's rows only (in the page's query they were counted for every case the
    tab holds before the page was cut from them: 10,000 counts at 100,000 customers)."""
    customers = {int(r.customer_id) for r in rows if r.customer_id is not None}
    if not customers:
        return {}
    found: Any = (ContactLogEntry.select(ContactLogEntry.customer, fn.COUNT(ContactLogEntry.id))
                  .where(ContactLogEntry.customer.in_(sorted(customers))
                         & (ContactLogEntry.at >= since))
                  .group_by(ContactLogEntry.customer).tuples())
    counted = {int(customer): int(many) for customer, many in found}
    return {int(r.id): counted.get(int(r.customer_id), 0) for r in rows
            if r.customer_id is not None}


def _row(r: Any, today: date, names: dict[int, str], contacts: int) -> InboxRow:
    received = r.received_on
    due = r.next_action_due
    state = S(r.state)
    waiting = (today - received).days if received and state in (
        S.NEW, S.UNDER_CONSIDERATION, S.AWAITING_CONSULTATION) else None
    return InboxRow(
        case_id=r.id, reference=r.reference, customer_name=r.customer_name or "",
        customer_reference=r.customer_ref or "",
        service_area=names.get(int(r.area_id), r.area_name), received_on=received,
        days_waiting=waiting, state=state,
        categories=from_mask(r.categories or 0), contacts_30_days=contacts,
        next_action=r.next_action or "", next_action_due=due,
        overdue=next_step.is_overdue(due, today), assigned_to=r.assignee or "")


def page_through(actor: Actor, spec: InboxFilter, reference: str | None, at_least: int,
                 most: int = PAGE_SIZE * 10, size: int = PAGE_SIZE) -> Page:
    """The inbox read again from the top: a page, or as many rows as were shown (`at_least`),
    and on, page by page, until the row of `reference` if it is among the first `most` (a
    step may have moved the case down the sort order), so that the cursor can stay on it."""
    found = page(actor, spec, None, size=max(at_least, size))
    rows = list(found.rows)
    while (reference and found.has_more and len(rows) < most
           and all(r.reference != reference for r in rows)):
        found = page(actor, spec, found.after, size)
        rows += found.rows
    return Page(rows, found.after, found.has_more)


# The filters in the order a case can be hidden by them, each with what letting it go is called.
_LET_GO = (("search", "search cleared"), ("service_area", "all service areas shown"),
           ("assigned_to_me", "not only yours"), ("tab", "All tab shown"))


def showing(actor: Actor, spec: InboxFilter, reference: str) -> tuple[InboxFilter, list[str]]:
    """The filters `spec` with each one that would hide the case `reference` let go (the
    sort kept), and what was let go, in words: a referral just recorded is shown with the
    cursor on it, not hidden by a search or a tab chosen before it existed."""
    everything = InboxFilter(sort=spec.sort, descending=spec.descending)

    def listed(kept: InboxFilter) -> bool:
        conditions = [*_conditions(actor, kept, with_tab=True), Case.reference == reference]
        return bool(_base(Case.select(Case.id), conditions).exists())

    if listed(spec):
        return spec, []
    let_go: list[str] = []
    shown = spec
    for name, said in _LET_GO:
        value = getattr(spec, name)
        if value == getattr(everything, name):
            continue
        # Each filter is judged alone: the case is hidden by this one, whatever the others.
        if not listed(replace(everything, **{name: value})):
            shown = replace(shown, **{name: getattr(everything, name)})
            let_go.append(said)
    return shown, let_go
