"""Every screen shows the truth after every change, wherever the change was made (issue 15):
a decision shows at once on the builder and on the case file beneath it; contacts logged in
the evidence viewer count on the case file; the A key follows the appeal; the inbox cursor
stays on the case acted on; a key that cannot work says why before any form opens; the
letter preview reads to its end, with notices clear of it. Changes made "elsewhere" run in a
thread of their own, with their own connection, as a worker (or another screen's) would."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable
from textual.widgets._toast import Toast

from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.services.core import confirmation
from crm_tui.services.core.database import session
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.intake import casework
from crm_tui.services.intake.triage_readiness import TriageStep, refusal
from crm_tui.services.restrictions import builder, decisions
from crm_tui.services.reviews import appeals
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.screens.evidence import EvidenceScreen
from crm_tui.ui.screens.inbox import InboxScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests import builders
from tests.demo_decided import ready_to_decide
from tests.ui.keys import inbox_on, settle, told

SIZE = (140, 40)
CONSIDERING = "UPV-2026-0005"  # under consideration: two drafts, one clashing, not consulted
NEW = "UPV-2026-0007"  # a new referral
UNDER_APPEAL = "UPV-2026-0004"  # lodged eight days ago, awaiting a decision
APPEAL_DECIDED = "UPV-2025-0002"  # confirmed by Gareth Bell, its letter sent


def text_of(app: CrmApp, selector: str) -> str:
    return " ".join(str(app.screen.query_one(selector).render()).split())


async def elsewhere(step: Callable[[], object]) -> None:
    """A change made off the event loop, in its own connection, confirmed by the passphrase."""
    def run() -> None:
        with session(), confirmation.given(DEMO_PASSPHRASE):
            step()
    await asyncio.to_thread(run)


async def opened(pilot: Pilot[Any], app: CrmApp, screen: Any) -> Any:
    await settle(pilot)
    app.push_screen(screen)
    await settle(pilot)
    assert app.screen is screen
    return screen


def key_action(app: CrmApp, key: str) -> tuple[str, bool]:
    """What `key` does on the screen in hand, and whether the footer shows it."""
    binding = app.screen.active_bindings[key].binding
    return binding.action, binding.show


async def test_a_decision_shows_on_the_builder_and_the_case_file_beneath(db: Path) -> None:
    ready_to_decide(db)
    crm = resolve_actor("ceri.hughes")
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        case = await opened(pilot, app, CaseFileScreen(CONSIDERING))
        assert "No restrictions in force" in text_of(app, "#in-force")
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, RestrictionBuilderScreen)

        def decide() -> None:
            terms = builder.decision_defaults(crm, CONSIDERING)
            decisions.impose_restrictions(crm, CONSIDERING, "Calls all day to many officers",
                                          terms, read=builders.read(CONSIDERING),
                                          customer_reason=builders.TOLD)

        await elsewhere(decide)
        await settle(pilot)
        # The builder, on view, shows the decision at once: in force, nothing left drafted.
        assert app.screen.query_one("#in-force", DataTable).row_count == 2
        detail = text_of(app, "#draft-detail")
        assert "No restriction is set out yet" not in detail
        assert "2 restrictions decided are in force" in detail
        assert "Restricted" in text_of(app, "#builder-title")
        await pilot.press("escape")
        await settle(pilot)
        # The case file beneath it was told too, and read itself again on coming back.
        assert app.screen is case
        assert text_of(app, "#in-force").startswith("RESTRICTIONS IN FORCE")
        assert "Restricted" in text_of(app, "#case-title")
        assert case.data is not None and case.data.summary.state.value == "restricted"


async def test_contacts_logged_in_the_viewer_count_on_the_case_file(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        case = await opened(pilot, app, CaseFileScreen(NEW))
        assert case.data is not None
        before = case.data.contacts_total
        assert f"{before} contacts logged" in text_of(app, "#case-status")
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, EvidenceScreen)
        officer = resolve_actor("tomasz.nowak")

        def log_six() -> None:
            for hour in range(9, 15):
                contacts.log_contact(officer, NEW, ContactInput(
                    at=datetime(2026, 11, 27, hour, 0), channel=Channel.TELEPHONE,
                    direction=Direction.INBOUND, service_area="Council Tax and Benefits",
                    officer_name="Tomasz Nowak", summary="Asked again about the same bill",
                    duration_minutes=10))

        await elsewhere(log_six)
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is case
        # Six commits, each told to the screens (and seen again by the watcher of other
        # programs' changes): the file must come to show all six, though a read may start
        # between two of them (a loaded run saw 88 of 91 at the first look).
        for _ in range(50):
            if f"{before + 6} contacts logged" in text_of(app, "#case-status"):
                break
            await pilot.pause(0.1)
        assert f"{before + 6} contacts logged" in text_of(app, "#case-status")


async def test_the_appeal_key_follows_the_appeal(db: Path) -> None:
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app, CaseFileScreen(UNDER_APPEAL))
        assert key_action(app, "A") == ("appeal", True)
        director = resolve_actor("gareth.bell")
        await elsewhere(lambda: appeals.decide_appeal(
            director, UNDER_APPEAL, AppealOutcome.CONFIRMED, "The restrictions are sound",
            customer_reason="We looked at your appeal again. The restrictions stay."))
        await settle(pilot)
        # Decided: the footer no longer offers it, and the key says why at once.
        action, shown = key_action(app, "A")
        assert (action, shown) == ("why_no_appeal", False)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        said = [str(n.message) for n in app._notifications]
        assert any(m.startswith(f"No appeal can be recorded on {UNDER_APPEAL}: the customer")
                   for m in said), said
        assert not any("cannot lodge appeal" in m for m in said)  # said once (round 8)
        app.push_screen(CaseFileScreen(APPEAL_DECIDED))
        await settle(pilot)
        assert key_action(app, "A") == ("why_no_appeal", False)


async def test_the_inbox_cursor_stays_on_the_case_acted_on(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        inbox = app.screen
        assert isinstance(inbox, InboxScreen)
        table = inbox.query_one("#cases", DataTable)
        start = table.get_row_index(NEW)
        table.move_cursor(row=start)
        await pilot.press("c")  # to consideration: it moves down the list, sorted by due
        await settle(pilot)
        assert inbox.current_reference() == NEW
        assert table.get_row_index(NEW) != start
        assert inbox.rows[NEW].state.value == "under_consideration"
        # The keys follow the case's new state: no "Consider" for a case being considered.
        # (c is still a key there: it says why, and the footer does not offer it.)
        assert not inbox.active_bindings["c"].binding.show
        assert key_action(app, "x") == ("triage_close", True)
        # A change made from the case file shows in the row, the cursor still on the case.
        await pilot.press("enter")
        await settle(pilot)
        officer = resolve_actor("tomasz.nowak")
        await elsewhere(lambda: casework.assign(resolve_actor("ceri.hughes"), NEW,
                                                officer.login))
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is inbox and inbox.current_reference() == NEW
        assert inbox.rows[NEW].assigned_to == officer.name
        # On a tab the case leaves, the cursor goes to the case that followed it.
        await pilot.press("right_square_bracket", "right_square_bracket")  # New
        await settle(pilot)
        assert {r.state.value for r in inbox.rows.values()} == {"new"}
        [following] = list(inbox.rows)
        await pilot.press("c")
        await settle(pilot)
        assert inbox.rows == {} and inbox.current_reference() is None, told(app)
        assert following  # the only new referral left the tab with it


async def test_a_triage_key_that_cannot_work_says_why_at_once(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await inbox_on(pilot, NEW)
        await pilot.press("x")  # close with no action: the CRM's step
        await settle(pilot)
        assert not isinstance(app.screen, TextPromptDialog)
        why = refusal(resolve_actor("tomasz.nowak"), NEW, TriageStep.CLOSE)
        assert why and why in [str(n.message) for n in app._notifications]
        await pilot.press("e")  # a further enquiry: the officer's to record
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)


async def test_the_letter_preview_reads_to_its_end_clear_of_notices(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await opened(pilot, app, CaseLettersScreen(APPEAL_DECIDED))
        await pilot.press("tab")  # the register: the letter as issued
        await settle(pilot)
        preview = screen.query_one("#letter-preview")
        await pilot.press("v")
        await settle(pilot)
        assert screen.focused is preview
        assert preview.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert preview.scroll_y == preview.max_scroll_y
        app.notify("Something happened meanwhile", timeout=30)
        await pilot.pause()
        [toast] = list(screen.query(Toast))
        assert not toast.region.overlaps(preview.region)
        assert toast.region.right == 100  # bottom right, as on every screen
        await pilot.press("escape")  # back to the list, not out of the screen
        await settle(pilot)
        assert app.screen is screen
        assert screen.focused is screen.query_one("#register", DataTable)


async def test_switching_user_gives_the_open_case_file_the_new_persons_keys(db: Path) -> None:
    # Found on the way from referral to appeal: after `u` to the Service Director, the case
    # file opened by the CRM kept her refusal of `A`; it worked only once reopened.
    app = create_app(str(db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app, CaseFileScreen(UNDER_APPEAL))
        assert key_action(app, "A") == ("why_no_appeal", False)  # the CRM does not decide it
        app.switch_user("gareth.bell")
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        assert app.actor.login == "gareth.bell"
        assert key_action(app, "A") == ("appeal", True)  # the Service Director does
        await pilot.press("A")
        await settle(pilot)
        assert not isinstance(app.screen, CaseFileScreen)  # the appeal's form, not a refusal
