"""Issue 15 AF1: the decision form's letter ("What the customer will be told", the letter that
will go) left out the "Your appeal" paragraph the signed letter then carried, on a case whose
appeal outcome letter was signed and never posted. Now the preview is built as the letter is:
D on the builder of the demo's UPV-2025-0005, varied after its outcome letter, shows it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static, TextArea

from crm_tui.db.connection import database_proxy
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.restrictions import builder
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.decision import DecisionDialog
from tests.demo_outcome_unposted import APPEALED, STARTS, outcome_signed_not_posted
from tests.ui.deciding import decision_opened
from tests.ui.keys import until

SIZE = (120, 40)


def _preview(dialog: DecisionDialog) -> str:
    return " ".join(str(dialog.query_one("#preview", Static).render()).split())


@pytest.fixture
def redrafted(db: Path, tmp_path: Path) -> Path:
    """The outcome letter signed, then the restrictions redrafted to vary (outside the test's
    event loop: signing runs one of its own)."""
    outcome_signed_not_posted(tmp_path / "out", db)
    builder.redraft_in_force(resolve_actor("ceri.hughes"), APPEALED)
    database_proxy.close()
    return db


async def test_the_preview_tells_the_appeal_result_never_sent(redrafted: Path) -> None:
    db = redrafted
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await decision_opened(pilot, APPEALED)
        dialog.query_one("#starts_on", Input).value = f"{STARTS:%d/%m/%Y}"
        dialog.query_one("#reason", TextArea).text = "Shorter is enough"
        dialog.query_one("#customer_reason", TextArea).text = (
            "The restrictions can end sooner than we decided.")
        await until(pilot, lambda: "What we have decided" in _preview(dialog))
        shown = _preview(dialog)
        assert "Your appeal" in shown, shown
        assert "We did not send you a letter about it then" in shown, shown
