"""The configuration's `service_areas` held to the areas the database's cases are in.

An area left out of `service_areas` while cases are in it went on as if it were still one:
the app started as usual, its cases stood in it, but the inbox's area selector no longer
offered it (its cases could not be picked out) and a contact logged on another case could not
name it. So the app, and every command, refuses to start until the configuration lists it."""

from __future__ import annotations

from peewee import fn

from crm_tui.config import Config, default_config_path
from crm_tui.db.models import Case, ServiceArea
from crm_tui.domain.counting import counted
from crm_tui.domain.errors import DomainError
from crm_tui.domain.typed_dates import quoted
from crm_tui.services.core import team_seal


class AreasLeftOut(DomainError):
    """The configuration's `service_areas` leaves out areas the database's cases are in."""


def left_out(names: tuple[str, ...]) -> list[tuple[str, int]]:
    """The areas cases are in that `names` does not list, with how many cases each, by name."""
    listed = set(names)
    in_use = (ServiceArea.select(ServiceArea.id, ServiceArea.name, fn.COUNT(Case.id))
              .join(Case, on=(Case.service_area == ServiceArea.id))
              .group_by(ServiceArea.id).order_by(ServiceArea.name).tuples())
    rows: list[tuple[int, str, int]] = list(in_use)  # type: ignore[arg-type]  # .tuples()
    # An area renamed (or inserted) in the database is not left out by the configuration:
    # `audit verify` names it, and its name, perhaps a forged one, is not said here as fact.
    return [(str(name), int(cases)) for area, name, cases in rows
            if name not in listed and team_seal.area_as_sealed(int(area))]


def check(config: Config) -> None:
    """Refuse (AreasLeftOut) a configuration that leaves out an area cases are in."""
    missing = left_out(config.service_areas)
    if not missing:
        return
    where = (str(config.source) if config.source is not None
             else f"the default configuration (there is no file at {default_config_path()})")
    areas = ", ".join(f"{quoted(name)} ({counted(cases, 'case')}{_near(name, config)})"
                      for name, cases in missing)
    raise AreasLeftOut(
        f"{where}: \"service_areas\" leaves out {counted(len(missing), 'service area')} this "
        f"database's cases are in: {areas}. Add {'it' if len(missing) == 1 else 'them'} to "
        "\"service_areas\" again: an area cannot be taken away while cases are in it. "
        "Nothing was opened.")


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
