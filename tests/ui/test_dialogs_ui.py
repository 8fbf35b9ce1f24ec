"""Every dialog behaves the same way (issue 15): its keys shown inside it, the cursor on its
first field, every problem at once at its field and gone when put right, Escape asking before
throwing away what was typed, and a step that acts in someone's name asking first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, TextArea

import crm_tui.ui
from crm_tui.db.models import Case, ContactLogEntry
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.base import FormDialog
from crm_tui.ui.dialogs.choose import ChooseDialog
from crm_tui.ui.dialogs.detail import DetailDialog
from crm_tui.ui.dialogs.fields import Field, FieldsDialog
from crm_tui.ui.dialogs.keys import DialogKeys
from crm_tui.ui.dialogs.log_contact import LogContactDialog
from crm_tui.ui.dialogs.passphrase import PassphraseDialog
from crm_tui.ui.dialogs.path_prompt import PathDialog
from crm_tui.ui.dialogs.reasons import ReasonsDialog
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.dialogs.ticks import TickDialog
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.screens.evidence import EvidenceScreen
from tests.demo_decided import CONSIDERING, decided_today, ready_to_decide
from tests.ui.deciding import decision_opened
from tests.ui.keys import burst, settle
from tests.ui.signing_asked import issued, sign_asked, signed_nothing

SIZE = (120, 40)
CASE = "UPV-2025-0004"
LETTERS_CASE = CONSIDERING  # restricted by decided_today: a decision letter not yet written
CONSIDERED = "UPV-2026-0005"  # under consideration, the Head of Service consulted


def error_at(app: CrmApp, field_id: str) -> str:
    label = app.screen.query_one(f"#{field_id}-error", Label)
    return str(label.render()) if label.display else ""


def keys_shown(app: CrmApp) -> str:
    """The text of the footer inside the dialog on top."""
    keys = app.screen.query_one(DialogKeys)
    return " ".join(str(c.render()) for c in keys.query("*"))


async def open_log_contact(pilot: Pilot[Any], app: CrmApp) -> None:
    await settle(pilot)
    app.push_screen(EvidenceScreen(CASE))
    await settle(pilot)
    await pilot.press("l")
    await settle(pilot)
    assert isinstance(app.screen, LogContactDialog)


async def test_log_contact_typed_top_down(db: Path) -> None:
    """The cursor starts on When; typing down the form (Enter to the next field) fills each
    field in turn. Saved with nothing in officer and minutes, it is refused at both fields at
    once, and nothing is stored."""
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await open_log_contact(pilot, app)
        dialog = app.screen
        assert dialog.focused is dialog.query_one("#when", Input)
        keys = keys_shown(app)
        assert "ctrl+s" in keys and "Log the contact" in keys and "esc" in keys
        assert "Next field" in keys
        before = ContactLogEntry.select().count()
        when = dialog.query_one("#when", Input)
        when.value = ""
        await burst(pilot, *"27/11/2026 10:15")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # all the problems at once, each at its field; the cursor on the first
        assert "officer" in error_at(app, "officer").lower()
        assert "minutes" in error_at(app, "minutes").lower()
        assert "Say what the contact was about" in error_at(app, "summary")
        assert error_at(app, "when") == ""
        assert dialog.focused is dialog.query_one("#officer", Input)
        assert ContactLogEntry.select().count() == before
        # put right one by one: each problem goes as its field is fixed
        await burst(pilot, *"Sam Patel")
        await pilot.pause()
        assert error_at(app, "officer") == ""
        assert error_at(app, "minutes") != ""
        await pilot.press("enter", *"12")
        assert error_at(app, "minutes") == ""
        await pilot.press("enter", *"Rang about the gutter")
        assert error_at(app, "summary") == ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EvidenceScreen)
        saved = ContactLogEntry.select().order_by(ContactLogEntry.id.desc()).get()
        assert (saved.officer_name, saved.duration_minutes, saved.summary) == (
            "Sam Patel", 12, "Rang about the gutter")
        assert f"{saved.at:%d/%m/%Y %H:%M}" == "27/11/2026 10:15"


async def test_a_date_problem_reads_as_typed(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await open_log_contact(pilot, app)
        app.screen.query_one("#when", Input).value = "31/02/2026 10:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "31/02/2026 10:00" in error_at(app, "when")
        assert "2026-" not in error_at(app, "when")


async def test_escape_asks_before_throwing_away_a_typed_contact(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await open_log_contact(pilot, app)
        await pilot.press("escape")  # nothing typed: just closes
        await settle(pilot)
        assert isinstance(app.screen, EvidenceScreen)
        await pilot.press("l")
        await settle(pilot)
        app.screen.query_one("#summary", Input).focus()
        await burst(pilot, *"Rang again")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AskDialog)
        assert "Discard the contact you typed?" in str(
            app.screen.query_one("#ask-question").render())
        await pilot.press("n")  # keep editing: the text is still there
        await settle(pilot)
        assert isinstance(app.screen, LogContactDialog)
        assert app.screen.query_one("#summary", Input).value == "Rang again"
        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(app.screen, EvidenceScreen)


async def test_signing_asks_first_naming_who_signs_and_to_whom(db: Path) -> None:
    """s on a case's letter asks "Sign and issue … to Mr Blythe-Amory as Ceri Hughes,
    Complaints Resolution Manager?"; no signs nothing, and no passphrase is asked for."""
    decided_today(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        question = await sign_asked(pilot, LETTERS_CASE)
        assert "Sign and issue the letter \"Decision to restrict contact\"" in question
        assert "to Mr Cornelius Blythe-Amory" in question
        assert "as Ceri Hughes, Complaints Resolution Manager?" in question
        await signed_nothing(pilot, LETTERS_CASE)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("y")  # yes: signed (the tests' keyring holds the passphrase)
        await settle(pilot)
        assert isinstance(app.screen, CaseLettersScreen)
        assert issued(LETTERS_CASE) == 1


async def test_the_decision_asks_before_being_thrown_away(db: Path) -> None:
    ready_to_decide(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(160, 45)) as pilot:
        dialog = await decision_opened(pilot, CONSIDERED)
        assert dialog.focused is dialog.query_one("#starts_on", Input)  # the first field
        assert "Decide" in keys_shown(app)
        order = []
        for _ in range(5):  # down the form, a field at a time: the dates, then the reasons
            await pilot.press("tab")
            order.append(dialog.focused.id if dialog.focused else None)
        assert order == ["ends_on", "review_due", "review_period_reason", "review_period_note",
                         "reason"], order
        await burst(pilot, *"Sixty calls in a month")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AskDialog)
        assert "Discard the decision you typed?" in str(
            app.screen.query_one("#ask-question").render())
        await pilot.press("escape")  # no: back to the form, the text kept
        await settle(pilot)
        assert app.screen_stack[-1] is dialog
        assert dialog.query_one("#reason", TextArea).text == "Sixty calls in a month"


@pytest.mark.parametrize("make", [
    lambda: FieldsDialog("T", "help", [Field("a", "A")], lambda values: None, save="Record"),
    lambda: TextPromptDialog("T", "prompt", lambda text, flag: None, confirm="Record"),
    lambda: ReasonsDialog("T", "internal", lambda a, b, c: None, confirm="Lift"),
    lambda: TickDialog("T", [("One", "one", False), ("Two", "two", True)], lambda keys: None,
                       save="Keep the ticks"),
    lambda: ChooseDialog("T", [("a", "A"), ("b", "B")]),
    lambda: PathDialog("T", "help", lambda path: None, go="Read the file"),
    lambda: DetailDialog("T", "body"),
    lambda: PassphraseDialog("Why"),
    lambda: AskDialog("Sure?"),
], ids=["fields", "text", "reasons", "ticks", "choose", "path", "detail", "passphrase", "ask"])
async def test_every_dialog_shows_its_keys_inside_it(make: Any) -> None:
    app: App[None] = App()
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = make()
        app.push_screen(dialog)
        await pilot.pause()
        await pilot.pause()
        keys = dialog.query_one(DialogKeys)
        box = keys.parent
        assert isinstance(box, Widget) and box.parent is dialog  # in the dialog's own box
        text = " ".join(str(k.render()) for k in keys.query("*"))
        assert "esc" in text
        if isinstance(dialog, PassphraseDialog):  # how to confirm, not only how to cancel
            assert "enter" in text and "Confirm" in text
            await pilot.press("x", "enter")
            await pilot.pause()
            assert app.screen is not dialog  # Enter in the field confirms
        if isinstance(dialog, FormDialog):
            assert "ctrl+s" in text and "Next field" in text
            assert dialog.focused is dialog.first_field()


async def test_ticked_and_unticked_look_different() -> None:
    class Ticks(App[None]):
        CSS_PATH = str(Path(crm_tui.ui.__file__).parent / "app.tcss")

        def compose(self) -> Any:
            yield SelectionList[str](("One", "one", True), ("Two", "two", False))
            yield Checkbox("On", value=True, id="on")
            yield Checkbox("Off", value=False, id="off")

    app = Ticks()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        ticks = app.query_one(SelectionList)
        ticked = ticks.get_component_rich_style("selection-list--button-selected")
        unticked = ticks.get_component_rich_style("selection-list--button")
        assert ticked.bgcolor != unticked.bgcolor
        # unticked: the X is drawn in its own background colour, so the box reads as empty
        assert unticked.color == unticked.bgcolor
        on = app.query_one("#on", Checkbox).get_visual_style("toggle--button")
        off = app.query_one("#off", Checkbox).get_visual_style("toggle--button")
        assert on.background != off.background and off.foreground == off.background


LONG_TITLE = ("Rest restriction 3 on the referral's evidence (oldest first; untick what it does "
              "not rest on), every document the referral brought, whatever its size")


@pytest.mark.parametrize("kind", ["ticks", "choose"])
@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_a_long_list_scrolls_inside_its_border_not_the_dialog(
        db: Path, size: tuple[int, int], kind: str) -> None:
    """A title of three lines and 25 items at 80x24: the dialog itself scrolled, its scroll
    bar drawn over the list and the footer ("esc Cancel ▆▆"). The list now takes the room the
    dialog leaves it and scrolls inside its own border; the dialog's keys stay whole."""
    from textual.containers import Vertical
    from textual.widgets import OptionList

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        items = [(f"Document {i}: a letter about the repair", str(i)) for i in range(25)]
        dialog: Any = TickDialog(LONG_TITLE, [(label, key, True) for label, key in items],
                                 lambda keys: None, save="Link the ticked evidence") \
            if kind == "ticks" else ChooseDialog(LONG_TITLE, [(k, v) for v, k in items])
        app.push_screen(dialog)
        await settle(pilot)
        box, listing = dialog.query_one(Vertical), dialog.query_one(OptionList)
        assert box.max_scroll_y == 0 and not box.vertical_scrollbar.display
        assert listing.max_scroll_y > 0  # the list scrolls, inside its own border
        keys = dialog.query_one(DialogKeys).region
        assert listing.region.bottom <= keys.y and keys.bottom <= box.region.bottom
        assert box.region.height <= size[1]
        await pilot.press("end")
        await settle(pilot)
        assert listing.highlighted == 24 and listing.scroll_y == listing.max_scroll_y


async def test_a_refused_field_holding_the_cursor_has_its_text_selected(db: Path) -> None:
    # Saved from the date field itself, the refusal left the cursor there with nothing
    # selected: the date typed again was added to the refused one ("10/12/20264/12/2026").
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await open_log_contact(pilot, app)
        when = app.screen.query_one("#when", Input)
        assert app.screen.focused is when
        when.value = ""
        await pilot.press(*"10/12/2099 10:15", "ctrl+s")  # in the future: refused here
        await settle(pilot)
        assert error_at(app, "when") and app.screen.focused is when
        await burst(pilot, *"27/11/2026 10:15")
        await settle(pilot)
        assert when.value == "27/11/2026 10:15"


LONG = " ".join(["The customer's letter of 3 November 2026 about the repair to the roof."] * 40)


@pytest.mark.parametrize("make", [
    lambda: FieldsDialog(LONG[:200], LONG, [Field(f"f{i}", f"Field {i}") for i in range(12)],
                         lambda values: None, save="Record"),
    lambda: TextPromptDialog(LONG[:200], LONG, lambda text, flag: None, confirm="Record",
                             checkbox="Also tell the service area"),
    lambda: ReasonsDialog(LONG[:200], LONG, lambda a, b, c: None, confirm="Lift"),
    lambda: PathDialog(LONG[:200], LONG, lambda path: None, go="Read the file"),
    lambda: DetailDialog(LONG[:200], "\n".join([LONG[:70]] * 80)),
    lambda: PassphraseDialog(LONG),
    lambda: AskDialog(LONG[:300], detail=LONG),
], ids=["fields", "text", "reasons", "path", "detail", "passphrase", "ask"])
async def test_every_dialog_keeps_its_keys_on_screen_at_80x24(db: Path, make: Any) -> None:
    """Round 7: a long refusal ran past the import dialog's border and the screen's edge. With
    long words in every part, each dialog stays on the screen, its keys inside its border."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dialog = make()
        app.push_screen(dialog)
        await settle(pilot)
        frame = dialog.query_one(DialogKeys).parent  # the dialog's box (scrolling or not)
        assert isinstance(frame, Widget)
        keys = dialog.query_one(DialogKeys)
        assert frame.region.right <= 80 and frame.region.bottom <= 24, frame.region
        inside = frame.content_region
        assert inside.contains_region(keys.region), (keys.region, inside)
        for child in frame.children:
            if child.display and child is not keys and child.region.height:
                assert child.region.bottom <= keys.region.y or frame.max_scroll_y > 0, (
                    child, child.region, keys.region)


async def test_a_refused_field_and_its_problem_are_both_in_sight(db: Path) -> None:
    """Round 8: saved from far down the log-contact form at 100x30, the cursor went back to
    When with the dialog scrolled so that only the problem's words showed: the field itself
    was above the visible part, and typing silently replaced the date."""
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_log_contact(pilot, app)
        dialog = app.screen
        when = dialog.query_one("#when", Input)
        when.value = ""
        await burst(pilot, *"31/02/2026 10:00")
        for _ in range(6):
            await pilot.press("tab")
        await pilot.press("x", "ctrl+s")
        await settle(pilot)
        assert dialog.focused is when and error_at(app, "when")
        label = dialog.query_one("#when-error", Label)
        form = when.parent
        while form is not None and not (isinstance(form, Widget) and form.is_scrollable
                                        and form.max_scroll_y > 0):
            form = form.parent
        assert isinstance(form, Widget)
        view = form.content_region
        assert view.contains_region(when.region), (when.region, view)
        assert view.contains_region(label.region), (label.region, view)


async def test_a_tick_boxs_long_label_wraps_whole_at_100x30(db: Path) -> None:
    # Round 9: the Lift dialog's "Do not write: … (needs the Head of…" was cut at 100x30,
    # the part that says who must agree lost.
    from crm_tui.ui.screens.review_session import NOT_WRITING_LABEL

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        dialog = ReasonsDialog("Lift", "Why", lambda a, b, c: None, confirm="Lift",
                               checkbox=NOT_WRITING_LABEL)
        app.push_screen(dialog)
        await settle(pilot)
        box = dialog.query_one(Checkbox)
        lines = box.render().wrap(box.content_size.width)
        assert len(lines) > 1 and box.content_size.height == len(lines)
        assert " ".join(line.plain.strip() for line in lines).endswith("on not writing)")


async def test_log_contact_starts_at_the_cases_own_service_area(db: Path) -> None:
    """Round 11: on a Council Tax and Benefits case the form offered Housing Services (the
    first area configured)."""
    reference = "UPV-2026-0002"
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        own = Case.get(Case.reference == reference).service_area.name
        assert own != app.config.service_areas[0]
        app.push_screen(EvidenceScreen(reference))
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LogContactDialog)
        assert app.screen.query_one("#area", Select).value == own


async def test_the_correction_of_a_contact_says_so_at_its_save_key(db: Path) -> None:
    """v16b: the "Correct a contact" dialog's keys said "ctrl+s Log the contact"."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(EvidenceScreen(CASE))
        await settle(pilot)
        await pilot.press("2")  # the log sheet
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, LogContactDialog)
        shown = keys_shown(app)
        assert "Correct the contact" in shown and "Log the contact" not in shown, shown
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LogContactDialog)
        assert "Log the contact" in keys_shown(app)
