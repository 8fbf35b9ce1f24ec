"""v15d N5: a person's role raised in the database while they act. The refusal said "their
role is now Complaints Resolution Manager", the forged role as a fact; the demo's picker and
`retention run` named them in it too. Each now says the record was changed outside the app,
and names the role the trail gave them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import AuditEntry, User
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import grants, users
from crm_tui.services.core.grants import AccessEnded
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.ui.dialogs.switch_user import _said
from tests import builders, outside

RAISED = "UPDATE \"user\" SET role = 'crm' WHERE login = 'officer'"
FORGED = Role.CRM.label
TRAIL = f"the role the trail gives them is {Role.OFFICER.label} (entry "


def _raise_the_officer(db_path: Path) -> None:
    with outside.connect(db_path) as con:
        con.execute(RAISED)
    con.close()


def test_the_officer_acting_is_told_of_the_edit_and_the_trails_role(
        actors: dict[Role, Actor], db_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    _raise_the_officer(db_path)  # while the officer acts: their Actor is still the officer's
    found = grants.standing(actors[Role.OFFICER])
    assert "changed outside the app" in found.why and found.record_edited
    assert TRAIL in found.why
    assert "role is now" not in found.why and FORGED not in found.why
    entries = AuditEntry.select().count()
    with pytest.raises(AccessEnded) as refused:
        contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
            at=datetime(2026, 11, 26, 10, 15), channel=Channel.TELEPHONE,
            direction=Direction.INBOUND, service_area="Housing Services",
            officer_name="Sam Okafor", summary="Rang about the repair again"))
    assert TRAIL in str(refused.value) and FORGED not in str(refused.value)
    assert AuditEntry.select().count() == entries


def test_the_picker_marks_them_with_the_trails_role_not_the_edited_one(
        actors: dict[Role, Actor], db_path: Path) -> None:
    builders.at_state(actors, CaseState.RESTRICTED)
    before = {u.login: u for u in users.list_users()}
    assert not before["officer"].record_edited
    _raise_the_officer(db_path)
    listed = {u.login: u for u in users.list_users()}
    assert listed["officer"].record_edited
    assert listed["officer"].trail_role is Role.OFFICER
    assert not listed["crm"].record_edited  # others, as sealed, are not marked
    said = _said(listed["officer"])
    assert "record changed outside the app" in said and FORGED not in said
    assert f"the trail's role: {Role.OFFICER.label}" in said


def test_retention_run_refuses_them_before_naming_them_in_the_edited_role(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path) -> None:
    builders.at_state(actors, CaseState.ARCHIVED)
    _raise_the_officer(db_path)
    entries = AuditEntry.select().count()
    acting_as("officer")
    for args in (["--dry-run"], []):
        result = CliRunner().invoke(main, ["retention", "run", *args,
                                           "--db", outside.target(db_path)])
        assert result.exit_code == 1, result.output
        assert "changed outside the app" in result.output
        assert TRAIL in result.output.replace("\n", " ")
        assert "Retention run by" not in result.output and FORGED not in result.output
    assert AuditEntry.select().count() == entries
    assert User.get(User.login == "officer").role == Role.CRM.value  # left for looking into


def test_the_picker_lists_them_in_the_place_of_the_trails_role(
        actors: dict[Role, Actor], db_path: Path) -> None:
    """v15e F6: the list was ordered by the role in the database, and the forged role moved
    the person up among the managers."""
    builders.at_state(actors, CaseState.RESTRICTED)
    before = [u.login for u in users.list_users()]
    _raise_the_officer(db_path)
    assert [u.login for u in users.list_users()] == before
