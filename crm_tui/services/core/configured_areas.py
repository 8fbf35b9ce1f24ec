"""The configuration's `service_areas` held to the areas in use: the database's cases',
referrals' and users' (service area managers').

An area left out of `service_areas` while cases are in it went on as if it were still one:
the app started as usual, its cases stood in it, but the inbox's area selector no longer
offered it (its cases could not be picked out) and a contact logged on another case could not
name it. So the app, and every command, refuses to start until the configuration lists it."""

from __future__ import annotations

from typing import Any, cast

from peewee import fn

from crm_tui.config import Config, default_config_path
from crm_tui.db.models import Case, Referral, ServiceArea, User
from crm_tui.domain.counting import counted
from crm_tui.domain.errors import DomainError
from crm_tui.domain.typed_dates import quoted
from crm_tui.services.core import team_seal


class AreasLeftOut(DomainError):
    """The configuration's `service_areas` leaves out areas in use (cases, referrals, users)."""


def _counts(model: Any, column: Any) -> dict[int, int]:
    rows = cast(list[tuple[Any, Any]], list(
        model.select(column, fn.COUNT(model.id)).group_by(column).tuples()))
    return {int(area): int(n) for area, n in rows if area is not None}


def left_out(names: tuple[str, ...]) -> list[tuple[str, str]]:
    """The areas in use that `names` does not list, by name, each with what is in it ("1
    case, 1 referral, 1 user"): the cases', and also the referrals' (a referral may come from
    another area than its case's) and the users' (a service area manager's area), which the
    check read no more than the cases' (found when tried: an area a manager or a referral was
    in, taken out of the configuration, started as usual and was then shown as if broken)."""
    listed = set(names)
    kinds = (("case", _counts(Case, Case.service_area)),
             ("referral", _counts(Referral, Referral.service_area)),
             ("user", _counts(User, User.service_area)))
    found: list[tuple[str, str]] = []
    areas = cast(list[tuple[int, str]], list(ServiceArea.select(
        ServiceArea.id, ServiceArea.name).order_by(ServiceArea.name).tuples()))
    for area, name in areas:
        held = [counted(by_area[int(area)], kind) for kind, by_area in kinds
                if by_area.get(int(area))]
        # An area renamed (or inserted) in the database is not left out by the configuration:
        # `audit verify` names it, and its name, perhaps a forged one, is not said here as fact.
        if held and name not in listed and team_seal.area_as_sealed(int(area)):
            found.append((str(name), ", ".join(held)))
    return found


def check(config: Config) -> None:
    """Refuse (AreasLeftOut) a configuration that leaves out an area in use."""
    missing = left_out(config.service_areas)
    if not missing:
        return
    where = (str(config.source) if config.source is not None
             else f"the default configuration (there is no file at {default_config_path()})")
    areas = ", ".join(f"{quoted(name)} ({held}{_near(name, config)})" for name, held in missing)
    raise AreasLeftOut(
        f"{where}: \"service_areas\" leaves out {counted(len(missing), 'service area')} this "
        f"database's cases, referrals or users are in: {areas}. Add "
        f"{'it' if len(missing) == 1 else 'them'} to \"service_areas\" again: an area cannot "
        "be taken away while cases, referrals or users are in it. Nothing was opened.")


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


def _near(name: str, config: Config) -> str:
    """The name listed that differs from `name` only in capitals or spaces, said with what
    must match (found when tried, v16g G11: "housing services" listed, the refusal said only
    that "Housing Services" was left out, and the operator saw it listed)."""
    near = next((listed for listed in config.service_areas
                 if listed != name and _folded(listed) == _folded(name)), None)
    if near is None:
        return ""
    what = ("including capitals" if near.casefold() == name.casefold()
            else "including spaces" if " ".join(near.split()) == name
            else "including capitals and spaces")
    return f"; listed as {quoted(near)}: the names must match exactly, {what}"
