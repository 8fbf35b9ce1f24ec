"""Decisions of consequence are confirmed with the person's own passphrase: without it, or
with a wrong one, or with a revoked key, nothing changes; with it, the audit entry names the
key that confirmed the decision."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from keyring.backends import null

from crm_tui.cli import main
from crm_tui.db.models import AuditEntry, SigningCertificate
from crm_tui.domain.outcomes import AppealOutcome, ConsultationSubject, ConsultationView
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import confirmation, users
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.passphrases import NoPersonalKey, NotConfirmed, PassphraseNeeded
from crm_tui.services.intake import casework
from crm_tui.services.letters import signing_keys
from crm_tui.services.restrictions import decisions
from crm_tui.services.reviews import appeals, review_steps
from tests import builders, dumps, outside
from tests.builders import TOLD
from tests.conftest import PASSPHRASE
from tests.insecure_keyring import keyring_in_use


def _dump() -> list[str]:
    return dumps.dump()


def _extension_due(a: dict[Role, Actor]) -> str:
    ref = builders.at_state(a, CaseState.UNDER_REVIEW)
    builders.propose(a, ref)
    # The customer's time to comment has passed (the clock fixture puts "today" back after),
    # and the Head of Service gave their view on the proposal since.
    os.environ["CRM_TUI_NOW"] = "2027-01-15T10:00:00"
    builders.consult(a, ref, subject=ConsultationSubject.EXTENSION, ends_on=date(2028, 11, 28))
    return ref


def _for_appeal(a: dict[Role, Actor]) -> str:
    return builders.at_state(a, CaseState.UNDER_APPEAL)


# (how to set the case up, the decision, who decides)
DECISIONS: dict[str, tuple[Callable[[dict[Role, Actor]], str],
                           Callable[[Actor, str], Any], Role]] = {
    "impose": (lambda a: builders.at_state(a, CaseState.UNDER_CONSIDERATION),
               lambda who, ref: decisions.impose_restrictions(
                   who, ref, "Evidence", builders.TERMS, read=builders.read(ref),
                   customer_reason=TOLD), Role.CRM),
    "vary": (lambda a: (ref := builders.at_state(a, CaseState.RESTRICTED),
                        builders.draft(a, ref))[0],
             # Ended sooner: the same restrictions to the same end decide nothing (v15e F12).
             lambda who, ref: decisions.vary_restrictions(
                 who, ref, "Lighter", DecisionTerms(starts_on=builders.TODAY,
                                                    ends_on=date(2027, 5, 28)),
                 read=builders.read(ref), customer_reason=TOLD), Role.CRM),
    "extend": (_extension_due,
               lambda who, ref: review_steps.extend_restrictions(
                   who, ref, "No comments; the emails went on",
                   # To the end proposed: to the end in force would extend nothing (F12).
                   DecisionTerms(starts_on=date(2027, 1, 15), ends_on=date(2028, 11, 28)),
                   read=builders.read(ref), customer_reason=TOLD),
               Role.CRM),
    "lift": (lambda a: builders.at_state(a, CaseState.RESTRICTED),
             lambda who, ref: decisions.lift_restrictions(who, ref, "Subsided",
                                                          customer_reason=TOLD), Role.CRM),
    "head of service's view": (
        lambda a: builders.at_state(a, CaseState.UNDER_CONSIDERATION, consulted=False),
        lambda who, ref: casework.record_consultation(who, ref, view=ConsultationView.AGREES,
                                                      view_text="Agreed"),
        Role.HEAD_OF_SERVICE),
    "appeal": (_for_appeal,
               lambda who, ref: appeals.decide_appeal(who, ref, AppealOutcome.REMOVED,
                                                      "Not proportionate", customer_reason=TOLD),
               Role.SERVICE_DIRECTOR),
    "add a user": (lambda a: "",
                   lambda who, _: users.add_user(who, "new", "New Person", Role.OFFICER,
                                                 staff_id="S-new"), Role.USER_ADMIN),
    "change a role": (lambda a: "",
                      lambda who, _: users.change_role(who, "officer", Role.CRM, "Acting up"),
                      Role.USER_ADMIN),
    "deactivate": (lambda a: "",
                   lambda who, _: users.deactivate(who, "officer", "Left"), Role.USER_ADMIN),
    "revoke a key": (lambda a: "",
                     lambda who, _: signing_keys.revoke_key(who, "crm", "Lost laptop"),
                     Role.USER_ADMIN),
}


@pytest.fixture(params=list(DECISIONS), ids=list(DECISIONS))
def decision(request: pytest.FixtureRequest, actors: dict[Role, Actor]
             ) -> tuple[Callable[[], Any], Actor]:
    setup, decide, role = DECISIONS[request.param]
    ref = setup(actors)
    who = actors[role]
    return (lambda: decide(who, ref)), who


def test_without_the_passphrase_nothing_changes(decision: tuple[Callable[[], Any], Actor]
                                                ) -> None:
    decide, _ = decision
    before = _dump()
    with keyring_in_use(null.Keyring()), pytest.raises(PassphraseNeeded):
        decide()
    assert _dump() == before


def test_a_wrong_passphrase_changes_nothing(decision: tuple[Callable[[], Any], Actor]) -> None:
    decide, _ = decision
    before = _dump()
    with confirmation.given("not my passphrase"), pytest.raises(NotConfirmed):
        decide()
    assert _dump() == before


def test_the_audit_entry_names_the_key_that_confirmed_it(
        decision: tuple[Callable[[], Any], Actor]) -> None:
    decide, who = decision
    last = AuditEntry.select().count()
    with keyring_in_use(null.Keyring()), confirmation.given(PASSPHRASE):
        decide()
    key = SigningCertificate.get((SigningCertificate.login == who.login)
                                 & SigningCertificate.revoked_at.is_null(True))
    mine = [e for e in AuditEntry.select().where(AuditEntry.seq > last)
            if e.actor_login == who.login]
    assert mine and all(json.loads(e.payload).get("confirmed_with_key") == key.fingerprint
                        for e in mine)


def test_a_revoked_key_confirms_nothing(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    with confirmation.given(PASSPHRASE):
        signing_keys.revoke_key(actors[Role.CRM], "crm", "Laptop stolen")
    before = _dump()
    with confirmation.given(PASSPHRASE), pytest.raises(NotConfirmed, match="revoked"):
        decisions.impose_restrictions(actors[Role.CRM], ref, "Evidence", builders.TERMS,
                                      read=builders.read(ref), customer_reason=TOLD)
    assert _dump() == before


def test_someone_without_a_key_is_told_to_make_one(people: dict[Role, Actor]) -> None:
    with pytest.raises(NoPersonalKey, match="signing init --user officer"):
        confirmation.check(people[Role.OFFICER])


def test_a_refusal_comes_before_the_passphrase_is_asked(actors: dict[Role, Actor]) -> None:
    """A decision the rules refuse is refused for that, not for want of a passphrase."""
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False)
    with keyring_in_use(null.Keyring()), pytest.raises(Exception) as refused:
        decisions.impose_restrictions(actors[Role.CRM], ref, "Evidence", builders.TERMS,
                                      read=builders.read(ref), customer_reason=TOLD)
    assert not isinstance(refused.value, PassphraseNeeded)


def test_the_command_line_asks_and_a_wrong_passphrase_changes_nothing(
        actors: dict[Role, Actor], db_path: Path, acting_as: Any, tmp_path: Path) -> None:
    acting_as("admin")
    runner = CliRunner()
    args = ["users", "change-role", "officer", "--role", "crm", "--reason", "Acting up",
            "--db", outside.target(db_path)]
    before = _dump()
    with keyring_in_use(null.Keyring()):
        wrong = runner.invoke(main, args, input="not it\n")
        assert wrong.exit_code == 1 and "does not open your personal key" in wrong.output
        assert _dump() == before
        bad_file = tmp_path / "wrong.txt"
        bad_file.write_text("still not it\n")
        bad_file.chmod(0o600)  # a passphrase file others can read is refused
        from_file = runner.invoke(main, [*args, "--passphrase-file", str(bad_file)])
        assert from_file.exit_code == 1 and _dump() == before
        right = runner.invoke(main, args, input=f"{PASSPHRASE}\n")
    assert right.exit_code == 0, right.output
    assert users.show("officer")[0].role is Role.CRM
