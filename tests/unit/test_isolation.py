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
