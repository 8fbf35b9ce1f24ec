"""The case's next action, worked out from its facts by the one rule (domain.next_action) and
kept on the case row, in the transaction of every change to the case, so that the inbox, the
case file and `crm-tui cases` read the same thing. The facts are those the decision's own
checks refuse on: restrictions set out, evidence under each, the Head of Service's view on
them as they stand; and, once decided, the letter still to be signed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from peewee import JOIN, fn

from crm_tui import clock
from crm_tui.db import dialect, server_roles
from crm_tui.db.models import (
    Appeal,
    Case,
    Customer,
    Decision,
    EvidenceLink,
    Letter,
    LocalResolution,
    Restriction,
    Review,
    Setting,
    database_proxy,
)
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.next_action import (
    INVITATION_LETTER,
    POST_THE,
    REVIEWABLE,
    SIGN_THE,
    CaseDates,
    CaseProgress,
    next_action,
)
from crm_tui.domain.outcomes import ConsultationSubject
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.states import CaseState
from crm_tui.domain.wording import unpostable
from crm_tui.services.core import appeal_window, comments_in, consulted
from crm_tui.services.core.posting_dates import (
    came_after,
    cannot_go,
    in_place_of_outcome,
    last_day_to_post,
    superseded,
    to_write_again,
)
from crm_tui.services.core.restriction_status import DRAFT

# The decisions that owe the customer a letter (letters.sources.DECIDING), by letter kind.
_DECISION_LETTERS = {Action.IMPOSE_RESTRICTIONS: "decision", Action.EXTEND_RESTRICTIONS:
                     "extension_decision", Action.VARY_RESTRICTIONS: "extension_decision",
                     Action.LIFT_RESTRICTIONS: "lifted"}
_DONE = ("issued", "not_sent")  # signed, or a recorded decision not to write
# The letters a case's next action can ask to be signed ("Sign the decision letter"): every
# one named here, so that what shows next actions can be tried with the longest.
DECISION_LETTER = "decision letter"
LIFTING_LETTER = "letter lifting the restrictions"
APPEAL_OUTCOME_LETTER = "appeal outcome letter"
LOCAL_RESOLUTION_LETTER = "local resolution letter"
LETTERS_TO_SIGN = (DECISION_LETTER, LIFTING_LETTER, APPEAL_OUTCOME_LETTER, INVITATION_LETTER,
                   LOCAL_RESOLUTION_LETTER)
# The letters an event owes that, signed and never posted, can no longer go and are owed
# again from the day that is found (letter_owed_again_on): the calendar shows them on it.
AGAIN_LETTERS = (DECISION_LETTER, APPEAL_OUTCOME_LETTER)


def is_overdue(due: date | None, today: date) -> bool:
    """The one rule for a next action overdue: its date has passed. The inbox marks a case
    overdue by it; the calendar's overdue list selects on next_action_overdue, the same."""
    return due is not None and due < today


def next_action_overdue(today: date) -> Any:
    """The cases whose next action is overdue (is_overdue), as a condition for a query."""
    return (Case.next_action != "") & Case.next_action_due.is_null(False) & (
        Case.next_action_due < today)


def reviews_overdue(today: date) -> Any:
    """The cases whose review is overdue (domain.next_action.review_overdue), as a condition
    for a query: Home's count, the calendar's overdue reviews and `crm-tui cases
    --reviews-overdue` select on it, so that they agree."""
    return (Case.state.in_([s.value for s in REVIEWABLE])
            & (fn.COALESCE(comments_in.comments_by_column(), Case.review_due) < today))


# The states in which a case has a review to come (restrictions in force, an appeal included).
REVIEW_STATES = (CaseState.RESTRICTED, CaseState.UNDER_REVIEW, CaseState.UNDER_APPEAL)


def reviews_due_between(start: date, end: date) -> Any:
    """The cases whose review falls due from `start` to `end` inclusive, by the review date,
    as a condition for a query: the review calendar's "Review due" and Home's "Reviews due in
    the next 30 days" select on it, so that they agree (Home counted a case whose proposed
    extension's comment period stands for its review, a date the calendar gives as the
    customer's comments due). While an invitation to comment is open, its date stands for the
    review (reviews_overdue)."""
    return (Case.state.in_([s.value for s in REVIEW_STATES]) & Case.reply_by.is_null()
            & (Case.review_due >= start) & (Case.review_due <= end))


def _day(moment: object) -> date:
    return moment.date() if hasattr(moment, "date") else moment  # type: ignore[return-value]


def _written(case: Case, source: str, kind: str, since: object) -> bool:
    """Whether the letter is signed (or not to be written), not counting an appeal's outcome
    letter never posted that can no longer go: it is still owed (to_write_again)."""
    today = clock.today()
    return any(not to_write_again(row, today) for row in Letter.select().where(
        (Letter.case == case) & Letter.status.in_(_DONE) & Letter.duplicate_of.is_null()
        & ((Letter.source == source)
           | ((Letter.source == "") & (Letter.kind == kind) & (Letter.signed_at >= since)))))


def review_under_way(case: Case) -> bool:
    """Whether a review of the restrictions has begun and is not yet decided (one scheduled,
    not started, is not under way): a letter written now says the review is under way, not
    the review date (which may be past by then). Found when tried (v15i J1): an appeal
    confirmed during a review owed the customer an outcome letter that could never be
    issued, as it would state the passed review date."""
    return (case.state == CaseState.UNDER_REVIEW.value
            or Review.select().where((Review.case == case) & (Review.outcome == "")
                                     & Review.started_at.is_null(False)).exists())


def review_held_now(case: Case, today: date) -> bool:
    """Whether a letter written `today` says the review is being held now, giving no review
    date: one is under way, or its date has passed (v15n AC2: an appeal outcome letter owed
    again after the review date said "We will review them by 5 December 2026", could never
    be signed, and the case's next action gave "Review due" in its place)."""
    return review_under_way(case) or (case.review_due is not None
                                      and case.review_due < today)


def appeal_outcome_dates(case: Case) -> tuple[tuple[str, date | None], ...]:
    """The dates an appeal outcome letter written now states as still to come (other than
    where the restrictions are removed): their end, and their review unless it is being held
    now (review_held_now)."""
    review = () if review_held_now(case, clock.today()) else (
        ("review date", case.review_due),)
    return (*review, ("end date", case.restrictions_end))


def letter_to_sign(case: Case) -> tuple[str, date | None]:
    """The letter the case's latest decision or appeal outcome owes the customer, not yet
    signed and still possible to issue ("" if none), and the day it was decided."""
    decision = (Decision.select().where((Decision.case == case)
                                        & Decision.action.in_([a.value for a in
                                                               _DECISION_LETTERS]))
                .order_by(Decision.id.desc()).first())
    # The latest by the record's sequence, not its time: with the clock the same (a frozen
    # clock, or two steps within a second) the times tie (v15l X3).
    appeal = (Appeal.select().where((Appeal.case == case) & (Appeal.outcome != "")
                                    & Appeal.decided_at.is_null(False))
              .order_by(Appeal.id.desc()).first())
    today = clock.today()
    if appeal is not None and (decision is None or _appeal_is_later(appeal, decision)):
        stated = () if appeal.outcome == "removed" else tuple(
            when for _, when in appeal_outcome_dates(case))
        if not _written(case, f"appeal:{appeal.id}", "appeal_outcome", appeal.decided_at) \
                and not _past(stated, today):
            return APPEAL_OUTCOME_LETTER, _day(appeal.decided_at)
        return "", None
    if decision is None:
        return "", None
    kind = _DECISION_LETTERS[Action(decision.action)]
    # A review date passed is not stated (the letter says the review is held now: issue 15
    # AG4), so a letter owed then comes before "Review due", as the outcome letter's does.
    stated = () if kind == "lifted" else (decision.ends_on,)
    if not _written(case, f"decision:{decision.id}", kind, decision.decided_at) \
            and not _past(stated, today):
        return (LIFTING_LETTER if kind == "lifted" else DECISION_LETTER,
                _day(decision.decided_at))
    return "", None


def local_resolution_owed_again(case: Case) -> date | None:
    """The day the case's local resolution was recorded, when its letter was signed, never
    posted, and can no longer go (addressed to where the customer no longer lives:
    posting_dates.to_write_again), none being signed in its place and the monitoring period
    it gives not over (a letter stating a date past cannot be written: letters.offered);
    None otherwise. The customer has not been told: it is the next thing to do (fixAJ: W
    offered it again, and the next action said "Monitoring period ends")."""
    lr = (LocalResolution.select().where(LocalResolution.case == case)
          .order_by(LocalResolution.id.desc()).first())
    if lr is None or _past((lr.monitoring_end,), clock.today()):
        return None
    source = f"local_resolution:{lr.id}"
    signed = Letter.select().where((Letter.case == case) & (Letter.source == source)
                                   & (Letter.status == "issued")
                                   & Letter.duplicate_of.is_null()).exists()
    if not signed or _written(case, source, LetterKind.LOCAL_RESOLUTION.value, lr.recorded_at):
        return None
    return _day(lr.recorded_at)


def _owed_again(case: Case, letter: str) -> bool:
    """Whether the letter owed (the latest decision's, or the latest appeal's outcome
    letter) was signed, never posted, and can no longer go (posting_dates.to_write_again):
    it is to be written again."""
    if letter == APPEAL_OUTCOME_LETTER:
        appeal = (Appeal.select().where((Appeal.case == case) & (Appeal.outcome != "")
                                        & Appeal.decided_at.is_null(False))
                  .order_by(Appeal.id.desc()).first())
        source = f"appeal:{appeal.id}" if appeal is not None else None
    else:
        decision = (Decision.select().where((Decision.case == case)
                                            & Decision.action.in_([a.value for a in
                                                                   _DECISION_LETTERS]))
                    .order_by(Decision.id.desc()).first())
        source = f"decision:{decision.id}" if decision is not None else None
    if source is None:
        return False
    today = clock.today()
    return any(to_write_again(row, today) for row in Letter.select().where(
        (Letter.case == case) & (Letter.source == source)
        & (Letter.status == "issued") & Letter.duplicate_of.is_null()))


def _appeal_is_later(appeal: Appeal, decision: Decision) -> bool:
    """Whether the appeal was decided after the decision: the one rule of which came first
    (posting_dates.came_after), by the order the decisions were recorded in, not their times,
    which tie when made in the same second (v15l X3, v15k T1)."""
    return not came_after(decision, appeal)


# A letter still to post, as the case's next action names it ("Post the appeal outcome letter").
LETTERS_TO_POST = {LetterKind.LOCAL_RESOLUTION: "local resolution letter",
                   LetterKind.DECISION: DECISION_LETTER,
                   LetterKind.EXTENSION_DECISION: DECISION_LETTER,
                   LetterKind.INVITATION: "invitation to comment",
                   LetterKind.LIFTED: LIFTING_LETTER,
                   LetterKind.APPEAL_OUTCOME: APPEAL_OUTCOME_LETTER}


def letter_to_post(case: Case) -> tuple[str, int, date] | None:
    """The case's oldest letter signed and not yet posted that can still go out today (one
    giving a date already past cannot: letters.posting.cannot_go), as its next action names
    it, with its register number and the day it bears; None if none. Found when tried: a
    file archived the day its appeal outcome letter was signed left that letter out of every
    post run, and the customer was never told the restrictions were removed."""
    today = clock.today()
    for row in (Letter.select().where((Letter.case == case) & (Letter.status == "issued")
                                      & Letter.posted_on.is_null())
                .order_by(Letter.signed_at, Letter.id)):
        # A decision's letter overtaken by the appeal since is not what comes next: posting
        # it too is a choice the post run offers (posting_dates.superseded).
        if not cannot_go(row, today) and not superseded(row):
            dated = row.written_on or _day(row.signed_at or row.created_at)
            return LETTERS_TO_POST[LetterKind(row.kind)], int(row.id), dated
    return None


def _invitation_post_by(case: Case) -> date | None:
    """The last day the invitation to comment on the case's open proposal, signed and not
    yet posted, can still go (posting_dates.last_day_to_post); None if none is waiting."""
    source = comments_in.open_source(case)
    if source is None:
        return None
    today = clock.today()
    for row in (Letter.select().where(
            (Letter.case == case) & (Letter.kind == LetterKind.INVITATION.value)
            & (Letter.source == source) & (Letter.status == "issued")
            & Letter.posted_on.is_null() & Letter.duplicate_of.is_null())
            .order_by(Letter.id.desc())):
        day = last_day_to_post(row, today)
        if day is not None:
            return day
    return None


def _written_again(letter_id: int) -> bool:
    """Whether the letter was signed in place of one from the same event never posted
    (posting_dates.replaced_by)."""
    row = Letter.get_or_none(Letter.id == letter_id)
    return row is not None and bool(row.source) and Letter.select().where(
        (Letter.source == row.source) & (Letter.id < row.id) & (Letter.status == "issued")
        & Letter.posted_on.is_null() & Letter.duplicate_of.is_null()).exists()


def _past(stated: tuple[date | None, ...], today: date) -> bool:
    """A letter stating a date already past can no longer be issued (letters.offered): it
    is no longer the next thing to do."""
    return any(when is not None and when < today for when in stated)


def progress(case: Case) -> CaseProgress:
    """The facts the rule needs, as the decision's checks see them."""
    drafts = list(Restriction.select(Restriction.id, Restriction.version, Restriction.kind,
                                     fn.COUNT(EvidenceLink.id).alias("linked"))
                  .join(EvidenceLink, JOIN.LEFT_OUTER,
                        on=(EvidenceLink.restriction == Restriction.id))
                  .where((Restriction.case == case) & (Restriction.status == DRAFT))
                  .group_by(Restriction.id))
    subject = (ConsultationSubject.EXTENSION if case.state == CaseState.UNDER_REVIEW.value
               else ConsultationSubject.REFERRAL)
    # Only whether anything stands in the way is used here, not how each change is named.
    found, row = consulted.problems(case, subject, {int(d.id): int(d.version) for d in drafts},
                                    {int(d.id): RestrictionKind(d.kind) for d in drafts})
    letter, decided_on = letter_to_sign(case)
    # A decision letter signed that can no longer go is owed again from today: the calendar
    # shows it on its day, as an invitation owed again (issue 15 fixAU3 U1); an appeal's
    # outcome letter too (fixBB BB2: it was due 14 days after the appeal, long past, and the
    # calendar had no entry for it).
    owed_again = letter in AGAIN_LETTERS and _owed_again(case, letter)
    if case.state == CaseState.UNDER_REVIEW.value and letter != APPEAL_OUTCOME_LETTER \
            and not owed_again:
        # Under review, only an appeal decided during it comes before the review (v15i J1),
        # or a decision's letter signed that can no longer go: the customer has not been
        # told the decision at all (v15o AE2: it vanished once the review started); a
        # decision letter still owed otherwise is counted as owed, and the review goes on.
        letter, decided_on = "", None
    if case.state == CaseState.LOCAL_RESOLUTION.value:
        recorded = local_resolution_owed_again(case)
        if recorded is not None:
            letter, decided_on = LOCAL_RESOLUTION_LETTER, recorded
    bare = sum(1 for d in drafts if not getattr(d, "linked", 0))
    customer = Customer.get_or_none(Customer.id == case.customer_id)
    window = (appeal_window.appeal_may_still_come(case)
              if case.state == CaseState.ENDED.value else None)
    to_post = (letter_to_post(case) if case.state in (CaseState.ENDED.value,
                                                      CaseState.CLOSED_NO_ACTION.value,
                                                      CaseState.RESTRICTED.value)
               else None)
    if to_post and case.state == CaseState.RESTRICTED.value and not (
            to_post[0] == APPEAL_OUTCOME_LETTER
            or _written_again(to_post[1]) or in_place_of_outcome(to_post[1])):
        # Restricted, an appeal's outcome letter comes before the review: the customer has
        # not been told the appeal's result until it is posted (v15j O2, restrictions that
        # start on a later day; fixAP AP2, any outcome: "Review due" came next after the
        # appeal upheld in part, its letter signed and never posted); or a letter written
        # again in place of one that could no longer go (v15l W4, an outcome letter; fixAB
        # AB1, a decision's: the customer has not been told yet); or a later decision's
        # letter sent in place of an outcome letter (v15m-2: a variation's).
        to_post = None
    # An invitation whose date for comments has passed can no longer go: not the next step;
    # but one signed and never posted that can no longer go is signed again (AL4, fixAJ).
    # Its next action is due on the day for comments the one signed in its place would give
    # (issue 15 AO2: it gave the old one, long past).
    again = unsigned = False
    if (case.state == CaseState.UNDER_REVIEW.value and case.reply_by is not None
            and comments_in.issued_on(case) is None):
        again = bool(comments_in.owed_again(case))
        unsigned = case.reply_by >= clock.today() or again
    post_by = (_invitation_post_by(case) if case.state == CaseState.UNDER_REVIEW.value
               and case.reply_by is not None and not unsigned else None)
    return CaseProgress(invitation_to_sign=unsigned, invitation_post_by=post_by,
                        invited_on=comments_in.invited_on(case) if unsigned else None,
                        gives_again=comments_in.given_again(case) if again else None,
                        owed_since=clock.today() if again else None,
                        appeal_open_until=window[1] if window else None,
                        letter_to_post=to_post[0] if to_post else "",
                        letter_dated=to_post[2] if to_post else None,
                        drafts=len(drafts), drafts_without_evidence=bare,
                        consulted=row is not None and not found,
                        letter_to_sign=letter, decided_on=decided_on,
                        letter_owed_again_on=(clock.today() if owed_again and letter
                                              else None),
                        comments_received=comments_in.received(case),
                        # An address stored that a letter cannot be posted to is none (v15m-4).
                        postal_address=customer is None or (
                            bool(customer.address.strip())
                            and not unpostable(tuple(customer.address.split("\n")),
                                               customer.postcode)))


def refresh(case: Case) -> None:
    """Set the case's next action and its date from its facts now (the caller saves)."""
    lr = (LocalResolution.select().where(LocalResolution.case == case)
          .order_by(LocalResolution.id.desc()).first())
    label, due = next_action(CaseState(case.state), CaseDates(
        state_changed_on=_day(case.state_changed_at),
        monitoring_end=lr.monitoring_end if lr else None,
        review_due=case.review_due, restrictions_end=case.restrictions_end,
        reply_by=comments_in.comments_by(case), appeal_due=case.appeal_due, ended_on=case.ended_on,
        destroy_after=case.destroy_after), progress(case))
    case.next_action, case.next_action_due = label, due


def store(references: Iterable[str]) -> None:
    """Work out and store the next action of each of these cases (in the caller's
    transaction: called as every change to a case commits)."""
    for reference in dict.fromkeys(references):
        case = Case.get_or_none(Case.reference == reference)
        if case is not None:  # destroyed: only its tombstone answers
            _store_one(case)


def _store_one(case: Case) -> bool:
    """Work out the case's next action and write it if it changed; True if it did."""
    before = (case.next_action, case.next_action_due)
    refresh(case)
    if (case.next_action, case.next_action_due) == before:
        return False
    Case.update(next_action=case.next_action, next_action_due=case.next_action_due).where(
        Case.id == case.id).execute()
    return True


# Set by a migration (db/migrations/0017_next_actions_recomputed.py) when the stored next
# actions may be stale: a database from before they were stored with every change.
STALE_MARK = "next_actions_stale"


def recompute_if_marked() -> int:
    """On opening a database that a migration marked: work out and store every case's next
    action by the rule of today, and remove the mark, in one transaction. Returns how many
    stored values changed (nothing to do, and 0, on a database not marked)."""
    from crm_tui.services.core.database import atomic  # it stores next actions: imports us

    if not Setting.select().where(Setting.key == STALE_MARK).exists():
        return 0
    if not dialect.is_sqlite() and not server_roles.sees_every_area(database_proxy.obj):
        return 0  # a manager's server login sees one area's cases: left for one seeing all
    with atomic():
        changed = sum(_store_one(case) for case in
                      Case.select().where(Case.state != CaseState.DESTROYED.value))
        Setting.delete().where(Setting.key == STALE_MARK).execute()
    return changed


def refresh_letters_owed() -> int:
    """On opening a database: a letter owed stops being the next thing to do on the day a
    date it would state has passed (it can no longer be issued, or posted), with no change
    to the case to store it. Work out again the next action of the cases whose stored one is
    to sign or to post a letter; the only stored values that depend on the day. Returns how
    many changed."""
    from crm_tui.services.core.database import atomic  # it stores next actions: imports us

    # And those with an appeal's outcome letter not posted, or a decision's past its last day
    # to appeal: it may have become one to write again since (to_write_again), whatever was
    # stored before that was known (v15k S, fixAB AB1); a decision's whose later start has
    # come is one too, whatever the case's stored next action (v15o AE2: during a review
    # it stayed "Customer's comments due").
    today = clock.today()
    # An invitation to comment signed and not posted, too: it can no longer go once the day
    # for comments it gives is nearer than the reply-by period, and is signed again (issue 15
    # AO2: the case still said "Customer's comments due", Home counted a reply awaited).
    unposted = Letter.select(Letter.case).join(Case, on=(Letter.case == Case.id)).where(
        ((Letter.kind == LetterKind.APPEAL_OUTCOME.value)
         | ((Letter.kind == LetterKind.INVITATION.value) & Letter.source.startswith("proposal:")
            & (Case.state == CaseState.UNDER_REVIEW.value))
         | (Letter.source.startswith("decision:")
            & ((Letter.appeal_by < today)
               | ((Letter.written_on < Case.restrictions_start)
                  & (Case.restrictions_start <= today)))))
        & (Letter.status == "issued") & Letter.posted_on.is_null())
    owed = (Case.next_action.startswith(SIGN_THE) | Case.next_action.startswith(POST_THE)
            | Case.id.in_(unposted))
    if not Case.select().where(owed).exists():
        return 0  # no letter owed: nothing to write, so no wait for the write lock
    with atomic():
        return sum(_store_one(case) for case in Case.select().where(owed))
