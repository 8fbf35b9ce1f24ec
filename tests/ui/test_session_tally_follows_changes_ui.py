"""v16 3: the review session's tally did not follow a change made elsewhere. An extension was
proposed in the session and its invitation to comment signed from the command line in a second
window: twenty seconds later the finished session still said "1 invitation to sign", and on
another case of the session it said so until ← (the case file, inbox, calendar and Letters
area had all changed). The session reads itself again on a change to any of its cases,
wherever it was made: its tally, whether on another case or finished, as well as the case on
view."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import Static

from crm_tui.domain.letters import LetterKind
from crm_tui.services.core.database import session
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.ui.keys import press_settled, settle, until
from tests.ui.review_sessions import proposed_unsigned

SIZE = (140, 40)


def _title(screen: ReviewSessionScreen) -> str:
    return " ".join(str(screen.query_one("#session-title", Static).render()).split())


async def _sign_elsewhere(ref: str, folder: Path) -> None:
    """As `crm-tui letters export --kind invitation` does in another window: off the app."""
    def sign() -> None:
        with session():
            issuing.sign_and_export(resolve_actor("ceri.hughes"), ref, LetterKind.INVITATION,
                                    folder, DEMO_PASSPHRASE)
    await asyncio.to_thread(sign)


async def _session(pilot: object, app: object, ref: str) -> ReviewSessionScreen:
    await settle(pilot)  # type: ignore[arg-type]
    await press_settled(pilot, "d", "s", "ctrl+s")  # type: ignore[arg-type]
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, ReviewSessionScreen) and screen.info is not None
    assert ref in screen.info.references
    assert "1 invitation to sign" in _title(screen), _title(screen)
    return screen


async def test_on_another_case_the_tally_follows_an_invitation_signed_elsewhere(
        db: Path, tmp_path: Path) -> None:
    ref = proposed_unsigned(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _session(pilot, app, ref)
        if screen.info is not None and screen.info.current == ref:
            await press_settled(pilot, "right")
        assert screen.info is not None and screen.info.current != ref
        where = screen.info.position
        awaiting = int(_title(screen).split(" awaiting comments")[0].split()[-1])
        await _sign_elsewhere(ref, tmp_path / "out")
        await until(pilot, lambda: "invitation to sign" not in _title(screen))
        assert f"{awaiting + 1} awaiting comments" in _title(screen), _title(screen)
        assert screen.info is not None and screen.info.position == where


async def test_a_finished_session_tally_follows_an_invitation_signed_elsewhere(
        db: Path, tmp_path: Path) -> None:
    app_db = db
    ref = proposed_unsigned(app_db)
    app = create_app(str(app_db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _session(pilot, app, ref)
        assert screen.info is not None
        await press_settled(pilot, *["right"] * len(screen.info.references))
        assert screen.info is not None and screen.info.current is None
        assert _title(screen).startswith("Review session finished:"), _title(screen)
        await _sign_elsewhere(ref, tmp_path / "out")
        await until(pilot, lambda: "invitation to sign" not in _title(screen))
        assert _title(screen).startswith("Review session finished:"), _title(screen)
        assert "awaiting comments" in _title(screen), _title(screen)
