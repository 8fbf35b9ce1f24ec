"""A command prints its own words only: pyHanko's import of cryptography's DSA class made every
start print a CryptographyDeprecationWarning of four lines before them (b15b 16)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.demo_copies import copy_demo

CRM_TUI = str(Path(sys.executable).with_name("crm-tui"))


def test_loading_the_signing_code_prints_no_warning() -> None:
    # -W default: every warning shown, as a terminal shows a UserWarning.
    done = subprocess.run([sys.executable, "-W", "default", "-c",
                           "import crm_tui.letters.signing"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr, done.stderr


def test_a_commands_stderr_holds_only_its_own_words(tmp_path: Path, demo_db: Path) -> None:
    help_run = subprocess.run([CRM_TUI, "--help"], capture_output=True, text=True,
                              timeout=120, check=False)
    assert help_run.returncode == 0 and help_run.stderr == "", help_run.stderr
    # Checking a letter's signature loads pyHanko, as signing does: on a copy of the run's
    # demo (a build of its own, to sign, took 20 s and more of the suite).
    path = copy_demo(demo_db, tmp_path / "demo.sqlite3")
    [letter] = (demo_db.parent / "demo-letters").glob("UPV-2025-0001-decision-*.pdf")
    checked = subprocess.run([CRM_TUI, "letters", "verify", str(letter), "--db", str(path)],
                             capture_output=True, text=True, timeout=600, check=False)
    assert checked.returncode == 0, checked.stderr
    assert "GENUINE: letter" in checked.stdout + checked.stderr
    assert "Warning" not in checked.stderr, checked.stderr
