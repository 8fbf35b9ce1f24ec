"""mx's bug 4 (fixAB): restrictions decided to start on a later day (amended on appeal to
start on 1 February 2027), a stricter change or an extension proposed at a review before the
start: the invitation went, and the decision after the comment period was refused, "The
letter cannot go: it does not say dated examples of the behaviour": the examples were taken
since the start, not reached. Decided with the policy (further behaviour "during the review
period" may extend them): the examples are those since the restrictions were decided (the
check before the decision says "Since we decided the restrictions on 28 November 2026")."""

from __future__ import annotations

import pytest

from crm_tui.domain.roles import Actor, Role
from tests.unit.services import later_start_cells as cells


@pytest.mark.parametrize("step", ["extend", "vary stricter"])
def test_the_decision_before_the_start_rests_on_behaviour_since_it_was_decided(
        actors: dict[Role, Actor], step: str) -> None:
    seen = cells.run(actors, later=True, step=step, earlier="posted", day=cells.DAYS["before"])
    assert not seen.refused and not seen.sign_refused, seen
    assert seen.new_letter is not None
    text = " ".join(seen.all_texts[seen.new_letter].split())
    assert "On 29 January 2027 you wrote to us." in text, text
