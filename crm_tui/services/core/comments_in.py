"""Whether the customer's comments on the open invitation to comment are in: Home's count of
replies awaited, the inbox's next action and the calendar all follow it (v15b S7: they said
a reply was awaited after it had been recorded)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any

from peewee import Case as When
from peewee import fn

from crm_tui import clock
from crm_tui.db import dialect
from crm_tui.db.connection import lend_function
from crm_tui.db.models import Case, CaseNote, ExtensionProposal, Letter
from crm_tui.domain.counting import counted
from crm_tui.domain.letters import LetterKind
from crm_tui.services.core import deadlines, settings
from crm_tui.services.core.posting_dates import cannot_go

# The case note a customer's comments are kept in (reviews.review_session records them).
COMMENTS = "customer_comments"


def _latest_invitation(case: Any) -> Any:
    return (ExtensionProposal.select(fn.MAX(ExtensionProposal.proposed_at))
            .where(ExtensionProposal.case == case))


def received(case: Case) -> bool:
    """Comments recorded on the case since its open invitation was made (comments can only
    be recorded while one is open, so those after the latest proposal answer it)."""
    if case.reply_by is None:
        return False
    return bool(CaseNote.select().where(
        (CaseNote.case == case) & (CaseNote.kind == COMMENTS)
        & (CaseNote.recorded_at >= _latest_invitation(case))).exists())


def answered() -> Any:
    """The same, as a condition on Case for a query."""
    return fn.EXISTS(CaseNote.select(CaseNote.id).where(
        (CaseNote.case == Case.id) & (CaseNote.kind == COMMENTS)
        & (CaseNote.recorded_at >= _latest_invitation(Case.id))))


def _open_proposal(case: Case) -> ExtensionProposal | None:
    """The latest proposal the customer is invited to comment on, not yet decided."""
    found: ExtensionProposal | None = (
        ExtensionProposal.select().where((ExtensionProposal.case == case)
                                         & ExtensionProposal.decision.is_null())
        .order_by(ExtensionProposal.id.desc()).first())
    return found


def open_source(case: Case) -> str | None:
    """The source of an invitation to comment on the case's open proposal ("proposal:7"),
    or None with none open."""
    proposal = _open_proposal(case)
    return f"proposal:{proposal.id}" if proposal is not None else None


def invited_on(case: Case) -> date | None:
    """The day the open invitation to comment was made (proposed), or None."""
    proposal = _open_proposal(case)
    return proposal.proposed_at.date() if proposal is not None else None


def _gone_rows(case: Case | None = None) -> list[tuple[Letter, str]]:
    """Each invitation to comment (of `case`, or of every case) signed, never posted, that can
    no longer go, with why (posting_dates.cannot_go, as the post run says it)."""
    rows = Letter.select().where(
        (Letter.kind == LetterKind.INVITATION.value) & (Letter.status == "issued")
        & Letter.posted_on.is_null() & Letter.duplicate_of.is_null()
        & Letter.signed_at.is_null(False))
    if case is not None:
        rows = rows.where(Letter.case == case)
    today = clock.today()
    return [(row, why) for row in rows for why in [cannot_go(row, today)] if why]


def gone(case: Case | None = None) -> list[int]:
    """The invitations to comment (of `case`, or of every case) signed, never posted, that can
    no longer go: addressed to where the customer no longer lives (posting_dates.moved), or
    not posted by the day for comments they give, which has passed (fixAL AL4), or too late
    for it to leave the customer the reply-by period from the posting (posting_dates.
    too_short_to_comment, issue 15 AO1: posted on that very day). The customer
    was never sent them: the comment period counts from the one written again (to the new
    address, with a new day for comments) once it is signed and posted, and until then none
    is issued (fixAJ: it counted from the first, and an extension could be decided before the
    customer had the time the invitation they were sent gave them; AL4: so it did for an
    invitation signed and never posted)."""
    if case is None and (once := _READ_ONCE.get()) is not None:
        if once.found is None:
            once.found = [int(row.id) for row, _ in _gone_rows(None)]
        return once.found
    return [int(row.id) for row, _ in _gone_rows(case)]


class _Found:
    found: list[int] | None = None


_READ_ONCE: ContextVar[_Found | None] = ContextVar("gone_read_once", default=None)


@contextmanager
def gone_read_once() -> Iterator[None]:
    """Within: the invitations of every case that can no longer go (gone) are found once, at
    the first query that asks, and the others written in it take the same. For a view that
    reads many queries and writes nothing (the calendar's month view wrote the comment
    period's SQL 26 times, and found them each time: 51 statements where 25 did, 101 ms
    against its 100). Not around a write: a letter signed or an address changed within
    would not be seen."""
    token = _READ_ONCE.set(_Found())
    try:
        yield
    finally:
        _READ_ONCE.reset(token)


def gone_for(case: Case, proposal: ExtensionProposal) -> str:
    """Why an invitation to comment on `proposal` was signed and can no longer go (gone): the
    one the customer is owed is to be signed again ("" if none was)."""
    source = f"proposal:{proposal.id}"
    return next((why for row, why in _gone_rows(case) if row.source == source), "")


def owed_again(case: Case) -> str:
    """Why the invitation to comment on the case's open proposal is owed again ("" if it is
    not): one was signed, never posted, and can no longer go (gone_for)."""
    proposal = _open_proposal(case)
    return gone_for(case, proposal) if proposal is not None else ""


def given_again(case: Case) -> date | None:
    """The last day for comments an invitation to comment on the case's open proposal signed
    today would give (letter_content: the proposal's date, or the reply-by period from today
    if later); None with no proposal open. What the next action names while one signed can
    no longer go and is owed again (owed_again; issue 15 AO2)."""
    proposal = _open_proposal(case)
    given = proposal.reply_by if proposal is not None else case.reply_by
    if given is None:
        return None
    return comments_until(given, clock.today())


def issued_on(case: Case, proposal: ExtensionProposal | None = None) -> date | None:
    """The day the invitation to comment on the open proposal (or on `proposal`) went to the
    customer: the day it was posted, and until then the day it was signed and issued; None
    while it has not been (v15e F13: a proposal was shown everywhere as "comments awaited"
    while its invitation was never signed, and the customer never told). Not one that can no
    longer go (gone): the one that goes. The comment period counts from it (comments_until):
    from the posting, once posted (fixAL AL4: signed on one day and posted days later, the
    customer had the days in between taken from them); one never posted by the day for
    comments it gives is gone, and the extension waits for the one written again."""
    if proposal is None:
        proposal = _open_proposal(case)
    letters = Letter.select(Letter.signed_at, Letter.posted_on).where(
        (Letter.case == case) & (Letter.kind == LetterKind.INVITATION.value)
        & (Letter.status == "issued") & Letter.duplicate_of.is_null()
        & Letter.signed_at.is_null(False) & Letter.id.not_in(gone(case)))
    if proposal is not None:
        letters = letters.where((Letter.source == f"proposal:{proposal.id}")
                                | ((Letter.source == "")
                                   & (Letter.signed_at >= proposal.proposed_at)))
    first = letters.order_by(Letter.signed_at).first()
    if first is None:
        return None
    posted: date | None = first.posted_on
    return posted if posted is not None else first.signed_at.date()


def period_from(issued: date) -> date:
    """The reply-by period (settings: reply_by_days) from the day an invitation is issued:
    the least time a customer is given to comment. The one place it is counted, for the
    letter and every screen alike, as every reply-by deadline is: in working days (the
    council's calendar, bank holidays skipped) when `working_day_deadlines` lists "reply_by",
    as it does by default (found when tried, v16i V2: it was counted in calendar days here,
    12 December, while the proposal form offered 14 working days, 17 December)."""
    return deadlines.due("reply_by", issued, settings.current().reply_by_days)


def period_words() -> str:
    """The reply-by period as period_from counts it: "14 working days" or "14 days"."""
    days = settings.current().reply_by_days
    working = "reply_by" in settings.current().working_day_deadlines
    return counted(days, "working day") if working else counted(days, "day")


def comments_until(reply_by: date, issued: date) -> date:
    """The last day the customer may comment: the date the invitation gave them; or, when it
    was issued too late to leave them the team's reply-by period from its issue, that period
    from the day it was issued. A late signature never shortens the customer's time to
    answer (v15e F13). The invitation signed that day prints this date (letter_content), so
    that the customer is told the day every screen counts to (found when tried: the letter
    said 8 December while the screens waited until 20 December)."""
    return max(reply_by, period_from(issued))


def given(case: Case, proposal: ExtensionProposal) -> date:
    """The last day the customer was given to comment on `proposal` (its date until its
    invitation is issued)."""
    issued = issued_on(case, proposal)
    return comments_until(proposal.reply_by, issued) if issued is not None \
        else proposal.reply_by


def _period_from_sql(issued: str | None) -> str | None:
    return period_from(date.fromisoformat(issued)).isoformat() if issued else None


# period_from as an SQL function of the stored issue day: working days and bank holidays
# cannot be counted by SQLite's date(), so the rule itself is lent to every database.
lend_function("crm_reply_by_period_from", _period_from_sql, 1)


def issued_day_column() -> Any:
    """The day (as stored) the invitation to comment on the case's open proposal went to the
    customer (posted; until then signed and issued), as a subquery on Case: issued_on's rule
    in SQL (those that can no longer go, found each time the query's SQL is written: gone;
    some queries are built once, at import)."""
    proposal = ExtensionProposal.alias()
    latest_open = (ExtensionProposal.select(fn.MAX(ExtensionProposal.id))
                   .where((ExtensionProposal.case == Case.id)
                          & ExtensionProposal.decision.is_null()))
    signed = dialect.either(fn.substr(Letter.signed_at, 1, 10), dialect.day(Letter.signed_at))
    return (Letter.select(fn.MIN(fn.COALESCE(Letter.posted_on, signed)))
            .join(proposal, on=(proposal.id == latest_open))
            .where((Letter.case == Case.id) & (Letter.kind == LetterKind.INVITATION.value)
                   & (Letter.status == "issued") & Letter.duplicate_of.is_null()
                   & Letter.signed_at.is_null(False)
                   & dialect.when_written(lambda: Letter.id.not_in(gone()))
                   & ((Letter.source == dialect.format_id("proposal:%d", proposal.id))
                      | ((Letter.source == "") & (Letter.signed_at >= proposal.proposed_at)))))


def comments_by_column() -> Any:
    """The last day the customer may comment on the open proposal, as an expression on Case
    (NULL with none open): the date the proposal gave them; once its invitation was issued
    too late to leave them the reply-by period, that period from the day it was issued
    (comments_until). The one rule every screen counts the comment period by — the calendar,
    the overdue lists, Home, the review session, the lifecycle's refusals — so that a customer
    is never out of time on one screen and in time on another (found when tried: they counted
    from the proposal's date while the decision counted from the issue day)."""
    # The greater of two is NULL while the invitation is unissued: the proposal's date. With
    # no reply-by date (no proposal open: most cases) it is NULL at once, the invitation's
    # subqueries not run (a CASE's branch is evaluated only when taken: a month of the
    # calendar ran them for each of 5,000 restricted cases, perf7).
    return When(None, [(Case.reply_by.is_null(), None)],
                fn.COALESCE(dialect.greatest(Case.reply_by,
                                             _period_from_column(issued_day_column())),
                            Case.reply_by))


def _period_from_column(issued: Any) -> Any:
    """period_from of a stored day, in SQL: SQLite is lent the rule; PostgreSQL counts it
    with the settings and bank holidays of the moment the query is written."""
    def on_server() -> Any:
        now = settings.current()
        return dialect.deadline(issued, now.reply_by_days,
                                "reply_by" in now.working_day_deadlines,
                                deadlines.bank_holidays_around(clock.today()))

    return dialect.lent_or(fn.crm_reply_by_period_from(issued), on_server)


def comments_by(case: Case) -> date | None:
    """comments_by_column for one case (None with no proposal open)."""
    if case.reply_by is None:
        return None
    value = Case.select(comments_by_column()).where(Case.id == case.id).scalar()
    return date.fromisoformat(str(value)) if value is not None else case.reply_by
