"""Who may do what on an appeal, written out by hand from the policy — not read from the
lifecycle's own table:

  "Appeals are determined by the Council's Service Director, Legal & Business Operations or
  nominated officer, who will confirm, amend or remove the decision to restrict access."
  "Formal restrictions can only be imposed by the CRM."

So the Complaints Resolution Team records an appeal received; the Service Director, or an
officer the Service Director nominated, decides it; the Service Director alone records and
revokes nominations; and the outcome letter is signed by whoever decided — never the CRM whose
decision was appealed. Each refusal leaves the database as it was. A person is checked over
their role history: the CRM who decided, made Service Director later, still may not hear the
appeal or sign its letter."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Appeal, Letter
from crm_tui.domain.errors import DomainError, PermissionDenied, RequirementMissing
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import users
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.letters import issuing
from crm_tui.services.reviews import appeals, nominations
from tests import builders, outside
from tests.builders import TOLD
from tests.unit.services.reviews.appeal_fixtures import TODAY, deputy, dump, nominate_today

R = Role
LODGE = {R.CRM: True, R.OFFICER: True, R.HEAD_OF_SERVICE: False, R.SERVICE_DIRECTOR: False,
         R.SERVICE_AREA_MANAGER: False, R.USER_ADMIN: False}
DECIDE = {R.CRM: False, R.OFFICER: False, R.HEAD_OF_SERVICE: False, R.SERVICE_DIRECTOR: True,
          R.SERVICE_AREA_MANAGER: False, R.USER_ADMIN: False}
NOMINATE = {R.CRM: False, R.OFFICER: False, R.HEAD_OF_SERVICE: False,
            R.SERVICE_DIRECTOR: True, R.SERVICE_AREA_MANAGER: False, R.USER_ADMIN: False}
# Once Chris Osei, the Service Director, has decided the appeal: only he signs its letter.
SIGN_OUTCOME = {R.CRM: False, R.OFFICER: False, R.HEAD_OF_SERVICE: False,
                R.SERVICE_DIRECTOR: True, R.SERVICE_AREA_MANAGER: False, R.USER_ADMIN: False}
SHORTER = DecisionTerms(starts_on=TODAY, ends_on=date(2027, 5, 28))


def test_the_tables_cover_every_role() -> None:
    for table in (LODGE, DECIDE, NOMINATE, SIGN_OUTCOME):
        assert set(table) == set(Role)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_who_records_an_appeal(role: Role, actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    if LODGE[role]:
        appeals.lodge_appeal(actors[role], ref, TODAY, "Unfair")
        assert Appeal.select().count() == 1
        return
    before = dump()
    with pytest.raises(PermissionDenied):
        appeals.lodge_appeal(actors[role], ref, TODAY, "Unfair")
    assert dump() == before


@pytest.mark.parametrize("outcome", list(AppealOutcome), ids=lambda o: o.value)
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_who_decides_an_appeal(role: Role, outcome: AppealOutcome,
                               actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    if outcome is AppealOutcome.AMENDED:
        builders.draft(actors, ref, by=Role.CRM)
    terms = SHORTER if outcome is AppealOutcome.AMENDED else None
    if DECIDE[role]:
        appeals.decide_appeal(actors[role], ref, outcome, "Decided on the grounds", terms,
                              builders.read(ref), customer_reason=TOLD)
        assert Appeal.get().outcome == outcome.value
        return
    before = dump()
    with pytest.raises(PermissionDenied):
        appeals.decide_appeal(actors[role], ref, outcome, "Decided on the grounds", terms,
                              builders.read(ref), customer_reason=TOLD)
    assert dump() == before


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_who_nominates_and_revokes(role: Role, actors: dict[Role, Actor]) -> None:
    deputy(actors)
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    if NOMINATE[role]:
        made = nominations.nominate(actors[role], "deputy", "Leave", case_reference=ref)
        nominations.revoke(actors[role], made.id, "Back from leave")
        return
    before = dump()
    with pytest.raises(PermissionDenied):
        nominations.nominate(actors[role], "deputy", "Leave", case_reference=ref)
    assert dump() == before
    made = nominations.nominate(actors[Role.SERVICE_DIRECTOR], "deputy", "Leave",
                                case_reference=ref)
    before = dump()
    with pytest.raises(PermissionDenied):
        nominations.revoke(actors[role], made.id, "Not mine to revoke")
    assert dump() == before


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_who_signs_the_appeal_outcome(role: Role, actors: dict[Role, Actor],
                                      tmp_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.CONFIRMED,
                          "The restriction is proportionate", customer_reason=TOLD)
    if SIGN_OUTCOME[role]:
        issued = issuing.sign_and_export(actors[role], ref, LetterKind.APPEAL_OUTCOME, tmp_path)
        assert Letter.get_by_id(issued.letter_id).signed_by_id == actors[role].user_id
        return
    before = dump()
    with pytest.raises(PermissionDenied):
        issuing.sign_and_export(actors[role], ref, LetterKind.APPEAL_OUTCOME, tmp_path)
    assert dump() == before and not list(tmp_path.glob("*.pdf"))


def test_another_service_director_who_did_not_decide_it_does_not_sign(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.CONFIRMED, "Sound",
                          customer_reason=TOLD)
    other = users.resolve_actor("director2")
    with pytest.raises(PermissionDenied, match="signed only by the person who decided the "
                                               "appeal, Chris Osei"):
        issuing.sign_and_export(other, ref, LetterKind.APPEAL_OUTCOME, tmp_path)


def test_a_nominated_officer_decides_only_while_the_nomination_covers_the_case(
        actors: dict[Role, Actor]) -> None:
    nominee = deputy(actors)
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    before = dump()
    with pytest.raises(PermissionDenied, match="nominated to decide this case's appeal"):
        appeals.decide_appeal(nominee, ref, AppealOutcome.CONFIRMED, "Sound", customer_reason=TOLD)
    assert dump() == before
    # A nomination from tomorrow does not cover today.
    nominations.nominate(actors[Role.SERVICE_DIRECTOR], "deputy", "Next week's leave",
                         valid_from=date(2026, 11, 29), valid_until=date(2026, 12, 4))
    with pytest.raises(PermissionDenied):
        appeals.decide_appeal(nominee, ref, AppealOutcome.CONFIRMED, "Sound", customer_reason=TOLD)
    # Revoked, a nomination for the case covers nothing.
    made = nominations.nominate(actors[Role.SERVICE_DIRECTOR], "deputy", "Conflict of "
                                "interest for me", case_reference=ref)
    nominations.revoke(actors[Role.SERVICE_DIRECTOR], made.id, "Resolved")
    before = dump()
    with pytest.raises(PermissionDenied):
        appeals.decide_appeal(nominee, ref, AppealOutcome.CONFIRMED, "Sound", customer_reason=TOLD)
    assert dump() == before
    used = nominate_today(actors, "deputy", days=0)
    appeals.decide_appeal(nominee, ref, AppealOutcome.CONFIRMED, "Sound", customer_reason=TOLD)
    appeal = Appeal.get()
    assert appeal.decided_by_id == nominee.user_id and appeal.nomination_id == used
    view = appeals.view(actors[Role.CRM], ref)
    assert view.latest is not None and view.latest.nominated.startswith(
        "nominated by Chris Osei on 28 November 2026")


def test_the_crm_who_decided_and_is_now_service_director_may_not_hear_or_sign_the_appeal(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    users.change_role(actors[Role.USER_ADMIN], "crm", Role.SERVICE_DIRECTOR, "Promoted")
    same_person = users.resolve_actor("crm")
    assert same_person.role is Role.SERVICE_DIRECTOR
    before = dump()
    with pytest.raises(RequirementMissing, match="someone who took no part"):
        appeals.decide_appeal(same_person, ref, AppealOutcome.REMOVED, "I was wrong",
                              customer_reason=TOLD)
    assert dump() == before
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.CONFIRMED, "Sound",
                          customer_reason=TOLD)
    before = dump()
    with pytest.raises(PermissionDenied, match="Alex Morgan may not sign the appeal outcome"):
        issuing.sign_and_export(same_person, ref, LetterKind.APPEAL_OUTCOME, tmp_path)
    assert dump() == before


def test_people_who_took_part_cannot_be_nominated_for_the_case_nor_decide_it_by_a_period(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    director = actors[Role.SERVICE_DIRECTOR]
    # The Head of Service gave the view on the decision.
    before = dump()
    with pytest.raises(DomainError, match="Jordan Reeve took part in the decision"):
        nominations.nominate(director, "hos", "Leave", case_reference=ref)
    assert dump() == before
    # The officer prepared it (drafted the restriction), and is now a Head of Service.
    users.change_role(actors[Role.USER_ADMIN], "officer", Role.HEAD_OF_SERVICE, "Promoted")
    with pytest.raises(DomainError, match="Sam Patel took part in the decision"):
        nominations.nominate(director, "officer", "Leave", case_reference=ref)
    # A period nomination does not know the case: the check comes when the appeal is decided.
    nominations.nominate(director, "officer", "Leave", valid_from=TODAY,
                         valid_until=date(2026, 12, 10))
    before = dump()
    with pytest.raises(RequirementMissing, match="someone who took no part"):
        appeals.decide_appeal(users.resolve_actor("officer"), ref, AppealOutcome.REMOVED, "x",
                              customer_reason=TOLD)
    assert dump() == before


def test_the_same_person_from_the_command_line_after_a_change_of_role(
        actors: dict[Role, Actor], db_path: Path, acting_as: Any) -> None:
    """Alex Morgan's account, now a Service Director's: still the CRM who decided."""
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    users.change_role(actors[Role.USER_ADMIN], "crm", Role.SERVICE_DIRECTOR, "Promoted")
    acting_as("crm")
    before = dump()
    result = CliRunner().invoke(main, ["appeals", "decide", ref,
                                       "--customer-reason", TOLD, "--outcome", "removed",
                                       "--reason", "I was wrong", "--db", outside.target(db_path)])
    assert result.exit_code == 1
    assert "must be decided by someone who took no part in the original decision" in \
        " ".join(result.output.split())
    assert dump() == before
