"""Import a referral from a JSON file, or from a folder holding `referral.json` and the
documents that go with it. Every field is checked first, and every problem found is reported
at once, each with the field and the line of the file it is on; then nothing is stored. Dates
are written as the screens show them (28/11/2026) or as YYYY-MM-DD; behaviour categories by
the labels the screens show ("Repeat complaints") or by their codes.

The schema (see the README for a full sample):

    {"schema": "crm-tui/referral/1",
     "service_area": "Housing Services", "referred_by": "LOGIN", "received_on": "dd/mm/yyyy",
     "customer": {"reference": "C000123"}  or  {"name": ..., "address": [...], "postcode": ...,
                  "email": ..., "telephone": ..., "personal_circumstances": ...,
                  "reasonable_adjustments": ...},
     "case_reference": "UPV-2026-0001"          (instead of customer: a case in local resolution)
     "behaviour": {"details": ..., "categories": ["Scattergun approach", ...],
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
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from crm_tui import clock
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.characters import shown_bytes
from crm_tui.domain.counting import counted
from crm_tui.domain.errors import DomainError, Problems, ValidationError
from crm_tui.domain.escalations import EscalationKind
from crm_tui.domain.roles import Actor
from crm_tui.domain.typed_dates import HOW_TO_TYPE, parse_date, quoted_cut, with_typed_dates
from crm_tui.services.core import bounded_json
from crm_tui.services.core.inputs import (
    CustomerInput,
    EscalationInput,
    LocalResolutionInput,
    ReferralInput,
)
from crm_tui.services.core.results import CaseSummary
from crm_tui.services.intake.customer_matches import (
    OTHER_AREAS_LINK,
    LikelyMatch,
    LikelyMatches,
)
from crm_tui.services.intake.referrals import (
    ReferralSubmission,
    submission_problems,
    submit_referral,
)

SCHEMA = "crm-tui/referral/1"
MAX_BYTES = 2_000_000
FOLDER_FILE = "referral.json"
_TOP = {"schema", "service_area", "referred_by", "received_on", "customer", "case_reference",
        "behaviour", "local_resolution", "no_local_resolution_reason", "other_departments",
        "evidence", "escalation"}
_CUSTOMER = {"reference", "name", "address", "postcode", "email", "telephone",
             "personal_circumstances", "reasonable_adjustments", "new_person"}
_LR = {"written_on", "written_summary", "customer_summary", "spoc", "spoc_name",
       "contact_frequency",
       "communication_style", "monitoring_start", "monitoring_end", "warned"}
_ESCALATION = {"kind", "occurred_on", "reference", "note"}
_BLANK = "cannot be left blank"
# What json's own messages mean, said as what to put right ("Expecting ',' delimiter").
_JSON_WORDS = {
    "Expecting ',' delimiter": "a comma is missing before this point",
    "Expecting ':' delimiter": "a colon is missing after a field's name",
    "Expecting value": "a value is missing here",
    "Expecting property name enclosed in double quotes":
        "a field's name must be in double quotes, and no comma comes before a closing }",
    "Unterminated string starting at": "a quote opened here is never closed",
    "Invalid control character at":
        "a line break inside quotes must be written as \\n",
    "Extra data": "there is more after the referral's closing }",
    "Invalid \\escape": "a backslash inside quotes must be written twice (\\\\)",
}


# Each field of the file as the referral form labels it (the file's own name for it after,
# in quotes, to find it there).
LABELS = {
    "service_area": "Service area", "referred_by": "Referring manager",
    "received_on": "Received on", "case_reference": "Case reference",
    "customer": "Customer", "customer.name": "Customer's name",
    "customer.address": "Postal address", "customer.postcode": "Postcode",
    "customer.email": "Email", "customer.telephone": "Telephone",
    "customer.personal_circumstances": "Personal circumstances",
    "customer.reasonable_adjustments": "Reasonable adjustments",
    "customer.new_person": "A different person from any customer on record",
    "behaviour": "Behaviour", "behaviour.details": "Details of the behaviour",
    "behaviour.categories": "Behaviour categories",
    "behaviour.other": "If Other: what the customer did",
    "other_departments": "Other departments or areas known to be affected",
    "local_resolution": "Local resolution",
    "local_resolution.written_on": "Written to the customer on",
    "local_resolution.written_summary": "What the written communication said",
    "local_resolution.customer_summary": "Our concerns, as the customer is told them",
    "local_resolution.spoc": "Single point of contact offered",
    "local_resolution.spoc_name": "Single point of contact offered",
    "local_resolution.contact_frequency": "How often they will be in touch",
    "local_resolution.communication_style": "Communication style proposed",
    "local_resolution.monitoring_start": "Monitoring period started",
    "local_resolution.monitoring_end": "Monitoring period ended",
    "no_local_resolution_reason": "Why local resolution was not attempted",
    "escalation": "Escalation", "escalation.kind": "Escalation",
    "escalation.occurred_on": "When it happened",
    "escalation.reference": "Crime, incident or legal reference",
    "escalation.note": "What happened", "evidence": "Documents to attach",
}


# A name the file gives (a key the schema does not have, a document's name) longer than this
# is quoted cut, as a bad value is (v15h H1: long values were repeated whole).
NAME_SHOWN = 80


def _name(name: str) -> str:
    return name if len(name) <= NAME_SHOWN else quoted_cut(name)


def _labelled(field: str) -> str:
    label = LABELS.get(field)
    return f'{label} ("{field.rpartition(".")[2]}")' if label else _name(field)


class ImportProblem(DomainError):
    """A file could not be imported; names the file, the field and the line. `problems`:
    every one found (this one first), so that a person can put them all right at once."""

    def __init__(self, file: Path, field: str, line: int | None, message: str,
                 others: list[ImportProblem] | None = None, *, asks_which: bool = False,
                 matches: list[LikelyMatch] | None = None, customer_name: str = ""
                 ) -> None:
        self.file, self.field, self.line, self.message = file, field, line, message
        self.problems: list[ImportProblem] = [self, *(others or [])]
        # The file names a person who may be a customer on record and does not say which:
        # a question for whoever wrote it (the command's exit 2), not a fault in the file.
        # The app asks it instead (`I`): the matches and the name typed, to ask as `n` does.
        self.asks_which = asks_which
        self.matches = (matches or []) if asks_which else []
        self.customer_name = customer_name
        super().__init__(self._said())

    def _where(self) -> str:
        return ", ".join([*([f"line {self.line}"] if self.line else []),
                          *([_labelled(self.field)] if self.field else [])])

    def _said(self) -> str:
        if len(self.problems) == 1 and self.field == "file":  # a sentence naming the file
            return f"{self.file.name} {self.message}"
        if len(self.problems) == 1:
            where = self._where()
            return f"{self.file.name}{', ' + where if where else ''}: {self.message}"
        return "\n".join([f"{self.file.name}: {counted(len(self.problems), 'problem')}; "
                           "nothing was imported:",
                           *(f"  the file {p.message}" if p.field == "file" else
                             f"  {p._where()}: {p.message}" if p._where() else
                             f"  {p.message}" for p in self.problems)])


def _json_problem(file: Path, error: json.JSONDecodeError) -> ImportProblem:
    hint = next((words for said, words in _JSON_WORDS.items() if error.msg.startswith(said)),
                "")
    return ImportProblem(file, "", error.lineno, "the file is cut off or not valid JSON"
                         + (f" ({hint})" if hint else ""))


@dataclass
class _Reader:
    """Reads the file's fields, noting every problem (`found`) instead of stopping at the
    first; each field read wrongly gives a stand-in value that no later check refuses."""

    file: Path
    text: str
    found: list[ImportProblem] = field(default_factory=list)
    asks_which: bool = False  # a likely match on record was found: see ImportProblem
    matches: list[LikelyMatch] = field(default_factory=list)  # those it found
    customer_name: str = ""  # as the file gives it, to ask which person it is
    # Each date field read ("local_resolution.written_on") -> its day and the day as written.
    typed: dict[str, tuple[date, str]] = field(default_factory=dict)

    def line_of(self, path: tuple[str | int, ...], value: str | None = None) -> int | None:
        """The line of the last key of `path`, found by walking the keys through the text;
        of `value` (an item of a list) after it, when given and found."""
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
        if value is not None and found is not None:
            at = self.text.find(json.dumps(value, ensure_ascii=False), position)
            if at >= 0:
                found = self.text.count("\n", 0, at) + 1
        return found

    def problem(self, path: tuple[str | int, ...], message: str,
                value: str | None = None) -> ImportProblem:
        return ImportProblem(self.file, ".".join(str(p) for p in path),
                             self.line_of(path, value), message)

    def note(self, path: tuple[str | int, ...], message: str, value: str | None = None) -> None:
        self.found.append(self.problem(path, message, value))

    def obj(self, value: Any, path: tuple[str | int, ...], known: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            if path:
                self.note(path, "must be an object { ... }")
                return {}
            raise self.problem(path, "must be an object { ... }")
        for key in value:
            if key not in known:
                self.note((*path, key), f"is not a field of the schema (known: "
                          f"{', '.join(sorted(known))})")
        return value

    def text_field(self, data: dict[str, Any], path: tuple[str, ...], *, required: bool = False,
                   default: str = "") -> str:
        value = data.get(path[-1], default)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.note(path, "must be text in double quotes")
            return default
        if required and not value.strip():
            self.note(path, _BLANK)
        return value

    def date_field(self, data: dict[str, Any], path: tuple[str, ...], *,
                   stand_in: date) -> date:
        """The day written (dd/mm/yyyy, as the screens show it, or YYYY-MM-DD)."""
        if path[-1] in data and data[path[-1]] in ("", None):
            self.note(path, f"{_BLANK}: give a date as {HOW_TO_TYPE}")
            return stand_in
        value = self.text_field(data, path)
        if not value.strip():
            if path[-1] not in data:
                self.note(path, f"is missing: give a date as {HOW_TO_TYPE}")
            return stand_in
        try:
            day = parse_date(value)
        except ValueError as exc:
            self.note(path, str(exc))
            return stand_in
        self.typed[".".join(path)] = (day, value.strip())
        return day

    def service_problem(self, exc: ValidationError, evidence: tuple[Path, ...]) -> None:
        """A service's refusal at the field of the file it is about, dates as written there;
        left out when that field has a problem noted already (its stand-in was refused)."""
        if isinstance(exc, LikelyMatches):
            self.asks_which, self.matches = True, exc.matches
            exc = ValidationError("customer", _which_person(exc.matches))
        if exc.field in {shown_bytes(p.name) for p in evidence}:
            self.found.append(self.problem(("evidence",), f"{_name(exc.field)}: {exc.message}",
                                           exc.field))
            return
        path = _json_path(exc.field)
        # The value refused is quoted as it is written in its field; any other day the
        # message names (the monitoring start an end is before) as the screens show days,
        # dd/mm/yyyy (v16b: "(2026-09-01)", ISO as written in another field, where every
        # other message gave dd/mm/yyyy).
        own = self.typed.get(".".join(path))
        problem = self.problem(path, with_typed_dates(exc.message, dict([own]) if own else {}))
        if problem.field not in {p.field for p in self.found}:
            self.found.append(problem)

    def refuse_found(self) -> None:
        """Raise every problem noted, in the order of the file's lines."""
        if self.found:
            first, *others = sorted(self.found, key=lambda p: (p.line is None, p.line or 0))
            # Exit 2 only when which person it is is all that is left to say: a file with
            # faults too is a file to put right, as any other (exit 1).
            raise ImportProblem(first.file, first.field, first.line, first.message, others,
                                asks_which=self.asks_which and not others,
                                matches=self.matches, customer_name=self.customer_name)


def _flag(r: _Reader, data: dict[str, Any], path: tuple[str, ...]) -> bool:
    value = data.get(path[-1], False)
    if not isinstance(value, bool):
        r.note(path, "must be true or false (no quotes)")
        return False
    return value


def _customer(r: _Reader, raw: Any) -> CustomerInput:
    data = r.obj(raw, ("customer",), _CUSTOMER)
    address = data.get("address", [])
    if not isinstance(address, list) or not all(isinstance(a, str) for a in address):
        r.note(("customer", "address"), "must be a list of lines of text")
        address = []
    # Read once (issue 16: a name given as a number was told twice, "2 problems").
    name = r.text_field(data, ("customer", "name"), required=not data.get("reference"))
    new_person = _flag(r, data, ("customer", "new_person"))
    if new_person and data.get("reference"):
        r.note(("customer", "new_person"), "cannot be given with a reference: the reference "
               "names a customer on record; leave out one or the other")
    return CustomerInput(
        name=name, address=tuple(address),
        postcode=r.text_field(data, ("customer", "postcode")),
        email=r.text_field(data, ("customer", "email")),
        telephone=r.text_field(data, ("customer", "telephone")),
        personal_circumstances=r.text_field(data, ("customer", "personal_circumstances")),
        reasonable_adjustments=r.text_field(data, ("customer", "reasonable_adjustments")),
        reference=r.text_field(data, ("customer", "reference")), new_person=new_person)


def _which_person(matches: list[LikelyMatch]) -> str:
    """A likely match said in the file's own words: how to say which person it is."""
    said = "; ".join(m.described for m in matches)
    named = [m for m in matches if not m.withheld]
    # A manager is not told the reference of another area's customer (customer_matches):
    # the app's I asks which person it is and links it without saying who.
    if not named:
        # Another area's customer is not a manager's to link (v16h H0).
        return (f"may be a customer already on record: {said}. Nothing was imported. "
                f"{OTHER_AREAS_LINK}: add \"new_person\": true to \"customer\" to import it")
    same = (f'give their reference in place of the details, "customer": {{"reference": '
            f'"{named[0].reference}"}}')
    return (f"may be a customer already on record: {said}. Nothing was imported: say in the "
            f"file which person this is. The same person: {same}. A different person: add "
            '"new_person": true to "customer"')


def _local_resolution(r: _Reader, raw: Any) -> LocalResolutionInput | None:
    if raw is None:
        return None
    data = r.obj(raw, ("local_resolution",), _LR)
    p = ("local_resolution",)
    # Stand-ins that no check refuses: the earliest start, the latest end.
    return LocalResolutionInput(
        written_on=r.date_field(data, (*p, "written_on"), stand_in=date.min),
        written_summary=r.text_field(data, (*p, "written_summary"), required=True),
        monitoring_start=r.date_field(data, (*p, "monitoring_start"), stand_in=date.min),
        monitoring_end=r.date_field(data, (*p, "monitoring_end"), stand_in=date.max),
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
    kind = EscalationKind.POLICE  # a stand-in: nothing is recorded while a problem stands
    named = r.text_field(data, (*p, "kind"), required=True)
    if named.strip():
        try:
            kind = EscalationKind.from_name(named)
        except ValueError as exc:
            r.note((*p, "kind"), str(exc))
    return EscalationInput(kind=kind,
                           occurred_on=r.date_field(data, (*p, "occurred_on"),
                                                    stand_in=date.min),
                           reference=r.text_field(data, (*p, "reference")),
                           note=r.text_field(data, (*p, "note")))


def _categories(r: _Reader, raw: Any) -> tuple[BehaviourCategory, ...]:
    path = ("behaviour", "categories")
    if not isinstance(raw, list):
        r.note(path, "must be a list of behaviour categories, like [\"Repeat complaints\"]")
        return ()
    named = []
    for name in raw:
        try:
            named.append(BehaviourCategory.from_name(str(name)))
        except ValueError as exc:
            r.note(path, str(exc), name if isinstance(name, str) else None)
    return tuple(dict.fromkeys(named))


def _evidence(r: _Reader, raw: Any, base: Path) -> tuple[Path, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        r.note(("evidence",), "must be a list of file names")
        return ()
    paths = []
    root = base.resolve()
    for name in raw:
        candidate = (base / name).resolve()
        if root not in candidate.parents:
            r.note(("evidence",), f"{quoted_cut(name)} is outside the folder of the referral",
                   name)
            continue
        paths.append(base / name)
    return tuple(paths)


def _parse(r: _Reader, base: Path) -> ReferralSubmission:
    """The submission the file describes, every problem noted in `r.found`; raises at once
    only when the file is no referral at all (not JSON, not an object, another schema)."""
    try:
        raw = bounded_json.loads(r.text)
    except json.JSONDecodeError as exc:
        raise _json_problem(r.file, exc) from None
    except bounded_json.JsonLimit as exc:
        raise ImportProblem(r.file, "", exc.line, exc.message) from None
    for path in bounded_json.unstorable(raw):
        # Nothing of the file is read until these are put right: a stand-in for each would
        # be refused again further on, once per check.
        r.note(path, "holds a character that is not text (a lone \\ud800-\\udfff escape); "
               "write the character itself, or remove it")
    r.refuse_found()
    data = r.obj(raw, (), _TOP)
    if data.get("schema") != SCHEMA:
        raise r.problem(("schema",), f'must be "{SCHEMA}"')
    behaviour = r.obj(data.get("behaviour"), ("behaviour",), {"details", "categories", "other"})
    case_reference = r.text_field(data, ("case_reference",))
    customer = None if case_reference else _customer(r, data.get("customer"))
    return ReferralSubmission(
        service_area=r.text_field(data, ("service_area",), required=True),
        referral=ReferralInput(
            referred_by=r.text_field(data, ("referred_by",), required=True),
            received_on=r.date_field(data, ("received_on",), stand_in=clock.today()),
            behaviour_details=r.text_field(behaviour, ("behaviour", "details"), required=True),
            categories=_categories(r, behaviour.get("categories", [])),
            other_departments=r.text_field(data, ("other_departments",)),
            no_local_resolution_reason=r.text_field(data, ("no_local_resolution_reason",)),
            other_behaviour=r.text_field(behaviour, ("behaviour", "other")),
            escalation=_escalation(r, data.get("escalation"))),
        customer=customer, case_reference=case_reference,
        local_resolution=_local_resolution(r, data.get("local_resolution")),
        evidence=_evidence(r, data.get("evidence"), base))


def parse(file: Path, text: str, base: Path) -> ReferralSubmission:
    """The submission a referral file describes; raises ImportProblem naming every problem
    found in the file itself (the service's own checks are run by import_referral)."""
    r = _Reader(file, text)
    submission = _parse(r, base)
    r.refuse_found()
    return submission


def _read(file: Path) -> str:
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ImportProblem(file, "file", None, f"cannot be read: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        # The limit said, as every other refusal says its own (b16c F12).
        raise ImportProblem(file, "file", None, "is too large for a referral file (at most "
                            f"{MAX_BYTES // 1_000_000} MB)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ImportProblem(file, "file", line, f"is not UTF-8 text (line {line}): save it as "
                            "UTF-8 and import it again") from None


def import_referral(actor: Actor, path: Path, *, same_as: str = "",
                    new_person: bool = False) -> CaseSummary:
    """Import a JSON file, or a folder with `referral.json` and its documents (every other
    ordinary file in the folder is attached as evidence). Every problem, the file's own and
    those the service's checks find, is raised at once in one ImportProblem. `same_as` (a
    likely match's customer reference) or `new_person`: which person the file's customer
    is, as the app's `I` asks it (the file itself can say so too), recorded as the referral
    form's answer is."""
    if path.is_dir():
        file, base = path / FOLDER_FILE, path
        if not file.is_file():
            raise ImportProblem(path, "folder", None, f"has no {FOLDER_FILE}")
    else:
        file, base = path, path.parent
    reader = _Reader(file, _read(file))
    # The file's own problems and the service's checks, all in one round: each field read
    # wrongly has a stand-in no check refuses, and a check on a field already refused is
    # left out (service_problem).
    submission = _parse(reader, base)
    if path.is_dir():
        listed = {p.resolve() for p in submission.evidence}
        extra = tuple(sorted(p for p in path.iterdir() if p.name != FOLDER_FILE
                             and not p.name.startswith(".") and p.resolve() not in listed))
        submission = ReferralSubmission(**{**submission.__dict__,
                                           "evidence": submission.evidence + extra})
    typed = submission.customer
    if typed is not None:
        reader.customer_name = typed.name
        if (same_as or new_person) and not typed.reference:
            said = replace(typed, new_person=True) if new_person else \
                replace(typed, reference=same_as, same_as_match=True)
            submission = replace(submission, customer=said)
    for problem in submission_problems(actor, submission):
        reader.service_problem(problem, submission.evidence)
    reader.refuse_found()
    try:
        return submit_referral(actor, submission)
    except ValidationError as exc:
        for one in exc.found if isinstance(exc, Problems) else [exc]:
            reader.service_problem(one, submission.evidence)
        reader.refuse_found()
        raise


# Service fields named as the JSON names them, so that a message points into the file.
_FIELD_PATHS: dict[str, tuple[str, ...]] = {
    "written_on": ("local_resolution", "written_on"),
    "monitoring_start": ("local_resolution", "monitoring_start"),
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
    "address": ("customer", "address"),
    "postcode": ("customer", "postcode"),
    "email": ("customer", "email"),
    "telephone": ("customer", "telephone"),
    "customer": ("customer",),
}


def _json_path(field: str) -> tuple[str, ...]:
    return _FIELD_PATHS.get(field, (field,))
