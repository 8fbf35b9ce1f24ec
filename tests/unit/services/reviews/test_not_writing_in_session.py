"""The Head of Service's view on not writing, recorded in a review session on a case that is
still restricted (found when tried: `h` refused every case of a session, "This cannot record
consultation: the case is restricted", so lifting without a letter could not be prepared)."""

from __future__ import annotations

from datetime import date

import pytest

from crm_tui.db.models import AuditEntry, Case, Consultation
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.outcomes import ConsultationMethod, ConsultationSubject, ConsultationView
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.intake import casework
from crm_tui.services.reviews import review_session
from tests import builders


def _in_session(actors: dict[Role, Actor]) -> str:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    with builders.as_the_app(ref):
        Case.update(review_due=date(2026, 12, 1)).where(Case.reference == ref).execute()
    review_session.start(actors[Role.CRM], date(2026, 12, 31))
    return ref


def test_the_view_is_recorded_on_a_restricted_case_and_opens_lifting_without_a_letter(
        actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = _in_session(actors)
    assert Case.get(Case.reference == ref).state == CaseState.RESTRICTED.value
    assert "not_writing" not in review_session.refusals(crm, ref)
    casework.record_consultation(
        crm, ref, view=ConsultationView.AGREES,
        view_text="Agree not to write: a letter would start the calls again.",
        subject=ConsultationSubject.NO_COMMUNICATION, consultee="hos",
        method=ConsultationMethod.MEETING,
        opening=lambda: review_session.open_for_view(crm, ref))
    row = Consultation.get(Consultation.subject == ConsultationSubject.NO_COMMUNICATION.value)
    assert (row.consultee.login, row.method) == ("hos", ConsultationMethod.MEETING.value)
    assert Case.get(Case.reference == ref).state == CaseState.UNDER_REVIEW.value
    assert "lift_without_letter" not in review_session.refusals(crm, ref)
    review_session.lift(crm, ref, "The calls stopped in the spring", True)
    assert Case.get(Case.reference == ref).state != CaseState.RESTRICTED.value


def test_a_view_refused_leaves_the_case_restricted_and_the_trail_as_it_was(
        actors: dict[Role, Actor]) -> None:
    ref = _in_session(actors)
    entries = AuditEntry.select().count()
    with pytest.raises(ValidationError, match="say how the Head of Service gave their view"):
        casework.record_consultation(
            actors[Role.CRM], ref, view=ConsultationView.AGREES,
            view_text="Agree not to write.", subject=ConsultationSubject.NO_COMMUNICATION,
            consultee="hos", opening=lambda: review_session.open_for_view(actors[Role.CRM], ref))
    assert Case.get(Case.reference == ref).state == CaseState.RESTRICTED.value
    assert AuditEntry.select().count() == entries
    assert not Consultation.select().where(
        Consultation.subject == ConsultationSubject.NO_COMMUNICATION.value).exists()
