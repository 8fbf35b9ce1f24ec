"""Reading evidence in the terminal: plain text in whatever encoding it came in, emails with
their headers, body and attachments, PDF text; for other files what they are. A damaged file
is reported in a sentence, never as a crash."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from charset_normalizer import from_bytes

from crm_tui.domain.counting import counted

MAX_TEXT_CHARS = 2_000_000  # enough for any letter; a larger text is cut with a note


@dataclass(frozen=True)
class DocumentText:
    kind: str  # "text", "email", "pdf", "other"
    body: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _decode(data: bytes) -> tuple[str, list[str]]:
    for encoding in ("utf-8-sig",):
        try:
            return data.decode(encoding), []
        except UnicodeDecodeError:
            pass
    best = from_bytes(data).best()
    if best is None:
        return data.decode("latin-1"), ["The encoding could not be recognised; shown as "
                                        "Latin-1, so some characters may be wrong."]
    return str(best), [f"Read as {best.encoding} (it is not UTF-8)."]


def _text(data: bytes) -> DocumentText:
    body, notes = _decode(data)
    if len(body) > MAX_TEXT_CHARS:
        body = body[:MAX_TEXT_CHARS]
        notes.append("The text is long: only the first two million characters are shown.")
    return DocumentText("text", body, notes=notes)


def _email(data: bytes) -> DocumentText:
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        return DocumentText("email", "", notes=["This file does not look like an email "
                                                 "(no headers were found)."])
    headers = [(name, str(message[name])) for name in ("From", "To", "Cc", "Date", "Subject")
               if message[name] is not None]
    notes: list[str] = []
    try:
        part = message.get_body(preferencelist=("plain", "html"))
        body = part.get_content() if part is not None else ""
        if part is not None and part.get_content_type() == "text/html":
            notes.append("The email has no plain-text part; its HTML is shown as it is.")
    except (LookupError, ValueError, AttributeError) as exc:
        body = ""
        notes.append(f"The body could not be read: {exc}")
    attachments = [str(p.get_filename() or "(unnamed)") for p in message.iter_attachments()]
    return DocumentText("email", str(body), headers, attachments, notes)


def _msg(path: Path) -> DocumentText:
    import extract_msg

    try:
        message = extract_msg.openMsg(str(path))
    except Exception as exc:  # the library raises many kinds for a damaged file
        return DocumentText("email", "", notes=[f"This Outlook message could not be read: "
                                                 f"{exc}"])
    try:
        # openMsg returns the class for what the file holds (a message, an appointment…);
        # not every kind has every field.
        fields = (("From", "sender"), ("To", "to"), ("Cc", "cc"), ("Date", "date"),
                  ("Subject", "subject"))
        headers = [(label, str(getattr(message, name))) for label, name in fields
                   if getattr(message, name, None)]
        attachments = [str(a.longFilename or a.shortFilename or "(unnamed)")
                       for a in message.attachments]
        return DocumentText("email", str(getattr(message, "body", "") or ""), headers,
                            attachments)
    finally:
        message.close()


def _pdf(path: Path) -> DocumentText:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError, KeyError, TypeError) as exc:
        return DocumentText("pdf", "", notes=[f"This PDF is damaged and its text could not be "
                                               f"read: {exc}"])
    notes = [] if any(p.strip() for p in pages) else [
        "The PDF has no text layer (perhaps a scan): view the file itself."]
    body = "\n\n".join(f"— page {n} —\n{text}" for n, text in enumerate(pages, 1))
    return DocumentText("pdf", body, notes=notes)


def read_document(path: Path, media_type: str, original_name: str) -> DocumentText:
    """The readable content of a stored document."""
    suffix = Path(original_name).suffix.lower()
    if suffix == ".msg" or media_type == "application/vnd.ms-outlook":
        return _msg(path)
    if suffix == ".pdf" or media_type == "application/pdf":
        return _pdf(path)
    data = path.read_bytes()
    if suffix == ".eml" or media_type == "message/rfc822":
        return _email(data)
    if media_type.startswith("text/") or suffix in (".txt", ".csv", ".log", ".md"):
        return _text(data)
    what = {"image": "an image", "audio": "a sound recording", "video": "a video"}.get(
        media_type.split("/")[0], "a file the terminal cannot show")
    if suffix in (".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".ppt", ".pptx"):
        what = "an office document"
    return DocumentText("other", "", notes=[f"This is {what} ({media_type}, "
                                             f"{counted(len(data), 'byte', grouped=True)}). "
                                             "Open the stored copy to view it."])
