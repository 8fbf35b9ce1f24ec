"""The figures of one `make bench` run: each printed as it is measured, with the bare Textual
app's matching figure beside it as a ratio, its budget and whether it is met; then the whole
table again, and written as JSON with the machine it was measured on."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"


@dataclass
class Figure:
    """One figure: its samples (one per run, or per action when a run takes several)."""

    key: str  # stable, for the JSON: "start.demo", "inbox.cursor", "bare.start"
    what: str  # as the table prints it
    samples: list[float]
    unit: str = "ms"  # "ms", "s" or "MB"
    budget: float | None = None  # in `unit`
    bare: str | None = None  # the key of the bare app's figure it is set beside
    times_bare: float | None = None  # the budget as a multiple of that figure, instead
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


@dataclass
class Table:
    engine: str
    scale: str
    runs: int
    figures: dict[str, Figure] = field(default_factory=dict)
    profile: dict[str, Any] = field(default_factory=dict)
    started: datetime = field(default_factory=datetime.now)
    load_before: tuple[float, float, float] = field(default_factory=os.getloadavg)

    # -- the figures ----------------------------------------------------------------------
    def add(self, figure: Figure) -> Figure:
        if not figure.samples:
            raise ValueError(f"{figure.key}: no samples")
        self.figures[figure.key] = figure
        print(self.line(figure), flush=True)
        return figure

    def bare_of(self, figure: Figure) -> Figure | None:
        return self.figures.get(figure.bare) if figure.bare else None

    def ratio(self, figure: Figure) -> float | None:
        bare = self.bare_of(figure)
        return figure.median / bare.median if bare is not None and bare.median else None

    def budget(self, figure: Figure) -> float | None:
        bare = self.bare_of(figure)
        if figure.times_bare is not None and bare is not None:
            return figure.times_bare * bare.median
        return figure.budget

    def met(self, figure: Figure) -> bool | None:
        budget = self.budget(figure)
        return None if budget is None else figure.median <= budget

    def failures(self) -> list[str]:
        return [f.key for f in self.figures.values() if self.met(f) is False]

    # -- printed --------------------------------------------------------------------------
    @staticmethod
    def _amount(value: float, unit: str) -> str:
        if unit == "ms":
            return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"
        if unit == "s":
            return f"{value:.2f} s"
        return f"{value:,.0f} {unit}"

    def columns(self, figure: Figure) -> list[str]:
        """What, median, best, worst, runs, bare, ratio, budget, met: as printed."""
        amount = self._amount
        bare = self.bare_of(figure)
        ratio = self.ratio(figure)
        budget = self.budget(figure)
        met = self.met(figure)
        rule = "" if figure.times_bare is None else f" ({figure.times_bare:g}x bare)"
        return [figure.what, amount(figure.median, figure.unit),
                amount(min(figure.samples), figure.unit),
                amount(max(figure.samples), figure.unit), str(len(figure.samples)),
                amount(bare.median, bare.unit) if bare else "",
                f"{ratio:.2f}x" if ratio is not None else "",
                (amount(budget, figure.unit) + rule) if budget is not None else "none",
                {True: "met", False: "OVER", None: ""}[met]]

    def line(self, figure: Figure) -> str:
        c = self.columns(figure)
        beside = f"; bare app {c[5]}: {c[6]}" if c[5] else ""
        verdict = f"; budget {c[7]}: {c[8]}" if c[8] else "; no budget"
        note = f" ({figure.note})" if figure.note else ""
        return (f"{c[0]}: median {c[1]}, best {c[2]}, worst {c[3]} of {c[4]}{beside}"
                f"{verdict}{note}")

    HEADINGS = ("What", "Median", "Best", "Worst", "Runs", "Bare app", "Ratio", "Budget",
                "Met")

    def printed(self) -> str:
        rows = [list(self.HEADINGS)] + [self.columns(f) for f in self.figures.values()]
        widths = [max(len(r[i]) for r in rows) for i in range(len(self.HEADINGS))]
        lines = ["  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                           for i, cell in enumerate(row)) for row in rows]
        lines.insert(1, "-" * len(lines[0]))
        return "\n".join(lines)

    def markdown(self) -> str:
        """The table as the README shows it."""
        out = ["| " + " | ".join(self.HEADINGS) + " |",
               "|" + "---|" * len(self.HEADINGS)]
        for f in self.figures.values():
            cells = self.columns(f)
            if cells[8] == "OVER":
                cells[8] = "**over**"
            out.append("| " + " | ".join(cells) + " |")
        return "\n".join(out)

    # -- written --------------------------------------------------------------------------
    def as_json(self) -> dict[str, Any]:
        figures = []
        for f in self.figures.values():
            bare = self.bare_of(f)
            figures.append({
                "key": f.key, "what": f.what, "unit": f.unit, "median": f.median,
                "best": min(f.samples), "worst": max(f.samples), "runs": len(f.samples),
                "samples": f.samples, "bare": f.bare,
                "bare_median": bare.median if bare else None, "ratio": self.ratio(f),
                "budget": self.budget(f), "budget_times_bare": f.times_bare,
                "met": self.met(f), "note": f.note})
        return {"date": self.started.isoformat(timespec="seconds"), "engine": self.engine,
                "scale": self.scale, "runs": self.runs,
                "machine": machine(self.load_before), "figures": figures,
                "startup_profile": self.profile}

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.started:%Y-%m-%d}-{self.engine}-{self.scale}.json"
        path.write_text(json.dumps(self.as_json(), indent=2) + "\n", encoding="utf-8")
        return path


def _read(path: str, key: str) -> str:
    try:
        for row in Path(path).read_text(encoding="utf-8").splitlines():
            name, _, value = row.partition(":")
            if name.strip() == key:
                return value.strip()
    except OSError:
        pass
    return ""


def _git(*args: str) -> str:
    done = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True,
                          check=False)
    return done.stdout.strip() if done.returncode == 0 else ""


def machine(load_before: tuple[float, float, float]) -> dict[str, Any]:
    """The machine and the code measured. The tree is clean when nothing is changed but
    benchmarks/results/ (a result kept from an earlier run is not a change to the code)."""
    memory_kb = _read("/proc/meminfo", "MemTotal").split()
    # Each entry is "XY path", X blank for a change not staged: the output's first line is
    # not stripped (" M benchmarks/results/…" read as "enchmarks/…" counted the run's own
    # results file, rewritten on the day of a committed one, as a change to the code).
    status = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "-z"],
                            capture_output=True, text=True, check=False).stdout
    changed = [entry for entry in status.split("\0")
               if entry and not entry[3:].startswith("benchmarks/results/")]
    try:
        from importlib.metadata import version

        textual = version("textual")
    except Exception:
        textual = ""
    import sqlite3

    return {"cpu": _read("/proc/cpuinfo", "model name") or platform.processor(),
            "cores": os.cpu_count(),
            "ram_gb": round(int(memory_kb[0]) / 1024 / 1024, 1) if memory_kb else None,
            "python": platform.python_version(), "implementation": sys.implementation.name,
            "textual": textual, "sqlite": sqlite3.sqlite_version,
            "load_average_before": list(load_before),
            "load_average_after": list(os.getloadavg()),
            "commit": _git("rev-parse", "--short", "HEAD"), "clean": not changed}
