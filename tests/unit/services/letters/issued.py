"""Issued letters for the posting tests, made quickly: a register entry and a small PDF of
its own (one line of text per page, naming the letter and the page) as the signed bytes."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from crm_tui.db.models import Case, Letter, LetterFile
from crm_tui.domain.letters import LetterKind


def small_pdf(label: str, pages: int) -> bytes:
    out = BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=True)
    for page in range(1, pages + 1):
        canvas.drawString(72, 720, f"{label} page {page}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def issued_letter(reference: str, *, pages: int = 1, signed_at: datetime =
                  datetime(2026, 11, 26, 10, 0), appeal_by: date | None = None,
                  kind: LetterKind = LetterKind.DECISION, with_pdf: bool = True,
                  status: str = "issued", duplicate_of: int | None = None,
                  signer: int = 1) -> int:
    case = Case.get(Case.reference == reference)
    row = Letter.create(case=case, kind=kind.value, created_at=signed_at, created_by=signer,
                        signed_by=signer, signed_at=signed_at, status=status,
                        file_name=f"{reference}-{kind.value}.pdf", sha256="0" * 64,
                        written_on=signed_at.date(), appeal_by=appeal_by,
                        duplicate_of=duplicate_of)
    if with_pdf:
        pdf = small_pdf(f"letter {row.id}", pages)
        LetterFile.create(letter=row.id, pdf=pdf)
        # The register names the file it keeps, as issuing does.
        Letter.update(sha256=hashlib.sha256(pdf).hexdigest()).where(
            Letter.id == row.id).execute()
    return int(row.id)
