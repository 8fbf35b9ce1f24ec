"""The signer's edits to a prepared letter: for this letter only, by its signer only, on a
draft only; checked as words for the customer; audited by hash; signed as edited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crm_tui.db.models import AuditEntry, Decision, Letter
from crm_tui.domain.errors import (
    InvalidTransition,
    PermissionDenied,
    RequirementMissing,
    ValidationError,
)
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.letters import editing, issuing
from crm_tui.services.restrictions import decisions
from tests import builders, dumps
from tests.builders import TOLD
from tests.conftest import PASSPHRASE

BETTER = "You have kept to the limits for six months. Thank you. They now end."


def _dump() -> list[str]:
    return dumps.dump()


def _prepared(actors: dict[Role, Actor]) -> tuple[str, int, str]:
    """A lifted case whose letter is prepared; the letter prints the words recorded."""
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    decisions.lift_restrictions(actors[Role.CRM], ref, TOLD, customer_reason=TOLD)
    letter_id = issuing.prepare(actors[Role.OFFICER], ref, LetterKind.LIFTED)
    decision = Decision.select().order_by(Decision.id.desc()).get()
    return ref, letter_id, f"decision:{decision.id}:customer_reason"


def test_the_signer_edits_a_paragraph_for_this_letter_only(actors: dict[Role, Actor]) -> None:
    ref, letter_id, key = _prepared(actors)
    crm = actors[Role.CRM]
    shown = editing.view(crm, letter_id)
    assert [f.key for f in shown.fields] == [key]
    assert TOLD in shown.body and shown.problems == []
    assert editing.draft_for(crm, ref, LetterKind.LIFTED) == letter_id
    edited = editing.edit(crm, letter_id, key, f"  {BETTER}  ")
    assert json.loads(Letter.get_by_id(letter_id).edits) == {key: BETTER}
    assert BETTER in edited.body and TOLD not in edited.body
    assert edited.fields[0].edited and edited.fields[0].original == TOLD
    assert Decision.get(Decision.id == int(key.split(":")[1])).customer_reason == TOLD
    entry = AuditEntry.select().where(AuditEntry.action == "edit_letter").get()
    assert BETTER not in entry.payload and TOLD not in entry.payload
    assert '"before_sha256"' in entry.payload and '"after_sha256"' in entry.payload
    # The recorded words given back remove the edit.
    editing.edit(crm, letter_id, key, TOLD)
    assert Letter.get_by_id(letter_id).edits == ""


@pytest.mark.parametrize("role", [Role.OFFICER, Role.HEAD_OF_SERVICE, Role.SERVICE_DIRECTOR])
def test_only_the_signer_edits(actors: dict[Role, Actor], role: Role) -> None:
    _, letter_id, key = _prepared(actors)
    before = _dump()
    with pytest.raises(PermissionDenied):
        editing.edit(actors[role], letter_id, key, BETTER)
    assert _dump() == before


@pytest.mark.parametrize(("text", "field"), [
    ("", None), ("The customer behaved better.", None), ("Behaviour subsided", None)])
def test_the_edit_is_checked_as_words_for_the_customer(actors: dict[Role, Actor], text: str,
                                                       field: str | None) -> None:
    _, letter_id, key = _prepared(actors)
    before = _dump()
    with pytest.raises(ValidationError) as refused:
        editing.edit(actors[Role.CRM], letter_id, key, text)
    assert refused.value.field == (field or key)
    assert _dump() == before


def test_only_the_letters_own_fields_are_edited(actors: dict[Role, Actor]) -> None:
    _, letter_id, _ = _prepared(actors)
    with pytest.raises(ValidationError) as refused:
        editing.edit(actors[Role.CRM], letter_id, "decision:999:customer_reason", BETTER)
    assert refused.value.field == "field"


def test_the_letter_is_signed_as_edited_and_never_edited_after(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref, letter_id, key = _prepared(actors)
    crm = actors[Role.CRM]
    editing.edit(crm, letter_id, key, BETTER)
    issued = issuing.sign_and_export(crm, ref, LetterKind.LIFTED, tmp_path / "out", PASSPHRASE)
    row = Letter.get_by_id(issued.letter_id)
    assert row.id == letter_id and BETTER in row.body and TOLD not in row.body
    before = _dump()
    # From an editor still open (b16f F2): who signed it, and when.
    with pytest.raises(RequirementMissing) as refused:
        editing.edit(crm, letter_id, key, TOLD)
    assert str(refused.value) == (f"{crm.name} signed and issued this letter at 10:00 since you "
                                  "opened it: an issued letter never changes. Nothing was "
                                  "saved.")
    assert _dump() == before


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CRM, Role.SERVICE_DIRECTOR,
                                  Role.SERVICE_AREA_MANAGER])
def test_a_prepared_letter_is_not_prepared_again_by_anyone(
        actors: dict[Role, Actor], role: Role) -> None:
    """b15c F8: a second `p` by its preparer wrote a second "prepare_letter" entry. v15c F2:
    another person's `p` (the Service Director's, on the CRM's review letter) prepared it
    again in their name: they became its preparer, their name under its draft. Now whoever
    asks (its preparer too) is refused, saying by whom and for whom it is prepared, and
    nothing is written."""
    ref, letter_id, _key = _prepared(actors)
    officer, crm = actors[Role.OFFICER], actors[Role.CRM]
    entries = AuditEntry.select().count()
    before = _dump()
    signer = "you" if role is Role.CRM else crm.name
    with pytest.raises(InvalidTransition) as refused:
        issuing.prepare(actors[role], ref, LetterKind.LIFTED)
    assert str(refused.value) == (f"Already prepared by {officer.name} on 28 Nov 2026; "
                                  f"waiting for {signer} to sign")
    assert AuditEntry.select().count() == entries
    assert _dump() == before
    row = Letter.get_by_id(letter_id)
    # Read over its signer's name (the CRM's), whoever prepared it or asks again.
    assert row.created_by_id == officer.user_id and crm.name in row.body
    assert actors[role].name not in row.body or role is Role.CRM
