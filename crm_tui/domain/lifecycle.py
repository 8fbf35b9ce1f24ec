"""The life of a case as a state machine: every allowed step, who may take it, what it needs.

Services gather the facts of a case into `CaseFacts` and ask `check` before changing
anything; `check` raises a DomainError with a sentence a user can read, or returns the
state the case moves to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from crm_tui.domain.dates import RETENTION_YEARS_AFTER_RESTRICTIONS, destroy_after
from crm_tui.domain.errors import (
    InvalidTransition,
    PermissionDenied,
    Placeholder,
    RequirementMissing,
)
from crm_tui.domain.grounds import PLACEHOLDER_REASON, reason_problem
from crm_tui.domain.nominations import APPEAL_DECIDERS
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState as S
from crm_tui.domain.typed_dates import in_prose


class Action(StrEnum):
    OPEN_LOCAL_RESOLUTION = "open_local_resolution"
    RECORD_REFERRAL = "record_referral"
    BEGIN_CONSIDERATION = "begin_consideration"
    REQUEST_CONSULTATION = "request_consultation"
    RECORD_CONSULTATION = "record_consultation"
    CLOSE_NO_ACTION = "close_no_action"
    RETURN_TO_SERVICE_AREA = "return_to_service_area"
    IMPOSE_RESTRICTIONS = "impose_restrictions"
    VARY_RESTRICTIONS = "vary_restrictions"
    START_REVIEW = "start_review"
    CONTINUE_UNCHANGED = "continue_unchanged"
    CHANGE_REVIEW_PERIOD = "change_review_period"
    PROPOSE_EXTENSION = "propose_extension"
    EXTEND_RESTRICTIONS = "extend_restrictions"
    LIFT_RESTRICTIONS = "lift_restrictions"
    LIFT_WITHOUT_LETTER = "lift_without_letter"
    LODGE_APPEAL = "lodge_appeal"
    CONFIRM_ON_APPEAL = "confirm_on_appeal"
    AMEND_ON_APPEAL = "amend_on_appeal"
    REMOVE_ON_APPEAL = "remove_on_appeal"
    EXPIRE_RESTRICTIONS = "expire_restrictions"
    ARCHIVE = "archive"
    DESTROY = "destroy"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def doing(self) -> str:
        """The step in words for a refusal ("close a referral with no action")."""
        return _DOING.get(self, self.label.lower())


# Steps whose code reads badly in a sentence ("may not close no action").
_DOING = {Action.CLOSE_NO_ACTION: "close a referral with no action",
          Action.RETURN_TO_SERVICE_AREA: "return a referral to the service area",
          Action.OPEN_LOCAL_RESOLUTION: "open a local resolution (record a new referral)",
          Action.RECORD_REFERRAL: "record a referral"}

# The decisions a customer may appeal against: to restrict, to extend, to vary.
APPEALABLE = (Action.IMPOSE_RESTRICTIONS, Action.EXTEND_RESTRICTIONS, Action.VARY_RESTRICTIONS)


@dataclass(frozen=True)
class AppealFacts:
    """What the appeal steps need to know, gathered by the appeals service."""

    decision_on: date | None = None  # the latest decision to restrict, extend or vary
    period_ends: date | None = None  # the last day an appeal against it may be received
    already_appealed: bool = False  # that decision's appeal has been lodged already
    in_force: bool = False  # restrictions in force now (restricted, or under review)
    received_on: date | None = None  # the appeal being lodged
    lodged_from: S | None = None  # an appeal awaiting decision: the state it was lodged in
    nominees: frozenset[int] = frozenset()  # nominated by the Service Director, for today


@dataclass(frozen=True)
class CaseFacts:
    """What the rules need to know about a case; gathered by the service layer."""

    today: date
    service_area_id: int | None = None
    has_local_resolution: bool = False
    no_local_resolution_reason: str = ""
    referral_details: str = ""
    consultation_recorded: bool = False
    no_communication_consultation: bool = False
    drafted_restrictions: int = 0
    extension_proposed: bool = False
    # The day the customer may comment on a proposed extension until (None: no proposal open).
    comments_by: date | None = None
    restrictions_end: date | None = None
    # The destruction date the case row holds; it must be the end (`ended_on`, the day the
    # restrictions ended or the file was closed) plus `retention_years`, worked out again
    # here: a date moved in the database destroys nothing early (b16c F5).
    destroy_after: date | None = None
    ended_on: date | None = None
    retention_years: int = RETENTION_YEARS_AFTER_RESTRICTIONS
    # The customer's other case whose restrictions are in force (or under review or appeal),
    # if any: nothing of theirs is destroyed while restrictions last.
    restrictions_last_on: str = ""
    # Everyone who took part in the decision under appeal: the decision maker and consultees.
    decision_participants: frozenset[int] = field(default_factory=frozenset)
    appeal: AppealFacts = field(default_factory=AppealFacts)


Requirement = Callable[[CaseFacts, Actor], str | None]


def _needs_referral_basis(facts: CaseFacts, actor: Actor) -> str | None:
    if not facts.referral_details.strip():
        return "a referral must describe the behaviour"
    if not facts.has_local_resolution and not facts.no_local_resolution_reason.strip():
        return ("a referral needs a recorded local resolution, or a recorded reason why "
                "local resolution was not attempted")
    return None


def _needs_consultation(facts: CaseFacts, actor: Actor) -> str | None:
    if not facts.consultation_recorded:
        return "a decision to restrict requires a recorded Head of Service consultation"
    if facts.drafted_restrictions < 1:
        return "a decision to restrict needs at least one restriction"
    return None


def _needs_drafted_restrictions(facts: CaseFacts, actor: Actor) -> str | None:
    if facts.drafted_restrictions < 1:
        return "at least one restriction must be set out"
    return None


def _needs_proposal(facts: CaseFacts, actor: Actor) -> str | None:
    if not facts.extension_proposed:
        return ("the customer must first be told the reasons and invited to comment on the "
                "proposed extension")
    return _needs_drafted_restrictions(facts, actor)


def _needs_comment_period_over(facts: CaseFacts, actor: Actor) -> str | None:
    # A proposal still open for the customer's comments is decided after its date, not
    # passed over: until then the review's outcome waits (lifting needs no wait).
    if facts.comments_by is not None and facts.today <= facts.comments_by:
        return (f"the customer has until {_short_day(facts.comments_by)} to comment on the "
                "proposed extension; after that date the restrictions can be continued "
                "unchanged (closing the proposal) or extended; they can be lifted now")
    return None


def _needs_no_proposal_open(facts: CaseFacts, actor: Actor) -> str | None:
    # One proposal at a time: the customer comments on the proposal they were sent, by the
    # date it gave them; a second while it is open would leave two undecided and move the
    # date no letter told them. Once the date has passed a new proposal supersedes it.
    if facts.comments_by is not None and facts.today <= facts.comments_by:
        return (f"the customer has until {_short_day(facts.comments_by)} to comment on the "
                "extension already proposed: no second proposal while it is open; after that "
                "date decide it (D in the restriction builder) or continue unchanged; the "
                "restrictions can be lifted now")
    return None


def _needs_proposal_set_out(facts: CaseFacts, actor: Actor) -> str | None:
    # The customer is invited to comment on what is proposed: the drafts in the builder.
    return _needs_no_proposal_open(facts, actor) or (
        "set the proposed restrictions out in the restriction builder first (to extend those in "
        "force unchanged, redraft them there): the customer is invited to comment on what is "
        "proposed" if facts.drafted_restrictions < 1 else None)


def _needs_no_communication_consultation(facts: CaseFacts, actor: Actor) -> str | None:
    if not facts.no_communication_consultation:
        return ("a decision not to write to the customer must be taken in consultation with "
                "the Head of Service")
    return None


def _needs_independent_decider(facts: CaseFacts, actor: Actor) -> str | None:
    if actor.user_id in facts.decision_participants:
        return ("an appeal must be decided by someone who took no part in the original "
                "decision")
    return None


def _needs_amended_restrictions(facts: CaseFacts, actor: Actor) -> str | None:
    if facts.appeal.lodged_from is S.ENDED:
        return ("the restrictions had already ended when the appeal was lodged: the decision "
                "can be confirmed or removed, not amended")
    return _needs_independent_decider(facts, actor) or _needs_drafted_restrictions(facts, actor)


def _day(value: date) -> str:
    return in_prose(value, full_month=True)


def _short_day(value: date) -> str:
    return in_prose(value)


def _needs_appealable_decision(facts: CaseFacts, actor: Actor) -> str | None:
    a = facts.appeal
    if a.decision_on is None:
        return "there is no decision to restrict, extend or vary restrictions to appeal against"
    if a.already_appealed:
        return (f"the customer has already appealed against the decision of "
                f"{_day(a.decision_on)}; after the appeal the customer may go to the Local "
                "Government and Social Care Ombudsman")
    received = a.received_on or facts.today
    if not a.in_force and (a.period_ends is None or received > a.period_ends):
        ended = f" on {_day(a.period_ends)}" if a.period_ends else ""
        return (f"no restriction is in force, and the appeal period for the decision of "
                f"{_day(a.decision_on)} ended{ended}")
    return None


def _nominated(facts: CaseFacts, actor: Actor) -> bool:
    """A person the Service Director has nominated to decide this case's appeal today."""
    return actor.role in APPEAL_DECIDERS and actor.user_id in facts.appeal.nominees


def _back_where_lodged(facts: CaseFacts) -> S | None:
    return facts.appeal.lodged_from


def _needs_end_reached(facts: CaseFacts, actor: Actor) -> str | None:
    if facts.restrictions_end is None or facts.restrictions_end > facts.today:
        return "the restrictions have not reached their end date"
    return None


def _needs_destruction_date(facts: CaseFacts, actor: Actor) -> str | None:
    due = retention_ends(facts.ended_on, facts.retention_years)
    if due is None:
        return "the retention period has not ended (its restrictions have no end date)"
    if facts.destroy_after != due:
        return stored_date_disagrees(facts.destroy_after, facts.ended_on,
                                     facts.retention_years)
    if due > facts.today:
        return f"the retention period has not ended (it is due for destruction on {_day(due)})"
    if facts.restrictions_last_on:
        return (f"the customer's restrictions on {facts.restrictions_last_on} still last: "
                "nothing of theirs is destroyed while restrictions last")
    return None


def retention_ends(ended_on: date | None, years: int) -> date | None:
    """The day a file is due for destruction: its end plus the retention years."""
    return destroy_after(ended_on, years) if ended_on is not None else None


def stored_date_disagrees(stored: date | None, ended_on: date | None, years: int) -> str:
    """Why a file is not destroyed while its stored date is not its end plus the years."""
    due = retention_ends(ended_on, years)
    said = _day(stored) if stored is not None else "none"
    return (f"its stored destruction date ({said}) is not its end "
            f"({_day(ended_on) if ended_on else 'none'}) plus {years} years "
            f"({_day(due) if due else 'none'}): the date was changed outside the app, or the "
            "retention period since (the next `crm-tui retention run` recalculates a date the "
            "app wrote under another period); nothing is destroyed until they agree")


@dataclass(frozen=True)
class Transition:
    action: Action
    moves: dict[S | None, S]  # from-state (None: a new case) -> to-state
    roles: frozenset[Role]
    needs_reason: bool = True
    requirement: Requirement | None = None
    # Who else may take the step, whatever their role (a nominated officer, for appeals).
    also: Callable[[CaseFacts, Actor], bool] | None = None
    # Where the step leads when that depends on the case (a confirmed appeal returns the case
    # to the state it was lodged in); None: as `moves` says.
    destination: Callable[[CaseFacts], S | None] | None = None


TEAM = frozenset({Role.CRM, Role.OFFICER})
CRM_ONLY = frozenset({Role.CRM})
REFERRERS = frozenset({Role.CRM, Role.OFFICER, Role.SERVICE_AREA_MANAGER})

TRANSITIONS: dict[Action, Transition] = {t.action: t for t in (
    Transition(Action.OPEN_LOCAL_RESOLUTION, {None: S.LOCAL_RESOLUTION}, REFERRERS,
               needs_reason=False),
    Transition(Action.RECORD_REFERRAL, {None: S.NEW, S.LOCAL_RESOLUTION: S.NEW}, REFERRERS,
               needs_reason=False, requirement=_needs_referral_basis),
    Transition(Action.BEGIN_CONSIDERATION, {S.NEW: S.UNDER_CONSIDERATION}, TEAM,
               needs_reason=False),
    Transition(Action.REQUEST_CONSULTATION,
               {S.UNDER_CONSIDERATION: S.AWAITING_CONSULTATION, S.UNDER_REVIEW: S.UNDER_REVIEW},
               TEAM, needs_reason=False),
    Transition(Action.RECORD_CONSULTATION,
               {S.AWAITING_CONSULTATION: S.UNDER_CONSIDERATION,
                S.UNDER_CONSIDERATION: S.UNDER_CONSIDERATION,
                S.UNDER_REVIEW: S.UNDER_REVIEW},
               frozenset({Role.HEAD_OF_SERVICE, Role.CRM})),
    Transition(Action.CLOSE_NO_ACTION,
               {S.NEW: S.CLOSED_NO_ACTION, S.UNDER_CONSIDERATION: S.CLOSED_NO_ACTION,
                S.AWAITING_CONSULTATION: S.CLOSED_NO_ACTION}, CRM_ONLY),
    Transition(Action.RETURN_TO_SERVICE_AREA,
               {S.NEW: S.LOCAL_RESOLUTION, S.UNDER_CONSIDERATION: S.LOCAL_RESOLUTION}, CRM_ONLY),
    Transition(Action.IMPOSE_RESTRICTIONS, {S.UNDER_CONSIDERATION: S.RESTRICTED}, CRM_ONLY,
               requirement=_needs_consultation),
    Transition(Action.VARY_RESTRICTIONS, {S.RESTRICTED: S.RESTRICTED}, CRM_ONLY,
               requirement=_needs_drafted_restrictions),
    Transition(Action.START_REVIEW, {S.RESTRICTED: S.UNDER_REVIEW}, TEAM, needs_reason=False),
    Transition(Action.CONTINUE_UNCHANGED, {S.UNDER_REVIEW: S.RESTRICTED}, CRM_ONLY,
               requirement=_needs_comment_period_over),
    # The restrictions continue as they are, reviewed on another day than the yearly one, on
    # one of the policy's reasons: its own outcome, so the record says what was decided.
    Transition(Action.CHANGE_REVIEW_PERIOD, {S.UNDER_REVIEW: S.RESTRICTED}, CRM_ONLY,
               requirement=_needs_comment_period_over),
    Transition(Action.PROPOSE_EXTENSION, {S.UNDER_REVIEW: S.UNDER_REVIEW}, CRM_ONLY,
               requirement=_needs_proposal_set_out),
    Transition(Action.EXTEND_RESTRICTIONS, {S.UNDER_REVIEW: S.RESTRICTED}, CRM_ONLY,
               requirement=_needs_proposal),
    Transition(Action.LIFT_RESTRICTIONS, {S.RESTRICTED: S.ENDED, S.UNDER_REVIEW: S.ENDED},
               CRM_ONLY),
    Transition(Action.LIFT_WITHOUT_LETTER, {S.UNDER_REVIEW: S.ENDED}, CRM_ONLY,
               requirement=_needs_no_communication_consultation),
    # Restrictions still stand during a review, so an appeal can be lodged then too; once they
    # have ended, within the appeal period of the decision.
    Transition(Action.LODGE_APPEAL, {S.RESTRICTED: S.UNDER_APPEAL, S.UNDER_REVIEW: S.UNDER_APPEAL,
                                     S.ENDED: S.UNDER_APPEAL}, TEAM,
               requirement=_needs_appealable_decision),
    Transition(Action.CONFIRM_ON_APPEAL, {S.UNDER_APPEAL: S.RESTRICTED},
               frozenset({Role.SERVICE_DIRECTOR}), requirement=_needs_independent_decider,
               also=_nominated, destination=_back_where_lodged),
    Transition(Action.AMEND_ON_APPEAL, {S.UNDER_APPEAL: S.RESTRICTED},
               frozenset({Role.SERVICE_DIRECTOR}), requirement=_needs_amended_restrictions,
               also=_nominated),
    Transition(Action.REMOVE_ON_APPEAL, {S.UNDER_APPEAL: S.ENDED},
               frozenset({Role.SERVICE_DIRECTOR}), requirement=_needs_independent_decider,
               also=_nominated),
    # Restrictions end on their end date under review too: a review that has not extended
    # them by then lapses with them.
    Transition(Action.EXPIRE_RESTRICTIONS, {S.RESTRICTED: S.ENDED, S.UNDER_REVIEW: S.ENDED},
               TEAM, needs_reason=False,
               requirement=_needs_end_reached),
    # Archiving follows from the end of the restrictions once nothing is owed: the team's
    # housekeeping does it (at the app's start, or a scheduled job), as it ends restrictions
    # on their end date.
    Transition(Action.ARCHIVE, {S.ENDED: S.ARCHIVED, S.CLOSED_NO_ACTION: S.ARCHIVED}, TEAM,
               needs_reason=False),
    Transition(Action.DESTROY, {S.ARCHIVED: S.DESTROYED}, CRM_ONLY, needs_reason=False,
               requirement=_needs_destruction_date),
)}


def may(actor: Actor, action: Action) -> bool:
    """Whether the actor's role may take this step at all (for showing or hiding keys)."""
    return actor.role in TRANSITIONS[action].roles


# Steps whose "reason" is the customer's own words (an appeal's grounds), not a decision's.
IN_THE_CUSTOMERS_WORDS = frozenset({Action.LODGE_APPEAL})


def check(action: Action, actor: Actor, state: S | None, facts: CaseFacts,
          reason: str = "") -> S:
    """Return the state the case moves to, or raise a DomainError saying why not."""
    transition = TRANSITIONS[action]
    if actor.role not in transition.roles and not (
            transition.also is not None and transition.also(facts, actor)):
        allowed = " or ".join(sorted(r.label for r in transition.roles))
        if transition.also is not None:
            allowed += (", or a person the Service Director has nominated to decide this "
                        "case's appeal on this day,")
        raise PermissionDenied(role_refusal(actor, action) or f"{actor.role.label} may not "
                               f"{action.doing}; only the {allowed} may.")
    if (actor.role is Role.SERVICE_AREA_MANAGER and facts.service_area_id is not None
            and facts.service_area_id != actor.service_area_id):
        raise PermissionDenied("a service area manager may act only for their own service area")
    if state not in transition.moves:
        where = state.in_words if state else "is not yet opened"
        raise InvalidTransition(f"cannot {action.label.lower()}: the case {where}",
                                why=f"the case {where}")
    if transition.needs_reason and not reason.strip():
        raise RequirementMissing(f"{action.label} needs a recorded reason")
    if transition.requirement is not None:
        missing = transition.requirement(facts, actor)
        if missing:
            raise RequirementMissing(f"cannot {action.label.lower()}: {missing}", why=missing)
    if transition.needs_reason and action not in IN_THE_CUSTOMERS_WORDS \
            and reason_problem(reason):
        # The reason is the grounds the step is recorded on: a real one, as the referral
        # form asks of its reasons (not "n/a", "TBC" or "-").
        raise Placeholder("reason", PLACEHOLDER_REASON)
    if transition.destination is not None:
        return transition.destination(facts) or transition.moves[state]
    return transition.moves[state]


def actions_from(state: S | None, actor: Actor) -> list[Action]:
    """The steps this actor's role could take from this state (requirements aside)."""
    return [t.action for t in TRANSITIONS.values()
            if state in t.moves and actor.role in t.roles]


def role_refusal(actor: Actor, action: Action) -> str:
    """Why `actor`'s role may not take `action` at all ("" if it may, or if someone else's
    nomination could let them): asked at a key, before anything about the case is read."""
    transition = TRANSITIONS[action]
    if actor.role in transition.roles or transition.also is not None:
        return ""
    allowed = " or ".join(sorted(r.label for r in transition.roles))
    return f"{actor.role.label} may not {action.doing}; only the {allowed} may."
