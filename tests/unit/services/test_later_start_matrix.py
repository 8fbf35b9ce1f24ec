"""Restrictions decided to start on a later day, met by every next step (v15m helper mx): one
table over (in force | decided to start later), by (lift, vary lighter, vary stricter, extend,
an appeal's outcome upheld / amended / dismissed, a review's outcome continue / lift), by (the
letter telling the customer of them unsigned, signed and not posted, posted), by (the step
taken before the start, on the start day, after it). Restrictions in force take their step
once, on a later day (IN_FORCE_DAY). Each cell is driven through the services on a frozen
clock (later_start_cells.run): the step, then each letter the case's next action says to
sign, then a post run on that day. Each cell checks, by one rule for all:

- the next action once the step is taken (what it says to do next), and that once the
  letters it asks for are signed and posted nothing is owed;
- what the post run offers: the letters signed that day, never the earlier letter once a
  later step changed what it says, never a letter the register calls superseded (which
  names the letter that took its place);
- the words of each letter offered: no date passed by the day it is posted for something
  still to come ("until …", "start on …"), and for restrictions that stand, their end as
  it is now;
- the customer is told what was decided: an appeal's result, and the restrictions as they
  stand, by a letter posted.

A start more than a year after the decision (the tester's 1 December 2027), which the table's
dates do not reach, has its own small test: reviewed after the start, not a year from the
decision (fixY)."""

from __future__ import annotations

from datetime import date

import pytest

from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from tests.unit.services import later_start_cells as cells

EARLIER = {"unsigned": "unsigned", "signed": "signed not posted", "posted": "posted"}
ENDING = {"lift", "review lift", "appeal upheld"}  # the steps after which none apply

CELLS = ([(False, step, earlier, "") for step in cells.STEPS for earlier in EARLIER]
         + [(True, step, earlier, day) for step in cells.STEPS for earlier in EARLIER
            for day in cells.DAYS])

def _id(cell: tuple[bool, str, str, str]) -> str:
    later, step, earlier, day = cell
    base = f"starts later, {day} the start" if later else "in force"
    if later and day == "on":
        base = "starts later, on the start day"
    return f"{base} | {step} | earlier letter {EARLIER[earlier]}"


def _params() -> list[object]:
    return [pytest.param(*cell, id=_id(cell)) for cell in CELLS]


def _after_the_step(later: bool, step: str, earlier: str, day: date) -> str:
    """What the case says to do next once the step is taken."""
    if step in ("lift", "review lift"):
        return "Sign the letter lifting the restrictions"
    if step.startswith("appeal"):
        return "Sign the appeal outcome letter"
    if step != "review continue":
        return "Sign the decision letter"
    # Continued unchanged: the letter telling of them, if still owed, comes first.
    if earlier == "posted":
        return "Review due"
    if not later:
        # Signed and not posted, it still goes (its start, the day it bears, is not "still to
        # come": fixAB's AB0), in the post run: nothing to sign.
        return "Sign the decision letter" if earlier == "unsigned" else "Review due"
    if earlier == "signed" and day < cells.START:
        return "Post the appeal outcome letter"
    return "Sign the appeal outcome letter"


@pytest.mark.parametrize("later,step,earlier,day_name", _params())
def test_the_next_step_and_the_letters_offered(actors: dict[Role, Actor], later: bool,
                                               step: str, earlier: str,
                                               day_name: str) -> None:
    day = cells.DAYS[day_name] if later else cells.IN_FORCE_DAY
    seen = cells.run(actors, later=later, step=step, earlier=earlier, day=day)
    assert not seen.refused, seen
    assert seen.after_step == _after_the_step(later, step, earlier, day), seen
    assert not seen.sign_refused, seen
    if cells.OWED[step] is not None:
        assert seen.new_letter is not None and seen.new_letter in seen.offered, seen

    # The post run: never the earlier letter once a later step changed what it says; never
    # a letter the register calls superseded; a superseded one names what took its place.
    if seen.earlier is not None and earlier == "signed" and step != "review continue":
        assert seen.earlier not in seen.offered, seen
    for letter_id, status in seen.statuses.items():
        if status.startswith("superseded"):
            assert letter_id not in seen.offered and letter_id not in seen.posted, seen
            assert any(f"letter {new}" in seen.superseded[letter_id] for new in seen.signed), \
                seen

    # The words of each letter offered, true on the day it is posted.
    ended = step in ENDING
    for letter_id in seen.offered:
        text = seen.texts[letter_id]
        assert seen.past[letter_id] == [], (letter_id, text)
        if ended:
            assert "start on" not in text and "apply from" not in text, (letter_id, text)
    # Nothing owed once the letters asked for are signed and posted.
    assert seen.after_posting == ("Archive file" if ended else "Review due"), seen
    assert seen.state == (CaseState.ENDED.value if ended else CaseState.RESTRICTED.value)

    # The customer is told, by a letter posted: the appeal's result, and the restrictions
    # as they stand (their end as it is now).
    posted = [seen.all_texts[i] for i in seen.posted]
    if later or step.startswith("appeal"):
        # In the outcome letter's words, or a later decision's telling it (fixZ).
        assert any("You appealed against our decision of" in text for text in posted), seen
    if not ended:
        assert seen.restrictions_end is not None
        end = in_prose(seen.restrictions_end, full_month=True)
        assert any(end in text for text in posted), (end, seen)
        # Reviewed once they apply, never before their start (fixY's rule).
        assert seen.review_due is not None and seen.review_due > max(
            cells.START if later else day, day), seen


@pytest.mark.parametrize("how", cells.BASES_AFTER_A_YEAR)
def test_restrictions_starting_after_a_year_are_reviewed_after_they_start(
        actors: dict[Role, Actor], how: str) -> None:
    """The day (fixY's rule) the matrix's dates do not reach: a start more than a year after
    the decision, past the review a year on that a blank review date gives."""
    review_due, refused = cells.reviewed_on(actors, how)
    assert not refused
    assert review_due is not None and review_due > cells.START_AFTER_A_YEAR, review_due
