"""`c` on a case's letters writes the accessible copy of the highlighted letter beside its PDF
— offered only once the letter is issued."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input

from crm_tui.services.letters import signing_keys
from crm_tui.ui.app import create_app
from tests.demo_decided import decided_today
from tests.ui.keys import asked, settle
from tests.ui.test_letters_ui import REF, SIZE, letters_of
from tests.ui.test_letters_ui import empty_keyring as empty_keyring  # autouse: no keyring


async def test_c_writes_the_accessible_copy_of_an_issued_letter(db: Path,
                                                                tmp_path: Path) -> None:
    decided_today(db)  # the demo's decision letters are all issued: one still to write
    app = create_app(str(db), "ceri.hughes")
    said: list[str] = []
    real_notify = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        said.append(message)
        real_notify(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    letters = tmp_path / "data" / "letters"
    async with app.run_test(size=SIZE) as pilot:
        screen = await letters_of(pilot, app)
        await pilot.press("down")  # the decision, not yet written
        await settle(pilot)
        assert screen.check_action("accessible_copy", ()) is False
        await pilot.press("c")
        await settle(pilot)
        assert not letters.exists() or not list(letters.iterdir())
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("y")  # yes to "Sign and issue … as …?"
        (await asked(pilot)).query_one(Input).value = signing_keys.DEMO_PASSPHRASE
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("tab")  # to the register, where the issued letter is
        await settle(pilot)
        assert screen.check_action("accessible_copy", ()) is True
        await pilot.press("c")
        await settle(pilot)
    [pdf] = letters.glob(f"{REF}-decision-*.pdf")
    assert pdf.with_suffix(".txt").is_file() and pdf.with_suffix(".html").is_file()
    assert any(m.startswith("Accessible copy written") for m in said), said
