"""A letter is signed with the words its signer was shown (b16f F1: two copies of the app on
one database; the letter's words were edited in one while the other showed the old words, and
`s` there signed the new words unseen). By keys, on the case's letters (`W`): an edit the screen
has not yet heard of refuses the signing and the letter is read again; an edit it hears of is
shown at once, said, and what is then signed is what it shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pypdf import PdfReader
from textual.pilot import Pilot
from textual.widgets import Static

from crm_tui.db.models import Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.services.core.database import session
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import editing, issuing
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.demo_decided import CONSIDERING, decided_today
from tests.ui.conftest import Unheard
from tests.ui.keys import on_top, press_settled, settle, told

SIZE = (140, 40)
CHANGED_WHILE_READ = ("This letter changed while you were reading it: it now reads as below. "
                      "Read it again before signing.")
DECISION = LetterKind.DECISION
EDITED = "You wrote to six officers forty times a week. One officer now answers you."
REFUSED = ("Ceri Hughes changed this letter's words at 10:00 since you read it: read it again "
           "before signing. Nothing was signed.")
# The Letters area shows no words: its refusal says so.
LISTED_REFUSED = REFUSED.replace("since you read it", "since this list showed it")


def _edit(letter_id: int) -> None:
    """The other copy of the app: the signer rewords why we decided, and keeps it."""
    crm = resolve_actor("ceri.hughes")
    with session():
        opened = editing.view(crm, letter_id)
        reason = next(f.key for f in opened.fields if f.label == "Why we decided this")
        editing.edit(crm, letter_id, reason, EDITED, read_version=opened.version)


def _shown(screen: CaseLettersScreen) -> str:
    return " ".join(str(screen.query_one("#letter-text", Static).render()).split())


async def _reading_the_decision(pilot: Pilot[Any]) -> CaseLettersScreen:
    screen = await on_top(pilot, CaseLettersScreen(CONSIDERING))
    while screen.highlighted is not DECISION:
        await press_settled(pilot, "down")
    await press_settled(pilot, "v")  # into the letter, to read it
    assert EDITED not in _shown(screen)
    return screen


def _status(letter_id: int) -> str:
    return str(Letter.get_by_id(letter_id).status)


async def test_a_letter_edited_elsewhere_unseen_is_not_signed_and_is_read_again(
        db: Path, tmp_path: Path, unheard: Unheard) -> None:
    decided_today(db)
    letter_id = issuing.prepare(resolve_actor("tomasz.nowak"), CONSIDERING, DECISION)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await _reading_the_decision(pilot)
        with unheard():
            _edit(letter_id)
        assert EDITED not in _shown(screen)
        await press_settled(pilot, "s")
        await press_settled(pilot, "y")  # yes to "Sign and issue … as …?"
        await settle(pilot)
        assert REFUSED in told(app)
        assert _status(letter_id) == "draft"
        assert not list((tmp_path / "data" / "letters").glob("*.pdf"))
        # Read again on the refusal: the words as they now stand, and said to have changed.
        assert EDITED in _shown(screen) and CHANGED_WHILE_READ in _shown(screen)
        assert app.screen is screen


async def test_a_letter_edited_elsewhere_is_shown_at_once_and_signed_as_shown(
        db: Path, tmp_path: Path) -> None:
    decided_today(db)
    letter_id = issuing.prepare(resolve_actor("tomasz.nowak"), CONSIDERING, DECISION)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await _reading_the_decision(pilot)
        _edit(letter_id)  # told as the watcher tells another program's change
        await settle(pilot)
        await settle(pilot)
        assert EDITED in _shown(screen) and CHANGED_WHILE_READ in _shown(screen)
        assert CHANGED_WHILE_READ in told(app)
        await press_settled(pilot, "s")
        await press_settled(pilot, "y")
        await settle(pilot)
        assert _status(letter_id) == "issued", told(app)
        signed = list((tmp_path / "data" / "letters").glob("*.pdf"))
        assert len(signed) == 1
        words = " ".join(" ".join(p.extract_text() for p in PdfReader(signed[0]).pages).split())
        assert EDITED in words



async def test_the_letters_area_signs_a_draft_only_as_it_was_listed(
        db: Path, tmp_path: Path, unheard: Unheard) -> None:
    """`s` in the Letters area (`l`): the draft edited in another copy of the app since the
    list was read is reported not signed, saying who changed it; nothing is signed."""
    from crm_tui.ui.screens.letters_area import LettersScreen

    decided_today(db)
    letter_id = issuing.prepare(resolve_actor("tomasz.nowak"), CONSIDERING, DECISION)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "l")
        area = app.screen
        assert isinstance(area, LettersScreen)
        while area.highlighted_waiting is None or area.highlighted_waiting.id != letter_id:
            await press_settled(pilot, "down")
        with unheard():
            _edit(letter_id)
        await press_settled(pilot, "s")
        await press_settled(pilot, "y")  # yes to "Sign and issue … as …?"
        await settle(pilot)
        assert _status(letter_id) == "draft"
        assert not list((tmp_path / "data" / "letters").glob("*.pdf"))
        assert any(f"{CONSIDERING}: not signed: {LISTED_REFUSED}" in said for said in told(app)), \
            told(app)


async def test_the_letters_area_refuses_a_draft_edited_elsewhere_after_it_was_listed(
        db: Path, tmp_path: Path) -> None:
    """v16g G7: the edit heard of (the list read again, showing no words), `s` a few seconds
    later signed the edited words with no notice. v16h H2: after one refusal the very next `s`
    or `A` signed the changed words unread. The list keeps each draft as it first showed it:
    the detail says it changed, and `s` and `A` refuse it at once (no question, no
    passphrase), and still after its case was opened and left (v16i V3: Enter then Esc had
    cleared the mark, and `s` signed the words unread): it is signed in its case's letters,
    which sign what they show."""
    from crm_tui.ui.screens.case_file import CaseFileScreen
    from crm_tui.ui.screens.letters_area import CHANGED_SINCE_LISTED, READ_IT_FIRST, LettersScreen

    decided_today(db)
    letter_id = issuing.prepare(resolve_actor("tomasz.nowak"), CONSIDERING, DECISION)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "l")
        area = app.screen
        assert isinstance(area, LettersScreen)
        while area.highlighted_waiting is None or area.highlighted_waiting.id != letter_id:
            await press_settled(pilot, "down")
        _edit(letter_id)  # told as the watcher tells another program's change
        await settle(pilot)
        await settle(pilot)
        listed = area.highlighted_waiting
        assert listed is not None and listed.version == 2  # re-listed: the edit was heard
        detail = " ".join(str(area.query_one("#letters-detail", Static).render()).split())
        assert CHANGED_SINCE_LISTED in detail
        for key in ("s", "A", "s"):
            await press_settled(pilot, key)
            assert app.screen is area, app.screen  # no question, no passphrase asked
            assert any(f"{CONSIDERING}: {READ_IT_FIRST}" in said for said in told(app)), \
                told(app)
            assert _status(letter_id) == "draft"
        assert not list((tmp_path / "data" / "letters").glob("*.pdf"))
        detail = " ".join(str(area.query_one("#letters-detail", Static).render()).split())
        assert CHANGED_SINCE_LISTED in detail  # refused is not read: the mark stays
        await press_settled(pilot, "enter")  # its case, to read it as it now is
        assert isinstance(app.screen, CaseFileScreen), app.screen
        await press_settled(pilot, "escape")
        assert app.screen is area
        detail = " ".join(str(area.query_one("#letters-detail", Static).render()).split())
        assert CHANGED_SINCE_LISTED in detail  # the case file showed no letter: still marked
        await press_settled(pilot, "s")
        assert app.screen is area, app.screen
        assert told(app)[-1].endswith(f"{CONSIDERING}: {READ_IT_FIRST}") or any(
            f"{CONSIDERING}: {READ_IT_FIRST}" in said for said in told(app)[-1:]), told(app)
        assert _status(letter_id) == "draft"
        assert not list((tmp_path / "data" / "letters").glob("*.pdf"))


async def test_at_80x24_s_signs_only_a_letter_v_has_shown(db: Path, tmp_path: Path) -> None:
    """v16h H7: at 80x24 the case's letters lay the letter out off-screen (shown only by `v`),
    and `s` signed it unread. There `s` refuses at once until `v` has shown the words."""
    from crm_tui.ui.screens.case_letters import NOT_READ_HERE

    decided_today(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(CONSIDERING))
        while screen.highlighted is not DECISION:
            await press_settled(pilot, "down")
        assert screen.has_class("-one-panel")
        await press_settled(pilot, "s")
        assert app.screen is screen, app.screen  # no question, no passphrase asked
        assert any(NOT_READ_HERE in said for said in told(app)), told(app)
        assert not list((tmp_path / "data" / "letters").glob("*.pdf"))
        await press_settled(pilot, "v")  # the letter, in place of the lists
        await press_settled(pilot, "escape")
        await press_settled(pilot, "s")
        await press_settled(pilot, "y")  # yes to "Sign and issue … as …?"
        await settle(pilot)
        assert list((tmp_path / "data" / "letters").glob("*.pdf")), told(app)
