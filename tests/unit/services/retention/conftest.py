"""The live copy of the demo that backup and restore tests back up and restore onto."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crm_tui.config import Config
from crm_tui.services.core import settings
from crm_tui.services.core.database_facts import EVIDENCE_KEY


@dataclass
class Live:
    database: Path
    evidence: Path
    letters: Path


@pytest.fixture
def live(demo_db: Path, tmp_path: Path) -> Iterator[Live]:
    """A copy of the demo with its evidence and letters, configured as this run's folders."""
    folder = tmp_path / "live"
    folder.mkdir()
    shutil.copy(demo_db, folder / "crm.sqlite3")
    shutil.copytree(demo_db.parent / "demo-evidence", folder / "evidence")
    shutil.copytree(demo_db.parent / "demo-letters", folder / "letters")
    with contextlib.closing(sqlite3.connect(folder / "crm.sqlite3")) as db, db:
        db.execute("UPDATE setting SET value = ? WHERE key = ?",
                   (str(folder / "evidence"), EVIDENCE_KEY))
    settings.configure(Config(letters_folder=str(folder / "letters"),
                              evidence_folder=str(folder / "evidence")))
    yield Live(folder / "crm.sqlite3", folder / "evidence", folder / "letters")
