"""The policy's Scope on one case: its escalation records (police involvement, legal action,
risk to staff) and the safe-working pointer where staff are at risk; the warning given during
local resolution; and the extreme-case route — the CRM's decision, resting on an escalation
record, to restrict without a prior warning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from crm_tui import clock
from crm_tui.db.models import Escalation, NoPriorWarning, PriorWarning, User
from crm_tui.domain.errors import InvalidTransition, NotFound, ValidationError
from crm_tui.domain.escalations import EscalationKind
from crm_tui.domain.grounds import without_warning_reasons_problem
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.roles import Actor
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import audit, confirmation, settings
from crm_tui.services.core.case_steps import load_case, load_case_for_change
from crm_tui.services.core.database import atomic
from crm_tui.services.core.validation import required_text
from crm_tui.services.restrictions.safeguards import warning_problems

# Before the decision to restrict: the only time the route without warning means anything.
BEFORE_DECISION = frozenset({CaseState.NEW, CaseState.UNDER_CONSIDERATION,
                             CaseState.AWAITING_CONSULTATION})
MEANS = {"local_resolution_letter": "in the local-resolution letter",
         "warning_letter": "in a separate warning letter"}


@dataclass(frozen=True)
class EscalationInfo:
    id: int
    kind: EscalationKind
    occurred_on: date
    reference: str
    note: str
    recorded_by: str
    recorded_at: datetime

    @property
    def label(self) -> str:
        ref = f" ({self.kind.reference_label} {self.reference})" if self.reference else ""
        return f"{self.kind.label} on {in_prose(self.occurred_on, full_month=True)}{ref}"


@dataclass(frozen=True)
class WarningInfo:
    given_on: date
    means: str
    summary: str
    recorded_by: str
    recorded_at: datetime

    @property
    def label(self) -> str:
        return (f"Warned {MEANS.get(self.means, self.means)} on "
                f"{in_prose(self.given_on, full_month=True)}")


@dataclass(frozen=True)
class WithoutWarning:
    escalation: EscalationInfo
    reasons: str
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True)
class ScopeView:
    escalations: list[EscalationInfo]
    warnings: list[WarningInfo]
    without_warning: WithoutWarning | None
    warning_problems: list[str]
    safe_working: str  # the council's safe-working procedure, when a risk to staff is recorded

    @property
    def warning_line(self) -> str:
        """One line on the warning: given (how, when), the route without, or missing."""
        if self.without_warning is not None:
            w = self.without_warning
            return (f"Restricting without prior warning (decided by {w.decided_by} on "
                    f"{in_prose(w.decided_at, full_month=True)}, on: {w.escalation.label})")
        if self.warnings:
            return "; ".join(w.label for w in self.warnings)
        return "No warning recorded"


def _escalation(row: Escalation) -> EscalationInfo:
    return EscalationInfo(row.id, EscalationKind(row.kind), row.occurred_on, row.reference,
                          row.note, row.recorded_by.name, row.recorded_at)


def scope_view(actor: Actor, reference: str) -> ScopeView:
    """Escalations, warnings and the route without warning on a case."""
    case = load_case(actor, reference)
    escalations = [_escalation(e) for e in Escalation.select(Escalation, User).join(
        User, on=(Escalation.recorded_by == User.id)).where(Escalation.case == case)
        .order_by(Escalation.occurred_on, Escalation.id)]
    warnings = [WarningInfo(w.given_on, w.means, w.summary, w.recorded_by.name, w.recorded_at)
                for w in PriorWarning.select(PriorWarning, User).join(
                    User, on=(PriorWarning.recorded_by == User.id))
                .where(PriorWarning.case == case).order_by(PriorWarning.given_on)]
    row = NoPriorWarning.get_or_none(NoPriorWarning.case == case)
    without = None if row is None else WithoutWarning(
        _escalation(row.escalation), row.reasons, row.decided_by.name, row.decided_at)
    at_risk = any(e.kind is EscalationKind.RISK_TO_STAFF for e in escalations)
    return ScopeView(escalations, warnings, without, warning_problems(case),
                     settings.current().safe_working_procedure if at_risk else "")


def restrict_without_warning(actor: Actor, reference: str, escalation_id: int,
                             reasons: str) -> int:
    """The CRM's decision that restrictions may come without a prior warning, because the
    behaviour is so extreme that it threatens the health, safety and welfare of staff. It
    rests on one of the case's escalation records, gives reasons, and is confirmed with the
    CRM's own passphrase. Returns the record's id."""
    with atomic():
        require(actor, Capability.RESTRICT_WITHOUT_WARNING)
        case = load_case_for_change(actor, reference)
        state = CaseState(case.state)
        if state not in BEFORE_DECISION:
            raise InvalidTransition(f"the route without prior warning is decided before the "
                                    f"decision to restrict; {case.reference} "
                                    f"{state.in_words}")
        escalation = Escalation.get_or_none((Escalation.id == escalation_id)
                                            & (Escalation.case == case))
        if escalation is None:
            raise NotFound(f"no escalation record {escalation_id} on {case.reference}: "
                           "restricting without prior warning rests on one (police "
                           "involvement, legal action or a risk to staff)")
        earlier = NoPriorWarning.get_or_none(NoPriorWarning.case == case)
        if earlier is not None:
            raise ValidationError("escalation",
                                  f"already decided by {earlier.decided_by.name} on "
                                  f"{in_prose(earlier.decided_at, full_month=True)}")
        text = required_text("reasons", reasons, 5_000)
        problem = without_warning_reasons_problem(text)
        if problem:
            raise ValidationError("reasons", problem)
        info = _escalation(escalation)
        with confirmation.confirmed(actor):
            row = NoPriorWarning.create(case=case, escalation=escalation, reasons=text,
                                        decided_by=actor.user_id, decided_at=clock.now())
            audit.record(actor, "restrict_without_prior_warning", case.reference, text, {
                "escalation": escalation.id, "kind": info.kind.value,
                "occurred_on": info.occurred_on, "reference": info.reference})
            return int(row.id)
