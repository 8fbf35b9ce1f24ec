"""Issue 15 (fixBB). BB1: the review calendar's overdue list left out cases whose next action
the inbox marked overdue ("Head of Service view due", "Begin consideration", "Post the appeal
outcome letter"…): one rule (next_step.is_overdue, next_action_overdue) decides overdue for
both, and the calendar lists every one, in the inbox's words. BB2: an appeal outcome letter
signed, never posted, that can no longer go had no calendar entry, while a decision letter in
the same state had "Sign the decision letter" on the day: it is owed again from today too."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from crm_tui import clock
from crm_tui.db.connection import open_database
from crm_tui.db.models import Case
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import next_step
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.intake import inbox
from crm_tui.services.reviews import calendar
from crm_tui.services.reviews.calendar import Obligation
from tests import builders
from tests.demo_copies import copy_demo
from tests.unit.services.test_review_meets_later_start import AFTER_REVIEW, _outcome_signed

# The next actions the calendar names by an entry of its own kind, in its words.
OTHER_WORDS = ("Archive file", "Destroy file")
LATER = datetime(2026, 12, 20, 10)  # both new referrals' fortnight gone


def _late_in_inbox(actor: Actor) -> set[tuple[str, str]]:
    rows = inbox.page(actor, inbox.InboxFilter(), size=1000).rows
    return {(r.reference, r.next_action) for r in rows if r.overdue}


def _late_in_calendar(actor: Actor) -> set[tuple[str, str]]:
    total, late = calendar.overdue(actor, clock.today(), 1000)
    assert total == len(late)
    return {(i.reference, i.label) for i in late}


def test_a_new_referral_and_a_view_awaited_are_overdue_on_the_calendar_as_in_the_inbox(
        actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    new = builders.at_state(actors, CaseState.NEW)
    awaited = builders.at_state(actors, CaseState.AWAITING_CONSULTATION)
    with clock.travel_to(LATER):
        late = _late_in_inbox(crm)
        assert {(new, "Begin consideration"),
                (awaited, "Head of Service view due")} <= late, late
        assert late <= _late_in_calendar(crm)
        view = calendar.month(crm, 2026, 12)
        found = {i.reference: i for i in view.overdue}
        assert found[new].kind is Obligation.NEXT_ACTION
        assert found[new].day == Case.get(Case.reference == new).next_action_due
        assert found[awaited].overdue(view.today)
        # On its own day in the grid too, as overdue.
        assert any(i.reference == new for i in view.by_day[found[new].day])
    # Not before their date: nothing overdue, nothing listed.
    assert not {r for r, _ in _late_in_calendar(crm)} & {new, awaited}


def test_each_overdue_next_action_is_listed_once(actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    late = builders.at_state(actors, CaseState.RESTRICTED)
    with builders.as_the_app(late):
        Case.update(review_due=date(2026, 11, 20)).where(Case.reference == late).execute()
    next_step.store([late])
    _, found = calendar.overdue(crm, clock.today(), 100)
    assert [(i.kind, i.label) for i in found if i.reference == late] == [
        (Obligation.REVIEW, "Review due")]


def test_on_the_demo_every_overdue_next_action_in_the_inbox_is_on_the_calendar(
        demo_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, path)
    open_database(path)
    crm = resolve_actor("ceri.hughes")
    for day in (datetime(2026, 12, 7, 10), datetime(2027, 1, 20, 10)):
        with clock.travel_to(day):
            in_inbox = _late_in_inbox(crm)
            listed = _late_in_calendar(crm)
            assert in_inbox
            # Each case, and where no other kind of entry stands for its next action, in
            # the inbox's words ("File due for archive" stands for "Archive file").
            assert {r for r, _ in in_inbox} <= {r for r, _ in listed}, in_inbox - listed
            assert {(r, a) for r, a in in_inbox if a not in OTHER_WORDS} <= listed
            # A file closed with no action, due for archive, as Home counts it: the
            # calendar's own entry (it had none).
            archive = {r for r, a in in_inbox if a == "Archive file"}
            assert archive and archive <= {r for r, a in listed if a == "File due for archive"}


def test_an_appeal_outcome_letter_owed_again_is_on_the_calendar_today(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    crm = actors[Role.CRM]
    ref = _outcome_signed(actors, tmp_path / "out")
    with clock.travel_to(AFTER_REVIEW):
        today = clock.today()
        next_step.store([ref])
        case = Case.get(Case.reference == ref)
        assert case.next_action == "Sign the appeal outcome letter"
        assert case.next_action_due == today, case.next_action_due
        found = [i for i in calendar.items(crm, today, today) if i.reference == ref]
        assert [(i.kind, i.label) for i in found] == [
            (Obligation.LETTER_AGAIN, "Sign the appeal outcome letter")], found
        view = calendar.month(crm, today.year, today.month)
        assert any(i.reference == ref and i.label == "Sign the appeal outcome letter"
                   for i in view.by_day.get(today, [])), view.by_day.get(today)
        # Due today, not overdue (its review, passed meanwhile, is).
        assert [i.kind for i in view.overdue if i.reference == ref] == [Obligation.REVIEW]
