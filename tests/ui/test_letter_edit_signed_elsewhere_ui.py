"""An edit kept from a letter's editor after the letter was signed elsewhere (b16f F2: in
another copy of the app, on the same database) is refused in the editor, saying who signed it
and when; its notice line no longer says the earlier edit was kept."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import Label, TextArea

from crm_tui.db.models import Letter
from crm_tui.services.core.database import session
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing, signing_keys
from tests.demo_decided import CONSIDERING
from tests.ui.conftest import Unheard
from tests.ui.keys import burst, press_settled
from tests.ui.letter_editor import editing_the_decision_letter
from tests.ui.test_signing_what_was_read_ui import DECISION, EDITED


async def test_an_edit_kept_after_the_letter_was_signed_elsewhere_is_refused_in_the_editor(
        db: Path, tmp_path: Path, unheard: Unheard) -> None:
    """b16f F2: the editor open in one copy of the app, the letter signed in another; ctrl+s
    then did nothing, and "Edit kept" stayed on its notice line. Now it is refused where it
    was given, saying who signed it and when, and the notice line no longer says "kept"."""
    async with editing_the_decision_letter(db) as editing:
        app, pilot, dialog = editing.app, editing.pilot, editing.dialog
        letter_id = editing.letter_id
        field = dialog.query_one("#edit-text", TextArea)
        field.text = ""
        field.focus()
        await burst(pilot, *EDITED)
        await press_settled(pilot, "ctrl+s")

        def notice() -> str:
            return " ".join(str(n.render()) for n in dialog.query("#dialog-notice")
                            if n.display)

        assert "Edit kept" in notice()
        kept = Letter.get_by_id(letter_id).edits
        def sign_elsewhere() -> None:  # in the other copy (pyHanko runs its own loop)
            with session():
                issuing.sign_and_export(resolve_actor("ceri.hughes"), CONSIDERING, DECISION,
                                        tmp_path / "elsewhere", signing_keys.DEMO_PASSPHRASE)

        with unheard():
            await asyncio.to_thread(sign_elsewhere)
        await burst(pilot, "end", *" Thank you.")
        await press_settled(pilot, "ctrl+s")
        assert app.screen is dialog
        said = " ".join(str(dialog.query_one("#edit-error", Label).render()).split())
        assert said == ("Ceri Hughes signed and issued this letter at 10:00 since you opened "
                        "it: an issued letter never changes. Nothing was saved."), said
        assert "Edit kept" not in notice()
        assert Letter.get_by_id(letter_id).edits == kept
