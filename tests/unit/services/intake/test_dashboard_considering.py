"""Issue 15 (fixBB BB3): Home counts the inbox's New tab and, apart, its Considering tab (the
cases under consideration were counted nowhere once fixAW made the first the New tab's)."""

from __future__ import annotations

from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.intake import inbox, queries
from tests import builders


def test_the_dashboard_counts_the_new_and_the_considering_tabs_apart(
        actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    builders.at_state(actors, CaseState.NEW)
    for _ in range(2):
        builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    counts = queries.dashboard(crm)
    tabs = inbox.tab_counts(crm, inbox.InboxFilter()).counts
    assert (counts.awaiting_consideration, counts.under_consideration) == (1, 2)
    assert counts.awaiting_consideration == tabs[inbox.Tab.NEW]
    assert counts.under_consideration == tabs[inbox.Tab.UNDER_CONSIDERATION]
