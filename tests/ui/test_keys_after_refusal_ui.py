"""Keys typed straight after a key that is refused with a toast are dropped, and the refusal
stays to be read (v15b S1, b15c F2: the Head of Service's `x` then a reason: the reason's
letters switched areas and its `u` opened the user picker; `Enter v 2 l` and a summary on an
archived case ended on the audit trail; `D a` in the builder asked which restriction).

Each burst is sent as a terminal sends it: every key in the app's queue before the first has
acted (tests/ui/keys.py terminal_burst)."""

from __future__ import annotations

from pathlib import Path

from crm_tui.db.models import AuditEntry, Case
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.evidence import EvidenceScreen
from crm_tui.ui.screens.inbox import InboxScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.ui.keys import press_settled, settle, terminal_burst, told
from tests.ui.test_inbox import move_to

SIZE = (100, 30)


def on_show(app: object, title: str) -> bool:
    """Whether a toast of that title is still on show."""
    return any(n.title == title for n in app._notifications)  # type: ignore[attr-defined]


async def test_a_reason_typed_after_a_refused_x_acts_on_nothing(db: Path) -> None:
    app = create_app(str(db), "priya.raman")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, "UPV-2026-0009")
        audited = AuditEntry.select().count()
        # `u` (in "Genuine") would open the user picker, `g`, `l`, `t`, `h`, `i` switch area.
        terminal_burst(pilot, "x", *"Genuine ongoing problems with the gutter")
        await settle(pilot)
        assert [type(s) for s in app.screen_stack] == [InboxScreen]
        assert app.current_mode == "inbox"
        assert on_show(app, "Not a step your role takes")
        assert inbox_of_reference(app) == "UPV-2026-0009"
        assert AuditEntry.select().count() == audited
        # Once the refusal is on show and the typing has paused, keys act again.
        await press_settled(pilot, "h")
        assert app.current_mode == "home"


def inbox_of_reference(app: object) -> str | None:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, InboxScreen)
    return screen.current_reference()


async def test_a_summary_typed_after_a_refused_l_on_an_archived_case_stays_put(
        db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        archived = Case.get(Case.state == "archived").reference  # its evidence read-only
        await pilot.press("slash", *archived)
        await pilot.pause(0.4)
        await settle(pilot)
        await move_to(pilot, archived)
        # `a` (in "Called today") would open the audit trail, `l` the letters area.
        terminal_burst(pilot, "enter", "v", "2", "l", *"Called today")
        await settle(pilot)
        stack = [type(s) for s in app.screen_stack]
        assert stack == [InboxScreen, CaseFileScreen, EvidenceScreen], stack
        assert app.current_mode == "inbox"
        assert on_show(app, "Not a step for this case now")


async def test_a_key_typed_after_a_refused_decide_does_not_choose_a_restriction(
        db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, "UPV-2026-0005")  # a clash, and no Head of Service consulted
        terminal_burst(pilot, "enter", "R", "D", "a")
        await settle(pilot)
        stack = [type(s) for s in app.screen_stack]
        assert stack == [InboxScreen, CaseFileScreen, RestrictionBuilderScreen], stack
        assert on_show(app, "UPV-2026-0005"), told(app)
