"""What the appeal tests share: a second person of the Head of Service's standing who took no
part in any decision (the one a Service Director can nominate), and a dump of the database to
show that a refusal changed nothing."""

from __future__ import annotations

from datetime import date

from crm_tui.domain.roles import Actor, Role
from crm_tui.services.core import users
from crm_tui.services.letters import signing_keys
from crm_tui.services.reviews import nominations
from tests import dumps
from tests.conftest import PASSPHRASE, account

TODAY = date(2026, 11, 28)


def dump() -> list[str]:
    return dumps.dump()


def add_person(actors: dict[Role, Actor], login: str, name: str, role: Role,
               title: str = "") -> Actor:
    """A person added by the user administrator, with a personal key of their own."""
    users.add_user(actors[Role.USER_ADMIN], login, name, role, title=title,
                   staff_id=f"S-{login}", os_account=account(login))
    person = users.resolve_actor(login)
    signing_keys.create_key(person, login, PASSPHRASE, council="Test")
    return person


def deputy(actors: dict[Role, Actor]) -> Actor:
    """Lee Okoro, Deputy Head of Legal Services: gave no view on any test case."""
    return add_person(actors, "deputy", "Lee Okoro", Role.HEAD_OF_SERVICE,
                      title="Deputy Head of Legal Services")


def nominate_today(actors: dict[Role, Actor], login: str, *, days: int = 14) -> int:
    """The Service Director nominates `login` for a period from today."""
    from datetime import timedelta

    made = nominations.nominate(actors[Role.SERVICE_DIRECTOR], login, "Annual leave cover",
                                valid_from=TODAY, valid_until=TODAY + timedelta(days=days))
    return made.id
