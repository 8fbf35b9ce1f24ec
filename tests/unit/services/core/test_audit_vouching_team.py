"""`audit verify` holds the records of no one case to the trail (v16b X5, S2): the team's
people and the roles they held (a role edited in the database let an officer run retention as
the Complaints Resolution Manager), nominations for a period, and contacts logged on no case.
Each, edited or deleted in the database, passed `audit verify` before."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import AuditEntry, Nomination, RoleGrant, ServiceArea, User
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit, settings, team_seal, users
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contacts import ContactInput
from tests import builders, outside
from tests.unit.services.core.trail_rewrite import rechain
from tests.unit.services.reviews.appeal_fixtures import deputy, dump, nominate_today


def _sql(path: Path, sql: str, *args: object) -> None:
    with outside.connect(path, foreign_keys=False) as con:
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
    _sql(db, "UPDATE \"user\" SET role = 'crm' WHERE id = ?", user)
    return f"user {user} (officer) is not as entry"


def _fields_named(db: Path) -> str:
    """v16h H5: the app's dialog sends the administrator to `audit verify` "to see what was
    changed": it names each field, as the dialog does."""
    user = int(User.get(User.login == "officer").id)
    _sql(db, "UPDATE \"user\" SET name = 'Sam Patel-Forged', title = 'Chief Executive', "
             "role = 'crm' WHERE id = ?", user)
    return "left it: its name, its title and its role were changed outside the app"


def _user_deleted(db: Path) -> str:
    user = int(User.get(User.login == "deputy").id)
    _sql(db, "DELETE FROM \"user\" WHERE id = ?", user)
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


def _area_id(name: str) -> int:
    return int(ServiceArea.get(ServiceArea.name == name).id)


def _area_renamed(db: Path) -> str:
    area = _area_id("Housing Services")
    _sql(db, "UPDATE service_area SET name = 'Chief Executive''s Office' WHERE id = ?", area)
    return f"service area {area} is not as entry"


def _area_inserted(db: Path) -> str:
    _sql(db, "INSERT INTO service_area (name) VALUES ('Office of the Leader')")
    area = _area_id("Office of the Leader")
    return f"service area {area} (its name reads \"Office of the Leader\") is not one entry"


def _area_deleted(db: Path) -> str:
    area = _area_id("Waste and Recycling")  # no case or person is in it: the row goes
    _sql(db, "DELETE FROM service_area WHERE id = ?", area)
    return f"service area {area}, as entry"


EDITS = {"fields named": _fields_named, "role raised": _role_raised,
         "user deleted": _user_deleted, "grant rewritten": _grant_rewritten,
         "grant deleted": _grant_deleted,
         "nomination lengthened": _nomination_lengthened,
         "nomination deleted": _nomination_deleted, "contact on no case": _contact_on_no_case,
         "area renamed": _area_renamed, "area inserted": _area_inserted,
         "area deleted": _area_deleted}


@pytest.mark.parametrize("edit", list(EDITS.values()), ids=list(EDITS))
def test_each_record_of_the_team_edited_or_deleted_is_named(
        actors: dict[Role, Actor], db_path: Path, edit: Edit) -> None:
    _team(actors)
    before = audit.verify()
    assert before.ok and not before.team_unvouched
    said = edit(db_path)
    result = audit.verify()
    assert not result.ok and said in result.problem, result.problem
    code = CliRunner().invoke(main, ["audit", "verify", "--db", outside.target(db_path)])
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
    code = CliRunner().invoke(main, ["audit", "verify", "--db", outside.target(db_path)])
    assert code.exit_code == 0 and "the team's people and roles" in code.output
    assert "contacts logged on no case and service areas could not be vouched for" in " ".join(
        code.output.split())
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


def test_an_area_the_configuration_adds_is_sealed_by_the_next_change(
        actors: dict[Role, Actor]) -> None:
    """Areas are added by the app at start from the configuration, by no step: such an area
    is not taken for one inserted in the database, and the next change seals it."""
    ref = _team(actors)
    areas = (*settings.current().service_areas, "Leisure Centres")
    users.ensure_service_areas(areas)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "_current", replace(settings.current(), service_areas=areas))
        assert audit.verify().ok
        _call(ref, actors, "Rang about the repair again")
        sealed = team_seal.latest()
    assert sealed is not None and str(_area_id("Leisure Centres")) in sealed[1]["areas"]
    assert audit.verify().ok  # sealed now: no longer only vouched by the configuration


def test_a_renamed_area_is_never_printed_or_said_as_its_name(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path) -> None:
    """The evidence bundle prints each contact's service area as fact: a renamed area's
    forged name would go to a panel or the Ombudsman. It is refused, saying what differs,
    the forged name quoted as what the row now reads, never as the area's name."""
    from crm_tui.services.evidence.bundle import export_bundle

    ref = _team(actors)
    _call(ref, actors, "Rang about the repair again")  # a contact in Housing Services
    said = _area_renamed(db_path)
    with pytest.raises(team_seal.AreasChanged, match=re.escape(said)) as refused:
        export_bundle(actors[Role.CRM], ref, tmp_path, "Northmere City Council")
    assert 'its name now reads "Chief Executive\'s Office"' in str(refused.value)
    assert "The evidence bundle was not made" in str(refused.value)
    assert not list(tmp_path.glob("*.pdf"))
    # A change to the team is refused too, as for any record of the team edited.
    before = dump()
    with pytest.raises(team_seal.TeamChanged, match=re.escape(said)):
        users.change_role(actors[Role.USER_ADMIN], "deputy", Role.SERVICE_DIRECTOR,
                          "Promoted to the director's post")
    assert dump() == before


def test_an_older_seal_without_areas_holds_none_and_the_next_change_adds_them(
        actors: dict[Role, Actor], db_path: Path) -> None:
    """A seal written before areas were sealed (version 1) holds no areas: not a failure."""
    ref = _team(actors)
    def older_seal(_row: AuditEntry, payload: dict[str, Any]) -> None:
        if team_seal.KEY in payload:
            payload[team_seal.KEY].pop("areas")
            payload[team_seal.KEY]["v"] = 1

    rechain(older_seal)
    assert audit.verify().ok and team_seal.areas_not_as_left() == ""
    _call(ref, actors, "Rang about the repair again")
    said = _area_renamed(db_path)
    assert said in audit.verify().problem


def test_on_an_older_trail_a_role_edited_in_the_database_is_not_acted_on(
        actors: dict[Role, Actor], db_path: Path) -> None:
    """Issue 16: with no team seal yet, a role raised in the database was acted on (`audit
    verify` named the entries afterwards). The trail's own history of roles (`add_user`,
    `change_role`) gives the role each person holds: the raised person is refused."""
    from crm_tui.services.core import grants
    from crm_tui.services.core.grants import AccessEnded

    ref = _team(actors)
    _as_an_older_version_wrote_it()
    assert grants.standing(actors[Role.OFFICER]) == grants.Standing()
    _role_raised(db_path)
    raised = users.resolve_actor("officer")
    assert raised.role is Role.CRM  # as the edited row has it
    found = grants.standing(raised)
    assert found.record_edited.startswith(
        "their user record does not hold the role the trail's history gives them (entry ")
    assert found.record_edited.endswith("it was changed outside the app")
    assert "the role the trail gives them is Complaints Resolution Team officer" in found.why
    assert "Complaints Resolution Manager" not in found.why  # the forged role is not said
    before = dump()
    with pytest.raises(AccessEnded, match="does not hold the role the trail's history"):
        _call(ref, {Role.OFFICER: raised}, "Rang about the repair again")
    assert dump() == before
    # Another person's step goes through, and does not seal the edited role as the team's.
    _call(ref, {Role.OFFICER: actors[Role.CRM]}, "Rang about the repair again")
    assert team_seal.latest() is None
    user = int(User.get(User.login == "officer").id)
    result = audit.verify()
    assert not result.ok and result.problem.startswith(
        f"user {user} (officer): their user record does not hold the role"), result.problem
    assert "does not hold the role" in grants.standing(raised).why


def test_on_an_older_trail_access_given_back_in_the_database_is_not_acted_on(
        actors: dict[Role, Actor], db_path: Path) -> None:
    from crm_tui.services.core import grants

    _team(actors)
    users.deactivate(actors[Role.USER_ADMIN], "deputy", "Left the council")
    _as_an_older_version_wrote_it()
    _sql(db_path, "UPDATE \"user\" SET active = TRUE WHERE login = 'deputy'")
    found = grants.standing(users.resolve_actor("deputy"))
    assert found.record_edited.startswith(
        "their user record does not hold the access the trail's history gives them")
    # A person the trail never added (written before its people were) is not held to it.
    assert grants.standing(actors[Role.CRM]) == grants.Standing()
