"""Users: people, each with one login, one staff identifier and one operating-system
account, whose roles change by audited steps that keep the history. Only the user
administrator manages them, and nobody grants themselves anything."""

from __future__ import annotations

import re
import unicodedata
from contextlib import nullcontext
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from crm_tui import clock
from crm_tui.db.models import AuditEntry, RoleGrant, ServiceArea, User
from crm_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.roles import DECISION_ROLES, Actor, Role
from crm_tui.domain.typed_dates import in_prose, quoted, quoted_cut
from crm_tui.domain.wording import TITLES
from crm_tui.services.core import area_names, audit, audit_roles, confirmation, team_seal
from crm_tui.services.core.database import atomic
from crm_tui.services.core.database_facts import is_synthetic
from crm_tui.services.core.grants import deactivated_by
from crm_tui.services.core.results import UserInfo
from crm_tui.services.core.validation import grounds_text, required_text

if TYPE_CHECKING:
    from crm_tui.services.core.results import RoleHeld

_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_ACCOUNT = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._@$-]{0,63}$")
NOTICE_DAYS = 90  # how long a new holder of a decision role is shown to the others


class UnknownUser(NotFound):
    """The login is not a user of this database."""

    def __init__(self, login: str) -> None:
        super().__init__(
            f"{quoted(login)} is not a user of this database. The user administrator can add "
            f"them with: crm-tui users add {login} --name \"Full Name\" --staff-id ID "
            "--role ROLE --os-account ACCOUNT  (roles: " + ", ".join(r.value for r in Role)
            + ")")
        self.login = login


class DeactivatedUser(UnknownUser):
    """The login is a user of this database whose access was ended: they cannot act."""

    def __init__(self, user: User) -> None:
        NotFound.__init__(self, f"{user.name} ({quoted(user.login)}) was deactivated"
                          f"{deactivated_by(user.login)}: they can no longer use the app, so "
                          "no one can act as them")
        self.login = user.login


def _actor(user: User) -> Actor:
    return Actor(user_id=user.id, login=user.login, name=user.name, role=Role(user.role),
                 service_area_id=user.service_area_id)


def _info(user: User) -> UserInfo:
    # As the trail sealed it (area_names): a name edited in the database is not fact.
    area = area_names.shown_name(user.service_area_id) if user.service_area_id else None
    return UserInfo(user.login, user.name, user.title, Role(user.role), area, user.active,
                    user.staff_id, user.os_account, user.telephone, user.email, int(user.id),
                    None if user.active else _left_at(user))


def _left_at(user: User) -> datetime | None:
    """When an inactive person's access ended: deactivation ends their open grant, so the
    latest end of a grant is the day they left (None on a database with no such record)."""
    ended = (RoleGrant.select(RoleGrant.ended_at).where(
        (RoleGrant.user == user) & RoleGrant.ended_at.is_null(False))
        .order_by(RoleGrant.ended_at.desc()).first())
    return ended.ended_at if ended is not None else None


def resolve_actor(login: str) -> Actor:
    """The Actor for a login, or UnknownUser with instructions for adding them. The caller
    has established that this is who is acting (see `identity`)."""
    user = User.get_or_none(User.login == login.strip().lower())
    if user is None:
        raise UnknownUser(login)
    if not user.active:
        raise DeactivatedUser(user)
    return _actor(user)



def list_users() -> list[UserInfo]:
    """Everyone, each marked if their record was edited outside the app (the demo's picker
    showed the forged role as theirs, v15d N5)."""
    # Ordered by the role the trail gives a person whose record was edited, not the edited
    # one (v15e F6: a forged role moved the person up the list); one with no role given by
    # the trail comes last.
    people = [_marked(_info(u)) for u in User.select().order_by(User.role, User.name)]
    return sorted(people, key=lambda u: (_role_shown(u), u.trail_name or u.name))


def _role_shown(info: UserInfo) -> str:
    if not info.record_edited:
        return info.role.value
    return info.trail_role.value if info.trail_role is not None else "~"


def _marked(info: UserInfo) -> UserInfo:
    if not team_seal.user_not_as_left(info.user_id):
        return info
    given = audit_roles.given_role(info.login)
    role: Role | None = None
    if given is not None and given[0] in {r.value for r in Role}:
        role = Role(given[0])
    return replace(info, record_edited=True, trail_role=role,
                   trail_name=team_seal.sealed_name(info.user_id))


def has_user_admin() -> bool:
    return bool(User.select().where(User.role == Role.USER_ADMIN.value).exists())


def count_users() -> int:
    return int(User.select().count())


def _area_for(role: Role, service_area: str | None) -> ServiceArea | None:
    if role is not Role.SERVICE_AREA_MANAGER:
        return None
    if not service_area:
        raise ValidationError("service_area", "a service area manager needs one")
    area = ServiceArea.get_or_none(ServiceArea.name == service_area)
    if area is None:
        raise ValidationError("service_area", f"unknown service area {quoted_cut(service_area)}")
    return area


def _check_account(os_account: str | None, by: User | None) -> str | None:
    if os_account is None or not os_account.strip():
        return None
    account = os_account.strip()
    if not _ACCOUNT.match(account):
        raise ValidationError("os_account", "is not an operating-system account name")
    if account == "root" and by is not None:
        raise ValidationError("os_account", "root administers the computer: bind people to "
                                            "the accounts they work under")
    if by is not None and by.os_account == account:
        raise PermissionDenied("nobody grants themselves a role: that account is your own")
    holder = User.get_or_none(User.os_account == account)
    if holder is not None:
        raise ValidationError("os_account", f"{quoted(account)} is already bound to {holder.name} "
                                            f"({holder.login}): one account, one person")
    return account


def _grant(user: User, role: Role, area: ServiceArea | None, by: User | None,
           reason: str) -> None:
    RoleGrant.create(user=user, role=role.value, service_area=area, granted_at=clock.now(),
                     granted_by=by, reason=reason)


def _plain(text: str) -> str:
    """A name or staff id as a person would read it: case, spacing and punctuation aside."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _name_key(name: str) -> tuple[str, str]:
    """First and last name, as a person would read them: a middle name or initial, a title,
    an accent or the surname written first ("Ceri M. Hughes", "Dr Ceri Hughes", "Cerí
    Hughes", "Hughes, Ceri" for Ceri Hughes; found when tried) does not make another person."""
    if "," in name:
        last, _, first = name.partition(",")
        name = f"{first} {last}"
    folded = "".join(c for c in unicodedata.normalize("NFKD", name)
                     if not unicodedata.combining(c))
    words = [_plain(w) for w in folded.split()
             if _plain(w) and w.rstrip(".").capitalize() not in TITLES]
    return (words[0], words[-1]) if words else ("", "")


def _same_name(name: str) -> list[User]:
    wanted = _name_key(name)
    return [u for u in User.select() if _name_key(u.name) == wanted]


def _two_roles(name: str, role: Role, user: User | None = None) -> None:
    """Refuse `role` to a login (`user`, or one being added under `name`) when another user of
    the same name holds or has held a different one of the roles that decide on cases (CRM,
    Head of Service, Service Director). Nobody can tell from the record that a namesake is
    another person: were they the same one, their two logins would give them two roles' powers
    over one case — give the Head of Service's view on their own case, or decide the appeal
    against their own decision — as the checks of "took no part" go by the login (issue 15
    AO3: `users add --namesake` gave one person a second login, under another staff id). The
    same role, or one that decides nothing, is not refused."""
    if role not in DECISION_ROLES:
        return
    for other in _same_name(name):
        if user is not None and other.id == user.id:
            continue
        held = {str(other.role)} | {str(g.role) for g in RoleGrant.select(RoleGrant.role)
                                    .where(RoleGrant.user == other)}
        others = [r for r in Role if r in DECISION_ROLES and r.value in held and r is not role]
        if others:
            raise PermissionDenied(
                f"{other.name} ({other.login}, staff id {other.staff_id}) holds or has held "
                f"the role of {others[0].label}; a login of the same name is not given another "
                f"role that decides on cases, as {role.label} is. Were they one person, their two "
                "logins would give them two roles' powers over one case. A different person "
                "of the same name may hold the same role, or one that decides nothing; if "
                f"this is {other.name}, change the role of their one login (users change-role)")


def _same_staff(staff: str) -> User | None:
    wanted = _plain(staff)
    return next((u for u in User.select() if _plain(u.staff_id) == wanted), None)


def add_user(actor: Actor | None, login: str, name: str, role: Role, title: str = "",
             service_area: str | None = None, *, staff_id: str = "",
             os_account: str | None = None, namesake: bool = False) -> UserInfo:
    """Add a person. The user administrator adds everyone, except the very first
    administrator of a database, who adds themselves (actor None) bound to the account they
    run under, given as `os_account`."""
    with atomic():
        by: User | None = None
        if actor is not None:
            require(actor, Capability.MANAGE_USERS)
            by = User.get_by_id(actor.user_id)
        elif User.select().where(User.role == Role.USER_ADMIN.value).exists():
            raise PermissionDenied("only the user administrator adds users")
        elif role is not Role.USER_ADMIN:
            raise ValidationError("role", "the first user of a database is its user "
                                          "administrator (--role user_admin)")
        elif not os_account and not is_synthetic():
            raise ValidationError("os_account", "the first administrator is bound to the "
                                                "account that adds them")
        login = login.strip().lower()
        if not _LOGIN.match(login):
            raise ValidationError("login", "use lower-case letters, digits, '.', '_' or '-'")
        name = required_text("name", name)
        staff = required_text("staff_id", staff_id or "")
        if User.select().where(User.login == login).exists():
            raise ValidationError("login", f"{quoted(login)} is already a user")
        if by is not None and _plain(by.staff_id) == _plain(staff):
            raise PermissionDenied("nobody grants themselves a role: that is your own staff "
                                   "identifier")
        same = _same_staff(staff)
        if same is not None:
            raise ValidationError("staff_id", f"{quoted(staff)} is {same.name} ({same.login}) "
                                              "already: one person has one login")
        account = _check_account(os_account, by)
        # A second record for a person under a new staff id would get round "one person, one
        # login": the same name is refused unless the administrator says it is a namesake.
        namesakes = _same_name(name)
        if by is not None and by in namesakes:
            raise PermissionDenied("nobody grants themselves a role: that is your own name")
        if namesakes and not namesake:
            first = namesakes[0]
            raise ValidationError("name", f"{first.name} is already a user ({first.login}, "
                                          f"staff id {first.staff_id}). One person has one "
                                          "login; if this is a different person of the same "
                                          "name, say so (--namesake)")
        if namesakes:
            _two_roles(name, role)
        area = _area_for(role, service_area)
        # The first administrator adds themselves (the database's first fact, bound to their
        # account); every later change is confirmed with the administrator's own key.
        with confirmation.confirmed(actor) if actor is not None else nullcontext():
            user = User.create(login=login, name=name, title=title.strip(), role=role.value,
                               service_area=area, staff_id=staff, os_account=account)
            _grant(user, role, area, by, "added")
            audit.record(actor or _actor(user), "add_user",
                         payload={"login": login, "role": role.value, "staff_id": staff,
                                  "os_account": account, "service_area": service_area,
                                  "namesake_of": [u.login for u in namesakes]})
        return _info(user)


def _managed(actor: Actor, login: str) -> User:
    require(actor, Capability.MANAGE_USERS)
    user = User.get_or_none(User.login == login.strip().lower())
    if user is None:
        raise UnknownUser(login)
    if user.id == actor.user_id:
        raise PermissionDenied("nobody changes their own role, account or access")
    if user in _same_name(User.get_by_id(actor.user_id).name):
        # A namesake may be the administrator under another login (issue 15 AO3).
        raise PermissionDenied(f"{user.name} has your name: another user administrator "
                               "changes their role, account or access (nobody changes "
                               "their own)")
    return user


def change_role(actor: Actor, login: str, role: Role, reason: str,
                service_area: str | None = None) -> UserInfo:
    """Give a person another role; the role they held is ended, and kept in the history."""
    with atomic():
        user = _managed(actor, login)
        why = grounds_text("reason", reason)
        if not user.active:
            raise ValidationError("login", f"{user.name} is not an active user")
        if role.value == user.role and role is not Role.SERVICE_AREA_MANAGER:
            raise ValidationError("role", f"{user.name} already holds that role")
        area = _area_for(role, service_area)
        _two_roles(user.name, role, user)
        with confirmation.confirmed(actor):
            RoleGrant.update(ended_at=clock.now()).where(
                (RoleGrant.user == user) & RoleGrant.ended_at.is_null()).execute()
            was = user.role
            user.role, user.service_area = role.value, area
            user.save()
            _grant(user, role, area, User.get_by_id(actor.user_id), why)
            audit.record(actor, "change_role", reason=why,
                         payload={"login": user.login, "from": was, "to": role.value,
                                  "service_area": service_area})
        return _info(user)


def deactivate(actor: Actor, login: str, reason: str) -> UserInfo:
    """End a person's access; their record and history stay for the audit trail."""
    with atomic():
        user = _managed(actor, login)
        why = grounds_text("reason", reason)
        if not user.active:
            raise ValidationError("login", f"{user.name} is already inactive")
        with confirmation.confirmed(actor):
            user.active = False
            user.save()
            RoleGrant.update(ended_at=clock.now()).where(
                (RoleGrant.user == user) & RoleGrant.ended_at.is_null()).execute()
            audit.record(actor, "deactivate_user", reason=why, payload={"login": user.login})
        return _info(user)


def reactivate(actor: Actor, login: str, reason: str) -> UserInfo:
    """Give a person who left their access back, in the role they held (a new grant)."""
    with atomic():
        user = _managed(actor, login)
        why = grounds_text("reason", reason)
        if user.active:
            raise ValidationError("login", f"{user.name} is already active")
        _two_roles(user.name, Role(user.role), user)
        with confirmation.confirmed(actor):
            user.active = True
            user.save()
            _grant(user, Role(user.role), user.service_area, User.get_by_id(actor.user_id), why)
            audit.record(actor, "reactivate_user", reason=why, payload={"login": user.login})
        return _info(user)


def bind_account(actor: Actor, login: str, os_account: str, reason: str) -> UserInfo:
    """Bind a person to the operating-system account they work under (for users made before
    accounts were recorded, or after a change of account)."""
    with atomic():
        user = _managed(actor, login)
        why = grounds_text("reason", reason)
        account = _check_account(os_account, User.get_by_id(actor.user_id))
        if account is None:
            raise ValidationError("os_account", "is required")
        with confirmation.confirmed(actor):
            was = user.os_account
            user.os_account = account
            user.save()
            audit.record(actor, "bind_account", reason=why,
                         payload={"login": user.login, "from": was, "to": account})
        return _info(user)


def show(login: str) -> tuple[UserInfo, list[RoleHeld]]:
    """A person and every role they have held."""
    from crm_tui.services.core.results import RoleHeld  # made when first asked for

    user = User.get_or_none(User.login == login.strip().lower())
    if user is None:
        raise UnknownUser(login)
    grants = (RoleGrant.select().where(RoleGrant.user == user)
              .order_by(RoleGrant.granted_at, RoleGrant.id))
    return _info(user), [
        RoleHeld(Role(g.role), g.service_area.name if g.service_area else None, g.granted_at,
                 g.granted_by.login if g.granted_by else None, g.ended_at, g.reason)
        for g in grants]


def decision_role_notices(actor: Actor) -> list[str]:
    """For a holder of a decision role: the other people given such a role lately, and by
    whom — they are best placed to notice one that should not have been given."""
    if actor.role not in DECISION_ROLES:
        return []
    since = clock.now() - timedelta(days=NOTICE_DAYS)
    grants = (RoleGrant.select().where(
        (RoleGrant.granted_at >= since) & (RoleGrant.user != actor.user_id)
        & (RoleGrant.role.in_([r.value for r in DECISION_ROLES]))
        & RoleGrant.granted_by.is_null(False))
        .order_by(RoleGrant.granted_at.desc()))
    notices = []
    for g in grants:
        others = [u.login for u in _same_name(g.user.name) if u.id != g.user_id]
        alike = f" (the same name as {', '.join(others)})" if others else ""
        # A holder who has since left is named as such: the notice is read as who holds the
        # role now (b15d F2).
        left = ""
        if not g.user.active:
            gone = _left_at(g.user)
            left = ("; has since left: access ended on "
                    f"{in_prose(gone, full_month=True)}" if gone is not None
                    else "; has since left: access ended")
        notices.append(f"{g.user.name} ({g.user.login}){alike} became {Role(g.role).label} on "
                       f"{in_prose(g.granted_at, full_month=True)}, granted by "
                       f"{g.granted_by.name if g.granted_by is not None else ''}{left}")
    return notices


def took_part_as(user_id: int, reference: str, roles: frozenset[Role]) -> bool:
    """Whether the person acted on the case in any of these roles (by the audit trail, which
    records the role each step was taken in)."""
    user = User.get_or_none(User.id == user_id)
    return user is not None and AuditEntry.select().where(
        (AuditEntry.case_reference == reference) & (AuditEntry.actor_login == user.login)
        & (AuditEntry.actor_role.in_([r.value for r in roles]))).exists()


def ensure_service_areas(names: tuple[str, ...]) -> None:
    """Make sure the configured service areas exist (configuration may add new ones)."""
    if set(names) <= {a.name for a in ServiceArea.select()}:
        return  # as on nearly every start: nothing to write, so no wait for the write lock
    with atomic():
        existing = {a.name for a in ServiceArea.select()}
        for name in names:
            if name not in existing:
                ServiceArea.create(name=name)
