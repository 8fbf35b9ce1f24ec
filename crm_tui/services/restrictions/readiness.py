"""Whether a decision on the drafted restrictions can be made, checked whole: the step itself,
evidence and equality, a real Head of Service consultation on the restrictions as they stand,
whether a variation is only lighter and an extension no stricter than the customer was invited
to comment on, and the letter the decision will produce, built and put through the letter
checker. The builder shows the same list the services refuse with."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from crm_tui import clock
from crm_tui.db.models import Case, Consultation, ExtensionProposal, Restriction
from crm_tui.domain import severity
from crm_tui.domain.errors import (
    DomainError,
    PermissionDenied,
    Problems,
    RequirementMissing,
    ValidationError,
    raise_all,
)
from crm_tui.domain.in_force import starts_later
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.outcomes import ConsultationSubject, ConsultationView
from crm_tui.domain.permissions import Capability, can
from crm_tui.domain.proposal import Proposal
from crm_tui.domain.roles import Actor
from crm_tui.domain.states import CaseState
from crm_tui.domain.terms import date_problems, default_review, settle_review_date
from crm_tui.domain.typed_dates import in_prose, shown
from crm_tui.domain.wording import in_one_sentence
from crm_tui.letters import checker
from crm_tui.letters.content import Letter
from crm_tui.letters.content import text as letter_text
from crm_tui.services.core import comments_in, consulted, settings
from crm_tui.services.core.case_steps import load_case, step
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.restriction_status import IN_FORCE
from crm_tui.services.core.step_readiness import ANY_REASON
from crm_tui.services.core.told import told as told_words
from crm_tui.services.letters import letter_content
from crm_tui.services.restrictions import builder, versions

DECIDING = {CaseState.UNDER_CONSIDERATION: Action.IMPOSE_RESTRICTIONS,
            CaseState.AWAITING_CONSULTATION: Action.IMPOSE_RESTRICTIONS,
            CaseState.RESTRICTED: Action.VARY_RESTRICTIONS,
            CaseState.UNDER_REVIEW: Action.EXTEND_RESTRICTIONS}
REVIEW_PATH = ("it must follow a review: start the review, tell the customer the reasons and "
               "invite their comments (propose the extension), let the comment period pass, "
               "consult the Head of Service on the proposal as it stands, then decide")


# What the appeal's decider can do instead of a stricter amendment: a review, where the
# customer is invited to comment first, is the Complaints Resolution Manager's to start.
AMEND_INSTEAD = ("Keep the restrictions as they are, or amend them only to be lighter or "
                 "shorter. Anything stricter is for the Complaints Resolution Manager to "
                 "propose at a review once the appeal is decided, with the customer invited "
                 "to comment first")


def _and(items: Sequence[str]) -> str:
    """Items in a sentence: "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _day(value: date) -> str:
    return in_prose(value, full_month=True)


def action_for(state: CaseState) -> Action | None:
    """The decision the builder's D makes on a case in this state."""
    return DECIDING.get(state)


@dataclass(frozen=True)
class Prepared:
    """A decision that passed every check: what it is stored with."""

    review_due: date
    letter: Letter
    consultation: Consultation | None = None
    proposal: ExtensionProposal | None = None
    against_view_reason: str = ""  # kept only where the view was "does not agree"


@dataclass(frozen=True)
class DecisionPreview:
    """What the CRM reads before deciding: the letter that will go, what stands in the way,
    and the versions of the drafts it was built from (the decision confirms those)."""

    action: Action
    letter: str
    problems: list[str]
    versions: dict[int, int]
    against_view: bool = False
    view: str = ""  # the Head of Service's view the decision rests on, in words
    # The problems that belong to one field of the form (the end date, the review date):
    # field -> what is wrong, shown at the field as well as in `problems`.
    fields: dict[str, str] = field(default_factory=dict)
    # The review date the decision will carry (the one typed, or the one it settles on):
    # the confirmation names it (t15c F8).
    review_due: date | None = None

    @property
    def ready(self) -> bool:
        return not self.problems


def _in_force_terms(case: Case) -> list[severity.Terms]:
    rows = Restriction.select().where((Restriction.case == case)
                                      & (Restriction.status == IN_FORCE))
    return [(s.kind, s.parameters) for s in map(versions.stamp, rows)]


def _draft_terms(case: Case) -> list[severity.Terms]:
    return versions.proposal(case, None).terms


def _as_set(terms: list[severity.Terms]) -> list[tuple[str, str]]:
    return sorted((kind.value, json.dumps(dict(params), sort_keys=True))
                  for kind, params in terms)


def same_as_in_force(case: Case) -> bool:
    """The drafts are the restrictions in force, set out again unchanged (r, then nothing
    edited): what the customer must keep to would be the same."""
    in_force = _in_force_terms(case)
    return bool(in_force) and _as_set(in_force) == _as_set(_draft_terms(case))


def start_in_force(case: Case) -> date:
    """The day the restrictions in force apply from, as a change would keep it: today once
    they have started (a change cannot start before its decision), or the later day they
    were decided to start (domain.in_force.starts_later)."""
    today = clock.today()
    start = case.restrictions_start
    return start if start is not None and starts_later(start, today) else today


def nothing_differs(case: Case, starts_on: date, ends_on: date | None,
                    review_due: date | None, *, then: str) -> list[str]:
    """Refused: a decision whose restrictions and dates are all those in force decides
    nothing, yet its letter would tell the customer "we have decided to change how they are
    set out" and open a new appeal period (v15e F12). `then`: what can be done instead.
    A start later (or sooner) than the one in force differs (v15k U1)."""
    if not same_as_in_force(case) or starts_on != start_in_force(case) \
            or ends_on != case.restrictions_end \
            or (review_due is not None and review_due != case.review_due):
        return []
    return ["Nothing differs from the restrictions in force: the restrictions, their start, "
            f"their end and their review are the same, so there is nothing to decide; {then}"]


SAME_THEN = {Action.VARY_RESTRICTIONS: "start them later, bring the end or review date "
                                       "sooner, change a restriction (e), or discard the "
                                       "redraft (x)",
             Action.EXTEND_RESTRICTIONS: "set a later end, change a restriction (e), or "
                                         "discard the redraft (x)",
             Action.AMEND_ON_APPEAL: "an appeal that changes nothing is not upheld: choose "
                                     "\u201cAppeal not upheld: decision confirmed\u201d, or "
                                     "change the drafts in the builder"}


def _ready_problems(case: Case) -> list[str]:
    # The same list check_ready refuses with, so that the builder lists whatever it would
    # refuse.
    return builder.ready_problems(case)


def kept_review(case: Case, starts_on: date, ends_on: date) -> date | None:
    """The review in force, which a variation keeps (by its end, if that is sooner), or None:
    none is set, or it falls on or before the day the varied restrictions start, when it
    would review nothing (v15m-1) and the review is counted from their start instead."""
    if case.review_due is None:
        return None
    kept = min(case.review_due, ends_on)
    return kept if kept > starts_on else None


def varied_review(case: Case, terms: DecisionTerms) -> date:
    """A variation keeps the review date in force unless the CRM sets one; sooner is allowed,
    later is a stricter change (refused as such). Restrictions varied to start after the
    review in force are reviewed a period after they start (or sooner, as set), never
    before: the rule every decision's review keeps (domain/terms.py)."""
    today = clock.today()
    # The dates themselves, whatever the review: a variation never reaches back before the
    # decision (contacts made then would become breaches), nor ends before it starts; each
    # problem at its field, the review's with them (v15m Y2).
    raise_all(date_problems(decided_on=today, starts_on=terms.starts_on,
                            ends_on=terms.ends_on, review_due=terms.review_due))
    period = settings.current().review_period_months
    kept = kept_review(case, terms.starts_on, terms.ends_on)
    if terms.review_due is None:
        if kept is not None:
            return kept
        return settle_review_date(
            decided_on=today, starts_on=terms.starts_on, ends_on=terms.ends_on,
            review_due=None, period_months=period, reason=None, note="")
    latest = default_review(starts_on=terms.starts_on, ends_on=terms.ends_on,
                            period_months=period)
    if kept is None and terms.review_due > latest:
        # No review in force to compare with (severity.compare): the yearly rule itself.
        raise ValidationError("review_due", f"restrictions are reviewed at least every "
                              f"{period} months from their start: review by {shown(latest)}")
    return terms.review_due


def review_date(case: Case, action: Action, terms: DecisionTerms) -> date:
    """The review date the decision will carry; ValidationError names the field at fault."""
    if action is Action.VARY_RESTRICTIONS:
        return varied_review(case, terms)
    if action is Action.AMEND_ON_APPEAL:
        return amended_review(case, terms)
    return settle_review_date(
        decided_on=clock.today(), starts_on=terms.starts_on, ends_on=terms.ends_on,
        review_due=terms.review_due, period_months=settings.current().review_period_months,
        reason=terms.review_period_reason, note=terms.review_period_note)


def amended_review(case: Case, terms: DecisionTerms) -> date:
    """An amendment on appeal keeps the review of the decision appealed against, as a
    variation does (kept_review: by the end, if that is sooner), unless the decider sets a
    sooner one; a later one is a stricter change, refused as such (amendment_problems, and
    at the field: _amendment_review). Only where that review would review nothing — it has
    come, or falls on or before the amended restrictions start — is it counted from their
    start (v16 4: left blank, "upheld in part" was reviewed a year from its start, 3 December
    2027, where the decision appealed against was due for review on 18 December 2026).
    A sooner day other than the one kept needs one of the policy's reasons, as any shorter
    review period does; keeping it needs none (v15l X9)."""
    today = clock.today()
    kept = kept_review(case, terms.starts_on, terms.ends_on)
    if kept is not None and (terms.review_due is None or terms.review_due > kept):
        # Blank: the day kept. Later: refused as stricter by amendment_problems, with the
        # dates' own problems said here at their fields.
        raise_all(date_problems(decided_on=today, starts_on=terms.starts_on,
                                ends_on=terms.ends_on, review_due=terms.review_due))
        return kept if terms.review_due is None else terms.review_due
    return settle_review_date(
        decided_on=today, starts_on=terms.starts_on, ends_on=terms.ends_on,
        review_due=terms.review_due, period_months=settings.current().review_period_months,
        reason=terms.review_period_reason, note=terms.review_period_note, kept=kept)


def _vary(case: Case, terms: DecisionTerms | None, review_due: date | None) -> list[str]:
    if case.review_due is not None and case.review_due <= clock.today():
        # Round 12: the form offered the overdue review (refused as past) and any later day
        # is a longer review, so no variation could be made; the way forward is the review.
        return [f"The review was due by {_day(case.review_due)}: a variation can neither "
                "keep a review day that has come nor set a later one (a longer review). "
                "Hold the review first: in a review session (d for the calendar, then s) "
                "continue the restrictions with their next review (c, or r for another "
                "period), or propose new ones (e); then vary them here"]
    found = severity.compare(
        _in_force_terms(case), _draft_terms(case),
        ends_now=case.restrictions_end, ends_proposed=terms.ends_on if terms else None,
        # A review in force that falls before the varied restrictions start is not kept
        # (kept_review): theirs is counted from their start, not compared with it.
        review_now=case.review_due if terms is None or kept_review(
            case, terms.starts_on, terms.ends_on) is not None else None,
        review_proposed=review_due,
        starts_now=start_in_force(case), starts_proposed=terms.starts_on if terms else None)
    if found.lighter_or_equal:
        return []
    return [f"This change makes the restrictions stricter or longer ({'; '.join(found.stricter)})"
            f": {REVIEW_PATH}. Only a change that makes them lighter or shorter may be made "
            "directly"]


def amendment_problems(case: Case, terms: DecisionTerms) -> list[str]:
    """An amendment on appeal answers the appeal: it may make the restrictions lighter or
    shorter, never stricter or longer (a new kind, a channel closed, a later end) — anything
    stricter goes through a review, with the customer invited to comment first."""
    # The review an amendment leaves blank is the one in force (amended_review).
    same = nothing_differs(case, terms.starts_on, terms.ends_on, terms.review_due,
                           then=SAME_THEN[Action.AMEND_ON_APPEAL])
    found = severity.compare(_in_force_terms(case), _draft_terms(case),
                             ends_now=case.restrictions_end, ends_proposed=terms.ends_on,
                             review_now=_review_compared(case, terms),
                             review_proposed=terms.review_due,
                             starts_now=start_in_force(case), starts_proposed=terms.starts_on)
    if found.lighter_or_equal:
        return same
    return [_stricter_words(found.stricter)]


def _amendment_end(case: Case, terms: DecisionTerms) -> str | None:
    """The End field's own problem for an amendment on appeal: a later end (the rest of
    amendment_problems is about the restrictions themselves)."""
    later = severity.compare((), (), ends_now=case.restrictions_end,
                             ends_proposed=terms.ends_on).stricter
    return (f"An amendment on appeal cannot make the restrictions longer: as typed, it "
            f"{later[0]}. End them on the day in force or sooner") if later else None


def _review_compared(case: Case, terms: DecisionTerms) -> date | None:
    """The review in force a change's review is compared with: the one it would keep
    (kept_review), or None where it would review nothing and the review is counted from the
    start instead — the rule a variation and an amendment on appeal share (v16 4)."""
    return (case.review_due if kept_review(case, terms.starts_on, terms.ends_on) is not None
            else None)


def _amendment_review(case: Case, terms: DecisionTerms) -> str | None:
    """The Review field's own problem for an amendment on appeal: a later review than the
    decision appealed against (a stricter change, as a later end is)."""
    later = severity.compare((), (), review_now=_review_compared(case, terms),
                             review_proposed=terms.review_due).stricter
    kept = kept_review(case, terms.starts_on, terms.ends_on)
    return (f"An amendment on appeal cannot review the restrictions later: as typed, it "
            f"{later[0]}. Leave it blank to keep {shown(kept)}, or set a sooner day"
            if later and kept is not None else None)


def _extend(case: Case, terms: DecisionTerms | None,
            drafts: dict[int, int], *, consulting: bool = False,
            ) -> tuple[list[str], Consultation | None, ExtensionProposal | None]:
    if case.restrictions_end is not None and case.restrictions_end < clock.today():
        return [f"The restrictions ended on {_day(case.restrictions_end)}: they cannot be "
                "extended after they have ended (a new referral starts again)"], None, None
    invited = letter_content.open_proposal(case)
    if invited is None:
        return [("The customer has not been told the reasons and invited to comment on a "
                 f"proposal: {REVIEW_PATH}")], None, None
    found: list[str] = []
    issued = comments_in.issued_on(case)
    if issued is None:
        # Never decided on "no comments" from a customer never asked (v15e F13).
        # One signed to where the customer no longer lives never went (fixAJ).
        # One signed and never posted by the day for comments it gave never went (AL4).
        why = comments_in.gone_for(case, invited)
        again = (" again, to their new address" if "address" in why
                 else f" again, with a new day for comments (the one signed was never posted: "
                      f"{why})" if why else "")
        found.append("The invitation to comment has not been issued, so the customer has not "
                     f"been asked for their comments: sign it{again} (W on the case file); "
                     "the extension can be decided once the time it gives them has passed")
    else:
        until = comments_in.comments_until(invited.reply_by, issued)
        if clock.today() <= until:
            late = (f" (the invitation went to them on {_day(issued)}: they are given "
                    f"{comments_in.period_words()} from then)"
                    if until != invited.reply_by else "")
            found.append(f"The customer has until {_day(until)} to comment on the "
                         f"proposal{late}: the extension can be decided after that")
    proposal = Proposal.from_json(invited.proposal)
    if proposal is not None:
        beyond = severity.compare(proposal.terms, _draft_terms(case),
                                  ends_now=invited.ends_on,
                                  ends_proposed=terms.ends_on if terms else None)
        if beyond.stricter:
            found.append("This goes beyond what the customer was invited to comment on ("
                         f"{'; '.join(beyond.stricter)}): invite their comments on the "
                         "proposal as it now stands (propose the extension again)")
    if consulting:
        return found, None, invited
    views, row = consulted.problems(case, ConsultationSubject.EXTENSION, drafts,
                                    versions.kinds(case), terms.ends_on if terms else None,
                                    comments_in.comments_by(case) or invited.reply_by)
    return found + views, row, invited


def _standing_gaps(actor: Actor, case: Case, action: Action,
                   invited: ExtensionProposal | None, *, examples: bool) -> list[str]:
    """What the decision letter's checker would refuse whatever dates and reasons the
    decision is given (no postal address, no dated examples, a greeting a council would not
    write): the letter is built on provisional dates and only the gaps the case itself must
    fill are kept."""
    today = clock.today()
    ends = today.replace(year=today.year + 2) if (today.month, today.day) != (2, 29) \
        else date(today.year + 2, 3, 1)
    # A review day that has come is refused on its own (_vary): not said again as a past
    # date in this provisional letter.
    review = case.review_due if action is Action.VARY_RESTRICTIONS and case.review_due \
        and case.review_due > today else ends
    letter = letter_content.proposed_decision(actor, case, action, "(reasons to follow)",
                                              today, ends, review, invited)
    ways = {checker.STANDING[0]: " (link dated evidence of the behaviour to the case)",
            checker.STANDING[1]: " (record it on the case file: H)"}
    gaps = [gap + next(way for said, way in ways.items() if gap.endswith(said))
            for gap in checker.standing(letter)
            if examples or not gap.endswith(checker.STANDING[0])]
    # The greeting comes from the customer's name or form of address alone: known before
    # the decision opens, by the same rule the decision's letter is checked with (found when
    # tried: "Ready for the CRM's decision (D)", then D refused for the greeting).
    gaps += [f"{gap} (set the form of address under How we write: D on the case file)"
             for gap in checker.salutation(letter)]
    # Words the letter prints from what is stored (a restriction's wording, a matter's
    # title, the evidence's examples) are read by the same checks the decision's letter is,
    # so a title or a closed way offered that the letter refuses is found here and not only
    # inside the decision form (found when tried: a matter titled with "[" read "Ready (D)";
    # t15c F1: "Please ring us on 01632 960000" on a letter-only restriction).
    gaps += _where(checker.stored(letter))
    return ["The letter cannot go: " + "; ".join(gaps)] if gaps else []


# Where the CRM changes the words a finding under each heading of the letter was found in.
WHERE = {"What we have decided": " (change the restriction in the builder, e: a matter it "
                                 "names is printed by its title, so leave such a matter out)",
         "How you can still contact us": " (change the restriction in the builder: e)"}


CLOSED_OFFERED = "offered, though the restrictions "
CLOSED_WHERE = (" (change the words that offer it in the builder: a restriction's \u201cWhy, "
                "as the customer is told it\u201d, e)")


def _where(found: list[str]) -> list[str]:
    """Each finding, the last under each heading followed by where its words are changed."""
    said = list(found)
    offers = [i for i, gap in enumerate(said) if CLOSED_OFFERED in gap]
    if offers:
        said[offers[-1]] += CLOSED_WHERE
    for heading, way in WHERE.items():
        under = [i for i, gap in enumerate(said) if f"under \u201c{heading}\u201d" in gap]
        if under:
            said[under[-1]] += way
    return said


def told_problems(case: Case, customer_reason: str) -> list[str]:
    """What is wrong with the words the letter tells the customer why in, as the decision
    itself refuses them (step_told): empty, or not words for the customer."""
    try:
        told_words(case, "customer_reason", customer_reason)
    except ValidationError as exc:
        return [f"\u201cWhy, as the customer is told it\u201d {exc.message}"]
    return []


def check(actor: Actor, case: Case, action: Action, terms: DecisionTerms | None = None,
          reason: str | None = None, against_view_reason: str = "", customer_reason: str = "",
          *, consulting: bool = False) -> tuple[list[str], Prepared | None, DecisionPreview]:
    """Everything that stands in the way of `action` on the drafts now. Without `terms` and
    `reason`: what stands in the way whatever the dates and reasons (the builder's D asks
    this before opening the decision). With them: the letter is built and checked as well.
    `consulting`: all but the Head of Service's view itself and the step's own state (a case
    awaiting the view cannot be decided until it is given): what a view taken now would
    still leave in the way. Raises ValidationError for a date the decision cannot take."""
    problems: list[str] = []
    try:
        if not consulting:
            step(actor, action, case, reason or ANY_REASON)
    except (RequirementMissing, PermissionDenied):
        pass  # said in full below; the role is refused by the service's own step
    except DomainError as exc:
        problems.append(str(exc))
    drafts = versions.current(case)
    if not drafts:
        problems.append("No restriction is set out yet")
    ready = _ready_problems(case)
    problems += ready
    review_due = review_date(case, action, terms) if terms is not None else None
    row: Consultation | None = None
    invited: ExtensionProposal | None = None
    if action is Action.IMPOSE_RESTRICTIONS and not consulting:
        views, row = consulted.problems(case, ConsultationSubject.REFERRAL, drafts,
                                        versions.kinds(case), terms.ends_on if terms else None)
        problems += views
    elif action is Action.VARY_RESTRICTIONS:
        problems += _vary(case, terms, review_due)
    elif action is Action.EXTEND_RESTRICTIONS:
        views, row, invited = _extend(case, terms, drafts, consulting=consulting)
        problems += views
    if terms is not None and action in SAME_THEN:
        problems[:0] = nothing_differs(case, terms.starts_on, terms.ends_on, review_due,
                                       then=SAME_THEN[action])
    against = row is not None and row.view == ConsultationView.DISAGREES.value
    if row is not None and against and terms is not None and not against_view_reason.strip():
        problems.append(f"The Head of Service does not agree (their view on "
                        f"{_day(row.consulted_on)}): give your reasons for going ahead "
                        "against it")
    view = ""
    if row is not None:
        view = f"{consulted.row_in_words(row)} — {row.view_text}"
    if reason is not None and not reason.strip():
        problems.append("Give the decision's reasons: they are recorded and the customer is "
                        "told them")
    if terms is not None or reason is not None:
        problems += told_problems(case, customer_reason)
    if terms is None and drafts:
        # Dated examples come from the evidence the restrictions rest on: while a restriction
        # rests on none, that is said above, once.
        problems += _standing_gaps(actor, case, action, invited,
                                   examples=not ready)
    prepared: Prepared | None = None
    text = ""
    if terms is not None and review_due is not None and reason is not None and drafts:
        letter = letter_content.proposed_decision(actor, case, action, reason.strip(),
                                                  terms.starts_on, terms.ends_on, review_due,
                                                  invited, customer_reason=customer_reason)
        text = letter_text(letter)
        gaps = checker.missing(letter)
        if gaps:
            problems.append("The letter cannot go: " + "; ".join(gaps))
        prepared = Prepared(review_due, letter, row, invited,
                            against_view_reason.strip() if against else "")
    preview = DecisionPreview(action, text, problems, drafts, against, view,
                              review_due=review_due)
    return problems, (prepared if not problems else None), preview


def require(actor: Actor, case: Case, action: Action, reason: str, terms: DecisionTerms,
            read: versions.DraftVersions, against_view_reason: str = "",
            customer_reason: str = "") -> Prepared:
    """Refuse the decision, with every reason, unless it passes every check; called inside
    the service's transaction before anything is stored."""
    versions.require_as_read(case, read)
    problems, prepared, _ = check(actor, case, action, terms, reason, against_view_reason,
                                  customer_reason)
    if prepared is None:
        raise RequirementMissing(in_one_sentence(problems, starts=True))
    return prepared


def blockers(actor: Actor, reference: str) -> list[str]:
    """What stands in the way of the builder's decision, whatever dates and reasons are given
    (the builder lists them, and D refuses with them before the decision opens)."""
    case = load_case(actor, reference)
    action = action_for(CaseState(case.state))
    if action is None:
        return [f"No decision on restrictions is made now: the case "
                f"{CaseState(case.state).in_words}"]
    return check(actor, case, action)[0]


def besides_the_view(actor: Actor, reference: str) -> list[str]:
    """What the builder lists in the way of the decision other than the Head of Service's
    view itself: what would still stand in the way once a view is taken on the drafts as
    they are now (the builder's c asks before a view is taken on a draft that cannot be
    decided: t15d F1)."""
    case = load_case(actor, reference)
    action = action_for(CaseState(case.state))
    if action is None:
        return blockers(actor, reference)
    return check(actor, case, action, consulting=True)[0]


def preview(actor: Actor, reference: str, terms: DecisionTerms | None, reason: str,
            against_view_reason: str = "", customer_reason: str = "") -> DecisionPreview:
    """The letter the decision would produce now, and everything that stands in its way.
    ValidationError names a date the decision cannot take. `terms` None: the dates typed are
    not dates (31/02/2027); no letter, and every problem that does not turn on them (v16 10:
    the form's panel dropped the reasons' problems then)."""
    case = load_case(actor, reference)
    action = action_for(CaseState(case.state))
    if action is None:
        return DecisionPreview(Action.IMPOSE_RESTRICTIONS, "", blockers(actor, reference),
                               versions.current(case))
    # A date the decision cannot take raises ValidationError: shown at its field.
    return check(actor, case, action, terms, reason, against_view_reason, customer_reason)[2]


def amendment_blockers(actor: Actor, case: Case, reason: str = "") -> list[str]:
    """What stands in the way of an amendment on appeal whatever its dates: the rules for
    the acting person, and every safeguard on the drafts (a draft resting on no evidence:
    who links it, the decider being unable to). The form's panel and its save refuse with
    these; "upheld in part" refuses with them before the form opens (v22 C1)."""
    problems: list[str] = []
    try:
        step(actor, Action.AMEND_ON_APPEAL, case, reason or ANY_REASON)
    except DomainError as exc:
        problems.append(str(exc))
    ready = builder.ready_problems(case, may_link=can(actor, Capability.WEIGH_EVIDENCE))
    return (problems + ready + stricter_drafts(case)
            + (_amendment_letter_gaps(actor, case)[0] if versions.current(case) else []))


def _amendment_letter_gaps(actor: Actor, case: Case) -> tuple[list[str], list[str]]:
    """What the outcome letter's checker would refuse whatever the amendment's dates and
    reasons (no postal address, a greeting a council would not write, stored words it
    refuses): the letter is built on provisional dates, as _standing_gaps does for the
    builder's decision, and only what the case itself must put right is kept. Returns the
    sentence said (with where each is put right) and the checker's findings it says, which
    the form's preview does not say again."""
    today = clock.today()
    ends = case.restrictions_end if case.restrictions_end is not None \
        and case.restrictions_end > today else today + timedelta(days=730)
    review = case.review_due if case.review_due is not None \
        and today < case.review_due <= ends else ends
    letter = letter_content.proposed_amendment(actor, case, "(reasons to follow)", today,
                                               ends, review)
    address = [gap for gap in checker.standing(letter) if gap.endswith(checker.STANDING[1])]
    greeting = checker.salutation(letter)
    stored = checker.stored(letter)
    said = ([f"{gap} (record it on the case file: H)" for gap in address]
            + [f"{gap} (set the form of address under How we write: D on the case file)"
               for gap in greeting] + _where(stored))
    return (["The letter cannot go: " + "; ".join(said)] if said else []), \
        [*address, *greeting, *stored]


def stricter_drafts(case: Case) -> list[str]:
    """The restrictions set out, whatever the amendment's dates, are stricter than those in
    force (a new kind, a channel closed, fewer telephone days): no date the form asks for
    can make them an amendment on appeal, so "upheld in part" refuses before the form opens
    (v23 D1: the form opened and only its panel said so). The dates' own stricter changes
    (a later end or review, a sooner start) are the form's to put right
    (amendment_problems)."""
    found = severity.compare(_in_force_terms(case), _draft_terms(case))
    return [_stricter_words(found.stricter)] if found.stricter else []


def stricter_on_appeal(actor: Actor, reference: str, restriction_id: int) -> str:
    """On appeal, a restriction just set out that is stricter than the one of its kind in
    force (or a kind not in force): the warning the builder adds to its toast, as "upheld in
    part" will refuse it (v23 D1: the toast said only that it rests on the evidence carried
    from the one in force). "" where it is not stricter, or the case is not under appeal."""
    case = load_case(actor, reference)
    row = Restriction.get_or_none((Restriction.id == restriction_id)
                                  & (Restriction.case == case))
    if row is None or case.state != CaseState.UNDER_APPEAL.value:
        return ""
    drafted = versions.stamp(row)
    in_force = Restriction.select().where((Restriction.case == case)
                                          & (Restriction.status == IN_FORCE)
                                          & (Restriction.kind == row.kind))
    found = severity.compare([(s.kind, s.parameters) for s in map(versions.stamp, in_force)],
                             [(drafted.kind, drafted.parameters)])
    if not found.stricter:
        return ""
    return (f"It is stricter than the restrictions in force: as set out, it "
            f"{_and(found.stricter)}. An amendment on appeal cannot make the restrictions "
            f"stricter, so \u201cupheld in part\u201d is refused while it stands. "
            f"{AMEND_INSTEAD}.")


def _stricter_words(stricter: Sequence[str]) -> str:
    # In plain words for who decides the appeal, with no brackets inside brackets, and what
    # they can do: a review is not theirs to start (fixAR AR5: it said "(is reviewed later
    # (by … instead of …)): it must follow a review: start the review, …").
    return (f"An amendment on appeal cannot make the restrictions stricter or longer: as set "
            f"out, it {_and(stricter)}. {AMEND_INSTEAD}")


def preview_amendment(actor: Actor, reference: str, terms: DecisionTerms | None,
                      reason: str, customer_reason: str = "") -> DecisionPreview:
    """For an amendment on appeal: the outcome letter the drafts would produce, what stands
    in its way, and the versions of the drafts it shows (the amendment confirms those).
    `terms` None: the dates typed are not dates; every other problem, and no letter."""
    case = load_case(actor, reference)
    action = Action.AMEND_ON_APPEAL
    problems = amendment_blockers(actor, case, reason)
    drafts = versions.current(case)
    # The drafts' own stricter changes are said by amendment_blockers already: the same
    # words are not said twice (where the dates add to them, the sentence differs).
    problems += [said for said in (amendment_problems(case, terms) if terms is not None
                                   else []) if said not in problems]
    if not reason.strip():
        problems.append("Give the reasons for the amendment: they are recorded")
    problems += told_problems(case, customer_reason)
    if terms is None:
        return DecisionPreview(action, "", problems, drafts)
    # Every problem at once, each date's at its field: a review date refused does not hide
    # a later end, nor the other way round.
    fields: dict[str, str] = {}
    end = _amendment_end(case, terms)
    if end is not None:
        fields["ends_on"] = end
    later_review = _amendment_review(case, terms)
    if later_review is not None:
        fields["review_due"] = later_review
    try:
        due: date | None = review_date(case, action, terms)
    except ValidationError as exc:
        due = None
        for one in exc.found if isinstance(exc, Problems) else [exc]:
            fields.setdefault(one.field, one.message)
            problems.append(one.message[:1].upper() + one.message[1:])
    if due is None:
        return DecisionPreview(action, "", problems, drafts, fields=fields)
    letter = letter_content.proposed_amendment(actor, case, reason.strip(), terms.starts_on,
                                               terms.ends_on, due,
                                               customer_reason=customer_reason)
    # What the case itself must put right is said by amendment_blockers, once.
    standing = set(_amendment_letter_gaps(actor, case)[1]) if drafts else set()
    gaps = [gap for gap in checker.missing(letter) if gap not in standing]
    if gaps:
        problems.append("The letter cannot go: " + "; ".join(gaps))
    return DecisionPreview(action, letter_text(letter), problems, drafts, fields=fields,
                           review_due=due)
