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
    USER_ADMIN = "user_admin"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Role.CRM: "Complaints Resolution Manager",
    Role.OFFICER: "Complaints Resolution Team officer",
    Role.HEAD_OF_SERVICE: "Head of Service, Legal Services Partnership",
    Role.SERVICE_DIRECTOR: "Service Director, Legal & Business Operations (or nominated officer)",
    Role.SERVICE_AREA_MANAGER: "Service area manager",
    Role.USER_ADMIN: "User administrator",
}


@dataclass(frozen=True)
class Actor:
    """The user doing something. Services take one on every call."""

    user_id: int
    login: str
    name: str
    role: Role
    # Service area managers act only for their own service area.
    service_area_id: int | None = None
