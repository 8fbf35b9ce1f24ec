"""Issue 16, breaker 3, finding 3: every number the command line and the imports read goes
through one reader (domain.numbers.read_whole): the digits 0 to 9 only, within range, a
message naming the option or field, exit 2. Before it: 23 digits reached SQLite
(OverflowError tracebacks), "²" passed isdigit() and failed int(), "٣:<hash>" was read as
entry 3 and reported the trail rewritten, and 5,000 digits in a log sheet's minutes met
Python's own limit on converting a string."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from crm_tui.cli import main
from crm_tui.domain.numbers import MOST_ID, read_whole
from crm_tui.services.evidence.log_sheet_csv import CSV_COLUMNS, LogSheetProblem, read_log_sheet

HUGE = "9" * 23
HASH = "a" * 64


@given(st.text(max_size=40) | st.from_regex(r"\A *[0-9]{1,30} *\Z"))
def test_a_number_is_read_from_the_digits_0_to_9_within_range_or_refused_in_words(
        text: str) -> None:
    try:
        number = read_whole(text, most=MOST_ID)
    except ValueError as exc:
        assert str(exc) and "int()" not in str(exc)
        return
    digits = text.strip()
    assert digits.isascii() and digits.isdigit() and 0 <= number <= MOST_ID
    assert number == int(digits)


def test_five_thousand_digits_are_counted_not_converted() -> None:
    with pytest.raises(ValueError, match=r"5,000 characters\) is too large"):
        read_whole("9" * 5000)


@pytest.mark.parametrize(("args", "named"), [
    (["letters", "show", HUGE], 'LETTER_ID: "999'),
    (["letters", "show", "٣"], 'LETTER_ID: "٣" has digits other than 0-9'),
    (["letters", "export", "--letter", HUGE, "--out", "."], '--letter: "999'),
    (["screening", "record", HUGE, "--outcome", "filed"], 'ITEM: "999'),
    (["audit", "verify", "--anchor", f"{HUGE}:{HASH}"], "--anchor: not an anchor"),
    (["audit", "verify", "--anchor", f"²:{HASH}"], "--anchor: not an anchor"),
    (["audit", "verify", "--anchor", f"٣:{HASH}"], "--anchor: not an anchor"),
    (["audit", "verify", "--since-anchor", f"{HUGE}:{HASH}"], "not an anchor"),
    (["letters", "post", "--tracking", "²=AB1", "--dry-run"],
     '--tracking: "²=AB1": give it as LETTER=NUMBER'),
    (["letters", "post", "--letter", "²", "--dry-run"], '--letter: "²"'),
])
def test_a_number_typed_wrong_is_exit_2_naming_the_option(tmp_path: Path, args: list[str],
                                                          named: str) -> None:
    result = CliRunner().invoke(main, [*args, "--db", str(tmp_path / "none.sqlite3")])
    assert result.exit_code == 2, result.output
    assert named in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("line", [f"{HUGE}:{HASH}  4 Dec 2026 06:15",
                                  f"٣:{HASH}  4 Dec 2026 06:15"])
def test_an_anchor_file_with_a_line_that_is_no_anchor_is_exit_2(tmp_path: Path,
                                                                 line: str) -> None:
    kept = tmp_path / "anchors.txt"
    kept.write_text(f"1:{HASH}  3 Dec 2026 06:15\n{line}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", "verify", "--since-anchor", str(kept),
                                       "--db", str(tmp_path / "none.sqlite3")])
    assert result.exit_code == 2, result.output
    assert "line 2" in result.output and "not an anchor" in result.output


def test_a_log_sheets_minutes_of_five_thousand_digits_are_refused_at_the_field(
        tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(",".join(CSV_COLUMNS) + "\n" + "2026-10-03 09:10,email,inbound,Housing "
                     f"Services,A Officer,{'9' * 5000},Asked again,\n", encoding="utf-8")
    with pytest.raises(LogSheetProblem) as problem:
        read_log_sheet(sheet)
    assert problem.value.column == "duration_minutes"
    assert "more than a day" in str(problem.value) and "4300" not in str(problem.value)


def test_a_tracking_number_is_read_with_the_digits_0_to_9_only() -> None:
    from crm_tui.domain.errors import ValidationError
    from crm_tui.domain.posting import tracking_number

    assert tracking_number("ab 123456785 gb") == "AB123456785GB"
    arabic = "AB123456785GB".translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    with pytest.raises(ValidationError, match="is not a recorded-delivery number"):
        tracking_number(arabic)
