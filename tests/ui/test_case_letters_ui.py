"""The case's letters screen (`W`): its footer after the appeal outcome letter is signed with
the keys typed at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Static

from crm_tui.db.connection import open_database
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.services.core import confirmation, users
from crm_tui.services.letters import issuing, signing_keys
from crm_tui.services.reviews import appeals
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.widgets.fitted_table import FittedTable
from tests.insecure_keyring import PlainFileKeyring, keyring_in_use
from tests.ui.keys import on_top, press_settled, settle
from tests.ui.test_footers import shown_keys

UNDER_APPEAL = "UPV-2026-0004"


@asynccontextmanager
async def _appeal_letters(
        db: Path, login: str) -> AsyncIterator[tuple[CrmApp, Pilot[None], CaseLettersScreen]]:
    """The app as `login`, at 100x30, with the appealed case's letters screen open on top."""
    app = create_app(str(db), login)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        yield app, pilot, await on_top(pilot, CaseLettersScreen(UNDER_APPEAL))


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
async def test_the_footer_follows_the_letter_signed_with_keys_typed_at_once(
        db: Path, tmp_path: Path, size: tuple[int, int]) -> None:
    """Round 11, in tmux as Gareth Bell: `s y`, the passphrase and Enter typed fast signed the
    appeal outcome letter and the screen said "Nothing new to write now", but the footer still
    offered s, p and v, which did nothing (two runs in three). Its redraw, asked for while the
    question opened, was handed to the question, which closed before it was drawn; with one
    request at a time the footer waited for ever on the lost one (this test caught it one run
    in two). And one run in four the passphrase's letters ran as the app's keys (`d`: the
    calendar): let go as the prompt opened, before its field had the focus."""
    open_database(db)
    with confirmation.given(signing_keys.DEMO_PASSPHRASE):
        appeals.decide_appeal(users.resolve_actor("gareth.bell"), UNDER_APPEAL,
                              AppealOutcome.CONFIRMED, "The restrictions stand",
                              customer_reason="We looked again. The restrictions stay.")
    app = create_app(str(db), "gareth.bell")
    with keyring_in_use(PlainFileKeyring(tmp_path / "keyring.txt")):  # the passphrase asked
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            screen = await on_top(pilot, CaseLettersScreen(UNDER_APPEAL))
            assert screen.highlighted is LetterKind.APPEAL_OUTCOME
            # (At 80 columns the footer has no room for p.)
            assert ({"s", "p"} if size[0] >= 100 else {"s"}) <= shown_keys(app)
            if size[0] < 100:  # v16h H7: in one panel, s signs only a letter v has shown
                await press_settled(pilot, "v")
                await press_settled(pilot, "escape")
            app.post_message(events.Key("s", "s"))
            # "y" as soon as the question is up, before it is first drawn (typed fast).
            while not isinstance(app.screen, AskDialog) or app._waiting is not None:
                await asyncio.sleep(0)
            # Not before it is drawn: a key then is not taken as its answer (v15f N1).
            await pilot.pause()
            for key in ("y", *signing_keys.DEMO_PASSPHRASE, "enter"):
                app.post_message(events.Key(key, key if len(key) == 1 else None))
            await settle(pilot)
            await settle(pilot)
            assert app.screen is screen, type(app.screen).__name__
            assert screen.kinds == [] and screen.entries[0].kind is LetterKind.APPEAL_OUTCOME
            assert not {"s", "p", "e"} & shown_keys(app), shown_keys(app)
            # v15d N8: the letter just signed is shown at once, not an empty frame until Tab.
            signed = screen.entries[0]
            assert screen.in_register and screen.entry == signed
            if size[0] < 100:  # the lists alone, the register's cursor on it: v reads it
                assert not screen.query_one("#letter-preview").display
                assert "v" in shown_keys(app), shown_keys(app)
                await pilot.press("v")
                await settle(pilot)
                assert screen.query_one("#letter-preview").display
            shown = str(screen.query_one("#letter-text", Static).render())
            assert "Dear " in shown and "appeal" in shown.lower(), shown
            if size[0] >= 100:  # the letter beside the lists; at 80, being read: no v
                assert "v" in shown_keys(app), shown_keys(app)


APPEAL_DECIDED = "UPV-2025-0002"  # its decision and appeal outcome letters issued
REGISTER = ["No.", "Letter", "Dated", "Appeal by", "Status"]


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
async def test_the_register_and_the_letter_share_a_narrow_terminal(
        db: Path, size: tuple[int, int]) -> None:
    """Round 11: at 100x30 the register showed only "Letter  Dated  Status"; then, given the
    62 columns its five need, it left the letter 31 (t15 12: "Mr Quentin /
    Abernethy-Fotheringay" beside 2-row lists over empty rows). Below 130 columns its dates
    are short ("15 Nov 26"); at 100 the letter has the width to be read and the register its
    number, letter, date and status whole (the appeal-by date is in the letter); below 100
    the lists take the width, all five columns whole, and v shows the letter in their
    place. At 100 the line under the register gives the highlighted letter whole, its
    appeal-by date among it."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(APPEAL_DECIDED))
        assert len(screen.entries) >= 2
        table = screen.query_one("#register", FittedTable)
        side_by_side = size[0] >= 100
        columns = [c for c in REGISTER if not side_by_side or c != "Appeal by"]
        assert [c.label.plain for c in table.columns.values()] == columns
        assert not table.cuts(*(k for k in ("id", "kind", "dated", "appeal", "status")
                                if not side_by_side or k != "appeal"))
        at, entry = next((i, e) for i, e in enumerate(screen.entries) if e.appeal_by)
        row = [str(cell) for cell in table.get_row_at(at)]  # the decision letter
        assert row[:2] == [str(entry.id), entry.kind.short]
        assert entry.written_on is not None and entry.appeal_by is not None
        assert row[2] == f"{entry.written_on:%d %b %y}"
        if not side_by_side:
            assert row[3] == f"{entry.appeal_by:%d %b %y}"
        # The day the customer must appeal by, where the register has no room for it, is in
        # the line under it for the letter highlighted (fixBS: at 100x30 it was nowhere on
        # screen but in the letter's own words).
        table.move_cursor(row=at)
        await settle(pilot)
        line = screen.query_one("#register-row", Static)
        assert line.display is side_by_side
        if side_by_side:
            said = str(line.render())
            assert f"appeal by {entry.appeal_by:%d %b %Y}" in said, said
            assert entry.kind.label in said and f"Letter {entry.id}" in said, said
            assert line.region.bottom <= size[1] and line.region.height >= 1
        assert table.region.right <= size[0]
        lists = screen.query_one("#letters-left")
        preview = screen.query_one("#letter-preview")
        if side_by_side:  # the letter left of the lists, not under them, and the wider
            assert screen.query_one("#letter-text").content_region.width >= 44
            assert preview.region.width > lists.region.width
            assert preview.region.right <= lists.region.x
        else:  # the lists alone; v the letter alone, Esc the lists again
            assert not preview.display
            # In the register, where the letters are, from the start: nothing new is to be
            # written on this case (v15e F11; b15b F7 pressed Tab to get there).
            assert screen.in_register and screen.entry is not None
            await pilot.press("v")
            await settle(pilot)
            assert preview.display and not lists.display
            assert preview.region.width >= size[0] - 4 and screen.focused is preview
            await pilot.press("escape")
            await settle(pilot)
            assert lists.display and not preview.display


async def test_a_prepared_letter_is_not_offered_for_preparing_again(db: Path) -> None:
    """v15b S5: after `p` the list said "to be signed" while the footer still offered
    `p Prepare for signing`, and `p` said "Prepared" again. Now `p` leaves the footer and,
    pressed, says at once that the letter is prepared already; nothing is recorded again."""
    from crm_tui.db.models import AuditEntry
    from crm_tui.services.core.database import session

    open_database(db)
    with confirmation.given(signing_keys.DEMO_PASSPHRASE):
        appeals.decide_appeal(users.resolve_actor("gareth.bell"), UNDER_APPEAL,
                              AppealOutcome.CONFIRMED, "The restrictions stand",
                              customer_reason="We looked again. The restrictions stay.")
    async with _appeal_letters(db, "gareth.bell") as (app, pilot, screen):
        assert "p" in shown_keys(app)
        await pilot.press("p")
        await settle(pilot)
        assert "Prepared: waiting to be signed" in str(list(app._notifications)[-1].message)
        assert screen.highlighted is LetterKind.APPEAL_OUTCOME
        assert "p" not in shown_keys(app) and "s" in shown_keys(app), shown_keys(app)
        with session():
            prepared = AuditEntry.select().where(AuditEntry.action == "prepare_letter").count()
        await pilot.press("p")
        await settle(pilot)
        said = list(app._notifications)[-1]
        assert str(said.message).startswith(
            "Already prepared by Gareth Bell on 28 Nov 2026; waiting for you to sign")
        assert said.severity == "warning"
        with session():
            assert AuditEntry.select().where(
                AuditEntry.action == "prepare_letter").count() == prepared


def _appeal_outcome_prepared_by_ceri(db: Path) -> None:
    """Gareth Bell decides the appeal on UPV-2026-0004; Ceri Hughes prepares its outcome
    letter, which only Gareth signs."""
    open_database(db)
    with confirmation.given(signing_keys.DEMO_PASSPHRASE):
        appeals.decide_appeal(users.resolve_actor("gareth.bell"), UNDER_APPEAL,
                              AppealOutcome.CONFIRMED, "The restrictions stand",
                              customer_reason="We looked again. The restrictions stay.")
    issuing.prepare(users.resolve_actor("ceri.hughes"), UNDER_APPEAL,
                    LetterKind.APPEAL_OUTCOME)


async def test_a_letter_another_person_prepared_is_not_offered_for_preparing(
        db: Path) -> None:
    """v15c F2: Ceri prepared a letter; Gareth's footer on it still offered `p Prepare for
    signing`, and his `p` prepared it again in his name (its preparer became him, a second
    "prepare_letter" entry). Now nobody is offered `p` on a prepared letter, and `p` says at
    once by whom it was prepared and whom it waits for; nothing is recorded."""
    from crm_tui.db.models import AuditEntry, Letter
    from crm_tui.services.core.database import session

    _appeal_outcome_prepared_by_ceri(db)
    async with _appeal_letters(db, "gareth.bell") as (app, pilot, screen):
        assert screen.highlighted is LetterKind.APPEAL_OUTCOME
        assert "p" not in shown_keys(app) and "s" in shown_keys(app), shown_keys(app)
        with session():
            entries = AuditEntry.select().count()
        await pilot.press("p")
        await settle(pilot)
        said = list(app._notifications)[-1]
        assert str(said.message).startswith("Already prepared by Ceri Hughes on 28 Nov 2026; "
                                            "waiting for you to sign"), said.message
        assert said.severity == "warning"
        with session():
            assert AuditEntry.select().count() == entries
            draft = Letter.get(Letter.kind == LetterKind.APPEAL_OUTCOME.value,
                               Letter.status == "draft")
            assert draft.created_by_id == users.resolve_actor("ceri.hughes").user_id


async def test_s_on_a_letter_the_person_may_not_sign_says_who_signs_it(db: Path) -> None:
    """v15c m1: Ceri on the appeal outcome letter she prepared, which only Gareth signs: the
    footer rightly left `s` out, but `s` pressed said nothing at all."""
    _appeal_outcome_prepared_by_ceri(db)
    async with _appeal_letters(db, "ceri.hughes") as (app, pilot, screen):
        assert screen.highlighted is LetterKind.APPEAL_OUTCOME
        assert not {"s", "p"} & shown_keys(app), shown_keys(app)
        before = len(app._notifications)
        await pilot.press("s")
        await settle(pilot)
        assert len(app._notifications) == before + 1
        said = list(app._notifications)[-1]
        assert "signed only by the person who decided the appeal, Gareth Bell" in str(
            said.message) and said.severity == "warning"
        assert app.screen is screen


async def test_e_is_offered_only_to_the_signer_and_says_at_once_who_signs(db: Path) -> None:
    """v15d N1: `e Edit before signing` was offered to someone who may not sign the letter;
    it opened the whole editor and refused only at its save. Now, as for `s`, it is left out
    of their footer and, pressed, says at once who signs (and edits) it; no editor opens."""
    from crm_tui.ui.dialogs.letter_edit import LetterEditDialog

    _appeal_outcome_prepared_by_ceri(db)
    async with _appeal_letters(db, "ceri.hughes") as (app, pilot, screen):
        assert screen.highlighted is LetterKind.APPEAL_OUTCOME
        assert "e" not in shown_keys(app), shown_keys(app)
        before = len(app._notifications)
        await pilot.press("e")
        await settle(pilot)
        assert app.screen is screen
        assert len(app._notifications) == before + 1
        said = list(app._notifications)[-1]
        assert "signed only by the person who decided the appeal, Gareth Bell" in str(
            said.message) and "may edit it" in str(said.message)
        assert said.severity == "warning"
    async with _appeal_letters(db, "gareth.bell") as (app, pilot, screen):
        assert "e" in shown_keys(app), shown_keys(app)
        await pilot.press("e")
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, LetterEditDialog)


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
async def test_with_nothing_new_to_write_the_latest_letter_is_in_hand(
        db: Path, size: tuple[int, int]) -> None:
    """v15e F11: with nothing new to write, `W` opened on an empty preview and a footer with
    no key to the issued letters (`v`, `r` did nothing until Tab). It opens on the latest
    letter in the register, shown, with its keys."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(APPEAL_DECIDED))
        assert not screen.kinds
        latest = max(e.id for e in screen.entries)
        assert screen.in_register and screen.entry is not None and screen.entry.id == latest
        assert {"v", "x"} <= shown_keys(app), shown_keys(app)
        text = str(screen.query_one("#letter-text", Static).render())
        assert screen.customer_name.split()[-1] in text, text[:200]


async def test_e_on_a_letter_not_prepared_is_not_offered_and_says_why_in_plain_words(
        db: Path) -> None:
    """fixAH AH4 (issue 15): on a letter not yet prepared, `?` listed `e Edit before signing`
    as working, and `e` then refused under the heading "Not signed". Now `?` marks it not
    working until the letter is prepared, and `e` says there is nothing to edit yet and how
    to prepare it; once `p` has prepared it, `e` is listed and opens the editor."""
    from crm_tui.ui.dialogs.help import HelpScreen
    from crm_tui.ui.dialogs.letter_edit import LetterEditDialog

    open_database(db)
    with confirmation.given(signing_keys.DEMO_PASSPHRASE):
        appeals.decide_appeal(users.resolve_actor("gareth.bell"), UNDER_APPEAL,
                              AppealOutcome.CONFIRMED, "The restrictions stand",
                              customer_reason="We looked again. The restrictions stay.")
    async with _appeal_letters(db, "gareth.bell") as (app, pilot, screen):
        assert screen.highlighted is LetterKind.APPEAL_OUTCOME
        assert LetterKind.APPEAL_OUTCOME not in screen.prepared
        assert "e" not in shown_keys(app), shown_keys(app)
        await press_settled(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        edit = {e.title: e for e in app.screen.entries}["Edit before signing"]
        assert not edit.works_now
        await press_settled(pilot, "escape")
        before = len(app._notifications)
        await press_settled(pilot, "e")
        assert app.screen is screen
        assert len(app._notifications) == before + 1
        said = list(app._notifications)[-1]
        assert "Not signed" not in said.title and said.severity == "warning", said.title
        assert str(said.message).startswith("Nothing to edit yet: the letter \"Appeal "
                                            "outcome\" is not prepared. Press p"), said.message
        await press_settled(pilot, "p")
        await settle(pilot)
        assert LetterKind.APPEAL_OUTCOME in screen.prepared
        assert "e" in shown_keys(app), shown_keys(app)
        await press_settled(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert {e.title: e for e in app.screen.entries}["Edit before signing"].works_now
        await press_settled(pilot, "escape")
        await press_settled(pilot, "e")
        await settle(pilot)
        assert isinstance(app.screen, LetterEditDialog)
