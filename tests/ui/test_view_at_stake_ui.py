"""A Head of Service's view taken, and voided, only knowingly (t15d F1): `c` in the builder
asks first, naming what the builder lists in the way besides the view, and refuses on no
restriction at all; `m`, `b`, `e` and `k` in the evidence viewer ask first when the evidence
they change is under a draft the view was given on, naming whose view and when; and the
builder names what changed since the view (the evidence under a restriction, not the
restriction)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from crm_tui.db.connection import open_database
from crm_tui.db.models import Consultation, ContactLogEntry, EvidenceLink, Restriction
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.evidence import matters, tagging
from crm_tui.services.evidence.tagging import EvidenceKind
from crm_tui.services.restrictions import builder, decisions
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.choose import ChooseDialog
from crm_tui.ui.dialogs.consultation import ConsultationDialog
from crm_tui.ui.screens.evidence import EvidenceScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from crm_tui.ui.widgets.log_sheet_table import LogSheetTable
from tests.demo_decided import CONSIDERING, ready_to_decide
from tests.ui.keys import on_top, press_settled, settle, shown_keys, told

SIZE = (140, 40)
MATTER = "Council tax bill 2025/26"


def question(app: CrmApp) -> str:
    assert isinstance(app.screen, AskDialog), type(app.screen).__name__
    return " ".join(str(app.screen.query_one("#ask-question").render()).split())


async def test_c_asks_first_naming_what_still_stands_in_the_way(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, RestrictionBuilderScreen(CONSIDERING))
        assert screen.view is not None
        # The builder lists the unjustified clash: a view taken now leaves it in the way.
        clash = next(p for p in screen.view.problems if "clashes" in p)
        views = Consultation.select().count()
        await press_settled(pilot, "c")
        asked = question(app)
        assert asked.startswith("Record the Head of Service's view anyway? It cannot be "
                                "decided as it stands: "), asked
        assert clash[:60].lower() in asked.lower(), (clash, asked)
        assert "not been consulted" not in asked  # the view itself is not named as in the way
        await press_settled(pilot, "n")
        assert app.screen is screen and Consultation.select().count() == views
        await press_settled(pilot, "c")
        await press_settled(pilot, "y")
        assert isinstance(app.screen, ConsultationDialog)


async def test_c_on_no_restriction_is_refused_at_once(db: Path) -> None:
    open_database(db)
    crm = resolve_actor("ceri.hughes")
    for draft in builder.builder_view(crm, CONSIDERING).drafts:
        decisions.discard_draft(crm, CONSIDERING, draft.id)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, RestrictionBuilderScreen(CONSIDERING))
        # Not offered in the footer (nothing to give a view on), and said at once when pressed.
        assert "c" not in shown_keys(app)
        await press_settled(pilot, "c")
        assert app.screen is screen
        assert told(app)[-1].startswith("No restriction is set out yet"), told(app)[-1]


async def _consulted_on_the_contact(pilot: Pilot[Any], app: CrmApp) -> tuple[EvidenceScreen,
                                                                             int]:
    """The evidence viewer on the log sheet, the contact under the cursor resting on the
    first draft, and the Head of Service's view (Priya Raman's) given on the drafts since."""
    await settle(pilot)
    screen = await on_top(pilot, EvidenceScreen(CONSIDERING))
    await press_settled(pilot, "2")
    row = screen.query_one(LogSheetTable).highlighted
    assert row is not None
    crm = resolve_actor("ceri.hughes")
    first = builder.builder_view(crm, CONSIDERING).drafts[0].id
    if not EvidenceLink.select().where((EvidenceLink.contact == row.id)
                                       & (EvidenceLink.restriction == first)).exists():
        tagging.toggle_link(crm, CONSIDERING, EvidenceKind.CONTACT, row.id,
                            f"restriction:{first}")
    ready_to_decide()
    return screen, row.id


async def test_m_asks_first_naming_whose_view_it_voids_and_the_builder_names_the_evidence(
        db: Path) -> None:
    open_database(db)
    matters.open_matter(resolve_actor("ceri.hughes"), CONSIDERING, MATTER)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen, contact = await _consulted_on_the_contact(pilot, app)
        versions = {r.id: r.version for r in Restriction.select()}
        await press_settled(pilot, "m")
        asked = question(app)
        assert asked.startswith("Put the contact of "), asked
        assert "Priya Raman's view as Head of Service, given on 28 November 2026" in asked
        assert "consulted again" in asked
        await press_settled(pilot, "n")
        assert app.screen is screen
        assert {r.id: r.version for r in Restriction.select()} == versions
        await press_settled(pilot, "m")
        await press_settled(pilot, "y")
        assert isinstance(app.screen, ChooseDialog)
        matter = next(m for m in screen.matters if m.label.startswith(MATTER))
        await press_settled(pilot, *["down"] * screen.matters.index(matter), "enter")
        assert ContactLogEntry.get_by_id(contact).matter_id == matter.id
        builder_screen = await on_top(pilot, RestrictionBuilderScreen(CONSIDERING))
        panel = " ".join(str(builder_screen.query_one("#consultation-panel").render()).split())
        assert "Since this view, the evidence under the " in panel, panel
        assert "restrictions changed" not in panel
        ready = " ".join(str(builder_screen.query_one("#readiness-panel").render()).split())
        assert "consulted again: the evidence under the " in ready, ready


async def test_b_e_and_k_ask_first_too(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = await _consulted_on_the_contact(pilot, app)
        for key, starts in (("b", "Change the behaviour the contact of "),
                            ("e", "Correct the contact of ")):
            await press_settled(pilot, key)
            asked = question(app)
            assert asked.startswith(starts) and "Priya Raman's view" in asked, asked
            await press_settled(pilot, "n")
            assert app.screen is screen
        # k: choosing the draft it rests on (to unlink it) asks; the referral does not.
        await press_settled(pilot, "k")
        assert isinstance(app.screen, ChooseDialog)
        options = [str(o.prompt) for o in app.screen.query_one("OptionList")._options]
        place = next(i for i, o in enumerate(options) if "linked" in o and "restriction" in o)
        await press_settled(pilot, *["down"] * place, "enter")
        asked = question(app)
        assert asked.startswith("Unlink the contact of ") and "Priya Raman's view" in asked
        await press_settled(pilot, "n")
        assert app.screen is screen
