"""`audit verify` holds a case's decisions, restrictions, state and log sheet to the latest
entry about it (issue 16, b16b F-T1 and F-T5): each edit below, made in the database, passed
`audit verify` before, while the entry that imposed the restriction still said what was
decided."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import (
    Appeal,
    AuditEntry,
    Case,
    Consultation,
    ContactLogEntry,
    Decision,
    EvidenceLink,
    Restriction,
    Review,
)
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit, audit_seals
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contacts import ContactInput
from tests import builders, outside
from tests.unit.services.core.trail_rewrite import rechain


def _sql(path: Path, sql: str, *args: object) -> None:
    with outside.connect(path) as con:
        con.execute(sql, args)
    con.close()


def _cli_verify(db_path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["audit", "verify", "--db", outside.target(db_path)])
    return result.exit_code, result.output


def _restricted(actors: dict[Role, Actor]) -> tuple[str, int]:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    case_id = int(Case.get(Case.reference == ref).id)
    contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=datetime(2026, 11, 27, 10, 15), channel=Channel.TELEPHONE, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam Okafor",
        summary="Rang about the repair again"))
    return ref, case_id


def _decision(case_id: int) -> int:
    return int(Decision.select(Decision.id).where(Decision.case == case_id)
               .order_by(Decision.id.desc()).scalar())


def _restriction(case_id: int) -> int:
    return int(Restriction.select(Restriction.id).where(Restriction.case == case_id)
               .order_by(Restriction.id).scalar())


def _contact(case_id: int) -> int:
    return int(ContactLogEntry.select(ContactLogEntry.id).where(
        ContactLogEntry.case == case_id).order_by(ContactLogEntry.id).scalar())


Edit = Callable[[Path, int], str]  # makes the edit; returns the words verify must name


def _reason(db: Path, case_id: int) -> str:
    decision = _decision(case_id)
    _sql(db, "UPDATE decision SET reason = 'Customer was rude once.' WHERE id = ?", decision)
    return f"decision {decision} of"


def _dates(db: Path, case_id: int) -> str:
    decision = _decision(case_id)
    _sql(db, "UPDATE decision SET ends_on = '2030-01-01', review_due = '2030-01-01' "
         "WHERE id = ?", decision)
    return f"decision {decision} of"


def _case_state(db: Path, case_id: int) -> str:
    _sql(db, "UPDATE \"case\" SET state = 'closed_no_action', restrictions_end = '2031-01-01'"
         " WHERE id = ?", case_id)
    return "(its state, dates or details)"


def _widened(db: Path, case_id: int) -> str:
    restriction = _restriction(case_id)
    _sql(db, "UPDATE restriction SET kind = 'no_contact', parameters = '{}' WHERE id = ?",
         restriction)
    return f"restriction {restriction} of"


def _summary(db: Path, case_id: int) -> str:
    _sql(db, "UPDATE contact_log_entry SET summary = 'Threatened to burn the office down' "
         "WHERE id = ?", _contact(case_id))
    return "contacts were changed, added or deleted"


def _deleted(db: Path, case_id: int) -> str:
    _sql(db, "DELETE FROM contact_log_entry WHERE id = ?", _contact(case_id))
    return "contacts were changed, added or deleted"


@pytest.mark.parametrize("edit", [_reason, _dates, _case_state, _widened, _summary, _deleted],
                         ids=["decision reason", "decision dates", "case state",
                              "restriction widened", "contact summary", "contact deleted"])
def test_a_record_edited_in_the_database_is_named_with_its_entry(
        actors: dict[Role, Actor], db_path: Path, edit: Edit) -> None:
    ref, case_id = _restricted(actors)
    before = audit.verify()
    assert before.ok and before.cases >= 1 and not before.unvouched_cases
    said = edit(db_path, case_id)
    result = audit.verify()
    latest = AuditEntry.select(AuditEntry.seq).where(AuditEntry.case_reference == ref) \
        .order_by(AuditEntry.seq.desc()).scalar()
    assert not result.ok and result.first_bad_seq == latest
    assert said in result.problem and ref in result.problem
    assert f"entry {latest}" in result.problem
    code, out = _cli_verify(db_path)
    assert code == 1 and f"BROKEN at entry {latest}" in out and ref in out


def test_a_correction_of_a_contact_keeps_the_trail_vouching(actors: dict[Role, Actor],
                                                           db_path: Path) -> None:
    ref, case_id = _restricted(actors)
    contact = _contact(case_id)
    contacts.correct_contact(actors[Role.OFFICER], ref, contact, ContactInput(
        at=datetime(2026, 11, 27, 10, 15), channel=Channel.LETTER, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam Okafor",
        summary="A letter about the repair, not a call"), "Logged as a call by mistake")
    result = audit.verify()
    assert result.ok and result.cases >= 1
    code, out = _cli_verify(db_path)
    assert code == 0 and "the decisions, restrictions and contacts of" in out


def _as_an_older_version_wrote_it() -> None:
    """Every entry without the hashes of its case's records, chained again: a trail written
    before it held them."""
    rechain(lambda _row, payload: payload.pop("records", None))


def test_an_older_trail_says_what_it_could_not_vouch_for(actors: dict[Role, Actor],
                                                         db_path: Path) -> None:
    _ref, case_id = _restricted(actors)
    _as_an_older_version_wrote_it()
    _sql(db_path, "UPDATE decision SET reason = 'Customer was rude once.' WHERE id = ?",
         _decision(case_id))
    result = audit.verify()
    assert result.ok and result.cases == 0 and result.unvouched_cases >= 1
    assert result.unvouched_records > result.unvouched_cases  # decisions, contacts too
    code, out = _cli_verify(db_path)
    assert code == 0 and "could not be vouched for" in out
    assert f"of {result.unvouched_cases} case" in out


# b16c F4, F5, F9: what a decision rests on, beyond its reason and dates, edited or deleted
# in the database. Each returns the words verify must name.
def _customer_reason(db: Path, case_id: int) -> str:
    decision = _decision(case_id)
    _sql(db, "UPDATE decision SET customer_reason = customer_reason || '.', "
         "against_view_reason = 'Overruled' WHERE id = ?", decision)
    return f"decision {decision} of"


def _still_reachable(db: Path, case_id: int) -> str:
    restriction = _restriction(case_id)
    _sql(db, "UPDATE restriction SET still_reachable = 'Nothing.', behaviours = 0 "
         "WHERE id = ?", restriction)
    return f"restriction {restriction} of"


def _contact_behaviours(db: Path, case_id: int) -> str:
    _sql(db, "UPDATE contact_log_entry SET categories = 255 WHERE id = ?", _contact(case_id))
    return "contacts were changed, added or deleted"


def _destroy_after(db: Path, case_id: int) -> str:
    _sql(db, "UPDATE \"case\" SET destroy_after = '2026-01-01' WHERE id = ?", case_id)
    return "(its state, dates or details)"


def _appeal_deleted(db: Path, case_id: int) -> str:
    appeal = int(Appeal.select(Appeal.id).where(Appeal.case == case_id).scalar())
    _sql(db, "DELETE FROM appeal WHERE id = ?", appeal)
    return f"appeal {appeal} of"


def _appeal_grounds(db: Path, case_id: int) -> str:
    appeal = int(Appeal.select(Appeal.id).where(Appeal.case == case_id).scalar())
    _sql(db, "UPDATE appeal SET grounds = 'I accept the restriction' WHERE id = ?", appeal)
    return f"appeal {appeal} of"


def _consultation(db: Path, case_id: int) -> str:
    consultation = int(Consultation.select(Consultation.id).where(
        Consultation.case == case_id).scalar())
    _sql(db, "UPDATE consultation SET view_text = 'Agreed without reservation' WHERE id = ?",
         consultation)
    return f"consultation {consultation} of"


@pytest.mark.parametrize("edit", [_customer_reason, _still_reachable, _contact_behaviours,
                                  _destroy_after, _appeal_deleted, _appeal_grounds,
                                  _consultation],
                         ids=["decision customer reason", "restriction still reachable",
                              "contact behaviours", "destroy after", "appeal deleted",
                              "appeal grounds", "consultee view"])
def test_every_field_a_decision_rests_on_is_vouched_for(
        actors: dict[Role, Actor], db_path: Path, edit: Edit) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    case_id = int(Case.get(Case.reference == ref).id)
    assert audit.verify().ok
    said = edit(db_path, case_id)
    result = audit.verify()
    assert not result.ok and said in result.problem and ref in result.problem
    code, out = _cli_verify(db_path)
    assert code == 1 and "BROKEN" in out and said in out


def test_a_review_rewritten_fails(
        actors: dict[Role, Actor], db_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    case_id = int(Case.get(Case.reference == ref).id)
    assert audit.verify().ok
    review = int(Review.select(Review.id).where(Review.case == case_id).scalar())
    _sql(db_path, "UPDATE review SET outcome = 'lift' WHERE id = ?", review)
    result = audit.verify()
    assert not result.ok and f"review {review} of {ref}" in result.problem


def test_an_evidence_link_deleted_fails(actors: dict[Role, Actor], db_path: Path) -> None:
    ref, case_id = _restricted(actors)
    assert EvidenceLink.select().where(EvidenceLink.case == case_id).exists()
    assert audit.verify().ok
    _sql(db_path, "DELETE FROM evidence_link WHERE case_id = ?", case_id)
    result = audit.verify()
    assert not result.ok and f"the evidence links of {ref}" in result.problem


@pytest.mark.parametrize(("sheet", "said"), [
    ("contacts", "the log sheet of {ref} is not as entry {seq} left it (it had 99 contacts, it "
                 "has {now} now): contacts were changed, added or deleted outside the app"),
    ("links", "the evidence links of {ref} are not as entry {seq} left it (it had 99, it has "
              "{now} now): links were changed, added or deleted outside the app"),
    ("breaches", "the breaches recorded on {ref} are not as entry {seq} left it (it had 99, it "
                 "has {now} now): breaches were changed, added or deleted outside the app"),
])
def test_a_sheet_whose_count_differs_is_said_in_its_words(
        actors: dict[Role, Actor], sheet: str, said: str) -> None:
    """Each sheet a seal counts (contacts, evidence links, breaches) is named with the count
    the entry had and the count now, in the one wording."""
    ref, case_id = _restricted(actors)
    latest = audit_seals.latest_about(ref).first()
    kept = audit_seals.latest_seal(json.loads(latest.payload))
    assert kept is not None
    now = audit_seals.seal(case_id, kept["v"])
    assert now is not None
    kept[sheet] = [99, "a hash of other rows"]
    found = audit_seals.disagreement(ref, case_id, int(latest.seq), kept)
    assert found == said.format(ref=ref, seq=latest.seq, now=now[sheet][0])


def test_every_column_of_the_sealed_records_is_sealed_or_named_as_not() -> None:
    """A column added to one of these models is neither: it goes into a new seal version
    (a version-2 hash over it would fail every database sealed before it)."""
    for model, names in audit_seals.SEALED.items():
        columns = {f.name for f in model._meta.sorted_fields}
        unsealed = audit_seals.UNSEALED.get(model, frozenset())
        assert columns == set(names) | unsealed, model.__name__
        assert not set(names) & unsealed


def _as_version_one_sealed_it() -> None:
    """Every entry holding records, sealed as version 1 (before every column was held),
    chained again: a database written by the version before."""
    def as_version_one(row: AuditEntry, payload: dict[str, Any]) -> None:
        if "records" in payload:
            case_id = Case.select(Case.id).where(Case.reference == row.case_reference).scalar()
            payload["records"] = audit_seals.seal(int(case_id), 1)

    rechain(as_version_one)


def test_a_version_one_seal_is_checked_on_what_it_held(actors: dict[Role, Actor],
                                                      db_path: Path) -> None:
    _ref, case_id = _restricted(actors)
    _as_version_one_sealed_it()
    result = audit.verify()
    assert result.ok and result.cases >= 1 and not result.unvouched_cases
    decision = _decision(case_id)
    _sql(db_path, "UPDATE decision SET reason = 'Customer was rude once.' WHERE id = ?",
         decision)
    assert f"decision {decision} of" in audit.verify().problem
