"""Commands given a demo database with --db use its own letters folder (`STEM-letters`
beside it), as the app does (round 10, found when tried: `retention run --db demo.sqlite3`
left the destroyed file's letter behind, and `backup` left out the demo's letters)."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.services.core.database_facts import EVIDENCE_KEY, SIGNING_KEY


@pytest.fixture
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo folder as built, with its documents. Not this worker's demo folder: the tests
    that copy only its database share its evidence folder, and one that destroys a file there
    takes the file's documents from it (found in a clean run: "document
    file-note-2019-09-29.txt is missing from the evidence store")."""
    from tests.conftest import _built_once

    return _built_once(tmp_path_factory)


def test_a_command_given_the_demo_uses_its_letters_folder(built: Path,
                                                          tmp_path: Path) -> None:
    folder = tmp_path / "elsewhere"
    shutil.copytree(built, folder)
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


def test_a_copied_and_a_moved_demo_each_use_their_own_folders(built: Path,
                                                              tmp_path: Path) -> None:
    """Found: after `cp -a p c`, `retention run` on c's demo deleted documents from p's
    evidence folder (kept in the demo as an absolute path); a moved demo lost all its
    documents. A demo's folders are beside it, by name, wherever it goes."""
    from crm_tui.db import copies
    from crm_tui.db.connection import open_database
    from crm_tui.db.models import EvidenceItem
    from crm_tui.services.core.evidence_store import evidence_store
    from crm_tui.services.letters.signing_keys import key_folder

    original = tmp_path / "p"
    shutil.copytree(built, original)
    # As the demo is built now (by name), and as demos were built before (absolute paths).
    for value in ("demo-evidence", str(original / "demo-evidence")):
        with contextlib.closing(sqlite3.connect(original / "demo.sqlite3")) as db, db:
            db.execute("UPDATE setting SET value = ? WHERE key = ?", (value, EVIDENCE_KEY))
        copied = tmp_path / "c"
        shutil.copytree(original, copied)
        moved = tmp_path / "m"
        shutil.copytree(original, tmp_path / "d1")
        (tmp_path / "d1").rename(moved)
        for folder in (copied, moved):
            database = folder / "demo.sqlite3"
            assert copies.evidence_folder(database, EVIDENCE_KEY, tmp_path) == \
                folder / "demo-evidence"
            opened = open_database(database)
            try:
                store = evidence_store()
                assert store.root == folder / "demo-evidence"
                assert key_folder() == folder / "demo-signing"
                sha = EvidenceItem.select().where(EvidenceItem.sha256 != "").first()
                assert store.verify(sha.sha256) == "ok"
            finally:
                opened.close()
            shutil.rmtree(folder)
