"""v22 C7 by keys: the evidence bundle (E in the evidence viewer) of a case under appeal, a
lighter telephone restriction set out beside the one in force: each document's links tell
the two apart, and no heading stands alone at a page's foot."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

from crm_tui.db.connection import open_database
from crm_tui.db.models import database_proxy
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.services.core import users
from crm_tui.services.core.inputs import RestrictionDraft
from crm_tui.services.restrictions import decisions
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.evidence import EvidenceScreen
from tests.ui.keys import on_top, press_settled

UNDER_APPEAL = "UPV-2026-0004"  # its telephone restriction in force rests on three documents
PHONE = "Telephone on specified days and times restriction"


def _lighter_set_out(db: Path) -> None:
    open_database(db)
    decisions.draft_restriction(users.resolve_actor("gareth.bell"), UNDER_APPEAL,
                                RestrictionDraft(
        RestrictionKind.TELEPHONE_TIMES,
        {"days": ["mon"], "windows": ["10:00-11:00"], "number": "01632 960999"},
        reason="Calls all day", proportionality="One hour a week still reaches us",
        less_restrictive_considered="Two days, the restriction in force",
        still_reachable="Emergencies: 999", behaviours=(BehaviourCategory.EXCESSIVE_DEMANDS,),
        customer_reason="You rang several officers many times a day."))
    database_proxy.close()


async def test_the_bundle_tells_two_of_a_kind_apart_and_keeps_headings_with_text(
        db: Path, tmp_path: Path) -> None:
    _lighter_set_out(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(140, 40)) as pilot:
        await on_top(pilot, EvidenceScreen(UNDER_APPEAL))
        await press_settled(pilot, "E")
        [pdf] = (tmp_path / "data" / "exports").glob(f"evidence-bundle-{UNDER_APPEAL}-*.pdf")
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    text = " ".join(" ".join(pages).split())
    assert f"{PHONE} (in force), {PHONE} (draft)" in text, text
    assert f"{PHONE}, {PHONE}" not in text
    for page in pages[1:]:  # after the index
        lines = [x.strip() for x in page.splitlines()
                 if x.strip() and "Evidence bundle" not in x]
        assert not re.match(r"^\d\. [A-Z]", lines[-1]), lines[-1]
