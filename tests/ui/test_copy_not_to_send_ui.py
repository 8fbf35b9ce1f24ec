"""Issue 15 AU1, AU2 in the app: a copy made of a letter that is not to go says so at once.

The demo's UPV-2025-0003: its invitation to comment, signed on 23 November 2026 and never
posted, can no longer go on the suite's day (AU2); signed again, it is superseded by the new
one (AU1). `x` (export a copy) in the case's letters (W) and in the Letters area, and `c` (the
accessible copy) in W, said nothing of either: "Copy of letter 17 (the very same file)", a
file named as the letter issued, ready for the print room. Now the notice is shown, in the
words `letters export` uses, the copy's name says it is not to be sent (its bytes those
issued), and the accessible copy opens with the notice."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from peewee import SqliteDatabase

from crm_tui.db.connection import open_database
from crm_tui.db.models import Case, Letter
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import copies
from crm_tui.services.letters.not_to_send import CANNOT_GO_MARK, SUPERSEDED_MARK
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.screens.letters_area import LettersScreen
from tests.demo_invitation_waiting import unposted
from tests.ui.keys import on_top, press_settled, settle
from tests.ui.test_invitation_signed_again_ui import CASE, SIZE
from tests.ui.test_invitation_signed_again_ui import again as again  # the fixture

FOR_THE_RECORD = "This copy is for the record; it is not to be sent."


def _told(app: Any) -> list[tuple[str, str]]:
    """Every notice the app is asked to show from now on (message, severity), kept here: the
    app's own list drops one a newer replaces."""
    said: list[tuple[str, str]] = []
    real = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        said.append((message, kwargs.get("severity", "information")))
        real(message, *args, **kwargs)

    app.notify = notify
    return said


def _warnings(said: list[tuple[str, str]]) -> list[str]:
    """The warnings shown, spaces and line breaks taken out (compare with _flat of what is
    expected)."""
    return [_flat(message) for message, severity in said if severity == "warning"]


def _flat(said: str) -> str:
    return "".join(said.split())


async def _w_on(pilot: object, app: object, letter: int) -> CaseLettersScreen:
    """The case's letters (W from the case file), the cursor moved to `letter` in the
    register with the keys: tab to it, then down."""
    await settle(pilot)  # type: ignore[arg-type]
    await on_top(pilot, CaseFileScreen(CASE))  # type: ignore[arg-type]
    await press_settled(pilot, "W")  # type: ignore[arg-type]
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, CaseLettersScreen)
    if not screen.in_register:  # nothing new to write: W starts on the register
        await press_settled(pilot, "tab")  # type: ignore[arg-type]
    assert screen.in_register
    await _to(pilot, screen, screen.entries, letter)
    return screen


async def _to(pilot: object, screen: object, rows: list[Any], letter: int) -> None:
    """The cursor moved to `letter` with ↑ or ↓."""
    for _ in range(len(rows)):
        entry = screen.entry  # type: ignore[attr-defined]
        if entry is not None and entry.id == letter:
            return
        at = [e.id for e in rows].index(entry.id) if entry is not None else -1
        key = "down" if at < [e.id for e in rows].index(letter) else "up"
        await press_settled(pilot, key)  # type: ignore[arg-type]
    entry = screen.entry  # type: ignore[attr-defined]
    assert entry is not None and entry.id == letter, entry


def _issued_name(letter: int) -> str:
    return str(Letter.get_by_id(letter).file_name)


async def test_w_x_and_c_on_a_superseded_letter(db: Path, again: tuple[int, int]) -> None:
    first, second = again
    app = create_app(str(db), "ceri.hughes")
    folder = app.config.letters_path()
    said_all = _told(app)
    async with app.run_test(size=SIZE) as pilot:
        await _w_on(pilot, app, first)
        notice = copies.copy_notice(resolve_actor("ceri.hughes"), first).said
        assert notice.startswith(f"Letter {first} is superseded by letter {second}: it could "
                                 "no longer go"), notice
        assert notice.endswith(FOR_THE_RECORD)
        await press_settled(pilot, "x")
        [said] = _warnings(said_all)
        marked = folder / f"{Path(_issued_name(first)).stem}-{SUPERSEDED_MARK}.pdf"
        assert said == _flat(f"{notice} Copy of letter {first} (the very same file): {marked}")
        assert (hashlib.sha256(marked.read_bytes()).hexdigest()
                == Letter.get_by_id(first).sha256)
        await press_settled(pilot, "c")
        said = _warnings(said_all)[-1]
        assert said == _flat(f"{notice} Accessible copy written: {marked.with_suffix('.txt')} "
                             f"and {marked.with_suffix('.html').name}; each opens with this "
                             "notice"), said
        text = marked.with_suffix(".txt").read_text(encoding="utf-8")
        assert text.startswith(notice + "\n\n"), text[:300]
        assert notice in marked.with_suffix(".html").read_text(encoding="utf-8")
        # The letter signed in its place is copied as ever: no warning, no mark.
        await _to(pilot, app.screen, app.screen.entries, second)  # type: ignore[attr-defined]
        await press_settled(pilot, "x")
        assert len(_warnings(said_all)) == 2
        assert said_all[-1] == (f"Copy of letter {second} (the very same file): "
                                f"{folder / _issued_name(second)}", "information"), said_all


async def test_w_x_on_an_invitation_that_can_no_longer_go(db: Path) -> None:
    raw = SqliteDatabase(str(db))
    unposted(raw, "kind = 'invitation' AND case_id = (SELECT id FROM \"case\" "
                  "WHERE reference = ?)", (CASE,))
    raw.close()
    open_database(db)
    [letter] = Letter.select().where((Letter.kind == "invitation") & (
        Letter.case == Case.get(Case.reference == CASE).id))
    first = int(letter.id)
    app = create_app(str(db), "ceri.hughes")
    folder = app.config.letters_path()
    said_all = _told(app)
    async with app.run_test(size=SIZE) as pilot:
        await _w_on(pilot, app, first)
        await press_settled(pilot, "x")
        [said] = _warnings(said_all)
        assert said.startswith(_flat(f"Letter {first} can no longer go: it gives 11 December "
                                     "2026 as the last day for comments")), said
        marked = folder / f"{Path(_issued_name(first)).stem}-{CANNOT_GO_MARK}.pdf"
        assert said.endswith(_flat(f"{FOR_THE_RECORD} Copy of letter {first} (the very same "
                                   f"file): {marked}")), said
        assert marked.is_file()


async def test_the_letters_area_x_on_a_superseded_letter(db: Path,
                                                        again: tuple[int, int]) -> None:
    first, second = again
    app = create_app(str(db), "ceri.hughes")
    folder = app.config.letters_path()
    said_all = _told(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        area = await on_top(pilot, LettersScreen())
        await press_settled(pilot, "tab")  # to the register
        await _to(pilot, area, area.issued, first)
        await press_settled(pilot, "x")
        [said] = _warnings(said_all)
        assert said.startswith(_flat(f"Letter {first} is superseded by letter {second}: ")), said
        marked = folder / f"{Path(_issued_name(first)).stem}-{SUPERSEDED_MARK}.pdf"
        assert said.endswith(_flat(f"{FOR_THE_RECORD} Copy of letter {first} (the very same "
                                   f"file): {marked}")), said
        assert marked.is_file()
