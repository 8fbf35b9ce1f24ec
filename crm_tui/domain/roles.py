"""Who uses the app, in the policy's words."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    CRM = "crm"
    OFFICER = "officer"
    HEAD_OF_SERVICE = "head_of_service"
    SERVICE_DIRECTOR = "service_director"
    SERVICE_AREA_MANAGER = "service_area_manager"
    # Manages users and roles and acts on no case: whoever grants roles takes no decisions.
    USER_ADMIN = "user_admin"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def short_label(self) -> str:
        """The role in the policy's short words, where the full title does not fit."""
        return _SHORT_LABELS[self]


_LABELS = {
    Role.CRM: "Complaints Resolution Manager",
    Role.OFFICER: "Complaints Resolution Team officer",
    Role.HEAD_OF_SERVICE: "Head of Service, Legal Services Partnership",
    Role.SERVICE_DIRECTOR: "Service Director, Legal & Business Operations (or nominated officer)",
    Role.SERVICE_AREA_MANAGER: "Service area manager",
    Role.USER_ADMIN: "User administrator",
}

# Every role has one: at 80x24 the header dropped the user administrator's role whole, with
# the name uncut, where the CRM's was shortened (v15c m6).
_SHORT_LABELS = {
    Role.CRM: "CRM",
    Role.OFFICER: "Team officer",
    Role.HEAD_OF_SERVICE: "Head of Service",
    Role.SERVICE_DIRECTOR: "Service Director",
    Role.SERVICE_AREA_MANAGER: "Area manager",
    Role.USER_ADMIN: "User admin",
}

# Roles whose holders take or give the decisions the policy guards: a new holder is shown to
# the others, who are best placed to notice a grant that should not have been made.
DECISION_ROLES = frozenset({Role.CRM, Role.HEAD_OF_SERVICE, Role.SERVICE_DIRECTOR})


@dataclass(frozen=True)
class Actor:
    """The user doing something. Services take one on every call."""

    user_id: int
    login: str
    name: str
    role: Role
    # Service area managers act only for their own service area.
    service_area_id: int | None = None
