"""Nominated officers: the Service Director records who may decide appeals in their place —
a person, for one case or for a period — with a reason, confirmed with their own passphrase
and audited; and may revoke a nomination. Who may be nominated is set out in
`crm_tui.domain.nominations`; independence is checked again when the appeal is decided."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from crm_tui import clock
from crm_tui.db.models import Case, Nomination, User
from crm_tui.domain.errors import (
    NotFound,
    NotKnown,
    PermissionDenied,
    ValidationError,
    raise_all,
)
from crm_tui.domain.nominations import Cover, check_period, start_problem, why_not_nominable
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.typed_dates import in_prose, quoted
from crm_tui.services.core import audit, confirmation, independence, scope
from crm_tui.services.core.appeal_window import appealable_decision
from crm_tui.services.core.case_steps import load_case
from crm_tui.services.core.database import atomic
from crm_tui.services.core.validation import grounds_text


@dataclass(frozen=True)
class NominationInfo:
    id: int
    nominee_login: str
    nominee: str
    nominated_by: str
    nominated_at: datetime
    case_reference: str  # "" for a period
    valid_from: date | None
    valid_until: date | None
    reason: str
    revoked_at: datetime | None = None
    revoked_by: str = ""
    revoke_reason: str = ""

    @property
    def covers(self) -> str:
        start, end = self.valid_from, self.valid_until
        if self.case_reference or start is None or end is None:  # a period has both ends
            return f"the appeal on {self.case_reference}"
        return (f"appeals decided from {in_prose(start, full_month=True)} to "
                f"{in_prose(end, full_month=True)}")

    def status(self, today: date) -> str:
        if self.revoked_at is not None:
            return f"revoked on {in_prose(self.revoked_at, full_month=True)}"
        if self.valid_until is not None and self.valid_until < today:
            return f"ended on {in_prose(self.valid_until, full_month=True)}"
        if self.valid_from is not None and self.valid_from > today:
            return f"from {in_prose(self.valid_from, full_month=True)}"
        return "in force"

    @property
    def line(self) -> str:
        """One sentence: who, for what, by whom and when."""
        return (f"{self.nominee} ({self.nominee_login}), for {self.covers}, nominated by "
                f"{self.nominated_by} on {in_prose(self.nominated_at, full_month=True)}")


def _reference(row: Nomination) -> str:
    return str(row.case.reference) if row.case is not None else ""


def info(row: Nomination) -> NominationInfo:
    return NominationInfo(
        int(row.id), row.nominee.login, row.nominee.name, row.nominated_by.name,
        row.nominated_at, _reference(row),
        row.valid_from, row.valid_until, row.reason, row.revoked_at,
        row.revoked_by.name if row.revoked_by is not None else "", row.revoke_reason)


def cover(row: Nomination) -> Cover:
    return Cover(row.case_id, row.valid_from, row.valid_until,
                 row.revoked_at.date() if row.revoked_at is not None else None)


def _require_director(actor: Actor, what: str) -> None:
    if actor.role is not Role.SERVICE_DIRECTOR:
        raise PermissionDenied(f"{actor.role.label} may not {what}; only the Service Director, "
                               "Legal & Business Operations may.")


def covering(case: Case, day: date | None = None) -> list[Nomination]:
    """The nominations that cover this case on the day (today unless given), whose nominee is
    still an active user in a role that may be nominated."""
    when = day or clock.today()
    rows = (Nomination.select().join(User, on=(Nomination.nominee == User.id))
            .where(((Nomination.case == case) | Nomination.case.is_null())
                   & (User.active == True))  # noqa: E712
            .order_by(Nomination.nominated_at, Nomination.id))
    return [r for r in rows if cover(r).covers(case.id, when)
            and why_not_nominable(Role(r.nominee.role)) is None]


@dataclass(frozen=True)
class Candidate:
    """A person who may be nominated: their login, their name, and "name, role" for a list."""

    login: str
    name: str
    label: str


def candidates() -> list[Candidate]:
    """The active people who may be nominated."""
    rows = User.select().where(User.active == True).order_by(User.name)  # noqa: E712
    return [Candidate(u.login, u.name, f"{u.name}, {Role(u.role).label}") for u in rows
            if why_not_nominable(Role(u.role)) is None]


def _nominee(login: str) -> User:
    user = User.get_or_none(User.login == login.strip().lower())
    if user is None:
        raise NotKnown("nominee", f"{quoted(login)} is not a user of this database")
    if not user.active:
        raise ValidationError("nominee", f"{user.name} is not an active user")
    why = why_not_nominable(Role(user.role))
    if why:
        raise ValidationError("nominee", f"{user.name} cannot be nominated: {why}")
    return user


def _already(user: User, case: Case | None, start: date | None, end: date | None) -> None:
    live = Nomination.select().where((Nomination.nominee == user)
                                     & Nomination.revoked_at.is_null())
    for row in live:
        if case is not None and row.case_id == case.id:
            raise ValidationError("nominee", f"{user.name} is already nominated for the appeal "
                                             f"on {case.reference} (nomination {row.id})")
        if (case is None and start is not None and end is not None
                and row.valid_from is not None and row.valid_until is not None
                and row.valid_from <= end and start <= row.valid_until):
            raise ValidationError("valid_from", f"{user.name} is already nominated from "
                                                f"{in_prose(row.valid_from, full_month=True)} to "
                                                f"{in_prose(row.valid_until, full_month=True)} "
                                                f"(nomination {row.id})")


def nominate(actor: Actor, nominee_login: str, reason: str, *,
             case_reference: str | None = None, valid_from: date | None = None,
             valid_until: date | None = None) -> NominationInfo:
    """The Service Director nominates a person to decide appeals: on one case, or on any case
    from one date to another. Confirmed with the Service Director's passphrase."""
    with atomic():
        _require_director(actor, "nominate an officer to decide appeals")
        # Every problem of the form at once: the nominee, the why and the period together.
        found: list[ValidationError] = []
        user: User | None = None
        try:
            user = _nominee(nominee_login)
        except ValidationError as exc:
            found.append(exc)
        why = ""
        try:
            why = grounds_text("reason", reason)
        except ValidationError as exc:
            found.append(exc)
        case: Case | None = None
        today = clock.today()
        if case_reference and case_reference.strip():
            if valid_from is not None or valid_until is not None:
                found.append(ValidationError("valid_from", "a nomination is for one case or "
                                                           "for a period, not both"))
            try:
                case = load_case(actor, case_reference)
            except NotKnown as exc:  # told with the rest (a case out of scope is refused)
                found.append(exc)
            if case is not None and user is not None and user.id in independence.participants(
                    case, appealable_decision(case)):
                found.append(ValidationError("nominee", f"{user.name} took part in the "
                                                        f"decision on {case.reference} and "
                                                        "cannot decide its appeal"))
        elif valid_from is None or valid_until is None:
            found.append(ValidationError("valid_from", "a nomination is for one case (its "
                                                       "reference) or for a period (from and "
                                                       "to)"))
        else:
            for problem in (start_problem(valid_from, today),
                            check_period(valid_from, valid_until, today)):
                if problem:
                    found.append(ValidationError(*problem))
        raise_all(found)
        assert user is not None  # refused above when there is none
        _already(user, case, valid_from, valid_until)
        with confirmation.confirmed(actor):
            row = Nomination.create(nominee=user, nominated_by=actor.user_id,
                                    nominated_at=clock.now(), case=case, valid_from=valid_from,
                                    valid_until=valid_until, reason=why)
            audit.record(actor, "nominate_appeal_officer", case.reference if case else "", why,
                         {"nomination": row.id, "nominee": user.login,
                          "nominee_staff_id": user.staff_id, "valid_from": valid_from,
                          "valid_until": valid_until})
        return info(Nomination.get_by_id(row.id))


def revoke(actor: Actor, nomination_id: int, reason: str) -> NominationInfo:
    """The Service Director revokes a nomination: from now it covers nothing. Appeals already
    decided under it keep their record."""
    with atomic():
        _require_director(actor, "revoke a nomination")
        row = Nomination.get_or_none(Nomination.id == nomination_id)
        if row is None:
            raise NotFound(f"no nomination {nomination_id}")
        why = grounds_text("reason", reason)
        if row.revoked_at is not None:
            raise ValidationError("nomination", f"nomination {nomination_id} was already revoked "
                                                f"on {in_prose(row.revoked_at, full_month=True)}")
        with confirmation.confirmed(actor):
            row.revoked_at, row.revoked_by_id, row.revoke_reason = clock.now(), actor.user_id, why
            row.save()
            audit.record(actor, "revoke_nomination", _reference(row), why,
                         {"nomination": row.id, "nominee": row.nominee.login})
        return info(row)


def list_nominations(actor: Actor, reference: str | None = None, *,
                     current_only: bool = False) -> list[NominationInfo]:
    """Nominations, newest first: all, or those that concern one case (its own and every
    period one). A service area manager sees their own area's cases' only; the user
    administrator, who acts on no case, sees the periods only."""
    query = Nomination.select().order_by(Nomination.nominated_at.desc(), Nomination.id.desc())
    case = load_case(actor, reference) if reference else None
    if case is not None:
        query = query.where((Nomination.case == case) | Nomination.case.is_null())
    today = clock.today()
    rows = [r for r in query if r.case is None
            or scope.may_see(actor, r.case)]
    if current_only:
        rows = [r for r in rows if r.revoked_at is None
                and (r.valid_until is None or r.valid_until >= today)]
    return [info(r) for r in rows]
