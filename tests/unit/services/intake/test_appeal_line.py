"""The case file's restrictions panel gives the appeal deadline only while an appeal is still
open to the customer (found: "Appeal by 15 Jan 2027" still shown after the appeal was
decided, and crowding the restriction itself out of the panel while it was awaited)."""

from __future__ import annotations

from pathlib import Path

from crm_tui.db.connection import open_database
from crm_tui.services.core.database import session
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.intake.case_file import case_file
from tests.demo_copies import copy_demo


def test_the_appeal_deadline_gives_way_to_the_appeal(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, db)
    open_database(str(db))
    with session():
        crm = resolve_actor("ceri.hughes")
        awaited = case_file(crm, "UPV-2026-0004")  # lodged, awaiting the decision
        decided = case_file(crm, "UPV-2025-0002")  # confirmed on appeal
        open_to_appeal = case_file(crm, "UPV-2025-0004")  # restricted, never appealed
    # (The demo's case under appeal had its decision letter issued, and no longer shows its
    # appeal deadline; the end-to-end journey, tests/e2e/test_journey.py, checks the line
    # after an appeal of a letter issued in the app.)
    assert not awaited.appeal_deadline.startswith("Appeal by ")
    assert not decided.appeal_deadline.startswith("Appeal by ")
    # Its letter's appeal deadline (December 2025) has passed: no longer shown (issue 15);
    # tests/unit/services/test_next_step.py shows one still open, and then passed.
    assert open_to_appeal.appeal_deadline == ""
