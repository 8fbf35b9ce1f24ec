"""Stored text in a list, a drop-down or a tick list is shown as written, never read as markup.

Found when tried: a contact summary holding `[link=…` made `k` in the restriction builder open
a tick list that was never drawn (its label, cut inside the link, could not be read as markup)
and took every key for good. Here a customer's name, a contact's summary, a document's name, a
matter's title and the officers' names all hold markup-like text, and every list that shows
them is opened by its keys and read."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.content import Content
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Select, SelectionList

from crm_tui.db.connection import open_database
from crm_tui.db.models import Case, Customer, EvidenceItem, Matter, Restriction
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.evidence import contacts, documents
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.restrictions import decisions
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.consultation import ConsultationDialog
from crm_tui.ui.dialogs.restriction_form import RestrictionFormDialog
from crm_tui.ui.dialogs.ticks import TickDialog
from crm_tui.ui.screens.referral_form import ReferralFormScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests import builders
from tests.ui.keys import on_top, press_settled, settle

REF = "UPV-2026-0005"  # under consideration, with a closed matter
IN_LOCAL_RESOLUTION = "UPV-2026-0008"
LINK = "[link=https://a.example]q[/link]"
CUSTOMER = f"[bold red]Mr[/] Quentin {LINK} Fothergill"
SUMMARY = f"Called about [bold red]the gutter[/] again; said {LINK}; shouted"
DOCUMENT = f"{LINK} [bold red]scan of the letter.pdf"
MATTER = f"[bold red]Gutter repair[/] {LINK}"
OFFICER = f"[bold red]Tomasz[/] Nowak {LINK}"
HEAD = f"[bold red]Priya[/] Raman {LINK}"
MANAGER = f"[bold red]Hannah[/] Okafor {LINK}"


def _markup_everywhere(db: Path, tmp_path: Path) -> None:
    open_database(db)
    # The customer's record is vouched for by the trail too: set as the app would.
    with builders.as_the_app(REF, IN_LOCAL_RESOLUTION):
        for ref, name in ((REF, CUSTOMER), (IN_LOCAL_RESOLUTION, f"{CUSTOMER} Junior")):
            Customer.update(name=name).where(
                Customer.id == Case.get(Case.reference == ref).customer_id).execute()
    for login, name in (("tomasz.nowak", OFFICER), ("priya.raman", HEAD),
                        ("hannah.okafor", MANAGER)):
        builders.renamed(login, name)
    case = Case.get(Case.reference == REF)
    with builders.as_the_app(REF):  # matters are vouched for by the trail: set as the app would
        Matter.update(title=MATTER).where(Matter.case == case, Matter.closed_on.is_null(False)
                                          ).execute()
    crm = resolve_actor("ceri.hughes")
    contacts.log_contact(crm, REF, ContactInput(
        at=datetime(2026, 11, 2, 9, 30), channel=Channel.TELEPHONE, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam Patel", summary=SUMMARY,
        categories=(BehaviourCategory.OFFENSIVE_REMARKS,)))
    scan = tmp_path / "scan.txt"
    scan.write_text("The customer's letter, scanned.", encoding="utf-8")
    documents.attach_document(crm, REF, scan)
    with builders.as_the_app(REF):
        EvidenceItem.update(original_name=DOCUMENT).where(EvidenceItem.case == case).execute()


def shown(widget: Widget) -> list[str]:
    """The labels a list shows, read as Textual reads them (a str as markup)."""
    if isinstance(widget, SelectionList):
        return [widget.get_option_at_index(i).prompt.plain for i in range(widget.option_count)]
    if isinstance(widget, Select):
        if not widget.query(OptionList):
            return []  # its list is made when first opened (SelectOnDemand): nothing shown yet
        widget = widget.query_one(OptionList)
    if isinstance(widget, OptionList):
        return [Content.from_text(o.prompt).plain if isinstance(o.prompt, (str, Text))
                else str(o.prompt) for o in widget.options]
    assert isinstance(widget, DataTable)
    return [Text.from_markup(c).plain if isinstance(c, str) else getattr(c, "plain", str(c))
            for row in range(widget.row_count) for c in widget.get_row_at(row)]


def holding(app: CrmApp, words: str) -> list[str]:
    """Every label of the lists on the screen on top that holds `words` as written."""
    found = []
    for widget in app.screen.query("SelectionList, Select, OptionList, DataTable"):
        found += [label for label in shown(widget) if words in label]
    return found


async def builder(pilot: Pilot[Any], app: CrmApp) -> RestrictionBuilderScreen:
    await settle(pilot)
    return await on_top(pilot, RestrictionBuilderScreen(REF))


async def test_k_shows_a_summary_and_a_file_name_as_written(db: Path, tmp_path: Path) -> None:
    _markup_everywhere(db, tmp_path)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await builder(pilot, app)
        await press_settled(pilot, "k")
        if isinstance(app.screen, AskDialog):  # linking would undo a view given: yes
            await press_settled(pilot, "y")
        assert isinstance(app.screen, TickDialog), type(app.screen).__name__
        assert app.screen.query_one(SelectionList).region.height > 0, "the list is not drawn"
        assert holding(app, "[bold red]the gutter[/] again; said [link="), shown(
            app.screen.query_one(SelectionList))
        assert holding(app, DOCUMENT), shown(app.screen.query_one(SelectionList))
        await press_settled(pilot, "escape")
        assert isinstance(app.screen, RestrictionBuilderScreen)


async def test_the_restriction_forms_show_officers_and_matters_as_written(
        db: Path, tmp_path: Path) -> None:
    _markup_everywhere(db, tmp_path)
    # One of each kind (v15e F2): the Named officer only draft goes, so that a offers the kind.
    named = Restriction.get((Restriction.case == Case.get(Case.reference == REF).id)
                            & (Restriction.kind == RestrictionKind.NAMED_OFFICER.value)
                            & (Restriction.status == "draft"))
    decisions.discard_draft(resolve_actor("ceri.hughes"), REF, int(named.id))
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(120, 40)) as pilot:
        await builder(pilot, app)
        await press_settled(pilot, "a", "down", "enter")  # 2. Named officer only
        assert isinstance(app.screen, RestrictionFormDialog), type(app.screen).__name__
        assert holding(app, OFFICER), shown(app.screen.query_one("#officer", Select))
        assert OFFICER in shown(app.screen.query_one("#deputy", Select))
        await press_settled(pilot, "escape")
        await press_settled(pilot, "a", "down", "down", "down", "down", "enter")  # 5. New issues
        assert isinstance(app.screen, RestrictionFormDialog), type(app.screen).__name__
        assert shown(app.screen.query_one("#closed_issues", SelectionList)) == [MATTER]


async def test_the_consultation_shows_the_head_and_the_email_as_written(
        db: Path, tmp_path: Path) -> None:
    _markup_everywhere(db, tmp_path)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(120, 40)) as pilot:
        await builder(pilot, app)
        await press_settled(pilot, "c")
        if isinstance(app.screen, AskDialog):  # a draft on no evidence: record anyway
            await press_settled(pilot, "y")
        assert isinstance(app.screen, ConsultationDialog), type(app.screen).__name__
        assert holding(app, HEAD), shown(app.screen.query_one("#consultee", Select))
        assert holding(app, DOCUMENT), shown(app.screen.query_one("#evidence_document", Select))


async def test_the_referral_form_shows_customers_and_managers_as_written(
        db: Path, tmp_path: Path) -> None:
    _markup_everywhere(db, tmp_path)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert holding(app, CUSTOMER), "the inbox reads the customer's name as markup"
        await press_settled(pilot, "n")
        assert isinstance(app.screen, ReferralFormScreen), type(app.screen).__name__
        assert holding(app, f"{CUSTOMER} Junior"), shown(app.screen.query_one("#for-case"))
        assert holding(app, MANAGER), shown(app.screen.query_one("#referred-by"))


async def test_a_message_naming_an_officer_shows_the_name_as_written(db: Path,
                                                                     tmp_path: Path) -> None:
    from textual.widgets._toast import Toast

    _markup_everywhere(db, tmp_path)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        app.switch_user("tomasz.nowak")
        await settle(pilot)
        await pilot.pause()
        toasts = [str(t.render()) for t in app.screen.query(Toast)]
        assert any(f"Now acting as {OFFICER}" in t for t in toasts), toasts
