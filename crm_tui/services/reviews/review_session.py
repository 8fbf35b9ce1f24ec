"""Review sessions: the CRM steps, one case after another, through every review due (or
overdue) up to a date, and for each sees what happened since the last decision — contacts by
week, breaches, behaviour seen, letters sent, the customer's comments — before choosing the
outcome. A session is kept so that it can be paused and resumed."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import cast

from crm_tui import clock
from crm_tui.db.models import (
    AuditEntry,
    Breach,
    Case,
    CaseNote,
    ContactLogEntry,
    Decision,
    ExtensionProposal,
    Letter,
    ReviewSession,
)
from crm_tui.domain.audit_words import action_label, when_label
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.dates import ReviewPeriodReason
from crm_tui.domain.errors import (
    InvalidTransition,
    NotFound,
    RequirementMissing,
    ValidationError,
    raise_all,
)
from crm_tui.domain.grounds import comments_problem
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.permissions import Capability, can, require
from crm_tui.domain.roles import Actor
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.domain.wording import customer_words
from crm_tui.services.core import audit, comments_in, first_contact, scope, step_readiness
from crm_tui.services.core.case_steps import load_case, load_case_for_change, summarise
from crm_tui.services.core.database import atomic
from crm_tui.services.core.posting_dates import unposted_words
from crm_tui.services.core.results import CaseSummary
from crm_tui.services.core.validation import account_text
from crm_tui.services.evidence import analysis, log_sheet
from crm_tui.services.evidence.analysis import Period
from crm_tui.services.evidence.log_sheet import ContactFilter
from crm_tui.services.letters import sources
from crm_tui.services.reviews import review_steps

COMMENTS = comments_in.COMMENTS
# How a message names the day comments cannot be received before.
INVITED_IS = "the invitation to comment was made"
UNDER_REVIEW_STATES = (CaseState.RESTRICTED.value, CaseState.UNDER_REVIEW.value)


# The outcomes a review ends in (continue, change the review period, lift, extend, vary), and
# the invitation to comment on a proposed extension. A case whose last of these since the
# session began is an outcome was reviewed in it; one whose last is the invitation awaits the
# customer's comments: its review is not decided yet, and is not counted as reviewed.
OUTCOMES = (Action.CONTINUE_UNCHANGED, Action.CHANGE_REVIEW_PERIOD, Action.LIFT_RESTRICTIONS,
            Action.LIFT_WITHOUT_LETTER, Action.PROPOSE_EXTENSION, Action.EXTEND_RESTRICTIONS,
            Action.VARY_RESTRICTIONS)


@dataclass(frozen=True)
class SessionInfo:
    id: int
    until: date
    references: list[str]
    position: int
    # The cases given an outcome during the session, whatever order they were taken in.
    reviewed: frozenset[str] = frozenset()
    # The cases whose customer was invited (during the session, or before it) to comment on
    # a proposed extension, and whose review waits for the comments (or their date): not
    # decided yet, and never "skipped".
    awaiting: frozenset[str] = frozenset()
    # Of those, the cases whose invitation to comment is not signed yet: the customer has not
    # been asked, so nothing is awaited from them (the tally says "invitation to sign").
    unsigned: frozenset[str] = frozenset()

    @property
    def current(self) -> str | None:
        return self.references[self.position] if self.position < len(self.references) else None

    @property
    def reviewed_count(self) -> int:
        return sum(1 for ref in self.references if ref in self.reviewed)

    @property
    def awaiting_count(self) -> int:
        return sum(1 for ref in self.references
                   if ref in self.awaiting and ref not in self.unsigned)

    @property
    def unsigned_count(self) -> int:
        return sum(1 for ref in self.references if ref in self.unsigned)

    def _taken(self, ref: str) -> bool:
        return ref in self.reviewed or ref in self.awaiting

    @property
    def skipped(self) -> int:
        """Passed over without an outcome (or an invitation to comment)."""
        return sum(1 for ref in self.references[:self.position] if not self._taken(ref))

    @property
    def left(self) -> int:
        """Not reached yet (and not reviewed by another way in the meantime)."""
        return sum(1 for ref in self.references[self.position:] if not self._taken(ref))

    def last_skipped(self) -> int | None:
        """Where ← from the end of the session goes: the last case passed over without an
        outcome (None when every case was reviewed or awaits comments)."""
        for i in range(len(self.references) - 1, -1, -1):
            if not self._taken(self.references[i]):
                return i
        return None

    def next_open(self, just_reviewed: str) -> int:
        """Where the session goes after an outcome on `just_reviewed`: the next case not yet
        reviewed (the end of the session when none is left after this one)."""
        done = self.reviewed | self.awaiting | {just_reviewed}
        return next((i for i in range(self.position + 1, len(self.references))
                     if self.references[i] not in done), len(self.references))

    def tally(self) -> str:
        """"1 case reviewed, 7 skipped, 0 left": the session as it truly stands, with "1
        invitation to sign" when a proposal's invitation to comment is not signed yet (the
        customer is not yet asked: the case's Next action is "Sign the invitation to comment")
        and "1 awaiting comments" when the customer was sent it and may still comment."""
        n, sign = self.reviewed_count, self.unsigned_count
        to_sign = (f"{sign} {'invitation' if sign == 1 else 'invitations'} to sign, "
                   if sign else "")
        waiting = f"{self.awaiting_count} awaiting comments, " if self.awaiting_count else ""
        return (f"{n} {'case' if n == 1 else 'cases'} reviewed, {to_sign}{waiting}"
                f"{self.skipped} skipped, {self.left} left")


@dataclass(frozen=True)
class ReviewFacts:
    summary: CaseSummary
    since: date
    per_week: list[tuple[date, int]]
    contacts: int
    from_customer: int
    breaches: int
    breach_reasons: list[tuple[str, int]]
    behaviour: list[tuple[str, int]]
    letters: list[str]
    comments: list[tuple[date, str]]  # each as received: the day it was received on
    reply_by: date | None
    # The day the open invitation to comment was made: comments cannot be received before it.
    invited_on: date | None = None
    # The day its invitation was signed and issued: None while the customer is not yet told.
    issued_on: date | None = None
    # The last day the customer may comment (comments_in.comments_by: from the issue day
    # when the invitation went late), as every screen counts it.
    comments_by: date | None = None


STARTED = "start_review_session"


def _started_at(row: ReviewSession) -> int | None:
    """The audit entry that started the session (its number names it in the entry), or None
    for a session started before the entry named it."""
    found = (AuditEntry.select(AuditEntry.id)
             .where((AuditEntry.action == STARTED)
                    & AuditEntry.payload.contains(f'"session": {row.id},'))
             .order_by(AuditEntry.id).first())
    return int(found.id) if found is not None else None


def _outcomes_since(row: ReviewSession, refs: list[str]) -> list[AuditEntry]:
    """The outcomes recorded on `refs` since the session started: after its own audit entry,
    not by the clock (fixAH AH5: at a clock frozen at 00:00, or within the second, an outcome
    recorded before the session, even in an earlier session, counted as "1 case reviewed"
    in a session where nothing had been done yet)."""
    start = _started_at(row)
    after = (AuditEntry.id > start if start is not None
             else AuditEntry.at >= row.created_at.isoformat(timespec="seconds"))
    return list(AuditEntry.select().where(
        AuditEntry.case_reference.in_(refs) & after
        & AuditEntry.action.in_([a.value for a in OUTCOMES])).order_by(AuditEntry.id))


def _open_for_comments(refs: list[str]) -> dict[str, bool]:
    """The cases whose customer may still comment on a proposed extension (the rule every
    screen counts by: comments_in.comments_by_column), whenever it was proposed — a session
    started after the proposal counted such a case as skipped — each with whether its
    invitation to comment has been issued yet. A proposal whose date has passed is open to
    an outcome: counted as skipped or left, not as awaiting anything."""
    rows = Case.select(Case.reference, comments_in.issued_day_column()).where(
        Case.reference.in_(refs) & Case.reply_by.is_null(False)
        & (comments_in.comments_by_column() >= clock.today())).tuples()
    return {str(row[0]): row[1] is not None for row in cast(list[tuple[str, object]], rows)}


def _info(row: ReviewSession) -> SessionInfo:
    refs = json.loads(row.references)
    last = {e.case_reference: e.action for e in _outcomes_since(row, refs)}  # in id order
    invited = Action.PROPOSE_EXTENSION.value
    reviewed = frozenset(r for r, a in last.items() if a != invited)
    open_ones = {r: issued for r, issued in _open_for_comments(refs).items()
                 if r not in reviewed}
    return SessionInfo(row.id, row.until, refs, row.position, reviewed,
                       frozenset(open_ones),
                       frozenset(r for r, issued in open_ones.items() if not issued))


def decided_already(actor: Actor, reference: str) -> str:
    """Why a review outcome cannot be recorded again on `reference` in `actor`'s review
    session ("" if it can): the case's review in the session was decided already (in the
    session or from the case), and its next review is not due by the session's date. Every
    outcome of the session meets this, whatever calls it."""
    row = (ReviewSession.select().where(ReviewSession.created_by == actor.user_id)
           .order_by(ReviewSession.id.desc()).first())
    if row is None or reference not in json.loads(row.references):
        return ""
    done = _outcomes_since(row, [reference])
    # An invitation to comment on a proposed extension leaves the review open: it is decided
    # after the comments (and the lifecycle says when).
    if not done or done[-1].action == Action.PROPOSE_EXTENSION.value:
        return ""
    last = done[-1]
    case = Case.get_or_none(Case.reference == reference)
    due = case.review_due if case is not None else None
    said = action_label(last.action).lower()
    when = when_label(last.at)
    return (f"the review of {reference} was decided already during this session ({said}, "
            f"{when})" + (f"; its next review is due {in_prose(due)}" if due else "")
            + ": a review's outcome is recorded once")


def due_for_review(actor: Actor, until: date) -> list[str]:
    rows = (Case.select(Case.reference).where(scope.visible(actor)
                                              & Case.state.in_(UNDER_REVIEW_STATES)
                                              & (Case.review_due <= until))
            .order_by(Case.review_due, Case.reference))
    return [r.reference for r in rows]


def start(actor: Actor, until: date) -> SessionInfo:
    """A new session over every review due by `until` (overdue ones first)."""
    with atomic():
        require(actor, Capability.HOLD_REVIEW_SESSIONS)
        refs = due_for_review(actor, until)
        if not refs:
            raise ValidationError("until", f"no review is due by {until.isoformat()}")
        ReviewSession.update(finished=True).where(
            (ReviewSession.created_by == actor.user_id) & ~ReviewSession.finished).execute()
        row = ReviewSession.create(created_by=actor.user_id, created_at=clock.now(),
                                   until=until, references=json.dumps(refs))
        # Its number in the entry: the outcomes counted as the session's are those after it.
        audit.record(actor, STARTED, payload={"until": until, "cases": len(refs),
                                              "session": row.id})
        return _info(row)


def refused(actor: Actor) -> str:
    """Why `actor` may not hold a review session ("" if they may): asked at the key."""
    return "" if can(actor, Capability.HOLD_REVIEW_SESSIONS) else (
        f"{actor.role.label} may not {Capability.HOLD_REVIEW_SESSIONS.value}")


def unfinished(actor: Actor) -> SessionInfo | None:
    row = (ReviewSession.select().where((ReviewSession.created_by == actor.user_id)
                                        & ~ReviewSession.finished)
           .order_by(ReviewSession.id.desc()).first())
    return _info(row) if row is not None else None


def read(actor: Actor, session_id: int) -> SessionInfo:
    """The session as it stands now, finished or not, where it is (nothing written): its
    tally follows an outcome or an invitation signed wherever it was recorded (v16 3: the
    command line signed an invitation and the finished session still counted it "to sign")."""
    row = ReviewSession.get_or_none((ReviewSession.id == session_id)
                                    & (ReviewSession.created_by == actor.user_id))
    if row is None:
        raise NotFound("no such review session of yours")
    return _info(row)


def move_to(actor: Actor, session_id: int, position: int) -> SessionInfo:
    """Go to the case at `position` (past the last one ends the session)."""
    with atomic():
        row = ReviewSession.get_or_none((ReviewSession.id == session_id)
                                        & (ReviewSession.created_by == actor.user_id))
        if row is None:
            raise NotFound("no such review session of yours")
        refs = json.loads(row.references)
        row.position = max(0, min(position, len(refs)))
        row.finished = row.position >= len(refs)
        row.save()
        return _info(row)


def facts(actor: Actor, reference: str) -> ReviewFacts:
    """What happened since the last decision on the case."""
    case = load_case(actor, reference)
    last = (Decision.select().where(Decision.case == case)
            .order_by(Decision.decided_at.desc()).first())
    since = last.decided_at.date() if last is not None else case.opened_on
    today = clock.today()
    figures = analysis.analyse(actor, reference, Period(since, today, "since the last decision"))
    seen = Counter({c.label: sum(figures.matrix[c]) for c in BehaviourCategory})
    # The breaches among those same contacts: over the same period, not the case's whole
    # life (v15j R1: "0 contacts since the last decision" stood over "Breaches: 43").
    breaches = list(Breach.select().join(ContactLogEntry).where(
        (Breach.case == case)
        & log_sheet.where(case.customer_id, ContactFilter(since, today), actor)))
    reasons = Counter(b.reason.split(";")[0] for b in breaches)
    # Signed is not sent: a letter waiting to be posted says so (v15j Q4, the words of
    # letters.posted: "posted 3 Dec 2026" or "not yet posted"); one no longer to be sent
    # says it is superseded, as the register does (v15p AK1).
    # Each named by what it tells: a variation's letter was "extension decision" (AH1).
    letters = [f"{sources.named(LetterKind(row.kind), row.source)} ({in_prose(row.signed_at)}; "
               + (f"posted {in_prose(row.posted_on)})" if row.posted_on is not None
                  else f"{unposted_words(row)})")
               for row in Letter.select().where((Letter.case == case)
                                                & (Letter.status == "issued")
                                                & (Letter.signed_at >= since))
               if row.signed_at is not None]
    return ReviewFacts(summarise(case), since, figures.per_week, figures.total,
                       figures.inbound, len(breaches), reasons.most_common(5),
                       [(k, n) for k, n in seen.most_common() if n], letters,
                       _comments(case), case.reply_by, _invited_on(case),
                       comments_in.issued_on(case) if case.reply_by is not None else None,
                       comments_in.comments_by(case))


def _comments(case: Case) -> list[tuple[date, str]]:
    """The customer's comments, each with the day it was received: the day the audit entry
    of its recording holds (b15d F8: the screen showed the day it was typed in). The notes
    and their entries are written together, one for one, in the same order; the day of
    recording stands in where an entry says none (an erased one)."""
    notes = list(CaseNote.select().where((CaseNote.case == case) & (CaseNote.kind == COMMENTS))
                 .order_by(CaseNote.recorded_at, CaseNote.id))
    received: list[date | None] = []
    for entry in AuditEntry.select().where((AuditEntry.case_reference == case.reference)
                                           & (AuditEntry.action == COMMENTS)).order_by(
                                               AuditEntry.seq):
        try:
            day = json.loads(entry.payload or "{}").get("received_on")
            received.append(date.fromisoformat(day) if isinstance(day, str) else None)
        except (ValueError, AttributeError):
            received.append(None)
    if len(received) != len(notes):
        received = [None] * len(notes)
    return [(day or note.recorded_at.date(), note.text)
            for note, day in zip(notes, received, strict=True)]


def _invited_on(case: Case) -> date | None:
    """The day the open invitation to comment was made (its proposal), or None."""
    if case.reply_by is None:
        return None
    made = (ExtensionProposal.select(ExtensionProposal.proposed_at)
            .where(ExtensionProposal.case == case)
            .order_by(ExtensionProposal.proposed_at.desc()).first())
    return made.proposed_at.date() if made is not None else None


def _no_invitation(case: Case) -> str:
    """Why the customer's comments cannot be recorded on the case ("" if they can): they are
    comments on a proposal the customer was invited to comment on, while it is open."""
    if case.reply_by is not None:
        return ""
    return (f"no proposal on {case.reference} invites the customer's comments: they are "
            "recorded on a proposed extension or new restrictions (e proposes one)")


def record_comments(actor: Actor, reference: str, text: str, received_on: date) -> None:
    """The customer's comments on a proposal that invites them, as received."""
    with atomic():
        require(actor, Capability.LOG_CONTACTS)
        case = load_case_for_change(actor, reference)
        why = _no_invitation(case)
        if why:
            raise RequirementMissing(why)
        # Every problem at once, as the form shows them (README "Dialogs and forms").
        found: list[ValidationError] = []
        try:
            body = account_text("text", text, 20_000, rule=comments_problem)
        except ValidationError as exc:
            found.append(exc)
        invited = _invited_on(case)
        if received_on > clock.today():
            found.append(ValidationError("received_on", "is in the future"))
        elif invited is not None and received_on < invited:
            # Comments answer the invitation: none can come before it was made (b15d F8).
            found.append(ValidationError("received_on", f"{received_on.isoformat()} is before "
                                         f"{INVITED_IS} ({in_prose(invited)})"))
        else:
            try:
                first_contact.not_before("received_on", received_on, case,
                                         "the customer's comments")
            except ValidationError as exc:
                found.append(exc)
        raise_all(found)
        CaseNote.create(case=case, kind=COMMENTS, text=body, recorded_by=actor.user_id,
                        recorded_at=clock.now())
        audit.record(actor, COMMENTS, case.reference, body,
                     {"received_on": received_on.isoformat()})


def _opened(actor: Actor, reference: str) -> None:
    """Open the review of a case of the session (restricted until its outcome), inside the
    outcome's own transaction: run on its own, a refused outcome ("n/a" as its reason) left
    the review opened, and a rehearsal of the outcome stopped at the end of the opening,
    before any of the outcome's checks, so the form asked "…, as Ceri Hughes?" first and
    refused only after the yes (t15d F3)."""
    why = decided_already(actor, reference)
    if why:
        raise InvalidTransition(why)
    case = load_case(actor, reference)
    if case.state == CaseState.RESTRICTED.value:
        review_steps.start_review(actor, reference)


def refusal(actor: Actor, reference: str, action: Action) -> str:
    """Why a session's outcome `action` cannot be recorded on the case now ("" if it can):
    checked as the outcome's service checks it, the review opened first where it must be."""
    return decided_already(actor, reference) or step_readiness.refusal(
        actor, reference, action, opening_review=True)


# A session's steps on its current case, by name: the outcome each records.
STEPS = {"continue": Action.CONTINUE_UNCHANGED, "period": Action.CHANGE_REVIEW_PERIOD,
         "extend": Action.PROPOSE_EXTENSION, "lift": Action.LIFT_RESTRICTIONS,
         "not_writing": Action.RECORD_CONSULTATION}


def refusals(actor: Actor, reference: str) -> dict[str, str]:
    """Why each of the session's steps (STEPS, "comments" and "lift_without_letter") cannot
    be taken on the case now, by name; a step that can be taken is left out. Nothing is saved."""
    found = {name: refusal(actor, reference, action) for name, action in STEPS.items()}
    if not can(actor, Capability.LOG_CONTACTS):
        found["comments"] = (f"{actor.role.label} may not record the customer's comments; "
                             "the Complaints Resolution Team records them")
    else:
        found["comments"] = _no_invitation(load_case(actor, reference))
    # Lifting without a letter (l with "do not write" ticked): asked at the tick box.
    found["lift_without_letter"] = refusal(actor, reference, Action.LIFT_WITHOUT_LETTER)
    return {name: why for name, why in found.items() if why}


def continue_unchanged(actor: Actor, reference: str, reason: str) -> CaseSummary:
    with atomic():  # the review opened with its outcome, or not at all (see _opened)
        _opened(actor, reference)
        return review_steps.continue_unchanged(actor, reference, reason)


def change_review_period(actor: Actor, reference: str, reason: str, next_review: date,
                         why: ReviewPeriodReason, note: str) -> CaseSummary:
    if next_review <= clock.today():
        raise ValidationError("next_review", "a review cannot be scheduled in the past")
    with atomic():
        _opened(actor, reference)
        return review_steps.change_review_period(actor, reference, reason,
                                                 next_review=next_review, period_reason=why,
                                                 period_note=note)


def propose_extension(actor: Actor, reference: str, reason: str,
                      reply_by: date | None, ends_on: date,
                      customer_reason: str = "") -> CaseSummary:
    # Refused before the review is opened: nothing is stored for words the letter cannot use.
    customer_words("customer_reason", customer_reason)
    with atomic():
        _opened(actor, reference)
        return review_steps.propose_extension(actor, reference, reason, reply_by,
                                              ends_on=ends_on, customer_reason=customer_reason)


def lift(actor: Actor, reference: str, reason: str, without_letter: bool,
         customer_reason: str = "", against_view_reason: str = "") -> CaseSummary:
    from crm_tui.services.restrictions import decisions

    if not without_letter:
        customer_words("customer_reason", customer_reason)
    with atomic():
        _opened(actor, reference)
        return decisions.lift_restrictions(actor, reference, reason,
                                           without_letter=without_letter,
                                           customer_reason=customer_reason,
                                           against_view_reason=against_view_reason)


def not_writing_view(actor: Actor, reference: str) -> tuple[str, str] | None:
    """The Head of Service's view on not writing, as lifting without a letter would rest on
    it: (view, their words), or None."""
    from crm_tui.services.restrictions import decisions

    return decisions.not_writing_view(actor, reference)


def open_for_view(actor: Actor, reference: str) -> None:
    """Open the review of a case of the session, for the Head of Service's view on not
    writing, which is given at a review: a case in a session is restricted until its outcome
    (found when tried: `h` refused every case of a session, "the case is restricted"). Run it
    as casework.record_consultation's `opening`, so a view refused leaves the case as it was."""
    _opened(actor, reference)


def default_until() -> date:
    return clock.today() + timedelta(days=30)
