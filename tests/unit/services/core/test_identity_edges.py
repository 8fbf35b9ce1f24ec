"""What a tester found when trying to break identity and separation of duties, each now
refused or fixed: namesakes, accounts that do not exist, the administrator as referrer or
reader of the register, an administrator replacing a key from the command line, a demo mark
added by hand, URLs for demo and seed, and a person coming back."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from keyring.backends import null

from crm_tui.cli import main
from crm_tui.db.models import Setting, User
from crm_tui.domain.errors import PermissionDenied, ValidationError
from crm_tui.domain.roles import Actor, Role
from crm_tui.services.core import identity, users
from crm_tui.services.core.case_steps import load_case
from crm_tui.services.core.database_facts import DEMO_KEY
from crm_tui.services.intake import referrals
from crm_tui.services.restrictions import register
from tests import builders
from tests.conftest import PASSPHRASE
from tests.insecure_keyring import keyring_in_use


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_second_record_under_the_same_name_is_refused_unless_a_namesake(
        actors: dict[Role, Actor]) -> None:
    admin = actors[Role.USER_ADMIN]
    with pytest.raises(ValidationError, match="--namesake"):
        users.add_user(admin, "ceri.two", " alex  MORGAN ", Role.SERVICE_DIRECTOR,
                       staff_id="S-9002")
    with pytest.raises(PermissionDenied, match="your own name"):
        users.add_user(admin, "pat2", "Pat Quinn", Role.CRM, staff_id="S-9003",
                       namesake=True)
    users.add_user(admin, "alex.morgan2", "Alex Morgan", Role.SERVICE_DIRECTOR,
                   staff_id="S-9004", namesake=True)
    notices = users.decision_role_notices(actors[Role.HEAD_OF_SERVICE])
    assert any("the same name as crm" in n for n in notices), notices


def test_an_account_that_does_not_exist_is_refused(actors: dict[Role, Actor], db_path: Path,
                                                   acting_as: Any) -> None:
    acting_as("admin")
    before = _sha(db_path)
    result = CliRunner().invoke(main, ["users", "add", "x", "--name", "X Y", "--staff-id",
                                       "S-x", "--role", "officer", "--os-account",
                                       "nosuchacct", "--db", str(db_path)])
    assert result.exit_code == 1 and "no account 'nosuchacct'" in result.output
    assert _sha(db_path) == before


def test_the_first_administrator_cannot_be_named(tmp_path: Path, acting_as: Any) -> None:
    acting_as("pat")
    result = CliRunner().invoke(main, ["--user", "x", "users", "add", "x", "--name", "X",
                                       "--staff-id", "E1", "--role", "user_admin", "--db",
                                       str(tmp_path / "new.sqlite3")])
    assert result.exit_code == 1 and "only on a demo database" in result.output


def test_the_administrator_refers_no_one_and_reads_no_register(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, builders.CaseState.RESTRICTED)
    with pytest.raises(ValidationError, match="user administrator"):
        referrals._check_manager("admin", "Housing Services")
    with pytest.raises(PermissionDenied, match="register"):
        register.staff_register(actors[Role.USER_ADMIN])
    with pytest.raises(PermissionDenied, match="user administrator acts on no case"):
        load_case(actors[Role.USER_ADMIN], ref)


def test_an_administrator_replaces_a_key_from_the_command_line_confirming_with_their_own(
        actors: dict[Role, Actor], db_path: Path, acting_as: Any, tmp_path: Path) -> None:
    acting_as("admin")
    new, mine = tmp_path / "new.txt", tmp_path / "mine.txt"
    new.write_text("for director, from the admin\n")
    mine.write_text(PASSPHRASE + "\n")
    args = ["signing", "init", "--user", "director", "--passphrase-file", str(new),
            "--reason", "Lost laptop", "--db", str(db_path)]
    with keyring_in_use(null.Keyring()):
        result = CliRunner().invoke(main, [*args, "--confirm-passphrase-file", str(mine)])
    assert result.exit_code == 0, result.output
    assert "Replaces" in result.output


def test_a_demo_mark_added_by_hand_does_not_open_naming_anyone(
        actors: dict[Role, Actor], db_path: Path) -> None:
    Setting.create(key=DEMO_KEY, value="crm")
    before = _sha(db_path)
    result = CliRunner().invoke(main, ["--user", "crm", "cases", "--db", str(db_path)])
    assert result.exit_code == 1 and "only on a demo database" in result.output
    assert _sha(db_path) == before
    with pytest.raises(identity.IdentityRefused):
        identity.establish("crm")


@pytest.mark.parametrize("command", ["demo", "seed"])
def test_demo_and_seed_read_a_sqlite_url_as_its_file(tmp_path: Path, command: str) -> None:
    target = tmp_path / "made.sqlite3"
    args = (["demo", "--no-launch"] if command == "demo"
            else ["seed", "--customers", "10", "--contacts", "10"])
    result = CliRunner().invoke(main, [*args, "--db", f"sqlite:///{target}"])
    assert result.exit_code == 0, result.output
    assert target.is_file() and not Path("sqlite:").exists()
    refused = CliRunner().invoke(main, [*args, "--db", "postgresql://host/db"])
    assert refused.exit_code == 1 and "give a file path" in refused.output


def test_a_person_who_left_can_come_back(actors: dict[Role, Actor], db_path: Path,
                                         acting_as: Any) -> None:
    admin = actors[Role.USER_ADMIN]
    users.deactivate(admin, "officer", "Left the council")
    acting_as("admin")
    result = CliRunner().invoke(main, ["users", "reactivate", "officer", "--reason",
                                       "Came back", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    info, history = users.show("officer")
    assert info.active and [h.reason for h in history][-1] == "Came back"
    assert User.get(User.login == "officer").active
