"""fixAQ AQ1 (the Pilot test AL3 lacked): the amend-on-appeal form's letter beside it is the
appeal outcome letter signed afterwards. The demo's UPV-2025-0005, varied with a letter never
posted and then appealed (tests/unit/services/test_outcome_letter_told_since.py): upheld in
part with keys, the preview tells what has changed since the letter posted on 18 December
2025 and the variation never sent under *Our earlier decision*; decided, the letter prepared
says every paragraph the preview said."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from crm_tui.db.connection import open_database
from crm_tui.db.models import Case, database_proxy
from crm_tui.domain.letters import LetterKind
from crm_tui.services.letters import letter_content
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.decision import DecisionDialog
from tests.builders import TOLD
from tests.ui.deciding import amend_opened
from tests.ui.keys import press_settled, settle, until
from tests.ui.test_appeals_ui import confirm
from tests.ui.test_forms_ui import retype
from tests.unit.services.test_outcome_letter_told_since import _varied_unsent_then_appealed


def _words(dialog: DecisionDialog, selector: str) -> str:
    return " ".join(str(dialog.query_one(selector, Static).render()).split())


@pytest.fixture
def appealed(db: Path, tmp_path: Path) -> str:
    """Set up outside the test's event loop: signing runs one of its own."""
    open_database(db)
    try:
        return _varied_unsent_then_appealed(tmp_path)
    finally:
        database_proxy.close()


async def test_the_amend_forms_letter_is_the_outcome_letter_signed(
        db: Path, appealed: str) -> None:
    ref = appealed
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=(140, 40)) as pilot:
        dialog = await amend_opened(pilot, ref, "Upheld in part", TOLD)
        await retype(pilot, "starts_on", "05/12/2026")
        await retype(pilot, "ends_on", "30/04/2027")
        await until(pilot, lambda: _words(dialog, "#letter-status").endswith(
            "The letter passes the checks: ctrl+s decides."))
        await settle(pilot)
        preview = _words(dialog, "#preview")
        assert ("This is what has changed since our letter of 18 December 2025, the last we "
                "sent you about the restrictions.") in preview, preview
        assert "Our earlier decision" in preview, preview
        assert ("We did not send you our letter about that decision. Our decision on your "
                "appeal replaces it, so this letter tells you of both.") in preview, preview
        assert "18 June 2027" in preview  # the variation never sent, told as such
        await press_settled(pilot, "ctrl+s")
        await confirm(pilot, app)
        assert not isinstance(app.screen, DecisionDialog), type(app.screen).__name__
    open_database(db)
    try:
        sections = letter_content.sections_for(Case.get(Case.reference == ref),
                                               LetterKind.APPEAL_OUTCOME)
    finally:
        database_proxy.close()
    for heading, paragraphs in sections:
        for paragraph in paragraphs:
            assert " ".join(paragraph.split()) in preview, (heading, paragraph)
