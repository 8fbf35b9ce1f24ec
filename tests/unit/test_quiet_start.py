"""A command prints its own words only: pyHanko's import of cryptography's DSA class made every
start print a CryptographyDeprecationWarning of four lines before them (b15b 16)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CRM_TUI = str(Path(sys.executable).with_name("crm-tui"))


def test_loading_the_signing_code_prints_no_warning() -> None:
    # -W default: every warning shown, as a terminal shows a UserWarning.
    done = subprocess.run([sys.executable, "-W", "default", "-c",
                           "import crm_tui.letters.signing"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr, done.stderr


def test_a_commands_stderr_holds_only_its_own_words(tmp_path: Path) -> None:
    help_run = subprocess.run([CRM_TUI, "--help"], capture_output=True, text=True,
                              timeout=120, check=False)
    assert help_run.returncode == 0 and help_run.stderr == "", help_run.stderr
    # Building the demo signs its letters: pyHanko is loaded.
    built = subprocess.run([CRM_TUI, "demo", "--fresh", "--no-launch", "--db",
                            str(tmp_path / "demo.sqlite3")],
                           capture_output=True, text=True, timeout=600, check=False)
    assert built.returncode == 0, built.stderr
    assert "Demo database:" in built.stdout + built.stderr
    assert "Warning" not in built.stderr, built.stderr
