"""`audit verify` holds the other records a restriction rests on to the latest entry about
their case (v16b X5, S1): the warning before restrictions, escalations, breaches, case notes,
matters, referrals, the post waiting to be screened and a nomination to decide the case's
appeal. Each, edited or deleted in the database, passed `audit verify` before."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import (
    Breach,
    Case,
    CaseNote,
    Escalation,
    Matter,
    Nomination,
    PriorWarning,
    Referral,
    Restriction,
    ScreeningItem,
)
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.escalations import EscalationKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.screening import ScreeningOutcome
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit
from crm_tui.services.core.inputs import EscalationInput
from crm_tui.services.evidence import contacts, matters, screening
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.evidence.screening import ScreeningDecision
from crm_tui.services.intake import casework, escalations, triage
from crm_tui.services.reviews import nominations
from crm_tui.services.reviews.appeals import lodge_appeal
from tests import builders, outside
from tests.unit.services.core.trail_rewrite import rechain
from tests.unit.services.reviews.appeal_fixtures import deputy


def _sql(path: Path, sql: str, *args: object) -> None:
    with outside.connect(path) as con:
        con.execute(sql, args)
    con.close()


def _post(actors: dict[Role, Actor], ref: str, at: datetime, summary: str) -> int:
    return contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=at, channel=Channel.EMAIL, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam Patel", summary=summary))


def _grounded(actors: dict[Role, Actor]) -> tuple[str, int]:
    """A letter-only case under appeal with every record of this kind: its referral and the
    warning given in the local-resolution letter (builders), an email that broke the
    restriction (a breach, and an item of post to screen), a closed matter, an escalation,
    and an officer nominated to decide its appeal."""
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    with builders.as_the_app(ref):
        Restriction.update(starts_on=date(2026, 11, 2)).where(
            Restriction.status == "in_force").execute()
    _post(actors, ref, datetime(2026, 11, 20, 9, 30), "Same complaint again, by email")
    matter = matters.open_matter(actors[Role.OFFICER], ref, "Damp in the back bedroom")
    matters.close_matter(actors[Role.OFFICER], ref, matter, date(2026, 11, 25),
                         "Stage 2 answered")
    escalations.record_escalation(actors[Role.CRM], ref, EscalationInput(
        EscalationKind.POLICE, date(2026, 11, 21),
        "Shouted at the officer at reception; police attended", "NM/26/4412"))
    lodge_appeal(actors[Role.OFFICER], ref, builders.TODAY, "The restriction is unfair")
    deputy(actors)
    nominations.nominate(actors[Role.SERVICE_DIRECTOR], "deputy", "Conflict of interest",
                         case_reference=ref)
    return ref, int(Case.get(Case.reference == ref).id)


def _one(model: type[PriorWarning] | type[Escalation] | type[Matter] | type[Referral]
         | type[ScreeningItem] | type[Nomination] | type[Breach] | type[CaseNote],
         case_id: int) -> int:
    found = model.select(model.id).where(model.case == case_id).order_by(model.id).scalar()
    assert found is not None, model.__name__  # the case holds one to tamper with
    return int(found)


Edit = Callable[[Path, int], str]  # makes the edit; returns the words verify must name


def _warning_moved(db: Path, case_id: int) -> str:
    warning = _one(PriorWarning, case_id)
    _sql(db, "UPDATE prior_warning SET given_on = '2025-06-01', summary = 'Warned face to "
         "face by the Service Director' WHERE id = ?", warning)
    return f"prior warning {warning} of"


def _warning_deleted(db: Path, case_id: int) -> str:
    warning = _one(PriorWarning, case_id)
    _sql(db, "DELETE FROM prior_warning WHERE id = ?", warning)
    return f"prior warning {warning} of"


def _escalation_reworded(db: Path, case_id: int) -> str:
    escalation = _one(Escalation, case_id)
    _sql(db, "UPDATE escalation SET note = 'Threatened to kill the officer' WHERE id = ?",
         escalation)
    return f"escalation {escalation} of"


def _escalation_deleted(db: Path, case_id: int) -> str:
    escalation = _one(Escalation, case_id)
    _sql(db, "DELETE FROM escalation WHERE id = ?", escalation)
    return f"escalation {escalation} of"


def _breach_reworded(db: Path, case_id: int) -> str:
    _sql(db, "UPDATE breach SET reason = 'Telephoned the Chief Executive' WHERE id = ?",
         _one(Breach, case_id))
    return "the breaches recorded on"


def _breach_deleted(db: Path, case_id: int) -> str:
    _sql(db, "DELETE FROM breach WHERE id = ?", _one(Breach, case_id))
    return "the breaches recorded on"


def _note_reworded(db: Path, case_id: int) -> str:
    note = _one(CaseNote, case_id)
    _sql(db, "UPDATE case_note SET text = 'Housing say there was never a repair' "
         "WHERE id = ?", note)
    return f"case note {note} of"


def _note_deleted(db: Path, case_id: int) -> str:
    note = _one(CaseNote, case_id)
    _sql(db, "DELETE FROM case_note WHERE id = ?", note)
    return f"case note {note} of"


def _matter_reopened(db: Path, case_id: int) -> str:
    matter = _one(Matter, case_id)
    _sql(db, "UPDATE matter SET closed_on = NULL, outcome = '' WHERE id = ?", matter)
    return f"matter {matter} of"


def _matter_deleted(db: Path, case_id: int) -> str:
    matter = _one(Matter, case_id)
    _sql(db, "DELETE FROM matter WHERE id = ?", matter)
    return f"matter {matter} of"


def _referral_redated(db: Path, case_id: int) -> str:
    referral = _one(Referral, case_id)
    _sql(db, "UPDATE referral SET received_on = '2020-01-01' WHERE id = ?", referral)
    return f"referral {referral} of"


def _referral_deleted(db: Path, case_id: int) -> str:
    referral = _one(Referral, case_id)
    _sql(db, "DELETE FROM referral WHERE id = ?", referral)
    return f"referral {referral} of"


def _post_marked_read(db: Path, case_id: int) -> str:
    item = _one(ScreeningItem, case_id)
    _sql(db, "UPDATE screening_item SET outcome = 'filed', screened_at = '2026-11-27 09:00:00'"
         " WHERE id = ?", item)
    return f"item of post to screen {item} of"


def _post_deleted_unread(db: Path, case_id: int) -> str:
    item = _one(ScreeningItem, case_id)
    _sql(db, "DELETE FROM screening_item WHERE id = ?", item)
    return f"item of post to screen {item} of"


def _nomination_widened(db: Path, case_id: int) -> str:
    nomination = _one(Nomination, case_id)
    _sql(db, "UPDATE nomination SET case_id = NULL, valid_from = '2026-11-28', "
         "valid_until = '2027-11-27' WHERE id = ?", nomination)
    return f"nomination {nomination} of"


def _nomination_deleted(db: Path, case_id: int) -> str:
    nomination = _one(Nomination, case_id)
    _sql(db, "DELETE FROM nomination WHERE id = ?", nomination)
    return f"nomination {nomination} of"


EDITS = {
    "warning moved": _warning_moved, "warning deleted": _warning_deleted,
    "escalation reworded": _escalation_reworded, "escalation deleted": _escalation_deleted,
    "breach reworded": _breach_reworded, "breach deleted": _breach_deleted,
    "matter reopened": _matter_reopened, "matter deleted": _matter_deleted,
    "referral redated": _referral_redated, "referral deleted": _referral_deleted,
    "post marked read": _post_marked_read, "post deleted unread": _post_deleted_unread,
    "nomination widened": _nomination_widened, "nomination deleted": _nomination_deleted,
}


@pytest.mark.parametrize("edit", list(EDITS.values()), ids=list(EDITS))
def test_each_record_a_restriction_rests_on_edited_or_deleted_is_named(
        actors: dict[Role, Actor], db_path: Path, edit: Edit) -> None:
    ref, case_id = _grounded(actors)
    assert audit.verify().ok
    said = edit(db_path, case_id)
    result = audit.verify()
    assert not result.ok and said in result.problem and ref in result.problem
    code = CliRunner().invoke(main, ["audit", "verify", "--db", outside.target(db_path)])
    assert code.exit_code == 1 and "BROKEN" in code.output and said in code.output


@pytest.mark.parametrize("edit", [_note_reworded, _note_deleted], ids=["reworded", "deleted"])
def test_a_case_note_edited_or_deleted_is_named(actors: dict[Role, Actor], db_path: Path,
                                               edit: Edit) -> None:
    """Case notes are written while a referral is triaged: a case of its own."""
    ref = builders.referred(actors)
    casework.begin_consideration(actors[Role.CRM], ref)
    triage.record_note(actors[Role.CRM], ref, triage.NoteKind.ENQUIRY,
                       "Asked housing for the repair history")
    case_id = int(Case.get(Case.reference == ref).id)
    assert audit.verify().ok
    said = edit(db_path, case_id)
    result = audit.verify()
    assert not result.ok and said in result.problem and ref in result.problem


def test_post_read_in_the_app_keeps_the_trail_vouching(actors: dict[Role, Actor]) -> None:
    _ref, case_id = _grounded(actors)
    screening.record_outcome(actors[Role.OFFICER], _one(ScreeningItem, case_id),
                             ScreeningDecision(ScreeningOutcome.FILED,
                                               note="Same points as before"))
    result = audit.verify()
    assert result.ok and not result.unvouched_cases, result.problem


def test_a_normal_day_keeps_the_trail_vouching_after_every_step(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """No false alarm: each step of a day's work, as the app takes it, seals what it
    changed, and `audit verify` holds after each."""
    from crm_tui.domain.letters import LetterKind
    from crm_tui.services.letters import issuing, posting
    from crm_tui.services.restrictions import decisions
    from tests.conftest import PASSPHRASE

    crm, officer = actors[Role.CRM], actors[Role.OFFICER]
    steps: list[str] = []

    def holds(step: str) -> None:
        steps.append(step)
        result = audit.verify()
        assert result.ok and not result.unvouched_cases, (steps, result.problem)

    ref = builders.referred(actors)
    holds("referral")
    casework.begin_consideration(crm, ref)
    triage.record_note(crm, ref, triage.NoteKind.INFORMATION_REQUESTED,
                       "Asked housing for the repair history")
    holds("note")
    _post(actors, ref, datetime(2026, 11, 3, 9, 0), "Fifth email this week")
    holds("contact")
    escalations.record_escalation(crm, ref, EscalationInput(
        EscalationKind.POLICE, date(2026, 11, 4),
        "Shouted at the officer at reception; police attended", "NM/26/4413"))
    holds("escalation")
    builders.draft(actors, ref)
    builders.consult(actors, ref)
    holds("draft and consultation")
    decisions.impose_restrictions(crm, ref, "Persistent contact despite local resolution",
                                  builders.TERMS, read=builders.read(ref),
                                  customer_reason=builders.TOLD)
    holds("decision")
    letter = issuing.sign_and_export(crm, ref, LetterKind.DECISION, tmp_path / "out",
                                     PASSPHRASE).letter_id
    posting.record_posting(crm, [letter], builders.TODAY, "first")
    holds("letter signed and posted")
    with builders.as_the_app(ref):  # November's post falls under the restriction
        Restriction.update(starts_on=date(2026, 11, 2)).where(
            Restriction.status == "in_force").execute()
    contact = _post(actors, ref, datetime(2026, 11, 20, 9, 30), "Same complaint, by email")
    holds("a breach queued for screening")
    matter = matters.open_matter(officer, ref, "Damp in the back bedroom")
    matters.close_matter(officer, ref, matter, date(2026, 11, 25), "Stage 2 answered")
    holds("matter")
    item = int(ScreeningItem.get(ScreeningItem.contact == contact).id)
    screening.record_outcome(officer, item, ScreeningDecision(
        ScreeningOutcome.FILED, note="Same points as before"))
    holds("screening")
    lodge_appeal(officer, ref, builders.TODAY, "The restriction is unfair")
    holds("appeal")
    deputy(actors)
    nominations.nominate(actors[Role.SERVICE_DIRECTOR], "deputy", "Conflict of interest",
                         case_reference=ref)
    holds("nomination")


def _as_version_two_sealed_it() -> None:
    """Every entry holding records, sealed as version 2 (before these records were held),
    chained again: a database written by the version before."""
    from crm_tui.db.models import AuditEntry
    from crm_tui.services.core import audit_seals

    def as_version_two(row: AuditEntry, payload: dict[str, Any]) -> None:
        if "records" in payload:
            case_id = Case.select(Case.id).where(Case.reference == row.case_reference).scalar()
            payload["records"] = audit_seals.seal(int(case_id), 2)

    rechain(as_version_two)


def test_a_version_two_trail_verifies_and_the_next_change_seals_the_rest(
        actors: dict[Role, Actor], db_path: Path) -> None:
    ref, case_id = _grounded(actors)
    _as_version_two_sealed_it()
    result = audit.verify()
    assert result.ok and result.cases >= 1 and not result.unvouched_cases  # no false alarm
    _post(actors, ref, datetime(2026, 11, 26, 11, 0), "Asked again about the damp")
    said = _warning_moved(db_path, case_id)
    result = audit.verify()
    assert not result.ok and said in result.problem
