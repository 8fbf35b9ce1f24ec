"""A demo database shared by the UI tests of one worker (built once: it is read-mostly and
each test that writes builds its own)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_tui import clock
from crm_tui.services.demo import build_demo
from tests.conftest import FROZEN_NOW


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from datetime import datetime

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    with clock.travel_to(datetime.fromisoformat(FROZEN_NOW)):
        build_demo(path)
    return path
