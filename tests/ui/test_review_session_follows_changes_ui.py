"""v15i L1: the review session went on showing a case as it was read when the session came to
it. An appeal lodged on it from the command line in another terminal left "· Restricted" and
`c Continue unchanged` on screen, and `c` then refused ("the case is under appeal"). The case
on view now follows every change to it, wherever made: another program's (found in the audit
trail) or this app's on another screen; its facts, keys and outcomes are read again."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.pilot import Pilot

from crm_tui import clock
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core.database import session
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.reviews import appeals
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.ui.keys import press_settled, settle
from tests.unit.services.core.test_outside_changes import write_from_outside

SIZE = (140, 40)


def _facts(screen: ReviewSessionScreen) -> str:
    return " ".join(str(screen.query_one("#facts").render()).split())


async def _session(pilot: Pilot[None], app: CrmApp,
                   *moves: str) -> tuple[ReviewSessionScreen, str]:
    await press_settled(pilot, "d", "s", "ctrl+s", *moves)
    screen = app.screen
    assert isinstance(screen, ReviewSessionScreen) and screen.info is not None
    ref = screen.info.current
    assert ref is not None
    return screen, ref


async def _until(pilot: Pilot[None], seen: object) -> None:
    for _ in range(100):  # told within about one look (0.05 s here)
        await pilot.pause(0.05)
        if callable(seen) and seen():
            break
    await settle(pilot)


async def test_the_case_on_view_shows_another_programs_change(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    app.OUTSIDE_CHANGES_EVERY = 0.05
    async with app.run_test(size=SIZE) as pilot:
        screen, ref = await _session(pilot, app)
        assert "Mx Renamed Elsewhere" not in _facts(screen)
        write_from_outside(db, ref, "set_customer_details", (
            "UPDATE customer SET name = 'Mx Renamed Elsewhere' WHERE id = "
            "(SELECT customer_id FROM \"case\" WHERE reference = ?)", (ref,)))
        await _until(pilot, lambda: "Mx Renamed Elsewhere" in _facts(screen))
        assert _facts(screen).startswith("Mx Renamed Elsewhere ("), _facts(screen)
        assert app.screen is screen and screen.info is not None and screen.info.current == ref


async def test_an_appeal_lodged_elsewhere_takes_continue_off_the_case_on_view(
        db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        # UPV-2025-0004, as the tester had it (the first was appealed already).
        screen, ref = await _session(pilot, app, "right", "right")
        assert ref == "UPV-2025-0004"
        assert "Restricted" in _facts(screen) and "continue" not in screen.refused
        assert app.active_bindings["c"].binding.action == "continue"

        def lodge() -> None:  # as the command line does, off the app's workers
            with session():
                appeals.lodge_appeal(resolve_actor("ceri.hughes"), ref, clock.today(),
                                     "I was never told what I had done wrong.")

        await asyncio.to_thread(lodge)
        await _until(pilot, lambda: "Under appeal" in _facts(screen))
        assert "Under appeal" in _facts(screen), _facts(screen)
        assert "continue" in screen.refused
        # `c` no longer offers to continue: the key says why at once.
        assert app.active_bindings["c"].binding.action != "continue"
        outcomes = str(screen.query_one("#outcomes").render())
        assert " c  continue unchanged" not in outcomes, outcomes


async def test_restrictions_ended_elsewhere_are_said_to_have_ended(db: Path) -> None:
    """v15i L2: removed on appeal from the command line, the case read again said "·
    Restrictions ended" over "; they end 28 Nov 2026", the start of its line left out."""
    app = create_app(str(db), "ceri.hughes")
    app.OUTSIDE_CHANGES_EVERY = 0.05
    async with app.run_test(size=SIZE) as pilot:
        screen, ref = await _session(pilot, app, "right", "right")
        today = clock.today()
        write_from_outside(db, ref, "remove_on_appeal", (
            "UPDATE \"case\" SET state = 'ended', restrictions_end = ?, review_due = NULL "
            "WHERE reference = ?", (today.isoformat(), ref)))
        await _until(pilot, lambda: "· Restrictions ended" in _facts(screen))
        facts = _facts(screen)
        assert (f"· Restrictions ended Restrictions: Contact in a particular form only; they "
                f"ended {in_prose(today)} Since the last decision") in facts, facts
        assert "they end " not in facts and "review due" not in facts


async def test_breaches_are_counted_since_the_last_decision_like_the_contacts(
        db: Path) -> None:
    """v15j R1: removed on appeal in another terminal, UPV-2025-0004 showed "Since the last
    decision (28 Nov 2026): 0 contacts" over "Breaches of the restrictions: 43", the breaches
    of its whole life. Both figures now cover the same period."""
    app = create_app(str(db), "ceri.hughes")
    app.OUTSIDE_CHANGES_EVERY = 0.05
    async with app.run_test(size=SIZE) as pilot:
        screen, ref = await _session(pilot, app, "right", "right")
        assert ref == "UPV-2025-0004"

        def remove() -> None:  # as the command line does, off the app's workers
            with session():
                appeals.lodge_appeal(resolve_actor("ceri.hughes"), ref, clock.today(),
                                     "I was never told what I had done wrong.")
                appeals.decide_appeal(resolve_actor("gareth.bell"), ref,
                                      AppealOutcome.REMOVED, "Disproportionate",
                                      customer_reason="The restrictions went further than "
                                                      "was needed.")

        await asyncio.to_thread(remove)
        await _until(pilot, lambda: "Restrictions ended" in _facts(screen))
        facts = _facts(screen)
        assert (f"Since the last decision ({in_prose(clock.today())}): 0 contacts, 0 from the "
                "customer Breaches of the restrictions since then: 0") in facts, facts
        assert "came by" not in facts
