"""Users and the acting user."""

from __future__ import annotations

import re

from crm_tui.db.models import ServiceArea, User
from crm_tui.domain.errors import NotFound, ValidationError
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.roles import Actor, Role
from crm_tui.services.core import audit
from crm_tui.services.core.database import atomic
from crm_tui.services.core.results import UserInfo

_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


class UnknownUser(NotFound):
    """The login is not a user of this database."""

    def __init__(self, login: str) -> None:
        super().__init__(
            f"'{login}' is not a user of this database. A Complaints Resolution Manager can "
            f"add them with: crm-tui users add {login} --name \"Full Name\" --role officer "
            "--by THEIR_LOGIN  (roles: " + ", ".join(r.value for r in Role) + ")")
        self.login = login


def _actor(user: User) -> Actor:
    return Actor(user_id=user.id, login=user.login, name=user.name, role=Role(user.role),
                 service_area_id=user.service_area_id)


def _info(user: User) -> UserInfo:
    area = user.service_area.name if user.service_area is not None else None
    return UserInfo(user.login, user.name, user.title, Role(user.role), area, user.active)


def resolve_actor(login: str) -> Actor:
    """The Actor for a login, or UnknownUser with instructions for adding them."""
    user = User.get_or_none((User.login == login.strip().lower()) & (User.active == True))  # noqa: E712
    if user is None:
        raise UnknownUser(login)
    return _actor(user)


def list_users() -> list[UserInfo]:
    return [_info(u) for u in User.select().order_by(User.role, User.name)]


def count_users() -> int:
    return int(User.select().count())


def add_user(actor: Actor | None, login: str, name: str, role: Role, title: str = "",
             service_area: str | None = None) -> UserInfo:
    """Add a user. Only a CRM may, except for the very first user of a new database."""
    with atomic():
        if actor is not None:
            require(actor, Capability.MANAGE_USERS)
        elif User.select().exists():
            raise ValidationError("by", "name the CRM adding this user (--by LOGIN)")
        login = login.strip().lower()
        if not _LOGIN.match(login):
            raise ValidationError("login", "use lower-case letters, digits, '.', '_' or '-'")
        if not name.strip():
            raise ValidationError("name", "is required")
        if User.select().where(User.login == login).exists():
            raise ValidationError("login", f"'{login}' is already a user")
        area = None
        if role is Role.SERVICE_AREA_MANAGER:
            if not service_area:
                raise ValidationError("service_area", "a service area manager needs one")
            area = ServiceArea.get_or_none(ServiceArea.name == service_area)
            if area is None:
                raise ValidationError("service_area", f"unknown service area '{service_area}'")
        user = User.create(login=login, name=name.strip(), title=title.strip(), role=role.value,
                           service_area=area)
        audit.record(actor, "add_user", payload={"login": login, "role": role.value})
        return _info(user)


def ensure_service_areas(names: tuple[str, ...]) -> None:
    """Make sure the configured service areas exist (configuration may add new ones)."""
    with atomic():
        existing = {a.name for a in ServiceArea.select()}
        for name in names:
            if name not in existing:
                ServiceArea.create(name=name)
