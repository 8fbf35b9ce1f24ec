"""A copy of the demo database, with its signing keys, for the letters' tests; and a team
whose keys the tests make themselves (only the administrator has one, made first)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from crm_tui.db.connection import open_database
from crm_tui.domain.roles import Actor, Role
from crm_tui.services.core.database_facts import set_signing_folder


@pytest.fixture
def demo(demo_db: Path, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_db, path)
    shutil.copytree(demo_db.parent / "demo-signing", tmp_path / "demo-signing")
    db = open_database(path)
    set_signing_folder(str(tmp_path / "demo-signing"))
    yield path
    db.close()


@pytest.fixture
def actors(people: dict[Role, Actor]) -> dict[Role, Actor]:
    """Here each test makes the keys it is about; no one else has one yet."""
    return people
