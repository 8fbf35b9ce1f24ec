"""Who is acting: established from the account, never claimed outside the demo; people, not
logins; user administration apart from casework; nobody grants themselves anything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.connection import open_database
from crm_tui.db.models import Case, User
from crm_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from crm_tui.domain.outcomes import AppealOutcome, ConsultationView
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import identity, users
from crm_tui.services.core.case_steps import load_case
from crm_tui.services.intake import casework, inbox, queries
from crm_tui.services.reviews import appeals
from tests import builders, dumps, outside
from tests.builders import TOLD


def _sha(path: Path) -> str:
    return dumps.fingerprint(path)


@pytest.fixture
def team_db(actors: dict[Role, Actor], db_path: Path) -> Path:
    return db_path


# -- the acting person comes from the account ----------------------------------------------

def test_the_account_names_the_person(actors: dict[Role, Actor], acting_as: Any) -> None:
    acting_as("crm")
    assert identity.establish().login == "crm"
    acting_as("hos")
    assert identity.establish().role is Role.HEAD_OF_SERVICE


def test_the_account_comes_from_the_kernel_not_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "ceri.hughes")
    monkeypatch.setenv("LOGNAME", "ceri.hughes")
    import os
    import pwd

    assert identity.workstation_account() == pwd.getpwuid(os.geteuid()).pw_name


@pytest.mark.parametrize("how", ["--user", "CRM_TUI_USER"])
def test_naming_a_user_is_refused_outside_the_demo(team_db: Path, acting_as: Any,
                                                   how: str) -> None:
    acting_as("officer")
    before = _sha(team_db)
    args = ["cases", "--db", outside.target(team_db)]
    env = {}
    if how == "--user":
        args = ["--user", "crm", *args]
    else:
        env = {"CRM_TUI_USER": "crm"}
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 1
    assert "works only on a demo database" in result.output
    assert _sha(team_db) == before


def test_an_unbound_account_is_told_how_to_be_added(team_db: Path, acting_as: Any) -> None:
    acting_as("stranger")
    result = CliRunner().invoke(main, ["cases", "--db", outside.target(team_db)])
    assert result.exit_code == 1
    assert "stranger-os" in result.output and "not bound" in result.output


def test_a_deactivated_person_cannot_act(actors: dict[Role, Actor], acting_as: Any) -> None:
    users.deactivate(actors[Role.USER_ADMIN], "officer", "Left the council")
    acting_as("officer")
    with pytest.raises(identity.IdentityRefused, match="no longer an active user"):
        identity.establish()


def test_the_demo_still_lets_you_try_each_role(demo_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "demo.sqlite3"
    copy.write_bytes(demo_db.read_bytes())
    result = CliRunner().invoke(main, ["--user", "priya.raman", "cases", "--json", "--db",
                                       str(copy)])
    assert result.exit_code == 0, result.output


# -- user administration ---------------------------------------------------------------------

def test_the_first_administrator_is_bound_to_their_own_account(tmp_path: Path,
                                                               acting_as: Any) -> None:
    db = str(tmp_path / "new.sqlite3")
    acting_as("pat")
    runner = CliRunner()
    other = runner.invoke(main, ["users", "add", "pat", "--name", "Pat", "--staff-id", "E1",
                                 "--role", "user_admin", "--os-account", "someone-else-os",
                                 "--db", db])
    assert other.exit_code == 1 and "not another" in other.output
    crm_first = runner.invoke(main, ["users", "add", "ceri", "--name", "Ceri", "--staff-id",
                                     "E2", "--role", "crm", "--db", db])
    assert crm_first.exit_code == 1 and "user_admin" in crm_first.output
    ok = runner.invoke(main, ["users", "add", "pat", "--name", "Pat", "--staff-id", "E1",
                              "--role", "user_admin", "--db", db],
                       input="pat's passphrase\npat's passphrase\n")
    assert ok.exit_code == 0, ok.output
    acting_as("intruder")
    again = runner.invoke(main, ["users", "add", "intruder", "--name", "I", "--staff-id", "E3",
                                 "--role", "user_admin", "--db", db])
    assert again.exit_code == 1 and "not bound" in again.output


@pytest.mark.parametrize("who", [Role.CRM, Role.HEAD_OF_SERVICE, Role.SERVICE_DIRECTOR,
                                 Role.OFFICER, Role.SERVICE_AREA_MANAGER])
def test_only_the_administrator_manages_users(team_db: Path, acting_as: Any, who: Role,
                                              actors: dict[Role, Actor]) -> None:
    from tests.conftest import TEAM

    acting_as(TEAM[who][0])
    before = _sha(team_db)
    runner = CliRunner()
    for args in (["users", "add", "ceri2", "--name", "Ceri Again", "--staff-id", "S-x",
                  "--role", "service_director", "--os-account", "c2-os"],
                 ["users", "change-role", "officer", "--role", "crm", "--reason", "r"],
                 ["users", "deactivate", "hos", "--reason", "r"],
                 ["users", "bind", "officer", "--os-account", "z-os", "--reason", "r"]):
        result = runner.invoke(main, [*args, "--db", outside.target(team_db)])
        assert result.exit_code == 1, (args, result.output)
        assert "may not manage users" in result.output
    assert _sha(team_db) == before


def test_nobody_grants_themselves_a_role(actors: dict[Role, Actor]) -> None:
    admin = actors[Role.USER_ADMIN]
    count = User.select().count()
    with pytest.raises(PermissionDenied, match="your own"):
        users.add_user(admin, "me2", "Pat Again", Role.CRM, staff_id="S-other",
                       os_account="admin-os")
    with pytest.raises(PermissionDenied, match="your own"):
        users.add_user(admin, "me3", "Pat Again", Role.CRM, staff_id="S-admin",
                       os_account="fresh-os")
    for step in (lambda: users.change_role(admin, "admin", Role.CRM, "promotion"),
                 lambda: users.deactivate(admin, "admin", "bye"),
                 lambda: users.bind_account(admin, "admin", "new-os", "moved")):
        with pytest.raises(PermissionDenied, match="own"):
            step()
    assert User.select().count() == count
    assert User.get(User.login == "admin").role == Role.USER_ADMIN.value


def test_one_person_has_one_login(actors: dict[Role, Actor]) -> None:
    """The CRM's second login as Service Director: refused by her staff identifier."""
    with pytest.raises(ValidationError, match="one person has one login"):
        users.add_user(actors[Role.USER_ADMIN], "crm.sd", "Alex Morgan", Role.SERVICE_DIRECTOR,
                       staff_id="S-crm", os_account="crm-second-os")
    with pytest.raises(ValidationError, match="one account, one person"):
        users.add_user(actors[Role.USER_ADMIN], "crm.sd", "Alex Morgan", Role.SERVICE_DIRECTOR,
                       staff_id="S-new", os_account="crm-os")


def test_a_role_change_keeps_the_history(actors: dict[Role, Actor], team_db: Path,
                                        acting_as: Any) -> None:
    users.change_role(actors[Role.USER_ADMIN], "officer", Role.CRM, "Acting up for the CRM")
    info, history = users.show("officer")
    assert info.role is Role.CRM
    assert [h.role for h in history] == [Role.OFFICER, Role.CRM]
    assert history[0].ended_at is not None and history[1].ended_at is None
    assert history[1].granted_by == "admin" and history[1].reason == "Acting up for the CRM"
    acting_as("hos")
    shown = CliRunner().invoke(main, ["users", "show", "officer", "--db", outside.target(team_db)])
    assert "Complaints Resolution Team officer" in shown.output
    assert "Acting up for the CRM" in shown.output


def test_a_new_holder_of_a_decision_role_shows_to_the_others(
        actors: dict[Role, Actor]) -> None:
    users.add_user(actors[Role.USER_ADMIN], "newhos", "Nia Evans", Role.HEAD_OF_SERVICE,
                   staff_id="S-newhos", os_account="newhos-os")
    for role in (Role.CRM, Role.HEAD_OF_SERVICE, Role.SERVICE_DIRECTOR):
        notices = users.decision_role_notices(actors[role])
        assert any("Nia Evans" in n and "Pat Quinn" in n for n in notices), role
    assert users.decision_role_notices(actors[Role.OFFICER]) == []
    assert not any("Nia Evans" in n
                   for n in users.decision_role_notices(users.resolve_actor("newhos")))


def test_the_administrator_acts_on_and_reads_no_case(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    admin = actors[Role.USER_ADMIN]
    with pytest.raises(PermissionDenied):
        load_case(admin, ref)
    with pytest.raises(PermissionDenied):
        casework.assign(admin, ref, "officer")
    assert inbox.page(admin, inbox.InboxFilter()).rows == []
    assert queries.list_cases(admin) == []
    from datetime import date

    from crm_tui.services.reviews import calendar

    assert calendar.items(actors[Role.CRM], date(2020, 1, 1), date(2030, 1, 1))
    assert calendar.items(admin, date(2020, 1, 1), date(2030, 1, 1)) == []
    assert Case.select().count() == 1


# -- people, not logins, on the safeguards --------------------------------------------------

def test_a_crm_made_service_director_cannot_hear_the_appeal_of_her_own_decision(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    admin = actors[Role.USER_ADMIN]
    # Her own second login is impossible; a change of role keeps the same person.
    users.change_role(admin, "crm", Role.SERVICE_DIRECTOR, "Promoted")
    now_director = users.resolve_actor("crm")
    with pytest.raises(Exception, match="took no part"):
        appeals.decide_appeal(now_director, ref, AppealOutcome.REMOVED, "I was wrong",
                              customer_reason=TOLD)
    assert Case.get(Case.reference == ref).state == CaseState.UNDER_APPEAL.value
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.CONFIRMED,
                          "The evidence supports it", customer_reason=TOLD)


def test_a_crm_made_head_of_service_cannot_give_the_view_on_her_own_case(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)
    users.change_role(actors[Role.USER_ADMIN], "crm", Role.HEAD_OF_SERVICE, "Promoted")
    with pytest.raises(PermissionDenied, match="acted on this case"):
        casework.record_consultation(users.resolve_actor("crm"), ref,
                                     view=ConsultationView.AGREES, view_text="Fine by me")
    casework.record_consultation(actors[Role.HEAD_OF_SERVICE], ref,
                                 view=ConsultationView.AGREES, view_text="Agreed")


def test_unknown_login_for_show(actors: dict[Role, Actor]) -> None:
    with pytest.raises(NotFound):
        users.show("nobody")


def test_upgrade_keeps_existing_users_as_their_own_people(tmp_path: Path) -> None:
    from peewee import SqliteDatabase

    from crm_tui.db.connection import migration_runner

    path = tmp_path / "old.sqlite3"
    old = SqliteDatabase(str(path))
    migration_runner(old).up(target="0008_review_sessions")
    old.execute_sql("INSERT INTO user (login, name, title, role, active) VALUES "
                    "('ceri', 'Ceri', '', 'crm', 1)")
    old.close()
    open_database(path)
    info, history = users.show("ceri")
    assert info.staff_id == "ceri" and info.os_account is None
    assert [h.role for h in history] == [Role.CRM]
