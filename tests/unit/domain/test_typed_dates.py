"""Dates in messages are quoted as the user typed them (issue 15): "3/12/2026", not
"03/12/2026" nor the ISO form services write."""

from __future__ import annotations

from datetime import date, datetime

from crm_tui.domain.typed_dates import (
    date_problem,
    time_problem,
    typed_days,
    with_typed_dates,
)


def test_a_days_problem_quotes_it_as_typed() -> None:
    assert date_problem("3/12/2026", latest=date(2026, 11, 28)) == (
        '"3/12/2026" is in the future: give a day up to today')
    assert date_problem(" 1/9/2026 ", earliest=date(2026, 10, 1), earliest_is="the decision") \
        == '"1/9/2026" is before the decision (1 Oct 2026)'  # a day nobody typed: prose
    assert time_problem("3/12/2026 10:00", latest=datetime(2026, 11, 28, 10)) == (
        '"3/12/2026 10:00" is in the future: give a time up to now')


def test_a_services_dates_read_back_as_typed() -> None:
    typed = typed_days(["3/12/2026", "Sam Patel", "", "28 Nov 2026"])
    assert typed == {date(2026, 12, 3): "3/12/2026", date(2026, 11, 28): "28 Nov 2026"}
    assert with_typed_dates("2026-12-03 is after 2026-11-28 (03/12/2026)", typed) == (
        '"3/12/2026" is after 28 Nov 2026 (3/12/2026)')
    assert with_typed_dates("2026-12-04 is late") == '"04/12/2026" is late'


def test_a_refused_iso_day_is_quoted_as_typed_in_a_form() -> None:
    # Found when tried: a form said "01/13/2026 is not a date" for 2026-13-01 typed.
    from crm_tui.ui.forms import as_typed

    problem = date_problem("2026-13-01")
    assert problem is not None
    assert as_typed(problem) == '"2026-13-01" is not a date: type it as dd/mm/yyyy'
    problem = time_problem("2026-02-30 09:30")
    assert problem is not None
    assert as_typed(problem).startswith('"2026-02-30 09:30" is not a date and time')
    # A day a service writes is still said as the forms show it.
    assert with_typed_dates('"2026-12-04" was typed; 2026-12-04 is late') == (
        '"2026-12-04" was typed; 04/12/2026 is late')
