"""Subject access requests: everything held about one person, exported for them — a PDF they
can read, a complete JSON copy — and, apart, the staff and other people named in it, for
redaction review before release. Done by the Complaints Resolution Team, with the request's
reference or reason recorded in the audit trail of each of the person's cases."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from peewee import Model
from playhouse.shortcuts import model_to_dict

from crm_tui import clock
from crm_tui.db.models import (
    ALL_MODELS,
    AuditEntry,
    Breach,
    Case,
    ContactLogEntry,
    Customer,
    LetterFile,
    User,
)
from crm_tui.domain.characters import escaped, json_escaped
from crm_tui.domain.equality import print_size
from crm_tui.domain.errors import PermissionDenied, Placeholder, ValidationError
from crm_tui.domain.grounds import request_problem
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.roles import Actor
from crm_tui.domain.scope import DestroyedFile
from crm_tui.letters.subject_access import SubjectAccessContent, render_subject_access
from crm_tui.private_files import claim_new, secure_folder, write_private, write_private_bytes
from crm_tui.services.core import audit, leftovers, places, scope, team_seal
from crm_tui.services.core.database import atomic, reading
from crm_tui.services.core.evidence_store import EvidenceStore, evidence_store, require_whole
from crm_tui.services.core.exports import destroyed_meanwhile
from crm_tui.services.core.validation import bounded_text
from crm_tui.services.retention import subject_access_content as described

ACTION = "subject_access_request"
FORMAT = "crm-tui subject access 1"


@dataclass(frozen=True)
class SubjectAccessExport:
    folder: Path
    pdf: Path
    json: Path
    review: Path  # the names for redaction review: not for release
    customer_reference: str
    cases: tuple[str, ...]
    contacts: int
    documents: int  # copies of the documents held, in documents/


def _row(row: Model) -> dict[str, Any]:
    data = model_to_dict(row, recurse=False)
    return {key: (value.isoformat() if isinstance(value, date | datetime) else value)
            for key, value in data.items() if not isinstance(value, bytes | memoryview)}


def _records(customer: Customer, case_ids: list[int]) -> dict[str, list[dict[str, Any]]]:
    """Every row held about the person, table by table: their customer record, every row of
    their cases, their contacts (with any outside a case) and the breaches found in them.
    A letter's signed PDF is not repeated here: its hash is, in its register row."""
    records: dict[str, list[dict[str, Any]]] = {
        Customer._meta.table_name: [_row(customer)]}
    for model in ALL_MODELS:
        if model in (Customer, ContactLogEntry, Breach, LetterFile):
            continue
        fields = model._meta.fields
        if "case" in fields and fields["case"].rel_model is Case:
            rows = model.select().where(fields["case"].in_(case_ids)).order_by(model.id)
            records[model._meta.table_name] = [_row(r) for r in rows]
    records[Case._meta.table_name] = [
        _row(r) for r in Case.select().where(Case.id.in_(case_ids)).order_by(Case.id)]
    contacts = ContactLogEntry.select().where(ContactLogEntry.customer == customer)
    records[ContactLogEntry._meta.table_name] = [_row(r) for r in
                                                 contacts.order_by(ContactLogEntry.at)]
    records[Breach._meta.table_name] = [_row(r) for r in Breach.select().join(
        ContactLogEntry).where(ContactLogEntry.customer == customer).order_by(Breach.id)]
    return records


def _audit(references: list[str], own: str) -> list[dict[str, Any]]:
    rows = AuditEntry.select().where(AuditEntry.case_reference.in_(references)) \
        .order_by(AuditEntry.seq)
    return [{"seq": r.seq, "at": r.at, "by": r.actor_login, "role": r.actor_role,
             "action": r.action, "case": r.case_reference, "reason": r.reason,
             "details": _others_withheld(r.payload, own)} for r in rows]


WITHHELD = "another customer (withheld: another person's record)"


def _others_withheld(payload: Any, own: str) -> Any:
    """A referral's entry names the customers shown as likely the same person: the answer to
    one person's request names none but them (found when a fixer read the copy: a customer's
    answer would have held another customer's reference, fixBO)."""
    if isinstance(payload, str):  # as stored: JSON text
        try:
            found = json.loads(payload)
        except ValueError:
            return payload
        shown = _others_withheld(found, own)
        return payload if shown is found else json.dumps(shown, sort_keys=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("customer_match"), dict):
        return payload
    match = dict(payload["customer_match"])
    for key in ("likely", "other_areas_only"):
        if isinstance(match.get(key), list):
            match[key] = [ref if ref == own else WITHHELD for ref in match[key]]
    if match.get("customer") not in (None, own):
        match["customer"] = WITHHELD
    return {**payload, "customer_match": match}


@dataclass(frozen=True)
class Gathered:
    customer_reference: str
    customer_name: str
    cases: list[str]
    content: SubjectAccessContent
    copy: dict[str, Any]
    review: str
    contacts: int


def gather(actor: Actor, reference: str, request: str, council: str) -> Gathered:
    """Everything held about the person, read at one moment."""
    customer = scope.find_customer(actor, reference)
    # The answer names each contact's and referral's service area, to the person, as fact.
    team_seal.require_areas_as_left("The subject access answer")
    cases = list(Case.select().where(Case.customer == customer).order_by(Case.id))
    if any(not scope.may_see(actor, c) for c in cases):
        raise PermissionDenied(f"{customer.reference} has a case you may not see")
    case_ids = [c.id for c in cases]
    references = [str(c.reference) for c in cases]
    records = _records(customer, case_ids)
    everyone = {u.id: u for u in User.select()}
    # The copy names only the staff the records point to: never the whole staff list.
    named = described.people_named(records)
    people = {i: u for i, u in everyone.items() if i in named}
    now = clock.now()
    sections, review = described.describe(customer, records, everyone, request, actor, now)
    copy = {
        "format": FORMAT,
        "prepared_at": now.isoformat(timespec="seconds"),
        "prepared_by": actor.name,
        "customer_reference": customer.reference,
        "request": request,
        "records": records,
        "audit_trail": _audit(references, str(customer.reference)),
        "people": {str(i): {"name": u.name, "title": u.title} for i, u in people.items()},
    }
    content = SubjectAccessContent(council, f"{customer.name} ({customer.reference})",
                                   described.day(now), sections,
                                   print_size(customer.large_print_pt, customer.contact_needs))
    return Gathered(str(customer.reference), str(customer.name), references, content, copy,
                    review, len(records[ContactLogEntry._meta.table_name]))


# The step, as a refusal names it: `crm-tui sar` and `S` in a case file say the same.
DOING = "export a subject access request"


def refusal(actor: Actor) -> str:
    """Why `actor` may not answer a subject access request ("" if they may), in the words the
    export itself refuses with (found when tried, b16f F8: `S` as the Head of Service did
    nothing, while the command line said who does it)."""
    try:
        require(actor, Capability.SUBJECT_ACCESS, DOING)
    except PermissionDenied as exc:
        return str(exc)
    return ""


def export_subject_access(actor: Actor, reference: str, request: str, folder: Path,
                          council: str) -> SubjectAccessExport:
    """Write the PDF, the JSON copy and the redaction review into a new private folder in
    `folder`; record the request (its reference or reason) on each of the person's cases.
    The files are written holding no lock; a request whose entry is refused leaves none."""
    require(actor, Capability.SUBJECT_ACCESS, DOING)
    request = " ".join(request.split())
    if not request:
        raise ValidationError("reason", "is required: the request's reference, or why it is "
                              "answered")
    # The one text check the other fields meet: the request is written into the trail, the
    # PDF and the redaction review, and an ESC in it cleared the audit screen (t16 F0).
    request = bounded_text("reason", request)
    if problem := request_problem(request):
        raise Placeholder("reason", problem)
    places.check_folder(folder)
    with reading():
        found = gather(actor, reference, request, council)
    # A document changed in the store, released as the council's record, or a missing one
    # listed as enclosed: refused (found when tried: both went out with exit 0).
    require_whole(((str(row["original_name"]), str(row["sha256"]))
                   for row in found.copy["records"]["evidence_item"]), "no answer")
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    name = f"subject-access-{found.customer_reference}"
    # Under a name no other export has (`-2` for a second made in the same second), taken
    # empty, then announced: killed before its audit entry, the next start deletes the
    # folder (the trail would not know of it, nor list it when the file is destroyed).
    with leftovers.running() as token:
        out = claim_new(folder / f"{name}-{stamp}", folder=True)
        try:
            key = leftovers.pending_export(out, token)
        except BaseException:
            out.rmdir()
            raise
        try:
            pdf = write_private(out / f"{name}.pdf",
                                lambda path: render_subject_access(found.content, path))
            # Opened in a terminal or an editor: a control character or an override stored
            # before the rule (or by hand) is written as its escape, never shown raw.
            copy = write_private_bytes(out / f"{name}.json", json_escaped(json.dumps(
                found.copy, indent=1, ensure_ascii=False, default=str)).encode("utf-8"))
            copied = _copy_documents(found.copy["records"]["evidence_item"], out / "documents")
            review = write_private_bytes(
                out / f"redaction-review-{found.customer_reference}.txt",
                # Read with `cat` in a terminal: a control character stored before the rule
                # (or by hand) is written out as `\x1b`, never run (t16 F0).
                escaped(found.review + _documents_note(copied)).encode("utf-8"))
            with atomic():
                payload = {"customer": found.customer_reference, "folder": out.name,
                           "path": str(out.absolute()),
                           "contacts": found.contacts, "cases": found.cases}
                for case_reference in found.cases or [""]:
                    audit.record(actor, ACTION, case_reference, request, payload=payload)
                leftovers.registered(key)
        except BaseException as exc:
            shutil.rmtree(out, ignore_errors=True)
            with contextlib.suppress(Exception), atomic():
                leftovers.registered(key)
            if isinstance(exc, DestroyedFile):
                raise destroyed_meanwhile(exc, out) from None
            raise
    return SubjectAccessExport(out, pdf, copy, review, found.customer_reference,
                               tuple(found.cases), found.contacts,
                               sum(1 for _, path in copied if path is not None))


def _copy_documents(rows: list[dict[str, Any]], folder: Path) -> list[tuple[str, Path | None]]:
    """A copy of each document held, numbered in the order of the JSON copy's rows (a
    document missing from the store: None)."""
    store = evidence_store()
    copied: list[tuple[str, Path | None]] = []
    for number, row in enumerate(rows, 1):
        source = store.path_for(str(row["sha256"]))
        name = re.sub(r"[^\w.\- ]", "_", Path(str(row["original_name"])).name)[:120] or "document"
        if not source.is_file():
            copied.append((str(row["original_name"]), None))
            continue
        secure_folder(folder)
        target = folder / f"{number:03d}-{name}"
        sha = str(row["sha256"])
        copied.append((str(row["original_name"]), write_private(target, _copier(store, sha))))
    return copied


def _copier(store: EvidenceStore, sha256: str) -> Callable[[Path], object]:
    """The plain content, read through the store (opened there when it is encrypted)."""
    def copy(path: Path) -> None:
        with path.open("wb") as writer:
            for chunk in store.chunks(sha256):
                writer.write(chunk)
    return copy


def _documents_note(copied: list[tuple[str, Path | None]]) -> str:
    if not copied:
        return ""
    missing = [name for name, path in copied if path is None]
    lines = [f"Documents: {len(copied) - len(missing)} copied into documents/, numbered as in "
             "the JSON copy: read each for other people's personal data before release."]
    lines += [f"  MISSING from the evidence store (not copied): {name}" for name in missing]
    return "\n".join(lines) + "\n"

