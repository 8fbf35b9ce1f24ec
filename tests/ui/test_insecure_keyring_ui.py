"""With a keyring that marks itself as insecure, signing asks for the passphrase, says once why
the keyring is not used, and writes nothing to the keyring's file."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from crm_tui.services.letters import signing_keys
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.passphrase import PassphraseDialog
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.demo_decided import CONSIDERING, decided_today
from tests.insecure_keyring import PlainFileKeyring, keyring_in_use
from tests.ui.keys import settle

REF = CONSIDERING  # restricted by decided_today: a decision letter not yet written


async def test_signing_asks_and_says_once_why_the_keyring_is_not_used(db: Path,
                                                                      tmp_path: Path) -> None:
    decided_today(db)
    plain = tmp_path / "keyring.txt"
    with keyring_in_use(PlainFileKeyring(plain)):
        app = create_app(str(db), "ceri.hughes")
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            app.push_screen(CaseLettersScreen(REF))
            await settle(pilot)
            await pilot.press("down")  # the decision
            said: list[str] = []
            for attempt in range(2):
                await settle(pilot)
                await pilot.press("s")
                await settle(pilot)
                await pilot.press("y")  # yes to "Sign and issue … as …?"
                await settle(pilot)
                assert isinstance(app.screen, PassphraseDialog)
                # Given while the dialog is open: on its notice line, not in a toast over it.
                # It comes from a worker: waited for (a loaded machine was slower than one
                # settle), and as long again the second time, when it must not come.
                for _ in range(30):
                    seen = [n.message for n in app._notifications] + [
                        str(w.render()) for w in app.screen.query("#dialog-notice")]
                    if attempt == 0 and any("marks itself as insecure" in m for m in seen):
                        break
                    await pilot.pause(0.1)
                said += seen
                await pilot.press("escape")
            notices = [m for m in said if "marks itself as insecure" in m]
            assert len(notices) == 1 and "PlainFileKeyring" in notices[0]
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)
            await pilot.press("y")  # yes to "Sign and issue … as …?"
            await settle(pilot)
            app.screen.query_one(Input).value = signing_keys.DEMO_PASSPHRASE
            await pilot.press("enter")
            await settle(pilot)
            assert list((tmp_path / "data" / "letters").glob(f"{REF}-decision-*.pdf"))
    assert not plain.exists()
