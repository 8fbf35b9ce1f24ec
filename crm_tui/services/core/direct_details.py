"""People's direct telephone and email: a letter that names someone as the customer's
single point of contact or named officer gives the customer these."""

from __future__ import annotations

from dataclasses import dataclass

from crm_tui.db.models import User
from crm_tui.domain.errors import PermissionDenied
from crm_tui.domain.permissions import Capability, can
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.wording import email_address, reachable_problem, uk_telephone
from crm_tui.services.core import audit
from crm_tui.services.core.database import atomic
from crm_tui.services.core.users import UnknownUser


@dataclass(frozen=True)
class Contactable:
    """A person who may be named to a customer, with the details a letter gives."""

    user_id: int
    login: str
    name: str
    title: str
    telephone: str
    email: str

    @property
    def reachable(self) -> bool:
        return not reachable_problem(self.name, self.telephone, self.email, as_what="contact")

    @property
    def label(self) -> str:
        """As a menu lists them: name, title, and the details a letter would give."""
        details = ", ".join(d for d in (self.telephone, self.email) if d) or \
            "no direct telephone or email"
        title = f", {self.title}" if self.title else ""
        return f"{self.name}{title} ({details})"


def _contactable(user: User) -> Contactable:
    return Contactable(int(user.id), user.login, user.name, user.title, user.telephone,
                       user.email)


def set_direct_details(actor: Actor, login: str, telephone: str, email: str) -> Contactable:
    """Record a person's direct telephone and email (blank clears one). The user
    administrator sets anyone's; each person may set their own. Both are checked for shape:
    a UK telephone number, an email address."""
    with atomic():
        user = User.get_or_none(User.login == login.strip().lower())
        if user is None:
            raise UnknownUser(login)
        if user.id != actor.user_id and not can(actor, Capability.MANAGE_USERS):
            raise PermissionDenied("only the user administrator, or the person themselves, "
                                   "records a person's direct telephone and email")
        phone = uk_telephone("telephone", telephone)
        mail = email_address("email", email)
        before = {"telephone": user.telephone, "email": user.email}
        after = {"telephone": phone, "email": mail}
        if before != after:
            User.update(**after).where(User.id == user.id).execute()
            audit.record(actor, "set_direct_details",
                         payload={"login": user.login, "before": before, "after": after})
        return _contactable(User.get_by_id(user.id))


def contactable(active_only: bool = True) -> list[Contactable]:
    """The people a customer may be given as a contact (everyone but the user
    administrator, who acts on no case), by name."""
    query = User.select().where(User.role != Role.USER_ADMIN.value)
    if active_only:
        query = query.where(User.active == True)  # noqa: E712
    return [_contactable(u) for u in query.order_by(User.name)]


def details_of(login: str) -> Contactable:
    user = User.get_or_none(User.login == login.strip().lower())
    if user is None:
        raise UnknownUser(login)
    return _contactable(user)
