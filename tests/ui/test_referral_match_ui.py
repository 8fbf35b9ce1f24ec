"""The referral form (`n`) never records a second customer for a person on record without
asking: the likely match is shown before saving, and the user says, by keys, whether it is
the same person or a different one (found when tried, b16f F6)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static

from crm_tui.db.models import AuditEntry, Case, Customer
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.choose import ChooseDialog
from crm_tui.ui.dialogs.path_prompt import PathDialog
from crm_tui.ui.screens.inbox import InboxScreen
from crm_tui.ui.screens.referral_form import ReferralFormScreen
from tests.ui.keys import press_settled, settle
from tests.ui.test_inbox import SIZE, fill_referral, type_into

NAME = "Mr Rufus Quennell [bold]"  # as fill_referral types it


async def _refer_again(pilot: Pilot[Any]) -> None:
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReferralFormScreen)
    await fill_referral(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot)


def _referral_entry(customer: Customer) -> dict[str, Any]:
    case = Case.select().where(Case.customer == customer).order_by(Case.id.desc()).get()
    entry = AuditEntry.get((AuditEntry.case_reference == case.reference)
                           & (AuditEntry.action == "record_referral"))
    return dict(json.loads(entry.payload))


async def test_a_likely_match_is_shown_and_the_user_says_which_person(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _refer_again(pilot)  # the first: no one like them on record
        assert isinstance(app.screen, InboxScreen)
        [first] = Customer.select().where(Customer.name == NAME)
        cases = Case.select().count()

        await _refer_again(pilot)  # the same details again: asked, nothing saved yet
        dialog = app.screen
        assert isinstance(dialog, ChooseDialog)
        shown = [str(o.prompt) for o in dialog.query_one("OptionList").options]  # type: ignore[attr-defined]
        assert shown[0].startswith(f"The same person: use {first.reference} ")
        assert "7 Mill Row, NM2 4AB (same postcode and surname; case UPV-" in shown[0]
        assert shown[-1] == f"A different person: record {NAME} as a new customer"
        assert Case.select().count() == cases
        await pilot.press("escape")  # not answered: not saved, and said so
        await settle(pilot)
        assert isinstance(app.screen, ReferralFormScreen)
        assert "Not saved: say whether" in str(app.screen.query_one("#form-error").render())
        assert Case.select().count() == cases

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChooseDialog)
        # Nothing is chosen until an arrow is pressed (v15f N0: an Enter a moment after
        # ctrl+s filed a referral on another customer's record): Enter alone stays put.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChooseDialog)
        assert Case.select().count() == cases
        await pilot.press("down", "enter")  # the same person
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        assert Customer.select().where(Customer.name == NAME).count() == 1
        assert Case.select().where(Case.customer == first).count() == 2
        assert _referral_entry(first)["customer_match"] == {
            "said": "the same person", "customer": first.reference,
            "likely": [first.reference]}

        await _refer_again(pilot)
        assert isinstance(app.screen, ChooseDialog)
        await pilot.press("down", "down", "enter")  # a different person
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        second = Customer.select().where(Customer.name == NAME).order_by(
            Customer.id.desc()).get()
        assert second.id != first.id
        assert _referral_entry(second)["customer_match"] == {
            "said": "a different person", "likely": [first.reference]}


def _only_new_person(dialog: ChooseDialog, name: str) -> str:
    """What a manager is asked of a match of another area's customer: told who only as "a
    customer with a case in another service area", with no "same person" to choose (v16h
    H0: choosing it opened that customer's record to them). Returns all it says."""
    shown = [str(o.prompt) for o in dialog.query_one("OptionList").options]  # type: ignore[attr-defined]
    assert shown == [f"Record {name} as a new customer (the team can link them)"], shown
    told = " ".join([*shown, str(dialog.query_one(Static).render())])
    assert "a customer with a case in another service area (same postcode and surname). " \
        "Only the Complaints Resolution Team can link a referral to a customer of another " \
        "service area" in " ".join(told.split()), told
    return told


def _new_person_recorded(name: str, match: Customer) -> None:
    """Recorded as a new person, nothing joined to the other area's customer, and the
    match named in the audit entry for the team."""
    [new] = Customer.select().where((Customer.name == name) & (Customer.id != match.id))
    assert [c.service_area.name for c in Case.select().where(Case.customer == match)] == [
        "Council Tax and Benefits"]
    assert _referral_entry(new)["customer_match"] == {
        "said": "a different person", "likely": [match.reference],
        "other_areas_only": [match.reference]}


async def test_a_manager_cannot_link_a_referral_to_another_areas_customer(
        db: Path) -> None:
    """Hannah Okafor manages Housing Services; Mr Cattermole's only case is Council Tax and
    Benefits'. Her referral naming his surname and postcode is told of "a customer with a
    case in another service area", never who, and recorded as a new person: the team links
    them if they are one (v16h H0: "The same person" gave her his record and that area's
    contact log)."""
    cattermole = Customer.get(Customer.name == "Mr Oswin Cattermole")
    app = create_app(str(db), "hannah.okafor")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ReferralFormScreen)
        # Their own name and area are the form's only ones for them: already chosen.
        for field, text in (("name", "O Cattermole"), ("address", "3 Test Road"),
                            ("postcode", str(cattermole.postcode)),
                            ("details", "Rings the housing line ten times a day"),
                            ("written-on", "01/09/2026"),
                            ("written-summary", "Letter setting out our concerns"),
                            ("customer-summary", "You ring the housing line ten times a day."),
                            ("monitoring-start", "01/09/2026"),
                            ("monitoring-end", "01/11/2026")):
            await type_into(pilot, field, text)
        app.screen.query_one("#categories").focus()
        await pilot.press("down", "space")  # Excessive demands on time
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ChooseDialog), [
            type(dialog).__name__, *(" ".join(str(e.render()).split())
                                     for e in dialog.query(".field-error, #form-error")
                                     if e.display)]
        told = _only_new_person(dialog, "O Cattermole")
        for unseen in (cattermole.reference, "Oswin", "Saltmarsh", "UPV-2025-0005"):
            assert unseen not in told, (unseen, told)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        _new_person_recorded("O Cattermole", cattermole)


async def _import_asked(pilot: Pilot[Any], folder: Path, customer: dict[str, Any]
                        ) -> tuple[PathDialog, ChooseDialog]:
    """`I` on a folder holding one referral (Hannah Okafor's, no evidence) about `customer`,
    who is like a person on record: the import dialog, and the question it asks."""
    from tests.unit.services.intake.test_inbox_services import SAMPLE

    folder.mkdir()
    (folder / "referral.json").write_text(json.dumps({
        **SAMPLE, "referred_by": "hannah.okafor", "evidence": [], "customer": customer}),
        encoding="utf-8")
    await press_settled(pilot, "I")
    importing = pilot.app.screen
    assert isinstance(importing, PathDialog)
    importing.query_one("#path", Input).value = str(folder)
    await press_settled(pilot, "enter")
    asked = pilot.app.screen
    assert isinstance(asked, ChooseDialog), str(importing.query_one("#error").render())
    return importing, asked


async def test_a_managers_import_of_another_areas_customer_is_a_new_person(
        db: Path, tmp_path: Path) -> None:
    """`I` as Hannah Okafor on the re-tester's file (v16h H0): the same question, no "same
    person", and the customer's record and contacts stay Council Tax and Benefits' alone."""
    app = create_app(str(db), "hannah.okafor")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Read once the app has opened the database (a test before it on the worker may
        # have closed it).
        cattermole = Customer.get(Customer.name == "Mr Oswin Cattermole")
        _, asked = await _import_asked(pilot, tmp_path / "cattermole", {
            "name": "Mr Oswin Cattermole", "address": ["3 Test Road"],
            "postcode": str(cattermole.postcode)})
        told = _only_new_person(asked, "Mr Oswin Cattermole")
        for unseen in (cattermole.reference, "Saltmarsh", "UPV-2025-0005"):
            assert unseen not in told, (unseen, told)
        await press_settled(pilot, "enter")
        assert isinstance(app.screen, InboxScreen)
        _new_person_recorded("Mr Oswin Cattermole", cattermole)


async def test_the_import_asks_which_person_as_the_form_does(db: Path, tmp_path: Path) -> None:
    """`I` on a file naming a person on record, the file not saying which: asked as `n`
    asks (it only refused, v16g), each answer recorded as the form's is."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Read once the app has opened the database (a test before it on the worker may
        # have closed it).
        lorimer = Customer.get(Customer.name == "Mrs Euphemia Lorimer")
        cases = Case.select().count()
        folder = tmp_path / "lorimer"
        importing, asked = await _import_asked(pilot, folder, {
            "name": "Euphemia Lorimer", "address": ["Flat 2, Harbour Road"],
            "postcode": str(lorimer.postcode)})
        shown = [str(o.prompt) for o in asked.query_one("OptionList").options]  # type: ignore[attr-defined]
        assert shown[0].startswith(f"The same person: use {lorimer.reference} "), shown
        assert shown[-1] == "A different person: record Euphemia Lorimer as a new customer"
        await press_settled(pilot, "escape")  # not answered: not imported, and said so
        assert app.screen is importing
        assert "Not imported: say whether" in str(importing.query_one("#error").render())
        assert Case.select().count() == cases

        await press_settled(pilot, "enter")  # asked again
        assert isinstance(app.screen, ChooseDialog)
        await press_settled(pilot, "down", "enter")  # the same person
        assert isinstance(app.screen, InboxScreen)
        assert Case.select().count() == cases + 1
        assert Customer.select().where(Customer.name == "Euphemia Lorimer").count() == 0
        assert _referral_entry(lorimer)["customer_match"] == {
            "said": "the same person", "customer": lorimer.reference,
            "likely": [lorimer.reference]}

        await press_settled(pilot, "I")
        app.screen.query_one("#path", Input).value = str(folder)
        await press_settled(pilot, "enter")
        assert isinstance(app.screen, ChooseDialog)
        await press_settled(pilot, *["down"] * len(shown), "enter")  # a different person
        assert isinstance(app.screen, InboxScreen)
        other = Customer.get(Customer.name == "Euphemia Lorimer")
        assert _referral_entry(other)["customer_match"] == {
            "said": "a different person", "likely": [lorimer.reference]}
