"""Who may hold a review session, what its keys offer on each case, and how it ends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.calendar import CalendarScreen
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.ui.keys import burst, press_settled, settle

SIZE = (140, 40)


def _footer(screen: Any) -> str:
    bindings = screen.active_bindings.values()
    return " | ".join(b.binding.description for b in bindings if b.enabled and b.binding.show)


def _last_toast(app: Any) -> str:
    return str(list(app._notifications)[-1].message)


async def _session_started(pilot: Pilot[Any]) -> ReviewSessionScreen:
    """From the inbox: `d`, the session's `s` and its save; the review session, on top."""
    await settle(pilot)
    await press_settled(pilot, "d", "s", "ctrl+s")
    screen = pilot.app.screen
    assert isinstance(screen, ReviewSessionScreen)
    return screen


async def test_the_head_of_service_is_refused_a_session_at_the_key(db: Path) -> None:
    app = create_app(str(db), "priya.raman")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)
        assert "Review session" not in _footer(app.screen)
        assert "s: review session" not in str(app.screen.query_one("#legend").render())
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)  # no form opened
        said = _last_toast(app)
        assert "Head of Service" in said and "may not hold review sessions" in said
        assert "Complaints Resolution Manager" in said
        assert "assign" not in said


async def test_the_crm_is_offered_a_session(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert "Review session" in _footer(app.screen)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewSessionScreen)


async def test_a_finished_session_shows_its_tally_only(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _session_started(pilot)
        assert screen.info is not None
        assert screen.query_one("#session-body").display
        for _ in screen.info.references:
            await pilot.press("right")
            await settle(pilot)
        assert screen.info.current is None
        title = str(screen.query_one("#session-title").render())
        assert "finished" in title and "0 cases reviewed" in title and "skipped" in title
        assert not screen.query_one("#session-body").display  # no chart, no facts
        footer = _footer(screen)
        for gone in ("Continue unchanged", "Lift", "Propose extension", "Review period",
                     "Pause"):
            assert gone not in footer
        assert "Back to the calendar" in footer  # as the title says Escape does
        await pilot.press("c")
        await settle(pilot)
        assert app.screen is screen  # nothing opened for a case no longer there
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)


async def test_a_finished_session_does_not_offer_a_next_case_and_says_why(db: Path) -> None:
    """t15 10: a finished session still offered `→ Next case`, and pressed it did nothing and
    said nothing."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await _session_started(pilot)
        assert screen.info is not None
        assert "Next case" in _footer(screen)
        for _ in screen.info.references:
            await press_settled(pilot, "right")
        assert screen.info.current is None
        footer = _footer(screen)
        assert "Next case" not in footer
        assert "Previous" in footer  # back to the cases skipped, as the title says
        for key in ("right", "n"):
            app.clear_notifications()
            await press_settled(pilot, key)
            assert screen.info.current is None and app.screen is screen
            said = _last_toast(app)
            assert "session is finished" in said and "Escape returns to the calendar" in said
        await press_settled(pilot, "left")  # ← still goes back to the last case skipped
        assert screen.info.current == screen.info.references[-1]


async def test_the_session_keys_follow_a_switch_of_user(db: Path) -> None:
    from tests.ui.test_switch_user_ui import switch_to

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _session_started(pilot)
        assert "Lift" in _footer(screen)
        await switch_to(pilot, app, "priya.raman")
        assert app.screen is screen
        assert "Lift" not in _footer(screen) and "Continue unchanged" not in _footer(screen)
        # The panel follows too: the CRM's outcomes are not listed to her.
        panel = str(screen.query_one("#outcomes", Static).render())
        assert " c  continue" not in panel and " l  lift" not in panel, panel
        await pilot.press("l")
        await settle(pilot)
        assert app.screen is screen
        assert "Head of Service" in _last_toast(app) and "may not" in _last_toast(app)
        # Said once: titled by the case, the refusal a sentence of its own (round 8: "Cannot
        # do that on UPV-… / cannot continue unchanged: …").
        toast = list(app._notifications)[-1]
        assert toast.title.startswith("UPV-") and "Cannot do that" not in toast.title
        assert str(toast.message)[:1].isupper() and str(toast.message).endswith(".")


async def test_a_read_for_the_last_person_finishing_late_does_not_bring_back_their_keys(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The session reads its case again when the user picker closes (still as the CRM) and
    again once the switch lands (as the Head of Service). The CRM's read, slower, finished
    last and put the CRM's keys back (found under load in a clean run): a read overtaken by
    a newer one is dropped."""
    import threading
    import time

    from crm_tui.services.reviews import review_session
    from tests.ui.test_switch_user_ui import switch_to

    real = review_session.refusals
    slow = threading.Event()

    def refusals(actor: Any, reference: str) -> dict[str, str]:
        found = real(actor, reference)
        if slow.is_set() and actor.login == "ceri.hughes":
            time.sleep(1.0)  # outlives the Head of Service's read
        return found

    monkeypatch.setattr(review_session, "refusals", refusals)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _session_started(pilot)
        assert "Lift" in _footer(screen)
        slow.set()
        await switch_to(pilot, app, "priya.raman")
        await pilot.pause(1.5)
        await settle(pilot)
        assert app.actor.login == "priya.raman"
        assert "Lift" not in _footer(screen) and "Continue unchanged" not in _footer(screen)


async def test_the_sessions_facts_say_there_is_more_below_at_80x24(db: Path) -> None:
    """At 80x24 the letters sent and the customer's comments fell below the facts panel's
    edge with only a scrollbar to show it: its border says there is more."""
    from crm_tui.ui.widgets.more_panel import MORE_BELOW, MorePanel

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_settled(pilot, "d", "s", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewSessionScreen)
        facts = app.screen.query_one("#session-facts", MorePanel)
        assert facts.max_scroll_y > 0 and facts.border_subtitle == MORE_BELOW


async def test_moves_in_a_burst_each_count(db: Path) -> None:
    """Eight → sent at once (a fast typist, tmux send-keys): each counted from the case shown,
    not from where the previous one was going, so the session moved one case, not eight."""
    from textual import events

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("d", "s", "ctrl+s"):
            await pilot.press(key)
            await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewSessionScreen) and screen.info is not None
        total = len(screen.info.references)
        assert total >= 4
        for _ in range(total - 1):
            app.post_message(events.Key("right", None))
        await settle(pilot)
        await settle(pilot)
        assert screen.info.position == total - 1
        # UPV-2025-0003 awaits its customer's comments (proposed before the session): passed
        # over, it is not counted as skipped (round 10).
        assert f"1 awaiting comments, {total - 2} skipped" in screen.info.tally()
        for _ in range(total - 2):
            app.post_message(events.Key("left", None))
        await settle(pilot)
        await settle(pilot)
        assert screen.info.position == 1


async def test_a_day_with_no_review_due_is_quoted_as_typed(db: Path) -> None:
    """Round 7: the refusal said "no review is due by 01 January 2020" for "1/1/2020"."""
    from textual.widgets import Input

    from crm_tui.ui.dialogs.fields import FieldsDialog

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "d", "s")
        dialog = app.screen
        assert isinstance(dialog, FieldsDialog)
        dialog.query_one("#until", Input).value = ""
        await pilot.press(*"1/1/2020", "ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        shown = " ".join(str(s.render()) for s in dialog.query(".field-error"))
        assert "No review is due by 1/1/2020" in shown, shown


async def test_a_case_reviewed_in_the_session_is_not_reviewed_again(db: Path) -> None:
    """Round 8: after the last case was reviewed and the rest skipped, ← from the end went
    to the case just reviewed and offered (and recorded) its outcome a second time."""
    from textual import events

    from crm_tui.db.models import AuditEntry
    from crm_tui.domain.errors import InvalidTransition
    from crm_tui.services.core.database import session
    from crm_tui.services.reviews import review_session

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("d", "s", "ctrl+s"):
            await pilot.press(key)
            await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewSessionScreen) and screen.info is not None
        total = len(screen.info.references)
        for _ in range(total - 1):
            app.post_message(events.Key("right", None))
        await settle(pilot)
        await settle(pilot)
        last = screen.info.current
        assert last is not None and "continue" not in screen.refused
        await pilot.press("c")
        await settle(pilot)
        await burst(pilot, *"Still writing daily")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")  # asked first, as lifting is (t15c F7)
        await settle(pilot)
        await settle(pilot)
        assert screen.info.current is None
        assert (f"1 case reviewed, 1 awaiting comments, {total - 2} skipped, 0 left"
                in screen.info.tally())
        assert _last_toast(app) == "Restrictions continued unchanged"  # not "Recorded"
        await pilot.press("left")
        await settle(pilot)
        await settle(pilot)
        assert screen.info.position == total - 2  # the last one skipped, not the one reviewed
        # Back on the reviewed case, nothing is offered and the service refuses too.
        await pilot.press("right")
        await settle(pilot)
        await settle(pilot)
        assert screen.info.current == last
        assert "Continue unchanged" not in _footer(screen)
        assert "decided already" in screen.refused["continue"]
        await pilot.press("c")
        await settle(pilot)
        assert "decided already" in _last_toast(app)
        with session():
            try:
                review_session.continue_unchanged(app.actor, last, "Again")
                raise AssertionError("a second outcome was recorded")
            except InvalidTransition as exc:
                assert "decided already" in str(exc)
            outcomes = AuditEntry.select().where(
                (AuditEntry.case_reference == last)
                & (AuditEntry.action == "continue_unchanged")).count()
        assert outcomes == 1
        assert "1 case reviewed" in screen.info.tally()


async def test_no_second_proposal_is_offered_while_comments_are_awaited(db: Path) -> None:
    """Round 9: on a case invited to comment by a date, `e` was offered and recorded a second
    proposal with a later date no letter gave the customer."""
    from crm_tui.db.models import Case, ExtensionProposal
    from crm_tui.services.core.database import session

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _session_started(pilot)
        assert screen.info is not None
        with session():
            open_ones = [c.reference for c in Case.select().where(Case.reply_by.is_null(False))]
            before = ExtensionProposal.select().count()
        waiting = next(r for r in screen.info.references if r in open_ones)
        for _ in range(screen.info.references.index(waiting)):
            await press_settled(pilot, "right")
        assert screen.info.current == waiting
        assert "Propose extension" not in _footer(screen) and "Lift" in _footer(screen)
        # The comments awaited are recorded with m, and the case opens with o: both offered
        # (found when tried: neither was in the footer).
        assert "Customer's comments" in _footer(screen) and "Open case" in _footer(screen)
        assert " e  propose" not in str(screen.query_one("#outcomes", Static).render())
        await press_settled(pilot, "e")
        assert app.screen is screen  # no form opened
        assert "no second proposal while it is open" in _last_toast(app).lower()
        with session():
            assert ExtensionProposal.select().count() == before


async def test_a_proposal_is_counted_awaiting_comments_at_80x24(db: Path) -> None:
    """Round 10: after `e` the case awaits the customer's comments; the session's header at
    80x24 counted it as skipped. Also: the toast names what was done, not "Recorded"."""
    from crm_tui import clock
    from crm_tui.db.connection import open_database
    from crm_tui.db.models import Case, database_proxy
    from crm_tui.services.core.database import session
    from crm_tui.services.core.users import resolve_actor
    from crm_tui.services.restrictions import builder
    from crm_tui.ui.dialogs.ask import AskDialog

    open_database(db)
    builder.redraft_in_force(resolve_actor("ceri.hughes"), "UPV-2025-0002")
    database_proxy.close()
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _session_started(pilot)
        assert screen.info is not None
        assert screen.info.current == "UPV-2025-0002"
        await press_settled(pilot, "e")
        await burst(pilot, *"Contact continued at the same rate after the decision")
        await pilot.press("tab", *"You have kept writing to several officers every day.")
        await press_settled(pilot, "ctrl+s")
        # v15e F13: it was saved with no question; it names who proposes, the case, and
        # that the customer is told only once the invitation is signed.
        question = app.screen
        assert isinstance(question, AskDialog), question
        asked = " ".join(str(question.query_one("#ask-question").render()).split())
        assert asked.startswith("Propose an extension on UPV-2025-0002, as Ceri Hughes, "
                                "Complaints Resolution Manager? The customer is then sent an "
                                "invitation to comment by the date given, once you sign it"), asked
        await press_settled(pilot, "y")
        assert app.screen is screen, app.screen
        await settle(pilot)
        assert _last_toast(app) == ("Extension proposed: sign the invitation to comment (W on "
                                    "the case file) to send it to the customer")
        with session():
            assert Case.get(Case.reference == "UPV-2025-0002").next_action == (
                "Sign the invitation to comment")
        title = " ".join(str(screen.query_one("#session-title", Static).render()).split())
        # The demo's case whose customer has until 14 Dec to comment on a proposal made
        # before the session awaits comments too: never counted as skipped.
        with session():
            already = {c.reference for c in Case.select().where(
                Case.reply_by.is_null(False) & (Case.reply_by >= clock.today())
                & Case.reference.in_(screen.info.references))} - {"UPV-2025-0002"}
        assert already, "the demo has a case open for comments in the session"
        # The proposal just made asks the customer nothing until its invitation is signed:
        # an invitation to sign, not a case awaiting comments.
        waiting = len(already)
        assert (f"1 invitation to sign, {waiting} awaiting comments, 0 skipped"
                in title), title
        for _ in range(len(screen.info.references)):
            await press_settled(pilot, "right")
        title = " ".join(str(screen.query_one("#session-title", Static).render()).split())
        skipped = len(screen.info.references) - waiting - 1
        assert (f"finished: 0 cases reviewed, 1 invitation to sign, {waiting} awaiting "
                f"comments, {skipped} skipped" in title), title


async def test_e_says_at_once_that_nothing_is_set_out_to_propose(db: Path) -> None:
    """Round 11: on a case with nothing set out in its builder, `e` opened the whole proposal
    form (and the footer offered it); only after both reasons and ctrl+s did it say to set
    the restrictions out first. The lifecycle's rule now refuses at the key and in the footer."""
    from crm_tui.ui.dialogs.fields import FieldsDialog

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _session_started(pilot)
        assert screen.info is not None
        assert screen.info.current == "UPV-2025-0002"  # nothing set out in its builder
        assert "Propose extension" not in _footer(screen) and "Lift" in _footer(screen)
        # No proposal awaits comments here: m is not offered; o opens the case.
        assert "Customer's comments" not in _footer(screen) and "Open case" in _footer(screen)
        assert " e  propose" not in str(screen.query_one("#outcomes", Static).render())
        await press_settled(pilot, "e")
        assert app.screen is screen and not isinstance(app.screen, FieldsDialog)
        assert "set the proposed restrictions out in the restriction builder" in (
            _last_toast(app).lower())


async def test_lifting_without_a_letter_says_what_it_needs_at_the_tick_box(db: Path) -> None:
    """Round 11: "n/a" and "Do not write" ticked showed only the "n/a"; the next save said
    above the form "This cannot lift without letter: …". Now both at once, at their fields."""
    from textual.widgets import Checkbox, TextArea

    from crm_tui.ui.dialogs.reasons import ReasonsDialog

    def shown(widget_id: str) -> str:
        label = app.screen.query_one(f"#{widget_id}")
        return " ".join(str(label.render()).split()) if label.display else ""

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await _session_started(pilot)
        await press_settled(pilot, "l")
        dialog = app.screen
        assert isinstance(dialog, ReasonsDialog)
        dialog.query_one("#reason", TextArea).text = "n/a"
        dialog.query_one("#flag", Checkbox).value = True
        await pilot.pause()
        await press_settled(pilot, "ctrl+s")
        assert app.screen is dialog
        assert "n/a" in shown("reason-error")
        assert "needs the Head of Service's view on not writing first" in shown("flag-error")
        assert "record it with h" in shown("flag-error")
        assert shown("form-error") == ""
        dialog.query_one("#flag", Checkbox).value = False
        await pilot.pause()
        assert shown("flag-error") == ""


async def test_an_overtaken_move_never_lands_after_the_last(db: Path, monkeypatch: Any) -> None:
    """A clean run, one run in two: two ← in a burst ran in two threads; the first, slower,
    wrote its place after the second's, and the session showed (and would resume at) the
    case one before the last asked. The first move here is held back: the last still lands."""
    import time

    from crm_tui.db.models import ReviewSession
    from crm_tui.services.reviews import review_session

    real = review_session.move_to
    slowed: list[int] = []
    calls: list[int] = []

    def move_to(actor: Any, session_id: int, position: int) -> Any:
        if position == 1 and not slowed:  # the first ←, overtaken while it is on its way
            slowed.append(position)
            time.sleep(0.5)
        calls.append(position)
        return real(actor, session_id, position)

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await press_settled(pilot, "d", "s", "ctrl+s")
        screen = app.screen
        assert isinstance(screen, ReviewSessionScreen) and screen.info is not None
        await press_settled(pilot, "right", "right")
        assert screen.info.position == 2
        monkeypatch.setattr(review_session, "move_to", move_to)
        await pilot.press("left", "left")
        for _ in range(20):
            await settle(pilot)
            if slowed and screen._going_to is None:
                break
            await pilot.pause(0.1)
        await pilot.pause(0.8)  # the overtaken move has woken and done what it does
        await settle(pilot)
        assert sorted(calls) in ([0], [0, 0], [0, 1], [0, 0, 1])
        assert slowed and screen.info.position == 0
        assert ReviewSession.get_by_id(screen.info.id).position == 0


async def test_a_change_of_review_period_asks_for_its_note_at_the_note(db: Path) -> None:
    """Round 12, 2c: a review date other than the yearly one with a blank note and outcome:
    the outcome's problem came first, then "Explain why the review period differs" on the
    next save, above the form rather than at "Note on the change". Now all at once, each at
    its field, at 80x24."""
    import re

    from textual.widgets import Input, Static

    from crm_tui.ui.dialogs.choose import ChooseDialog
    from crm_tui.ui.dialogs.fields import FieldsDialog

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        await _session_started(pilot)
        await press_settled(pilot, "r")
        assert isinstance(app.screen, ChooseDialog)
        await press_settled(pilot, "enter")
        dialog = app.screen
        assert isinstance(dialog, FieldsDialog)
        # Before any day is typed the note's label says when it is needed (found when tried:
        # only a typed day, then a save, could tell).
        labels = " ".join(" ".join(str(s.render()).split()) for s in dialog.query(Static))
        assert re.search(r"Note on the change \(needed unless the next review is the yearly "
                         r"one, \d\d/\d\d/20\d\d\)", labels), labels
        dialog.query_one("#next_review", Input).value = "1/3/2027"
        await press_settled(pilot, "ctrl+s")
        assert app.screen is dialog

        def said(widget_id: str) -> str:
            return " ".join(str(dialog.query_one(widget_id).render()).split())

        assert "Explain why the review period differs" in said("#note-error")
        assert "Say why the restrictions continue" in said("#reason-error")
        assert not said("#form-error")
        dialog.query_one("#note", Input).value = "The customer asked for an earlier look"
        await settle(pilot)
        assert not said("#note-error")


async def test_comments_dated_before_the_invitation_are_refused_with_every_problem(
        db: Path) -> None:
    """b15d F8: comments were accepted as received 15 months before the invitation to
    comment, the date's problem (issue 16's first contact) came only once the text was given,
    and the panel then showed the day they were typed in. Now the day before the invitation
    is said with the blank text at the first save, as typed; a day received is shown as
    received."""
    from datetime import timedelta

    from textual.widgets import Input, Static

    from crm_tui.db.models import Case, CaseNote, ExtensionProposal
    from crm_tui.domain.typed_dates import in_prose
    from crm_tui.services.core.database import session
    from crm_tui.ui.dialogs.fields import FieldsDialog

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _session_started(pilot)
        assert screen.info is not None
        with session():
            waiting = next(r for r in screen.info.references if Case.get(
                Case.reference == r).reply_by is not None)
            invited = (ExtensionProposal.select().join(Case)
                       .where(Case.reference == waiting)
                       .order_by(ExtensionProposal.proposed_at.desc()).first()
                       .proposed_at.date())
            notes = CaseNote.select().count()
        for _ in range(screen.info.references.index(waiting)):
            await press_settled(pilot, "right")
        await press_settled(pilot, "m")
        assert isinstance(app.screen, FieldsDialog)
        day = invited - timedelta(days=1)
        typed = f"{day.day}/{day.month}/{day.year}"  # as a person types it, no leading zero
        await press_settled(pilot, "ctrl+u", *typed, "ctrl+s")  # the text left blank
        assert isinstance(app.screen, FieldsDialog)  # not saved
        said = str(app.screen.query_one("#received_on-error").render())
        assert f'"{typed}" is before the invitation to comment was made ' \
            f"({in_prose(invited)})" in said, said
        assert "Write what the customer said" in str(
            app.screen.query_one("#text-error").render())
        with session():
            assert CaseNote.select().count() == notes
        # Received on the day of the invitation: recorded, and shown as received that day.
        app.screen.query_one("#received_on", Input).value = f"{invited:%d/%m/%Y}"
        app.screen.query_one("#text", Input).value = "I will write once a week from now on"
        await press_settled(pilot, "ctrl+s")
        assert isinstance(app.screen, ReviewSessionScreen)
        facts = str(app.screen.query_one("#facts", Static).render())
        assert f"{in_prose(invited)}: I will write once a week from now on" in facts, facts


async def test_the_lift_dialog_asks_by_what_was_chosen_at_80x24(db: Path) -> None:
    """v15c m3: the review session's Lift asked "Unless you chose not to write, the customer
    is then sent a letter…" rather than saying what goes out by what had been chosen."""
    from textual.widgets import Checkbox, TextArea

    from crm_tui.ui.dialogs.ask import AskDialog
    from crm_tui.ui.dialogs.reasons import ReasonsDialog

    def lines() -> list[str]:
        return [strip.text for strip in app.screen._compositor.render_strips()]

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _session_started(pilot)
        ref = screen._ref()
        await press_settled(pilot, "l")
        dialog = app.screen
        assert isinstance(dialog, ReasonsDialog)
        # Opened at its top: the title and the first field's words in sight, the cursor in
        # the field (it opened scrolled down to the field).
        assert dialog.focused is dialog.query_one("#reason", TextArea)
        shown = "\n".join(lines())
        assert f"Lift the restrictions on {ref}" in shown, shown
        assert "Why the behaviour has subsided" in shown, shown
        dialog.query_one("#reason", TextArea).text = (
            "No contact of the kind for eleven months; the log sheets show ordinary requests.")
        dialog.query_one("#customer_reason", TextArea).text = (
            "You have contacted us in the usual way for almost a year.")
        await pilot.pause()
        await press_settled(pilot, "ctrl+s")
        asked = app.screen
        assert isinstance(asked, AskDialog), asked
        question = asked.question
        assert question.startswith(f"Lift the restrictions on {ref} after the review"), question
        assert question.endswith(
            "? The customer is then sent a letter saying so, once you sign it."), question
        assert "Unless" not in question
        # What is asked is what is drawn (the words at 80 columns, across their lines).
        drawn = " ".join(" ".join(line.strip("█▊▎ ") for line in lines()).split())
        assert "once you sign it." in drawn, drawn
        await press_settled(pilot, "n")
        assert app.screen is dialog
        assert dialog.query_one("#flag", Checkbox).value is False
        said = dialog._question(True) if callable(dialog._question) else ""
        assert said.endswith("No letter is sent: you chose not to write to the customer."), said


async def test_h_records_the_view_on_not_writing_on_a_restricted_case(db: Path) -> None:
    """v15d N0: `h` was offered on a case of the session (restricted until its outcome),
    opened its form and refused at save "This cannot record consultation: the case is
    restricted", so lifting without a letter could never be prepared. Now the view is
    recorded (the review opened with it) and lifting without a letter is open."""
    from textual.widgets import Select, TextArea

    from crm_tui.db.models import Case, Consultation
    from crm_tui.domain.states import CaseState
    from crm_tui.services.core.database import session
    from crm_tui.ui.dialogs.consultation import ConsultationDialog

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _session_started(pilot)
        assert screen.info is not None
        ref = screen.info.current
        assert ref is not None
        with session():
            assert Case.get(Case.reference == ref).state == CaseState.RESTRICTED.value
        assert "not_writing" not in screen.refused
        assert "lift_without_letter" in screen.refused  # the view is not yet recorded
        await press_settled(pilot, "h")
        dialog = app.screen
        assert isinstance(dialog, ConsultationDialog)
        dialog.query_one("#consultee", Select).value = "priya.raman"
        dialog.query_one("#method", Select).value = "meeting"
        dialog.query_one("#view_text", TextArea).text = ("Agree not to write: a letter would "
                                                         "start the calls again.")
        await pilot.pause()
        await press_settled(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is screen, str(dialog.query_one("#form-error").render())
        assert _last_toast(app) == "The Head of Service's view on not writing is recorded"
        assert "lift_without_letter" not in screen.refused
        with session():
            assert Consultation.select().where(
                (Consultation.case == Case.get(Case.reference == ref).id)
                & (Consultation.subject == "no_communication")).count() == 1


async def test_the_lifts_passphrase_prompt_asks_the_question_answered(db: Path) -> None:
    """Issue 15: the review session's passphrase prompt said "Confirming as Ceri Hughes, …",
    not who acts and what goes out, as every other confirmation does."""
    from keyring.backends import null
    from textual.widgets import TextArea

    from crm_tui.ui.dialogs.ask import AskDialog
    from crm_tui.ui.dialogs.passphrase import PassphraseDialog
    from tests.insecure_keyring import keyring_in_use
    from tests.ui.keys import asked

    with keyring_in_use(null.Keyring()):  # the keyring holds no passphrase: asked for
        app = create_app(str(db), "ceri.hughes")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await press_settled(pilot, "d", "s", "ctrl+s")
            screen = app.screen
            assert isinstance(screen, ReviewSessionScreen)
            ref = screen._ref()
            await press_settled(pilot, "l")
            app.screen.query_one("#reason", TextArea).text = (
                "No contact of the kind for eleven months; the log sheets show ordinary "
                "requests.")
            app.screen.query_one("#customer_reason", TextArea).text = (
                "You have contacted us in the usual way for almost a year.")
            await pilot.pause()
            await press_settled(pilot, "ctrl+s")
            question = app.screen
            assert isinstance(question, AskDialog)
            await pilot.press("y")
            prompt = await asked(pilot)
            assert isinstance(prompt, PassphraseDialog)
            said = " ".join(str(prompt.query_one("#pass-what").render()).split())
            assert said == (f"Lift the restrictions on {ref} after the review, as Ceri Hughes, "
                            "Complaints Resolution Manager? The customer is then sent a "
                            "letter saying so, once you sign it."), said
            await pilot.press("escape")
            await settle(pilot)


async def test_not_writing_against_the_heads_view_says_so_and_asks_why(db: Path) -> None:
    """v15e F1: with the Head of Service's view on not writing "Does not agree", lifting
    without a letter went through with the same question as when they agree. Now the ticked
    box shows a field for the CRM's reasons for deciding otherwise, saving without them
    refuses at that field, and the question quotes the Head of Service's words."""
    from textual.widgets import Checkbox, Select, TextArea

    from crm_tui.db.models import Decision
    from crm_tui.services.core.database import session
    from crm_tui.ui.dialogs.ask import AskDialog
    from crm_tui.ui.dialogs.consultation import ConsultationDialog
    from crm_tui.ui.dialogs.reasons import ReasonsDialog

    words = "I do not agree: the customer should be told in writing that the restrictions end."
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _session_started(pilot)
        ref = screen._ref()
        await press_settled(pilot, "h")
        view = app.screen
        assert isinstance(view, ConsultationDialog)
        view.query_one("#consultee", Select).value = "priya.raman"
        view.query_one("#method", Select).value = "meeting"
        view.query_one("#view", Select).value = "disagrees"
        view.query_one("#view_text", TextArea).text = words
        await pilot.pause()
        await press_settled(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        await press_settled(pilot, "l")
        dialog = app.screen
        assert isinstance(dialog, ReasonsDialog)
        assert not dialog.query_one("#against_view_reason", TextArea).display
        dialog.query_one("#reason", TextArea).text = (
            "No contact of the kind for eleven months; the log sheets show ordinary requests.")
        dialog.query_one("#flag", Checkbox).value = True
        await pilot.pause()
        against = dialog.query_one("#against_view_reason", TextArea)
        assert against.display
        assert words in str(dialog.query_one("#against-hint").render())
        await press_settled(pilot, "ctrl+s")
        assert app.screen is dialog  # refused at the field: no question asked
        assert str(dialog.query_one("#against_view_reason-error").render()).strip()
        against.text = "A letter about these restrictions set off weeks of calls last time."
        await pilot.pause()
        await press_settled(pilot, "ctrl+s")
        asked = app.screen
        assert isinstance(asked, AskDialog), asked
        assert asked.question.startswith(f"Lift the restrictions on {ref} after the review")
        assert ("No letter is sent: you chose not to write to the customer. The Head of "
                f"Service does not agree with not writing: \u201c{words}\u201d.") in (
                    asked.question)
        await press_settled(pilot, "y")
        await settle(pilot)
        assert app.screen is screen, app.screen
        with session():
            decision = Decision.get(Decision.action == "lift_without_letter")
            assert decision.against_view_reason.startswith("A letter about these restrictions")
