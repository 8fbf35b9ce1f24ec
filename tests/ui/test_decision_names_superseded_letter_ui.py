"""Tester v15p AK5: the variation's confirmation did not say that the appeal outcome letter,
signed and not yet posted, would be superseded by the decision. It names it now."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from crm_tui.db.models import database_proxy
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing
from crm_tui.services.restrictions import builder
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.ask import AskDialog
from tests.builders import TOLD
from tests.demo_outcome_unposted import APPEALED, outcome_signed_not_posted
from tests.ui.deciding import decision_opened
from tests.ui.keys import press_settled


@pytest.fixture
def letter(db: Path, tmp_path: Path) -> int:
    """The outcome letter signed, not posted, and the restrictions in force redrafted to
    vary (outside the test's event loop: signing runs one of its own)."""
    signed = outcome_signed_not_posted(tmp_path / "out", db)
    crm = resolve_actor("ceri.hughes")
    said = issuing.superseded_by_deciding(crm, APPEALED)
    assert f"(letter {signed}), signed and not yet posted, will be superseded" in said, said
    builder.redraft_in_force(crm, APPEALED)
    database_proxy.close()
    return signed


async def _asked_on_varying_sooner(db: Path) -> str:
    """The case's restrictions varied to end 30 days sooner in the decision form, saved: the
    confirmation's question, in one line."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(140, 40)) as pilot:
        dialog = await decision_opened(pilot, APPEALED)
        ends = dialog.query_one("#ends_on", Input)
        sooner = datetime.strptime(ends.value, "%d/%m/%Y").date() - timedelta(days=30)
        ends.value = f"{sooner:%d/%m/%Y}"
        dialog.query_one("#review_due", Input).value = ""
        dialog.query_one("#reason", TextArea).text = "Shorter"
        dialog.query_one("#customer_reason", TextArea).text = TOLD
        await press_settled(pilot, "ctrl+s")
        assert isinstance(app.screen, AskDialog), (
            str(dialog.query_one("#letter-status").render()),
            str(dialog.query_one("#form-error").render()))
        return " ".join(str(app.screen.query_one("#ask-question").render()).split())


async def test_the_variation_names_the_outcome_letter_it_supersedes(
        db: Path, letter: int) -> None:
    asked = await _asked_on_varying_sooner(db)
    assert f"(letter {letter}), signed and not yet posted, will be superseded and not " \
           "sent" in asked, asked


@pytest.fixture
def draft(db: Path, tmp_path: Path) -> int:
    """The outcome letter prepared by the person who decided the appeal, not signed, and the
    restrictions in force redrafted to vary."""
    prepared = outcome_signed_not_posted(tmp_path / "out", db, then="prepare")
    builder.redraft_in_force(resolve_actor("ceri.hughes"), APPEALED)
    database_proxy.close()
    return prepared


async def test_the_variation_names_the_outcome_letter_prepared_it_supersedes(
        db: Path, draft: int) -> None:
    """v16 finding 11: the appeal outcome letter prepared and not signed went unmentioned by
    the variation that then superseded it."""
    asked = await _asked_on_varying_sooner(db)
    assert (f"The appeal outcome letter (letter {draft}), prepared and not yet signed, "
            "will be superseded and never signed") in asked, asked
