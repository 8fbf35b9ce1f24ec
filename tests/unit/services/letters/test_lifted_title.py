"""fixAQ AQ2: a letter lifting the restrictions early (before their end, with no review) was
titled "Restrictions lifted after review" — the kind's label, shown in the lists and carried
as the signed PDF's title. It is titled "Restrictions lifted" now, true of every lifting; a
letter signed before keeps its title, its PDF kept being the record (an export is the very
same bytes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from crm_tui.db.models import Letter
from crm_tui.domain import letters as letter_kinds
from crm_tui.domain.letters import LetterKind
from crm_tui.letters import record
from crm_tui.letters.content import text
from crm_tui.services.core import confirmation
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import copies, issuing
from crm_tui.services.restrictions import decisions
from tests.builders import TOLD

FORMER = "Restrictions lifted after review"
EARLY, BEFORE = "UPV-2025-0005", "UPV-2025-0004"  # restricted in the demo, no review open


def _title(path: Path) -> str:
    info = PdfReader(path).metadata
    assert info is not None
    return str(info.title)


def _lifted_early(ref: str, out: Path) -> issuing.IssuedLetter:
    crm = resolve_actor("ceri.hughes")
    with confirmation.given(DEMO_PASSPHRASE):
        decisions.lift_restrictions(crm, ref, "Behaviour has subsided", customer_reason=TOLD)
    return issuing.sign_and_export(crm, ref, LetterKind.LIFTED, out, DEMO_PASSPHRASE)


def test_an_early_lifting_signed_now_is_titled_truly(demo: Path, tmp_path: Path) -> None:
    signed = _lifted_early(EARLY, tmp_path / "out")
    assert _title(signed.path) == f"Restrictions lifted · {EARLY}"
    assert LetterKind.LIFTED.label == "Restrictions lifted"
    assert "after review" not in text(record.loads(Letter.get_by_id(signed.letter_id).content))


def test_a_lifting_letter_signed_before_is_exported_as_it_was(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as then:  # signed under the former title
        then.setitem(letter_kinds._LABELS, LetterKind.LIFTED, FORMER)
        signed = _lifted_early(BEFORE, tmp_path / "then")
    kept = signed.path.read_bytes()
    stored = Letter.get_by_id(signed.letter_id).content
    assert _title(signed.path) == f"{FORMER} · {BEFORE}"
    exported = copies.export_copy(resolve_actor("ceri.hughes"), signed.letter_id,
                                  tmp_path / "now")
    assert exported.read_bytes() == kept
    assert _title(exported) == f"{FORMER} · {BEFORE}"
    assert Letter.get_by_id(signed.letter_id).content == stored
