"""Start-up loads only what the painted inbox needs (issue 17: start within 1.5 times a bare
Textual app). `crm-tui` run as a program (tests/started.py, headless) to its painted inbox:
the libraries and the app's own modules that only other screens and commands use are not
loaded yet. Before this, `import crm_tui.cli` loaded every command's module, and the painted
inbox keyring, cryptography, the letters and the review session's services: 683 modules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.demo_copies import copy_demo

# Loaded when first used, never on the way to the painted inbox.
NOT_AT_START = (
    "keyring",            # a passphrase or key looked for
    "sqlcipher3",         # an encrypted database file opened (a plain one never needs it)
    "cryptography",       # a key file opened, a sealed file read
    "reportlab", "pyhanko", "icalendar", "holidays",   # letters, calendar
    "crm_tui.letters",    # the letters: rendered, checked, signed
    "crm_tui.services.letters",
    "crm_tui.services.reviews",
    "crm_tui.services.retention.backup",
    "crm_tui.services.intake.casework",  # a triage step taken
    "crm_tui.ui.screens.case_file",
    "crm_tui.demo",
    "crm_tui.cli_letters", "crm_tui.cli_appeals", "crm_tui.cli_audit", "crm_tui.cli_privacy",
    "crm_tui.cli_retention", "crm_tui.cli_encryption", "crm_tui.cli_migrate",
    # The commands once defined in cli.py itself (demo, users, evidence, cases, ...): their
    # options were made as `crm-tui` opened the app (perf12: some 13 ms of processor time).
    "crm_tui.cli_commands",
    # PostgreSQL's driver, which peewee imports itself: handed to it for a server database
    # (crm_tui/db/drivers.py).
    "psycopg2",
    # The migrations' runner and peewee's schema tools (with argparse): only with a migration
    # to apply (db/connection.upgrade); the URL parser, with every driver peewee knows: only
    # for a server database.
    "playhouse.migrations", "playhouse.migrate", "playhouse.db_url", "argparse",
    "textual.widgets._text_area", "textual.document",  # no text area on the inbox
    # Python's TOML parser: only with a configuration file to read (none here, nor usually;
    # some 7 ms of processor time at start: perf14).
    "tomllib",
    # Textual's radio button and ticked list: made with the forms that show them, not with
    # the inbox's tick box (widgets/tick_marks.py; some 2 ms of processor time: perf14).
    "textual.widgets._radio_button", "textual.widgets._selection_list",
    # The command palette's provider and the dialogs it opens: when the palette first opens
    # (CrmApp.COMMANDS names a function that imports it).
    "crm_tui.ui.commands", "crm_tui.ui.dialogs.detail",
    # The confirming of a step (who acts, the passphrase's dialog): with a triage prompt.
    "crm_tui.ui.confirm", "crm_tui.ui.dialogs.passphrase",
)
# `import crm_tui.cli` alone: no screen, no Textual (scripts start fast).
NOT_BY_THE_CLI = ("textual", "crm_tui.ui")


def _loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return sorted({name for name in names for module in modules
                   if module == name or module.startswith(name + ".")})


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory, demo_db: Path) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("started")
    database = copy_demo(demo_db, folder / "demo.sqlite3")
    env = {**os.environ, "CRM_TUI_NOW": "2026-11-28", "CRM_TUI_DATA_DIR": str(folder / "data"),
           "CRM_TUI_CONFIG_DIR": str(folder / "config"),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    done = subprocess.run([sys.executable, "-m", "tests.started", str(database)], env=env,
                          cwd=Path(__file__).resolve().parents[2], capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_the_painted_inbox_loads_no_other_areas_modules(started: dict[str, Any]) -> None:
    assert _loaded(started["painted"], NOT_AT_START) == []


def test_the_painted_inbox_compiles_none_of_the_letters_wording_rules(
        started: dict[str, Any]) -> None:
    """The thirteen patterns a letter's words are read with (domain/wording.py) are compiled
    when a form or a letter first reads words: compiled as the module was imported, they cost
    some 8 ms of processor time on the way to the painted inbox (perf14)."""
    assert "crm_tui.domain.wording" in started["painted"]
    assert started["rules compiled"] == []


def test_the_painted_inbox_makes_only_the_results_it_uses(started: dict[str, Any]) -> None:
    """Of the services' results (services/core/results.py), the start uses only the person
    acting: a case summarised, the home screen's counts and a role history are made when first
    asked for (summaries.py). Made at import, the three dataclasses cost some 2.5 ms of
    processor time on the way to the painted inbox (perf14)."""
    assert started["results made"] == ["UserInfo"]
    assert "crm_tui.services.core.summaries" not in started["painted"]


def test_importing_the_command_line_loads_no_screen_and_no_command_module(
        started: dict[str, Any]) -> None:
    assert _loaded(started["cli"], NOT_BY_THE_CLI + NOT_AT_START) == []


def test_the_start_opens_the_database_and_sweeps_once(started: dict[str, Any]) -> None:
    """The CLI opened the database and did the start's housekeeping, then create_app did it
    all again: the schema read twice, leftovers swept twice (29 statements, not 50)."""
    before = started["queries"]["before the app"]
    # The migrations applied, read once (nothing is created when none is pending: pg6).
    schema_read = '"name" FROM "schema_migration"'
    swept = 'SELECT DISTINCT "t1"."sha256" FROM "evidence_item"'
    assert sum(schema_read in sql for sql in before) == 1, before
    assert sum(swept in sql for sql in before) == 1, before


def test_the_people_are_read_after_the_painted_inbox(started: dict[str, Any]) -> None:
    """The app read every person (for the demo's switcher and the palette), with their
    records held to the trail, on a thread beside the inbox's own read before its first
    paint: 27 statements from the app's start to the painted inbox, now under 10."""
    assert started.get("users_read_at_rows", 0) > 0  # the inbox's first page was shown
    to_paint = started["queries"]["app to painted inbox"]
    everyone = 'FROM "user" AS "t1" ORDER BY "t1"."role", "t1"."name"'
    assert not any(everyone in sql for sql in to_paint), to_paint
    assert len(to_paint) < 10, to_paint


def test_importing_the_command_line_defines_none_of_its_commands() -> None:
    """`crm-tui` opening the app makes no command's options: every command of the command
    line is loaded when it is run or listed (PlainGroup.lazy). Before, the 12 commands and
    groups written in cli.py itself (demo, users, evidence, cases, ...) were made as it was
    imported, some 13 ms of processor time on the way to the painted inbox."""
    done = subprocess.run(
        [sys.executable, "-c", "import json, crm_tui.cli as cli; "
         "print(json.dumps([sorted(cli.main._own), sorted(cli.main._lazy)]))"],
        cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=120,
        check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    made, lazy = json.loads(done.stdout.strip().splitlines()[-1])
    assert made == []
    assert {"demo", "users", "evidence", "cases", "letters", "check-contact"} <= set(lazy)
