"""Round 8: the command line tells every problem at once, as the screens do, and its exit
codes follow one rule: 2 for what was typed (missing, blank, a day or a login that cannot
be), 1 for a request the rules refuse."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from crm_tui.cli import main
from tests.demo_copies import copy_demo


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, path)
    return path


def run(db: Path, *args: str, user: str = "tomasz.nowak") -> Result:
    return CliRunner().invoke(main, [*args, "--db", str(db), "--user", user])


def test_a_nomination_tells_a_past_start_beside_a_missing_or_thin_reason(db: Path) -> None:
    """Without --reason only "Give --reason" was said; with it, the start refused without the
    day typed. Now both at once, the day as typed; an unknown login is what was typed: 2."""
    result = run(db, "appeals", "nominate", "priya.raman", "--from", "1/11/2026", "--to",
                 "18/12/2026", user="gareth.bell")
    assert result.exit_code == 2, result.output
    assert "2 problems:" in result.output
    assert "--from: \"1/11/2026\" is before today (28/11/2026)" in result.output
    assert "Give --reason: it cannot be left blank" in result.output
    thin = run(db, "appeals", "nominate", "nobody.here", "--from", "1/11/2026", "--to",
               "18/12/2026", "--reason", "n/a", user="gareth.bell")
    assert thin.exit_code == 2 and "3 problems:" in thin.output, thin.output
    assert '"nobody.here" is not a user of this database' in thin.output
    assert "--reason: is not a reason" in thin.output


def test_lodging_an_appeal_tells_the_day_beside_missing_or_blank_grounds(db: Path) -> None:
    """Round 8: without --grounds only "Give --grounds"; with --grounds "" only "it cannot be
    left blank", exit 1; the day refused without the day typed, the other long-form. Now
    what the screen says, every problem at once, exit 2."""
    for grounds in ([], ["--grounds", ""]):
        result = run(db, "appeals", "lodge", "UPV-2025-0003", "--received", "1/1/2020",
                     *grounds)
        assert result.exit_code == 2, result.output
        assert "2 problems:" in result.output, result.output
        assert "--received: \"1/1/2020\" is before the decision appealed against (" in \
            result.output
        assert "Give --grounds: it cannot be left blank" in result.output


def test_a_required_option_given_blank_is_told_beside_the_others_and_exits_2(
        db: Path) -> None:
    result = run(db, "appeals", "decide", "UPV-2025-0003", "--outcome", "confirmed",
                 "--reason", " ", "--customer-reason", "", user="gareth.bell")
    assert result.exit_code == 2, result.output
    assert "2 problems:" in result.output, result.output
    assert "Give --reason: it cannot be left blank" in result.output
    assert "Give --customer-reason: it cannot be left blank" in result.output


@pytest.mark.parametrize(("args", "user", "named"), [
    # a day the rules refuse beside a blank the service would have told
    (("appeals", "lodge", "UPV-2025-0004", "--received", "06/12/2026", "--grounds", ""),
     "tomasz.nowak", ("--received: \"06/12/2026\" is in the future", "Give --grounds")),
    # a day that is no date beside the service's rule on the other day
    (("appeals", "nominate", "priya.raman", "--from", "01/11/2026", "--to", "31/02/2027",
      "--reason", "Cover for the Service Director's leave"), "gareth.bell",
     ("--to:", "--from: \"01/11/2026\" is before today (28/11/2026)")),
    # two reasons that stand for nothing: what was typed (2), both said
    (("appeals", "decide", "UPV-2026-0004", "--outcome", "confirmed", "--reason", "n/a",
      "--customer-reason", "-"), "gareth.bell", ("--reason: is not a reason",
                                                  "--customer-reason")),
])
def test_two_wrong_options_are_both_named(db: Path, args: tuple[str, ...], user: str,
                                          named: tuple[str, ...]) -> None:
    """Round 9, item 3: each told beside the other, exit 2 (what was typed is wrong)."""
    result = run(db, *args, user=user)
    assert result.exit_code == 2, result.output
    assert "2 problems:" in result.output, result.output
    for words in named:
        assert words in result.output, (words, result.output)


@pytest.mark.parametrize("grounds", ["n/a", "-", " N/A "])
def test_a_placeholder_is_not_an_appeals_grounds(db: Path, grounds: str) -> None:
    """Round 10: `--grounds n/a` was recorded as the customer's grounds. The appeals service
    refuses it (grounds.grounds_problem), as what was typed: exit 2, naming the option;
    nothing recorded."""
    result = run(db, "appeals", "lodge", "UPV-2025-0003", "--received", "28/11/2026",
                 "--grounds", grounds)
    assert result.exit_code == 2, result.output
    assert "--grounds: is not the customer's grounds" in result.output, result.output
    shown = run(db, "appeals", "show", "UPV-2025-0003")
    assert "An appeal can be recorded now" in shown.output, shown.output


NOT_A_REASON = "--reason: is not a reason"


@pytest.mark.parametrize(("args", "user", "named"), [
    (("appeals", "decide", "UPV-2026-0004", "--outcome", "confirmed", "--reason", "n/a"),
     "gareth.bell", ("Give --customer-reason", NOT_A_REASON)),
    (("appeals", "decide", "UPV-2026-0004", "--outcome", "confirmed", "--reason", "n/a",
      "--customer-reason", " "), "gareth.bell", ("Give --customer-reason", NOT_A_REASON)),
    (("appeals", "lodge", "UPV-2025-0003", "--grounds", "-"), "tomasz.nowak",
     ("Give --received", "--grounds: is not the customer's grounds")),
    (("appeals", "nominate", "priya.raman", "--reason", "n/a"), "gareth.bell",
     ("Give --case REF", NOT_A_REASON)),
    (("appeals", "revoke-nomination", "--reason", "TBC"), "gareth.bell",
     ("Give NOMINATION_ID", NOT_A_REASON)),
    (("sar", "--reason", "n/a"), "tomasz.nowak",
     ("Give CUSTOMER: the customer's reference", "--reason: is neither the request's")),
])
def test_a_missing_option_and_a_reason_that_is_none_are_told_together(
        db: Path, args: tuple[str, ...], user: str, named: tuple[str, ...]) -> None:
    """Round 10: `appeals decide … --reason n/a` without --customer-reason named only the
    missing option; its siblings the same. The service's rule on the reason is told beside
    what stops the command (AllAtOnce service_checks), exit 2."""
    result = run(db, *args, user=user)
    assert result.exit_code == 2, result.output
    assert "2 problems:" in result.output, result.output
    for words in named:
        assert words in result.output, (words, result.output)


def test_cases_says_when_its_filters_find_none(db: Path) -> None:
    """Round 10: `crm-tui cases --letters-owed` printed nothing when none were owed."""
    owed = run(db, "cases", "--letters-owed")
    assert owed.exit_code == 0 and owed.output == "No letters are owed.\n", owed.output
    both = run(db, "cases", "--state", "archived", "--letters-owed")
    assert both.output == "No case has the state Archived and a letter owed.\n", both.output


@pytest.mark.parametrize(("args", "named"), [
    # a date that is none, the other end of the period left out, and the unknown case
    (("evidence", "bundle", "UPV-2026-9999", "--from", "31/02/2026"),
     ("--from: \"31/02/2026\" is not a date", "Give --to too", "no case \"UPV-2026-9999\"")),
    (("letters", "export", "--case", "UPV-2026-9999", "--kind", "foo"),
     ("--kind: \"foo\" is not one of", "Give --out", "--case: no case \"UPV-2026-9999\"")),
    (("screening", "record", "99999", "--outcome", "foo"),
     ("--outcome: \"foo\" is not one of", "ITEM: no item 99999")),
    # a file that is not there, in our words (not click's "File '…' does not exist.")
    (("import", "log-sheet", "UPV-2026-9999", "/nonexistent/none.csv"),
     ("PATH: no file \"/nonexistent/none.csv\"", "no case \"UPV-2026-9999\"")),
    (("import", "referral", "/nonexistent/none.json"),
     ("PATH: no file \"/nonexistent/none.json\"",)),
    # the checks in a command's body that stopped it before the rest were looked at
    (("customer", "contact", "UPV-2026-9999"),
     ("Give what changes", "REFERENCE: no case \"UPV-2026-9999\"")),
    (("letters", "export", "--out", "/tmp", "--case", "UPV-2026-9999", "--letter", "99999"),
     ("not both", "--case: no case \"UPV-2026-9999\"", "--letter: no letter 99999")),
    (("appeals", "decide", "UPV-2026-9999", "--outcome", "amended", "--reason",
      "Looked at it all again", "--customer-reason", "We have looked at your appeal again."),
     ("--outcome: amended is decided in the app", "REFERENCE: no case \"UPV-2026-9999\"")),
])
def test_every_problem_of_a_command_at_once_the_unknown_case_too(
        db: Path, args: tuple[str, ...], named: tuple[str, ...]) -> None:
    """Round 12: each of these told one problem per run, the unknown case last of all."""
    result = run(db, *args)
    assert result.exit_code == 2, result.output
    for words in named:
        assert words in result.output, result.output
    assert "does not exist" not in result.output
    if len(named) > 1:
        assert f"{len(named) if len(named) > 2 else 2} problems:" in result.output


def test_the_outcome_letter_command_told_after_a_decision_works_as_told(
        db: Path, tmp_path: Path) -> None:
    """v15j Q2: it lacked --out (refused) and --user (the default user would have signed)."""
    result = run(db, "appeals", "decide", "UPV-2026-0004", "--outcome", "removed", "--reason",
                 "The conduct was not shown to be unreasonable", "--customer-reason",
                 "We have looked again at your case and lifted the restrictions.",
                 user="gareth.bell")
    assert result.exit_code == 0, result.output
    told = result.output.split("signed by Gareth Bell: ")[1].split(", FOLDER being")[0]
    args = shlex.split(told.replace("FOLDER", str(tmp_path / "out")))
    assert args[:3] == ["crm-tui", "letters", "export"]
    assert args[args.index("--user") + 1] == "gareth.bell"
    (tmp_path / "out").mkdir()
    exported = CliRunner().invoke(main, args[1:])
    assert exported.exit_code == 0, exported.output
    assert list((tmp_path / "out").iterdir())
