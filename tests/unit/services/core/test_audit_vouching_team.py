"""`audit verify` holds the records of no one case to the trail (v16b X5, S2): the team's
people and the roles they held (a role edited in the database let an officer run retention as
the Complaints Resolution Manager), nominations for a period, and contacts logged on no case.
Each, edited or deleted in the database, passed `audit verify` before."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Nomination, RoleGrant, User
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit, team_seal, users
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contacts import ContactInput
from tests import builders
from tests.unit.services.core.trail_rewrite import rechain
from tests.unit.services.reviews.appeal_fixtures import deputy, dump, nominate_today


def _sql(path: Path, sql: str, *args: object) -> None:
    with sqlite3.connect(path) as con:
        con.execute(sql, args)
    con.close()


def _call(ref: str, actors: dict[Role, Actor], summary: str) -> int:
    return contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=datetime(2026, 11, 26, 10, 15), channel=Channel.TELEPHONE,
        direction=Direction.INBOUND, service_area="Housing Services",
        officer_name="Sam Okafor", summary=summary))


def _team(actors: dict[Role, Actor]) -> str:
    """A restricted case, a deputy nominated for a period, as the app writes them."""
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    deputy(actors)
    nominate_today(actors, "deputy")
    return ref


Edit = Callable[[Path], str]  # makes the edit; returns the words verify must name


def _role_raised(db: Path) -> str:
    user = int(User.get(User.login == "officer").id)
    _sql(db, "UPDATE user SET role = 'crm' WHERE id = ?", user)
    return f"user {user} (officer) is not as entry"


def _user_deleted(db: Path) -> str:
    user = int(User.get(User.login == "deputy").id)
    _sql(db, "DELETE FROM user WHERE id = ?", user)
    return f"user {user}, as entry"


def _grant_rewritten(db: Path) -> str:
    grant = int(RoleGrant.select(RoleGrant.id).order_by(RoleGrant.id.desc()).scalar())
    _sql(db, "UPDATE role_grant SET role = 'service_director' WHERE id = ?", grant)
    return f"role grant {grant} is not as entry"


def _grant_deleted(db: Path) -> str:
    grant = int(RoleGrant.select(RoleGrant.id).order_by(RoleGrant.id.desc()).scalar())
    _sql(db, "DELETE FROM role_grant WHERE id = ?", grant)
    return f"role grant {grant}, as entry"


def _nomination_lengthened(db: Path) -> str:
    nomination = int(Nomination.select(Nomination.id).scalar())
    _sql(db, "UPDATE nomination SET valid_until = '2027-11-27' WHERE id = ?", nomination)
    return f"nomination {nomination} is not as entry"


def _nomination_deleted(db: Path) -> str:
    nomination = int(Nomination.select(Nomination.id).scalar())
    _sql(db, "DELETE FROM nomination WHERE id = ?", nomination)
    return f"nomination {nomination}, as entry"


def _contact_on_no_case(db: Path) -> str:
    _sql(db, "INSERT INTO contact_log_entry (customer_id, case_id, at, channel, direction, "
         "service_area_id, officer_name, duration_minutes, summary, categories, version) "
         "SELECT customer_id, NULL, '2026-11-25 10:00:00', channel, direction, "
         "service_area_id, officer_name, 0, 'Threatened to harm an officer', 0, 1 "
         "FROM contact_log_entry LIMIT 1")
    return "the contacts logged on no case are not as entry"


EDITS = {"role raised": _role_raised, "user deleted": _user_deleted,
         "grant rewritten": _grant_rewritten, "grant deleted": _grant_deleted,
         "nomination lengthened": _nomination_lengthened,
         "nomination deleted": _nomination_deleted, "contact on no case": _contact_on_no_case}


@pytest.mark.parametrize("edit", list(EDITS.values()), ids=list(EDITS))
def test_each_record_of_the_team_edited_or_deleted_is_named(
        actors: dict[Role, Actor], db_path: Path, edit: Edit) -> None:
    _team(actors)
    before = audit.verify()
    assert before.ok and not before.team_unvouched
    said = edit(db_path)
    result = audit.verify()
    assert not result.ok and said in result.problem, result.problem
    code = CliRunner().invoke(main, ["audit", "verify", "--db", str(db_path)])
    assert code.exit_code == 1 and "BROKEN" in code.output and said in code.output


def test_a_change_to_the_team_is_not_sealed_over_an_edit(actors: dict[Role, Actor],
                                                        db_path: Path) -> None:
    ref = _team(actors)
    said = _nomination_lengthened(db_path)
    before = dump()
    with pytest.raises(team_seal.TeamChanged, match=re.escape(f"Nothing was saved: {said}")):
        users.change_role(actors[Role.USER_ADMIN], "deputy", Role.SERVICE_DIRECTOR,
                          "Promoted to the director's post")
    assert dump() == before
    # A save that leaves the team alone goes through; the edit stays named.
    _call(ref, actors, "Rang about the repair again")
    result = audit.verify()
    assert not result.ok and said in result.problem


def test_a_normal_day_for_the_team_keeps_the_trail_vouching(actors: dict[Role, Actor]) -> None:
    ref = _team(actors)
    admin = actors[Role.USER_ADMIN]
    for step in (lambda: users.change_role(admin, "deputy", Role.SERVICE_DIRECTOR,
                                           "Promoted to the director's post"),
                 lambda: _call(ref, actors, "Rang about the repair again"),
                 lambda: users.deactivate(admin, "deputy", "Left the council"),
                 lambda: users.reactivate(admin, "deputy", "Came back on contract")):
        step()
        result = audit.verify()
        assert result.ok and not result.team_unvouched, result.problem


def _as_an_older_version_wrote_it() -> None:
    """Every entry without the team's seal, chained again: a trail written before it."""
    rechain(lambda _row, payload: payload.pop(team_seal.KEY, None))


def test_an_older_trail_notes_the_team_and_the_next_change_seals_it(
        actors: dict[Role, Actor], db_path: Path) -> None:
    ref = _team(actors)
    _as_an_older_version_wrote_it()
    result = audit.verify()
    assert result.ok and result.team_unvouched
    code = CliRunner().invoke(main, ["audit", "verify", "--db", str(db_path)])
    assert code.exit_code == 0 and "the team's people and roles" in code.output
    _call(ref, actors, "Rang about the repair again")  # any change seals them
    result = audit.verify()
    assert result.ok and not result.team_unvouched
    said = _role_raised(db_path)
    assert said in audit.verify().problem


def test_every_column_of_the_team_records_is_sealed() -> None:
    """A column added to one of these models goes into a new seal version (a hash over it
    would fail every database sealed before it)."""
    for model, names in team_seal.SEALED.items():
        assert {f.name for f in model._meta.sorted_fields} == set(names), model.__name__


def test_a_person_whose_own_record_was_edited_in_the_database_records_nothing(
        actors: dict[Role, Actor], db_path: Path) -> None:
    """v15c F0: an officer's role raised to the CRM's in the database let him make a signing
    key and destroy a file; `audit verify` named the edit, but every step went through."""
    from crm_tui.services.core.grants import AccessEnded

    ref = _team(actors)
    _role_raised(db_path)
    raised = users.resolve_actor("officer")
    assert raised.role is Role.CRM  # as the edited row has it
    before = dump()
    with pytest.raises(AccessEnded, match="their user record is not as entry"):
        _call(ref, {Role.OFFICER: raised}, "Rang about the repair again")
    assert dump() == before
    # Someone whose record is as sealed goes on working; the edit stays named.
    _call(ref, {Role.OFFICER: actors[Role.CRM]}, "Rang about the repair again")
    assert "(officer) is not as entry" in audit.verify().problem


def test_the_check_at_start_finds_a_persons_own_record_edited(
        actors: dict[Role, Actor], db_path: Path) -> None:
    """The app asks once, at start and at a switch, outside any write: the check looked for
    the record as last committed only inside a write, and found nothing outside one, so the
    app said nothing until the first step was refused."""
    from crm_tui.services.core import grants

    _team(actors)
    assert grants.standing(actors[Role.OFFICER]) == grants.Standing()
    _role_raised(db_path)
    raised = users.resolve_actor("officer")
    found = grants.standing(raised)
    assert found.record_edited.startswith("their user record is not as entry")
    assert "crm-tui audit verify" in found.why
    # Another person, whose record is as sealed, is not stopped by it.
    assert grants.standing(actors[Role.CRM]) == grants.Standing()
