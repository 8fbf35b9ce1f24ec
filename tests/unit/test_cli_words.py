"""The command line speaks the user's words: every date option takes dd/mm/yyyy (and ISO),
read by the forms' parser; a bad date, a missing option and a refusal are said plainly,
naming the option; usage errors still exit 2."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from crm_tui.cli import main
from crm_tui.db.connection import open_database
from crm_tui.db.models import Appeal

UNDER_REVIEW = "UPV-2025-0003"  # restricted, an extension proposed: an appeal can be recorded


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_db, path)
    return path


def run(db: Path, *args: str, user: str = "tomasz.nowak") -> Result:
    return CliRunner().invoke(main, [*args, "--db", str(db), "--user", user])


def _appeals(db: Path) -> int:
    open_database(db)
    return int(Appeal.select().count())


def test_an_impossible_date_is_named_with_its_option(db: Path) -> None:
    before = _appeals(db)
    result = run(db, "appeals", "lodge", UNDER_REVIEW, "--received", "31/02/2026",
                 "--grounds", "Never got the letter")
    assert result.exit_code == 2
    assert "--received: 31/02/2026 is not a date: type it as dd/mm/yyyy" in result.output
    assert "Invalid value" not in result.output
    assert _appeals(db) == before


def test_a_missing_option_is_asked_for_in_plain_words(db: Path) -> None:
    result = run(db, "appeals", "lodge", UNDER_REVIEW, "--grounds", "Never got the letter")
    assert result.exit_code == 2
    assert "Give --received" in result.output and "Missing option" not in result.output


def test_dates_are_typed_as_on_screen_and_refusals_name_the_option(db: Path) -> None:
    result = run(db, "appeals", "lodge", UNDER_REVIEW, "--received", "30/11/2026",
                 "--grounds", "Never got the letter")
    assert result.exit_code == 1
    assert "--received: 30/11/2026 is in the future" in result.output
    assert "2026-11-30" not in result.output
    result = run(db, "appeals", "lodge", UNDER_REVIEW, "--received", "27/11/2026",
                 "--grounds", "Never got the letter")
    assert result.exit_code == 0, result.output


def test_posted_on_and_the_bundle_period_read_dd_mm_yyyy(db: Path) -> None:
    result = run(db, "letters", "post", "--posted-on", "28/11/2026", "--dry-run",
                 user="ceri.hughes")
    assert result.exit_code == 0, result.output
    result = run(db, "letters", "post", "--posted-on", "2026-13-01", "--dry-run",
                 user="ceri.hughes")
    assert result.exit_code == 2
    assert "--posted-on: 2026-13-01 is not a date: type it as dd/mm/yyyy" in result.output
    result = run(db, "evidence", "bundle", UNDER_REVIEW, "--from", "01/06/2026", "--to",
                 "32/06/2026", user="ceri.hughes")
    assert result.exit_code == 2 and "--to: 32/06/2026 is not a date" in result.output


def test_check_contact_reads_a_time_as_typed_on_screen(db: Path) -> None:
    result = run(db, "check-contact", "--customer", "C000001", "--channel", "telephone",
                 "--at", "31/11/2026 14:30", user="ceri.hughes")
    assert result.exit_code == 2
    assert "--at: 31/11/2026 14:30 is not a date and time" in result.output


def test_a_refusal_names_its_option_in_plain_words() -> None:
    import click

    from crm_tui.cli_words import refused
    from crm_tui.domain.errors import ValidationError

    @click.command()
    @click.option("--officer", default="")
    @click.option("--received", default="")
    def record(officer: str, received: str) -> None:
        if not officer:
            raise refused(ValidationError("officer", "is required"))
        raise refused(ValidationError("received_on", "2026-11-30 is in the future"))

    result = CliRunner().invoke(record, [])
    assert result.exit_code == 1
    assert "Give --officer: it cannot be left blank" in result.output
    assert "officer: is required" not in result.output
    result = CliRunner().invoke(record, ["--officer", "Ann"])
    assert "--received: 30/11/2026 is in the future" in result.output


ISO_DATE = r"\b\d{4}-\d{2}-\d{2}\b"


def test_lists_show_dates_and_labels_as_the_screens_do(db: Path) -> None:
    """`cases`, `letters list` and `screening list` print dates as "2 Dec 2026" and the
    domain's labels, never ISO dates nor codes; `cases --json` stays machine output."""
    import json
    import re

    from crm_tui.domain.letters import LetterKind
    from crm_tui.domain.screening import ScreeningOutcome
    from crm_tui.domain.states import CaseState

    cases = run(db, "cases", user="ceri.hughes")
    assert cases.exit_code == 0, cases.output
    assert not re.search(ISO_DATE, cases.output), cases.output
    assert "Archive file 29 Oct 2026" in cases.output
    codes = [s.value for s in CaseState if "_" in s.value]
    assert not any(code in cases.output for code in codes)
    as_json = json.loads(run(db, "cases", "--json", user="ceri.hughes").output)
    assert any(re.fullmatch(ISO_DATE, row["next_due"] or "") for row in as_json)

    letters = run(db, "letters", "list", user="ceri.hughes")
    assert letters.exit_code == 0, letters.output
    assert LetterKind.DECISION.label in letters.output
    assert not re.search(r"  (decision|invitation|lifted) +\d", letters.output)  # the codes

    screened = run(db, "screening", "list", "--screened", user="ceri.hughes")
    assert screened.exit_code == 0, screened.output
    assert ScreeningOutcome.FILED.label in screened.output
    assert not re.search(r"\sfiled\s", screened.output.replace("filed by", ""))
