"""The forms that feed letters, by keys: the team's direct details, how the customer is
written to, the single point of contact chosen from the users, and the signer's edits to a
prepared letter. Each refuses at its field first and stores nothing; then saves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from crm_tui.db.models import AuditEntry, Case, Customer, Letter, LocalResolution, User
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.fields import FieldsDialog
from crm_tui.ui.dialogs.letter_edit import LetterEditDialog
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.screens.team import TeamScreen
from crm_tui.ui.widgets.fitted_table import FittedTable
from tests.ui.keys import burst, on_top, settle

SIZE = (140, 40)
IN_LOCAL_RESOLUTION = "UPV-2026-0010"


def text_of(app: CrmApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def retype(pilot: Pilot[Any], widget_id: str, text: str) -> None:
    """Clear a field and type into it, as a person would."""
    widget = pilot.app.screen.query_one(f"#{widget_id}")
    if isinstance(widget, Input):
        widget.value = ""
    elif isinstance(widget, TextArea):
        widget.text = ""
    widget.focus()
    await burst(pilot, *text)


async def save_address(pilot: Pilot[Any], address: str, postcode: str) -> None:
    """Type an address and a postcode over the form's, then ctrl+s."""
    await retype(pilot, "address", address)
    await retype(pilot, "postcode", postcode)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def open_address_dialog(pilot: Pilot[Any], reference: str) -> None:
    """The case file of `reference`, then H: the customer's address and contact form."""
    await settle(pilot)
    pilot.app.push_screen(CaseFileScreen(reference))
    await settle(pilot)
    await pilot.press("H")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FieldsDialog)


async def test_the_administrator_records_a_persons_direct_details(db: Path) -> None:
    app = create_app(str(db), "morgan.price")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, TeamScreen())
        table = screen.query_one(FittedTable)
        index = next(i for i, u in enumerate(screen.rows) if u.login == "tomasz.nowak")
        table.move_cursor(row=index)
        await pilot.press("T")
        await settle(pilot)
        assert isinstance(app.screen, FieldsDialog)
        assert app.screen.query_one("#telephone", Input).value == "01632 960412"
        await retype(pilot, "telephone", "12345")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "not a UK telephone number" in text_of(app, "#telephone-error")
        assert User.get(User.login == "tomasz.nowak").telephone == "01632 960412"
        await retype(pilot, "telephone", "+44 1632 960777")
        await retype(pilot, "email", "t.nowak@northmere.example.gov.uk")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        tomasz = User.get(User.login == "tomasz.nowak")
        assert (tomasz.telephone, tomasz.email) == ("01632 960777",
                                                    "t.nowak@northmere.example.gov.uk")
        assert "01632 960777" in [str(c) for c in table.row_cells(index)]


async def test_how_the_customer_is_written_to_from_the_case_file(db: Path) -> None:
    ref = "UPV-2026-0001"  # Mr Thaddeus Penhaligon
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen(ref))
        await settle(pilot)
        assert "addressed by title and surname" in text_of(app, "#customer")
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, FieldsDialog)
        await retype(pilot, "form_of_address", "Mr Penhaligon")
        await retype(pilot, "language", "Cornish")
        await retype(pilot, "large_print_pt", "40")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "12 to 24 points" in text_of(app, "#large_print_pt-error")
        customer = Customer.get(Customer.name == "Mr Thaddeus Penhaligon")
        assert customer.form_of_address == "" and customer.large_print_pt is None
        await retype(pilot, "large_print_pt", "16")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        shown = " ".join(text_of(app, "#customer").split())
        assert "addressed as Mr Penhaligon; interpreter or translation in Cornish; large " \
               "print 16 pt" in shown
        customer = Customer.get_by_id(customer.id)
        assert (customer.form_of_address, customer.language, customer.large_print_pt) == \
            ("Mr Penhaligon", "Cornish", 16)
        assert AuditEntry.select().where(
            (AuditEntry.action == "set_customer_details")
            & (AuditEntry.case_reference == ref)).exists()


async def test_the_signer_edits_a_prepared_letter_and_the_checker_runs_again(
        db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseLettersScreen(IN_LOCAL_RESOLUTION))
        await settle(pilot)
        await pilot.press("e")  # nothing prepared yet
        await settle(pilot)
        assert isinstance(app.screen, CaseLettersScreen)
        assert any("Nothing to edit yet" in str(n.message) for n in app._notifications)
        await pilot.press("p", "e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, LetterEditDialog)
        assert "The checker finds nothing missing" in text_of(app, "#edit-checks")
        lr = LocalResolution.select().join(Case).where(
            Case.reference == IN_LOCAL_RESOLUTION).get()
        key = f"local_resolution:{lr.id}:customer_summary"
        assert dialog.query_one("#edit-text", TextArea).text == lr.customer_summary
        await retype(pilot, "edit-text", "The customer calls too often")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "third person" in text_of(app, "#edit-text-error")
        letter = Letter.get((Letter.case == lr.case_id) & (Letter.status == "draft"))
        assert letter.edits == ""
        better = "You have called us most days about the same repair. We want to help."
        await retype(pilot, "edit-text", better)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert json.loads(Letter.get_by_id(letter.id).edits) == {key: better}
        assert "The checker finds" in text_of(app, "#edit-checks")
        assert LocalResolution.get_by_id(lr.id).customer_summary != better  # record unchanged
        entry = AuditEntry.select().where(AuditEntry.action == "edit_letter").get()
        assert better not in entry.payload
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CaseLettersScreen)


async def test_words_typed_before_the_late_choice_event_are_kept(db: Path) -> None:
    """Loading sets the paragraph chosen from code; its Changed event arrives later. Words typed
    in between stay, and no "the paragraph you left" warning is given (none was left)."""
    from textual.widgets import Select
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseLettersScreen(IN_LOCAL_RESOLUTION))
        await settle(pilot)
        await pilot.press("p", "e")  # `e` waits for the letter `p` prepares in a worker
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, LetterEditDialog)
        select = dialog.query_one("#edit-field", Select)
        await retype(pilot, "edit-text", "You call us most days.")
        select.post_message(Select.Changed(select, select.value))  # as the load's event, late
        await settle(pilot)
        assert dialog.query_one("#edit-text", TextArea).text == "You call us most days."
        notices = [str(n.render()) for n in dialog.query("#dialog-notice")]
        assert not any("paragraph you left" in text for text in notices)


async def test_an_officer_reads_the_prepared_letter_but_may_not_edit_it(db: Path) -> None:
    """v15d N1: `e` opened the whole editor for someone who may not sign, and refused only at
    its save. Now it says at once who signs (and so edits) the letter; the service refuses
    them too."""
    from crm_tui.domain.errors import PermissionDenied
    from crm_tui.services.core.database import session
    from crm_tui.services.letters import editing

    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseLettersScreen(IN_LOCAL_RESOLUTION))
        await settle(pilot)
        await pilot.press("p", "e")
        await settle(pilot)
        assert isinstance(app.screen, CaseLettersScreen)  # no editor opened
        said = str(list(app._notifications)[-1].message)
        assert "may not sign a letter of this kind" in said and "may edit it" in said, said
        with session():
            letter = Letter.get(Letter.status == "draft")
            [field] = editing.view(app.actor, letter.id).fields[:1]
            with pytest.raises(PermissionDenied, match="may not sign a letter of this kind"):
                editing.edit(app.actor, letter.id, field.key,
                             "You have called us most days about the same repair.")
            assert Letter.get_by_id(letter.id).edits == ""


async def test_local_resolution_asks_what_the_customer_is_told_and_who_their_contact_is(
        db: Path) -> None:
    from crm_tui.ui.screens.inbox import InboxScreen
    from tests.ui.test_inbox import choose, fill_referral, open_referral_form

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        cases = Case.select().count()
        await open_referral_form(pilot)
        await fill_referral(pilot)
        await retype(pilot, "customer-summary", "The customer rings ten times a day")
        await choose(pilot, "spoc", "Hannah Okafor")
        await choose(pilot, "frequency", "Every two weeks")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "third person" in text_of(app, "#customer-summary-error")
        assert Case.select().count() == cases
        await retype(pilot, "customer-summary", "You ring the repairs line ten times a day.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        lr = LocalResolution.select().order_by(LocalResolution.id.desc()).get()
        assert (lr.spoc.login, lr.spoc_name, lr.contact_frequency, lr.customer_summary) == (
            "hannah.okafor", "Hannah Okafor", "fortnightly",
            "You ring the repairs line ten times a day.")


async def test_a_referral_typed_top_down_keeps_the_name_and_warns_of_no_address(
        db: Path) -> None:
    from crm_tui.ui.screens.inbox import InboxScreen
    from tests.ui.test_inbox import fill_referral, open_referral_form

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await open_referral_form(pilot)
        await pilot.press(*"Mr Testy Breakwell")
        assert app.screen.query_one("#name", Input).value == "Mr Testy Breakwell"
        await fill_referral(pilot)
        app.screen.query_one("#address", TextArea).text = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)  # saved: a warning, not a refusal
        for _ in range(500):  # the app takes the notifications from its queue, one by one
            said = [(n.title, n.message) for n in app._notifications]
            if any(title == "No postal address" for title, _ in said):
                break
            await pilot.pause(0.02)
        assert any(title == "No postal address" for title, _ in said), said


async def test_the_no_address_warning_stays_when_the_app_reads_it_before_the_form_closes(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each delivery from the save's thread is handled, and the app left to take up what it
    posted (the warning's notification), before the next: the order a loaded machine gave
    once in a clean run, when the warning went with the form as it closed."""
    import time

    from crm_tui.ui.screens import referral_form
    from crm_tui.ui.screens.inbox import InboxScreen
    from tests.ui.test_inbox import fill_referral, open_referral_form

    def one_at_a_time(target: Any, callback: Any, *args: Any) -> None:
        target.app.call_from_thread(callback, *args)
        time.sleep(0.3)

    monkeypatch.setattr(referral_form, "deliver", one_at_a_time)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await open_referral_form(pilot)
        await fill_referral(pilot)
        app.screen.query_one("#address", TextArea).text = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.pause(0.3)
        assert isinstance(app.screen, InboxScreen)
        said = [n.title for n in app._notifications]
        assert "No postal address" in said, said


async def test_the_customers_postal_address_is_recorded_from_the_case_file(db: Path) -> None:
    ref = "UPV-2026-0001"
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await open_address_dialog(pilot, ref)
        await save_address(pilot, "3 Quay Street, Falmouth", "tr11 3aa")
        assert isinstance(app.screen, CaseFileScreen)
        assert "3 Quay Street, Falmouth, TR11 3AA" in " ".join(
            text_of(app, "#customer").split())
        # Round 10: the toast names what was done, not "Recorded".
        said = [str(n.message) for n in app._notifications]
        assert "The customer's address and contact details recorded" in said, said
        customer = Customer.get(Customer.name == "Mr Thaddeus Penhaligon")
        assert (customer.address, customer.postcode) == ("3 Quay Street\nFalmouth", "TR11 3AA")


async def test_a_question_mark_is_refused_as_the_postal_address(db: Path) -> None:
    """v15j Q1: H opens with the address selected; "?" typed over it was saved as the address."""
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await open_address_dialog(pilot, "UPV-2026-0001")
        await pilot.press("question_mark", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FieldsDialog)
        assert "has no letter or number" in text_of(app, "#address-error")


async def test_the_referral_forms_address_problems_come_with_the_rest_at_the_first_save(
        db: Path) -> None:
    """v15k V3: a name, "?" as the address and the postcode, ctrl+s: every other problem was
    shown at its field, the address's only at a second ctrl+s once the rest were put right."""
    from crm_tui.ui.screens.referral_form import ReferralFormScreen
    from tests.ui.test_inbox import open_referral_form

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await open_referral_form(pilot)
        await retype(pilot, "name", "Mr Rufus Quennell")
        await retype(pilot, "address", "?")
        await retype(pilot, "postcode", "?")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReferralFormScreen)
        assert "no letter or number" in text_of(app, "#address-error").lower()
        assert "not a postcode" in text_of(app, "#postcode-error")
        assert text_of(app, "#details-error").strip()  # the rest, in the same round
        assert not Customer.select().where(Customer.name == "Mr Rufus Quennell").exists()
        customer = Customer.get(Customer.name == "Mr Thaddeus Penhaligon")
        assert customer.address != "?"


async def test_edit_typed_with_prepare_waits_for_the_letter(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Round 8: `p e` at once, while the letter was still being prepared in its worker, was
    answered "Prepare the letter first (p)". The keys after `p` wait for it."""
    import time

    from textual import events

    from crm_tui.services.letters import issuing

    prepare = issuing.prepare

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.4)  # a loaded machine
        return prepare(*args, **kwargs)

    monkeypatch.setattr(issuing, "prepare", slow)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseLettersScreen(IN_LOCAL_RESOLUTION))
        await settle(pilot)
        for key in ("p", "e"):
            app.post_message(events.Key(key, key))
        for _ in range(3):
            await settle(pilot)
        assert isinstance(app.screen, LetterEditDialog)
