"""v15e F10: `r Re-send as duplicate` was offered on a letter signed and not yet posted,
opened its form and the signing question, and only then refused ("not posted yet"). Now the
footer leaves it out for such a letter and `r` says why at once, opening nothing."""

from __future__ import annotations

from pathlib import Path

from crm_tui.db.connection import open_database
from crm_tui.db.models import Letter, database_proxy
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests import builders
from tests.ui.keys import on_top, settle
from tests.ui.letters_register import case_letter_chosen, r_refused

SIZE = (100, 30)


def _not_yet_posted(db: Path) -> tuple[str, int]:
    """A decision letter of the demo, as if signed and still waiting for the post (written
    as the app writes, so that the case is not taken for one edited outside it)."""
    open_database(db)
    letter = (Letter.select().where((Letter.status == "issued") & Letter.posted_on.is_null(False)
                                    & Letter.duplicate_of.is_null() & (Letter.kind == "decision"))
              .order_by(Letter.id).first())
    assert letter is not None, "the demo has a decision letter posted"
    ref = str(letter.case.reference)
    with builders.as_the_app(ref):
        Letter.update(posted_on=None, posted_at=None, post_class="", tracking="",
                      posted_by=None).where(Letter.id == letter.id).execute()
    database_proxy.close()
    return ref, int(letter.id)


async def test_r_on_a_letter_not_yet_posted_says_why_at_once(db: Path) -> None:
    ref, number = _not_yet_posted(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(ref))
        await case_letter_chosen(pilot, screen, number)
        assert screen.entry is not None and screen.entry.posted_on is None
        shown = [b.binding.description for b in screen.active_bindings.values()
                 if b.enabled and b.binding.show]
        assert "Re-send as duplicate" not in shown and "Export a copy" in shown, shown
        said = await r_refused(pilot, screen)
        assert said == (f"Letter {number} has not been posted yet, so it cannot have been "
                        "lost: post it (P in the Letters area) rather than a copy"), said
