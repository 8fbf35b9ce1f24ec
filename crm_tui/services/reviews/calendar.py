"""Every dated obligation on the team's calendar — reviews due, restrictions ending, reply-by
dates, appeal decisions due, monitoring periods ending, files due for archive or destruction —
read for a range of days with one indexed query per kind, and exported as iCalendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

from peewee import SQL, fn

from crm_tui import clock
from crm_tui.db.models import Case, Customer, Letter, LocalResolution
from crm_tui.domain.next_action import (
    APPEAL_DECISION_DUE,
    ARCHIVE_FILE,
    DESTROY_FILE,
    INVITATION_LETTER,
    MONITORING_ENDS,
    REVIEW_STEPS,
    SIGN_THE,
)
from crm_tui.domain.roles import Actor
from crm_tui.domain.states import CaseState as S
from crm_tui.private_files import write_private_bytes
from crm_tui.services.core import comments_in, places, scope
from crm_tui.services.core.database import atomic
from crm_tui.services.core.exports import announced
from crm_tui.services.core.next_step import (
    AGAIN_LETTERS,
    APPEAL_OUTCOME_LETTER,
    DECISION_LETTER,
    next_action_overdue,
    reviews_due_between,
    reviews_overdue,
)
from crm_tui.services.evidence import screening
from crm_tui.services.retention import archive

SOON_DAYS = 30


class Obligation(StrEnum):
    REVIEW = "review"
    RESTRICTIONS_END = "restrictions_end"
    REPLY_BY = "reply_by"
    # An invitation to comment still to sign, or to sign again (one signed that can no longer
    # go, issue 15 AO2): the case's next action, on its day; no comments are awaited yet.
    INVITATION = "invitation"
    # A decision letter (or a variation's, an extension's) signed, never posted, that can no
    # longer go, to sign again: the case's next action, due the day it is owed again (issue 15
    # fixAU3 U1: the calendar had an entry for an invitation owed again, none for these).
    LETTER_AGAIN = "letter_again"
    # The same date once the customer's comments are in: no reply is awaited, the review is
    # decided after it (v15b S7).
    COMMENTS_IN = "comments_in"
    APPEAL_DUE = "appeal_due"
    MONITORING_ENDS = "monitoring_ends"
    ARCHIVE = "archive"
    DESTROY = "destroy"
    SCREENING = "screening"
    # Any other next action the inbox calls overdue (its date passed: next_step.
    # next_action_overdue), by the case's own words ("Begin consideration", "Head of Service
    # view due", "Post the appeal outcome letter"…): the calendar's overdue list left them
    # out while the inbox marked them overdue (issue 15 fixBB BB1). Overdue ones only: the
    # days to come show the obligations above, as before.
    NEXT_ACTION = "next_action"

    @property
    def label(self) -> str:
        return {"review": "Review due", "restrictions_end": "Restrictions end",
                "reply_by": "Customer's comments due",
                "invitation": "Sign the invitation to comment",
                "letter_again": "Sign the decision letter",
                "comments_in": "Comments received: decide review",
                "appeal_due": "Appeal decision due",
                "monitoring_ends": "Monitoring period ends", "archive": "File due for archive",
                "destroy": "File due for destruction",
                "screening": "Post to screen", "next_action": "Next action"}[self.value]


@dataclass(frozen=True)
class CalendarItem:
    day: date
    kind: Obligation
    reference: str
    customer: str
    # The case's next action in its own words, where the kind stands for more than one
    # ("Sign the appeal outcome letter" as well as "Sign the decision letter").
    action: str = ""

    @property
    def label(self) -> str:
        return self.action or self.kind.label

    def overdue(self, today: date) -> bool:
        # An end date passes by itself; the rest need someone to act.
        return self.day < today and self.kind is not Obligation.RESTRICTIONS_END


LIVE = [S.RESTRICTED.value, S.UNDER_REVIEW.value, S.UNDER_APPEAL.value]
_COLUMNS: dict[Obligation, tuple[Any, list[str]]] = {
    Obligation.REVIEW: (Case.review_due, LIVE),
    Obligation.RESTRICTIONS_END: (Case.restrictions_end, LIVE),
    # Live while the invitation stands (the date is cleared when the proposal is decided or
    # closed), an appeal lodged meanwhile included.
    Obligation.REPLY_BY: (comments_in.comments_by_column(), LIVE),
    Obligation.INVITATION: (Case.next_action_due, LIVE),
    Obligation.LETTER_AGAIN: (Case.next_action_due, [*LIVE, S.ENDED.value]),
    Obligation.COMMENTS_IN: (comments_in.comments_by_column(), LIVE),
    Obligation.APPEAL_DUE: (Case.appeal_due, [S.UNDER_APPEAL.value]),
    # A file closed with no action too, as Home counts it (archive.due_for_archive): the
    # calendar left it out, and the inbox marked its "Archive file" overdue (fixBB BB1).
    Obligation.ARCHIVE: (Case.ended_on, [S.ENDED.value, S.CLOSED_NO_ACTION.value]),
    Obligation.DESTROY: (Case.destroy_after, [S.ARCHIVED.value]),
    Obligation.NEXT_ACTION: (Case.next_action_due, [s.value for s in S if s is not S.DESTROYED]),
}
# The next actions each kind lists (its own date the case's next action's), so that the
# overdue next actions listed as NEXT_ACTION are the others, each listed once.
_LISTS: dict[Obligation, tuple[str, ...]] = {
    Obligation.REVIEW: REVIEW_STEPS, Obligation.REPLY_BY: REVIEW_STEPS,
    Obligation.COMMENTS_IN: REVIEW_STEPS,
    Obligation.INVITATION: (f"{SIGN_THE}{INVITATION_LETTER}",),
    Obligation.LETTER_AGAIN: tuple(f"{SIGN_THE}{letter}" for letter in AGAIN_LETTERS),
    Obligation.APPEAL_DUE: (APPEAL_DECISION_DUE,), Obligation.ARCHIVE: (ARCHIVE_FILE,),
    Obligation.DESTROY: (DESTROY_FILE,),
}
# Kinds whose label is the case's own next action (which letter is owed again).
_OWN_WORDS = (Obligation.LETTER_AGAIN, Obligation.NEXT_ACTION)


def _queries(actor: Actor, start: date, end: date, *,
             overdue: bool = False) -> list[tuple[Obligation, Any]]:
    """One query per kind of obligation between two days, on the cases the actor may see
    (for `overdue`, only the kinds that need someone to act)."""
    seen = scope.visible(actor)
    queries: list[tuple[Obligation, Any]] = []
    # The next actions the other kinds list, for NEXT_ACTION (the end of a monitoring
    # period is read below, from its own table).
    listed: list[Any] = [(Case.state == S.LOCAL_RESOLUTION.value)
                         & (Case.next_action == MONITORING_ENDS)]
    today = end + timedelta(days=1) if overdue else clock.today()
    for kind, (column, states) in _COLUMNS.items():
        if overdue and kind is Obligation.RESTRICTIONS_END:
            continue
        where = seen & Case.state.in_(states) & (column >= start) & (column <= end)
        if kind is Obligation.REVIEW:
            # The one rule, Home's count's too. While a proposed extension awaits the
            # customer's comments, the date for them stands for the review: it is decided
            # after it, whenever it was due.
            where = seen & reviews_due_between(start, end)
        if kind is Obligation.REPLY_BY:
            where = where & ~comments_in.answered() & ~_to_sign()
        if kind is Obligation.INVITATION:
            where = where & _to_sign()
        if kind is Obligation.LETTER_AGAIN:
            where = where & _to_sign_again()
        if kind is Obligation.COMMENTS_IN:
            where = where & comments_in.answered()
        if overdue and kind in (Obligation.REVIEW, Obligation.REPLY_BY,
                                Obligation.COMMENTS_IN):
            where = where & reviews_overdue(end + timedelta(days=1))  # as Home counts them
        if kind is Obligation.ARCHIVE:  # not while the last decision's letter is owed
            where = where & archive.due_for_archive()
        if kind is Obligation.NEXT_ACTION:
            # The inbox's overdue (one rule), less what another kind lists already.
            where = where & next_action_overdue(today)
            for other in listed:
                where = where & ~other
        if kind in _LISTS:
            listed.append(where & Case.next_action.in_(_LISTS[kind]))
        queries.append((kind, Case.select(column.alias("day"), Case.reference, Customer.name,
                                          Case.next_action)
                        .join(Customer, on=(Case.customer == Customer.id))
                        .where(where).order_by(column)))
    queries.append((Obligation.MONITORING_ENDS, LocalResolution.select(
        LocalResolution.monitoring_end.alias("day"), Case.reference, Customer.name,
        Case.next_action)
        .join(Case).join(Customer, on=(Case.customer == Customer.id))
        .where(seen & (Case.state == S.LOCAL_RESOLUTION.value)
               & (LocalResolution.monitoring_end >= start)
               & (LocalResolution.monitoring_end <= end))
        .order_by(LocalResolution.monitoring_end)))
    return queries


def _to_sign() -> Any:
    """The cases whose next action is to sign the invitation to comment (stored with every
    change, and again each day the app opens: next_step.refresh_letters_owed): nothing is
    awaited from a customer not sent one, nor from one whose invitation can no longer go."""
    return Case.next_action == f"{SIGN_THE}{INVITATION_LETTER}"


def _to_sign_again() -> Any:
    """The cases whose next action is to sign the decision letter, or the appeal outcome
    letter, again: one of theirs was signed and never posted (next_step: it can no longer
    go, and the next action is due the day it is owed again). A letter not yet signed at all
    is not one of these, as before."""
    def signed(kinds: list[str]) -> Any:
        return fn.EXISTS(Letter.select(Letter.id).where(
            (Letter.case == Case.id) & (Letter.status == "issued") & Letter.posted_on.is_null()
            & Letter.duplicate_of.is_null() & Letter.kind.in_(kinds)))

    return (((Case.next_action == f"{SIGN_THE}{DECISION_LETTER}")
             & signed(["decision", "extension_decision"]))
            | ((Case.next_action == f"{SIGN_THE}{APPEAL_OUTCOME_LETTER}")
               & signed(["appeal_outcome"])))


def _sorted(found: list[CalendarItem]) -> list[CalendarItem]:
    order = list(Obligation)
    return sorted(found, key=lambda i: (i.day, order.index(i.kind), i.reference))


def items(actor: Actor, start: date, end: date,
          overdue_from: date | None = None) -> list[CalendarItem]:
    """Obligations from `start` to `end` inclusive, by day. With `overdue_from`, obligations
    still open from that day on are included too (so nothing overdue drops off the view)."""
    found: list[CalendarItem] = []
    low = overdue_from if overdue_from is not None and overdue_from < start else start
    for kind, query in _queries(actor, low, end):
        if kind is Obligation.RESTRICTIONS_END:
            query = query.where(_COLUMNS[kind][0] >= start)
        rows = cast(list[tuple[object, str, str, str]], list(query.tuples()))
        found += [_item(kind, *row) for row in rows]
    # Post filed without reply, by the day it is to be read (one entry per case and day).
    found += [CalendarItem(day, Obligation.SCREENING, ref, name)
              for day, ref, name in screening.calendar_days(actor, low, end)]
    return _sorted(found)


def overdue(actor: Actor, today: date, limit: int) -> tuple[int, list[CalendarItem]]:
    """How many obligations are overdue, and the oldest `limit` of them (counted in SQL: a
    backlog of thousands is not read into the app)."""
    total, post = screening.calendar_overdue(actor, today, limit)
    found = [CalendarItem(day, Obligation.SCREENING, ref, name) for day, ref, name in post]
    for kind, query in _queries(actor, date(1900, 1, 1), today - timedelta(days=1),
                                overdue=True):
        # The count beside the rows, in the one statement (counted before the limit): the
        # query's SQL is written and run once, not twice (perf7).
        rows = cast(list[tuple[object, str, str, str, int]], list(
            query.select_extend(fn.COUNT(SQL("*")).over().alias("total")).limit(limit)
            .tuples())) if limit > 0 else []
        total += rows[0][4] if rows else (query.count() if limit <= 0 else 0)
        found += [_item(kind, day, ref, name, action) for day, ref, name, action, _ in rows]
    return total, _sorted(found)[:limit]


def _item(kind: Obligation, day: object, reference: str, customer: str,
          action: str) -> CalendarItem:
    return CalendarItem(_day(day), kind, reference, customer,
                        (action or "") if kind in _OWN_WORDS else "")


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


AGENDA_LIMIT = 100  # overdue items listed beside the grid; the rest are counted


@dataclass(frozen=True)
class MonthView:
    first: date  # the first of the month shown
    grid_start: date  # the Monday the grid starts on
    today: date
    by_day: dict[date, list[CalendarItem]]
    overdue: list[CalendarItem]  # the oldest, up to AGENDA_LIMIT
    overdue_total: int
    soon: list[CalendarItem]  # today and the next 30 days


def month(actor: Actor, year: int, month_no: int) -> MonthView:
    """A six-week grid around a month, with what is overdue and what falls in the next 30
    days (the agenda beside the grid)."""
    with comments_in.gone_read_once():  # one look for invitations gone, not one a query
        return _month(actor, year, month_no)


def _month(actor: Actor, year: int, month_no: int) -> MonthView:
    today = clock.today()
    first = date(year, month_no, 1)
    grid_start = first - timedelta(days=first.weekday())
    grid_end = grid_start + timedelta(days=41)
    horizon = today + timedelta(days=SOON_DAYS)
    found = items(actor, min(grid_start, today), max(grid_end, horizon))
    by_day: dict[date, list[CalendarItem]] = {}
    for item in found:
        if grid_start <= item.day <= grid_end:
            by_day.setdefault(item.day, []).append(item)
    late_total, late = overdue(actor, today, AGENDA_LIMIT)
    return MonthView(first, grid_start, today, by_day, late, late_total,
                     [i for i in found if today <= i.day <= horizon])


PRODID = "-//crm-tui//review calendar//EN"


def _ours(path: Path) -> bool:
    """A calendar this export wrote (its PRODID near the start)."""
    with path.open("rb") as reader:
        start = reader.read(4096)
    return start.startswith(b"BEGIN:VCALENDAR") and f"PRODID:{PRODID}".encode() in start


def replaces(path: Path) -> bool:
    """Whether writing the calendar to `path` replaces one it wrote before (then True); a
    place in the app's own folders, or a file that is not such a calendar, is refused."""
    return places.check_file(path, "a calendar crm-tui exported", _ours, "ics")


def export_ics(actor: Actor, path: Path, *, days_back: int = 90,
               days_ahead: int = 400) -> int:
    """Write obligations to an .ics file Outlook can subscribe to or import. Events name the
    case reference and the obligation only: no customer's name leaves the app this way."""
    from icalendar import Calendar, Event  # loaded for the export only

    replaces(path)
    today = clock.today()
    found = items(actor, today - timedelta(days=days_back), today + timedelta(days=days_ahead),
                  overdue_from=date(1900, 1, 1))
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Complaints Resolution Team obligations")
    for item in found:
        event = Event()
        event.add("uid", f"{item.kind.value}-{item.reference}-{item.day:%Y%m%d}@crm-tui")
        event.add("summary", f"{item.label}: {item.reference}")
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("dtstamp", clock.now())
        event.add("description", f"Open case {item.reference} in crm-tui.")
        event.add("categories", [item.label])
        calendar.add_component(event)
    # Announced while it is written, as every export is: killed in the middle (in a folder
    # of the user's, where no start looks), the next start removes its partial file; the
    # calendar's own name holds the one written before, or this one whole.
    with announced(path, whole_kept=True) as done:
        write_private_bytes(path, calendar.to_ical())
        with atomic():
            done()
    return len(found)
