"""The e2e tests' demo: the run's, opened by the real program."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.demo_copies import copy_demo
from tests.e2e.terminal import CRM_TUI, Terminal, _env, _started


@pytest.fixture(scope="session")
def built(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This worker's folder for the e2e tests that open the demo (its data and configuration
    folders), with the demo the whole run shares (tests/conftest.py: built once, on the frozen
    day, by the same builder as the real command's; a build takes ten seconds and more on this
    machine). Each test opens a copy of it. `crm-tui demo` itself builds one in
    test_tmux.py's first test, as `make run` does."""
    folder = tmp_path_factory.mktemp("e2e-demo")
    copy_demo(demo_db, folder / "demo.sqlite3")
    return folder


@pytest.fixture
def opened(built: Path, tmp_path: Path) -> Iterator[Terminal]:
    """A copy of the built demo, opened by the real program as the demo's CRM would open it."""
    db = tmp_path / "demo.sqlite3"
    copy_demo(built / "demo.sqlite3", db)
    yield from _started(f"{CRM_TUI} --db {db} --user ceri.hughes; echo EXITED $?; sleep 30",
                        _env(built))
