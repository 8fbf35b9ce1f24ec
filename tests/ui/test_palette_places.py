"""The command palette describes each key on the screen where it is shown: a key of another
screen is named with the screen it lives on and the way there from here, never as if it were
this screen's own (`D` decides in the builder, but sets how we write on the case file)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.inbox import InboxScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.ui.keys import settle

SIZE = (120, 36)
CONSIDERED = "UPV-2026-0005"  # under consideration, the Head of Service consulted


async def search(pilot: Pilot[Any], query: str, wanted: str) -> dict[str, str]:
    """Type `query` into the palette and return what it lists (title: description) once
    `wanted` is among the titles; closes the palette again."""
    await pilot.press("ctrl+p", *query)
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    found: dict[str, str] = {}
    for _ in range(200):  # the search runs in a worker, after a short debounce
        await pilot.pause(0.02)
        options = palette.query_one("CommandList")._options  # type: ignore[attr-defined]
        found = {str(o.hit.text): str(o.hit.help) for o in options}
        if wanted in found:
            break
    await pilot.press("escape")
    assert wanted in found, (query, found)
    return found


async def open_case(pilot: Pilot[Any], reference: str) -> None:
    table = pilot.app.screen.query_one("#cases", DataTable)
    table.move_cursor(row=table.get_row_index(reference))
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CaseFileScreen)


def offered(pilot: Pilot[Any]) -> dict[str, str]:
    """Everything the palette offers on the screen in hand (what it searches)."""
    return {c.title: c.help for c in pilot.app.get_system_commands(pilot.app.screen)}


def assert_places_named(commands: dict[str, str]) -> None:
    """An entry without this screen's key in brackets says where its key lives: a bare
    "then D" would read as this screen's D."""
    for title, text in commands.items():
        if re.search(r"\(.+\)$", title):
            continue  # this screen's own key
        assert "then press" not in text and "then D" not in text, title
        if "Press " in text:
            assert re.search(r"Press \S+ (in|on) the ", text), (title, text)


async def test_the_palette_names_where_each_key_lives_on_the_inbox_case_file_and_builder(
        demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        found = await search(pilot, "decide", "Decide")
        assert found["Decide"].endswith(
            "Press D in a case's restriction builder (open the case file with Enter on a case "
            "in the Referral inbox, then press R there).")

        await open_case(pilot, CONSIDERED)
        found = await search(pilot, "decide", "Decide")
        # D on the case file sets how we write; deciding is the builder's D, opened by R here.
        assert "Decide (D)" not in found
        # D restricts (imposes, varies or extends); x and b decide the rest in the inbox.
        assert found["Decide"].startswith("Decide to restrict (the CRM): impose the "
                                          "restrictions set out here, or at a review vary them")
        assert "No action (x) and return for local resolution (b) are decided on the " \
            "referral in the Referral inbox" in found["Decide"]
        assert found["Decide"].endswith("Press D in the restriction builder (R here opens it).")
        commands = offered(pilot)
        assert commands["How we write (D)"].startswith("How we write to this customer")
        assert commands["Sign and issue"].endswith(
            "Press s in the case's letters (W here opens it).")
        for title, text in commands.items():  # no way to a case file from inside one
            assert "Enter on a case" not in text, title
        assert_places_named(commands)

        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, RestrictionBuilderScreen)
        found = await search(pilot, "add restr", "Add restriction (a)")  # its own key, here
        assert "Add restriction" not in found
        commands = offered(pilot)
        # A clash and no view yet: D cannot go ahead (round 12). It is found all the same,
        # saying why in the words D itself says (t15 #5), and never sent elsewhere as if it
        # lived on another screen.
        why = app.screen.key_refusal("decide")
        assert why and commands["Decide (D)"].endswith(f"Not now: {why}")
        assert "Decide" not in commands
        assert "Restrictions" not in commands  # the screen in hand
        # No appeal can be recorded on a case under consideration: said, as A says it (t15 #5).
        assert "Press A on the case file (Esc goes back to it). Not now: No appeal can be " \
            "recorded on" in commands["Appeal"], commands["Appeal"]
        assert commands["Log contact"].endswith("Press l in the evidence viewer (v here opens "
                                                     "it).")
        assert commands["Go to Audit trail"].endswith(  # its key a is taken here
            "(a on other screens; here a is Add restriction)")
        assert_places_named(commands)


async def test_the_palette_does_not_offer_a_referral_to_a_role_that_may_not_record_one(
        db: Path) -> None:
    app = create_app(str(db), "priya.raman")  # the Head of Service
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_area("home")
        await settle(pilot)
        titles = set(offered(pilot))
        assert not titles & {"New referral", "Import"}, titles
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_area("home")
        await settle(pilot)
        commands = offered(pilot)
        assert {"New referral", "Import"} <= set(commands)
        # A key of another area is named with the area as a place ("the Letters" lacked it).
        assert commands["Verify a PDF"].endswith("(v in the Letters area)")
        # Nothing waits to be signed here: "Sign all" is found, saying so (b15b F5), and
        # choosing it does no more than say so (nor is it in Letters' footer).
        assert commands["Sign all"].endswith("Not now: Nothing is waiting to be signed.")
        assert commands["New referral"].endswith("(n in the Referral inbox)")


async def test_the_palette_finds_every_action_by_its_words_from_the_calendar(
        demo_db: Path) -> None:
    """Round 11: from the calendar "lift" and "nominate" found nothing of the builder's L,
    the review session's l or the Team screen's N."""
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_area("calendar")
        await settle(pilot)
        found = await search(pilot, "lift", "Lift early")
        assert found["Lift early"].endswith("Press L in a case's restriction builder (open the "
                                            "case file with Enter on a case in the Referral "
                                            "inbox, then press R there).")
        found = await search(pilot, "lift", "Lift")
        assert found["Lift"].endswith("Press l in the review session (s here starts or "
                                      "resumes it).")
        found = await search(pilot, "nominate", "Appeal nominations")
        assert found["Appeal nominations"].endswith("(N in the Team and roles screen)")


async def test_the_palette_offers_a_cases_keys_only_to_a_role_that_may_take_them(
        db: Path) -> None:
    """Round 12: as a service area manager the palette offered the builder's keys; as an
    officer, "Sign and issue" — each refused at its key by the role. The same rule, here."""
    from crm_tui.ui.commands import _find

    def title(module: str, screen: str, binding_id: str) -> str:
        return str(_find(module, screen, binding_id)[1].description)

    sign = title("case_letters", "CaseLettersScreen", "letters-sign")
    prepare = title("case_letters", "CaseLettersScreen", "letters-prepare")
    decide = title("restriction_builder", "RestrictionBuilderScreen", "builder-decide")
    add = title("restriction_builder", "RestrictionBuilderScreen", "builder-add")
    for login, not_offered, still in (
            ("tomasz.nowak", {sign, decide}, {prepare, add}),  # an officer
            ("priya.raman", {prepare, decide, add}, {sign}),  # the Head of Service: appeals
            ("hannah.okafor", {decide, add}, {sign, prepare}),  # signs local resolution's
            ("ceri.hughes", set(), {sign, prepare, decide, add})):
        app = create_app(str(db), login)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.open_area("home")
            await settle(pilot)
            titles = set(offered(pilot))
            assert not titles & not_offered, (login, titles & not_offered)
            assert still <= titles, (login, still - titles)


async def test_inside_a_dialog_the_palette_says_the_way_from_the_screen_beneath_it(
        demo_db: Path, tmp_path: Path) -> None:
    """v15h: inside the evidence viewer's Import log sheet dialog, "export" found *Export
    bundle* with the way to it from the inbox, the evidence viewer lying right beneath."""
    from crm_tui.ui.dialogs.path_prompt import PathDialog
    from crm_tui.ui.screens.evidence import EvidenceScreen
    from crm_tui.ui.toasts import NOTICE_ID
    from tests.ui.keys import burst, press_settled
    from tests.ui.test_palette_leaves_form_ui import choose_in_palette

    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_case(pilot, CONSIDERED)
        await press_settled(pilot, "v")
        assert isinstance(app.screen, EvidenceScreen)
        await press_settled(pilot, "L")
        dialog = app.screen
        assert isinstance(dialog, PathDialog)
        typed = str(tmp_path / "sheet.csv")
        await burst(pilot, *typed)
        found = await search(pilot, "export", "Export bundle")
        assert found["Export bundle"].endswith(
            "Press E in the evidence viewer once this dialog is closed."), found["Export bundle"]
        commands = offered(pilot)
        for title, text in commands.items():  # a case is open beneath: no way to one
            assert "Enter on a case" not in text, (title, text)
        assert commands["Sign and issue"].endswith(
            "Once this dialog is closed: press s in the case's letters (W on the case file "
            "opens it; Esc goes back to the case file).")
        assert "Evidence" not in commands  # the screen beneath
        # Chosen, it says the way, and the dialog stays as it was.
        await choose_in_palette(pilot, "export bundle", "Export bundle")
        assert app.screen is dialog
        assert dialog.query_one("#path", Input).value == typed
        notice = " ".join(str(dialog.query_one(f"#{NOTICE_ID}").render()).split())
        assert "Press E in the evidence viewer once this dialog is closed." in notice, notice


async def test_from_the_case_file_export_finds_the_case_letters_export_a_copy(
        demo_db: Path) -> None:
    """v15h: "export" on the case file found no *Export a copy* (x in the case's letters),
    though *Sign and issue* is found there with its way."""
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        found = await search(pilot, "export", "Export bundle")
        assert "Export a copy" not in found  # elsewhere the Letters area's, from its register
        await open_case(pilot, CONSIDERED)
        found = await search(pilot, "export", "Export a copy")
        assert found["Export a copy"].endswith("Press x in the case's letters (W here opens "
                                               "it).")


async def test_inside_a_dialog_on_the_case_file_the_palette_finds_the_case_files_own_keys(
        demo_db: Path) -> None:
    """v15i N1: inside the Assign dialog on a case file, "address", "how we write", "hide"
    and "refresh" found nothing, though on the case file they find Address (H), How we write
    (D), Contacts on/off (f) and Refresh (f5)."""
    from crm_tui.ui.toasts import NOTICE_ID
    from tests.ui.keys import press_settled
    from tests.ui.test_palette_leaves_form_ui import choose_in_palette

    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_case(pilot, CONSIDERED)
        on_the_case_file = offered(pilot)
        await press_settled(pilot, "o")
        dialog = app.screen
        assert dialog.is_modal
        commands = offered(pilot)
        for query, title in (("address", "Address"), ("how we write", "How we write"),
                             ("hide", "Contacts on/off"), ("refresh", "Refresh")):
            own = next(t for t in on_the_case_file if t.startswith(f"{title} ("))
            key = own[len(title) + 2:-1]
            found = await search(pilot, query, title)
            assert found[title].endswith(
                f"Press {key} on the case file once this dialog is closed."), found[title]
            assert commands[title] == found[title]
        await choose_in_palette(pilot, "address", "Address")
        assert app.screen is dialog
        notice = " ".join(str(dialog.query_one(f"#{NOTICE_ID}").render()).split())
        assert "on the case file once this dialog is closed." in notice, notice
