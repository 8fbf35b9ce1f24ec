"""Plain dataclasses the services return: screens never hold database rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from crm_tui.domain.roles import Role


@dataclass(frozen=True)
class UserInfo:
    login: str
    name: str
    title: str
    role: Role
    service_area: str | None
    active: bool
    staff_id: str = ""
    os_account: str | None = None
    telephone: str = ""  # direct line, given in letters naming this person as a contact
    email: str = ""
    user_id: int = 0
    # When an inactive person's access ended (their last role's end): screens say since when.
    left_at: datetime | None = None
    # Their user record not as the team's seal left it (edited in the database): `role` is
    # then what the edited row claims, never shown as theirs; `trail_role` is the role the
    # trail gave them (None if it gave none).
    record_edited: bool = False
    trail_role: Role | None = None
    # With record_edited, the name the trail's seal last recorded for them (None if no seal
    # records names): `name` is then what the edited row reads, never said as theirs alone.
    trail_name: str | None = None


# Made when first imported from here (summaries.py): not on the way to the painted inbox.
_LATER = ("CaseSummary", "DashboardCounts", "RoleHeld")

if TYPE_CHECKING:
    from crm_tui.services.core.summaries import CaseSummary as CaseSummary
    from crm_tui.services.core.summaries import DashboardCounts as DashboardCounts
    from crm_tui.services.core.summaries import RoleHeld as RoleHeld


def __getattr__(name: str) -> Any:
    if name not in _LATER:
        raise AttributeError(f"module {__name__} has no attribute {name}")
    from crm_tui.services.core import summaries

    made = globals()[name] = getattr(summaries, name)
    return made
