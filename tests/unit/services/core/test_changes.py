"""Which cases changed, told after the change is committed and never for one rolled back;
the rules the keys ask before a form opens are those the services refuse with at save."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crm_tui.domain.errors import DomainError
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit, changes, step_readiness
from crm_tui.services.core.database import atomic
from crm_tui.services.intake import casework, inbox
from crm_tui.services.intake.inbox import InboxFilter, SortKey
from crm_tui.services.intake.triage_readiness import TriageStep, refusal
from crm_tui.services.reviews import review_session
from tests import builders


@pytest.fixture
def heard() -> Iterator[list[changes.Change]]:
    found: list[changes.Change] = []
    stop = changes.listen(found.append)
    yield found
    stop()


def test_a_step_is_told_once_committed(actors: dict[Role, Actor],
                                       heard: list[changes.Change]) -> None:
    ref = builders.referred(actors)
    heard.clear()
    with atomic():
        casework.begin_consideration(actors[Role.CRM], ref)
        assert heard == []  # not before the commit: a screen would read the old state
    assert heard == [changes.Change(ref, "begin_consideration")]


def test_a_step_rolled_back_is_never_told(actors: dict[Role, Actor],
                                          heard: list[changes.Change]) -> None:
    ref = builders.referred(actors)
    heard.clear()
    with pytest.raises(RuntimeError), atomic():
        casework.begin_consideration(actors[Role.CRM], ref)
        raise RuntimeError("the caller's transaction fails after the step")
    assert heard == []
    # a refused step writes nothing and tells nothing
    with pytest.raises(DomainError):
        casework.begin_consideration(actors[Role.HEAD_OF_SERVICE], ref)
    assert heard == []
    casework.begin_consideration(actors[Role.CRM], ref)
    assert heard == [changes.Change(ref, "begin_consideration")]


def test_an_entry_outside_a_transaction_is_told_at_once(
        actors: dict[Role, Actor], heard: list[changes.Change]) -> None:
    ref = builders.referred(actors)
    heard.clear()
    audit.record(actors[Role.CRM], "note", ref)
    audit.record(actors[Role.CRM], "no_case")  # no case: nothing to tell
    assert heard == [changes.Change(ref, "note")]


def test_a_listener_stopped_hears_nothing(actors: dict[Role, Actor]) -> None:
    found: list[changes.Change] = []
    stop = changes.listen(found.append)
    stop()
    builders.referred(actors)
    assert found == []


def test_the_inbox_pages_through_to_the_case_in_hand(actors: dict[Role, Actor]) -> None:
    refs = [builders.referred(actors) for _ in range(5)]
    spec = InboxFilter(sort=SortKey.REFERENCE)
    last = refs[-1]
    # Two rows were shown; the case in hand is the fifth: paged to it, by pages of two.
    found = inbox.page_through(actors[Role.CRM], spec, last, at_least=2, most=10, size=2)
    assert last in [r.reference for r in found.rows]
    assert not found.has_more
    # Beyond the limit it stops: the cursor then goes to a case that followed it.
    assert len(inbox.page_through(actors[Role.CRM], spec, None, at_least=0).rows) == 5
    few = inbox.page_through(actors[Role.CRM], spec, last, at_least=2, most=2, size=2)
    assert len(few.rows) == 2 and few.has_more


def test_triage_keys_ask_the_services_own_rules(actors: dict[Role, Actor]) -> None:
    ref = builders.referred(actors)
    officer, crm = actors[Role.OFFICER], actors[Role.CRM]
    why = refusal(officer, ref, TriageStep.CLOSE)
    with pytest.raises(DomainError) as refused:
        casework.close_no_action(officer, ref, "No further problems")
    assert why == str(refused.value) and why
    assert refusal(crm, ref, TriageStep.CLOSE) == ""
    assert refusal(officer, ref, TriageStep.ENQUIRY) == ""
    head = actors[Role.HEAD_OF_SERVICE]
    with pytest.raises(DomainError) as refused:
        casework.assign(head, ref, "officer")
    assert refusal(head, ref, TriageStep.ASSIGN) == str(refused.value)


def test_a_step_refused_by_its_rule_before_the_form(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    crm = actors[Role.CRM]
    # Continuing unchanged needs the review opened: the session opens it, so it may.
    assert step_readiness.refusal(crm, ref, Action.CONTINUE_UNCHANGED) != ""
    assert review_session.refusal(crm, ref, Action.CONTINUE_UNCHANGED) == ""
    assert review_session.refusal(actors[Role.OFFICER], ref, Action.CONTINUE_UNCHANGED) != ""
    assert CaseState(review_session.load_case(crm, ref).state) is CaseState.RESTRICTED


def test_unheard_tells_no_one_and_then_the_same_listeners_again(
        actors: dict[Role, Actor], heard: list[changes.Change]) -> None:
    """The tests' stand-in for a second copy of the app: what it commits is told to no one;
    the listeners there before hear the next change, a listener added within keeps hearing
    and one stopped within stays stopped."""
    ref = builders.referred(actors)
    heard.clear()
    added: list[changes.Change] = []
    stopped: list[changes.Change] = []
    stop = changes.listen(stopped.append)
    with changes.unheard():
        casework.begin_consideration(actors[Role.CRM], ref)
        stop_added = changes.listen(added.append)
        stop()
    assert heard == [] and stopped == [] and added == []
    audit.record(actors[Role.CRM], "note", ref)
    told = [changes.Change(ref, "note")]
    assert heard == told and added == told and stopped == []
    stop_added()
