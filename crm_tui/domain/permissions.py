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
    RECORD_ESCALATIONS = "record police involvement, legal action or a risk to staff"
    RECORD_WARNINGS = "record a warning given to the customer"
    RESTRICT_WITHOUT_WARNING = "decide to restrict without a prior warning"
    SCREEN_POST = "screen post filed without reply"
    # Every case in a session ends in an outcome only the CRM decides (continue, lift, extend).
    HOLD_REVIEW_SESSIONS = "hold review sessions: only the Complaints Resolution Manager " \
        "decides a review's outcome"
    RECORD_CUSTOMER_DETAILS = "record how the customer is addressed and the language and print " \
        "size they need"
    SUBJECT_ACCESS = "export everything held about a person (a subject access request)"
    ENCRYPT_DATABASE = "encrypt or decrypt the database"
    MIGRATE_DATABASE = "move the database to a server"


_ROLES: dict[Capability, frozenset[Role]] = {
    Capability.MANAGE_USERS: frozenset({Role.USER_ADMIN}),
    # The Service Director sets out amended restrictions when amending on appeal.
    Capability.DRAFT_RESTRICTIONS: frozenset({Role.CRM, Role.OFFICER, Role.SERVICE_DIRECTOR}),
    Capability.LOG_CONTACTS: frozenset({Role.CRM, Role.OFFICER, Role.SERVICE_AREA_MANAGER}),
    Capability.ASSIGN_CASES: frozenset({Role.CRM, Role.OFFICER}),
    Capability.HOLD_REVIEW_SESSIONS: frozenset({Role.CRM}),
    # The Complaints Resolution Team weighs the evidence it will decide on.
    Capability.WEIGH_EVIDENCE: frozenset({Role.CRM, Role.OFFICER}),
    Capability.VERIFY_AUDIT: frozenset(Role),
    # Those who deal with the customer: the service area (their own area only) and the team.
    Capability.RECORD_ESCALATIONS: frozenset({Role.CRM, Role.OFFICER,
                                              Role.SERVICE_AREA_MANAGER}),
    Capability.RECORD_WARNINGS: frozenset({Role.CRM, Role.OFFICER, Role.SERVICE_AREA_MANAGER}),
    # "Formal restrictions can only be imposed by the CRM": so is the route without warning.
    Capability.RESTRICT_WITHOUT_WARNING: frozenset({Role.CRM}),
    # Reading what a restriction files without reply, and deciding it needs none, is the
    # independent team's work (domain.screening says why not the service area manager).
    Capability.SCREEN_POST: frozenset({Role.CRM, Role.OFFICER}),
    # Those who write to the customer or deal with them.
    Capability.RECORD_CUSTOMER_DETAILS: frozenset({Role.CRM, Role.OFFICER,
                                                   Role.SERVICE_AREA_MANAGER}),
    # The Complaints Resolution Team holds the files and answers for them.
    Capability.SUBJECT_ACCESS: frozenset({Role.CRM, Role.OFFICER}),
    # Who answers for the files (the CRM) or for the system (the user administrator).
    Capability.ENCRYPT_DATABASE: frozenset({Role.CRM, Role.USER_ADMIN}),
    # Moving every file's personal data to a server: the same two, and no one else.
    Capability.MIGRATE_DATABASE: frozenset({Role.CRM, Role.USER_ADMIN}),
}


def can(actor: Actor, capability: Capability) -> bool:
    return actor.role in _ROLES[capability]


def require(actor: Actor, capability: Capability, doing: str = "") -> None:
    """`doing`: the step refused, in words ("record a further enquiry"), where the
    capability's own words ("assign cases") would name another step than the one taken."""
    if not can(actor, capability):
        if not doing:
            raise PermissionDenied(f"{actor.role.label} may not {capability.value}")
        allowed = " or ".join(sorted(r.label for r in _ROLES[capability]))
        raise PermissionDenied(f"{actor.role.label} may not {doing}; only the {allowed} may.")

