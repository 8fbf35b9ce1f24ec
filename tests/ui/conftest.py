"""For the Pilot tests: a private copy of the demo (these tests write)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.demo_copies import copy_demo


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, path)
    return path


@pytest.fixture(autouse=True)
def no_housekeeping_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's check at start (two seconds in: end restrictions due, archive the files that
    owe nothing) would change the demo under a test that runs longer than that (the inbox's
    counts, say); the services it calls are tested on their own."""
    from crm_tui.ui.app import CrmApp

    monkeypatch.setattr(CrmApp, "expire_ended", lambda self: None)
