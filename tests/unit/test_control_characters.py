r"""Issue 16: a referral's customer name `Mr \x1b]0;pwned\x07\x1b[2J Evil` was accepted and
`crm-tui cases` sent it raw to the terminal (it set the window title and cleared the
screen); the same for an imported referral and a log sheet's officer names. Typed or imported
text refuses control characters (one rule, domain/characters.py), and the command line
escapes any stored before the rule."""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import ContactLogEntry, Customer
from crm_tui.domain.characters import control_problem, escaped
from crm_tui.domain.errors import DomainError
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.evidence import contacts
from crm_tui.services.intake.referral_import import import_referral
from tests import builders
from tests.unit.services.intake.test_inbox_services import SAMPLE

EVIL = "Mr \x1b]0;pwned\x07\x1b[2J Evil"


def test_the_rule() -> None:
    assert control_problem("Mr O'Brien\n\tline two\r\n") is None
    assert control_problem("a\x00b") == "contains a NUL character"
    assert control_problem(EVIL) == ("contains a control character (U+001B, character 4): "
                                     "only printable text, new lines and tabs are taken")
    for bad in ("\x85", "\u202e", "\u2028", "a\rb", "\x7f"):
        assert control_problem(bad), repr(bad)
    assert escaped(EVIL) == "Mr \\x1b]0;pwned\\x07\\x1b[2J Evil"


def test_an_imported_referral_and_a_log_sheet_refuse_them(actors: dict[Role, Actor],
                                                          tmp_path: Path) -> None:
    path = tmp_path / "referral.json"
    path.write_text(json.dumps({**SAMPLE, "evidence": [],
                                "customer": {**SAMPLE["customer"],  # type: ignore[dict-item]
                                             "name": EVIL}}))
    with pytest.raises(DomainError, match="control character"):
        import_referral(actors[Role.CRM], path)
    assert not Customer.select().where(Customer.name.contains("Evil")).exists()
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("when,channel,direction,service_area,officer,duration_minutes,summary,"
                     "categories\n01/10/2026 09:10,email,inbound,Housing Services,"
                     "\x1b[2JA,5,ok,\n", encoding="utf-8")
    before = ContactLogEntry.select().count()
    with pytest.raises(DomainError, match="control character"):
        contacts.import_log_sheet(actors[Role.OFFICER], ref, sheet)
    assert ContactLogEntry.select().count() == before


def test_cases_escapes_a_name_stored_before_the_rule(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    shutil.copy(demo_db, db)
    with contextlib.closing(sqlite3.connect(db)) as raw, raw:
        raw.execute("UPDATE customer SET name = ? WHERE id = (SELECT min(id) FROM customer)",
                    (EVIL,))
    result = CliRunner().invoke(main, ["cases", "--db", str(db), "--user", "tomasz.nowak"])
    assert result.exit_code == 0, result.output
    # Not a terminal (a pipe, a file): written out whole, as on a terminal. Click had dropped
    # "\x1b[2J" before the escaping, so a report differed from the record with no sign (v16i V1).
    assert "Mr \\x1b]0;pwned\\x07\\x1b[2J Evil" in result.output, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output


def test_invisible_marks_are_refused_and_joiners_only_where_a_script_needs_them(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """Issue 16 (breaker 3, finding 7d): the right-to-left mark, the Arabic letter mark and a
    joiner were taken in names, summaries and a log sheet's officer. Refused everywhere the
    control characters are; the joiners kept between letters of Arabic script or an Indic
    script, which are written with them (a Persian name's non-joiner)."""
    for bad in ("Ann\u200fBrown", "Ann\u061c", "A\u200dB", "Mr\u200b Smith", "x\ufeffy",
                "\u2060", "\U0001f468\u200d\U0001f469", "\u200cA"):
        assert "invisible mark" in (control_problem(bad) or ""), repr(bad)
    for good in ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian, non-joiner
                 "\u0915\u094d\u200d\u0937", "Zoë O'Brien-Łukasz"):
        assert control_problem(good) is None, repr(good)
    assert escaped("a\u200fb") == "a\\u200fb"
    path = tmp_path / "referral.json"
    path.write_text(json.dumps({**SAMPLE, "evidence": [],
                                "customer": {**SAMPLE["customer"],  # type: ignore[dict-item]
                                             "name": "Mr Gribble\u200f"}}))
    with pytest.raises(DomainError, match="invisible mark"):
        import_referral(actors[Role.CRM], path)
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    for officer, summary in (("A\u061cOfficer", "ok"), ("A Officer", "Rang\u200d again")):
        sheet = tmp_path / "sheet.csv"
        sheet.write_text("when,channel,direction,service_area,officer,duration_minutes,summary,"
                         f"categories\n01/10/2026 09:10,email,inbound,Housing Services,"
                         f"{officer},5,{summary},\n", encoding="utf-8")
        before = ContactLogEntry.select().count()
        with pytest.raises(DomainError, match="invisible mark"):
            contacts.import_log_sheet(actors[Role.OFFICER], ref, sheet)
        assert ContactLogEntry.select().count() == before


def test_json_of_cases_reads_back_a_name_with_c1_and_an_override(demo_db: Path,
                                                                  tmp_path: Path) -> None:
    """`cases --json` is for scripts: a name stored with U+0085 and U+202E before the rule is
    written as JSON escapes, and reads back as stored (the output's own escaping wrote
    `\\x85`, which is not JSON)."""
    db = tmp_path / "demo.sqlite3"
    shutil.copy(demo_db, db)
    odd = "Ms Nel\x85 Odd\u202eName"
    with contextlib.closing(sqlite3.connect(db)) as raw, raw:
        raw.execute("UPDATE customer SET name = ? WHERE id = (SELECT min(id) FROM customer)",
                    (odd,))
    result = CliRunner().invoke(main, ["cases", "--json", "--db", str(db),
                                       "--user", "tomasz.nowak"])
    assert result.exit_code == 0, result.output
    assert "\x85" not in result.output and "\u202e" not in result.output
    names = {row["customer_name"] for row in json.loads(result.output)}
    assert odd in names
