"""The test run stays in its temporary folders.

`isolate()` runs from `pytest_configure`, before any fixture of any scope (a session fixture
once built the demo, and wrote its stamp font into the real user's data folder, before the
function fixture that moved the data folder had run). It gives the run a home of its own (HOME,
the XDG folders, crm-tui's own data and configuration folders) inside a temporary folder; the
pytest-xdist workers inherit it from the process that starts them.

`guard()` then watches every write this process makes (Python's audit hooks: files opened for
writing, folders made, files renamed, removed or given new permissions, SQLite databases
opened) and refuses one outside the temporary folders: the test that made it fails there,
naming the path, and the write is listed in the run folder so that the run fails at its end
even if the refusal was caught (see `pytest_sessionfinish` in conftest.py).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

RUN_KEY = "CRM_TUI_TEST_RUN_FOLDER"
REAL_HOME_KEY = "CRM_TUI_TEST_REAL_HOME"
OUTSIDE = "written-outside.txt"
_FOLDERS = {"XDG_DATA_HOME": "home/.local/share", "XDG_CONFIG_HOME": "home/.config",
            "XDG_CACHE_HOME": "home/.cache", "XDG_STATE_HOME": "home/.local/state",
            "CRM_TUI_DATA_DIR": "data", "CRM_TUI_CONFIG_DIR": "config"}


class WroteOutside(Exception):
    """A test wrote outside the temporary folders."""


def isolate() -> Path:
    """The run's folder, made (and the environment pointed into it) by the first process of
    the run; a worker finds it in the environment it inherited."""
    known = os.environ.get(RUN_KEY)
    if known:
        return Path(known)
    run = Path(tempfile.mkdtemp(prefix="crm-tui-tests-")).resolve()
    os.environ[REAL_HOME_KEY] = str(Path.home())
    os.environ[RUN_KEY] = str(run)
    os.environ["HOME"] = str(run / "home")
    for key, folder in _FOLDERS.items():
        os.environ[key] = str(run / folder)
    (run / "home").mkdir()
    return run


def finish(session: Any) -> None:
    """At the end of the run, in the process that started it (after every xdist worker has
    finished): fail the run if anything was written outside, listing it; else remove the
    run's folder."""
    import shutil

    import pytest

    if hasattr(session.config, "workerinput"):
        return
    run = isolate()
    written = outside_writes(run)
    if not written:
        shutil.rmtree(run, ignore_errors=True)
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write("\n")
        reporter.write_sep("=", "written outside the temporary folders", red=True)
    for line in written:
        if reporter is not None:
            reporter.write_line(line, red=True)
        else:
            print(line, file=sys.stderr)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def real_home() -> Path:
    return Path(os.environ.get(REAL_HOME_KEY) or Path.home())


def outside_writes(run: Path) -> list[str]:
    try:
        return (run / OUTSIDE).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []


# Where a run may write besides its temporary folders: the devices, Python's byte-code caches,
# pytest's own cache and the snapshot tests' report and (when asked to update) snapshots.
_ALLOWED_PARTS = ("__pycache__", ".pytest_cache", "__snapshots__")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_inside = threading.local()
_expected: list[bool] = [False]
_making_folder: list[bool] = [False]


class _Guard:
    def __init__(self, run: Path) -> None:
        self.run = run
        self.roots = tuple({os.path.realpath(tempfile.gettempdir()), str(run), "/dev",
                            "/proc"})

    def allowed(self, target: Any) -> bool:
        if isinstance(target, int) or target is None:
            return True  # an open file descriptor, or relative to one: checked when opened
        try:
            text = os.fsdecode(target)
        except TypeError:
            return True
        path = os.path.realpath(text)
        if path.endswith("snapshot_report.html"):
            return True
        if os.path.isdir(path) and _making_folder[0]:
            return True  # mkdir of a folder already there writes nothing (the report's parent)
        if any(path == root or path.startswith(root + os.sep) for root in self.roots):
            return True
        # pytest's own cache is built in a "pytest-cache-files-*" folder beside the tests, then
        # renamed to .pytest_cache: on a fresh clone (as CI is) that happens when the run ends.
        return any(part in _ALLOWED_PARTS or part.startswith("pytest-cache-files-")
                   for part in Path(path).parts)

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if event not in _WATCHED:  # most events (builtins.id: millions a run) end here
            return
        targets = self.targets(event, args)
        if not targets or getattr(_inside, "busy", False):
            return
        _inside.busy = True
        _making_folder[0] = event == "os.mkdir"
        try:
            for target in targets:
                if not self.allowed(target):
                    self.refuse(event, target)
        finally:
            _inside.busy = False

    @staticmethod
    def targets(event: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
        if event == "open":
            flags = args[2] if len(args) > 2 else 0
            mode = args[1] if len(args) > 1 else None
            writes = (isinstance(flags, int) and flags & _WRITE_FLAGS) or (
                isinstance(mode, str) and any(c in mode for c in "wax+"))
            return (args[0],) if writes else ()
        if event in _ONE_PATH:
            return _unless_relative_to_a_folder(args[:1], args[-1] if _ONE_PATH[event] else None)
        if event in ("os.rename", "os.replace", "os.link"):
            return (_unless_relative_to_a_folder(args[:1], args[2])
                    + _unless_relative_to_a_folder(args[1:2], args[3]))
        if event == "os.symlink":
            return _unless_relative_to_a_folder(args[1:2], args[2])
        if event == "sqlite3.connect":
            name = os.fsdecode(args[0]) if isinstance(args[0], (str, bytes, os.PathLike)) \
                else ""
            if name in ("", ":memory:") or (name.startswith("file:") and "mode=ro" in name):
                return ()  # in memory, or read only
            if name.startswith("file:"):
                return (unquote(urlsplit(name).path),)
            return (name,)
        return ()

    def refuse(self, event: str, target: Any) -> None:
        if _expected[0]:
            raise WroteOutside(f"{event} {os.fsdecode(target)}")
        test = os.environ.get("PYTEST_CURRENT_TEST", "(outside any test)")
        line = f"{test}: {event} {os.path.realpath(os.fsdecode(target))}"
        if self.run.is_dir():  # gone once the run has ended: the refusal is raised all the same
            with (self.run / OUTSIDE).open("a", encoding="utf-8") as listed:
                listed.write(line + "\n")
        raise WroteOutside(f"the tests wrote outside their temporary folders: {line}")


# The events that name one path, and whether their last argument is a folder's descriptor the
# path is relative to (shutil.rmtree removes a tree's contents that way: what it is given is
# checked).
_ONE_PATH = {"os.mkdir": True, "os.remove": True, "os.rmdir": True, "os.chmod": True,
             "os.chown": True, "os.utime": True, "os.mkfifo": True, "os.truncate": False,
             "shutil.rmtree": False}


_WATCHED = frozenset({"open", "sqlite3.connect", "os.rename", "os.replace", "os.link",
                      "os.symlink", *_ONE_PATH})


def _unless_relative_to_a_folder(paths: tuple[Any, ...], dir_fd: Any) -> tuple[Any, ...]:
    if dir_fd is None or not paths or isinstance(paths[0], int):
        return paths
    return () if not os.path.isabs(os.fsdecode(paths[0])) else paths


_installed: list[_Guard] = []


def guard(run: Path) -> None:
    """Watch this process's writes for the rest of its life (an audit hook cannot be
    removed); once per process."""
    if not _installed:
        _installed.append(_Guard(run))
        sys.addaudithook(_installed[0])


@contextlib.contextmanager
def expecting_refusal() -> Iterator[None]:
    """For the test of the guard itself: a refused write is not listed against the run."""
    _expected[0] = True
    try:
        yield
    finally:
        _expected[0] = False
