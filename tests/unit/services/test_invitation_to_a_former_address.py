"""fixAJ: an invitation to comment signed and not posted, then the customer's postal address
changed. The post run refuses it (fixAG) and W offers it again, but the case's next action
did not ask for it, and the comment period still counted from the first invitation's signing:
the extension could be decided before the customer had the time the invitation they were
actually sent gave them. Now the invitation that can no longer go does not count as issued:
the next action is "Sign the invitation to comment" (`cases --letters-owed` lists it), the
extension is refused as for one never issued, and once it is signed again the comment period
counts from that one, on every path (the service, the command line; as the CRM and the Head
of Service). The same for a local resolution letter: "Sign the local resolution letter".

The suite's clock: Saturday 28 November 2026. The proposal gives 17 December 2026 (14
working days from then); the invitation is signed that day; the customer moves on Thursday
3 December, and the invitation is signed again that day: 14 working days from it is
23 December 2026."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Case, Letter
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import ConsultationSubject
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import comments_in
from crm_tui.services.core.inputs import CustomerInput, DecisionTerms, LocalResolutionInput
from crm_tui.services.intake import casework, customer_details
from crm_tui.services.letters import issuing, posting
from crm_tui.services.reviews import review_session, review_steps
from tests import builders, outside
from tests.builders import TOLD

GIVEN = date(2026, 12, 17)
AGAIN = date(2026, 12, 23)  # 14 working days from Thu 3 Dec 2026
NEW_ADDRESS = ("Flat 2, 9 Harbour Row", "Northmere")
NEW_POSTCODE = "NM3 4QT"
TERMS = DecisionTerms(starts_on=date(2026, 12, 24), ends_on=date(2028, 11, 28))


def _move(crm: Actor, ref: str) -> None:
    now = customer_details.contact(crm, ref)
    customer_details.set_contact(crm, ref, customer_details.ContactDetails(
        NEW_ADDRESS, NEW_POSTCODE, now.email, now.telephone))


def _next(ref: str) -> str:
    return str(Case.get(Case.reference == ref).next_action)


@pytest.fixture
def moved(actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> tuple[str, int]:
    """A review whose invitation was signed on 28 Nov, not posted, and the customer moved on
    3 Dec (the clock then): the case and the first invitation's number."""
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref, reply_by=GIVEN, sign=False)
    first = builders.sign_invitation(actors[Role.CRM], ref, post=False)
    assert comments_in.comments_by(Case.get(Case.reference == ref)) == GIVEN
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-03T10:00:00")
    _move(actors[Role.CRM], ref)
    return ref, first


def _extend(actor: Actor, ref: str) -> None:
    review_steps.extend_restrictions(actor, ref, "Letters went on", TERMS,
                                     read=builders.read(ref), customer_reason=TOLD)


def test_the_invitation_is_owed_again_and_the_period_runs_from_the_one_that_goes(
        actors: dict[Role, Actor], moved: tuple[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    ref, first = moved
    crm = actors[Role.CRM]
    assert posting.unposted(crm, ref)[0].cannot_go.startswith("the customer's address changed")
    with pytest.raises(RequirementMissing, match="write the invitation to comment again"):
        posting.record_posting(crm, [first], date(2026, 12, 3), "first")
    # Not issued: the customer has not been asked; the next action asks for it, W offers it.
    assert _next(ref) == "Sign the invitation to comment"
    assert LetterKind.INVITATION in issuing.kinds_for(crm, ref)
    case = Case.get(Case.reference == ref)
    assert comments_in.issued_on(case) is None
    assert review_session.facts(crm, ref).issued_on is None
    with pytest.raises(RequirementMissing, match="invitation to comment has not been issued") \
            as refused:
        _extend(crm, ref)
    assert "sign it again, to their new address (W on the case file)" in str(refused.value)
    again = builders.sign_invitation(crm, ref)
    assert again != first
    assert "by 23 December 2026" in " ".join(str(Letter.get_by_id(again).body).split())
    case = Case.get(Case.reference == ref)
    assert comments_in.issued_on(case) == date(2026, 12, 3)
    assert comments_in.comments_by(case) == AGAIN
    assert (_next(ref), Case.get(Case.reference == ref).next_action_due) == (
        "Customer's comments due", AGAIN)
    # After the first invitation's period, before the new one's: no decision yet.
    # The Head of Service's view given then is inside the customer's time: asked again.
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-18T10:00:00")
    builders.consult(actors, ref, subject=ConsultationSubject.EXTENSION,
                     ends_on=TERMS.ends_on)
    with pytest.raises(RequirementMissing, match="until 23 December 2026 to comment"):
        _extend(crm, ref)
    assert Case.get(Case.reference == ref).state == CaseState.UNDER_REVIEW.value
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-24T10:00:00")
    with pytest.raises(RequirementMissing, match="comment period ended on 23 December 2026"):
        _extend(crm, ref)
    # Once it has passed, the extension can be decided on a view given since.
    builders.consult(actors, ref, subject=ConsultationSubject.EXTENSION,
                     ends_on=TERMS.ends_on)
    _extend(actors[Role.CRM], ref)
    assert Case.get(Case.reference == ref).state == CaseState.RESTRICTED.value


def test_an_invitation_posted_before_the_move_still_counts(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref, reply_by=GIVEN, sign=False)
    first = builders.sign_invitation(actors[Role.CRM], ref, post=False)
    posting.record_posting(actors[Role.CRM], [first], date(2026, 11, 28), "first")
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-03T10:00:00")
    _move(actors[Role.CRM], ref)
    case = Case.get(Case.reference == ref)
    assert comments_in.issued_on(case) == date(2026, 11, 28)
    assert comments_in.comments_by(case) == GIVEN
    assert _next(ref) == "Customer's comments due"
    assert LetterKind.INVITATION not in issuing.kinds_for(actors[Role.CRM], ref)


def _run(db: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, [*args, "--db", outside.target(db)])
    assert result.exit_code == code, result.output
    return result.output


def test_at_the_command_line(actors: dict[Role, Actor], moved: tuple[str, int],
                             acting_as: Callable[[str], None], db_path: Path) -> None:
    ref, _ = moved
    acting_as("crm")
    owed = _run(db_path, "cases", "--letters-owed")
    assert any(ref in row and "Sign the invitation to comment" in row
               for row in owed.splitlines()), owed
    builders.sign_invitation(actors[Role.CRM], ref)
    listed = _run(db_path, "cases")
    row = next(row for row in listed.splitlines() if ref in row)
    assert "Customer's comments due" in row and "23 Dec 2026" in row, listed
    assert ref not in _run(db_path, "cases", "--letters-owed")


def test_a_local_resolution_letter_is_owed_again(actors: dict[Role, Actor],
                                                 tmp_path: Path) -> None:
    from tests.conftest import PASSPHRASE

    manager = actors[Role.SERVICE_AREA_MANAGER]
    builders.reachable(actors, "manager")
    ref = casework.open_local_resolution(
        manager, CustomerInput(name="Testy McTestface", address=("1 Test Row", "Northmere"),
                               postcode="NM1 1AA"),
        "Housing Services",
        LocalResolutionInput(written_on=builders.TODAY, written_summary="Concerns set out",
                             monitoring_start=builders.TODAY,
                             monitoring_end=date(2027, 1, 31), contact_frequency="weekly",
                             warned=True, customer_summary=TOLD, spoc="manager")).reference
    crm = actors[Role.CRM]
    first = issuing.sign_and_export(crm, ref, LetterKind.LOCAL_RESOLUTION,
                                    tmp_path / "out", PASSPHRASE).letter_id
    assert _next(ref) == "Monitoring period ends"
    _move(manager, ref)
    assert _next(ref) == "Sign the local resolution letter"
    assert LetterKind.LOCAL_RESOLUTION in issuing.kinds_for(manager, ref)
    again = issuing.sign_and_export(crm, ref, LetterKind.LOCAL_RESOLUTION,
                                    tmp_path / "again", PASSPHRASE).letter_id
    assert again != first
    assert _next(ref) == "Monitoring period ends"
