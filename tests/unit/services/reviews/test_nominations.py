"""The Service Director's nominations of officers to decide appeals: who may be nominated
(and why the others may not), for a case or a period of a year at most, confirmed with the
Service Director's own passphrase, audited, revocable, listed for those who may see them — on
the command line as in the services; and the appeal outcome letter, which names who decided
and says they took no part only when the record bears it out."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Appeal, AuditEntry, Letter, Nomination
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.letters.content import text
from crm_tui.services.core import confirmation
from crm_tui.services.core.passphrases import NotConfirmed
from crm_tui.services.letters import issuing
from crm_tui.services.reviews import appeals, nominations, review_steps
from tests import builders, outside
from tests.builders import TOLD
from tests.unit.services.reviews.appeal_fixtures import TODAY, deputy, dump, nominate_today


@pytest.mark.parametrize(("login", "why"), [
    ("admin", "whoever grants roles takes no decisions"),
    ("crm", "takes the decisions that are appealed against"),
    ("officer", "prepares the decisions that are appealed against"),
    ("manager", "refers their own area's cases"),
    ("director2", "decides appeals already"),
    ("director", "decides appeals already"),
])
def test_who_cannot_be_nominated_and_why(login: str, why: str,
                                         actors: dict[Role, Actor]) -> None:
    before = dump()
    with pytest.raises(ValidationError, match=why):
        nominations.nominate(actors[Role.SERVICE_DIRECTOR], login, "Annual leave", valid_from=TODAY,
                             valid_until=date(2026, 12, 10))
    assert dump() == before


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"valid_from": TODAY, "valid_until": date(2026, 11, 27)}, "ends before it starts"),
    ({"valid_from": date(2026, 11, 27), "valid_until": date(2026, 12, 1)},
     "cannot start before the day it is made"),
    ({"valid_from": TODAY, "valid_until": date(2027, 12, 1)}, "a year at most"),
    ({}, "for one case .* or for a period"),
    ({"valid_until": date(2026, 12, 1)}, "for one case .* or for a period"),
])
def test_a_period_is_a_real_one(kwargs: dict[str, Any], message: str,
                                actors: dict[Role, Actor]) -> None:
    deputy(actors)
    before = dump()
    with pytest.raises(ValidationError, match=message):
        nominations.nominate(actors[Role.SERVICE_DIRECTOR], "deputy", "Annual leave", **kwargs)
    assert dump() == before


def test_a_nomination_is_confirmed_audited_shown_and_revoked(
        actors: dict[Role, Actor]) -> None:
    deputy(actors)
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    director = actors[Role.SERVICE_DIRECTOR]
    before = dump()
    with confirmation.given("not the passphrase"), pytest.raises(NotConfirmed):
        nominations.nominate(director, "deputy", "Conflict of interest", case_reference=ref)
    assert dump() == before
    with pytest.raises(ValidationError, match="one case or for a period, not both"):
        nominations.nominate(director, "deputy", "x", case_reference=ref, valid_from=TODAY,
                             valid_until=TODAY)
    made = nominations.nominate(director, "deputy", "Conflict of interest", case_reference=ref)
    entry = AuditEntry.get(AuditEntry.action == "nominate_appeal_officer")
    assert entry.case_reference == ref and entry.actor_login == "director"
    assert '"nominee": "deputy"' in entry.payload and "confirmed_with_key" in entry.payload
    with pytest.raises(ValidationError, match="already nominated for the appeal on"):
        nominations.nominate(director, "deputy", "Asked again to cover", case_reference=ref)
    view = appeals.view(actors[Role.OFFICER], ref)
    assert [n.id for n in view.nominations] == [made.id]
    assert made.line == (f"Lee Okoro (deputy), for the appeal on {ref}, nominated by Chris Osei "
                         "on 28 November 2026")
    nominations.revoke(director, made.id, "No conflict after all")
    with pytest.raises(ValidationError, match="already revoked"):
        nominations.revoke(director, made.id, "Twice")
    assert appeals.view(actors[Role.OFFICER], ref).nominations == []
    [listed] = nominations.list_nominations(actors[Role.OFFICER], ref)
    assert listed.status(TODAY) == "revoked on 28 November 2026"
    assert Nomination.get_by_id(made.id).revoke_reason == "No conflict after all"


def test_nominations_for_a_case_are_seen_by_those_who_see_the_case(
        actors: dict[Role, Actor]) -> None:
    from crm_tui.services.core import users

    deputy(actors)
    ref = builders.at_state(actors, CaseState.RESTRICTED)  # a Housing Services case
    nominations.nominate(actors[Role.SERVICE_DIRECTOR], "deputy", "Conflict of interest here",
                         case_reference=ref)
    nominate_today(actors, "deputy")
    assert len(nominations.list_nominations(actors[Role.SERVICE_AREA_MANAGER])) == 2
    other_area = users.resolve_actor("manager2")
    assert [n.case_reference for n in nominations.list_nominations(other_area)] == [""]
    assert [n.case_reference for n in
            nominations.list_nominations(actors[Role.USER_ADMIN])] == [""]


def test_the_outcome_letter_says_who_decided_and_claims_independence_only_when_true(
        actors: dict[Role, Actor]) -> None:
    nominee = deputy(actors)
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    nominate_today(actors, "deputy")
    appeals.decide_appeal(nominee, ref, AppealOutcome.CONFIRMED, "Sound", customer_reason=TOLD)
    body = " ".join(text(issuing.letter(nominee, ref, LetterKind.APPEAL_OUTCOME)).split())
    assert ("Your appeal was decided by Lee Okoro, Deputy Head of Legal Services, nominated by "
            "the Service Director, Legal & Business Operations to decide it. Lee Okoro took no "
            "part in the decision you appealed against.") in body
    # An appeal recorded before these rules, decided by the CRM who made the decision: the
    # letter says who decided, and does not say they took no part.
    Appeal.update(decided_by=actors[Role.CRM].user_id, nomination=None).execute()
    body = " ".join(text(issuing.letter(nominee, ref, LetterKind.APPEAL_OUTCOME)).split())
    assert "Your appeal was decided by Alex Morgan, Complaints Resolution Manager." in body
    assert "no part" not in body


def test_the_command_line_refuses_the_crm_the_appeal_and_its_letter(
        actors: dict[Role, Actor], db_path: Path, acting_as: Any, tmp_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    runner = CliRunner()
    acting_as("crm")
    before = dump()
    refused = runner.invoke(main, ["appeals", "decide", ref,
                                   "--customer-reason", TOLD, "--outcome", "removed", "--reason",
                                   "Mine to undo", "--db", outside.target(db_path)])
    assert refused.exit_code == 1 and "may not remove on appeal; only the Service Director" \
        in refused.output, refused.output
    assert dump() == before
    acting_as("director")
    decided = runner.invoke(main, ["appeals", "decide", ref,
                                   "--customer-reason", TOLD, "--outcome", "confirmed",
                                   "--reason", "The restriction is proportionate", "--db",
                                   outside.target(db_path)])
    assert decided.exit_code == 0, decided.output
    assert "signed by Chris Osei" in decided.output
    acting_as("crm")
    before = dump()
    out = tmp_path / "letters"
    export = runner.invoke(main, ["letters", "export", "--case", ref, "--kind", "appeal_outcome",
                                  "--out", str(out), "--db", outside.target(db_path)])
    assert export.exit_code == 1
    assert "Alex Morgan may not sign the appeal outcome letter: it is signed only by the " \
           "person who decided the appeal, Chris Osei" in " ".join(export.output.split())
    assert dump() == before
    assert not out.exists() or not list(out.glob("*.pdf"))
    assert Letter.select().count() == 0


def test_nominations_from_the_command_line(actors: dict[Role, Actor], db_path: Path,
                                           acting_as: Any) -> None:
    deputy(actors)
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    runner = CliRunner()
    acting_as("crm")
    before = dump()
    refused = runner.invoke(main, ["appeals", "nominate", "deputy", "--case", ref, "--reason",
                                   "Cover", "--db", outside.target(db_path)])
    assert refused.exit_code == 1 and "only the Service Director" in refused.output
    assert dump() == before
    acting_as("director")
    made = runner.invoke(main, ["appeals", "nominate", "deputy", "--from", "2026-11-28", "--to",
                                "2026-12-12", "--reason", "Annual leave",
                                "--db", outside.target(db_path)])
    assert made.exit_code == 0, made.output
    assert ("Nomination 1: Lee Okoro (deputy), for appeals decided from 28 November 2026 to 12 "
            "December 2026, nominated by Chris Osei on 28 November 2026") in made.output
    acting_as("officer")
    listed = runner.invoke(main, ["appeals", "nominations", "--db", outside.target(db_path)])
    assert "[in force]" in listed.output and "Reason: Annual leave" in listed.output
    # The team records an appeal while the case is under review; the nominee is shown.
    lodged = runner.invoke(main, ["appeals", "lodge", ref, "--received", "2026-11-28",
                                  "--grounds", "The review was started without telling me",
                                  "--db", outside.target(db_path)])
    assert lodged.exit_code == 0, lodged.output
    shown = runner.invoke(main, ["appeals", "show", ref, "--db", outside.target(db_path)])
    assert "Grounds: The review was started without telling me" in shown.output
    assert "or nominated: Lee Okoro (deputy)" in shown.output
    acting_as("deputy")
    decided = runner.invoke(main, ["appeals", "decide", ref,
                                   "--customer-reason", TOLD, "--outcome", "confirmed",
                                   "--reason", "The review is due",
                                   "--db", outside.target(db_path)])
    assert decided.exit_code == 0, decided.output
    assert "the case is under review now" in decided.output
    acting_as("director")
    revoked = runner.invoke(main, ["appeals", "revoke-nomination", "1", "--reason", "Back",
                                   "--db", outside.target(db_path)])
    assert revoked.exit_code == 0 and "no longer decides" in revoked.output
    review_steps.continue_unchanged(actors[Role.CRM], ref, "No change")
