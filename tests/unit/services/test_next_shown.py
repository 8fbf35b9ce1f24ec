"""fixG G3: "Decide" is said only when the decision can be made. A case whose stored next
action is "Decide" (drafts set out, linked, consulted on) while something else stands in the
way (here a clash with the customer's needs, unanswered) says what must happen first, in the
words the builder's D refuses with, in the case file, the inbox and `crm-tui cases` alike."""

from __future__ import annotations

from crm_tui.domain.equality import ContactNeed
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.domain.wording import in_one_sentence
from crm_tui.services.intake import case_file, inbox, queries
from crm_tui.services.intake.next_shown import BEFORE_DECIDING
from crm_tui.services.restrictions import builder, readiness
from tests import builders
from tests.unit.services.test_next_step import said_everywhere


def test_decide_names_what_stands_in_the_way_first(actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    assert said_everywhere(actors, ref) == "Decide"
    assert readiness.blockers(crm, ref) == []
    # The customer needs the telephone: the letter-only restriction now clashes, unanswered.
    builder.set_contact_needs(crm, ref, (ContactNeed.TELEPHONE,))
    found = readiness.blockers(crm, ref)
    assert found and "clashes with the customer's needs" in found[0], found
    shown = said_everywhere(actors, ref)
    assert shown == BEFORE_DECIDING + in_one_sentence(found), shown
    assert "justify it in writing" in shown
    # Justified (a change to the draft: the view is asked again), then nothing stands in the
    # way, and "Decide" is said again everywhere.
    [draft] = builder.builder_view(crm, ref).drafts
    builder.justify(crm, ref, draft.id, "Calls are offered through the named officer")
    assert said_everywhere(actors, ref) == "Consult Head of Service"
    builders.consult(actors, ref)
    assert readiness.blockers(crm, ref) == []
    assert said_everywhere(actors, ref) == "Decide"


def test_other_next_actions_are_as_stored(actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)
    stored = case_file.case_file(crm, ref).summary.next_action
    assert stored == "Consult Head of Service"
    [row] = [r for r in inbox.page(crm, inbox.InboxFilter(search=ref)).rows
             if r.reference == ref]
    assert row.next_action == stored
    assert [c.next_action for c in queries.list_cases(crm) if c.reference == ref] == [stored]
