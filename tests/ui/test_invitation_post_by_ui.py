"""Issue 15 AV4: signing an invitation to comment says by when it must be posted ("Post it by
<date>: posted later, the day for comments it gives would leave the customer less than …"),
tested only in the services until now. Here with keys: s in the case's letters, y, the
passphrase, Enter; the notice read as the person reads it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual import events

from crm_tui.db.models import Case
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.letters import signing_keys
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.insecure_keyring import PlainFileKeyring, keyring_in_use
from tests.ui.keys import asked, on_top, settle
from tests.ui.review_sessions import proposed_unsigned


async def test_signing_an_invitation_says_by_when_to_post_it(db: Path, tmp_path: Path) -> None:
    ref = proposed_unsigned(db)
    app = create_app(str(db), "ceri.hughes")
    with keyring_in_use(PlainFileKeyring(tmp_path / "keyring.txt")):  # the passphrase asked
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            screen = await on_top(pilot, CaseLettersScreen(ref))
            assert screen.highlighted is LetterKind.INVITATION, screen.kinds
            await pilot.press("s")
            while not isinstance(app.screen, AskDialog):
                await asyncio.sleep(0)
            await pilot.pause()  # drawn before it is answered (v15f N1)
            await pilot.press("y")
            await asked(pilot)
            for key in (*signing_keys.DEMO_PASSPHRASE, "enter"):
                app.post_message(events.Key(key, key if len(key) == 1 else None))
            await settle(pilot)
            await settle(pilot)
            assert app.screen is screen, type(app.screen).__name__
            told = [" ".join(str(n.message).split()) for n in app._notifications]
            case = Case.get(Case.reference == ref)
            assert case.next_action == "Post the invitation to comment", case.next_action
            last = case.next_action_due
            assert last is not None
            assert any(f"Post it by {in_prose(last, full_month=True)}: posted later, the day "
                       "for comments it gives would leave the customer less than" in m
                       for m in told), told
