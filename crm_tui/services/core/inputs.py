"""What a user gives a service: plain dataclasses, validated by the service."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.dates import ReviewPeriodReason
from crm_tui.domain.equality import ContactNeed
from crm_tui.domain.escalations import EscalationKind
from crm_tui.domain.restrictions import RestrictionKind


@dataclass(frozen=True)
class CustomerInput:
    name: str
    address: tuple[str, ...] = ()
    postcode: str = ""
    email: str = ""
    telephone: str = ""
    personal_circumstances: str = ""
    reasonable_adjustments: str = ""
    contact_needs: tuple[ContactNeed, ...] = ()  # the adjustments the equality check reads
    reference: str = ""  # an existing customer's reference; blank for a new customer
    # Said by the person saving when customers on record were likely the same person
    # (services/intake/customer_matches.py): a new customer all the same, or the customer
    # `reference` chosen from the likely matches (the details typed kept for the audit).
    new_person: bool = False
    same_as_match: bool = False


@dataclass(frozen=True)
class LocalResolutionInput:
    written_on: date
    written_summary: str
    monitoring_start: date
    monitoring_end: date
    spoc_name: str = ""  # legacy: typed; a single point of contact is now chosen (`spoc`)
    contact_frequency: str = ""  # a domain.wording.ContactFrequency value, or ""
    communication_style: str = ""
    # The written communication told the customer that continuing may lead to restrictions.
    warned: bool = False
    # The concerns as the customer is told them (second person); written_summary is internal.
    customer_summary: str = ""
    spoc: str = ""  # login of the user who is the single point of contact


@dataclass(frozen=True)
class EscalationInput:
    """An extreme case: police involvement, legal action or a risk to staff."""

    kind: EscalationKind
    occurred_on: date
    note: str
    reference: str = ""  # crime, incident or legal reference


@dataclass(frozen=True)
class ReferralInput:
    referred_by: str  # login of the referring manager
    received_on: date
    behaviour_details: str
    categories: tuple[BehaviourCategory, ...] = ()
    other_departments: str = ""
    no_local_resolution_reason: str = ""
    other_behaviour: str = ""  # what "Other" is, when it is ticked
    escalation: EscalationInput | None = None  # the extreme case behind skipping local resolution


@dataclass(frozen=True)
class RestrictionDraft:
    kind: RestrictionKind
    parameters: dict[str, Any]
    reason: str
    proportionality: str
    evidence_note: str = ""
    less_restrictive_considered: str = ""
    still_reachable: str = ""
    behaviours: tuple[BehaviourCategory, ...] = ()  # the policy's behaviours it answers
    # Why, as the decision letter tells the customer (second person); `reason` is internal.
    customer_reason: str = ""


@dataclass(frozen=True)
class DecisionTerms:
    """When restrictions start and end and when they are reviewed."""

    starts_on: date
    ends_on: date
    review_due: date | None = None  # None: the configured yearly period
    review_period_reason: ReviewPeriodReason | None = None
    review_period_note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
