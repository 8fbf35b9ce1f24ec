"""Issued letters for the posting tests, made quickly: a register entry and a small PDF of
its own (one line of text per page, naming the letter and the page) as the signed bytes."""

from __future__ import annotations

import hashlib
from dataclasses import replace as changed
from datetime import date, datetime
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from crm_tui.db.models import Case, Customer, Letter, LetterFile
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.wording import envelope_lines
from crm_tui.letters import record
from crm_tui.letters.content import Letter as Content
from tests.unit.letters.test_checker_rules import _letter


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


def kept_until_gone_by(reference: str) -> int:
    """A local resolution letter issued on the case (issued_letter), addressed to where the
    customer lives, saying "we will keep a record of your contact with us until 27 November
    2026": a day gone by on the (frozen) day, 28 November. Its number."""
    letter = issued_letter(reference, kind=LetterKind.LOCAL_RESOLUTION)
    # Addressed to where the customer lives (one addressed elsewhere cannot go: issue 15 AG1).
    customer = Customer.get_by_id(Case.get(Case.reference == reference).customer_id)
    said: Content = changed(_letter(), written_on=date(2026, 11, 26), address=envelope_lines(
        tuple(customer.address.split("\n")), customer.postcode), sections=[
        ("What happens next", ["We will keep a record of your contact with us until 27 "
                               "November 2026."])])
    Letter.update(content=record.dumps(said)).where(Letter.id == letter).execute()
    return letter
