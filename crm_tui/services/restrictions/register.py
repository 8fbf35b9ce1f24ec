"""The staff register: who is under restriction, how staff must handle their contact, and
until when — and nothing more personal than staff need (no address, circumstances or history).
Printed and kept by reception desks and contact centres."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from crm_tui import clock
from crm_tui.db.models import Case, Customer, Restriction
from crm_tui.domain.counting import counted
from crm_tui.domain.errors import PermissionDenied
from crm_tui.domain.in_force import applies_on, starts_later
from crm_tui.domain.restrictions import RestrictionKind, describe
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import audit, scope
from crm_tui.services.core.database import reading
from crm_tui.services.core.exports import write_export
from crm_tui.services.core.restriction_status import IN_FORCE


@dataclass(frozen=True)
class RegisterEntry:
    customer_name: str
    customer_reference: str
    case_reference: str
    handling: list[str]  # one line per restriction, as staff must act on it
    still_reachable: str
    until: date | None
    review_due: date | None
    # Some of its restrictions apply today (domain.in_force.applies_on), as Home counts them;
    # `not_yet`: none does, and some are decided to start on a later day.
    in_force: bool = True
    not_yet: bool = False


def staff_register(actor: Actor) -> list[RegisterEntry]:
    """Every customer with restrictions in force, by name. Every role that takes contact may
    read it (a service area manager, their own area's customers); the user administrator,
    who takes none, may not."""
    if actor.role is Role.USER_ADMIN:
        raise PermissionDenied("the user administrator reads no case, nor the register")
    query = (Restriction.select(Restriction.kind, Restriction.parameters,
                                Restriction.still_reachable, Restriction.ends_on,
                                Restriction.starts_on,
                                Case.reference.alias("case_reference"),
                                Case.review_due.alias("review_due"),
                                Customer.name.alias("who"), Customer.reference.alias("customer"))
             .join(Case).join(Customer, on=(Case.customer == Customer.id))
             .where((Restriction.status == IN_FORCE) & scope.visible(actor))
             .order_by(Customer.name, Case.reference, Restriction.id))
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in cast(list[dict[str, Any]], list(query.dicts())):
        grouped.setdefault(str(row["case_reference"]), []).append(row)
    entries = []
    today = clock.today()
    for reference, rows in grouped.items():
        first = rows[0]
        reachable: list[str] = []
        for row in rows:
            if row["still_reachable"] and row["still_reachable"] not in reachable:
                reachable.append(row["still_reachable"])
        ends = [_day(row["ends_on"]) for row in rows]
        entries.append(RegisterEntry(
            str(first["who"]), str(first["customer"]), reference,
            [_from(row, today) + describe(RestrictionKind(row["kind"]),
                                          json.loads(row["parameters"]))
             for row in rows], " ".join(reachable),
            max((e for e in ends if e is not None), default=None), _day(first["review_due"]),
            in_force=any(applies_on(_day(row["starts_on"]), _day(row["ends_on"]), today)
                         for row in rows),
            not_yet=any(starts_later(_day(row["starts_on"]), today) for row in rows)))
    return entries


def headline(entries: list[RegisterEntry]) -> str:
    """How many customers the register names, counted as Home counts them (v15j P2: the
    register said 8 "under restriction" where Home said 7 "with restrictions in force"):
    those with restrictions in force today, and those decided to start later apart."""
    now = {e.customer_reference for e in entries if e.in_force}
    later = {e.customer_reference for e in entries if not e.in_force and e.not_yet} - now
    words = f"{counted(len(now), 'customer')} with restrictions in force"
    if later:
        words += (f"; {counted(len(later), 'customer')} with restrictions decided, not yet in "
                  "force (each line says from when)")
    return words + "."


def _from(row: dict[str, Any], today: date) -> str:
    """"From 7 Dec 2026, not yet in force: " before a restriction decided to start on a later
    day (t15 F6: the one rule, domain.in_force), so that staff do not apply it early."""
    starts = _day(row["starts_on"])
    return (f"From {in_prose(starts)}, not yet in force: "
            if starts is not None and starts_later(starts, today) else "")


def _day(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value if not isinstance(value, datetime) else value.date()
    return date.fromisoformat(str(value))


def export_register(actor: Actor, folder: Path, council: str) -> Path:
    """Print the register to a PDF in `folder` (readable by the user only)."""
    from crm_tui.letters.register import RegisterContent, RegisterRow, render_register

    with reading():  # one snapshot, rendered holding no lock; only the entry is written
        entries = staff_register(actor)
    content = RegisterContent(council, clock.now(), actor.name, [
        RegisterRow(e.customer_name, e.customer_reference, e.case_reference, e.handling,
                    e.still_reachable, e.until, e.review_due) for e in entries], headline(entries))
    cases = sorted({e.case_reference for e in entries})

    def record(target: Path) -> None:
        # With its path and the cases it names: the register holds their customers' names,
        # and a destruction of one of them names this copy (services.core.erasure); one
        # destroyed while it was written refuses it (and it is removed).
        audit.refuse_destroyed(cases)
        audit.record(actor, "export_staff_register", payload={
            "file": target.name, "path": str(target.absolute()), "customers": len(entries),
            "cases": cases})

    return write_export(folder / f"staff-register-{clock.now():%Y%m%d-%H%M%S}.pdf",
                        lambda path: render_register(content, path), record)
