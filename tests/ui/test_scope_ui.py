"""Issue 13, items 10 and 11 in the app: a service area manager walks every area by its key
and meets no other area's customer; an archived file refuses a new contact in the dialog,
in plain words, and nothing is stored."""

from __future__ import annotations

import re
from pathlib import Path

from textual.app import App
from textual.widgets import DataTable, Static

from crm_tui.db.models import AuditEntry, Case, ContactLogEntry, Customer, ServiceArea
from crm_tui.ui.app import create_app
from crm_tui.ui.areas import AREAS
from crm_tui.ui.screens.evidence import EvidenceScreen
from crm_tui.ui.widgets.fitted_table import FittedTable
from tests.ui.keys import settle

SIZE = (140, 40)


def screen_text(app: App[None]) -> str:
    """Everything the screen holds: every cell of every table (scrolled out of view or not)
    and every static text."""
    parts = []
    for table in app.screen.query(DataTable):
        for row in range(table.row_count):
            cells = (table.row_cells(row) if isinstance(table, FittedTable)
                     else table.get_row_at(row))  # hidden columns too
            parts += [str(cell) for cell in cells]
    parts += [str(widget.render()) for widget in app.screen.query(Static)]
    return "\n".join(parts)


def outside(area: str) -> list[str]:
    """Case references, customer references and names from outside `area`."""
    cases = list(Case.select(Case, ServiceArea).join(ServiceArea))
    mine = {c.customer_id for c in cases if c.service_area.name == area}
    seen_names = {Customer.get_by_id(i).name for i in mine}
    words = [c.reference for c in cases if c.service_area.name != area]
    for c in cases:
        if c.customer_id not in mine:
            words.append(c.customer.reference)
            if c.customer.name not in seen_names:
                words.append(c.customer.name)
    return words


async def test_a_service_area_manager_sees_only_their_area_in_every_area(db: Path) -> None:
    app = create_app(str(db), "hannah.okafor")  # Housing Services
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        hidden = outside("Housing Services")
        housing = [c.reference for c in Case.select().join(ServiceArea).where(
            ServiceArea.name == "Housing Services")]
        shown = ""
        for area in AREAS:
            await pilot.press(area.key)
            await settle(pilot)
            text = screen_text(app)
            leaks = [w for w in hidden if re.search(rf"\b{re.escape(w)}\b", text)]
            assert leaks == [], f"{area.title} shows {leaks}"
            shown += text
        assert any(ref in shown for ref in housing)


async def test_an_archived_file_refuses_a_new_contact(db: Path) -> None:
    """At the key, opening no form (b16a F4: the form opened and refused only at save)."""
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        archived = Case.get(Case.state == "archived").reference
        contacts, entries = ContactLogEntry.select().count(), AuditEntry.select().count()
        app.push_screen(EvidenceScreen(archived))
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, EvidenceScreen)
        told = [str(n.message) for n in app._notifications]
        assert f"{archived} is archived: its file is read-only" in told
        assert ContactLogEntry.select().count() == contacts
        assert AuditEntry.select().count() == entries


async def test_an_archived_file_refuses_the_customers_address_at_the_key(db: Path) -> None:
    """Issue 16 (breaker 3, finding 7f): H opened the form on an archived file and refused
    only at ctrl+s. H and D now say so as they are pressed, and open nothing."""
    from crm_tui.ui.screens.case_file import CaseFileScreen

    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        archived = Case.get(Case.state == "archived").reference
        app.push_screen(CaseFileScreen(archived))
        await settle(pilot)
        for key in ("H", "D"):
            app._notifications.clear()
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, CaseFileScreen), key
            told = [n.message for n in app._notifications]
            assert f"{archived} is archived: its file is read-only" in told, key
