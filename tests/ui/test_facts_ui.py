"""What the screens say is what happened, by keys: taking a referral into consideration is on
the case file's timeline; the customer's comments say what they are; the Head of Service's
view names them; a review session counts what was reviewed and skipped; k in the builder says
what it linked."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import DataTable, Static, TextArea

from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.ticks import TickDialog
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.ui.keys import settle, told
from tests.ui.test_inbox import move_to

SIZE = (140, 40)


def timeline(app: CrmApp) -> list[tuple[str, str]]:
    """(what, entry) of each row of the case file's timeline."""
    table = app.screen.query_one("#timeline", DataTable)
    return [(str(table.get_row_at(n)[1]), str(table.get_row_at(n)[2]))
            for n in range(table.row_count)]


async def test_considering_a_referral_is_on_its_timeline(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, "UPV-2026-0009")  # a new referral
        await pilot.press("c")
        await settle(pilot)
        await move_to(pilot, "UPV-2026-0009")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        assert timeline(app)[0] == ("referral",
                                    "Referral taken into consideration (Ceri Hughes)")


async def test_the_customers_comments_say_what_they_are(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen("UPV-2025-0001"))  # the demo's customer who commented
        await settle(pilot)
        rows = timeline(app)
        assert ("comments", "The customer's comments received (recorded by Tomasz Nowak)") \
            in rows
        assert not [r for r in rows if "Further enquiry" in r[1]]


async def test_the_head_of_services_view_names_them(db: Path) -> None:
    app = create_app(str(db), "priya.raman")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(RestrictionBuilderScreen("UPV-2026-0005"))
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("y")  # the clash still unjustified is named first: view anyway
        await settle(pilot)
        app.screen.query_one("#view_text", TextArea).text = "Agree: letters only"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RestrictionBuilderScreen)
        panel = str(app.screen.query_one("#consultation-panel", Static).render())
        assert "Head of Service's view, recorded by Priya Raman on 28 Nov 2026: Agrees" \
            in panel, panel


async def test_a_review_session_counts_what_was_reviewed_and_skipped(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d", "s")
        await settle(pilot)
        await pilot.press("ctrl+s")  # reviews due in the next 30 days
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewSessionScreen) and screen.info is not None
        total = len(screen.info.references)
        await pilot.press("c")
        await settle(pilot)
        app.screen.query_one(TextArea).text = "Contact continues; the restriction is needed"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")  # asked first, as lifting is (t15c F7)
        await settle(pilot)
        for _ in range(total - 1):  # the rest passed over
            await pilot.press("right")
            await settle(pilot)
        title = str(screen.query_one("#session-title", Static).render())
        # The demo's UPV-2025-0003 awaits its customer's comments: not skipped (round 10).
        assert (f"finished: 1 case reviewed, 1 awaiting comments, {total - 2} skipped, 0 left"
                in title), title
        assert f"{total} cases reviewed" not in title


async def test_k_says_what_it_linked_from_the_referral(db: Path, tmp_path: Path) -> None:
    from crm_tui.db.connection import open_database
    from crm_tui.services.core.users import resolve_actor
    from crm_tui.services.intake import casework
    from crm_tui.services.intake.referral_import import import_referral
    from crm_tui.services.restrictions import decisions
    from tests import builders
    from tests.unit.services.intake.test_inbox_services import SAMPLE

    folder = tmp_path / "referral"
    folder.mkdir()
    data = dict(SAMPLE, referred_by="hannah.okafor", evidence=[])
    (folder / "referral.json").write_text(json.dumps(data), encoding="utf-8")
    (folder / "email.eml").write_text("From: customer@example.org\n\nThe gutter.\n")
    open_database(db)
    crm = resolve_actor("ceri.hughes")
    ref = import_referral(crm, folder).reference
    casework.begin_consideration(crm, ref)
    decisions.draft_restriction(resolve_actor("tomasz.nowak"), ref, builders.LETTER_ONLY)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(RestrictionBuilderScreen(ref))
        await settle(pilot)
        await pilot.press("k")  # a tick list of what is not linked yet, all ticked
        await settle(pilot)
        assert isinstance(app.screen, TickDialog)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any(m.endswith("now rests on 1 more of the evidence: email.eml.")
                   for m in told(app)), told(app)
        await pilot.press("k")
        await settle(pilot)
        assert any("already rests on 1 item of evidence, and nothing else on the case"
                   in m for m in told(app)), told(app)




async def test_documents_listed_in_the_referral_form_are_its_evidence(db: Path,
                                                                      tmp_path: Path) -> None:
    from crm_tui.db.models import Case, Customer, EvidenceLink, Referral
    from tests.ui.test_inbox import fill_referral

    letter = tmp_path / "customer-letter.txt"
    letter.write_text("Twelve pages about the same repair")
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await fill_referral(pilot)
        app.screen.query_one("#evidence", TextArea).text = str(letter)
        await pilot.press("ctrl+s")
        await settle(pilot)
        case = Case.get(Case.customer == Customer.get(Customer.name == "Mr Rufus Quennell [bold]"))
        referral = Referral.get(Referral.case == case)
        linked = [link.document.original_name for link in EvidenceLink.select().where(
            EvidenceLink.referral == referral)]
        assert linked == ["customer-letter.txt"]
