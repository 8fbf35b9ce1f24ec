"""Kill the real program at random points during an import, a decision and a letter export
(issue 16: killed imports left 85 orphaned evidence files and 31 partial copies; a killed
export left a signed PDF in no register, 20 times in 20). The suite's run: 30 kills of each,
each a test of its own (they run side by side); `make test-crash` runs 200 of each."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.crash.kills import OPERATIONS, kill_runs

SHORT, LONG = 30, int(os.environ.get("CRM_TUI_KILLS", "200"))
SEED = int(os.environ.get("CRM_TUI_CRASH_SEED", "16"))


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_killed_at_random_points_nothing_is_left_behind(demo_db: Path, tmp_path: Path,
                                                        operation: str) -> None:
    lane = kill_runs(demo_db, tmp_path, operation, SHORT, SEED, fork=True)
    assert lane.killed >= SHORT * 0.6, f"only {lane.killed} of {SHORT} runs were killed"


@pytest.mark.long
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_killed_many_times_nothing_is_left_behind(demo_db: Path, tmp_path: Path,
                                                  operation: str) -> None:
    lane = kill_runs(demo_db, tmp_path, operation, LONG, SEED + 1)
    assert lane.killed >= LONG * 0.8
