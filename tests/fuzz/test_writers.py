"""Property tests over what writes and the checks before it: an import or a contact is stored
whole or refused in words with nothing stored (no row, no audit entry, no file in the
evidence store); a form's check or a domain rule answers in words, never raises anything but
its own refusal."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from crm_tui.db.models import (
    AuditEntry,
    Case,
    ContactLogEntry,
    Customer,
    EvidenceItem,
    Referral,
)
from crm_tui.domain import grounds
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.restrictions import RestrictionKind, parameter_problems
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core.evidence_store import evidence_store
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contact_input import ContactInput
from crm_tui.services.evidence.log_sheet_csv import CSV_COLUMNS
from crm_tui.services.intake.referral_import import import_referral
from crm_tui.ui.forms import a_date, a_time, minutes
from tests import builders
from tests.fuzz.test_readers import ANY_TEXT, JSON, TYPED_DAY
from tests.unit.services.intake.test_inbox_services import SAMPLE

# Each example of these writes to a database: a third of the profile's examples (10 in the
# suite, hundreds in make test-fuzz).
writing = settings(max_examples=max(10, settings.default.max_examples // 3))


def _state() -> tuple[object, ...]:
    """What a refused write must leave as it was: the rows, the trail, the store's files."""
    root = evidence_store().root
    files = sorted(str(p) for p in root.rglob("*")) if root.is_dir() else []
    return (Case.select().count(), Customer.select().count(), Referral.select().count(),
            EvidenceItem.select().count(), ContactLogEntry.select().count(),
            AuditEntry.select().count(), files)


TOP = ["service_area", "referred_by", "received_on", "customer", "behaviour",
       "local_resolution", "evidence", "escalation", "other_departments",
       "no_local_resolution_reason"]


@writing
@given(st.dictionaries(st.sampled_from(TOP), JSON | TYPED_DAY, max_size=3),
       st.lists(st.binary(min_size=0, max_size=300), max_size=3))
def test_a_referral_is_imported_whole_or_refused_with_nothing_stored(
        actors: dict[Role, Actor], tmp_path: Path, changes: dict[str, Any],
        documents: list[bytes]) -> None:
    folder = tmp_path / "referral"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for n, data in enumerate(documents):
        (folder / f"doc-{n}.txt").write_bytes(data)
    referral = {**SAMPLE, "evidence": [], **changes}
    (folder / "referral.json").write_text(json.dumps(referral), encoding="utf-8",
                                          errors="surrogatepass")
    before = _state()
    try:
        summary = import_referral(actors[Role.CRM], folder)
    except DomainError as exc:
        assert str(exc)
        assert _state() == before
    else:
        assert Case.get(Case.reference == summary.reference)


LINE = st.tuples(TYPED_DAY, st.sampled_from(["email", "Web form", "phone", "fax"]) | ANY_TEXT,
                 st.sampled_from(["inbound", "To customer"]) | ANY_TEXT,
                 st.sampled_from(["Housing Services"]) | ANY_TEXT,
                 st.sampled_from(["Sam Patel", ""]) | ANY_TEXT,
                 st.integers(-5, 2000).map(str) | ANY_TEXT,
                 ANY_TEXT | st.just("rang"),
                 st.sampled_from(["", "Repeat complaints", "scattergun;nonsense"]) | ANY_TEXT)


@writing
@given(st.lists(LINE, min_size=1, max_size=5))
def test_a_log_sheet_is_imported_whole_or_refused_with_nothing_stored(
        actors: dict[Role, Actor], tmp_path: Path, lines: list[tuple[str, ...]]) -> None:
    ref = _restricted(actors)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(lines)
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes(out.getvalue().encode("utf-8", "surrogatepass"))
    before = _state()
    try:
        contacts.import_log_sheet(actors[Role.OFFICER], ref, sheet)
    except DomainError as exc:
        assert str(exc)
        assert _state() == before
    else:
        assert ContactLogEntry.select().count() == before[4] + len(lines)


_cases: dict[int, str] = {}


def _restricted(actors: dict[Role, Actor]) -> str:
    """One case per test's database (the fixture's), made at its first example."""
    key = id(actors)
    if key not in _cases or not Case.select().where(Case.reference == _cases[key]).exists():
        _cases[key] = builders.at_state(actors, CaseState.RESTRICTED)
    return _cases[key]


@writing
@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(2100, 1, 1)),
       ANY_TEXT, ANY_TEXT, st.integers(-10_000, 10_000),
       st.lists(st.sampled_from(list(BehaviourCategory)), max_size=3))
def test_a_contact_is_stored_or_refused_with_nothing_stored(
        actors: dict[Role, Actor], at: datetime, officer: str, summary: str, duration: int,
        categories: list[BehaviourCategory]) -> None:
    ref = _restricted(actors)
    entry = ContactInput(at=at, channel=Channel.EMAIL, direction=Direction.INBOUND,
                         service_area="Housing Services", officer_name=officer,
                         summary=summary, duration_minutes=duration,
                         categories=tuple(categories))
    before = _state()
    try:
        contacts.log_contact(actors[Role.OFFICER], ref, entry)
    except DomainError as exc:
        assert str(exc)
        assert _state() == before
    else:
        assert at.date() >= date(1990, 1, 1)


@given(TYPED_DAY, st.booleans(), st.booleans())
def test_a_forms_checks_answer_in_words(text: str, past: bool, to_come: bool) -> None:
    for answer in (a_date(past=past, to_come=to_come and not past)(text), a_time(text),
                   minutes(text)):
        assert answer is None or (isinstance(answer, str) and answer)


@given(st.sampled_from(list(RestrictionKind)),
       st.dictionaries(st.sampled_from(["channels", "email_address", "officer_id",
                                        "deputy_id", "days", "times", "start", "end",
                                        "issues", "note", "reason"]) | ANY_TEXT,
                       JSON, max_size=6))
def test_a_restrictions_parameters_are_checked_in_words(kind: RestrictionKind,
                                                        params: dict[str, Any]) -> None:
    try:
        problems = parameter_problems(kind, params)
    except ValidationError:  # the rule's own refusal, in words
        return
    assert all(isinstance(m, str) and m for m in problems.values())


@given(ANY_TEXT, st.booleans())
def test_the_grounds_checks_answer_in_words(text: str, flag: bool) -> None:
    for answer in (grounds.skipped_local_resolution_problem(text, escalated=flag),
                   grounds.without_warning_reasons_problem(text),
                   grounds.other_behaviour_problem(flag, text)):
        assert answer is None or (isinstance(answer, str) and answer)
