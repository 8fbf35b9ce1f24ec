"""The command line speaks the user's words: every date option takes dd/mm/yyyy (and ISO),
read by the forms' parser; a bad date, a missing option and a refusal are said plainly,
naming the option; usage errors still exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from crm_tui.cli import main
from crm_tui.db.connection import open_database
from crm_tui.db.models import Appeal
from tests.demo_copies import copy_demo

UNDER_REVIEW = "UPV-2025-0003"  # restricted, an extension proposed: an appeal can be recorded


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, path)
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
    assert "--received: \"31/02/2026\" is not a date: type it as dd/mm/yyyy" in result.output
    assert "Invalid value" not in result.output
    assert _appeals(db) == before


def test_every_problem_of_a_command_is_told_at_once(db: Path) -> None:
    result = run(db, "appeals", "lodge", UNDER_REVIEW, "--received", "31/02/2026")
    assert result.exit_code == 2
    assert "2 problems:" in result.output, result.output
    assert "--received: \"31/02/2026\" is not a date" in result.output
    assert "Give --grounds" in result.output
    result = run(db, "check-contact", "--customer", "C000023", "--at", "01/12/2026")
    assert result.exit_code == 2
    assert "--at: \"01/12/2026\" is not a date and time" in result.output, result.output
    assert "Give --channel" in result.output


def test_a_missing_option_is_asked_for_in_plain_words(db: Path) -> None:
    result = run(db, "appeals", "lodge", UNDER_REVIEW, "--grounds", "Never got the letter")
    assert result.exit_code == 2
    assert "Give --received" in result.output and "Missing option" not in result.output


def test_dates_are_typed_as_on_screen_and_refusals_name_the_option(db: Path) -> None:
    result = run(db, "appeals", "lodge", UNDER_REVIEW, "--received", "30/11/2026",
                 "--grounds", "Never got the letter")
    assert result.exit_code == 2  # an input problem, as a date that is no date
    assert "--received: \"30/11/2026\" is in the future: give a day up to today" in result.output
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
    assert "--posted-on: \"2026-13-01\" is not a date: type it as dd/mm/yyyy" in result.output
    result = run(db, "evidence", "bundle", UNDER_REVIEW, "--from", "01/06/2026", "--to",
                 "32/06/2026", user="ceri.hughes")
    assert result.exit_code == 2 and "--to: \"32/06/2026\" is not a date" in result.output


def test_check_contact_reads_a_time_as_typed_on_screen(db: Path) -> None:
    result = run(db, "check-contact", "--customer", "C000001", "--channel", "telephone",
                 "--at", "31/11/2026 14:30", user="ceri.hughes")
    assert result.exit_code == 2
    assert "--at: \"31/11/2026 14:30\" is not a date and time" in result.output


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
    assert result.exit_code == 2  # left blank: what was typed (round 8)
    assert "Give --officer: it cannot be left blank" in result.output
    assert "officer: is required" not in result.output
    result = CliRunner().invoke(record, ["--officer", "Ann"])
    assert "--received: \"30/11/2026\" is in the future" in result.output


def test_a_refused_date_is_quoted_as_it_was_typed(db: Path) -> None:
    result = run(db, "appeals", "lodge", UNDER_REVIEW, "--received", "3/12/2026",
                 "--grounds", "Never got the letter")
    assert result.exit_code == 2
    assert "--received: \"3/12/2026\" is in the future" in result.output
    assert "03/12/2026" not in result.output and "2026-12-03" not in result.output


def test_a_reversed_bundle_period_names_both_days(db: Path) -> None:
    result = run(db, "evidence", "bundle", UNDER_REVIEW, "--from", "1/11/2026", "--to",
                 "1/9/2026", user="ceri.hughes")
    assert result.exit_code == 2
    assert ("--to: the period would end on 1/9/2026, before it starts on 1/11/2026: give "
            "the earlier day first") in result.output


def test_the_time_hint_is_given_once(db: Path) -> None:
    shown = CliRunner().invoke(main, ["check-contact", "--help"]).output
    assert "--at DD/MM/YYYY HH:MM" in shown and "14:30" not in shown
    result = run(db, "check-contact", "--customer", "C000001", "--channel", "telephone",
                 user="ceri.hughes")
    assert result.exit_code == 2
    assert "Give --at (dd/mm/yyyy hh:mm): when the contact would come" in result.output
    result = run(db, "check-contact", "--customer", "C000002", "--channel", "telephone",
                 "--at", "3/12/2026 25:00", user="ceri.hughes")
    assert result.exit_code == 2
    error = result.output.splitlines()[-1]
    assert error == ("Error: --at: \"3/12/2026 25:00\" is not a date and time: type it like "
                     "28/11/2026 09:30")
    shown = CliRunner().invoke(main, ["evidence", "bundle", "--help"]).output
    assert "e.g." not in shown


def test_a_missing_outcome_lists_the_outcomes_in_the_users_words(db: Path) -> None:
    result = run(db, "appeals", "decide", UNDER_REVIEW, "--reason", "Reviewed",
                 "--customer-reason", "We looked again.", user="gareth.bell")
    assert result.exit_code == 2
    assert ("Give --outcome: what the appeal decided: confirmed (appeal not upheld: decision "
            "confirmed), amended (appeal upheld in part: restrictions amended) or removed "
            "(appeal upheld: restrictions removed)") in result.output
    result = run(db, "appeals", "decide", UNDER_REVIEW, "--outcome", "amended", "--reason",
                 "Reviewed", "--customer-reason", "We looked again.", user="gareth.bell")
    assert result.exit_code == 2 and "amended is decided in the app" in result.output


def test_a_nomination_says_what_it_is_missing(db: Path) -> None:
    result = run(db, "appeals", "nominate", "priya.raman", "--reason", "Away",
                 user="gareth.bell")
    assert result.exit_code == 2
    assert ("Give --case REF (the appeal on one case) or --from and --to (a period of a year "
            "at most): what the nomination covers") in result.output
    result = run(db, "appeals", "nominate", "priya.raman", "--reason", "Away", "--from",
                 "1/12/2026", user="gareth.bell")
    assert result.exit_code == 2 and "Give --to too" in result.output
    result = run(db, "appeals", "nominate", "--reason", "Away", user="gareth.bell")
    assert result.exit_code == 2
    assert "Give LOGIN: the person's login, like tomasz.nowak" in result.output


def test_every_required_option_says_what_to_give(db: Path) -> None:
    import click

    def options(command: click.Command, path: str) -> list[str]:
        if isinstance(command, click.Group):
            return [o for name, sub in command.commands.items()
                    for o in options(sub, f"{path} {name}")]
        return [f"{path} {p.opts[0]}" for p in command.params
                if isinstance(p, click.Option) and p.required and not p.help]

    assert options(main, "crm-tui") == []
    result = run(db, "appeals", "show", user="ceri.hughes")
    assert "Give REFERENCE: the case reference, like UPV-2026-0005" in result.output
    result = run(db, "letters", "export", "--out", str(db.parent), user="ceri.hughes")
    assert result.exit_code == 2
    assert "Give --letter N (a letter issued: its register number) or --case REF" in \
        result.output


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


def test_a_missing_date_option_says_how_to_type_it_once(db: Path) -> None:
    result = run(db, "appeals", "lodge", UNDER_REVIEW, "--grounds", "x")
    assert result.exit_code == 2
    assert "Give --received (dd/mm/yyyy): when the appeal reached the council" in result.output
    assert result.output.count("dd/mm/yyyy") == 1


def test_a_log_sheet_time_says_its_example_once(db: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text("when,channel,direction,service_area,officer,duration_minutes,summary,"
                     "categories\n"
                     "31/13/2026 25:00,email,inbound,Housing Services,A,5,ok,\n")
    result = run(db, "import", "log-sheet", UNDER_REVIEW, str(sheet), user="ceri.hughes")
    assert result.exit_code != 0
    assert "is not a date and time: type it like 28/11/2026 09:30" in result.output
    assert result.output.count("28/11/2026 09:30") == 1


def test_cases_take_a_state_as_the_screens_name_it(db: Path) -> None:
    by_label = run(db, "cases", "--state", "under CONSIDERATION", user="ceri.hughes")
    by_code = run(db, "cases", "--state", "under_consideration", user="ceri.hughes")
    assert by_label.exit_code == by_code.exit_code == 0, by_label.output
    assert by_label.output == by_code.output and "Under consideration" in by_label.output
    refused = run(db, "cases", "--state", "pending", user="ceri.hughes")
    assert refused.exit_code == 2
    assert "Under consideration; Awaiting Head of Service consultation" in refused.output
    assert "under_consideration" not in refused.output
    # Round 11: the inbox's own tab names were refused. "Decided" is two states.
    assert run(db, "cases", "--state", "considering", user="ceri.hughes").output \
        == by_label.output
    for tab in ("Decided", "Review", "Appeal", "Awaiting HoS"):
        result = run(db, "cases", "--state", tab, user="ceri.hughes")
        assert result.exit_code == 0, (tab, result.output)
    decided = run(db, "cases", "--state", "decided", user="ceri.hughes").output
    assert "Closed, no action" in decided and "Restrictions ended" in decided, decided


def test_check_contact_names_the_channels_as_the_screens_do(db: Path) -> None:
    result = run(db, "check-contact", "--customer", "C000001", "--channel", "pigeon",
                 "--at", "27/11/2026 14:30", user="ceri.hughes")
    assert result.exit_code == 2  # 1 would say a breach
    assert "Web form; Face to face" in result.output
    assert "web_form" not in result.output and "face_to_face" not in result.output
    allowed = run(db, "check-contact", "--customer", "C000001", "--channel", "Web form",
                  "--at", "27/11/2026 14:30", user="ceri.hughes")
    assert "is not a channel" not in allowed.output


def test_every_command_tells_all_its_problems_at_once() -> None:
    """A command made without AllAtOnce would stop at its first problem again."""
    import click

    from crm_tui.cli_words import AllAtOnce

    def commands(group: click.Group) -> list[click.Command]:
        found: list[click.Command] = [group]
        for command in group.commands.values():
            found += commands(command) if isinstance(command, click.Group) else [command]
        return found

    plain = [c.name for c in commands(main) if not isinstance(c, AllAtOnce)]
    assert not plain, plain


def test_a_rule_on_one_option_is_told_beside_a_missing_one(db: Path) -> None:
    """Round 7: a day in the future was told only once --grounds was given."""
    before = _appeals(db)
    result = run(db, "appeals", "lodge", UNDER_REVIEW, "--received", "3/12/2026")
    assert result.exit_code == 2
    assert "2 problems:" in result.output, result.output
    assert "--received: \"3/12/2026\" is in the future" in result.output
    assert "Give --grounds" in result.output
    assert _appeals(db) == before


def test_a_bad_channel_is_told_beside_a_bad_time(db: Path) -> None:
    result = run(db, "check-contact", "--customer", "C000002", "--channel", "pigeon",
                 "--at", "27/11/2026", user="ceri.hughes")
    assert result.exit_code == 2
    assert "2 problems:" in result.output, result.output
    assert '--channel: "pigeon" is not a channel' in result.output
    assert "--at: \"27/11/2026\" is not a date and time" in result.output


def test_a_backwards_period_is_told_beside_a_missing_reason(db: Path) -> None:
    result = run(db, "appeals", "nominate", "ceri.hughes", "--from", "20/12/2026", "--to",
                 "10/12/2026", user="gareth.bell")
    assert result.exit_code == 2
    assert "2 problems:" in result.output, result.output
    assert ("--to: the period would end on 10/12/2026, before it starts on 20/12/2026: give "
            "the earlier day first") in result.output
    assert "Give --reason" in result.output
    alone = run(db, "appeals", "nominate", "ceri.hughes", "--from", "20/12/2026", "--to",
                "10/12/2026", "--reason", "Cover", user="gareth.bell")
    assert alone.exit_code == 2
    assert "--to: the period would end on 10/12/2026" in alone.output, alone.output


def test_check_contact_exits_1_only_for_a_breach(db: Path) -> None:
    unknown = run(db, "check-contact", "--customer", "C999999", "--channel", "Email",
                  "--at", "27/11/2026 14:30", user="ceri.hughes")
    assert unknown.exit_code == 2, unknown.output
    nobody = CliRunner().invoke(main, ["check-contact", "--customer", "C000001", "--channel",
                                       "Email", "--at", "27/11/2026 14:30", "--db", str(db),
                                       "--user", "no.such.person"])
    assert nobody.exit_code == 2, nobody.output


def test_a_nominee_who_is_no_user_is_said_as_the_login_typed(db: Path) -> None:
    result = run(db, "appeals", "nominate", "lee.okoro", "--case", "UPV-2026-0004",
                 "--reason", "Cover", user="gareth.bell")
    assert result.exit_code == 2, result.output  # what was typed (round 8, finding 7)
    assert 'LOGIN: "lee.okoro" is not a user of this database' in result.output
    assert "nominee:" not in result.output


def test_a_choice_is_taken_as_the_screens_name_it(db: Path) -> None:
    """Round 8: `--outcome upheld` and `--outcome 'Nothing new'` were refused, with the codes
    alone listed."""
    import click

    def typed(path: tuple[str, ...], option: str, text: str) -> object:
        command: click.Command = main
        for name in path:
            assert isinstance(command, click.Group)
            command = command.commands[name]
        [param] = [p for p in command.params if option in getattr(p, "opts", ())]
        return param.type.convert(text, param, None)

    assert typed(("appeals", "decide"), "--outcome", "upheld") == "removed"
    assert typed(("appeals", "decide"), "--outcome", "Appeal not upheld") == "confirmed"
    assert typed(("appeals", "decide"), "--outcome", "amended") == "amended"
    assert typed(("screening", "record"), "--outcome", "Nothing new") == "filed"
    assert typed(("screening", "record"), "--outcome", "new-matter") == "new_matter"
    assert typed(("letters", "export"), "--kind", "Decision to restrict") == "decision"
    result = run(db, "appeals", "decide", "UPV-2026-0004", "--outcome", "maybe", "--reason",
                 "r", "--customer-reason", "c", user="gareth.bell")
    assert result.exit_code == 2
    assert "Appeal upheld: restrictions removed" in " ".join(result.output.split())


def test_a_file_or_folder_in_a_folder_that_does_not_exist_is_refused(db: Path,
                                                                     tmp_path: Path) -> None:
    """Round 8: `calendar export --ics /nonexistent/dir/x.ics` made the folders and wrote."""
    missing = tmp_path / "no-such" / "dir"
    result = run(db, "calendar", "export", "--ics", str(missing / "x.ics"), user="ceri.hughes")
    assert result.exit_code == 2, result.output
    assert f"--ics: no folder {missing}" in result.output
    result = run(db, "register", "--pdf", "--out", str(missing), user="ceri.hughes")
    assert result.exit_code == 2, result.output
    assert f"--out: no folder {missing.parent}" in result.output
    assert not (tmp_path / "no-such").exists()


def test_an_unknown_case_is_typed_wrong_on_every_command(db: Path, tmp_path: Path) -> None:
    """Round 11: an unknown case reference exited 1 (a refusal) where an unknown customer
    exited 2; and `appeals nominate` told only the unknown case, not the login nor the
    reason with it."""
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("when,channel,direction,service_area,officer,duration_minutes,summary,"
                     "categories\n27/11/2026 14:30,email,inbound,Housing Services,Ann Lee,5,"
                     "Rang,\n", encoding="utf-8")
    for args in (("import", "log-sheet", "UPV-2026-9999", str(sheet)),
                 ("appeals", "lodge", "UPV-2026-9999", "--received", "20/11/2026",
                  "--grounds", "Never got the letter"),
                 ("customer", "show", "UPV-2026-9999")):
        result = run(db, *args, user="ceri.hughes")
        assert result.exit_code == 2, (args, result.output)
        assert 'REFERENCE: no case "UPV-2026-9999"' in result.output, result.output
    result = run(db, "appeals", "nominate", "nobody.here", "--case", "UPV-2026-9999",
                 "--reason", "-", user="gareth.bell")
    assert result.exit_code == 2, result.output
    assert "3 problems:" in result.output, result.output
    assert '"nobody.here" is not a user of this database' in result.output
    assert '--case: no case "UPV-2026-9999"' in result.output
    assert "--reason" in result.output


def test_an_amendment_is_sent_to_the_app_where_its_decider_reads_what_is_set_out(
        db: Path) -> None:
    """v15k (U1, noticed by its fixer): `--outcome amended` always ended in "an amendment
    confirms the restrictions its decider read: preview them first", which the command cannot
    do; and its dates looked as if they were enough. It is refused at once, with where it is
    decided, and nothing changes."""
    from crm_tui.db.models import Case
    from crm_tui.services.core.users import resolve_actor
    from crm_tui.services.restrictions import builder

    ref = "UPV-2026-0004"  # under appeal, restrictions in force
    open_database(db)
    builder.redraft_in_force(resolve_actor("ceri.hughes"), ref)
    before = Case.get(Case.reference == ref).state
    result = run(db, "appeals", "decide", ref, "--outcome", "upheld in part", "--reason",
                 "Start later", "--customer-reason",
                 "You have shown us that a later start is fair.", user="gareth.bell")
    assert result.exit_code == 2, result.output
    assert ("--outcome: amended is decided in the app, where you read the restrictions set out "
            "in the builder before deciding: open the case, press A") in result.output
    assert Case.get(Case.reference == ref).state == before
    shown = " ".join(CliRunner().invoke(main, ["appeals", "decide", "--help"]).output.split())
    assert "--starts-on" not in shown and "--ends-on" not in shown
    assert "amended, the restrictions set out in the builder replacing those in force, is " \
           "decided in the app" in shown, shown


def test_a_late_appeal_is_said_late_by_lodge_and_show(db: Path) -> None:
    """v15l F16: `appeals lodge` and `appeals show` never said an appeal received after the
    appeal deadline the customer was given was late; the app does."""
    grounds = "I was never rude to anyone and want this looked at again."
    lodged = run(db, "appeals", "lodge", "UPV-2025-0005", "--received", "27/11/2026",
                 "--grounds", grounds, user="ceri.hughes")
    assert lodged.exit_code == 0, lodged.output
    late = ("Late: received after the appeal deadline the customer was given (30 January "
            "2026). It is recorded as a late appeal, and whoever decides it is told.")
    assert late in lodged.output
    shown = run(db, "appeals", "show", "UPV-2025-0005", user="ceri.hughes")
    assert late in shown.output, shown.output
    in_time = run(db, "appeals", "show", "UPV-2026-0004", user="ceri.hughes")
    assert "appeal received" in in_time.output and "Late:" not in in_time.output
