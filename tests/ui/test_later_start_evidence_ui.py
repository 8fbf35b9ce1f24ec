"""Issue 15 E1 by keys: a restriction decided to start on a later day (the frozen day is 28
Nov 2026; it starts on 1 Dec 2026) was "(in force)" in the evidence viewer (`v` on the case
file): in the documents' "Linked to" line and in k's link list, and in the words refusing a
change to its evidence, while the case file headed it "RESTRICTIONS FROM 1 Dec 2026
(decided, not yet in force)". Each now says it as the case file does."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import DataTable, OptionList, Static

from crm_tui.db.connection import open_database
from crm_tui.db.models import Case, EvidenceLink, Restriction, database_proxy
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.services.core import users
from crm_tui.services.core.inputs import RestrictionDraft
from crm_tui.services.restrictions import decisions
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.evidence import EvidenceScreen
from tests.ui.keys import on_top, press_settled, told

UNDER_APPEAL = "UPV-2026-0004"  # its telephone restriction in force rests on three documents
PHONE = "Telephone on specified days and times restriction"
NOT_YET = "decided to start on 1 Dec 2026, not yet in force"


def _decided_to_start_later(db: Path) -> int:
    """The restriction in force as an amendment on appeal leaves it: decided, starting on 1
    Dec 2026 (the tester's case, made here by its dates), and a lighter one of its kind set
    out beside it, resting on its evidence (decisions.carry_evidence): two of a kind on one
    document, each said with its status. Returns that document."""
    open_database(db)
    case = Case.get(Case.reference == UNDER_APPEAL)
    gareth = users.resolve_actor("gareth.bell")  # the Service Director, deciding the appeal
    draft = decisions.draft_restriction(gareth, UNDER_APPEAL, RestrictionDraft(
        RestrictionKind.TELEPHONE_TIMES,
        {"days": ["mon"], "windows": ["10:00-11:00"], "number": "01632 960999"},
        reason="Calls all day", proportionality="One hour a week still reaches us",
        less_restrictive_considered="Two days, the restriction in force",
        still_reachable="Emergencies: 999", behaviours=(BehaviourCategory.EXCESSIVE_DEMANDS,),
        customer_reason="You rang several officers many times a day."))
    in_force = Restriction.get((Restriction.case == case) & (Restriction.status == "in_force"))
    document = int(EvidenceLink.get((EvidenceLink.restriction == in_force.id)
                                    & EvidenceLink.document.is_null(False)).document_id)
    assert EvidenceLink.select().where((EvidenceLink.restriction == draft)
                                       & (EvidenceLink.document == document)).exists()
    Restriction.update(starts_on=date(2026, 12, 1)).where(
        (Restriction.case == case) & (Restriction.status == "in_force")).execute()
    Case.update(restrictions_start=date(2026, 12, 1)).where(Case.id == case.id).execute()
    database_proxy.close()
    return document


async def test_the_evidence_viewer_says_a_later_start_is_not_yet_in_force(db: Path) -> None:
    document = _decided_to_start_later(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(140, 40)) as pilot:
        case_file = await on_top(pilot, CaseFileScreen(UNDER_APPEAL))
        heading = str(case_file.query_one("#in-force", Static).render())
        assert "RESTRICTIONS FROM 1 Dec 2026 (decided, not yet in force)" in heading, heading
        await press_settled(pilot, "v")
        screen = app.screen
        assert isinstance(screen, EvidenceScreen)
        table = screen.query_one("#documents", DataTable)
        while table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value \
                != str(document):
            await press_settled(pilot, "down")
        reading = " ".join(str(screen.query_one("#reading", Static).render()).split())
        assert f"{PHONE} ({NOT_YET}), {PHONE} (draft)" in reading, reading
        assert "(in force)" not in reading, reading
        await press_settled(pilot, "k")
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt)
                  for i in range(options.option_count)]
        assert not any("(in force)" in label for label in labels), labels
        [at] = [i for i, label in enumerate(labels) if f"({NOT_YET})" in label]
        options.highlighted = at
        await press_settled(pilot, "enter")
        message = told(app)[-1]
        assert f"is {NOT_YET}: the evidence a decision rested on cannot change" in message, \
            message
