"""One cell of the later-start matrix (test_later_start_matrix.py), driven through the real
services on a frozen clock: restrictions in force, or decided to start on a later day; the
letter telling the customer of them unsigned, signed and not posted, or posted; then one next
step (lift, vary lighter or stricter, extend, an appeal's outcome, a review's outcome) taken
on a day before their start, on it, or after it; then its letter signed and a post run on
that day. What each stage said is gathered in a `Seen`, for the test to check."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from crm_tui import clock
from crm_tui.db.models import Case, Letter
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.errors import DomainError
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome, ConsultationSubject
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.letters import checker, record
from crm_tui.services.core import next_step
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.letters import issuing, posting
from crm_tui.services.restrictions import builder, decisions
from crm_tui.services.reviews import appeals, review_session, review_steps
from tests import builders
from tests.builders import TODAY, TOLD
from tests.conftest import PASSPHRASE

# The later start, and the days a step is taken on (the clock's day; the base is built on
# TODAY, Sat 28 Nov 2026, as the tester's). Restrictions in force take their steps once,
# on IN_FORCE_DAY: after the comment period of a proposal made on TODAY (17 Dec 2026) and
# before the last day to appeal their decision.
START = date(2027, 2, 1)
DAYS = {"before": date(2027, 1, 29), "on": START, "after": date(2027, 2, 2)}
IN_FORCE_DAY = date(2026, 12, 18)
ENDS = date(2027, 11, 1)  # the later ones' end (those in force end on builders.TERMS.ends_on)
SOONER = date(2027, 10, 1)
LONGER = date(2028, 11, 28)
WHY = "You have not contacted us unreasonably."
# Another kind beside letter only: stricter (its definition in the customer's words).
STRICTER = replace(builders.SIGNIFICANT_ONLY,
                   parameters={"definition": "a new matter about your home"})

STEPS = ("lift", "vary lighter", "vary stricter", "extend", "appeal upheld",
         "appeal amended", "appeal dismissed", "review continue", "review lift")
# The letter each step owes, and who signs it (None: none is owed).
OWED: dict[str, tuple[LetterKind, Role] | None] = {
    "lift": (LetterKind.LIFTED, Role.CRM),
    "vary lighter": (LetterKind.EXTENSION_DECISION, Role.CRM),
    "vary stricter": (LetterKind.EXTENSION_DECISION, Role.CRM),
    "extend": (LetterKind.EXTENSION_DECISION, Role.CRM),
    "appeal upheld": (LetterKind.APPEAL_OUTCOME, Role.SERVICE_DIRECTOR),
    "appeal amended": (LetterKind.APPEAL_OUTCOME, Role.SERVICE_DIRECTOR),
    "appeal dismissed": (LetterKind.APPEAL_OUTCOME, Role.SERVICE_DIRECTOR),
    "review continue": None,
    "review lift": (LetterKind.LIFTED, Role.CRM)}
_OUTCOMES = {"appeal upheld": AppealOutcome.REMOVED, "appeal amended": AppealOutcome.AMENDED,
             "appeal dismissed": AppealOutcome.CONFIRMED}


@dataclass(repr=False)
class Seen:
    """What the case and the post run said at each stage of one cell."""

    ref: str = ""
    earlier: int | None = None  # the earlier letter's register number (signed)
    earlier_kind: LetterKind | None = None
    refused: str = ""  # the step refused, and why
    after_step: str = ""  # the next action once the step is taken
    new_letter: int | None = None
    sign_refused: str = ""
    after_signing: str = ""
    offered: list[int] = field(default_factory=list)  # what a post run takes unless named
    left_out: dict[int, str] = field(default_factory=dict)  # id: why (cannot go/superseded)
    statuses: dict[int, str] = field(default_factory=dict)  # the register's shown status
    superseded: dict[int, str] = field(default_factory=dict)  # the register's why
    texts: dict[int, str] = field(default_factory=dict)  # each offered letter's words
    past: dict[int, list[str]] = field(default_factory=dict)  # dates past on the day posted
    after_posting: str = ""
    review_due: date | None = None  # the case's, once the step is taken
    signed: list[int] = field(default_factory=list)  # the letters signed on the day
    all_texts: dict[int, str] = field(default_factory=dict)  # every letter issued
    posted: list[int] = field(default_factory=list)  # every letter posted by the day's end
    state: str = ""
    restrictions_end: date | None = None

    def __repr__(self) -> str:
        """What a failing cell says: every stage, the letters' words aside."""
        return repr({k: v for k, v in self.__dict__.items() if k not in ("texts", "all_texts")})


def _later_by_appeal(actors: dict[Role, Actor]) -> str:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    builders.draft(actors, ref, by=Role.CRM)
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED,
                          "Upheld in part", DecisionTerms(starts_on=START, ends_on=ENDS),
                          builders.read(ref), customer_reason=TOLD)
    return ref


def _later_by_variation(actors: dict[Role, Actor]) -> str:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    builder.redraft_in_force(actors[Role.CRM], ref)
    decisions.vary_restrictions(actors[Role.CRM], ref, "Start them later",
                                DecisionTerms(starts_on=START, ends_on=ENDS),
                                read=builders.read(ref), customer_reason=TOLD)
    return ref


def _base(actors: dict[Role, Actor], later: bool, step: str) -> tuple[str, LetterKind, Role]:
    """The case and the letter telling the customer of its restrictions (kind, signer).
    Restrictions decided to start later: amended on appeal (the tester's base case), or,
    where the next step is an appeal's outcome (an appeal's outcome is not appealed), varied
    to start later (`D`)."""
    if not later:
        return builders.at_state(actors, CaseState.RESTRICTED), LetterKind.DECISION, Role.CRM
    if step.startswith("appeal"):
        return _later_by_variation(actors), LetterKind.EXTENSION_DECISION, Role.CRM
    return _later_by_appeal(actors), LetterKind.APPEAL_OUTCOME, Role.SERVICE_DIRECTOR


def _sign(actors: dict[Role, Actor], ref: str, kind: LetterKind, by: Role) -> int:
    return issuing.sign_and_export(actors[by], ref, kind, builders.database_folder() / "issued",
                                   PASSPHRASE).letter_id


def _propose(actors: dict[Role, Actor], ref: str, *, stricter: bool) -> None:
    """At a review opened on TODAY: the restrictions set out again (with another kind beside
    them, when stricter) and proposed, until LONGER when not stricter; the invitation to
    comment signed and posted the same day."""
    crm = actors[Role.CRM]
    review_steps.start_review(crm, ref)
    builder.redraft_in_force(crm, ref)
    if stricter:
        builders.draft(actors, ref, STRICTER, by=Role.CRM)
    _contact(actors, ref, datetime(2026, 11, 28, 9, 0))
    ends = _end(ref) if stricter else LONGER
    review_steps.propose_extension(crm, ref, "Three letters a week continued",
                                   date(2026, 12, 17), ends_on=ends, customer_reason=TOLD)
    invitation = builders.sign_invitation(crm, ref, post=False)
    posting.record_posting(actors[Role.OFFICER], [invitation], TODAY, "first")


def _case(ref: str) -> Case:
    return Case.get(Case.reference == ref)


_TO_SIGN = {"Sign the letter lifting the restrictions": (LetterKind.LIFTED, Role.CRM),
            "Sign the appeal outcome letter": (LetterKind.APPEAL_OUTCOME,
                                               Role.SERVICE_DIRECTOR)}


def _to_sign(action: str, ref: str) -> tuple[LetterKind, Role] | None:
    """The letter the next action says to sign, and who signs it."""
    from crm_tui.db.models import Decision

    if action != "Sign the decision letter":
        return _TO_SIGN.get(action)
    latest = (Decision.select().where(Decision.case == _case(ref))
              .order_by(Decision.id.desc()).first())
    return ((LetterKind.DECISION if latest.action == "impose_restrictions"
             else LetterKind.EXTENSION_DECISION), Role.CRM)


def _contact(actors: dict[Role, Actor], ref: str, at: datetime) -> None:
    """A contact the proposal (and the decision after it) rests on: the examples a letter
    gives are of contact since the restrictions started."""
    contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=at, channel=Channel.LETTER, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam Patel",
        summary="Third letter this week about the same closed complaint",
        categories=builders.LETTER_ONLY.behaviours))


def _end(ref: str) -> date:
    end: date | None = _case(ref).restrictions_end
    assert end is not None
    return end


def _before_the_day(actors: dict[Role, Actor], ref: str, step: str) -> None:
    """What the step needs done on TODAY: an appeal lodged, a proposal made."""
    if step.startswith("appeal"):
        appeals.lodge_appeal(actors[Role.OFFICER], ref, TODAY, "The restriction is unfair")
    elif step in ("vary stricter", "extend"):
        _propose(actors, ref, stricter=step == "vary stricter")


def _take(actors: dict[Role, Actor], ref: str, step: str, starts: date) -> None:
    """The step itself, on the day. `starts`: the day changed restrictions start (a sooner
    start than the one decided would be stricter)."""
    crm = actors[Role.CRM]
    if step == "lift":
        decisions.lift_restrictions(crm, ref, "No longer needed", customer_reason=WHY)
    elif step == "review lift":
        review_session.lift(crm, ref, "No longer needed", False, customer_reason=WHY)
    elif step == "review continue":
        review_session.continue_unchanged(crm, ref, "Still needed as they are")
    elif step == "vary lighter":
        builder.redraft_in_force(crm, ref)
        decisions.vary_restrictions(crm, ref, "Shorter", DecisionTerms(
            starts_on=starts, ends_on=SOONER), read=builders.read(ref), customer_reason=TOLD)
    elif step in ("vary stricter", "extend"):
        _contact(actors, ref, datetime.combine(clock.today(), datetime.min.time()).replace(
            hour=9))
        ends = _end(ref) if step == "vary stricter" else LONGER
        builders.consult(actors, ref, ends_on=ends, subject=ConsultationSubject.EXTENSION)
        review_steps.extend_restrictions(crm, ref, "Comments weighed", DecisionTerms(
            starts_on=starts, ends_on=ends), read=builders.read(ref), customer_reason=TOLD)
    else:
        outcome = _OUTCOMES[step]
        terms, read = None, None
        if outcome is AppealOutcome.AMENDED:
            builders.draft(actors, ref, by=Role.CRM)
            terms, read = DecisionTerms(starts_on=starts, ends_on=SOONER), builders.read(ref)
        appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, outcome, "Weighed",
                              terms, read, customer_reason=TOLD)


def next_action(actor: Actor, ref: str) -> str:
    """The case's next action as its file shows it, worked out again on the clock's day (as
    opening the database does: next_step.refresh_letters_owed)."""
    next_step.store([ref])
    return str(_case(ref).next_action)


def text_of(letter_id: int) -> str:
    letter = record.loads(Letter.get_by_id(letter_id).content)
    return "\n".join(p for _, ps in letter.sections for p in ps)


def past_on(letter_id: int, day: date) -> list[str]:
    """The dates the letter gives for something still to come, passed on `day` (the rule the
    post run refuses on: posting_dates.cannot_go)."""
    letter = record.loads(Letter.get_by_id(letter_id).content)
    return checker.past_dates(letter, day)


def run(actors: dict[Role, Actor], *, later: bool, step: str, earlier: str,
        day: date) -> Seen:
    """One cell: built on TODAY, the step taken, its letter signed and a post run made on
    `day`."""
    seen = Seen()
    ref, kind, signer = _base(actors, later, step)
    seen.ref, seen.earlier_kind = ref, kind
    if earlier != "unsigned":
        seen.earlier = _sign(actors, ref, kind, signer)
        if earlier == "posted":
            posting.record_posting(actors[Role.OFFICER], [seen.earlier], TODAY, "first")
    _before_the_day(actors, ref, step)
    crm = actors[Role.CRM]
    with clock.travel_to(datetime.combine(day, datetime.min.time()).replace(hour=10)):
        starts = max(START if later else TODAY, day)
        try:
            _take(actors, ref, step, starts)
        except DomainError as exc:
            seen.refused = str(exc)
            return seen
        seen.after_step = next_action(crm, ref)
        seen.review_due = _case(ref).review_due
        # The case's next action followed, as the team would: each letter it says to sign.
        for _ in range(3):
            letter = _to_sign(next_action(crm, ref), ref)
            if letter is None:
                break
            try:
                seen.signed.append(_sign(actors, ref, *letter))
            except DomainError as exc:
                seen.sign_refused = str(exc)
                break
        seen.new_letter = seen.signed[-1] if seen.signed else None
        seen.after_signing = next_action(crm, ref)
        waiting = posting.unposted(actors[Role.OFFICER], ref)
        taken, out = posting.left_out_unless_named(waiting)
        seen.offered = [u.id for u in taken]
        seen.left_out = {u.id: u.cannot_go or u.superseded for u in out}
        for info in issuing.register(crm, ref):
            if info.status != "draft":
                seen.statuses[info.id] = info.shown_status
                seen.superseded[info.id] = info.superseded
        for letter_id in seen.statuses:
            seen.all_texts[letter_id] = text_of(letter_id)
        for letter_id in seen.offered:
            seen.texts[letter_id] = text_of(letter_id)
            seen.past[letter_id] = past_on(letter_id, day)
        if seen.offered:
            posting.record_posting(actors[Role.OFFICER], seen.offered, day, "first")
        seen.after_posting = next_action(crm, ref)
        case = _case(ref)
        seen.state, seen.restrictions_end = str(case.state), case.restrictions_end
        seen.posted = [int(r.id) for r in Letter.select(Letter.id).where(
            (Letter.case == case) & Letter.posted_on.is_null(False)).order_by(Letter.id)]
        for letter_id in seen.posted:
            seen.all_texts.setdefault(letter_id, text_of(letter_id))
    return seen



# Restrictions for three years, decided to start after the day their first review would fall
# by default (a year from the decision): the tester's case (start 1 December 2027).
START_AFTER_A_YEAR = date(2027, 12, 1)
THREE_YEARS = date(2029, 11, 28)
BASES_AFTER_A_YEAR = ("amended on appeal", "varied", "amended, then continued at a review")


def reviewed_on(actors: dict[Role, Actor], how: str) -> tuple[date | None, str]:
    """The review date of restrictions for three years decided to start after a year (by an
    amendment on appeal, a variation, or an amendment then a review continuing them before
    they start), with the review left to its default; and why it was refused ("" if not)."""
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)
    builders.consult(actors, ref, ends_on=THREE_YEARS)
    decisions.impose_restrictions(crm, ref, "Persistent contact",
                                  DecisionTerms(starts_on=TODAY, ends_on=THREE_YEARS),
                                  read=builders.read(ref), customer_reason=TOLD)
    later = DecisionTerms(starts_on=START_AFTER_A_YEAR, ends_on=THREE_YEARS)
    try:
        if how == "varied":
            builder.redraft_in_force(crm, ref)
            decisions.vary_restrictions(crm, ref, "Start them later", later,
                                        read=builders.read(ref), customer_reason=TOLD)
        else:
            appeals.lodge_appeal(actors[Role.OFFICER], ref, TODAY, "The restriction is unfair")
            builders.draft(actors, ref, by=Role.CRM)
            appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED,
                                  "Upheld in part", later, builders.read(ref),
                                  customer_reason=TOLD)
        if how.endswith("review"):
            with clock.travel_to(datetime(2027, 11, 1, 10)):
                review_session.continue_unchanged(crm, ref, "Still needed as they are")
    except DomainError as exc:
        return None, str(exc)
    return _case(ref).review_due, ""
