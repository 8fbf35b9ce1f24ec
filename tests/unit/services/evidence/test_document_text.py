"""Each kind of evidence read as text, and damaged files reported, not crashed on."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from reportlab.pdfgen import canvas

from crm_tui.services.evidence.document_text import read_document


def test_utf8_text(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Siân rang at 23:10 [bold]again[/]", encoding="utf-8")
    doc = read_document(path, "text/plain", "note.txt")
    assert doc.kind == "text" and doc.body == "Siân rang at 23:10 [bold]again[/]"
    assert doc.notes == []


def test_control_characters_are_written_out_and_said(tmp_path: Path) -> None:
    """Found when tried: "gutter \\x1b[31mred\\x1b[0m \\x07 bell" showed as "gutter red  bell"
    with no note. Windows line ends are line ends, not control characters."""
    path = tmp_path / "ctrl.txt"
    path.write_bytes(b"gutter \x1b[31mred\x1b[0m \x07 bell\r\nnext line\n")
    doc = read_document(path, "text/plain", "ctrl.txt")
    assert doc.body == "gutter \\x1b[31mred\\x1b[0m \\x07 bell\nnext line\n"
    assert doc.notes == ["3 control characters (a terminal's colour codes, a bell) written "
                         "out as \\x1b and the like, not obeyed; the stored copy holds them as "
                         "they came."]
    plain = tmp_path / "windows.txt"
    plain.write_bytes(b"first line\r\nsecond line\r\n")
    assert read_document(plain, "text/plain", "windows.txt").notes == []


def test_other_encodings_are_recognised(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes(("Réunion avec Siân — le client a téléphoné à plusieurs reprises "
                      "concernant la même gouttière. " * 3).encode("cp1252"))
    doc = read_document(path, "text/plain", "old.txt")
    assert "Siân" in doc.body and "téléphoné" in doc.body
    assert doc.notes and "not UTF-8" in doc.notes[0]


def test_email_with_attachment(tmp_path: Path) -> None:
    message = EmailMessage()
    message["From"] = "customer@example.org"
    message["To"] = "repairs@northmere.example.gov.uk"
    message["Subject"] = "The gutter AGAIN"
    message["Date"] = "Tue, 03 Nov 2026 23:10:00 +0000"
    message.set_content("Sixth email this week.\nFix it.")
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf",
                           filename="photo-evidence.pdf")
    path = tmp_path / "mail.eml"
    path.write_bytes(message.as_bytes())
    doc = read_document(path, "message/rfc822", "mail.eml")
    assert doc.kind == "email"
    assert ("Subject", "The gutter AGAIN") in doc.headers
    assert "Sixth email this week." in doc.body
    assert doc.attachments == ["photo-evidence.pdf"]


def test_damaged_email_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "junk.eml"
    path.write_bytes(b"\x00\x01\x02 not an email at all \xff\xfe")
    doc = read_document(path, "message/rfc822", "junk.eml")
    assert doc.kind == "email" and doc.notes


def test_pdf_text(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 720, "Letter of concern to the customer")
    pdf.showPage()
    pdf.drawString(72, 720, "Second page")
    pdf.save()
    doc = read_document(path, "application/pdf", "letter.pdf")
    assert doc.kind == "pdf"
    assert "Letter of concern to the customer" in doc.body and "— page 2 —" in doc.body


def test_damaged_pdf_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> garbage")
    doc = read_document(path, "application/pdf", "broken.pdf")
    assert doc.kind == "pdf" and doc.notes


def test_damaged_msg_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "broken.msg"
    path.write_bytes(b"not an OLE file")
    doc = read_document(path, "application/vnd.ms-outlook", "broken.msg")
    assert doc.kind == "email" and "could not be read" in doc.notes[0]


def test_images_and_office_files_are_described(tmp_path: Path) -> None:
    image = tmp_path / "photo.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    doc = read_document(image, "image/png", "photo.png")
    assert doc.kind == "other" and "an image" in doc.notes[0]
    office = tmp_path / "minutes.docx"
    office.write_bytes(b"PK\x03\x04")
    assert "office document" in read_document(office, "application/zip",
                                               "minutes.docx").notes[0]
