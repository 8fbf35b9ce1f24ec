"""fixAB AB1 in the app: the demo's UPV-2025-0005, its appeal upheld in part (the
restrictions to start on 1 February 2027), then varied (to end sooner) and the variation's
letter signed, not posted. On 2 February 2027 that letter can no longer go (its last day to
appeal has passed). Before: the case file said "Review due" and W refused a new letter ("it
was issued …; export a copy or re-send it"): the customer was never told. Now the case's
next action is to sign the decision letter again, and W offers it (p, e, s)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crm_tui.domain.letters import LetterKind
from crm_tui.services.core import confirmation
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing
from crm_tui.services.restrictions import builder, decisions
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests import builders
from tests.builders import TOLD
from tests.demo_outcome_unposted import APPEALED, STARTS, outcome_signed_not_posted
from tests.ui.keys import on_top, press_settled, settle, shown_keys

SIZE = (100, 30)


@pytest.fixture
def varied(db: Path, tmp_path: Path) -> int:
    """The variation's letter signed on 28 November 2026 (outside the test's event loop:
    signing runs one of its own)."""
    outcome_signed_not_posted(tmp_path / "out", db, then="nothing")
    crm = resolve_actor("ceri.hughes")
    with confirmation.given(DEMO_PASSPHRASE):
        builder.redraft_in_force(crm, APPEALED)
        decisions.vary_restrictions(crm, APPEALED, "Shorter", DecisionTerms(
            starts_on=STARTS, ends_on=date(2027, 10, 1)), read=builders.read(APPEALED),
            customer_reason=TOLD)
    return issuing.sign_and_export(crm, APPEALED, LetterKind.EXTENSION_DECISION,
                                   tmp_path / "varied", DEMO_PASSPHRASE).letter_id


async def test_w_offers_the_decision_letter_again_once_the_first_cannot_go(
        db: Path, varied: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_TUI_NOW", "2027-02-02T10:00:00")
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        case_file = await on_top(pilot, CaseFileScreen(APPEALED))
        assert case_file.data is not None
        assert case_file.data.summary.next_action == "Sign the decision letter"
        await press_settled(pilot, "W")
        screen = app.screen
        assert isinstance(screen, CaseLettersScreen)
        assert LetterKind.EXTENSION_DECISION in screen.kinds
        keys = shown_keys(app)
        assert "s" in keys and "P" not in keys, keys
