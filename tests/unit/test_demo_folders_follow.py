"""Commands given a demo database with --db use its own letters folder (`STEM-letters`
beside it), as the app does (round 10, found when tried: `retention run --db demo.sqlite3`
left the destroyed file's letter behind, and `backup` left out the demo's letters)."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.services.core.database_facts import EVIDENCE_KEY, SIGNING_KEY


def test_a_command_given_the_demo_uses_its_letters_folder(demo_db: Path,
                                                          tmp_path: Path) -> None:
    folder = tmp_path / "elsewhere"
    shutil.copytree(demo_db.parent, folder)
    database = folder / "demo.sqlite3"
    with contextlib.closing(sqlite3.connect(database)) as db, db:
        for key, name in ((EVIDENCE_KEY, "demo-evidence"), (SIGNING_KEY, "demo-signing")):
            db.execute("UPDATE setting SET value = ? WHERE key = ?", (str(folder / name), key))
    letters = sorted(p.name for p in (folder / "demo-letters").iterdir())
    assert letters
    config = tmp_path / "config.toml"
    config.write_text("")  # no letters_folder configured
    result = CliRunner().invoke(main, ["--config", str(config), "backup",
                                       str(tmp_path / "backup"), "--db", str(database)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "backup" / "letters").iterdir()) == letters
