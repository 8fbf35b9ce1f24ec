"""The builder's `k` once a restriction rests on everything the case has (v15e F3): it said
"Nothing to link: no evidence is linked to the referral" of a restriction resting on three
items, and gave no way to take one off. It says what the restriction rests on, that nothing
else can be linked, and how an item is taken off it."""

from __future__ import annotations

from pathlib import Path

from crm_tui.db.connection import open_database
from crm_tui.services.core import users
from crm_tui.services.core.database import session
from crm_tui.services.restrictions import builder, referral_evidence
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.demo_decided import CONSIDERING
from tests.ui.keys import on_top, press_settled, told


def _everything_linked(db: Path) -> int:
    """The first draft on the case rested on every item k offers; how many it rests on."""
    open_database(db)
    crm = users.resolve_actor("ceri.hughes")
    with session():
        draft = builder.builder_view(crm, CONSIDERING).drafts[0].id
        offered = referral_evidence.referral_evidence_offered(crm, CONSIDERING, draft)
        referral_evidence.rest_on_referral_evidence(
            crm, CONSIDERING, draft, tuple(c.key for c in offered))
        return builder.builder_view(crm, CONSIDERING).drafts[0].evidence


async def test_k_with_nothing_left_says_what_the_restriction_rests_on(db: Path) -> None:
    rests_on = _everything_linked(db)
    assert rests_on > 0
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await on_top(pilot, RestrictionBuilderScreen(CONSIDERING))
        await press_settled(pilot, "k")
        assert app.screen is screen  # no dialog: nothing to tick
        said = told(app)[-1]
        assert f"already rests on {rests_on} items of evidence" in said, said
        assert "nothing else on the case can be linked to it" in said, said
        assert "To take an item off it, open the evidence (v) and press k" in said, said
        assert "no evidence is linked to the referral" not in said, said
