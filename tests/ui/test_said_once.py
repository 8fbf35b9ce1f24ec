"""Words a person reads once, not twice or half: found when the app was tried (round 9)."""

from __future__ import annotations

from datetime import date

from crm_tui.domain.lifecycle import Action
from crm_tui.domain.outcomes import ConsultationView
from crm_tui.services.core import consulted
from crm_tui.services.restrictions.readiness import DecisionPreview
from crm_tui.ui.dialogs.decision import status_text


def test_the_decision_form_names_the_head_of_services_view_once() -> None:
    view = consulted.in_words(ConsultationView.AGREES, "Gareth Bell", "Gareth Bell",
                              date(2026, 12, 2))
    said = status_text(DecisionPreview(Action.IMPOSE_RESTRICTIONS, "", [], {}, view=view)).plain
    assert said.startswith("Head of Service's view, recorded by Gareth Bell on 2 Dec 2026")
    assert said.count("Head of Service") == 1
