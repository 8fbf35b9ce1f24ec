"""The test run never writes into the real user's folders (issue 16: a session fixture once
wrote the demo's stamp font into ~/.local/share/crm-tui/cache)."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

import platformdirs
import pytest

from crm_tui import config
from tests import isolation


def _inside_temporary(path: Path | str) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(tempfile.gettempdir()))


def test_the_run_has_a_home_of_its_own() -> None:
    run = isolation.isolate()
    assert os.environ[isolation.RUN_KEY] == str(run) and _inside_temporary(run)
    for where in (Path.home(), platformdirs.user_data_dir("crm-tui"),
                  platformdirs.user_cache_dir("crm-tui"), platformdirs.user_config_dir("crm-tui"),
                  config.data_dir(), config.config_dir()):
        assert _inside_temporary(where), where
    assert not _inside_temporary(isolation.real_home()) or isolation.real_home() == run


def test_session_fixtures_run_inside_it(demo_db: Path) -> None:
    """The demo is built by a session fixture, before any function fixture: its signing
    stamp's font went to the run's data folder, not the user's."""
    fonts = list((isolation.isolate() / "data" / "cache").glob("stamp-font-*.ttf"))
    assert fonts


def test_a_write_outside_fails_the_test_and_writes_nothing(tmp_path: Path) -> None:
    probe = isolation.real_home() / ".local" / "share" / "crm-tui" / "cache" / "probe.ttf"
    with isolation.expecting_refusal():
        with pytest.raises(isolation.WroteOutside):
            probe.write_bytes(b"x")
        # The checkout itself, unless it lies in the temporary folder (a clone in /tmp).
        checkout_outside = not Path.cwd().resolve().is_relative_to(
            Path(tempfile.gettempdir()).resolve())
        if checkout_outside:
            with pytest.raises(isolation.WroteOutside):
                os.mkdir(Path.cwd() / "made-by-a-test")
        with pytest.raises(isolation.WroteOutside):
            sqlite3.connect(isolation.real_home() / "crm-tui-probe.sqlite3")
        with pytest.raises(isolation.WroteOutside):
            sqlite3.connect((isolation.real_home() / "crm-tui-probe.sqlite3").as_uri(),
                            uri=True)
        with pytest.raises(isolation.WroteOutside):
            os.replace(tmp_path / "a", isolation.real_home() / "moved-by-a-test")
    assert not probe.exists() and not (Path.cwd() / "made-by-a-test").exists()
    assert not (isolation.real_home() / "crm-tui-probe.sqlite3").exists()
    (tmp_path / "inside.txt").write_text("allowed")  # inside its own folder: allowed
    assert isolation.outside_writes(isolation.isolate()) == []


PROBE_CONFTEST = '''
from tests import isolation


def pytest_configure(config):
    isolation.guard(isolation.isolate())


def pytest_sessionfinish(session, exitstatus):
    isolation.finish(session)
'''

PROBE = '''
from tests import isolation


def test_a_write_outside_whose_refusal_is_swallowed():
    try:
        (isolation.real_home() / "leaked.ttf").write_bytes(b"font")
    except Exception:
        pass
'''


def test_a_run_that_wrote_outside_fails_even_if_its_tests_passed(tmp_path: Path) -> None:
    """A run of its own (a subprocess), whose 'real home' and temporary folder are both
    inside this test's folder, so that nothing escapes even if the guard did not hold."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "conftest.py").write_text(PROBE_CONFTEST)
    (tmp_path / "probe" / "test_probe.py").write_text(PROBE)
    (tmp_path / "tmp").mkdir()
    (tmp_path / "home").mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in (isolation.RUN_KEY, isolation.REAL_HOME_KEY, "PYTEST_XDIST_WORKER",
                        "PYTEST_CURRENT_TEST")}
    env.update(HOME=str(tmp_path / "home"), TMPDIR=str(tmp_path / "tmp"), PYTHONPATH=str(root))
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-p", "no:xdist", "-p", "no:randomly", "-o", "addopts=",
                           "--rootdir", str(tmp_path / "probe"), str(tmp_path / "probe")],
                          cwd=tmp_path / "probe", env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert "1 passed" in done.stdout, done.stdout + done.stderr
    assert done.returncode == 1, done.stdout + done.stderr
    assert "written outside the temporary folders" in done.stdout
    assert f"open {tmp_path / 'home' / 'leaked.ttf'}" in done.stdout
    assert not (tmp_path / "home" / "leaked.ttf").exists()


def test_a_fresh_checkout_outside_the_temporary_folder_passes(tmp_path: Path) -> None:
    """CI runs a fresh clone outside /tmp: pytest builds its cache there when the run ends
    (in a 'pytest-cache-files-*' folder, renamed to .pytest_cache), which is not a test's
    write. A run whose checkout lies outside its temporary folder, with the cache on."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "conftest.py").write_text(PROBE_CONFTEST)
    (tmp_path / "probe" / "test_probe.py").write_text("def test_nothing_written():\n    pass\n")
    (tmp_path / "tmp").mkdir()
    (tmp_path / "home").mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in (isolation.RUN_KEY, isolation.REAL_HOME_KEY, "PYTEST_XDIST_WORKER",
                        "PYTEST_CURRENT_TEST")}
    env.update(HOME=str(tmp_path / "home"), TMPDIR=str(tmp_path / "tmp"), PYTHONPATH=str(root))
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:xdist",
                           "-p", "no:randomly", "-o", "addopts=",
                           "--rootdir", str(tmp_path / "probe"), str(tmp_path / "probe")],
                          cwd=tmp_path / "probe", env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "probe" / ".pytest_cache").is_dir()
