"""With a keyring that marks itself as insecure, signing asks for the passphrase, says once why
the keyring is not used, and writes nothing to the keyring's file."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from crm_tui.services.letters import signing_keys
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.passphrase import PassphraseDialog
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.demo_decided import CONSIDERING, decided_today
from tests.insecure_keyring import PlainFileKeyring, keyring_in_use
from tests.ui.keys import asked, settle

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
            for attempt in range(2):
                await settle(pilot)
                await pilot.press("s")
                await settle(pilot)
                await pilot.press("y")  # yes to "Sign and issue … as …?"
                assert isinstance(await asked(pilot), PassphraseDialog)
                # On the prompt's own notice line from the moment it opens, the first time
                # only. Given as a toast just before the prompt, it belonged to the screen
                # beneath and went with it, unseen, one time in two (a clean run caught it).
                said = [str(w.render()) for w in app.screen.query("#dialog-notice")]
                toasts = [n.message for n in app._notifications]
                assert not any("insecure" in m for m in toasts)
                if attempt == 0:
                    assert len(said) == 1 and "marks itself as insecure" in said[0]
                    assert said[0].startswith("Keyring not used: ")
                    assert "PlainFileKeyring" in said[0]
                else:
                    assert not said
                await pilot.press("escape")
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)
            await pilot.press("y")  # yes to "Sign and issue … as …?"
            (await asked(pilot)).query_one(Input).value = signing_keys.DEMO_PASSPHRASE
            await pilot.press("enter")
            await settle(pilot)
            assert list((tmp_path / "data" / "letters").glob(f"{REF}-decision-*.pdf"))
    assert not plain.exists()


async def test_confirming_a_decision_says_why_on_the_prompt(db: Path, tmp_path: Path) -> None:
    """The same notice when a decision (not a letter) is confirmed with the passphrase."""
    from textual.widgets import Select

    from tests.ui.test_builder import _until_asked, fill, opened

    with keyring_in_use(PlainFileKeyring(tmp_path / "keyring.txt")):
        app = create_app(str(db), "ceri.hughes")
        async with app.run_test(size=(140, 40)) as pilot:
            await opened(pilot, app)
            await pilot.press("c")
            await settle(pilot)
            # The clash still unjustified is named first (t15d F1): the view taken knowingly.
            assert isinstance(app.screen, AskDialog)
            await pilot.press("y")
            await settle(pilot)
            fill(app, view_text="Agree, provided the telephone need is met another way")
            app.screen.query_one("#consultee", Select).value = "priya.raman"
            app.screen.query_one("#method", Select).value = "telephone"
            await pilot.press("ctrl+s")
            await _until_asked(pilot, app)
            assert isinstance(app.screen, PassphraseDialog)
            # Not settle: the decision's worker waits for this dialog's answer, so settle sat
            # out its whole 30 s wait (and its timeout came back as a cancelled worker).
            await pilot.pause()
            said = [str(w.render()) for w in app.screen.query("#dialog-notice")]
            assert len(said) == 1 and "marks itself as insecure" in said[0]
            assert not any("insecure" in n.message for n in app._notifications)
            await pilot.press("escape")
            await settle(pilot)
