"""Import a referral from a JSON file, or from a folder holding `referral.json` and the
documents that go with it. Every field is checked first; a problem is reported with the field
and the line of the file it is on, and nothing is stored.

The schema (see the README for a full sample):

    {"schema": "crm-tui/referral/1",
     "service_area": "Housing Services", "referred_by": "LOGIN", "received_on": "YYYY-MM-DD",
     "customer": {"reference": "C000123"}  or  {"name": ..., "address": [...], "postcode": ...,
                  "email": ..., "telephone": ..., "personal_circumstances": ...,
                  "reasonable_adjustments": ...},
     "case_reference": "UPV-2026-0001"          (instead of customer: a case in local resolution)
     "behaviour": {"details": ..., "categories": ["scattergun", ...],
                   "other": ...                 (what "other" is, when it is listed)},
     "local_resolution": {"written_on": ..., "written_summary": ...  (internal),
                          "customer_summary": ...  (what the customer is told: "You…"),
                          "spoc": login  (or "spoc_name": one user's exact name),
                          "contact_frequency": "weekly" | "fortnightly" | "monthly" |
                                               "as_needed" | "",
                          "communication_style": ..., "monitoring_start": ...,
                          "monitoring_end": ..., "warned": true | false}   or null,
     "no_local_resolution_reason": ...,
     "escalation": {"kind": "police_involvement" | "legal_action" | "risk_to_staff",
                    "occurred_on": ..., "reference": ..., "note": ...}   or null,
     "other_departments": ...,
     "evidence": ["relative/path/to/document.eml", ...]}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.escalations import EscalationKind
from crm_tui.domain.roles import Actor
from crm_tui.services.core.inputs import (
    CustomerInput,
    EscalationInput,
    LocalResolutionInput,
    ReferralInput,
)
from crm_tui.services.core.results import CaseSummary
from crm_tui.services.intake.referrals import ReferralSubmission, submit_referral

SCHEMA = "crm-tui/referral/1"
MAX_BYTES = 2_000_000
FOLDER_FILE = "referral.json"
_TOP = {"schema", "service_area", "referred_by", "received_on", "customer", "case_reference",
        "behaviour", "local_resolution", "no_local_resolution_reason", "other_departments",
        "evidence", "escalation"}
_CUSTOMER = {"reference", "name", "address", "postcode", "email", "telephone",
             "personal_circumstances", "reasonable_adjustments"}
_LR = {"written_on", "written_summary", "customer_summary", "spoc", "spoc_name",
       "contact_frequency",
       "communication_style", "monitoring_start", "monitoring_end", "warned"}
_ESCALATION = {"kind", "occurred_on", "reference", "note"}


class ImportProblem(DomainError):
    """A file could not be imported; names the file, the field and the line."""

    def __init__(self, file: Path, field: str, line: int | None, message: str) -> None:
        where = f"line {line}, " if line else ""
        super().__init__(f"{file.name}: {where}{field}: {message}")
        self.file, self.field, self.line, self.message = file, field, line, message


@dataclass
class _Reader:
    file: Path
    text: str

    def line_of(self, path: tuple[str | int, ...]) -> int | None:
        """The line of the last key of `path`, found by walking the keys through the text."""
        position = 0
        found = None
        for part in path:
            if isinstance(part, int):
                continue
            match = re.compile(r'"' + re.escape(part) + r'"\s*:').search(self.text, position)
            if match is None:
                break
            position = match.start()
            found = self.text.count("\n", 0, position) + 1
        return found

    def problem(self, path: tuple[str | int, ...], message: str) -> ImportProblem:
        return ImportProblem(self.file, ".".join(str(p) for p in path), self.line_of(path),
                             message)

    def obj(self, value: Any, path: tuple[str | int, ...], known: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.problem(path, "must be an object { ... }")
        for key in value:
            if key not in known:
                raise self.problem((*path, key), f"is not a field of the schema (known: "
                                   f"{', '.join(sorted(known))})")
        return value

    def text_field(self, data: dict[str, Any], path: tuple[str, ...], *, required: bool = False,
                   default: str = "") -> str:
        value = data.get(path[-1], default)
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise self.problem(path, "must be text in double quotes")
        if required and not value.strip():
            raise self.problem(path, "is required")
        return value

    def date_field(self, data: dict[str, Any], path: tuple[str, ...]) -> date:
        value = self.text_field(data, path, required=True)
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.problem(path, f"{value!r} is not a date like 2026-11-28") from None


def _flag(r: _Reader, data: dict[str, Any], path: tuple[str, ...]) -> bool:
    value = data.get(path[-1], False)
    if not isinstance(value, bool):
        raise r.problem(path, "must be true or false (no quotes)")
    return value


def _customer(r: _Reader, raw: Any) -> CustomerInput:
    data = r.obj(raw, ("customer",), _CUSTOMER)
    address = data.get("address", [])
    if not isinstance(address, list) or not all(isinstance(a, str) for a in address):
        raise r.problem(("customer", "address"), "must be a list of lines of text")
    if not data.get("reference"):
        r.text_field(data, ("customer", "name"), required=True)
    return CustomerInput(
        name=r.text_field(data, ("customer", "name")), address=tuple(address),
        postcode=r.text_field(data, ("customer", "postcode")),
        email=r.text_field(data, ("customer", "email")),
        telephone=r.text_field(data, ("customer", "telephone")),
        personal_circumstances=r.text_field(data, ("customer", "personal_circumstances")),
        reasonable_adjustments=r.text_field(data, ("customer", "reasonable_adjustments")),
        reference=r.text_field(data, ("customer", "reference")))


def _local_resolution(r: _Reader, raw: Any) -> LocalResolutionInput | None:
    if raw is None:
        return None
    data = r.obj(raw, ("local_resolution",), _LR)
    p = ("local_resolution",)
    return LocalResolutionInput(
        written_on=r.date_field(data, (*p, "written_on")),
        written_summary=r.text_field(data, (*p, "written_summary"), required=True),
        monitoring_start=r.date_field(data, (*p, "monitoring_start")),
        monitoring_end=r.date_field(data, (*p, "monitoring_end")),
        customer_summary=r.text_field(data, (*p, "customer_summary")),
        spoc=r.text_field(data, (*p, "spoc")),
        spoc_name=r.text_field(data, (*p, "spoc_name")),
        contact_frequency=r.text_field(data, (*p, "contact_frequency")),
        communication_style=r.text_field(data, (*p, "communication_style")),
        warned=_flag(r, data, (*p, "warned")))


def _escalation(r: _Reader, raw: Any) -> EscalationInput | None:
    if raw is None:
        return None
    p = ("escalation",)
    data = r.obj(raw, p, _ESCALATION)
    try:
        kind = EscalationKind.from_name(r.text_field(data, (*p, "kind"), required=True))
    except ValueError as exc:
        raise r.problem((*p, "kind"), str(exc)) from None
    return EscalationInput(kind=kind, occurred_on=r.date_field(data, (*p, "occurred_on")),
                           reference=r.text_field(data, (*p, "reference")),
                           note=r.text_field(data, (*p, "note")))


def _categories(r: _Reader, raw: Any) -> tuple[BehaviourCategory, ...]:
    path = ("behaviour", "categories")
    if not isinstance(raw, list):
        raise r.problem(path, "must be a list of category names")
    try:
        return tuple(BehaviourCategory.from_name(str(name)) for name in raw)
    except ValueError as exc:
        raise r.problem(path, str(exc)) from None


def _evidence(r: _Reader, raw: Any, base: Path) -> tuple[Path, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        raise r.problem(("evidence",), "must be a list of file names")
    paths = []
    root = base.resolve()
    for name in raw:
        candidate = (base / name).resolve()
        if root not in candidate.parents:
            raise r.problem(("evidence",), f"{name!r} is outside the folder of the referral")
        paths.append(base / name)
    return tuple(paths)


def parse(file: Path, text: str, base: Path) -> ReferralSubmission:
    r = _Reader(file, text)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportProblem(file, "JSON", exc.lineno, exc.msg) from None
    data = r.obj(raw, (), _TOP)
    if data.get("schema") != SCHEMA:
        raise r.problem(("schema",), f"must be {SCHEMA!r}")
    behaviour = r.obj(data.get("behaviour"), ("behaviour",), {"details", "categories", "other"})
    case_reference = r.text_field(data, ("case_reference",))
    customer = None if case_reference else _customer(r, data.get("customer"))
    return ReferralSubmission(
        service_area=r.text_field(data, ("service_area",), required=True),
        referral=ReferralInput(
            referred_by=r.text_field(data, ("referred_by",), required=True),
            received_on=r.date_field(data, ("received_on",)),
            behaviour_details=r.text_field(behaviour, ("behaviour", "details"), required=True),
            categories=_categories(r, behaviour.get("categories", [])),
            other_departments=r.text_field(data, ("other_departments",)),
            no_local_resolution_reason=r.text_field(data, ("no_local_resolution_reason",)),
            other_behaviour=r.text_field(behaviour, ("behaviour", "other")),
            escalation=_escalation(r, data.get("escalation"))),
        customer=customer, case_reference=case_reference,
        local_resolution=_local_resolution(r, data.get("local_resolution")),
        evidence=_evidence(r, data.get("evidence"), base))


def _read(file: Path) -> str:
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ImportProblem(file, "file", None, f"cannot be read: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise ImportProblem(file, "file", None, "is too large for a referral file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ImportProblem(file, "file", line, "is not UTF-8 text (save it as UTF-8 and "
                            "try again)") from None


def import_referral(actor: Actor, path: Path) -> CaseSummary:
    """Import a JSON file, or a folder with `referral.json` and its documents (every other
    ordinary file in the folder is attached as evidence)."""
    if path.is_dir():
        file = path / FOLDER_FILE
        if not file.is_file():
            raise ImportProblem(path, "folder", None, f"has no {FOLDER_FILE}")
        submission = parse(file, _read(file), path)
        listed = {p.resolve() for p in submission.evidence}
        extra = tuple(sorted(p for p in path.iterdir() if p.name != FOLDER_FILE
                             and not p.name.startswith(".") and p.resolve() not in listed))
        submission = ReferralSubmission(**{**submission.__dict__,
                                           "evidence": submission.evidence + extra})
    else:
        submission = parse(path, _read(path), path.parent)
    try:
        return submit_referral(actor, submission)
    except ValidationError as exc:
        file = path / FOLDER_FILE if path.is_dir() else path
        reader = _Reader(file, _read(file))
        if exc.field in {p.name for p in submission.evidence}:
            raise reader.problem(("evidence",), f"{exc.field} {exc.message}") from None
        raise reader.problem(_json_path(exc.field), exc.message) from None


# Service fields named as the JSON names them, so that a message points into the file.
_FIELD_PATHS: dict[str, tuple[str, ...]] = {
    "written_on": ("local_resolution", "written_on"),
    "written_summary": ("local_resolution", "written_summary"),
    "customer_summary": ("local_resolution", "customer_summary"),
    "spoc": ("local_resolution", "spoc"),
    "monitoring_end": ("local_resolution", "monitoring_end"),
    "contact_frequency": ("local_resolution", "contact_frequency"),
    "behaviour_details": ("behaviour", "details"),
    "categories": ("behaviour", "categories"),
    "other_behaviour": ("behaviour", "other"),
    "kind": ("escalation", "kind"),
    "occurred_on": ("escalation", "occurred_on"),
    "reference": ("escalation", "reference"),
    "note": ("escalation", "note"),
    "customer name": ("customer", "name"),
    "customer": ("customer",),
}


def _json_path(field: str) -> tuple[str, ...]:
    return _FIELD_PATHS.get(field, (field,))
