"""A private copy of the demo, opened, for the services' tests that read it as it is built
(what each person may see of it); a folder of tests that need it otherwise (letters, with
their own signing keys) declares its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crm_tui.db.connection import open_database
from tests.demo_copies import copy_demo


@pytest.fixture
def demo(demo_db: Path, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, path)
    db = open_database(path)
    yield path
    db.close()
