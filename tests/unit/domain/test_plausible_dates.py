"""Typed dates are plausible (issue 16: a year-0001 date and Arabic-Indic digits were accepted
as contact dates): only the digits 0-9 are read, and nothing before 01/01/1990 (EARLIEST), in
every form and command (one reader: typed_dates) and in a log sheet's contacts."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import EARLIEST, date_problem, parse_date, parse_time
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contact_input import ContactInput
from crm_tui.services.evidence.log_sheet_csv import LogSheetProblem, parse_when, read_log_sheet
from tests import builders


@pytest.mark.parametrize("typed", ["01/01/0001", "0001-01-01", "31/12/1989", "1 Jan 1026"])
def test_a_day_before_the_earliest_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match=f'"{typed}" is before 01/01/1990, the earliest date '
                                         "recorded here: check the year"):
        parse_date(typed)
    assert date_problem(typed) is not None


def test_the_earliest_day_and_two_digit_years_are_read() -> None:
    assert parse_date("01/01/1990") == EARLIEST
    assert parse_date("28/11/26") == date(2026, 11, 28)


def _in(first: int, text: str) -> str:
    """`text` with its digits 0-9 written in another script's (from code point `first`)."""
    return text.translate({ord("0") + n: first + n for n in range(10)})


ARABIC_INDIC, PERSIAN, FULL_WIDTH = 0x0660, 0x06F0, 0xFF10


@pytest.mark.parametrize("typed", [_in(ARABIC_INDIC, "28/11/2026"), _in(PERSIAN, "28/11/2026"),
                                   _in(FULL_WIDTH, "28/11/2026"),
                                   "28/11/" + _in(FULL_WIDTH, "2026")])
def test_only_the_digits_0_to_9_are_read(typed: str) -> None:
    with pytest.raises(ValueError, match="has digits other than 0-9"):
        parse_date(typed)
    with pytest.raises(ValueError, match="has digits other than 0-9"):
        parse_time(f"{typed} 09:30")
    with pytest.raises(ValueError, match="has digits other than 0-9"):
        parse_when(f"{typed} 09:30")


def test_a_time_before_the_earliest_is_said_with_its_time() -> None:
    with pytest.raises(ValueError, match='"01/01/0001 09:30" is before 01/01/1990'):
        parse_time("01/01/0001 09:30")
    with pytest.raises(ValueError, match='"0001-01-01 09:30" is before 01/01/1990'):
        parse_when("0001-01-01 09:30")


def test_a_log_sheet_refuses_implausible_days_with_their_lines(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("when,channel,direction,service_area,officer,duration_minutes,summary,"
                     "categories\n"
                     "01/01/0001 09:30,email,inbound,Housing Services,Sam,5,rang,\n"
                     f"{_in(ARABIC_INDIC, '28/11/2026')} 09:30,email,inbound,Housing Services,"
                     "Sam,5,rang,\n",
                     encoding="utf-8")
    with pytest.raises(LogSheetProblem) as problem:
        read_log_sheet(sheet)
    said = str(problem.value)
    assert "line 2, when: '01/01/0001 09:30'" not in said  # quoted once, as typed
    assert 'line 2, when: "01/01/0001 09:30" is before 01/01/1990' in said
    assert f'line 3, when: "{_in(ARABIC_INDIC, "28/11/2026")} 09:30" has digits other than ' \
        "0-9" in said


def test_the_contact_service_refuses_a_day_before_the_earliest(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    entry = ContactInput(at=datetime(1, 1, 1, 9, 30), channel=Channel.EMAIL,
                         direction=Direction.INBOUND, service_area="Housing Services",
                         officer_name="Sam Patel", summary="rang")
    with pytest.raises(ValidationError, match='"01/01/0001 09:30" is before 01/01/1990'):
        contacts.log_contact(actors[Role.OFFICER], ref, entry)


def test_a_value_typed_keeps_its_letters_when_a_message_starts_with_it() -> None:
    # Found when tried: "v/tmp/x" was said back as "V/tmp/x is not a date and time".
    from crm_tui.ui.forms import as_typed

    with pytest.raises(ValueError) as problem:
        parse_time("v/tmp/x")
    assert as_typed(str(problem.value)).startswith('"v/tmp/x" is not a date and time')
    with pytest.raises(ValueError) as problem:
        parse_date("31/02/2026")
    assert as_typed(str(problem.value)).startswith('"31/02/2026" is not a date')
