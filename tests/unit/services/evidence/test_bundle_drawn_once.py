"""Issue 17 (the evidence bundle of 15,000 contacts over its 4 s budget): the bundle is built
in two passes so that its index gives page numbers, and the log sheet, which moves no heading,
was laid out and drawn in both, the first thrown away. It is drawn once, in the pass whose
index holds, and the bundle reads as before: the index's pages right, every contact there."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.letters import bundle as pdf
from crm_tui.letters.bundle import LOG_CHUNK, BundleContact, render_bundle
from crm_tui.services.core.database import reading
from crm_tui.services.evidence import bundle
from tests import builders

CONTACTS = LOG_CHUNK * 3 + 7


def _contacts() -> list[BundleContact]:
    start = datetime(2026, 9, 1, 9, 0)
    return [BundleContact(start + timedelta(hours=i), "Email", "From the customer",
                          "Housing Services", "Sam Patel", 5, f"Contact number {i:03d}", "",
                          "", False) for i in range(CONTACTS)]


def test_the_log_sheet_is_drawn_once_and_the_index_still_holds(
        actors: dict[Role, Actor], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    with reading():
        content = bundle.bundle_content(actors[Role.CRM], ref, "Northmere")
    content = dataclasses.replace(content, contacts=_contacts())
    drawn: list[int] = []
    original = pdf.Table.draw

    def draw(table: Any) -> None:
        if table._cellvalues and table._cellvalues[0][0] == "When":  # a log-sheet table
            drawn.append(len(table._cellvalues) - 1)
        original(table)

    monkeypatch.setattr(pdf.Table, "draw", draw)
    path = tmp_path / "bundle.pdf"
    render_bundle(content, path)
    assert sum(drawn) == CONTACTS  # each row once (twice before: 2 * CONTACTS)
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]
    # The index's entries as the text comes out of the page: each after its page number.
    listed = re.search(r"(\d+) 6\. Log sheet \(\d+ contacts\)", pages[0])
    assert listed is not None, pages[0]
    at = int(listed.group(1))
    assert f"6. Log sheet ({CONTACTS} contacts)" in pages[at - 1]
    text = " ".join(pages)
    assert all(f"Contact number {i:03d}" in text for i in range(CONTACTS))
