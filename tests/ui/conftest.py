"""For the Pilot tests: a private copy of the demo (these tests write)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from crm_tui.services.core import changes
from crm_tui.ui.dialogs import question_keys
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


@pytest.fixture(autouse=True)
def no_collection_when_idle(request: pytest.FixtureRequest,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's full collection a moment after the screen changes (ui/idle_collect.py) is
    not made in a test unless it asks (`@pytest.mark.idle_collection`): some 0.2 s of a
    core each time (the test process's heap is large), and Pilot's wait for the app to be
    idle waits it out, in any test slower than two seconds: most of them, on a loaded
    machine. The collection is tested on its own (test_closing_keeps_nothing_ui.py)."""
    if request.node.get_closest_marker("idle_collection"):
        return
    from crm_tui.ui.idle_collect import CollectsWhenIdle

    monkeypatch.setattr(CollectsWhenIdle, "collect_when_idle", lambda self: None)


@pytest.fixture(autouse=True)
def questions_answered_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A question takes a key pressed once it is on screen, with no reading time: Pilot keys
    come far faster than a person's, and waiting out the real interval (0.4 s a question)
    would slow the suite. tests/ui/test_question_type_ahead_ui.py sets it back and drives
    the clock."""
    monkeypatch.setattr(question_keys, "QUESTION_GRACE", 0.0)


Unheard = Callable[[], AbstractContextManager[None]]


@pytest.fixture
def unheard() -> Unheard:
    """`with unheard():` a change committed there is one made by another copy of the app on
    the same database, before this app's watcher has looked (about once a second): no screen
    is told of it yet."""
    return changes.unheard
