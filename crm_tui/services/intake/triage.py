"""Triage work that records what was done without moving the case on: information requested
from the service area, further enquiries made by the CRM."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from crm_tui import clock
from crm_tui.db.models import CaseNote
from crm_tui.domain.errors import PermissionDenied
from crm_tui.domain.grounds import enquiry_problem, request_note_problem
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.roles import Actor
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit
from crm_tui.services.core.case_steps import load_case_for_change, summarise
from crm_tui.services.core.database import atomic
from crm_tui.services.core.validation import account_text
from crm_tui.services.intake import triage_version

if TYPE_CHECKING:
    from crm_tui.services.core.results import CaseSummary

OPEN_STATES = (CaseState.LOCAL_RESOLUTION, CaseState.NEW, CaseState.UNDER_CONSIDERATION,
               CaseState.AWAITING_CONSULTATION)


class NoteKind(StrEnum):
    INFORMATION_REQUESTED = "information_requested"
    ENQUIRY = "enquiry"

    @property
    def label(self) -> str:
        return {"information_requested": "Further information requested from the service area",
                "enquiry": "Further enquiry made"}[self.value]

    @property
    def problem(self) -> Callable[[str], str | None]:
        """The rule its text is held to: a placeholder is no request, no enquiry."""
        return {"information_requested": request_note_problem,
                "enquiry": enquiry_problem}[self.value]

    @property
    def doing(self) -> str:
        """Recording it, in words (for a refusal)."""
        return {"information_requested": "record a request to the service area for further "
                                         "information",
                "enquiry": "record a further enquiry"}[self.value]


def record_note(actor: Actor, reference: str, kind: NoteKind, text: str,
                seen: int | None = None) -> CaseSummary:
    """Record a request for information or an enquiry on a referral still being triaged.
    `seen`: the version of the case the form was opened on (triage_version), if any."""
    with atomic():
        require(actor, Capability.ASSIGN_CASES, kind.doing)
        case = load_case_for_change(actor, reference)
        triage_version.require_unchanged(case, seen)
        if CaseState(case.state) not in OPEN_STATES:
            raise PermissionDenied(f"{kind.label.lower()} is recorded while a referral is being "
                                   f"considered; {case.reference} "
                                   f"{CaseState(case.state).in_words}")
        body = account_text("text", text, rule=kind.problem)
        CaseNote.create(case=case, kind=kind.value, text=body, recorded_by=actor.user_id,
                        recorded_at=clock.now())
        audit.record(actor, kind.value, case.reference, body)
        return summarise(case)
