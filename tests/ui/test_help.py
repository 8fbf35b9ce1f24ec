"""Finding things: `?` and F1 open the help of the screen in hand (a dialog's own keys inside
a dialog); the palette finds actions by the words of their descriptions, each once."""

from __future__ import annotations

import re
from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import DataTable
from textual.widgets._footer import FooterKey

from crm_tui.ui import guide
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.help import HelpScreen
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.inbox import InboxScreen
from crm_tui.ui.screens.referral_form import ReferralFormScreen
from crm_tui.ui.widgets.keys_footer import KeysFooter
from tests.ui.keys import settle

SIZE = (120, 36)


async def _move_to(pilot, reference: str) -> None:  # type: ignore[no-untyped-def]
    table = pilot.app.screen.query_one("#cases", DataTable)
    table.move_cursor(row=table.get_row_index(reference))
    await settle(pilot)


def _help(app) -> HelpScreen:  # type: ignore[no-untyped-def]
    assert isinstance(app.screen, HelpScreen), type(app.screen).__name__
    return app.screen


async def test_question_mark_opens_the_help_of_each_screen_and_esc_closes_it(
        demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _move_to(pilot, "UPV-2026-0009")  # a new referral
        footer_keys = [k.key_display for k in app.screen.query_one(KeysFooter).query(FooterKey)]
        assert footer_keys[-1] == "?"  # `? Help`, in sight at the footer's right edge
        await pilot.press("question_mark")
        help_ = _help(app)
        assert help_.guide.title == "Referral inbox"
        titles = {e.title: e for e in help_.entries}
        assert titles["New referral"].key_text == "n"
        assert titles["Consider"].works_now  # a new referral can be considered
        assert guide.REFERRAL in help_.policy and guide.REFERRAL in help_.text()
        await pilot.press("escape")
        assert isinstance(app.screen, InboxScreen)

        await _move_to(pilot, "UPV-2025-0002")  # restricted: triage does not apply
        await pilot.press("f1")
        titles = {e.title: e for e in _help(app).entries}
        assert not titles["Consider"].works_now  # listed, marked "not now"
        assert "(not now)" in _help(app).text()
        await pilot.press("f1")  # the same key closes it
        assert isinstance(app.screen, InboxScreen)

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        await pilot.press("question_mark")
        help_ = _help(app)
        assert help_.guide.title == "Case file"
        keys = {e.key_text: e.title for e in help_.entries}
        assert keys["v"] == "Evidence" and keys["W"] == "Letters"
        assert "Go to Referral inbox" in keys.values()  # the app's keys reach here too
        await pilot.press("escape")

        await pilot.press("l")  # the Letters area: `s` signs there
        await settle(pilot)
        await pilot.press("question_mark")
        assert "Sign this" in _help(app).text() and guide.LETTER in _help(app).policy


async def test_help_inside_a_dialog_lists_the_dialogs_own_keys(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _move_to(pilot, "UPV-2026-0009")
        await pilot.press("r")  # request further information: a text dialog
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        await pilot.press("f1")
        help_ = _help(app)
        keys = {e.key_text: e.title for e in help_.entries}
        assert keys["esc"] == "Cancel" and keys["^s"] == "Save"
        assert "Save — Save" not in help_.text(), help_.text()  # v15i N5
        assert "n" not in keys  # the inbox's keys are not the dialog's
        assert help_.policy == InboxScreen.GUIDE.policy  # the step the dialog serves
        # b15d m9: ^p does not search a dialog's actions, so its help does not offer it.
        listed = " ".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "tab / shift+tab" in listed and "^p" not in listed, listed
        await pilot.press("escape")
        assert isinstance(app.screen, TextPromptDialog)
        # In a text field `?` is a character typed, not help.
        app.screen.query_one("TextArea, Input").focus()
        await pilot.press("question_mark")
        assert isinstance(app.screen, TextPromptDialog)


async def test_palette_finds_actions_by_the_words_of_their_descriptions(demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for query, wanted in (("sign", "Sign"), ("appeal", "Appeal"), ("help", "Help"),
                              ("consult", "Consult"), ("evidence", "")):
            await pilot.press("ctrl+p", *query)
            await settle(pilot)  # the palette's search, a worker
            palette = app.screen
            assert isinstance(palette, CommandPalette)
            found = [str(o.hit.text) for o in palette.query_one("CommandList")._options]  # type: ignore[attr-defined]
            assert found, query
            assert any(wanted in f for f in found), (query, found)
            await pilot.press("escape")
        await pilot.press("ctrl+p", *"help")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "enter")  # a case file, over the inbox
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        await pilot.press("ctrl+p", *"new referral")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReferralFormScreen)  # the inbox's action, from anywhere


def _ui_classes() -> list[type]:
    import importlib
    import pkgutil

    import crm_tui.ui.dialogs
    import crm_tui.ui.screens

    for package in (crm_tui.ui.screens, crm_tui.ui.dialogs):
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
    from textual.screen import Screen

    found: list[type] = []
    stack: list[type] = [Screen]
    while stack:
        klass = stack.pop()
        for sub in klass.__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("crm_tui.") and sub not in found:
                found.append(sub)
    return found


def test_every_screen_and_dialog_has_its_guide_and_every_key_its_words() -> None:
    from textual.binding import Binding

    from crm_tui.ui.app import CrmApp
    from crm_tui.ui.guide import Guide

    classes = _ui_classes()
    named = [c for c in classes if c.__name__.endswith(("Screen", "Dialog"))
             and c.__name__ not in ("AreaScreen", "FormDialog")]  # the bases of the others
    assert len(named) > 30
    for klass in named:
        assert isinstance(klass.__dict__.get("GUIDE"), Guide), klass.__name__
    for klass in [*classes, CrmApp]:
        for item in klass.__dict__.get("BINDINGS", []):
            assert isinstance(item, Binding)
            if item.description:  # the silent halves of a key have none, and are not listed
                assert item.tooltip and item.tooltip != item.description, (klass, item)
                assert not re.search(r"\bThe \S+ key\b", item.tooltip), item
                # Shown after its name ("Save — …"): the name not said again (v15i N5:
                # "Save — Save: check every field…").
                assert not item.tooltip.casefold().startswith(
                    f"{item.description.casefold()}:"), (klass, item)


async def test_no_command_is_listed_twice_on_any_screen(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes", demo=True)
    seen: set[str] = set()

    def check() -> None:
        commands = list(app.get_system_commands(app.screen))
        names = [re.sub(r"\s*\([^)]*\)$", "", c.title).casefold() for c in commands]
        assert len(names) == len(set(names)), (type(app.screen).__name__, sorted(names))
        for command in commands:
            assert command.help and not re.search(r"\bThe \S+ key\b", command.help), command
        seen.add(type(app.screen).__name__)

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in "ihdglat":
            await pilot.press(key)
            await settle(pilot)
            check()
        await pilot.press("i")
        await settle(pilot)
        await _move_to(pilot, "UPV-2025-0002")
        for keys in (["enter"], ["v"], ["escape", "R"], ["escape", "W"], ["escape", "E"]):
            await pilot.press(*keys)
            await settle(pilot)
            check()
    assert {"InboxScreen", "HomeScreen", "CalendarScreen", "RegisterScreen", "LettersScreen",
            "AuditTrailScreen", "TeamScreen", "CaseFileScreen", "EvidenceScreen",
            "RestrictionBuilderScreen", "CaseLettersScreen", "EscalationsDialog"} <= seen


async def test_a_name_with_markup_like_text_is_listed_as_written(db: Path) -> None:
    """Found when tried: a demo user named "Ana [/b] Tag [link=…]Officer" made the palette
    crash the app (exit 1) on "ana", "sign" or nothing typed: its entries and their help were
    read as markup."""
    import contextlib
    import sqlite3

    name = "Ana [/b] Tag [link=https://evil.example]Officer [$accent]Var"
    with contextlib.closing(sqlite3.connect(db)) as raw, raw:
        raw.execute('UPDATE "user" SET name = ? WHERE login = ?', (name, "tomasz.nowak"))
    app = create_app(str(db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for query in ("", "ana", "sign"):
            await pilot.press("ctrl+p", *query)
            await settle(pilot)
            palette = app.screen
            assert isinstance(palette, CommandPalette), query
            shown = [o.prompt.plain for o in palette.query_one("CommandList")._options]  # type: ignore[attr-defined]
            if query != "sign":
                # The name edited in the database is listed as the record now reads, beside
                # the name the trail recorded (v16h H4): written as typed, never as markup.
                assert any(line.startswith("Switch user: ") and name in line
                           for line in shown), (query, shown)
            await pilot.press("escape")
            await settle(pilot)
        assert app.is_running
