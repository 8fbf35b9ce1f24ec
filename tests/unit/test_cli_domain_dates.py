"""The domain's rules on a decision's dates say them in the user's style, dd/mm/yyyy, wherever
they are shown (v15m Y4): they wrote ISO ("restrictions cannot start before the decision
(2026-11-28)", "review by 2027-…"), converted by the decision form's panel alone. The command
line says a refusal as the domain wrote it (dates typed to it as typed)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from crm_tui.cli_words import refused
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.terms import settle_review_date

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.mark.parametrize(("starts", "ends", "review", "said"), [
    (date(2026, 11, 27), date(2027, 11, 27), None,
     "restrictions cannot start before the decision (28/11/2026)"),
    (date(2027, 12, 1), date(2029, 12, 1), date(2027, 11, 28),
     "the review must be after the restrictions start (01/12/2027)"),
    (date(2027, 12, 1), date(2029, 12, 1), date(2028, 12, 2),
     "restrictions are reviewed at least every 12 months from their start: review by "
     "01/12/2028"),
    (date(2027, 12, 1), date(2028, 6, 1), date(2028, 7, 1),
     "the review cannot be after the restrictions end (01/06/2028)")])
def test_a_refusal_of_a_decisions_dates_reads_in_the_users_style_on_the_command_line(
        starts: date, ends: date, review: date | None, said: str) -> None:
    with pytest.raises(ValidationError) as caught:
        settle_review_date(decided_on=date(2026, 11, 28), starts_on=starts, ends_on=ends,
                           review_due=review, period_months=12, reason=None, note="")
    assert caught.value.message == said
    shown = refused(caught.value).format_message()
    assert said in shown and not ISO.search(shown), shown
