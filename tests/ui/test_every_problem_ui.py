"""One save shows every problem of a form, each at its field, dates as they were typed: the
checks a service would make on a date (in the future, before the decision appealed against),
on a restriction's ways of contact and on how a view was given are made with the others."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from textual.widgets import Input, Select, SelectionList

from crm_tui.db.models import Appeal
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.consultation import ConsultationDialog
from crm_tui.ui.dialogs.fields import FieldsDialog
from crm_tui.ui.dialogs.restriction_form import RestrictionFormDialog
from crm_tui.ui.screens.case_file import CaseFileScreen
from tests.ui.dialog_host import Host
from tests.ui.keys import burst, settle

SIZE = (140, 40)
UNDER_REVIEW = "UPV-2025-0003"  # restricted, an extension proposed: an appeal can be recorded


def text_of(app: CrmApp, selector: str) -> str:
    return " ".join(str(app.screen.query_one(selector).render()).split())


async def test_the_appeal_form_shows_its_date_and_grounds_problems_together(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = Appeal.select().count()
        app.push_screen(CaseFileScreen(UNDER_REVIEW))
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, FieldsDialog)
        app.screen.query_one("#received_on", Input).value = "30/11/2026"  # two days ahead
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "\"30/11/2026\" is in the future" in text_of(app, "#received_on-error")
        assert "Give the customer's grounds" in text_of(app, "#grounds-error")
        # Found when tried: 2026-13-01 typed was said back as "01/13/2026".
        for received, problem in (("01/01/2020", "is before the decision appealed against"),
                                  ("31/02/2026", "is not a date: type it as dd/mm/yyyy"),
                                  ("2026-13-01", "is not a date: type it as dd/mm/yyyy")):
            app.screen.query_one("#received_on", Input).value = received
            await settle(pilot)
            assert f"\"{received}\" {problem}" in text_of(app, "#received_on-error")
        app.screen.query_one("#received_on", Input).value = "31/02/2026"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FieldsDialog)
        assert Appeal.select().count() == before


async def test_the_appeal_form_names_the_decisions_day_one_way(db: Path) -> None:
    """Round 10: the decision's day was quoted "05/12/2026", then "5/12/2026" (as the same
    day was typed in the grounds). A day nobody typed is said in prose, everywhere."""
    import re

    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen(UNDER_REVIEW))
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, FieldsDialog)
        found = re.search(r"the decision of (\d{1,2}) (\w{3}) (\d{4}) by",
                          text_of(app, "#fields-title"))
        assert found is not None, text_of(app, "#fields-title")
        prose = " ".join(found.groups())
        day = datetime.strptime(prose, "%d %b %Y")
        app.screen.query_one("#grounds").focus()
        await burst(pilot, *f"The decision of {day.day}/{day.month}/{day.year} was unfair")
        app.screen.query_one("#received_on", Input).value = "01/01/2020"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert (f"\"01/01/2020\" is before the decision appealed against ({prose})"
                in text_of(app, "#received_on-error")), text_of(app, "#received_on-error")


async def test_the_restriction_form_says_a_way_of_contact_must_stay_open_with_the_rest(
        ) -> None:
    sent: list[Any] = []
    dialog = RestrictionFormDialog("UPV-2026-0001", RestrictionKind.FORM_OF_CONTACT, [], [],
                                   None, sent.append)
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog.query_one("#channels", SelectionList).deselect_all()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Leave at least one way of contact open" in text_of(app, "#channels-error")
        assert "Say why it is proportionate" in text_of(app, "#proportionality-error")
        assert app.focused is dialog.query_one("#channels")  # the first problem, top down
        dialog.query_one("#channels", SelectionList).select("letter")
        await pilot.pause()
        assert not text_of(app, "#channels-error")
        assert not sent


async def test_the_consultation_form_asks_how_the_view_was_given_with_the_rest() -> None:
    sent: list[Any] = []
    dialog = ConsultationDialog("UPV-2026-0001", [("priya.raman", "Priya Raman")],
                                sent.append)
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog.query_one("#consulted_on", Input).value = "29/11/2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Say how the Head of Service gave their view" in text_of(app, "#method-error")
        assert "Write the view" in text_of(app, "#view_text-error")
        assert "\"29/11/2026\" is in the future" in text_of(app, "#consulted_on-error")
        dialog.query_one("#method", Select).value = "email"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not text_of(app, "#method-error")
        assert "Attach the Head of Service's email" in text_of(app,
                                                               "#evidence_document-error")
        assert not sent


async def test_the_contact_form_says_a_time_to_come_with_the_rest() -> None:
    from crm_tui.ui.dialogs.log_contact import LogContactDialog

    dialog = LogContactDialog("UPV-2026-0001", ("Housing Services",))
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog.query_one("#when", Input).value = "28/11/2026 10:30"  # half an hour on
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "\"28/11/2026 10:30\" is in the future" in text_of(app, "#when-error")
        assert "Name the officer" in text_of(app, "#officer-error")
        assert "Say what the contact was about" in text_of(app, "#summary-error")
        assert app.focused is dialog.query_one("#when")


async def test_a_day_that_must_still_come_is_checked_with_the_rest() -> None:
    from crm_tui.ui.dialogs.fields import Field
    from crm_tui.ui.forms import a_date, required

    sent: list[Any] = []
    dialog = FieldsDialog("Propose", "", [
        Field("reason", "Reasons", check=required("Say why more is proposed")),
        Field("reply_by", "Comments by", "28/11/2026", a_date("Type a day", to_come=True))],
        sent.append, save="Propose it to the customer")
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Say why more is proposed" in text_of(app, "#reason-error")
        assert "\"28/11/2026\" is not after today" in text_of(app, "#reply_by-error")
        assert not sent


async def test_a_time_to_come_is_quoted_as_typed() -> None:
    from crm_tui.ui.dialogs.log_contact import LogContactDialog

    dialog = LogContactDialog("UPV-2026-0001", ("Housing Services",))
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog.query_one("#when", Input).value = "3/12/2026 9:30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "\"3/12/2026 9:30\" is in the future" in text_of(app, "#when-error")
        assert "03/12/2026" not in text_of(app, "#when-error")


async def test_a_view_that_is_no_view_is_said_at_its_field_with_the_rest() -> None:
    """Round 11: "n/a" as the view, 30/02/2027 as the day and no way given: one save showed
    the date and the way only; the next showed the "n/a" refusal above the form, where it
    stayed once put right. Now every problem at once, each at its field, cleared when fixed."""
    from textual.widgets import TextArea

    sent: list[Any] = []
    dialog = ConsultationDialog("UPV-2026-0001", [("priya.raman", "Priya Raman")],
                                sent.append)
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog.query_one("#view_text", TextArea).text = "n/a"
        dialog.query_one("#consulted_on", Input).value = "30/02/2027"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "n/a" in text_of(app, "#view_text-error")
        assert "\"30/02/2027\" is not a date" in text_of(app, "#consulted_on-error")
        assert "Say how the Head of Service gave their view" in text_of(app, "#method-error")
        assert not text_of(app, "#form-error")
        dialog.query_one("#consulted_on", Input).value = "27/11/2026"
        dialog.query_one("#method", Select).value = "meeting"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "n/a" in text_of(app, "#view_text-error") and not text_of(app, "#form-error")
        dialog.query_one("#view_text", TextArea).text = "Agree: the restrictions are needed"
        await pilot.pause()
        assert not text_of(app, "#view_text-error") and not text_of(app, "#form-error")
        assert dialog.problems() == {}


async def test_the_heads_own_view_says_the_proposed_end_with_the_rest() -> None:
    """Round 12, 2a: as the Head of Service, a view in the future, no words and an end already
    past told the end's problem only on the next save, and not as the date was typed."""
    from datetime import date

    sent: list[Any] = []
    dialog = ConsultationDialog("UPV-2026-0005", None, sent.append,
                                proposed_end=date(2028, 11, 28))
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog.query_one("#consulted_on", Input).value = "29/11/2026"
        dialog.query_one("#proposed_end", Input).value = "1/1/2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Write the view" in text_of(app, "#view_text-error")
        assert "\"29/11/2026\" is in the future" in text_of(app, "#consulted_on-error")
        assert "\"1/1/2026\" is not after today" in text_of(app, "#proposed_end-error")
        dialog.query_one("#proposed_end", Input).value = "1/1/2028"
        await pilot.pause()
        assert not text_of(app, "#proposed_end-error")
        assert not sent


async def test_the_proposal_says_its_dates_with_the_blank_reasons() -> None:
    """Round 12, 2b: comments by a past day, an end before it and no reasons showed three
    problems; the end's ("must be after the date for comments") only on the next save."""
    from crm_tui.ui.dialogs.fields import Field
    from crm_tui.ui.forms import a_date, required
    from crm_tui.ui.screens.review_session import _invitation_dates

    sent: list[Any] = []
    dialog = FieldsDialog("Propose", "Help", [
        Field("reason", "The reasons", check=required("Say why")),
        Field("reply_by", "Comments by", "27/11/2026", a_date("Type it", to_come=True)),
        Field("ends_on", "End", "1/1/2026", a_date("Type the end"))],
        sent.append, save="Propose", across=_invitation_dates)
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Say why" in text_of(app, "#reason-error")
        assert "\"27/11/2026\" is not after today" in text_of(app, "#reply_by-error")
        assert "after the date for comments" in text_of(app, "#ends_on-error")
        assert not sent
