"""Issue 15 E1: restrictions decided to start on a later day were labelled "(in force)" in
the evidence viewer's documents and link lists, in the evidence bundle and in the words that
refuse a change to their evidence, while the case file said "RESTRICTIONS FROM 1 Dec 2026
(decided, not yet in force)" and Home counted them "decided, not yet in force". Every one
reads the one rule (domain.in_force.starts_later)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from crm_tui import clock
from crm_tui.db.models import EvidenceItem, Restriction
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.evidence import bundle, documents, tagging
from crm_tui.services.evidence.tagging import EvidenceKind
from crm_tui.services.intake import case_file
from crm_tui.services.restrictions import decisions
from tests import builders

LATER = date(2026, 12, 1)  # the frozen day is 28 Nov 2026
LABEL = "Contact in a particular form only restriction"
NOT_YET = "decided to start on 1 Dec 2026, not yet in force"


def test_a_restriction_starting_later_is_not_called_in_force(actors: dict[Role, Actor],
                                                             tmp_path: Path) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)
    note = tmp_path / "call-notes.txt"
    note.write_text("Rang five times before 9am on 3 November.\n", encoding="utf-8")
    documents.attach_document(actors[Role.OFFICER], ref, note)
    doc = int(EvidenceItem.get().id)
    [first] = Restriction.select()
    tagging.toggle_link(crm, ref, EvidenceKind.DOCUMENT, doc, f"restriction:{first.id}")
    builders.consult(actors, ref)
    decisions.impose_restrictions(crm, ref, "Persistent contact",
                                  DecisionTerms(starts_on=LATER, ends_on=date(2027, 11, 28)),
                                  read=builders.read(ref), customer_reason=builders.TOLD)
    assert case_file.case_file(crm, ref).starts_on == LATER  # the case file's words
    draft = builders.draft(actors, ref)
    tagging.toggle_link(crm, ref, EvidenceKind.DOCUMENT, doc, f"restriction:{draft}")
    # The documents list (and the bundle, which prints it).
    [info] = documents.list_documents(crm, ref)
    assert info.links == (f"{LABEL} ({NOT_YET})", f"{LABEL} (draft)"), info.links
    [printed] = bundle.bundle_content(crm, ref, "Northmere").documents
    assert printed.links == f"{LABEL} ({NOT_YET}), {LABEL} (draft)", printed.links
    # The link list.
    labels = [t.label for t in tagging.link_targets(crm, ref, EvidenceKind.DOCUMENT, doc)]
    assert f"The {LABEL} ({NOT_YET})" in labels, labels
    assert not any("(in force)" in label for label in labels), labels
    # The refusal.
    with pytest.raises(ValidationError) as refused:
        tagging.toggle_link(crm, ref, EvidenceKind.DOCUMENT, doc, f"restriction:{first.id}")
    assert f"{LABEL} is {NOT_YET}: the evidence a decision rested on cannot change" \
        in str(refused.value), str(refused.value)
    # From its first day it is in force, and said so.
    with clock.travel_to(datetime(2026, 12, 1, 9, 0)):
        [info] = documents.list_documents(crm, ref)
        assert info.links == (f"{LABEL} (in force)", f"{LABEL} (draft)"), info.links
        with pytest.raises(ValidationError) as refused:
            tagging.toggle_link(crm, ref, EvidenceKind.DOCUMENT, doc,
                                f"restriction:{first.id}")
        assert f"{LABEL} is in force: the evidence" in str(refused.value)
