"""A decision's heading in the case timeline says what was decided in plain words, as the
notices of a change say it (v21: "Decision: Remove on appeal (Gareth Bell)" read as the
step's code, beside "Appeal upheld: restrictions removed")."""
from __future__ import annotations

import pytest

from crm_tui.domain.lifecycle import Action
from crm_tui.services.intake.case_file import decision_heading
from crm_tui.services.intake.triage_version import DONE

# Every step a Decision row can record (an appeal received is the appeal's entry, not one).
DECIDED = sorted((a for a in DONE if a is not Action.LODGE_APPEAL), key=lambda a: a.value)


@pytest.mark.parametrize("step", DECIDED, ids=lambda a: a.value)
def test_every_step_is_headed_in_plain_words(step: Action) -> None:
    heading = decision_heading(step.value)
    assert "_" not in heading and step.label not in heading, heading
    assert heading.count(":") == 1, heading


def test_appeal_and_review_decisions_say_so() -> None:
    assert decision_heading("remove_on_appeal") == "Decision on appeal: restrictions removed"
    assert decision_heading("amend_on_appeal") == "Decision on appeal: restrictions amended"
    assert decision_heading("continue_unchanged") == (
        "Decision on review: restrictions continue unchanged")
    assert decision_heading("impose_restrictions") == "Decision: restrictions imposed"
