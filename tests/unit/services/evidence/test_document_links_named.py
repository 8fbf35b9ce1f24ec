"""v22 C7: a document's links read "referral, Telephone on specified days and times
restriction, Telephone on specified days and times restriction" in the evidence bundle: two
restrictions of one kind are told apart, as the evidence viewer's link list does them (by
their `#` in the builder where two drafts share a kind, and whether in force, ended or a
draft)."""

from __future__ import annotations

from pathlib import Path

from crm_tui.db.models import EvidenceItem, Restriction
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.evidence import documents, tagging
from crm_tui.services.evidence.tagging import EvidenceKind
from crm_tui.services.restrictions import decisions
from tests import builders


def test_two_restrictions_of_one_kind_are_told_apart(actors: dict[Role, Actor],
                                                      tmp_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)
    note = tmp_path / "call-notes.txt"
    note.write_text("Rang five times before 9am on 3 November.\n", encoding="utf-8")
    documents.attach_document(actors[Role.OFFICER], ref, note)
    doc = EvidenceItem.get()
    [first] = Restriction.select()
    tagging.toggle_link(actors[Role.CRM], ref, EvidenceKind.DOCUMENT, int(doc.id),
                        f"restriction:{first.id}")
    builders.consult(actors, ref)
    decisions.impose_restrictions(actors[Role.CRM], ref, "Persistent contact",
                                  builders.TERMS, read=builders.read(ref),
                                  customer_reason=builders.TOLD)
    draft = builders.draft(actors, ref)
    tagging.toggle_link(actors[Role.CRM], ref, EvidenceKind.DOCUMENT, int(doc.id),
                        f"restriction:{draft}")
    [info] = documents.list_documents(actors[Role.CRM], ref)
    label = "Contact in a particular form only restriction"
    assert info.links == (f"{label} (in force)", f"{label} (draft)"), info.links
