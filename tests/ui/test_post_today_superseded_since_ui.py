"""Issue 15 AV3: the palette's "Post today" (on a case's letters, and from its case file) said
"Not now" with every superseded letter of the case of all time, old ones answered long ago
by a letter posted since among them. It names only those superseded since the last letter
posted (what a person may still act on) and counts the older ones, which the register lists.

On the demo's UPV-2025-0005: a variation's letter signed and never posted (superseded by the
next variation), that next one's letter posted and a third's, a fourth's signed, then a fifth
variation decided, its letter not yet signed (the fourth's superseded, nothing to post). One
superseded by the last letter posted is named still (test_outcome_letter_superseded_ui)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from crm_tui.services.core import confirmation
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import posting
from crm_tui.services.restrictions import builder, decisions
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests import builders
from tests.demo_outcome_unposted import APPEALED, varied_and_signed
from tests.ui.keys import on_top, settle
from tests.ui.test_palette_finds_ui import listed

SIZE = (100, 30)


@pytest.fixture
def letters(db: Path, tmp_path: Path) -> tuple[int, int]:
    """(the old superseded letter, the one superseded since the last posted)."""
    old = varied_and_signed(tmp_path, 0, db=db)
    for step in (1, 2):  # the first posted in the old one's place, then another
        went = varied_and_signed(tmp_path, step)
        posting.record_posting(resolve_actor("ceri.hughes"), [went], builders.TODAY, "first")
    since = varied_and_signed(tmp_path, 3)
    crm = resolve_actor("ceri.hughes")
    with confirmation.given(DEMO_PASSPHRASE):
        builder.redraft_in_force(crm, APPEALED)
        decisions.vary_restrictions(crm, APPEALED, "Worded afresh", DecisionTerms(
            starts_on=builders.TODAY + timedelta(days=4), ends_on=date(2027, 10, 28)),
            read=builders.read(APPEALED), customer_reason=builders.TOLD)
    return old, since


async def test_post_today_not_now_names_only_the_letters_superseded_since_the_last_posted(
        db: Path, letters: tuple[int, int]) -> None:
    old, since = letters
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await on_top(pilot, CaseLettersScreen(APPEALED))
        helps = dict(await listed(pilot, "post today", "Post today (P)"))
        said = " ".join(helps["Post today (P)"].split())
        assert f"Not now: Nothing of {APPEALED} is waiting to be posted: letter {since} " in \
            said, said
        assert f"letter {old} " not in said, said
        assert "1 older letter superseded before the last letter posted is in the register" \
            in said, said
