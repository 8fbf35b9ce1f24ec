"""No file of the project holds a merge's conflict markers: the README was once committed with
both halves of a conflicted paragraph and the markers between them (found by a re-tester), and
nothing else would have said so (a marker in Python fails to import, but not in Markdown, TOML
or CSS)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(r"^(<{7} |>{7} |={7}$)", re.MULTILINE)


def _tracked() -> list[Path]:
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                                check=True).stdout.decode().split("\0")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the files are not listed")
    return [ROOT / name for name in listed
            if name and not name.endswith((".svg", ".pdf", ".png", ".sqlite3"))]


def test_no_file_holds_conflict_markers() -> None:
    found = []
    for path in _tracked():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for match in MARKER.finditer(text):
            found.append(f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}")
    assert not found, "conflict markers left by a merge: " + ", ".join(found)


# What a merge tool leaves beside a file it merged: git mergetool's X.orig and
# X_BACKUP_1234.py (and _BASE_, _LOCAL_, _REMOTE_), patch's X.rej.
ENDINGS = (".orig", ".rej")
PARTS = ("_BACKUP_", "_BASE_", "_LOCAL_", "_REMOTE_")


def test_no_merge_tool_copy_is_committed() -> None:
    """crm_tui/cli_commands.py.orig (a thousand lines of a file before a merge) was committed
    beside the merged file, and read as part of the package by anyone looking for the CLI."""
    found = [str(path.relative_to(ROOT)) for path in _tracked()
             if path.name.endswith(ENDINGS) or any(part in path.name for part in PARTS)]
    assert not found, "merge tool copies committed: " + ", ".join(found)
