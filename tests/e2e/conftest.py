"""The e2e tests' demo: built once by the real command, opened by the real program."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.terminal import CRM_TUI, DEMO_BUILD, Terminal, _env, _started


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo for this worker's e2e tests, built by the real command (each test opens a copy
    of it: a build takes ten seconds and more on this machine)."""
    folder = tmp_path_factory.mktemp("e2e-demo")
    done = subprocess.run([CRM_TUI, "demo", "--fresh", "--db", str(folder / "demo.sqlite3"),
                           "--no-launch"], env=_env(folder), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=DEMO_BUILD, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return folder


@pytest.fixture
def opened(built: Path, tmp_path: Path) -> Iterator[Terminal]:
    """A copy of the built demo, opened by the real program as the demo's CRM would open it."""
    db = tmp_path / "demo.sqlite3"
    shutil.copy(built / "demo.sqlite3", db)
    yield from _started(f"{CRM_TUI} --db {db} --user ceri.hughes; echo EXITED $?; sleep 30",
                        _env(built))
