"""Who may do the things that are not steps in a case's life."""

from __future__ import annotations

from enum import StrEnum

from crm_tui.domain.errors import PermissionDenied
from crm_tui.domain.roles import Actor, Role


class Capability(StrEnum):
    MANAGE_USERS = "manage users"
    DRAFT_RESTRICTIONS = "draft restrictions"
    LOG_CONTACTS = "log contacts"
    WEIGH_EVIDENCE = "tag and link evidence"
    ASSIGN_CASES = "assign cases"
    VERIFY_AUDIT = "verify the audit trail"
    SCREEN_POST = "screen post filed without reply"


_ROLES: dict[Capability, frozenset[Role]] = {
    Capability.MANAGE_USERS: frozenset({Role.USER_ADMIN}),
    # The Service Director sets out amended restrictions when amending on appeal.
    Capability.DRAFT_RESTRICTIONS: frozenset({Role.CRM, Role.OFFICER, Role.SERVICE_DIRECTOR}),
    Capability.LOG_CONTACTS: frozenset({Role.CRM, Role.OFFICER, Role.SERVICE_AREA_MANAGER}),
    Capability.ASSIGN_CASES: frozenset({Role.CRM, Role.OFFICER}),
    # The Complaints Resolution Team weighs the evidence it will decide on.
    Capability.WEIGH_EVIDENCE: frozenset({Role.CRM, Role.OFFICER}),
    Capability.VERIFY_AUDIT: frozenset(Role),
    # Reading what a restriction files without reply, and deciding it needs none, is the
    # independent team's work (domain.screening says why not the service area manager).
    Capability.SCREEN_POST: frozenset({Role.CRM, Role.OFFICER}),
}


def can(actor: Actor, capability: Capability) -> bool:
    return actor.role in _ROLES[capability]


def require(actor: Actor, capability: Capability) -> None:
    if not can(actor, capability):
        raise PermissionDenied(f"{actor.role.label} may not {capability.value}")


def may_see_service_area(actor: Actor, service_area_id: int) -> bool:
    """Service area managers see their own area's cases only; everyone else sees all."""
    if actor.role is Role.USER_ADMIN:
        return False  # the user administrator acts on, and reads, no case
    return actor.role is not Role.SERVICE_AREA_MANAGER or actor.service_area_id == service_area_id
