"""What a case is waiting for, and by when: the inbox sorts and flags on this."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from crm_tui.domain.letters import LATE_AFTER_DAYS
from crm_tui.domain.states import CaseState as S

# The team aims to pick up a referral within two working weeks and to hear the Head of
# Service's view within the same time; these are service standards, not policy deadlines.
CONSIDER_WITHIN_DAYS = 14
CONSULTATION_WITHIN_DAYS = 14
# The next action of a case whose latest decision (or appeal outcome) owes the customer a
# letter not yet signed: "Sign the decision letter". Home's count of letters owed and
# `crm-tui cases --letters-owed` select on it, so that they list what the inbox says.
SIGN_THE = "Sign the "
# The next action of a file whose case has ended while one of its letters is signed and not
# yet posted: "Post the appeal outcome letter". The file is not archived until it is posted
# (an archived file is read-only, and its letters would leave the post run).
POST_THE = "Post the "
ARCHIVE_FILE = "Archive file"
DESTROY_FILE = "Destroy file"
APPEAL_DECISION_DUE = "Appeal decision due"
MONITORING_ENDS = "Monitoring period ends"
# The steps of a review as a case's next action: the review itself, its decision, and the
# customer's comments on a proposed extension (the review is decided after their date).
REVIEW_DUE = "Review due"
DECIDE_REVIEW = "Decide review"
COMMENTS_DUE = "Customer's comments due"
# Once the customer's comments on the open invitation are recorded no reply is awaited, but
# the review is still decided after the date they were given (they may add to them).
COMMENTS_RECEIVED = "Comments received: decide review"
# The letter a proposed extension owes the customer before their comments are awaited.
INVITATION_LETTER = "invitation to comment"
REVIEW_STEPS = (REVIEW_DUE, DECIDE_REVIEW, COMMENTS_DUE, COMMENTS_RECEIVED)


# The states in which a case's review can be taken (under appeal, the appeal comes first).
REVIEWABLE = (S.RESTRICTED, S.UNDER_REVIEW)


def review_overdue(state: S, review_due: date | None, reply_by: date | None,
                   today: date) -> bool:
    """The one rule for "review overdue" (Home's count, the calendar's overdue reviews,
    `crm-tui cases --reviews-overdue`; the inbox flags the same cases, their Next action a
    step of the review past its date): a case under restriction or review whose review date
    has passed. While a proposed extension awaits the customer's comments the review is
    decided after their date, whenever it was due: overdue only once that date has passed."""
    if state not in REVIEWABLE:
        return False
    due = reply_by if reply_by is not None else review_due
    return due is not None and due < today


@dataclass(frozen=True)
class CaseDates:
    state_changed_on: date
    monitoring_end: date | None = None
    review_due: date | None = None
    restrictions_end: date | None = None
    reply_by: date | None = None
    appeal_due: date | None = None
    ended_on: date | None = None
    destroy_after: date | None = None


@dataclass(frozen=True)
class CaseProgress:
    """How far the work towards the next decision, and its letter, has gone: the same facts
    the decision's own checks refuse on (services.core.next_step gathers them)."""

    drafts: int = 0  # restrictions set out, not yet decided
    drafts_without_evidence: int = 0  # of those, resting on no linked evidence
    consulted: bool = False  # the Head of Service's view on the drafts as they now stand
    # The letter the latest decision (or appeal outcome) owes the customer, still unsigned,
    # and the day of that decision: "decision letter", "appeal outcome letter"…
    letter_to_sign: str = ""
    decided_on: date | None = None
    # That letter was signed, never posted, and can no longer go: it is owed again, and has
    # been since the day the next action is worked out (as an invitation owed again:
    # owed_since); due then, not when the first would have become late (issue 15 fixAU3 U1).
    letter_owed_again_on: date | None = None
    # The customer's postal address is known: no decision letter can be posted without it.
    postal_address: bool = True
    # Restrictions ended, the last day the customer may still appeal against the decision:
    # the file is archived (read-only) only after it.
    appeal_open_until: date | None = None
    # A letter of the case signed and not yet posted, that can still go ("appeal outcome
    # letter"), and the day it bears: the policy's "the council will write to the customer"
    # is done once it is posted, so the file is not archived before.
    letter_to_post: str = ""
    letter_dated: date | None = None
    # The customer's comments on the open invitation to comment have been recorded.
    comments_received: bool = False
    # An extension proposed whose invitation to comment is not signed yet (and still can be),
    # and the day it was proposed: the customer has not been asked for anything until it is.
    invitation_to_sign: bool = False
    invited_on: date | None = None
    # One signed and never posted that can no longer go, owed again: the day for comments the
    # one signed in its place today would give (issue 15 AO2: the next action gave the old
    # day, long past, as if the customer were late).
    gives_again: date | None = None
    # The day that one is owed by: the day the next action is worked out (each day it waits
    # moves the customer's day for comments, and the review, on a day). Its due day, not the
    # day for comments it would give (issue 15 AS3: "Sign the invitation to comment — due 18
    # Dec" read as if there were until the 18th to sign).
    owed_since: date | None = None
    # The invitation to comment signed and not yet posted, that can still go: the last day it
    # can (its day for comments still leaving the customer the reply-by period from then).
    # Nothing is awaited from the customer until it is posted (issue 15 AS3: the next action
    # said "Customer's comments due" of one that had to be posted that very day).
    invitation_post_by: date | None = None


def due_for_archive(state: S, p: CaseProgress) -> bool:
    """A file is due for archive once its case has ended (or closed with no action), and not
    while the letter its last decision or appeal outcome owes the customer is unsigned, nor
    while a letter signed is not yet posted: the archived file is read-only, and the customer
    is still to be told."""
    return (state in (S.ENDED, S.CLOSED_NO_ACTION) and not p.letter_to_sign
            and not p.letter_to_post)


def next_action(state: S, d: CaseDates,
                p: CaseProgress | None = None) -> tuple[str, date | None]:
    """What the case waits for next, and by when: the one rule the inbox, the case file and
    the command line all show (stored on the case with every change to it)."""
    p = p or CaseProgress()
    if p.letter_to_sign and state in (S.RESTRICTED, S.UNDER_REVIEW, S.ENDED,
                                      S.LOCAL_RESOLUTION):
        # A letter owed comes before the review under way (v15i J1: an appeal confirmed
        # during a review was never told of), and before the end of monitoring (a local
        # resolution letter written again to the customer's new address: fixAJ). Due when it
        # would become late (offered.lateness), not on the day of the decision.
        if p.letter_owed_again_on is not None:
            return f"{SIGN_THE}{p.letter_to_sign}", p.letter_owed_again_on
        return f"{SIGN_THE}{p.letter_to_sign}", (
            p.decided_on + timedelta(days=LATE_AFTER_DAYS) if p.decided_on else None)
    if state is S.UNDER_CONSIDERATION:
        if not p.drafts:
            return "Set out restrictions", None
        if p.drafts_without_evidence:
            return "Link evidence", None
        if not p.consulted:
            return "Consult Head of Service", None
        if not p.postal_address:
            return "Record the postal address", None
        return "Decide", None
    if state is S.LOCAL_RESOLUTION:
        return MONITORING_ENDS, d.monitoring_end
    if state is S.NEW:
        return "Begin consideration", d.state_changed_on + timedelta(days=CONSIDER_WITHIN_DAYS)
    if state is S.AWAITING_CONSULTATION:
        return "Head of Service view due", (
            d.state_changed_on + timedelta(days=CONSULTATION_WITHIN_DAYS))
    if state is S.RESTRICTED:
        if p.letter_to_post:
            # Only an appeal outcome telling of restrictions that start later (v15j O2).
            return f"{POST_THE}{p.letter_to_post}", p.letter_dated
        if d.restrictions_end and (d.review_due is None or d.restrictions_end < d.review_due):
            return "Restrictions end", d.restrictions_end
        return REVIEW_DUE, d.review_due
    if state is S.UNDER_REVIEW:
        if d.reply_by and p.invitation_to_sign and p.gives_again is not None:
            return f"{SIGN_THE}{INVITATION_LETTER}", p.owed_since or p.gives_again
        if d.reply_by and p.invitation_to_sign:
            # Nothing is awaited from a customer not yet sent the invitation (v15e F13):
            # due when it would be late, and never after the day it gives for comments.
            late = (p.invited_on + timedelta(days=LATE_AFTER_DAYS) if p.invited_on
                    else d.reply_by)
            return f"{SIGN_THE}{INVITATION_LETTER}", min(late, d.reply_by)
        if d.reply_by and p.invitation_post_by is not None and not p.comments_received:
            return f"{POST_THE}{INVITATION_LETTER}", p.invitation_post_by
        if d.reply_by:
            return (COMMENTS_RECEIVED if p.comments_received else COMMENTS_DUE), d.reply_by
        return DECIDE_REVIEW, d.review_due
    if state is S.UNDER_APPEAL:
        return APPEAL_DECISION_DUE, d.appeal_due
    if p.letter_to_post and state in (S.ENDED, S.CLOSED_NO_ACTION):
        return f"{POST_THE}{p.letter_to_post}", p.letter_dated
    if due_for_archive(state, p):
        if p.appeal_open_until is not None:
            return ARCHIVE_FILE, p.appeal_open_until + timedelta(days=1)
        return ARCHIVE_FILE, d.ended_on
    if state is S.ARCHIVED:
        return DESTROY_FILE, d.destroy_after
    return "", None
