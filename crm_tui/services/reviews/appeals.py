"""Appeals: lodged whenever a restriction is in force (restricted, or under review — the
restrictions stand during a review) or, once they have ended, within the appeal period of the
decision; decided — confirmed, amended or removed — by the Service Director or an officer the
Service Director nominated for the case or the day, who took no part in the decision.

What happens to a review under way: the case goes under appeal and the review waits, open,
with any comment period running. Confirmed, the case returns to the review where it was (or to
restricted, or to ended, wherever it was lodged). Amended, the amended restrictions replace
those in force with their own review date, and the review of the old ones is closed as
"amended on appeal" (any extension proposed with it lapses: it proposed changing restrictions
that no longer stand). Removed, the restrictions end and the review is closed as "removed on
appeal". Either way the review is recorded, never lost."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime

from crm_tui import clock
from crm_tui.db.models import Appeal, Case, Customer, Decision, Restriction, User
from crm_tui.domain import lifecycle
from crm_tui.domain.errors import (
    DomainError,
    InvalidTransition,
    PermissionDenied,
    Placeholder,
    RequirementMissing,
    ValidationError,
    raise_all,
)
from crm_tui.domain.grounds import grounds_problem
from crm_tui.domain.lifecycle import Action, AppealFacts, CaseFacts
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.restrictions import RestrictionKind, describe
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.domain.wording import in_one_sentence
from crm_tui.services.core import confirmation, deadlines, independence, settings
from crm_tui.services.core.appeal_window import appealable_decision, late_after, period_ends
from crm_tui.services.core.case_steps import (
    gather_facts,
    load_case,
    move,
    step,
    step_told,
    summarise,
)
from crm_tui.services.core.database import atomic
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.restriction_status import DRAFT
from crm_tui.services.core.results import CaseSummary
from crm_tui.services.core.validation import required_text
from crm_tui.services.restrictions import readiness
from crm_tui.services.restrictions.decisions import (
    close_open_review,
    end_restrictions,
    put_in_force,
)
from crm_tui.services.restrictions.versions import DraftVersions
from crm_tui.services.reviews import nominations
from crm_tui.services.reviews.nominations import NominationInfo

_ACTIONS = {AppealOutcome.CONFIRMED: Action.CONFIRM_ON_APPEAL,
            AppealOutcome.AMENDED: Action.AMEND_ON_APPEAL,
            AppealOutcome.REMOVED: Action.REMOVE_ON_APPEAL}
_LIVE = (CaseState.RESTRICTED, CaseState.UNDER_REVIEW)


def _lodging_facts(case: Case, decision: Decision | None,
                   received_on: date | None) -> AppealFacts:
    if decision is None:
        return AppealFacts(in_force=CaseState(case.state) in _LIVE, received_on=received_on)
    return AppealFacts(
        decision_on=decision.decided_at.date(), period_ends=period_ends(decision),
        already_appealed=Appeal.select().where(Appeal.decision == decision).exists(),
        in_force=CaseState(case.state) in _LIVE, received_on=received_on)


def _open_appeal(case: Case) -> Appeal | None:
    found: Appeal | None = (Appeal.select().where((Appeal.case == case) & (Appeal.outcome == ""))
                            .order_by(Appeal.id.desc()).first())
    return found


def _deciding_facts(case: Case, appeal: Appeal | None) -> CaseFacts:
    facts = gather_facts(case)
    if appeal is None:
        return facts
    took_part = facts.decision_participants | independence.participants(case, appeal.decision)
    nominees = frozenset(n.nominee_id for n in nominations.covering(case))
    return replace(facts, decision_participants=took_part, appeal=AppealFacts(
        lodged_from=CaseState(appeal.lodged_from), nominees=nominees))


def lodge_appeal(actor: Actor, reference: str, received_on: date, grounds: str) -> CaseSummary:
    """Record an appeal received from the customer against the latest decision to restrict,
    extend or vary."""
    with atomic():
        case = load_case(actor, reference)
        # Every problem of what was given at once: the grounds and the day together.
        found: list[ValidationError] = []
        text = ""
        try:
            text = required_text("grounds", grounds)
            if problem := grounds_problem(text):
                text = ""
                raise Placeholder("grounds", problem)
        except ValidationError as exc:
            found.append(exc)
        decision = appealable_decision(case)
        facts = replace(gather_facts(case),
                        appeal=_lodging_facts(case, decision, received_on))
        new_state = step(actor, Action.LODGE_APPEAL, case, text or "(grounds)", facts=facts)
        assert decision is not None  # the rules refuse an appeal with nothing to appeal
        if received_on > clock.today():
            found.append(ValidationError("received_on", f"{received_on:%d/%m/%Y} is in the "
                                                        "future: give a day up to today"))
        elif received_on < decision.decided_at.date():
            found.append(ValidationError(
                "received_on", f"{received_on:%d/%m/%Y} is before the decision appealed "
                               f"against ({in_prose(decision.decided_at.date())})"))
        raise_all(found)
        due = deadlines.due("appeal", received_on, settings.current().appeal_decision_days)
        Appeal.create(case=case, decision=decision, received_on=received_on, grounds=text,
                      due_on=due, recorded_by=actor.user_id, lodged_from=case.state)
        case.appeal_due = due
        late = late_after(decision, received_on)
        move(actor, Action.LODGE_APPEAL, case, new_state, text,
             {"received_on": received_on, "decision": decision.id, "lodged_from": case.state}
             | ({"late_after": late} if late else {}))
        return summarise(case)


def _check_amendment(case: Case, terms: DecisionTerms | None) -> DecisionTerms:
    """An amendment answers the appeal: lighter or shorter only (readiness.amendment_problems),
    on drafts that pass every safeguard (put_in_force checks them again)."""
    if terms is None:
        raise ValidationError("terms", "amended restrictions need their dates")
    problems = readiness.amendment_problems(case, terms)
    if problems:
        raise RequirementMissing(in_one_sentence(problems, starts=True))
    return terms


def decide_appeal(actor: Actor, reference: str, outcome: AppealOutcome, reason: str,
                  terms: DecisionTerms | None = None,
                  read: DraftVersions | None = None, *, customer_reason: str = "") -> CaseSummary:
    """Confirm (the case returns to where it was when the appeal was lodged), amend (the
    drafted restrictions replace those in force) or remove (the restrictions end). `read`:
    for an amendment, the versions of the drafts the decider read. `customer_reason`: the
    reasons for the outcome as the letter tells the customer (required; `reason` is the
    internal record)."""
    action = _ACTIONS[outcome]
    with atomic():
        case = load_case(actor, reference)
        appeal = _open_appeal(case)
        new_state, told = step_told(actor, action, case, reason, customer_reason,
                                    facts=_deciding_facts(case, appeal))
        if appeal is None:
            raise RequirementMissing("there is no appeal awaiting a decision")
        if outcome is AppealOutcome.AMENDED:
            terms = _check_amendment(case, terms)
            if read is None:
                raise RequirementMissing("an amendment confirms the restrictions its decider "
                                         "read: preview them first")
        nomination = None
        if actor.role is not Role.SERVICE_DIRECTOR:
            # The rules let a nominee through only with a nomination covering the case today.
            nomination = next((n for n in nominations.covering(case)
                               if n.nominee_id == actor.user_id), None)
        why = reason.strip()
        with confirmation.confirmed(actor):
            if outcome is AppealOutcome.AMENDED and terms is not None and read is not None:
                # The review date by the rule the form's preview shows (readiness): blank,
                # the one in force is kept; kept as typed, with no reason (v15l X9); never
                # later (v16 4: refused above as stricter).
                due = readiness.review_date(case, action, terms)
                close_open_review(case, "amended_on_appeal", why, actor)
                put_in_force(actor, case, action, why, terms, read=read, review_due=due,
                             customer_reason=told)
            elif outcome is AppealOutcome.REMOVED:
                Decision.create(case=case, action=action.value, decided_by=actor.user_id,
                                decided_at=clock.now(), reason=why,
                                effective_from=clock.today(), customer_reason=told)
                close_open_review(case, "removed_on_appeal", why, actor)
                if appeal.lodged_from != CaseState.ENDED.value:
                    end_restrictions(case, clock.today())
            appeal.outcome, appeal.reason = outcome.value, why
            appeal.customer_reason = told
            appeal.decided_by_id, appeal.decided_at = actor.user_id, clock.now()
            appeal.nomination = nomination
            appeal.save()
            case.appeal_due = None
            move(actor, action, case, new_state, reason, {
                "outcome": outcome.value, "appeal": appeal.id, "returns_to": new_state.value,
                "nomination": nomination.id if nomination else None,
                "nominated_by": nomination.nominated_by.login if nomination else None})
        return summarise(case)


# -- what the screens and the command line show -------------------------------------------
@dataclass(frozen=True)
class AppealDetails:
    received_on: date
    grounds: str
    due_on: date
    recorded_by: str
    lodged_from: CaseState
    decision_on: date
    decision_by: str
    decision_reason: str
    outcome: str = ""
    reason: str = ""
    decided_by: str = ""
    decided_at: datetime | None = None
    nominated: str = ""  # "nominated by X on date, for ..." when a nominee decided it
    # The appeal deadline it was received after (None: in time).
    late_after: date | None = None


@dataclass(frozen=True)
class AppealView:
    reference: str
    state: CaseState
    open: AppealDetails | None  # an appeal awaiting a decision
    latest: AppealDetails | None  # the latest appeal, decided or not
    # Why no appeal can be lodged on the case now ("" if one can), and the decision it would be
    # against; and whether the acting person's role records appeals.
    not_lodgeable: str
    against: str
    service_directors: list[str]
    nominations: list[NominationInfo]  # covering this case today
    restrictions_end: date | None = None  # an amendment may end them sooner, not later
    may_lodge: bool = False
    # With an appeal open: why the acting person may not decide it ("" if they may), by the
    # same rule the decision is refused with, so that the key can say so before any form.
    why_not_decide: str = ""
    customer_name: str = ""  # named when the decider is asked to confirm the outcome
    # The day of the decision an appeal would be against: none is received before it.
    against_on: date | None = None
    # The last day the customer was given to appeal against it: one received later is
    # recorded as late (the form says so at the date).
    appeal_by: date | None = None
    # The restrictions set out in the builder: an amendment on appeal puts them in force in
    # place of those in force, so with none it cannot be chosen (said at once: v15e F14).
    drafts_set_out: int = 0
    # The day the restrictions in force were decided to start: an amendment keeps a later one
    # unless it moves it (a sooner start is stricter).
    restrictions_start: date | None = None
    # The review of the restrictions in force: an amendment left without one keeps it (by
    # their end, if sooner; readiness.amended_review), and may not set a later one.
    review_due: date | None = None
    # With an appeal open that the acting person may decide: what stands in the way of
    # "upheld in part" whatever its dates (readiness.amendment_blockers, as the form's save
    # refuses), said when it is chosen instead of opening the form ("" if nothing does).
    why_not_amend: str = ""
    # The restrictions set out in the builder, in its order (kind, terms): an amendment's
    # confirmation names each, as the decision's does (v22 C2).
    set_out: tuple[tuple[RestrictionKind, str], ...] = ()


def _name(user_id: int | None) -> str:
    user = User.get_or_none(User.id == user_id) if user_id is not None else None
    return str(user.name) if user is not None else ""


def details(appeal: Appeal) -> AppealDetails:
    d = appeal.decision
    nominated = ""
    if appeal.nomination is not None:
        n = nominations.info(appeal.nomination)
        nominated = (f"nominated by {n.nominated_by} on "
                     f"{in_prose(n.nominated_at, full_month=True)}, for "
                     f"{n.covers}")
    return AppealDetails(
        appeal.received_on, appeal.grounds, appeal.due_on, _name(appeal.recorded_by_id),
        CaseState(appeal.lodged_from), d.decided_at.date(), _name(d.decided_by_id), d.reason,
        appeal.outcome, appeal.reason, _name(appeal.decided_by_id), appeal.decided_at,
        nominated, late_after(d, appeal.received_on))


def _why_not_lodgeable(case: Case, decision: Decision | None) -> str:
    """Whether the case can take an appeal now, whoever is asking (the team records it)."""
    facts = replace(gather_facts(case), appeal=_lodging_facts(case, decision, None))
    team = Actor(0, "", "", Role.OFFICER)
    try:
        step(team, Action.LODGE_APPEAL, case, "grounds", facts=facts)
    except (InvalidTransition, RequirementMissing) as exc:
        return exc.why  # said after "No appeal can be recorded": not "cannot lodge appeal" again
    except DomainError as exc:
        return str(exc)
    return ""


def _why_not_decide(actor: Actor, case: Case, appeal: Appeal) -> str:
    """Why the acting person may not decide the appeal, said after "awaits the decision of
    the Service Director or an officer they nominated:" — by the rule any outcome is refused
    with, in words that choose none (v22 C6: "Complaints Resolution Manager may not confirm
    on appeal", with no article, and no outcome chosen)."""
    try:
        step(actor, Action.CONFIRM_ON_APPEAL, case, "reasons",
             facts=_deciding_facts(case, appeal))
    except PermissionDenied:
        article = "a" if actor.role in (Role.OFFICER, Role.SERVICE_AREA_MANAGER,
                                        Role.USER_ADMIN) else "the"
        label = actor.role.label if actor.role is not Role.USER_ADMIN else "user administrator"
        return (f"{article} {label} does not decide appeals, and no nomination of the "
                "Service Director's covers you for this case today")
    except (InvalidTransition, RequirementMissing) as exc:
        return exc.why.replace("confirm on appeal", "decide the appeal")
    except DomainError as exc:
        return str(exc)
    return ""


def view(actor: Actor, reference: str) -> AppealView:
    """The appeal on a case as whoever decides it needs it: the grounds, the decision appealed
    against, and who may decide (the Service Director, and the nominations covering the case
    today); or, with no appeal open, whether one can be lodged."""
    case = load_case(actor, reference)
    latest = Appeal.select().where(Appeal.case == case).order_by(Appeal.id.desc()).first()
    open_ = _open_appeal(case)
    decision = appealable_decision(case)
    directors = [f"{u.name} ({u.login})" for u in User.select().where(
        (User.role == Role.SERVICE_DIRECTOR.value) & (User.active == True))  # noqa: E712
        .order_by(User.name)]
    against = (f"the decision of {in_prose(decision.decided_at.date())} by "
               f"{_name(decision.decided_by_id)}"
               f" ({Action(decision.action).label.lower()})" if decision is not None else "")
    return AppealView(
        case.reference, CaseState(case.state), details(open_) if open_ else None,
        details(latest) if latest else None,
        "" if open_ else _why_not_lodgeable(case, decision), against, directors,
        [nominations.info(n) for n in nominations.covering(case)], case.restrictions_end,
        lifecycle.may(actor, Action.LODGE_APPEAL),
        _why_not_decide(actor, case, open_) if open_ else "", _customer_name(case),
        decision.decided_at.date() if decision is not None else None,
        period_ends(decision) if decision is not None else None,
        Restriction.select().where((Restriction.case == case)
                                   & (Restriction.status == DRAFT)).count(),
        restrictions_start=case.restrictions_start, review_due=case.review_due,
        why_not_amend=_why_not_amend(actor, case) if open_ else "",
        set_out=tuple((RestrictionKind(r.kind), describe(RestrictionKind(r.kind),
                                                         json.loads(r.parameters)))
                      for r in Restriction.select().where((Restriction.case == case)
                                                          & (Restriction.status == DRAFT))
                      .order_by(Restriction.id)))


def _why_not_amend(actor: Actor, case: Case) -> str:
    blockers = readiness.amendment_blockers(actor, case)
    return in_one_sentence(blockers)


def _customer_name(case: Case) -> str:
    customer = Customer.get_or_none(Customer.id == case.customer_id)
    return str(customer.name) if customer is not None else ""
