"""The keys of a form, pressed: Enter in a one-line field moves to the next field; Tab counts
from where the previous Tab is going (focus lands a moment later); ctrl+s in the decision form
waits for the letter to catch up, says so, and then decides."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, Static, TextArea

from crm_tui.db.connection import open_database
from crm_tui.domain.lifecycle import Action
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.evidence.log_sheet_csv import CSV_COLUMNS, read_log_sheet
from crm_tui.services.restrictions.readiness import DecisionPreview
from crm_tui.ui.app import CrmApp
from crm_tui.ui.dialogs.decision import DecisionDialog
from crm_tui.ui.dialogs.fields import Field, FieldsDialog
from crm_tui.ui.dialogs.path_prompt import PathDialog
from crm_tui.ui.dialogs.ticks import tag_dialog
from crm_tui.ui.field_keys import FieldKeysInTurn
from tests.ui.keys import settle

SIZE = (140, 40)
TERMS = DecisionTerms(starts_on=date(2026, 11, 28), ends_on=date(2027, 11, 27))


class Host(FieldKeysInTurn, App[None]):
    def __init__(self, dialog: Screen[Any]) -> None:
        super().__init__()
        self.dialog = dialog
        self.dialog_result: object = "open"

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self._on_dialog_closed)

    def _on_dialog_closed(self, result: object) -> None:
        self.dialog_result = result


def _decision(decided: list[tuple[Any, ...]],
              letter_made: threading.Event | None = None) -> DecisionDialog:
    def preview(terms: DecisionTerms, reason: str, against: str, told: str) -> DecisionPreview:
        if letter_made is not None:
            letter_made.wait(10)
        return DecisionPreview(Action.IMPOSE_RESTRICTIONS, f"Dear customer, {told}", [], {1: 1})

    def decide(*args: Any) -> str:
        decided.append(args)
        return "decided"

    return DecisionDialog("Decide", TERMS, decide, preview)


async def test_enter_and_quick_tabs_move_field_by_field(db: Path) -> None:
    open_database(db)
    dialog = _decision([])
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.focused is dialog.query_one("#starts_on")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is dialog.query_one("#ends_on")
        # Two Tabs in a row, the second before the first has landed: two fields on.
        dialog.action_next_field()
        dialog.action_next_field()
        await pilot.pause()
        assert app.focused is dialog.query_one("#review_period_reason")
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused is dialog.query_one("#review_due")


async def test_keys_sent_in_one_burst_after_tab_act_in_order(db: Path) -> None:
    """Tab, End, ctrl+u and a date sent at once (tmux send-keys, a paste of keys): the field
    bindings ran after the letters had been typed, and the field was left empty."""
    assert issubclass(CrmApp, FieldKeysInTurn)
    open_database(db)
    dialog = _decision([])
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.focused is dialog.query_one("#starts_on")
        for key in ["tab", "end", "ctrl+u", *"4/12/2027", "left", "backspace"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(pilot)
        field = dialog.query_one("#ends_on", Input)
        assert app.focused is field
        assert field.value == "4/12/207"


async def test_enter_in_a_short_form_moves_on_and_never_saves() -> None:
    sent: list[dict[str, str]] = []
    dialog = FieldsDialog("Dates", "", [Field("start", "From"), Field("end", "To")],
                          sent.append, save="Record the period")
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is dialog.query_one("#end")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is dialog.query_one("#start") and not sent


async def test_ctrl_s_in_the_decision_form_waits_for_the_letter_then_decides(
        db: Path) -> None:
    open_database(db)
    decided: list[tuple[Any, ...]] = []
    letter_made = threading.Event()
    dialog = _decision(decided, letter_made)
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        letter_made.set()
        await settle(pilot)
        letter_made.clear()  # from here the letter takes its time
        dialog.query_one("#reason", TextArea).text = "The record"
        dialog.query_one("#customer_reason", TextArea).text = "You wrote 40 times."
        await pilot.press("ctrl+s")  # the letter has not caught up yet
        await pilot.pause()
        assert "Waiting for the letter" in str(dialog.query_one("#form-error").render())
        assert not decided
        letter_made.set()
        await settle(pilot)
        assert app.dialog_result == "decided"
        assert decided[0][4] == "You wrote 40 times."


def footer_keys(dialog: Screen[Any]) -> str:
    return " ".join(str(k.render()) for k in dialog.query("FooterKey"))


async def test_every_save_key_says_what_it_does_and_space_is_told_once() -> None:
    dialog = FieldsDialog("Record an appeal", "", [Field("received_on", "Received on")],
                          lambda values: None, save="Record the appeal")
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keys = footer_keys(dialog)
        assert "Record the appeal" in keys and "Save" not in keys.split()
    ticks = tag_dialog("Behaviour shown", (), lambda chosen: None)
    app = Host(ticks)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keys = footer_keys(ticks)
        assert "Keep the behaviours ticked" in keys and "Tick or untick" in keys
        shown = " ".join(str(s.render()) for s in ticks.query("Static")
                         if "FooterKey" not in type(s).__name__)
        assert "space" not in shown.lower().replace("tick or untick", "")


async def test_the_import_dialog_lists_every_problem_of_a_log_sheet(db: Path,
                                                                    tmp_path: Path) -> None:
    open_database(db)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(",".join(CSV_COLUMNS) + "\n" + "".join(
        f"{day}/10/2026 09:10,pigeon,inbound,H,A,5,ok,\n" for day in (1, 2, 3)))
    dialog = PathDialog("Import a log sheet", "", read_log_sheet, go="Import the log sheet")
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Import the log sheet" in footer_keys(dialog)
        await pilot.press(*str(sheet), "enter")
        await settle(pilot)
        said = " ".join(str(dialog.query_one("#error").render()).split())
        assert "3 problems; nothing was imported" in said
        assert all(f"line {n}, channel" in said for n in (2, 3, 4))
        # ctrl+s, as in every other dialog, does what Enter does (round 7)
        dialog.query_one("#error", Static).update("")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "3 problems" in str(dialog.query_one("#error").render())


async def test_the_passphrase_prompt_names_who_acts_and_what(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from crm_tui.domain.roles import Actor, Role
    from crm_tui.services.core.passphrases import PassphraseNeeded
    from crm_tui.ui.confirm import confirmed
    from crm_tui.ui.dialogs.passphrase import PassphraseDialog

    monkeypatch.setattr("crm_tui.ui.confirm.demo_user", lambda: None)  # no database here
    asked: list[int] = []

    def step() -> str:
        if not asked:
            asked.append(1)
            raise PassphraseNeeded("your passphrase confirms the decision")
        return "done"

    class Acting(App[None]):
        def on_mount(self) -> None:
            actor = Actor(1, "ceri.hughes", "Ceri Hughes", Role.CRM)
            self.run_worker(lambda: confirmed(
                self, actor, step, "Decide to restrict on UPV-2026-0001, as Ceri Hughes, "
                "Complaints Resolution Manager?"), thread=True, exit_on_error=False)

    app = Acting()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if isinstance(app.screen, PassphraseDialog):
                break
        assert isinstance(app.screen, PassphraseDialog)
        said = str(app.screen.query_one("#pass-what").render())
        assert " ".join(said.split()) == ("Decide to restrict on UPV-2026-0001, as Ceri Hughes, "
                                          "Complaints Resolution Manager?"), said
        await pilot.press("escape")
        await app.workers.wait_for_complete()


def test_a_signed_letters_path_breaks_at_its_folders_not_mid_word() -> None:
    from crm_tui.ui.text import path_lines

    path = Path("/home/ceri.hughes/Documents/Complaints Resolution/letters/UPV-2026-0001/"
                "decision-UPV-2026-0001-2026-11-28.pdf")
    lines = path_lines(path, width=30).split("\n")
    assert lines[-1] == "File: decision-UPV-2026-0001-2026-11-28.pdf"
    assert lines[0].startswith("Folder: /home/")
    folder = "".join(line.removeprefix("Folder: ").strip() for line in lines[:-1])
    assert folder == str(path.parent) + "/"
    assert all(line.rstrip().endswith("/") for line in lines[:-1])


async def test_a_long_label_wraps_at_words_inside_the_dialog() -> None:
    words = ("The number the customer rings in these times, which the letter gives them "
             "together with the days and the windows when calls are taken")
    dialog = FieldsDialog("T", "", [Field("number", words)], lambda values: None,
                          save="Keep it")
    app = Host(dialog)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        label = next(lab for lab in dialog.query("Label") if words in str(lab.render()))
        box = dialog.query_one("VerticalScroll")
        assert label.region.height >= 2
        assert label.region.right <= box.content_region.right


def test_the_appeal_dialog_offers_each_outcome_by_its_one_label() -> None:
    from crm_tui.domain.outcomes import AppealOutcome
    from crm_tui.ui.dialogs.appeal import OUTCOMES

    assert all(OUTCOMES[o].startswith(o.label) for o in AppealOutcome)


async def test_a_passphrase_typed_and_confirmed_in_one_burst_is_whole() -> None:
    """The passphrase and Enter sent at once (tmux send-keys, a fast typist on a busy machine):
    the dialog's Enter, a priority binding, ran before the field had typed the letters queued
    to it, and the step was refused with a passphrase cut short."""
    from crm_tui.ui.dialogs.passphrase import PassphraseDialog

    dialog = PassphraseDialog("Your passphrase is needed", title="Confirm with your passphrase")
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in [*"northmere-demo", "enter"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(pilot)
        assert app.dialog_result == "northmere-demo"


async def test_words_and_ctrl_s_in_one_burst_save_every_word(db: Path) -> None:
    """The same for a note typed in a many-line field and saved with ctrl+s at once."""
    open_database(db)  # the dialog saves in a session: alone, with no database, it never did
    from crm_tui.ui.dialogs.text_prompt import TextPromptDialog

    sent: list[tuple[str, bool]] = []
    dialog = TextPromptDialog("Note", "Why", lambda text, flag: sent.append((text, flag)),
                              confirm="Keep the note")
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, TextArea)
        for key in [*"A weekly call", "ctrl+s"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(pilot)
        assert sent == [("A weekly call", False)]


async def test_keys_in_a_burst_act_in_order_in_a_many_line_field() -> None:
    """A TextArea's own keys (Home, End…) met the letters typed after them first."""
    from crm_tui.ui.dialogs.text_prompt import TextPromptDialog

    dialog = TextPromptDialog("Note", "Why", lambda text, flag: None, confirm="Keep the note")
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in [*"weekly", "home", *"A ", "end", *" call"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(pilot)
        assert dialog.query_one(TextArea).text == "A weekly call"


def _burst(app: App[Any], *keys: str) -> None:
    for key in keys:
        app.post_message(events.Key(key, " " if key == "space" else
                                    key if len(key) == 1 else None))


async def test_down_and_enter_in_one_burst_choose_the_item_moved_to() -> None:
    """`Down Enter` at once in a pick list chose the first item: the dialog's Enter, a
    priority binding, ran before the list's Down."""
    from crm_tui.ui.dialogs.choose import ChooseDialog

    dialog = ChooseDialog("Which restriction?", [("one", "One"), ("two", "Two"),
                                                 ("three", "Three")])
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        _burst(app, "down", "down", "enter")
        await settle(pilot)
        assert app.dialog_result == "three"


async def test_ticks_and_save_in_one_burst_keep_every_tick(db: Path) -> None:
    """`space ctrl+s` at once saved before the tick; `down space` ticked nothing."""
    open_database(db)  # the dialog saves in a session: alone, with no database, it never did
    from crm_tui.ui.dialogs.ticks import TickDialog

    saved: list[tuple[str, ...]] = []
    dialog = TickDialog("Behaviour", [("One", "one", False), ("Two", "two", False),
                                      ("Three", "three", False)], saved.append,
                        save="Keep the ticks")
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        _burst(app, "space", "down", "down", "space", "ctrl+s")
        await settle(pilot)
        assert saved == [("one", "three")]


async def test_a_choice_and_save_in_one_burst_in_a_radio_set() -> None:
    from textual.app import ComposeResult
    from textual.widgets import RadioButton, RadioSet

    from crm_tui.ui.dialogs.base import FormDialog

    class Outcome(FormDialog):
        def compose(self) -> ComposeResult:
            with RadioSet(id="outcome"):
                yield RadioButton("Filed")
                yield RadioButton("New matter")

        def action_save(self) -> None:
            self.dismiss(self.query_one(RadioSet).pressed_index)

    dialog = Outcome()
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, RadioSet)
        _burst(app, "down", "space", "ctrl+s")
        await settle(pilot)
        assert app.dialog_result == 1


async def test_a_refused_fields_problem_is_scrolled_into_sight(db: Path) -> None:
    """At 100x30 the decision form's last field turned red on ctrl+s while the words saying
    why stayed below the dialog's visible part."""
    open_database(db)
    dialog = _decision([])
    app = Host(dialog)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        dialog.query_one("#reason", TextArea).text = "The record"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.pause()
        label = dialog.query_one("#customer_reason-error")
        assert label.display and str(label.render())
        widget_at, _ = app.screen.get_widget_at(label.region.x + 1, label.region.y)
        assert widget_at is label and label.region.bottom <= 30


async def test_escape_asks_before_throwing_away_a_path_typed() -> None:
    """Round 8: Esc in the file-path dialog threw a typed path away without asking."""
    from crm_tui.ui.dialogs.ask import AskDialog

    dialog = PathDialog("Import a log sheet", "", lambda path: None, go="Import the log sheet")
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"/tmp/sheet.csv")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AskDialog)
        assert "Discard the path you typed?" in str(app.screen.query_one("#ask-question").render())
        await pilot.press("escape")  # no: keep editing
        await settle(pilot)
        assert app.screen is dialog and dialog.query_one("#path", Input).value == "/tmp/sheet.csv"
        dialog.query_one("#path", Input).value = ""
        await pilot.press("escape")  # nothing typed: closes at once
        await settle(pilot)
        assert app.screen is not dialog and not isinstance(app.screen, AskDialog)
