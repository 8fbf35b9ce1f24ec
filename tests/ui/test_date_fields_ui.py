"""A field for a day takes no more than a day needs, and a refused date is quoted cut, never
whole (b15a F4: 5,500 characters pasted into an appeal's "Received on" were taken, and quoted
whole in an error of some 60 lines that pushed the rest of the form out of sight)."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input

from crm_tui.db.models import Appeal
from crm_tui.domain.typed_dates import DATE_SHOWN, parse_date, parse_time
from crm_tui.services.evidence.log_sheet_csv import parse_when
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs import consultation, decision, log_contact
from crm_tui.ui.dialogs.fields import FieldsDialog
from crm_tui.ui.forms import DATE_LENGTH, DateCheck
from crm_tui.ui.screens import referral_form
from tests.ui.keys import settle
from tests.ui.test_appeals_ui import UNDER_REVIEW, case_file

SIZE = (100, 30)
# What b15a pasted: an appeal's grounds, written in the date field by mistake.
GROUNDS = ("The decision is unfair [bold]because[/bold] I only called about the gutter, "
           "which the council has not repaired in three years. ") * 40 + "Please look again."


async def test_a_date_field_takes_no_more_than_a_day_needs(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await case_file(pilot, app, UNDER_REVIEW)
        before = Appeal.select().count()
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, FieldsDialog)
        received = app.screen.query_one("#received_on", Input)
        assert app.focused is received
        await pilot.press("home", "ctrl+k")
        received.post_message(events.Paste(GROUNDS))  # the whole paste: refused, not taken
        await settle(pilot)
        assert received.value == ""
        await pilot.press(*GROUNDS[:80])  # typed: the field stops taking keys at its cap
        await pilot.press("tab")
        await settle(pilot)
        assert received.value == GROUNDS[:DATE_LENGTH]
        said = str(app.screen.query_one("#received_on-error").render())
        assert said == f'"{GROUNDS[:DATE_LENGTH]}" is not a date: type it as dd/mm/yyyy', said
        assert Appeal.select().count() == before


def test_every_forms_date_fields_are_capped() -> None:
    """The fields the forms read as days carry the date check that caps them."""
    for checks, ids in (
            (decision.CHECKS, ("starts_on", "ends_on", "review_due")),
            (log_contact.CHECKS, ("when",)),
            (consultation.CHECKS, ("consulted_on", "proposed_end")),
            (referral_form.CHECKS, ("received-on", "written-on", "monitoring-start",
                                    "monitoring-end"))):
        for widget_id in ids:
            assert isinstance(checks[widget_id], DateCheck), widget_id


def test_a_long_refused_date_is_quoted_cut_and_counted() -> None:
    """Where no field caps it (a command's option, a log sheet's cell), the quote is cut."""
    for read in (parse_date, parse_time, parse_when):
        try:
            read(GROUNDS)
        except ValueError as exc:
            said = str(exc)
        else:
            raise AssertionError(f"{read.__name__} read a letter as a day")
        assert said.startswith(f'"{GROUNDS[:DATE_SHOWN]}…" ({len(GROUNDS):,} characters) is '
                               "not a date"), said
        assert len(said) < 200
