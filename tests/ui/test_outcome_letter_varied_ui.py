"""v15m-2 in the app: the demo's UPV-2025-0005, its appeal outcome letter (restrictions to
"start on 1 February 2027") signed and not posted, then the restrictions varied to start on
3 February. Before: the case file said "Review due" once the variation's letter was signed,
and P in the case's letters put both letters in one post run, the two saying different start
days. Now the case's next action names the variation's letter, first to sign (s leads the
footer, no P), then to post (P offers it alone)."""

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
from crm_tui.ui.dialogs.post_today import PostTodayDialog
from tests import builders
from tests.builders import TOLD
from tests.demo_outcome_unposted import APPEALED, outcome_signed_not_posted
from tests.ui.keys import press_settled, shown_keys
from tests.ui.outcome_letters import letters_from_the_case_file, p_refused

SIZE = (100, 30)


def _vary() -> None:
    crm = resolve_actor("ceri.hughes")
    with confirmation.given(DEMO_PASSPHRASE):
        builder.redraft_in_force(crm, APPEALED)
        decisions.vary_restrictions(crm, APPEALED, "Start them later", DecisionTerms(
            starts_on=date(2027, 2, 3), ends_on=date(2027, 11, 1)),
            read=builders.read(APPEALED), customer_reason=TOLD)


@pytest.fixture
def outcome(db: Path, tmp_path: Path) -> int:
    """The outcome letter signed, then the restrictions varied (outside the test's event
    loop: signing runs one of its own)."""
    signed = outcome_signed_not_posted(tmp_path / "out", db)
    _vary()
    return signed


async def test_w_leads_to_sign_the_variation_letter_not_to_post_the_outcome(
        db: Path, outcome: int) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await letters_from_the_case_file(app, pilot, "Sign the decision letter")
        assert LetterKind.EXTENSION_DECISION in screen.kinds
        assert LetterKind.APPEAL_OUTCOME not in screen.kinds
        await p_refused(app, pilot, screen, f"letter {outcome} (appeal outcome) is superseded: "
                        "the restrictions were varied on")


@pytest.fixture
def varied(outcome: int, tmp_path: Path) -> int:
    """The variation's letter signed too (outside the test's event loop)."""
    return issuing.sign_and_export(resolve_actor("ceri.hughes"), APPEALED,
                                   LetterKind.EXTENSION_DECISION, tmp_path / "varied",
                                   DEMO_PASSPHRASE).letter_id


async def test_once_signed_p_posts_the_variation_letter_alone(
        db: Path, outcome: int, varied: int) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        # v15m-2: it was "Review due", the customer never told the appeal's result.
        await letters_from_the_case_file(app, pilot, "Post the decision letter")
        assert "P" in shown_keys(app)
        await press_settled(pilot, "P")
        dialog = app.screen
        assert isinstance(dialog, PostTodayDialog)
        assert [u.id for u in dialog.going] == [varied]
        assert outcome not in {u.id for u in dialog.going}
