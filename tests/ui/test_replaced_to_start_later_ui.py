"""An amendment on appeal whose restrictions start on a later day (v15i K1): the case file
headed them "RESTRICTIONS IN FORCE" and Home counted the customer, while the builder said
"From 18 Jun 2027, not yet in force". The restrictions it replaced stop at once, so every
reader says the same."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from textual.widgets import DataTable, Static

from crm_tui.db.connection import open_database
from crm_tui.db.models import Case, EvidenceLink, Restriction
from crm_tui.domain.categories import from_mask
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.services.core import confirmation
from crm_tui.services.core.inputs import DecisionTerms, RestrictionDraft
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.intake import queries
from crm_tui.services.restrictions import decisions, readiness
from crm_tui.services.reviews import appeals
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests import builders
from tests.ui.keys import settle

UNDER_APPEAL = "UPV-2026-0004"  # lodged eight days ago, awaiting a decision
LATER = date(2027, 6, 18)


def amended_to_start_later(db: Path) -> None:
    open_database(db)
    ceri = resolve_actor("ceri.hughes")
    case = Case.get(Case.reference == UNDER_APPEAL)
    old = Restriction.get((Restriction.case == case) & (Restriction.status == "in_force"))
    # The same restriction, for a shorter time from a later day: lighter, as an amendment
    # on appeal may be; resting on the evidence the decision rested on.
    draft = decisions.draft_restriction(ceri, UNDER_APPEAL, RestrictionDraft(
        RestrictionKind(old.kind), json.loads(old.parameters), reason=old.reason,
        proportionality=old.proportionality,
        less_restrictive_considered=old.less_restrictive_considered,
        still_reachable=old.still_reachable, behaviours=from_mask(int(old.behaviours)),
        customer_reason="You telephoned many times a day."))
    # Drafted on appeal in place of one of its kind, it rests on that one's evidence by itself
    # (fixBC): linking each again, as this did, unlinked it (a link is a toggle).
    def linked(restriction: int) -> set[int]:
        return {link.contact_id for link in EvidenceLink.select().where(
            (EvidenceLink.restriction == restriction) & EvidenceLink.contact.is_null(False))}

    assert linked(old.id) and linked(draft) == linked(old.id)
    with confirmation.given(DEMO_PASSPHRASE):
        gareth = resolve_actor("gareth.bell")
        terms = DecisionTerms(starts_on=LATER, ends_on=date(2027, 12, 18))
        problems = readiness.preview_amendment(gareth, UNDER_APPEAL, terms, "Part",
                                              builders.TOLD).problems
        assert problems == [], problems
        appeals.decide_appeal(gareth, UNDER_APPEAL, AppealOutcome.AMENDED, "Upheld in part",
                              terms, builders.read(UNDER_APPEAL),
                              customer_reason=builders.TOLD)


async def test_the_case_file_and_home_say_from_later_as_the_builder_does(db: Path) -> None:
    open_database(db)
    before = queries.dashboard(resolve_actor("ceri.hughes"))
    amended_to_start_later(db)
    after = queries.dashboard(resolve_actor("ceri.hughes"))
    assert after.restrictions_in_force == before.restrictions_in_force - 1
    assert after.restrictions_starting == before.restrictions_starting + 1
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen(UNDER_APPEAL))
        await settle(pilot)
        panel = " ".join(str(app.screen.query_one("#in-force", Static).render()).split())
        assert panel.startswith("RESTRICTIONS FROM 18 Jun 2027 (decided, not yet in force)"), \
            panel
        assert "IN FORCE" not in panel
        app.push_screen(RestrictionBuilderScreen(UNDER_APPEAL))
        await settle(pilot)
        rows = app.screen.query_one("#in-force", DataTable)
        assert rows.row_count == 1
        assert str(rows.get_row_at(0)[0]).startswith("From 18 Jun 2027, not yet in force: ")
        # Headed truthfully, not "In force now" (v15j P3).
        title = str(app.screen.query_one("#in-force-title", Static).render())
        assert title == "Decided, not yet in force", title
        app.open_area("register")
        await settle(pilot)
        # Counted as Home counts them, the not-yet one apart (v15j P2).
        heading = " ".join(str(app.screen.query_one("#register-title", Static).render())
                           .split())
        assert heading.startswith(
            f"{after.restrictions_in_force} customers with restrictions in force; 1 customer "
            "with restrictions decided, not yet in force"), heading
        app.open_area("home")
        await settle(pilot)
        notice = " ".join(str(app.screen.query_one("#starting-notice", Static).render())
                          .split())
        assert notice.startswith("Restrictions decided, not yet in force: 1 customer"), notice
