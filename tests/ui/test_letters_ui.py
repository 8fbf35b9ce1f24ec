"""Letters by keys: preview, sign (asked for the passphrase when the keyring has none) and
export from a case; prepare as an officer; sign everything waiting in one go."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, ProgressBar, Static, TextArea

from crm_tui.db.models import Case, Letter, LetterFile
from crm_tui.services.letters import signing_keys
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.passphrase import PassphraseDialog
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.widgets.fitted_table import FittedTable
from tests.demo_decided import CONSIDERING, decided_today
from tests.ui.keys import asked, on_top, settle

SIZE = (140, 40)
REF = CONSIDERING  # restricted by the test (decided_today): a decision letter not yet written


@pytest.fixture(autouse=True)
def empty_keyring(db: Path) -> Iterator[None]:
    """No passphrase in the tests' in-memory keyring for this test; those kept before (the
    demo's, for the later tests of this worker) are put back after it. Emptied once the
    demo's copy is made, which keeps its people's passphrases (tests/demo_copies.py)."""
    secrets = getattr(keyring.get_keyring(), "secrets", None)
    kept = dict(secrets) if secrets is not None else {}
    if secrets is not None:
        secrets.clear()
    yield
    if secrets is not None:
        secrets.clear()
        secrets.update(kept)


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
    decided_today(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await letters_of(pilot, app)
        assert "Dear Mr Blythe-Amory" in str(screen.query_one("#letter-text").render())
        await pilot.press("down")  # the decision
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("y")  # yes to "Sign and issue … as …?"
        assert isinstance(await asked(pilot), PassphraseDialog)
        await pilot.press(*"wrong passphrase", "enter")
        await settle(pilot)
        assert _letters("issued") == 0
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("y")  # yes to "Sign and issue … as …?"
        (await asked(pilot)).query_one(Input).value = signing_keys.DEMO_PASSPHRASE
        await pilot.press("enter")
        await settle(pilot)
        assert _letters("issued") == 1
        assert list((tmp_path / "data" / "letters").glob(f"{REF}-decision-*.pdf"))


async def test_officer_prepares_and_the_crm_signs_all(db: Path) -> None:
    decided_today(db)
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
        await pilot.press("y")  # yes to "Sign and issue … as …?"
        (await asked(pilot)).query_one(Input).value = signing_keys.DEMO_PASSPHRASE
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
    titles: list[str] = []
    real_notify = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        said.append(message)
        titles.append(kwargs.get("title", ""))
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
    # The title says the same as the body (it said "Verified" over "NOT GENUINE").
    assert titles == ["Genuine", "Not genuine"]


async def test_verify_keeps_a_mistyped_path_and_says_so(db: Path, tmp_path: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        typed = str(tmp_path / "nothere.pdf")
        app.screen.query_one(Input).value = typed
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(Input).value == typed  # still there to be put right
        assert "does not exist" in str(app.screen.query_one("#error", Static).render())


ISSUED = "UPV-2025-0004"  # its decision letter issued by the demo on 4 December 2025
LIFTED = "UPV-2025-0001"  # its restrictions lifted, the letter saying so posted 29 Oct 2026


async def test_the_register_keeps_the_letter_and_copies_it(db: Path, tmp_path: Path) -> None:
    """Issued letters read as issued; `e` exports the very same file (no new entry); `r`
    re-sends a marked duplicate, asking why (refused at once where the copy could never be
    posted)."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(ISSUED))
        assert screen.kinds == []  # issued once: nothing new to write
        # Nothing new to write: the register is in hand from the start (v15e F11).
        assert screen.in_register and screen.check_action("export_copy", ()) is True
        register = screen.query_one("#register", FittedTable)
        row = [str(cell) for cell in register.row_cells(0)]
        # Posted, saying when (v15p AK4: posted and unposted both read "issued").
        assert row[2:] == ["04 Dec 2025", "16 Jan 2026", "posted 4 Dec 2025"]
        shown = " ".join(str(screen.query_one("#letter-text").render()).split())
        assert "4 December 2025" in shown and "28 November 2026" not in shown
        original = Letter.get(Letter.id == int(row[0]))
        kept = bytes(LetterFile.get(LetterFile.letter == original.id).pdf)
        await pilot.press("x")
        await settle(pilot)
        copy = tmp_path / "data" / "letters" / original.file_name
        assert copy.read_bytes() == kept and Letter.select().count() == _count()
        # Its last day to appeal is past: a copy could never be posted, and is refused at
        # once (v15i J2: it was signed and registered, then "Cannot go" for ever).
        count = _count()
        await pilot.press("r")
        await settle(pilot)
        assert app.screen is screen and _count() == count
        assert "could never send it" in str(list(app._notifications)[-1].message)
        # A letter whose copy can go: the lifting letter of a case since ended.
        screen = await on_top(pilot, CaseLettersScreen(LIFTED))
        register = screen.query_one("#register", FittedTable)
        row = [str(cell) for cell in register.row_cells(0)]
        original = Letter.get(Letter.id == int(row[0]))
        assert original.kind == "lifted"
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        await pilot.press("ctrl+s")  # no reason given: refused in the dialog
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        app.screen.query_one(TextArea).text = "The customer says it never arrived"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")  # yes to "Sign and issue a marked copy … as …?"
        (await asked(pilot)).query_one(Input).value = signing_keys.DEMO_PASSPHRASE
        await pilot.press("enter")
        await settle(pilot)
        dup = Letter.get(Letter.duplicate_of == original.id)
        assert dup.written_on == original.written_on and dup.status == "issued"
        # Every cell, shown or not: at 140 columns the appeal-by date gives way to the status
        # whole (fixAH AH3), and is said in the line under the register.
        row = [str(cell) for cell in register.row_cells(0)]
        assert row[2] == "29 Oct 2026" and row[4] == f"duplicate of {original.id}"
        assert "status" in register.shown_columns and not register.cuts("kind", "status")


def _count() -> int:
    return int(Letter.select().count())


@pytest.mark.parametrize(("reference", "offered"), [
    ("UPV-2019-0002", []),  # archived: nothing new
    ("UPV-2025-0001", []),  # ended: its lifting letter was issued, no decision letter now
    ("UPV-2025-0002", []),  # restricted and appealed: no decision letter, no local resolution
    ("UPV-2025-0003", []),  # the decision's review date is past; the invitation was issued
    ("UPV-2026-0004", []),  # under appeal: no new appeal deadline
    ("UPV-2026-0008", []),  # the monitoring period it would give has ended
    ("UPV-2026-0010", ["local_resolution"]),
    ("UPV-2025-0006", []),  # restricted: its decision letter was issued the day it was decided
    (CONSIDERING, ["decision"]),  # restricted by the test today: its decision letter is owed
])
async def test_only_letters_that_fit_are_offered(db: Path, reference: str,
                                                 offered: list[str]) -> None:
    if reference == CONSIDERING:
        decided_today(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(reference))
        assert [k.value for k in screen.kinds] == offered
        if not offered:
            assert "Nothing new to write now" in str(
                screen.query_one("#kinds", DataTable).get_row_at(0)[0])
            assert screen.check_action("sign", ()) is False


async def test_the_kind_and_its_state_read_whole_at_100x30(db: Path) -> None:
    # "Decision to restrict conta…  not yet iss…": the lists are as narrow as 44 columns.
    decided_today(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await letters_of(pilot, app)
        await pilot.pause()
        kinds = screen.query_one("#kinds")
        lines = [strip.text for strip in kinds.render_lines(kinds.region.reset_offset)]
        drawn = "\n".join(lines)
        assert "Decision to restrict" in drawn and "not issued" in drawn, drawn
        assert "…" not in drawn, drawn
