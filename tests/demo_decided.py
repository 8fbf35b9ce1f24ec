"""A demo case decided in a test's set-up, through the services, so that its decision letter
is still to be signed (the demo issues every decision letter on the day it was decided)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from crm_tui.db.connection import open_database
from crm_tui.domain.outcomes import ConsultationView
from crm_tui.services.core import confirmation
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.intake import casework
from crm_tui.services.restrictions import builder, decisions
from tests import builders

CONSIDERING = "UPV-2026-0005"  # under consideration: two drafts, one clashing, not consulted


def ready_to_decide(db: Path | None = None, view: ConsultationView = ConsultationView.AGREES,
                    view_text: str = "Agree") -> int:
    """The case under consideration, its clashing draft justified and the Head of Service's
    view recorded: D on the builder opens the decision. Returns the clashing draft's id.
    `db`: the copy of the demo to open (else the one open already)."""
    if db is not None:
        open_database(db)
    crm = resolve_actor("ceri.hughes")
    second = builder.builder_view(crm, CONSIDERING).drafts[1].id
    with confirmation.given(DEMO_PASSPHRASE):
        builder.justify(crm, CONSIDERING, second, "A weekly call meets the need")
        casework.record_consultation(resolve_actor("priya.raman"), CONSIDERING, view=view,
                                     view_text=view_text, proposed_end=date(2028, 11, 28))
    return second


def decided_today(db: Path | None = None) -> str:
    """The case under consideration, ready to decide (above), and the restrictions imposed on
    the (frozen) day: its decision letter is owed.
    `db`: the copy of the demo to open (else the one open already)."""
    ready_to_decide(db)
    crm = resolve_actor("ceri.hughes")
    with confirmation.given(DEMO_PASSPHRASE):
        terms = builder.decision_defaults(crm, CONSIDERING)
        decisions.impose_restrictions(crm, CONSIDERING, "Calls all day to many officers",
                                      terms, read=builders.read(CONSIDERING),
                                      customer_reason=builders.TOLD)
    return CONSIDERING
