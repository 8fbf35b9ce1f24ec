"""The suite's team (`people`, `actors`) is made by the services once per test worker and
copied in after (tests/team_once.py): a copy is the team whole, at this test's own paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_tui.db.models import SigningCertificate, User
from crm_tui.domain.roles import Actor, Role
from crm_tui.letters import keys
from crm_tui.services.core import audit
from crm_tui.services.core.personal_keys import key_file, stored_passphrase
from tests import team_once
from tests.conftest import DECIDERS, PASSPHRASE, TEAM


# Three of them, so that a worker running more than one has copied the team in at least once.
@pytest.mark.parametrize("round_", [1, 2, 3])
def test_the_team_given_to_a_test_is_whole_and_its_keys_are_at_the_tests_own_paths(
        actors: dict[Role, Actor], tmp_path: Path, round_: int) -> None:
    assert {u.login for u in User.select()} == {*(login for login, _ in TEAM.values()),
                                                 "director2", "manager2"}
    assert audit.verify().ok
    for login in (TEAM[Role.USER_ADMIN][0], *DECIDERS):
        path = key_file(login)
        assert path.is_relative_to(tmp_path), path
        assert stored_passphrase(login) == PASSPHRASE
        _, cert = keys.read_p12(path, PASSPHRASE)
        registered = SigningCertificate.get(SigningCertificate.login == login,
                                            SigningCertificate.revoked_at.is_null())
        assert registered.fingerprint == keys.fingerprint(cert)


def test_a_plain_test_keeps_the_team_for_the_next(actors: dict[Role, Actor],
                                                  engine: str) -> None:
    """The copy is not refused where nothing differs (else each test makes the team again,
    a second and a half each; on PostgreSQL, more)."""
    kept = {"people", "actors"} if engine == "sqlite" else {"people-postgresql",
                                                            "actors-postgresql"}
    assert kept <= set(team_once._made)
