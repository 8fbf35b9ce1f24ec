"""Issue 15 (fixAU3): where a letter can no longer go, the register, the post run and the
calendar say the same. U2: a re-sent copy past its last day to appeal read "duplicate of N"
in the register while the post run said CANNOT GO and its copy's notice "can no longer go".
U1: a decision letter that can no longer go is owed again: the case's next action is "Sign
the decision letter", due today, and the calendar shows it on that day. U3: where W offers
no new letter in its place, the register and the post run say the same of what comes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from crm_tui import clock
from crm_tui.db.models import Case, Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.services.core import next_step
from crm_tui.services.letters import copies, issuing, not_to_send, offered, posting
from crm_tui.services.reviews import appeals, calendar
from tests.builders import TODAY
from tests.conftest import PASSPHRASE
from tests.unit.services.test_cannot_go_every_kind import (
    AFTER,
    imposed,
    imposed_and_signed,
    register_entry,
)


def test_a_resent_copy_past_its_dates_reads_can_no_longer_go_and_names_the_original(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    crm = actors[Role.CRM]
    ref, first = imposed_and_signed(actors, tmp_path / "out")
    posting.record_posting(actors[Role.OFFICER], [first], TODAY, "first")
    copy = copies.resend(crm, first, tmp_path / "copy", PASSPHRASE, "Lost in the post").letter_id
    assert register_entry(crm, ref, copy).shown_status == f"duplicate of {first}"
    with clock.travel_to(AFTER):
        waiting = next(u for u in posting.unposted(crm, ref) if u.id == copy)
        assert waiting.cannot_go
        entry = register_entry(crm, ref, copy)
        assert entry.shown_status == f"can no longer go (copy of {first})", entry.shown_status
        assert entry.gone == waiting.cannot_go
        assert f"can no longer go: {entry.gone}" in not_to_send.notice_for(
            Letter.get_by_id(copy)).said
        # What comes of it, in the post run's own words to the CRM.
        assert entry.gone_then == issuing.NOT_OWED_AGAIN
        assert "write to the customer again from the case's letters (W)" in waiting.write_again


def test_a_decision_letter_owed_again_is_on_the_calendar_today(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    crm = actors[Role.CRM]
    ref, _first = imposed_and_signed(actors, tmp_path / "out")
    with clock.travel_to(AFTER):
        today = clock.today()
        next_step.store([ref])
        case = Case.get(Case.reference == ref)
        assert case.next_action == "Sign the decision letter"
        assert case.next_action_due == today, case.next_action_due
        found = [i for i in calendar.items(crm, today, today) if i.reference == ref]
        assert [i.kind.label for i in found] == ["Sign the decision letter"], found
        view = calendar.month(crm, today.year, today.month)
        assert any(i.reference == ref and i.kind is calendar.Obligation.LETTER_AGAIN
                   for i in view.by_day.get(today, [])), view.by_day.get(today)
        assert not any(i.reference == ref for i in view.overdue)


def test_a_decision_letter_owed_the_first_time_is_not_a_calendar_entry(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """Only one owed again (signed, never posted, can no longer go) is the calendar's: the
    calendar shows the same as before for a letter not yet signed."""
    crm = actors[Role.CRM]
    ref = imposed(actors)
    assert Case.get(Case.reference == ref).next_action == "Sign the decision letter"
    found = [i for i in calendar.items(crm, date(2000, 1, 1), date(2200, 1, 1))
             if i.kind is calendar.Obligation.LETTER_AGAIN]
    assert not found


def test_where_w_offers_no_new_letter_the_register_and_the_post_run_say_the_same(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """U3: the customer appealed before the letter's last day to appeal passed, and it was
    never posted. W offers no new decision letter (it would give a new appeal deadline); the
    register said "it is signed again" while the post run said "write to the customer again
    from W". Both now say the same: why nothing is signed in its place, in W's words, and
    that the appeal's outcome is written to them."""
    crm = actors[Role.CRM]
    ref, first = imposed_and_signed(actors, tmp_path / "out")
    appeals.lodge_appeal(crm, ref, TODAY, "I disagree with all of it.")
    with clock.travel_to(AFTER):
        entry = register_entry(crm, ref, first)
        waiting = next(u for u in posting.unposted(crm, ref) if u.id == first)
        assert entry.shown_status == "can no longer go" and entry.gone == waiting.cannot_go
        case = Case.get(Case.reference == ref)
        refused = offered.refusal(case, LetterKind.DECISION, clock.today())
        assert refused is not None and LetterKind.DECISION not in offered.available(
            case, clock.today())
        said = (f"nothing is signed in its place: {refused}; the outcome of the appeal is "
                "written to them once it is decided")
        assert entry.gone_then == said, entry.gone_then
        assert waiting.write_again == said, waiting.write_again
        # Said alike to whoever posts.
        officer = next(u for u in posting.unposted(actors[Role.OFFICER], ref) if u.id == first)
        assert officer.write_again == said
        next_step.store([ref])
        assert not Case.get(Case.reference == ref).next_action.startswith("Sign the")


def test_where_w_offers_the_new_letter_the_register_says_it_is_signed_again(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    crm = actors[Role.CRM]
    ref, first = imposed_and_signed(actors, tmp_path / "out")
    with clock.travel_to(AFTER):
        entry = register_entry(crm, ref, first)
        waiting = next(u for u in posting.unposted(crm, ref) if u.id == first)
        assert entry.gone_then.startswith("it is signed again")
        assert waiting.write_again.startswith("write the decision letter again from the "
                                              "case's letters (W)")
        assert LetterKind.DECISION in offered.available(Case.get(Case.reference == ref),
                                                        clock.today())
