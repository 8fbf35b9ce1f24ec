"""A letter is read over the name of the person who signs it. Found when read through: the
Service Director's preview of a decision letter, which the Complaints Resolution Manager signs,
was signed "Chris Osei, Service Director", a letter he may not sign, in his name."""

from __future__ import annotations

import pytest

from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import users
from crm_tui.services.letters import issuing, signing_keys
from tests import builders


@pytest.fixture
def team(actors: dict[Role, Actor]) -> dict[Role, Actor]:
    """Keys for those who decide (kept in the tests' keyring)."""
    for login in ("crm", "hos", "director"):
        signing_keys.create_key(users.resolve_actor(login), login, "test passphrase",
                                council="Test")
    return actors


def _signature(text: str) -> list[str]:
    lines = [line.strip() for line in text.strip().splitlines()]
    return lines[lines.index("Yours sincerely,") + 1:]


def test_a_letter_the_reader_may_not_sign_is_read_over_its_signers_name(
        team: dict[Role, Actor]) -> None:
    ref = builders.at_state(team, CaseState.RESTRICTED)
    crm, director = team[Role.CRM], team[Role.SERVICE_DIRECTOR]
    as_signer, _ = issuing.preview(crm, ref, LetterKind.DECISION)
    as_read, _ = issuing.preview(director, ref, LetterKind.DECISION)
    assert crm.name in _signature(as_signer), _signature(as_signer)
    assert as_read == as_signer
    assert director.name not in as_read
