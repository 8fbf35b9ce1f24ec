"""Every snapshot is taken at the two sizes the app must work at (issue 15): 100x30, the
narrowest a user is expected to work in, and 200x50, where it must use the width it has."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.demo_copies import copy_demo
from tests.snapshots.helpers import SIZES, Size

# As in the Pilot tests (autouse): a question takes a key pressed once it is on screen; no
# collection once the person pauses (it changes no screen).
from tests.ui.conftest import no_collection_when_idle, questions_answered_at_once  # noqa: F401


@pytest.fixture(params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def size(request: pytest.FixtureRequest) -> Size:
    """The terminal size of the snapshot (columns, lines)."""
    width, height = request.param
    return width, height


@pytest.fixture(autouse=True)
def no_housekeeping_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """A snapshot pictures the demo as built. The app's check at start (two seconds in: end
    restrictions due, archive files that owe nothing) would change the run's shared demo
    database under a slow snapshot, and the snapshots after it; it is tested on its own."""
    from crm_tui.ui.app import CrmApp

    monkeypatch.setattr(CrmApp, "expire_ended", lambda self: None)


@pytest.fixture
def demo_db(demo_db: Path, tmp_path: Path) -> Path:
    """Each snapshot on its own copy of the demo: a test elsewhere in this worker that wrote
    to the worker's shared copy (a letter re-sent) changed the picture taken after it, in
    whichever order the tests ran (the re-send dialog failed so, once)."""
    own = tmp_path / "own-demo"  # apart: some tests copy it again, to tmp_path itself
    own.mkdir()
    path = own / "demo.sqlite3"
    copy_demo(demo_db, path)
    # Its signed letters too, where `crm-tui demo` keeps them (beside it): the audit trail's
    # check looks for each registered letter's file there.
    shutil.copytree(demo_db.parent / "demo-letters", own / "demo-letters")
    return path
