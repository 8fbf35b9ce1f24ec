"""t16 F2: an email that says it is in parts (multipart/…) but whose boundary is missing or
never used was read as having no body, with no note, and counted as searched in full: a
search for its words said "Found in 0 of 2". Its text is shown undivided, as Python's email
package gives it, with a note; it is listed among the documents not searched in full."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.evidence import documents
from crm_tui.services.evidence.document_text import read_document
from tests import builders

HEAD = "From: a@example.org\nTo: b@example.org\nSubject: {subject}\nMIME-Version: 1.0\n"
# The report's two files: a boundary declared but never used, and none declared.
UNUSED = (HEAD.format(subject="boundary missing")
          + 'Content-Type: multipart/alternative; boundary="XYZ"\n\n'
          "I will come to the office every day until the gutter is fixed, Quokka.\n")
MISSING = (HEAD.format(subject="no boundary") + "Content-Type: multipart/mixed\n\n"
           "no boundary Zebedee\n")


@pytest.mark.parametrize(("text", "body", "why"), [
    (UNUSED, "I will come to the office every day until the gutter is fixed, Quokka.\n",
     "multipart/alternative), but they could not be told apart (its boundary is never used)"),
    (MISSING, "no boundary Zebedee\n",
     "multipart/mixed), but they could not be told apart (its boundary is missing)"),
])
def test_its_text_is_shown_undivided_with_a_note(tmp_path: Path, text: str, body: str,
                                                 why: str) -> None:
    path = tmp_path / "odd.eml"
    path.write_text(text, encoding="utf-8")
    doc = read_document(path, "message/rfc822", "odd.eml")
    assert doc.body == body
    assert len(doc.notes) == 1 and why in doc.notes[0], doc.notes
    assert not doc.in_full


def test_a_search_finds_its_words_and_lists_it_as_not_searched_in_full(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    for name, text in (("odd5.eml", UNUSED), ("odd2.eml", MISSING)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        documents.attach_document(actors[Role.OFFICER], ref, tmp_path / name)
    found = documents.search(actors[Role.CRM], ref, "Quokka")
    assert [h.original_name for h in found.hits] == ["odd5.eml"]
    assert sorted(found.not_in_full) == ["odd2.eml", "odd5.eml"]
    assert found.said().startswith("Found in 1 of 2 documents: odd5.eml (1). 2 documents "
                                   "could not be searched in full"), found.said()
