"""What the screens say after a step, in plain words (issue 15)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.evidence import EvidenceScreen
from tests.ui.keys import settle
from tests.ui.test_dialogs_ui import SIZE, open_log_contact


async def test_a_logged_contact_says_whether_it_falls_in_the_period_shown(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await open_log_contact(pilot, app)
        evidence = app.screen_stack[-2]
        assert isinstance(evidence, EvidenceScreen) and evidence.shown_period is not None
        period = evidence.shown_period
        assert period.end.isoformat() < "2026-11-28"  # a monitoring period long past
        span = f"{period.start.day} {period.start:%b %Y} to {period.end.day} {period.end:%b %Y}"

        async def log(when: str) -> str:
            app.screen.query_one("#when", Input).value = when
            app.screen.query_one("#officer", Input).focus()
            await pilot.press(*"Sam Patel", "enter", *"5", "enter", *"Rang the office")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, EvidenceScreen)
            return str(list(app._notifications)[-1].message)

        said = await log("28/11/2026 09:30")  # today: after the period shown
        assert said.startswith("Contact of 28 Nov 2026 09:30 recorded. It falls outside "
                               f"the period shown (monitoring period, {span})")
        assert "p chooses a period that includes it" in said
        assert "ends" not in said
        await pilot.press("l")
        await settle(pilot)
        inside = f"{period.start:%d/%m/%Y} 11:00"
        said = await log(inside)
        assert said == (f"Contact of {period.start.day} {period.start:%b %Y} 11:00 recorded: "
                        f"it falls in the period shown (monitoring period, {span}), and the "
                        "log sheet lists it.")
        assert "Recorded (" not in said


async def test_the_passphrase_prompt_for_a_view_names_whose_view_the_case_and_the_view(
        db: Path) -> None:
    from keyring.backends import null
    from textual.widgets import Select

    from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
    from crm_tui.ui.dialogs.passphrase import PassphraseDialog
    from tests.insecure_keyring import keyring_in_use
    from tests.ui.test_builder import REF, _until_asked, fill, opened

    with keyring_in_use(null.Keyring()):  # the keyring holds no passphrase: asked for
        app = create_app(str(db), "ceri.hughes")
        async with app.run_test(size=(140, 40)) as pilot:
            await opened(pilot, app)
            await pilot.press("c")
            await settle(pilot)
            # The clash still unjustified is named first, and the view recorded anyway.
            await pilot.press("y")
            await settle(pilot)
            fill(app, view_text="Agree, provided the telephone need is met another way")
            app.screen.query_one("#consultee", Select).value = "priya.raman"
            app.screen.query_one("#method", Select).value = "telephone"
            await pilot.press("ctrl+s")
            await _until_asked(pilot, app)
            assert isinstance(app.screen, PassphraseDialog)
            what = str(app.screen.query_one("#pass-what").render())
            assert what.startswith(f"Record Priya Raman's view on {REF}, on the referral and "
                                   "the restrictions proposed: \"Agrees")
            assert "given on 28 Nov 2026, by telephone" in what
            assert what.endswith("Recorded by Ceri Hughes, Complaints Resolution Manager.")
            app.screen.query_one(Input).value = DEMO_PASSPHRASE
            await pilot.press("enter")
            await settle(pilot)


async def test_the_k_tick_list_shows_esc_in_its_footer(db: Path) -> None:
    from textual.widgets import DataTable
    from textual.widgets._footer import FooterKey

    from crm_tui.ui.dialogs.keys import DialogKeys
    from crm_tui.ui.dialogs.ticks import TickDialog
    from tests.ui.test_builder_decided import a_bare_draft, opened

    bare = a_bare_draft(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot, app)
        drafts = app.screen.query_one("#drafts", DataTable)
        drafts.move_cursor(row=drafts.get_row_index(str(bare)))
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, TickDialog)
        shown = {k.key for k in app.screen.query_one(DialogKeys).query(FooterKey)
                 if k.display and k.parent is not None and k.parent.display}
        assert {"escape", "ctrl+s"} <= shown, shown
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, TickDialog)
