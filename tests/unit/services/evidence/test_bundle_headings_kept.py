"""v22 C7: in the evidence bundle, "2. Behaviour by month" stood alone at the foot of a page,
its table on the next. Every heading is kept with what follows it: none ends a page."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.letters.bundle import render_bundle
from crm_tui.services.core.database import reading
from crm_tui.services.evidence import bundle
from tests import builders

HEADING = re.compile(r"^\d\. [A-Z]")


def _last_lines(path: Path) -> list[str]:
    """The last line of each page after the index, above its foot (the running footer)."""
    found = []
    for page in PdfReader(path).pages[1:]:
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        body = [line for line in lines if "page " not in line or "Evidence bundle" not in line]
        found.append(body[-1] if body else "")
    return found


@pytest.mark.parametrize("totals", range(20, 60, 3))
def test_no_heading_ends_a_page(actors: dict[Role, Actor], tmp_path: Path,
                                totals: int) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    with reading():
        content = bundle.bundle_content(actors[Role.CRM], ref, "Northmere")
    # A first section of many lines moves the next heading down the page, through its foot.
    content = dataclasses.replace(content, totals=[(f"Figure {i}", i) for i in range(totals)],
                                  matrix=[("Excessive demands", [1] * len(content.matrix_months)),
                                          *content.matrix[1:]])
    path = tmp_path / "bundle.pdf"
    render_bundle(content, path)
    ends = _last_lines(path)
    assert not [e for e in ends if HEADING.match(e) or e in (
        "By channel", "By service area", "By officer", "Contacts per week")], ends
