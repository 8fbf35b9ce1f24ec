"""Log sheets: contacts logged one at a time, corrected with a recorded reason, or imported
from a CSV file in which every line is checked before any is stored."""

from __future__ import annotations

import json
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from peewee import fn

from crm_tui import clock
from crm_tui.db.models import ContactLogEntry, ServiceArea, database_proxy
from crm_tui.domain.categories import from_mask, to_mask
from crm_tui.domain.contact import officer_name_problem
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.roles import Actor
from crm_tui.domain.typed_dates import quoted, quoted_cut, shown, too_early
from crm_tui.services.core import audit, scope, stale
from crm_tui.services.core.case_steps import load_case_for_change, require_file_open
from crm_tui.services.core.database import atomic
from crm_tui.services.core.validation import grounds_text, required_text
from crm_tui.services.evidence import log_sheet_staging
from crm_tui.services.evidence.contact_input import MAX_OFFICER, MAX_SUMMARY, ContactInput
from crm_tui.services.evidence.log_sheet_csv import (
    CSV_COLUMNS,
    LogSheetProblem,
    all_at_once,
    read_log_sheet,
)
from crm_tui.services.restrictions import compliance, versions

__all__ = ["CSV_COLUMNS", "ContactInput", "LogSheetImport", "LogSheetProblem", "correct_contact",
           "import_log_sheet", "import_log_sheet_report", "log_contact", "read_log_sheet"]


def _area_ids() -> dict[str, int]:
    return {a.name: a.id for a in ServiceArea.select()}


def _row(entry: ContactInput, areas: dict[str, int]) -> dict[str, object]:
    if entry.at > clock.now():
        raise ValidationError("when", f"{entry.at:%d/%m/%Y %H:%M} is in the future")
    early = too_early(entry.at.date(), f"{shown(entry.at.date())} {entry.at:%H:%M}")
    if early:  # from a script: the forms and files refuse it as they read it
        raise ValidationError("when", early)
    if entry.service_area not in areas:
        raise ValidationError("service_area",
                              f"unknown service area {quoted_cut(entry.service_area)}")
    named = entry.officer_name.strip() and officer_name_problem(entry.officer_name)
    if named:
        raise ValidationError("officer", named)
    if not 0 <= entry.duration_minutes <= 24 * 60:
        raise ValidationError("duration_minutes", "must be between 0 and 1440 minutes")
    return {"at": entry.at, "channel": entry.channel.value,
            "direction": entry.direction.value, "service_area": areas[entry.service_area],
            # Who dealt with it: a contact no one can answer for is no evidence of anything.
            "officer_name": required_text("officer", entry.officer_name, MAX_OFFICER),
            "duration_minutes": entry.duration_minutes,
            "summary": required_text("summary", entry.summary, MAX_SUMMARY),
            "categories": to_mask(entry.categories)}


# A contact's fields as the log sheet names them, for saying how it reads now.
_LABELS = {"at": "the date and time", "channel": "the channel", "direction": "the direction",
           "officer_name": "the officer", "duration_minutes": "the duration (minutes)",
           "summary": "the summary"}


def _stored(value: object) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, datetime) else str(value)


def _shown(value: object) -> str:
    return f"{value:%d/%m/%Y %H:%M}" if isinstance(value, datetime) else str(value)


def log_contact(actor: Actor, reference: str, entry: ContactInput) -> int:
    """Record one contact on a case's log sheet; returns its id."""
    with atomic():
        require(actor, Capability.LOG_CONTACTS)
        case = load_case_for_change(actor, reference)
        row = ContactLogEntry.create(customer=case.customer_id, case=case,
                                     recorded_by=actor.user_id, **_row(entry, _area_ids()))
        audit.record(actor, "log_contact", case.reference,
                     payload={"id": row.id, "at": entry.at, "channel": entry.channel.value})
        compliance.recheck(actor, case, row.id)
        return int(row.id)


def correct_contact(actor: Actor, reference: str, contact_id: int, entry: ContactInput,
                    reason: str, *, read_version: int | None = None) -> None:
    """Correct a logged contact. The reason and the entry as it was go into the audit trail.
    `read_version`: the version the correction was made from; refused (StaleEdit, saying
    what changed) if someone else corrected the contact since."""
    with atomic():
        require(actor, Capability.LOG_CONTACTS)
        case = load_case_for_change(actor, reference)
        why = grounds_text("reason", reason)
        row = scope.case_contact(actor, case, contact_id)
        require_file_open(row.case_id)
        before = {"at": row.at, "channel": row.channel, "direction": row.direction,
                  "service_area": row.service_area_id, "officer": row.officer_name,
                  "duration_minutes": row.duration_minutes, "summary": row.summary,
                  "categories": [c.name for c in from_mask(row.categories)]}
        changes = _row(entry, _area_ids())
        stale.require_current(
            "contact", read_version, int(row.version), case.reference, ("correct_contact",),
            lambda p: p.get("id") == contact_id,
            {_LABELS[name]: _shown(getattr(row, name)) for name in _LABELS
             if _stored(getattr(row, name)) != _stored(changes[name])})
        ContactLogEntry.update(**changes, version=ContactLogEntry.version + 1).where(
            ContactLogEntry.id == contact_id).execute()
        versions.bump_resting_on(contact=contact_id)  # the drafts resting on it changed
        audit.record(actor, "correct_contact", case.reference, why,
                     {"id": contact_id, "before": json.loads(json.dumps(before, default=str))})
        compliance.recheck(actor, case, contact_id)


@dataclass(frozen=True)
class LogSheetImport:
    """What an import recorded: how many contacts, and the breaches among them, each with
    what the officer must do about it."""

    contacts: int
    breaches: list[compliance.Found]
    # The day of each contact recorded: whether the period on show lists them.
    days: tuple[date, ...] = ()


def _day_of(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


@dataclass(frozen=True)
class _Staged:
    areas: dict[str, int]  # the service areas the lines were checked against
    rows: list[dict[str, Any]]  # each line as it is stored, but for the case


def _staged(file: Path) -> _Staged:
    """The sheet read and every line checked, ready to store; LogSheetProblem names every
    problem of every line at once, the service areas' names included."""
    areas = _area_ids()
    entries = read_log_sheet(file, areas)
    named = {" ".join(name.split()).casefold(): name for name in areas}
    rows: list[dict[str, Any]] = []
    refused: list[LogSheetProblem] = []
    for line, entry in entries:
        # A service area as the screens spell it, in any case.
        area = named.get(" ".join(entry.service_area.split()).casefold())
        if area is None:
            refused.append(LogSheetProblem(file, line, "service_area",
                                           f"{quoted(entry.service_area)} is not one of: "
                                           f"{'; '.join(sorted(areas))}"))
            continue
        try:
            rows.append(_row(replace(entry, service_area=area), areas))
        except ValidationError as exc:
            refused.append(LogSheetProblem(file, line, exc.field, exc.message))
    problems = all_at_once(refused)
    if problems is not None:
        raise problems
    return _Staged(areas, rows)


def import_log_sheet(actor: Actor, reference: str, file: Path) -> int:
    """Import a CSV log sheet onto a case: every line lands, or none does."""
    return import_log_sheet_report(actor, reference, file).contacts


def import_log_sheet_report(actor: Actor, reference: str, file: Path) -> LogSheetImport:
    """Import a CSV log sheet, and say which contacts breached the restrictions in force and
    what to do about each."""
    require(actor, Capability.LOG_CONTACTS)
    # Every line is read, checked and staged first, outside the write lock: a large sheet
    # does not keep others from saving while it is read (log_sheet_staging says how). What
    # is left to do holding the lock is one statement, the restrictions' check and the seal.
    staged = _staged(file)
    with ExitStack() as held:
        stage = held.enter_context(log_sheet_staging.staged(staged.rows))
        held.enter_context(atomic())
        require(actor, Capability.LOG_CONTACTS)
        case = load_case_for_change(actor, reference)
        if _area_ids() != staged.areas:  # renamed meanwhile: the lines named the old ones
            staged = _staged(file)
            stage = held.enter_context(log_sheet_staging.staged(staged.rows))
        first_new = (ContactLogEntry.select(fn.MAX(ContactLogEntry.id)).scalar() or 0) + 1
        stage.publish(case.customer_id, case.id, actor.user_id)
        audit.record(actor, "import_log_sheets", case.reference,
                     payload={"file": file.name, "entries": len(staged.rows)})
        found: list[compliance.Found] = []
        if compliance.restrictions_ever(case.customer_id):
            # The new contacts took the ids after the highest, in the sheet's order.
            ids = [row[0] for row in database_proxy.obj.execute_sql(
                f'SELECT "id" FROM "{ContactLogEntry._meta.table_name}" '
                f'WHERE "id" >= {database_proxy.obj.param} '
                'ORDER BY "id"', (first_new,))]
            found = compliance.check_new(actor, case, [
                compliance.NewContact(new_id, row["at"], row["channel"], row["direction"],
                                      row["officer_name"])
                for new_id, row in zip(ids, staged.rows, strict=True)])
        return LogSheetImport(len(staged.rows), found,
                              tuple(_day_of(row["at"]) for row in staged.rows))
