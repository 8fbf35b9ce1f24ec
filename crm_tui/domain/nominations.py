"""Nominated officers. The policy: appeals are determined by the Service Director, Legal &
Business Operations, "or nominated officer". The Service Director records each nomination — a
person, for one case or for a period — and may revoke it; only the Service Director, or a
person whose nomination covers the case on the day, decides an appeal, and never someone who
took part in the decision appealed against.

Who may be nominated, and why the others may not:
- not the user administrator: whoever grants roles takes no decisions, and acts on no case;
- not a Complaints Resolution Manager: the CRM takes the decisions that are appealed;
- not a Complaints Resolution Team officer: the team prepares those decisions, and an officer
  decides nothing;
- not a service area manager: they refer their own area's cases, and see no other area's;
- not a Service Director: they decide appeals already, without a nomination;
- so, in this app, a person of the Head of Service's standing — and even then not on a case
  they took part in (checked by person, over every role they have held on the case)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from crm_tui.domain.roles import Role
from crm_tui.domain.typed_dates import in_prose

# A period nomination is renewed, not left standing: at most a year at a time.
LONGEST_PERIOD = timedelta(days=366)

NOT_NOMINABLE: dict[Role, str] = {
    Role.USER_ADMIN: "the user administrator manages users and acts on no case, and whoever "
                     "grants roles takes no decisions",
    Role.CRM: "the Complaints Resolution Manager takes the decisions that are appealed against",
    Role.OFFICER: "a Complaints Resolution Team officer prepares the decisions that are "
                  "appealed against, and decides nothing",
    Role.SERVICE_AREA_MANAGER: "a service area manager refers their own area's cases and acts "
                               "for that area only",
    Role.SERVICE_DIRECTOR: "the Service Director decides appeals already, without a nomination",
}
# The roles a person deciding an appeal can hold: the Service Director's, and a nominee's.
APPEAL_DECIDERS = frozenset(Role) - (frozenset(NOT_NOMINABLE) - {Role.SERVICE_DIRECTOR})


def why_not_nominable(role: Role) -> str | None:
    """Why a holder of this role may not be nominated to decide appeals; None if they may."""
    return NOT_NOMINABLE.get(role)


@dataclass(frozen=True)
class Cover:
    """What a nomination covers: one case (case_id), or every case between two dates."""

    case_id: int | None
    valid_from: date | None
    valid_until: date | None
    revoked_on: date | None = None

    def covers(self, case_id: int, day: date) -> bool:
        if self.revoked_on is not None and self.revoked_on <= day:
            return False
        if self.case_id is not None:
            return self.case_id == case_id
        return (self.valid_from is not None and self.valid_until is not None
                and self.valid_from <= day <= self.valid_until)

    def describe(self, case_reference: str = "") -> str:
        if self.case_id is not None:
            return f"the appeal on {case_reference}" if case_reference else "one case"
        if self.valid_from is None or self.valid_until is None:
            return "nothing"
        return (f"every appeal decided from {in_prose(self.valid_from, full_month=True)} to "
                f"{in_prose(self.valid_until, full_month=True)}")


def start_problem(valid_from: date, today: date) -> tuple[str, str] | None:
    """(field, message) if a nomination's period starts before the day it is made."""
    if valid_from < today:
        return "valid_from", (f"{valid_from:%d/%m/%Y} is before today ({today:%d/%m/%Y}): a "
                              "nomination cannot start before the day it is made")
    return None


def check_period(valid_from: date, valid_until: date, today: date) -> tuple[str, str] | None:
    """(field, message) if a nomination's period is not one a Service Director can record."""
    if valid_until < valid_from:
        return "valid_until", "the period ends before it starts"
    if valid_until < today:
        return "valid_until", "the period has already ended"
    if valid_until - valid_from > LONGEST_PERIOD:
        return "valid_until", ("a nomination for a period lasts a year at most: renew it when "
                               "it ends")
    return None
