"""Letters by keys: preview, sign (asked for the passphrase when the keyring has none) and
export from a case; prepare as an officer; sign everything waiting in one go."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keyring
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, ProgressBar

from crm_tui.db.models import Case, Letter
from crm_tui.services.letters import signing_keys
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.passphrase import PassphraseDialog
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.ui.keys import settle

SIZE = (140, 40)
REF = "UPV-2025-0006"  # restricted: a decision letter not yet written


@pytest.fixture(autouse=True)
def empty_keyring() -> None:
    backend = keyring.get_keyring()
    getattr(backend, "secrets", {}).clear()  # the tests' in-memory keyring


async def letters_of(pilot: Pilot[Any], app: CrmApp) -> CaseLettersScreen:
    await settle(pilot)
    app.push_screen(CaseLettersScreen(REF))
    await settle(pilot)
    assert isinstance(app.screen, CaseLettersScreen)
    return app.screen


def _letters(status: str) -> int:
    return Letter.select().join(Case).where((Case.reference == REF)
                                            & (Letter.status == status)).count()


async def test_sign_and_export_asks_for_the_passphrase(db: Path, tmp_path: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await letters_of(pilot, app)
        assert "Dear Ms Fairbrother" in str(screen.query_one("#letter-text").render())
        await pilot.press("down")  # the decision
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, PassphraseDialog)
        await pilot.press(*"wrong passphrase", "enter")
        await settle(pilot)
        assert _letters("issued") == 0
        await pilot.press("s")
        await settle(pilot)
        app.screen.query_one(Input).value = signing_keys.DEMO_PASSPHRASE
        await pilot.press("enter")
        await settle(pilot)
        assert _letters("issued") == 1
        assert list((tmp_path / "data" / "letters").glob(f"{REF}-decision-*.pdf"))


async def test_officer_prepares_and_the_crm_signs_all(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        screen = await letters_of(pilot, app)
        await pilot.press("down")
        await settle(pilot)
        await pilot.press("s")  # not theirs to sign: the key is not offered
        await settle(pilot)
        assert _letters("issued") == 0
        await pilot.press("p")
        await settle(pilot)
        assert _letters("draft") == 1
        assert screen.check_action("sign", ()) is False
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        app.screen.query_one(Input).value = signing_keys.DEMO_PASSPHRASE
        await pilot.press("enter")
        await settle(pilot)
        assert _letters("draft") == 0 and _letters("issued") == 1
        bar = app.screen.query_one(ProgressBar)
        assert bar.progress == bar.total == 1


async def test_verify_marks_self_signed_and_says_why_a_late_letter_is_not(
        db: Path, demo_db: Path) -> None:
    from crm_tui.db.models import SigningCertificate

    [pdf, *_] = sorted((demo_db.parent / "demo-letters").glob("*.pdf"))
    app = create_app(str(db), "ceri.hughes")
    said: list[str] = []
    real_notify = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        said.append(message)
        real_notify(message, *args, **kwargs)

    async def verify() -> None:
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        app.screen.query_one(Input).value = str(pdf)
        await pilot.press("enter")
        await settle(pilot)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await verify()
        # The letter's certificate revoked before the letter was signed.
        letter = Letter.get(Letter.file_name == pdf.name)
        SigningCertificate.update(revoked_at=letter.signed_at.replace(year=2000)).where(
            SigningCertificate.fingerprint == letter.cert_fingerprint).execute()
        await verify()
    genuine, late = said
    assert genuine.startswith("GENUINE") and "Self-signed certificate" in genuine
    assert late.startswith("NOT GENUINE") and "after its signing certificate was revoked" in late
    assert "Self-signed certificate" in late
