"""Snapshots of the evidence screen: an email and a PDF's text in the reader, the log sheet
(whole and narrowed by a figure), the analysis, the matters, and the tagging dialog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.evidence import EvidenceScreen
from tests.snapshots.helpers import Size, _pushed

REF = "UPV-2025-0004"


def _evidence(snap_compare: Any, size: Size, demo_db: Path, *keys: str) -> bool:
    app = create_app(str(demo_db), "ceri.hughes")
    return bool(snap_compare(app, terminal_size=size,
                             run_before=_pushed(lambda: EvidenceScreen(REF), *keys)))


def test_evidence_screen(snap_compare: Any, size: Size, demo_db: Path) -> None:
    assert _evidence(snap_compare, size, demo_db)


def test_evidence_screen_pdf_text(snap_compare: Any, size: Size, demo_db: Path) -> None:
    assert _evidence(snap_compare, size, demo_db, "down")


def test_evidence_log_sheet(snap_compare: Any, size: Size, demo_db: Path) -> None:
    assert _evidence(snap_compare, size, demo_db, "2")


def test_evidence_analysis(snap_compare: Any, size: Size, demo_db: Path) -> None:
    assert _evidence(snap_compare, size, demo_db, "3")


def test_evidence_log_sheet_narrowed_by_a_figure(snap_compare: Any, size: Size,
                                                 demo_db: Path) -> None:
    # Totals: all, from the customer, outside hours, weekends, repeats (the fifth row).
    assert _evidence(snap_compare, size, demo_db, "3", "down", "down", "down", "down", "enter")


def test_evidence_matters(snap_compare: Any, size: Size, demo_db: Path) -> None:
    assert _evidence(snap_compare, size, demo_db, "4")


def test_evidence_tag_dialog(snap_compare: Any, size: Size, demo_db: Path) -> None:
    assert _evidence(snap_compare, size, demo_db, "2", "b")
