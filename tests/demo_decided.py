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


def decided_today(db: Path | None = None) -> str:
    """The case under consideration, its clashing draft justified, the Head of Service's view
    recorded and the restrictions imposed on the (frozen) day: its decision letter is owed.
    `db`: the copy of the demo to open (else the one open already)."""
    if db is not None:
        open_database(db)
    crm, head = resolve_actor("ceri.hughes"), resolve_actor("priya.raman")
    second = builder.builder_view(crm, CONSIDERING).drafts[1].id
    with confirmation.given(DEMO_PASSPHRASE):
        builder.justify(crm, CONSIDERING, second, "A weekly call meets the need")
        casework.record_consultation(head, CONSIDERING, view=ConsultationView.AGREES,
                                     view_text="Agree", proposed_end=date(2028, 11, 28))
        terms = builder.decision_defaults(crm, CONSIDERING)
        decisions.impose_restrictions(crm, CONSIDERING, "Calls all day to many officers",
                                      terms, read=builders.read(CONSIDERING),
                                      customer_reason=builders.TOLD)
    return CONSIDERING
