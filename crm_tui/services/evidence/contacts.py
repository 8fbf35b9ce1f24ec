"""Log sheets: contacts logged one at a time, corrected with a recorded reason, or imported
from a CSV file in which every line is checked before any is stored."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from peewee import fn

from crm_tui import clock
from crm_tui.db.models import ContactLogEntry, ServiceArea
from crm_tui.domain.categories import BehaviourCategory, from_mask, to_mask
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.errors import DomainError, NotFound, ValidationError
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.roles import Actor
from crm_tui.services.core import audit
from crm_tui.services.core.case_steps import load_case_for_change, require_file_open
from crm_tui.services.core.database import atomic
from crm_tui.services.core.validation import required_text
from crm_tui.services.restrictions import compliance, versions

CSV_COLUMNS = ("when", "channel", "direction", "service_area", "officer",
               "duration_minutes", "summary", "categories")
MAX_CSV_BYTES = 20_000_000


@dataclass(frozen=True)
class ContactInput:
    at: datetime
    channel: Channel
    direction: Direction
    service_area: str
    officer_name: str
    summary: str
    duration_minutes: int = 0
    categories: tuple[BehaviourCategory, ...] = ()


class LogSheetProblem(DomainError):
    """A CSV log sheet could not be imported; names the line and the column."""

    def __init__(self, file: Path, line: int | None, column: str, message: str) -> None:
        where = f"line {line}, " if line else ""
        super().__init__(f"{file.name}: {where}{column}: {message}")
        self.file, self.line, self.column, self.message = file, line, column, message


def _area_ids() -> dict[str, int]:
    return {a.name: a.id for a in ServiceArea.select()}


def _row(entry: ContactInput, areas: dict[str, int]) -> dict[str, object]:
    if entry.at > clock.now():
        raise ValidationError("when", f"{entry.at:%d/%m/%Y %H:%M} is in the future")
    if entry.service_area not in areas:
        raise ValidationError("service_area", f"unknown service area {entry.service_area!r}")
    if not 0 <= entry.duration_minutes <= 24 * 60:
        raise ValidationError("duration_minutes", "must be between 0 and 1440 minutes")
    return {"at": entry.at, "channel": entry.channel.value,
            "direction": entry.direction.value, "service_area": areas[entry.service_area],
            # Who dealt with it: a contact no one can answer for is no evidence of anything.
            "officer_name": required_text("officer", entry.officer_name, 200),
            "duration_minutes": entry.duration_minutes,
            "summary": required_text("summary", entry.summary, 5_000),
            "categories": to_mask(entry.categories)}


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
                    reason: str) -> None:
    """Correct a logged contact. The reason and the entry as it was go into the audit trail."""
    with atomic():
        require(actor, Capability.LOG_CONTACTS)
        case = load_case_for_change(actor, reference)
        why = required_text("reason", reason)
        row = ContactLogEntry.get_or_none((ContactLogEntry.id == contact_id)
                                          & (ContactLogEntry.customer == case.customer_id))
        if row is None:
            raise NotFound(f"no contact {contact_id} on {case.reference}")
        require_file_open(row.case_id)
        before = {"at": row.at, "channel": row.channel, "direction": row.direction,
                  "service_area": row.service_area_id, "officer": row.officer_name,
                  "duration_minutes": row.duration_minutes, "summary": row.summary,
                  "categories": [c.name for c in from_mask(row.categories)]}
        changes = _row(entry, _area_ids())
        ContactLogEntry.update(**changes).where(ContactLogEntry.id == contact_id).execute()
        versions.bump_resting_on(contact=contact_id)  # the drafts resting on it changed
        audit.record(actor, "correct_contact", case.reference, why,
                     {"id": contact_id, "before": json.loads(json.dumps(before, default=str))})
        compliance.recheck(actor, case, contact_id)


def _parse_line(file: Path, line: int, raw: dict[str, str]) -> ContactInput:
    def field(name: str) -> str:
        return (raw.get(name) or "").strip()

    def problem(column: str, message: str) -> LogSheetProblem:
        return LogSheetProblem(file, line, column, message)

    try:
        at = datetime.strptime(field("when"), "%Y-%m-%d %H:%M")
    except ValueError:
        raise problem("when", f"{field('when')!r} is not a time like 2026-10-01 09:30") from None
    try:
        channel = Channel(field("channel").lower())
    except ValueError:
        known = ", ".join(c.value for c in Channel)
        raise problem("channel", f"{field('channel')!r} is not one of: {known}") from None
    try:
        direction = Direction(field("direction").lower())
    except ValueError:
        raise problem("direction", "must be inbound or outbound") from None
    try:
        duration = int(field("duration_minutes") or 0)
    except ValueError:
        raise problem("duration_minutes", "must be a whole number of minutes") from None
    try:
        categories = tuple(BehaviourCategory.from_name(name) for name in
                           field("categories").split(";") if name.strip())
    except ValueError as exc:
        raise problem("categories", str(exc)) from None
    return ContactInput(at=at, channel=channel, direction=direction,
                        service_area=field("service_area"), officer_name=field("officer"),
                        summary=field("summary"), duration_minutes=duration,
                        categories=categories)


def read_log_sheet(file: Path) -> list[tuple[int, ContactInput]]:
    """Parse a CSV log sheet; raises LogSheetProblem naming the first bad line."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise LogSheetProblem(file, None, "file", f"cannot be read: {exc.strerror}") from None
    if len(data) > MAX_CSV_BYTES:
        raise LogSheetProblem(file, None, "file", "is too large for one log sheet")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise LogSheetProblem(file, line, "file", "is not UTF-8 text (save it as UTF-8 CSV)") \
            from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise LogSheetProblem(file, 1, ", ".join(missing), "columns missing from the header "
                              f"(expected: {', '.join(CSV_COLUMNS)})")
    entries = []
    for raw in reader:
        entries.append((reader.line_num, _parse_line(file, reader.line_num, raw)))
    if not entries:
        raise LogSheetProblem(file, None, "file", "has no contacts in it")
    return entries


@dataclass(frozen=True)
class LogSheetImport:
    """What an import recorded: how many contacts, and the breaches among them, each with
    what the officer must do about it."""

    contacts: int
    breaches: list[compliance.Found]


def import_log_sheet(actor: Actor, reference: str, file: Path) -> int:
    """Import a CSV log sheet onto a case: every line lands, or none does."""
    return import_log_sheet_report(actor, reference, file).contacts


def import_log_sheet_report(actor: Actor, reference: str, file: Path) -> LogSheetImport:
    """Import a CSV log sheet, and say which contacts breached the restrictions in force and
    what to do about each."""
    entries = read_log_sheet(file)
    with atomic():
        require(actor, Capability.LOG_CONTACTS)
        case = load_case_for_change(actor, reference)
        areas = _area_ids()
        rows = []
        for line, entry in entries:
            try:
                row = _row(entry, areas)
            except ValidationError as exc:
                raise LogSheetProblem(file, line, exc.field, exc.message) from None
            rows.append({**row, "customer": case.customer_id, "case": case.id,
                         "recorded_by": actor.user_id})
        first_new = (ContactLogEntry.select(fn.MAX(ContactLogEntry.id)).scalar() or 0) + 1
        for start in range(0, len(rows), 500):
            ContactLogEntry.insert_many(rows[start:start + 500]).execute()
        audit.record(actor, "import_log_sheets", case.reference,
                     payload={"file": file.name, "entries": len(rows)})
        found: list[compliance.Found] = []
        if compliance.restrictions_ever(case.customer_id):
            found = compliance.recheck_many(actor, case, [new.id for new in ContactLogEntry.select(
                ContactLogEntry.id).where(ContactLogEntry.id >= first_new)])
        return LogSheetImport(len(rows), found)
