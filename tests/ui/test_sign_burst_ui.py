"""Round 11: "y" and the passphrase typed in one burst: the keys typed between the "Sign as
NAME?" question closing and the passphrase prompt opening went to the screen below (letters
as area keys: the tester ended on the Team screen; once the app closed)."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.widgets import Static

from crm_tui.services.core.passphrases import PassphraseNeeded
from crm_tui.ui.app import create_app
from crm_tui.ui.delivery import DeliveryMixin
from crm_tui.ui.signing_flow import SigningFlow
from tests.ui.keys import settle


class Signing(DeliveryMixin, SigningFlow):
    def __init__(self) -> None:
        super().__init__()
        self.given: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("signing")

    def start(self) -> None:
        self.sign_with(self.step, self.given.append, question="Sign the letter as Ceri?")

    def step(self, passphrase: str | None) -> str:
        if passphrase is None:
            import time

            time.sleep(0.3)  # the keyring looked at: the gap the keys fell into
            raise PassphraseNeeded("your signing key's passphrase is needed")
        return passphrase


async def test_a_passphrase_typed_with_the_yes_reaches_its_prompt(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = Signing()
        app.push_screen(screen)
        await settle(pilot)
        screen.start()
        await settle(pilot)
        for key in ("y", *"northmere-demo", "enter"):
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(pilot)
        await settle(pilot)
        assert app.screen is screen, type(app.screen).__name__
        assert screen.given == ["northmere-demo"]
