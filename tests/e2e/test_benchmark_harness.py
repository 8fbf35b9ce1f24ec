"""The benchmark harness (`make bench`) on a small scale: one run of each figure on the demo
with 300 contacts and 100 restrictions added, into temporary folders. It checks that every
figure is produced, beside the bare Textual app's where it has one, and that the table is
written as JSON with the machine; the numbers themselves are never asserted. On PostgreSQL as
well when the tests run on both engines (`--engines sqlite,postgresql`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.demo_copies import copy_demo

REPO = Path(__file__).resolve().parents[2]

# Every figure a run on the demo gives, by its key (benchmarks/table.py).
FIGURES = {
    "bare.start.demo", "start.demo", "memory.start.demo",
    "bare.cursor.demo", "bare.reload.demo",
    "inbox.first.demo", "inbox.cursor.demo", "inbox.filter.demo", "inbox.search.demo",
    "evidence.open.demo", "evidence.page.demo", "evidence.bundle.demo",
    "calendar.month.demo", "calendar.move.demo", "calendar.open.demo",
    "case_file.open.demo", "review.step.demo", "letters.sign.demo", "memory.tour.demo",
}
# Set beside the bare app's: its start, its cursor move, its 60 rows reloaded.
BESIDE = {"start.demo": "bare.start.demo", "inbox.cursor.demo": "bare.cursor.demo",
          "inbox.filter.demo": "bare.reload.demo", "inbox.search.demo": "bare.reload.demo",
          "case_file.open.demo": "bare.reload.demo", "review.step.demo": "bare.reload.demo"}


# On PostgreSQL the run builds its demo on the server first (`crm-tui demo --db URL`, as
# `make bench` does there): three and a half minutes on this machine under load, where SQLite's
# run copies the demo file the suite built once. The whole run took 280 s and more there.
SECONDS = {"sqlite": 280, "postgresql": 840}


@pytest.mark.e2e
@pytest.mark.timeout(900)
@pytest.mark.skipif(shutil.which("tmux") is None, reason="start-up is timed in tmux")
def test_a_small_run_gives_every_figure_and_writes_the_table(
        demo_db: Path, tmp_path: Path, engine: str, request: pytest.FixtureRequest) -> None:
    data, out = tmp_path / "data", tmp_path / "results"
    data.mkdir()
    where: list[str] = []
    if engine == "postgresql":
        server: Any = request.getfixturevalue("pg_server")
        name = f"bench_harness_{os.getpid()}"
        where = ["--engine", "postgresql", "--db", server.create(name)]
        # The template copies the harness makes are dropped with the test.
        request.addfinalizer(lambda: [server.drop(f"{name}{suffix}") for suffix in (
            "", "_evidence_300", "_calendar_100", "_review_session")])
    else:
        copy_demo(demo_db, data / "demo.sqlite3")  # the run's demo: no build of its own
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--scale", "small", "--runs", "1",
         "--data", str(data), "--out", str(out), *where],
        cwd=REPO, capture_output=True, text=True, timeout=SECONDS[engine], check=False)
    # 1 is "a budget is not met": the numbers are not this test's business.
    assert done.returncode in (0, 1), done.stderr[-3000:]
    written = list(out.glob(f"*-{engine}-small.json"))
    assert len(written) == 1, list(out.iterdir())
    table = json.loads(written[0].read_text(encoding="utf-8"))
    figures = {f["key"]: f for f in table["figures"]}
    assert set(figures) == FIGURES
    for key, figure in figures.items():
        assert figure["runs"] >= 1 and figure["median"] > 0, key
        assert figure["best"] <= figure["median"] <= figure["worst"], key
    for key, bare in BESIDE.items():
        assert figures[key]["bare"] == bare
        assert figures[key]["ratio"] == pytest.approx(
            figures[key]["median"] / figures[bare]["median"])
    assert figures["start.demo"]["budget"] == pytest.approx(
        1.5 * figures["bare.start.demo"]["median"])
    machine = table["machine"]
    assert machine["cores"] and machine["python"] and machine["commit"]
    assert isinstance(machine["clean"], bool) and len(machine["load_average_before"]) == 3
    profile = table["startup_profile"]
    assert profile["imports_ms"]["the app's own modules (crm_tui)"] > 0
    assert "opening the database: migrations check" in profile["steps_ms"]
    # Printed as well: the table at the end, each figure beside the bare app's.
    assert "Bare app" in done.stdout and "Start-up, where the time goes" in done.stdout
    # Nothing was written into the repository's own results.
    assert not list((REPO / "benchmarks" / "results").glob("*-small.json"))


@pytest.mark.e2e
def test_the_destruction_benchmark_destroys_one_file_of_a_seeded_database(
        tmp_path: Path) -> None:
    # It is run by hand (its docstring), so it rotted unseen once: a user record added bare
    # and dates the app refuses to destroy on.
    env = {**os.environ, "CRM_TUI_DATA_DIR": str(tmp_path / "data"),
           "CRM_TUI_CONFIG_DIR": str(tmp_path / "config")}
    env.pop("CRM_TUI_NOW", None)
    seeded = tmp_path / "seeded.sqlite3"
    subprocess.run([str(Path(sys.executable).with_name("crm-tui")), "seed", "--customers", "300",
                    "--contacts", "20000", "--db", str(seeded)],
                   cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=True)
    done = subprocess.run([sys.executable, "-m", "benchmarks.destruction", str(seeded)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "destroyed in" in done.stdout and "held the write lock" in done.stdout
