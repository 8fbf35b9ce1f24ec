"""Snapshots of the policy's extreme cases: the demo's case restricted without prior warning,
its case file (the route taken, escalations and the safe-working pointer) and its escalation
records; the builder of a case whose customer has not been warned."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from tests.snapshots.helpers import Size, _pushed

EXTREME = "UPV-2025-0007"  # police involvement and a risk to staff; no prior warning


def test_case_file_of_an_extreme_case(snap_compare: Any, size: Size, demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes")
    assert snap_compare(app, terminal_size=size,
                        run_before=_pushed(lambda: CaseFileScreen(EXTREME)))


def test_escalation_records(snap_compare: Any, size: Size, demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes")
    assert snap_compare(app, terminal_size=size,
                        run_before=_pushed(lambda: CaseFileScreen(EXTREME), "E"))
