"""Edits from a view that can be stale. A record a person edits (a drafted restriction, a
prepared letter, the customer's details, a logged contact) carries a version, raised by every
change; whoever saves says which version they read, and a save from an earlier one is refused
with who changed it, when, and how it reads now, with nothing written. Every path (a screen,
the command line) meets the same refusal here, in the service's transaction."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from crm_tui import clock
from crm_tui.db.models import AuditEntry, User
from crm_tui.domain.errors import StaleEdit
from crm_tui.domain.typed_dates import in_prose

# Quoted values are cut to this many characters in the refusal.
SHOWN = 80
# How far back in the case's trail the change is looked for.
LOOKED_AT = 200


def bump(model: Any, row_id: int) -> None:
    """The record changed: its version goes up (inside the change's transaction)."""
    model.update(version=model.version + 1).where(model.id == row_id).execute()


def require_current(thing: str, read: int | None, version: int, case_reference: str,
                    actions: tuple[str, ...], about: Callable[[dict[str, Any]], bool],
                    now: Mapping[str, str]) -> None:
    """Refuse a save made from version `read` of a record now at `version` (None: the caller
    read it in this same transaction, and cannot be stale). `actions` (none: any) and `about`
    find the change in the case's audit trail; `now`: the record's fields as they read now, where
    they differ from what is being saved (label: value)."""
    if read is None or read == version:
        return
    _refuse(thing, case_reference, actions, about, now)


def merged(thing: str, opened: Mapping[str, Any], wanted: Mapping[str, Any],
           now: Mapping[str, Any], labels: Mapping[str, str], case_reference: str,
           actions: tuple[str, ...], about: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """A record's fields saved field by field against what the editor `opened` (issue 16: a
    command, which opens nothing, was refused "changed … since you opened it" when another
    had written a different field, and the app's refusal named fields the other had not
    touched): each field the editor changed takes their value, each other field keeps the
    record's own `now`. Refused only where both changed the same field to different values,
    naming those fields alone and who last changed one of them; nothing is written then.
    `labels`: field -> how the refusal names it; `about` as for require_current."""
    result: dict[str, Any] = {}
    clashes: dict[str, str] = {}
    for name, label in labels.items():
        mine, theirs = wanted[name] != opened[name], now[name] != opened[name]
        result[name] = wanted[name] if mine else now[name]
        if mine and theirs and wanted[name] != now[name]:
            clashes[name] = label
    if clashes:
        def changed_one(payload: dict[str, Any]) -> bool:
            before, after = payload.get("before"), payload.get("after")
            return about(payload) and (not isinstance(before, dict) or not isinstance(
                after, dict) or any(before.get(f) != after.get(f) for f in clashes))
        _refuse(thing, case_reference, actions, changed_one,
                {label: shown(now[name]) for name, label in clashes.items()})
    return result


def shown(value: object) -> str:
    """A field's value as a refusal quotes it: lines joined, none said as "(none)"."""
    if value is None:
        return "(none)"
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _refuse(thing: str, case_reference: str, actions: tuple[str, ...],
            about: Callable[[dict[str, Any]], bool], now: Mapping[str, str]) -> None:
    entry = last_change(case_reference, actions, about)
    who, when = who_and_when(entry)
    differs = "; ".join(f"{label} now reads “{_cut(value)}”" for label, value in now.items())
    what = f": {differs}" if differs else ""
    raise StaleEdit(f"{who} changed this {thing}{when} since you opened it{what}. Nothing "
                    "was saved: read it again as it now stands, then make your change.")


def last_change(case_reference: str, actions: tuple[str, ...],
                about: Callable[[dict[str, Any]], bool]) -> AuditEntry | None:
    """The latest entry of the case's trail, among `actions` (none: any), `about` the record
    (its payload); None if none is found."""
    rows = AuditEntry.select().where(AuditEntry.case_reference == case_reference)
    if actions:  # none named: any change to the case about the record
        rows = rows.where(AuditEntry.action.in_(actions))
    rows = rows.order_by(AuditEntry.seq.desc()).limit(LOOKED_AT)
    for row in rows:
        try:
            payload = json.loads(row.payload or "{}")
        except ValueError:
            continue
        if isinstance(payload, dict) and about(payload):
            return row
    return None


def who_and_when(entry: AuditEntry | None) -> tuple[str, str]:
    """Who wrote the entry, by name, and " at 07:19" (with the day if not today)."""
    if entry is None:
        return "Someone else", ""
    name = User.select(User.name).where(User.login == entry.actor_login).scalar()
    return str(name or entry.actor_login), at_time(datetime.fromisoformat(str(entry.at)))


def at_time(at: datetime) -> str:
    """" at 07:19", with the day if not today."""
    day = "" if at.date() == clock.today() else f" on {in_prose(at)}"
    return f" at {at:%H:%M}{day}"


def _cut(value: str) -> str:
    flat = " ".join(str(value).split())
    return flat if len(flat) <= SHOWN else flat[:SHOWN - 1] + "…"
