"""For the Pilot tests: a private copy of the demo (these tests write)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_db, path)
    return path
