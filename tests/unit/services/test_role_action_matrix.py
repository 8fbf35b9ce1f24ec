"""Every (role, action) pair through the real services: allowed ones succeed, refused ones
fail with PermissionDenied and leave the database exactly as it was.

The expectations are written out by hand below from the policy and domain.md, one line per
action, one column per role: never read from the lifecycle table the code itself uses, so
that a wrong line in that table shows up here as a failure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from crm_tui.db.models import Case, ExtensionProposal, Letter
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.dates import ReviewPeriodReason
from crm_tui.domain.errors import PermissionDenied
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.outcomes import (
    AppealOutcome,
    ConsultationMethod,
    ConsultationSubject,
    ConsultationView,
)
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import users
from crm_tui.services.core.inputs import (
    CustomerInput,
    DecisionTerms,
    LocalResolutionInput,
    ReferralInput,
)
from crm_tui.services.evidence import contacts, tagging
from crm_tui.services.evidence.tagging import EvidenceKind
from crm_tui.services.intake import case_file, casework
from crm_tui.services.letters import issuing
from crm_tui.services.restrictions import builder, decisions
from crm_tui.services.retention import archive, subject_access
from crm_tui.services.reviews import appeals, review_steps
from tests import builders, dumps
from tests.builders import TOLD
from tests.conftest import PASSPHRASE

S = CaseState
Setup = Callable[[dict[Role, Actor]], str]
Do = Callable[[Actor, str], Any]


def _lr_input() -> LocalResolutionInput:
    return LocalResolutionInput(date(2026, 10, 1), "Letter of concern", date(2026, 10, 1),
                                date(2026, 11, 1), customer_summary=TOLD)


def _under_review_with(extra: Callable[[dict[Role, Actor], str], None]) -> Setup:
    def setup(actors: dict[Role, Actor]) -> str:
        ref = builders.at_state(actors, S.UNDER_REVIEW)
        extra(actors, ref)
        return ref
    return setup


def _redrafted(actors: dict[Role, Actor], ref: str) -> None:
    builder.redraft_in_force(actors[Role.CRM], ref)


def _proposed(actors: dict[Role, Actor], ref: str) -> None:
    builders.propose(actors, ref)
    # The comment period has run its course (an extension cannot be decided before), and the
    # Head of Service gave their view on the proposal since.
    with builders.as_the_app(ref):
        Case.update(reply_by=date(2026, 11, 27)).where(Case.reference == ref).execute()
        # Its invitation issued and posted in time to leave the customer the whole period
        # before it (14 working days from Fri 6 Nov: Thu 26 Nov; the period runs from the
        # posting, fixAL AL4).
        Letter.update(signed_at=datetime(2026, 11, 6, 9, 0), posted_on=date(2026, 11, 6)).where(
            Letter.kind == "invitation").execute()
    ExtensionProposal.update(reply_by=date(2026, 11, 27)).execute()
    builders.consult(actors, ref, subject=ConsultationSubject.EXTENSION,
                     ends_on=date(2028, 11, 28))


def _restricted_with_draft(actors: dict[Role, Actor]) -> str:
    ref = builders.at_state(actors, S.RESTRICTED)
    builders.draft(actors, ref, by=Role.CRM)
    return ref


def _appeal_with_draft(actors: dict[Role, Actor]) -> str:
    ref = builders.at_state(actors, S.UNDER_APPEAL)
    builders.draft(actors, ref, by=Role.CRM)
    return ref


def _at(state: CaseState) -> Setup:
    return lambda actors: builders.at_state(actors, state)


def _awaiting_with_a_draft(actors: dict[Role, Actor]) -> str:
    """Awaiting the Head of Service's view, with a restriction set out to give it on (a view on
    no restriction is refused whoever records it)."""
    ref = builders.at_state(actors, S.AWAITING_CONSULTATION)
    builders.draft(actors, ref)
    return ref


def _ended_and_told(actors: dict[Role, Actor]) -> str:
    """Ended, and the letter lifting the restrictions signed: a file due for archive."""
    ref = builders.at_state(actors, S.ENDED)
    builders.send_lifted(actors[Role.CRM], ref)
    return ref


NEW_TERMS = DecisionTerms(starts_on=builders.TODAY, ends_on=date(2027, 5, 28))
Y, N = True, False

# Who may do what, by hand from the policy and domain.md. Columns: the CRM, a Complaints
# Resolution Team officer, the Head of Service, the Service Director, a service area manager
# of the case's own area (Housing Services), one of another area, the user administrator.
#                                        CRM OFF HOS SD  SAM SAM-B ADMIN
EXPECTED: dict[str, tuple[bool, ...]] = {
    # "the manager for the service area most affected by the behaviour will attempt to deal
    # with the matter"; the team may record it for them. Only for their own area.
    "open local resolution":               (Y, Y,  N,  N,  Y,  N,  N),
    # "If the service area manager believes ... the matter should be referred to the CRM";
    # officers record referrals too (domain.md).
    "record a referral":                   (Y, Y,  N,  N,  Y,  N,  N),
    # The team takes the referral in; the CRM "will consider the referral".
    "begin consideration":                 (Y, Y,  N,  N,  N,  N,  N),
    "request the Head of Service's view":  (Y, Y,  N,  N,  N,  N,  N),
    # "in consultation with the Head of Service": the Head of Service records their view,
    # or the CRM records a view given to them, naming the Head of Service.
    "record the Head of Service's view":   (Y, N,  Y,  N,  N,  N,  N),
    # Decisions on a referral are the CRM's.
    "close with no action":                (Y, N,  N,  N,  N,  N,  N),
    "return to the service area":          (Y, N,  N,  N,  N,  N,  N),
    # "Formal restrictions can only be imposed by the Complaints Resolution Manager (CRM)".
    "impose restrictions":                 (Y, N,  N,  N,  N,  N,  N),
    "vary restrictions":                   (Y, N,  N,  N,  N,  N,  N),
    # "Any restrictions imposed will be reviewed on a yearly basis by the CRM": the team
    # opens the review; every outcome of it is the CRM's.
    "start a review":                      (Y, Y,  N,  N,  N,  N,  N),
    "continue unchanged":                  (Y, N,  N,  N,  N,  N,  N),
    "change the review period":            (Y, N,  N,  N,  N,  N,  N),
    # "the CRM may choose to extend the restrictions (or impose new restrictions)".
    "propose an extension":                (Y, N,  N,  N,  N,  N,  N),
    "extend restrictions":                 (Y, N,  N,  N,  N,  N,  N),
    "lift restrictions":                   (Y, N,  N,  N,  N,  N,  N),
    # "The decision will be taken by the CRM in consultation with the Head of Service".
    "lift without a letter":               (Y, N,  N,  N,  N,  N,  N),
    # The team records an appeal the customer sends in (today: while restricted).
    "lodge an appeal":                     (Y, Y,  N,  N,  N,  N,  N),
    # "Appeals are determined by the Council's Service Director, Legal & Business Operations
    # or nominated officer, who will confirm, amend or remove the decision".
    "confirm on appeal":                   (N, N,  N,  Y,  N,  N,  N),
    "amend on appeal":                     (N, N,  N,  Y,  N,  N,  N),
    "remove on appeal":                    (N, N,  N,  Y,  N,  N,  N),
    # Restrictions end on their end date; the team's housekeeping records it.
    "end restrictions at their end date":  (Y, Y,  N,  N,  N,  N,  N),
    # "retained by the CRM for the duration of any restrictions. The file will then be
    # archived and subsequently destroyed".
    # Archiving follows once nothing is owed: the team's housekeeping does it (issue 16).
    "archive the file":                    (Y, Y,  N,  N,  N,  N,  N),
    "destroy the file":                    (Y, N,  N,  N,  N,  N,  N),
    # Log sheets: kept by the service area during monitoring, and by the team.
    "log a contact":                       (Y, Y,  N,  N,  Y,  N,  N),
    # The team weighs the evidence it decides on.
    "tag a contact's behaviour":           (Y, Y,  N,  N,  N,  N,  N),
    # Officers "draft restrictions"; the Service Director sets out amended ones on appeal.
    "draft a restriction":                 (Y, Y,  N,  Y,  N,  N,  N),
    "assign the case":                     (Y, Y,  N,  N,  N,  N,  N),
    # "The CRM will write to the customer": the CRM alone signs a decision letter.
    "sign the decision letter":            (Y, N,  N,  N,  N,  N,  N),
    # Everyone who works on the policy reads the case; a manager only their own area's;
    # the user administrator no case (separation of duties).
    "read the case file":                  (Y, Y,  Y,  Y,  Y,  N,  N),
    # A subject access request is answered by the team that holds the files (issue 16).
    "export a subject access request":     (Y, Y,  N,  N,  N,  N,  N),
    # Users and roles: the user administrator alone, acting on no case.
    "add a user":                          (N, N,  N,  N,  N,  N,  Y),
}
COLUMNS = ("crm", "officer", "hos", "director", "manager", "manager2", "admin")


def _tag(actor: Actor, ref: str) -> None:
    case = Case.get(Case.reference == ref)
    contact = case.contacts.get()
    tagging.tag(actor, ref, EvidenceKind.CONTACT, contact.id, ())


CASES: dict[str, tuple[Setup | None, Do, str]] = {
    # what: (setup, do, clock for the attempt ("" = frozen today))
    "open local resolution": (None, lambda a, _: casework.open_local_resolution(
        a, CustomerInput(name="Pat Example"), "Housing Services", _lr_input()), ""),
    "record a referral": (_at(S.LOCAL_RESOLUTION), lambda a, r: casework.record_referral(
        a, ReferralInput("manager", date(2026, 11, 20), "Daily calls",
                         (BehaviourCategory.EXCESSIVE_DEMANDS,)), case_reference=r), ""),
    "begin consideration": (_at(S.NEW), casework.begin_consideration, ""),
    "request the Head of Service's view": (_at(S.UNDER_CONSIDERATION),
                                           casework.request_consultation, ""),
    "record the Head of Service's view": (_awaiting_with_a_draft, lambda a, r:
                                          casework.record_consultation(
                                              a, r, view=ConsultationView.AGREES,
                                              view_text="Agreed", consultee="hos",
                                              method=ConsultationMethod.MEETING), ""),
    "close with no action": (_at(S.UNDER_CONSIDERATION), lambda a, r: casework.close_no_action(
        a, r, "Genuine ongoing problems"), ""),
    "return to the service area": (_at(S.NEW), lambda a, r: casework.return_to_service_area(
        a, r, "Try a single point of contact first"), ""),
    "impose restrictions": (_at(S.UNDER_CONSIDERATION), lambda a, r:
                            decisions.impose_restrictions(a, r, "Evidence shows it",
                                                          builders.TERMS,
                                                          read=builders.read(r),
                                                          customer_reason=TOLD), ""),
    "vary restrictions": (_restricted_with_draft, lambda a, r:
                          decisions.vary_restrictions(a, r, "Easier to comply", NEW_TERMS,
                                                      read=builders.read(r),
                                                      customer_reason=TOLD), ""),
    "start a review": (_at(S.RESTRICTED), review_steps.start_review, ""),
    "continue unchanged": (_at(S.UNDER_REVIEW), lambda a, r: review_steps.continue_unchanged(
        a, r, "Behaviour continues"), ""),
    "change the review period": (_at(S.UNDER_REVIEW), lambda a, r:
                                 review_steps.change_review_period(
                                     a, r, "Contact has settled", next_review=date(2027, 5, 28),
                                     period_reason=ReviewPeriodReason.PERSONAL_CIRCUMSTANCES,
                                     period_note="Her carer's role ends in May"), ""),
    "propose an extension": (_under_review_with(_redrafted), lambda a, r:
                             review_steps.propose_extension(a, r, "Behaviour continues",
                                                            ends_on=date(2028, 11, 28),
                                                            customer_reason=TOLD), ""),
    "extend restrictions": (_under_review_with(_proposed), lambda a, r:
                            review_steps.extend_restrictions(a, r, "No comments received",
                                                             NEW_TERMS,
                                                             read=builders.read(r),
                                                             customer_reason=TOLD), ""),
    "lift restrictions": (_at(S.RESTRICTED), lambda a, r: decisions.lift_restrictions(
        a, r, "Behaviour subsided", customer_reason=TOLD), ""),
    "lift without a letter": (_under_review_with(builders.consult_no_communication),
                              lambda a, r: decisions.lift_restrictions(
                                  a, r, "A letter could restart it", without_letter=True), ""),
    "lodge an appeal": (_at(S.RESTRICTED), lambda a, r: appeals.lodge_appeal(
        a, r, builders.TODAY, "Unfair"), ""),
    "confirm on appeal": (_at(S.UNDER_APPEAL), lambda a, r: appeals.decide_appeal(
        a, r, AppealOutcome.CONFIRMED, "Decision was sound", customer_reason=TOLD), ""),
    "amend on appeal": (_appeal_with_draft, lambda a, r: appeals.decide_appeal(
        a, r, AppealOutcome.AMENDED, "Shorter period", NEW_TERMS, builders.read(r),
        customer_reason=TOLD), ""),
    "remove on appeal": (_at(S.UNDER_APPEAL), lambda a, r: appeals.decide_appeal(
        a, r, AppealOutcome.REMOVED, "Not proportionate", customer_reason=TOLD), ""),
    "end restrictions at their end date": (_at(S.RESTRICTED), lambda a, r:
                                           decisions.expire_due(a), "2027-11-29T09:00:00"),
    # once the appeal period of the decision (made on 28 Nov 2026) is over
    "archive the file": (_ended_and_told, archive.archive, "2027-01-12T09:00:00"),
    "destroy the file": (_at(S.ARCHIVED), archive.destroy, "2032-11-29T09:00:00"),
    "log a contact": (_at(S.LOCAL_RESOLUTION), lambda a, r: contacts.log_contact(
        a, r, contacts.ContactInput(datetime(2026, 11, 27, 9, 0), Channel.EMAIL,
                                    Direction.INBOUND, "Housing Services", "Robin Hale",
                                    "Sixth email today")), ""),
    "tag a contact's behaviour": (_at(S.UNDER_CONSIDERATION), _tag, ""),
    # Beside the letter-only draft the case holds: one restriction of each kind (v15e F2).
    "draft a restriction": (_at(S.UNDER_CONSIDERATION), lambda a, r:
                            decisions.draft_restriction(a, r, builders.SIGNIFICANT_ONLY), ""),
    "assign the case": (_at(S.NEW), lambda a, r: casework.assign(a, r, "officer"), ""),
    "sign the decision letter": (_at(S.RESTRICTED), lambda a, r: issuing.sign_and_export(
        a, r, LetterKind.DECISION, Path("letters"), PASSPHRASE), ""),
    "read the case file": (_at(S.RESTRICTED), case_file.case_file, ""),
    "export a subject access request": (_at(S.RESTRICTED), lambda a, r:
                                        subject_access.export_subject_access(
                                            a, r, "SAR-1", Path("exports"), "Council"), ""),
    "add a user": (None, lambda a, _: users.add_user(
        a, "newcomer", "New Comer", Role.OFFICER, staff_id="S-new"), ""),
}


# Each step of a case's life, and its line above.
LIFECYCLE_LINES = {
    Action.OPEN_LOCAL_RESOLUTION: "open local resolution",
    Action.RECORD_REFERRAL: "record a referral",
    Action.BEGIN_CONSIDERATION: "begin consideration",
    Action.REQUEST_CONSULTATION: "request the Head of Service's view",
    Action.RECORD_CONSULTATION: "record the Head of Service's view",
    Action.CLOSE_NO_ACTION: "close with no action",
    Action.RETURN_TO_SERVICE_AREA: "return to the service area",
    Action.IMPOSE_RESTRICTIONS: "impose restrictions",
    Action.VARY_RESTRICTIONS: "vary restrictions",
    Action.START_REVIEW: "start a review",
    Action.CONTINUE_UNCHANGED: "continue unchanged",
    Action.CHANGE_REVIEW_PERIOD: "change the review period",
    Action.PROPOSE_EXTENSION: "propose an extension",
    Action.EXTEND_RESTRICTIONS: "extend restrictions",
    Action.LIFT_RESTRICTIONS: "lift restrictions",
    Action.LIFT_WITHOUT_LETTER: "lift without a letter",
    Action.LODGE_APPEAL: "lodge an appeal",
    Action.CONFIRM_ON_APPEAL: "confirm on appeal",
    Action.AMEND_ON_APPEAL: "amend on appeal",
    Action.REMOVE_ON_APPEAL: "remove on appeal",
    Action.EXPIRE_RESTRICTIONS: "end restrictions at their end date",
    Action.ARCHIVE: "archive the file",
    Action.DESTROY: "destroy the file",
}


def test_every_action_has_a_line() -> None:
    assert set(CASES) == set(EXPECTED)
    assert set(LIFECYCLE_LINES) == set(Action), "a new step of a case's life needs its line"
    assert set(LIFECYCLE_LINES.values()) <= set(EXPECTED)
    assert all(len(line) == len(COLUMNS) for line in EXPECTED.values())


def _dump() -> list[str]:
    return dumps.dump()


@pytest.mark.parametrize("column", range(len(COLUMNS)), ids=lambda c: COLUMNS[c])
@pytest.mark.parametrize("what", list(EXPECTED), ids=lambda w: w.replace(" ", "-"))
def test_role_action(what: str, column: int, actors: dict[Role, Actor],
                     monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # where a signed letter is written
    setup, do, when = CASES[what]
    ref = setup(actors) if setup else ""
    if when:
        monkeypatch.setenv("CRM_TUI_NOW", when)
    actor = users.resolve_actor(COLUMNS[column])
    if EXPECTED[what][column]:
        do(actor, ref)
    else:
        before = _dump()
        with pytest.raises(PermissionDenied):
            do(actor, ref)
        assert _dump() == before
