"""Reading evidence in the terminal: plain text in whatever encoding it came in, emails with
their headers, body and attachments, PDF text; for other files what they are. A damaged file
is reported in a sentence, never as a crash."""

from __future__ import annotations

import email
import email.policy
import io
import re
import time
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes

from crm_tui.domain.characters import written_out
from crm_tui.domain.counting import counted

MAX_TEXT_CHARS = 2_000_000  # enough for any letter; a larger text is cut with a note
# Reading stops (with a note) past these: a 20,000-page PDF took 27 seconds to read whole.
MAX_PDF_PAGES = 300
MAX_PDF_PAGE_COUNT = 2_000  # a file saying it has more is not opened page by page at all
MAX_PDF_SECONDS = 5.0
# The operators and operands one page's content may hold: a dense page of text has a few
# thousand; a page of millions took 8.8 s to parse (round 10), past the time limit, which is
# checked only between steps.
MAX_PDF_PAGE_TOKENS = 250_000
MAX_EMAIL_PARTS = 200  # MIME parts (Content-Type headers); nested ones are read recursively
# A line starts after LF, CRLF or a lone CR: the email parser takes all three for line ends
# (found when tried: an email nested thousands deep with CR-only line ends went uncounted).
_MIME_PART = re.compile(rb"(?i)(?:^|[\r\n])content-type:")
# The email parser reads a header in time growing with the square of its size (a 16 KB To
# header took 2 s, a 64 KB one 48 s): a longer header is left out, with a note, and an email
# whose headers are larger than any real one's is not read at all.
MAX_EMAIL_HEADER_CHARS = 4_000
MAX_EMAIL_HEADERS_BYTES = 64_000
_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n|$)")
_HEADER_START = re.compile(rb"[\x21-\x39\x3b-\x7e]+:")


class _OutOfTime(Exception):
    """Reading a PDF took longer than MAX_PDF_SECONDS: stopped inside a page."""


@dataclass(frozen=True)
class DocumentText:
    kind: str  # "text", "email", "pdf", "other"
    body: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The text the document itself holds, for a search: the body without the reader's own
    # page markers ("— page 1 —"), which matched a search for "page 1" in PDFs whose first
    # page could not even be read (found when tried). None: the body is that text.
    words: str | None = None

    @property
    def in_full(self) -> bool:
        """Whether all the text it holds was read, so that a search of it missed nothing:
        every note but those saying how its text was read says something was left unread
        (pages past the limit, parts not read, a damaged page, no text at all)."""
        return all(note.startswith(_HOW_READ) for note in self.notes)


# The notes that say how a document's text was read, not that any of it was left unread.
_HOW_READ = ("Read as ", "The encoding could not be recognised",
             "The email has no plain-text part")


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


def _header_blocks(data: bytes) -> tuple[bytes, list[str], int]:
    """The email with every header longer than MAX_EMAIL_HEADER_CHARS left out (its own, and
    its parts': the lines after a boundary line, up to the next blank one), the notes saying
    which, and the size of all its headers."""
    out: list[bytes] = []
    notes: list[str] = []
    total = 0
    in_headers = True
    header: list[bytes] = []

    def close() -> None:
        nonlocal total
        size = sum(len(line) for line in header)
        total += size
        if size > MAX_EMAIL_HEADER_CHARS:
            name = header[0].split(b":", 1)[0].decode("ascii", "replace")
            long = counted(size, "character", grouped=True)
            notes.append(f"The {name} header is {long} long, more than the "
                         f"{MAX_EMAIL_HEADER_CHARS:,} read here: it is left out.")
        else:
            out.extend(header)
        header.clear()

    for match in _LINE.finditer(data):
        line = match.group()
        if not line:
            break
        if in_headers:
            if line[:1] in (b" ", b"\t") and header:
                header.append(line)  # a folded header goes on
                continue
            if header:
                close()
            if line.strip(b"\r\n") == b"":
                in_headers = False
                out.append(line)
            elif _HEADER_START.match(line):
                header.append(line)
            else:
                out.append(line)
            continue
        out.append(line)
        if line.startswith(b"--"):
            in_headers = True  # a boundary: a part's headers follow
    if header:
        close()
    return b"".join(out), notes, total


def _email(data: bytes) -> DocumentText:
    started = time.monotonic()
    parts = len(_MIME_PART.findall(data))
    if parts > MAX_EMAIL_PARTS:
        # The parser recurses into each nested part: thousands of them exhaust the stack
        # (a RecursionError) after seconds of work. No real email has so many.
        return DocumentText("email", "", notes=[
            f"This email has {parts:,} parts, more than the {MAX_EMAIL_PARTS} an email can "
            "sensibly hold; it is not read here: view the file itself."])
    data, notes, header_bytes = _header_blocks(data)
    if header_bytes > MAX_EMAIL_HEADERS_BYTES:
        return DocumentText("email", "", notes=[
            f"This email's headers are {header_bytes:,} bytes, more than the "
            f"{MAX_EMAIL_HEADERS_BYTES:,} an email's can sensibly hold; it is not read here: "
            "view the file itself."])

    def out_of_time() -> bool:
        return time.monotonic() - started > MAX_PDF_SECONDS

    stopped = (f"Reading this email stopped after {MAX_PDF_SECONDS:.0f} seconds: view the "
               "file itself.")
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        return DocumentText("email", "", notes=["This file does not look like an email "
                                                 "(no headers were found)."])
    headers: list[tuple[str, str]] = []
    for name in ("From", "To", "Cc", "Date", "Subject"):
        if out_of_time():
            return DocumentText("email", "", headers, notes=[*notes, stopped])
        try:
            value = message[name]
            if value is not None:
                headers.append((name, str(value)))
        except Exception as exc:  # a malformed header (the parser's IndexError, say)
            notes.append(f"The {name} header could not be read: {_why(exc)}")
    if out_of_time():
        return DocumentText("email", "", headers, notes=[*notes, stopped])
    try:
        part = message.get_body(preferencelist=("plain", "html"))
        body = str(part.get_content()) if part is not None else ""
        if part is not None and part.get_content_type() == "text/html":
            notes.append("The email has no plain-text part; its HTML is shown as it is.")
        if part is None and (undivided := _undivided(message)) is not None:
            body = undivided[0]
            notes += undivided[1]
    except Exception as exc:  # the email package raises many kinds for a damaged message
        body = ""
        notes.append(f"The body could not be read: {_why(exc)}")
    if len(body) > MAX_TEXT_CHARS:
        body = body[:MAX_TEXT_CHARS]
        notes.append("The text is long: only the first two million characters are shown.")
    if out_of_time():
        return DocumentText("email", body, headers, notes=[*notes, stopped])
    try:
        attachments = [str(p.get_filename() or "(unnamed)")
                       for p in message.iter_attachments()]
    except Exception as exc:
        attachments = []
        notes.append(f"The attachments could not be listed: {_why(exc)}")
    return DocumentText("email", body, headers, attachments, notes)


def _undivided(message: EmailMessage) -> tuple[str, list[str]] | None:
    """The text of an email that says it is in parts (multipart/…) but whose parts could not
    be told apart, its boundary missing or never used (the parser's NoBoundaryInMultipart
    and StartBoundaryNotFound defects), as Python's email package gives it: undivided, with a
    note; None for any other email. Such an email read as having no body, with no note, and
    was counted as searched in full: a search for its words said "Found in 0" (t16 F2).
    The note lists it as not searched in full: what it holds may be parts still encoded."""
    if message.get_content_maintype() != "multipart" or message.is_multipart():
        return None
    payload = message.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    body, read_as = _decode(data)
    why = ("its boundary is missing" if message.get_boundary() is None
           else "its boundary is never used")
    return body, [*read_as, f"This email says it is in parts ({message.get_content_type()}), "
                            f"but they could not be told apart ({why}): its text is shown "
                            "undivided, as it came; view the file itself."]


def _msg(path: Path | bytes) -> DocumentText:
    import extract_msg

    try:
        message = extract_msg.openMsg(path if isinstance(path, bytes) else str(path))
    except Exception as exc:  # the library raises many kinds for a damaged file
        return DocumentText("email", "", notes=[f"This Outlook message could not be read: "
                                                 f"{_why(exc)}"])
    try:
        return _msg_fields(message)
    except Exception as exc:
        return DocumentText("email", "", notes=[f"This Outlook message could not be read: "
                                                 f"{_why(exc)}"])
    finally:
        message.close()


def _msg_fields(message: Any) -> DocumentText:
    # openMsg returns the class for what the file holds (a message, an appointment…); not
    # every kind has every field.
    fields = (("From", "sender"), ("To", "to"), ("Cc", "cc"), ("Date", "date"),
              ("Subject", "subject"))
    headers = [(label, str(getattr(message, name))) for label, name in fields
               if getattr(message, name, None)]
    attachments = [str(a.longFilename or a.shortFilename or "(unnamed)")
                   for a in message.attachments]
    return DocumentText("email", str(getattr(message, "body", "") or ""), headers, attachments)


def _pdf(path: Path | bytes) -> DocumentText:
    from pypdf import apply_configuration

    # The page tree is walked and each page's content parsed within limits of their own
    # (pypdf's: it raises LimitReachedError past them), so that neither a tree whose /Count
    # lies nor one heavy page holds the reader for seconds before a limit is looked at.
    with apply_configuration(page_tree_maximum_entries=MAX_PDF_PAGE_COUNT + 100,
                             stream_parsing_work_maximum_count=MAX_PDF_PAGE_TOKENS):
        return _pdf_pages(path)


def _pdf_pages(path: Path | bytes) -> DocumentText:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    notes: list[str] = []
    pages: list[str] = []
    started = time.monotonic()

    def in_time(*_args: Any) -> None:
        if time.monotonic() - started > MAX_PDF_SECONDS:
            raise _OutOfTime

    too_many = DocumentText("pdf", "", notes=[
        f"This PDF has more than the {MAX_PDF_PAGE_COUNT:,} pages read here: view the file "
        "itself."])
    try:
        reader = PdfReader(io.BytesIO(path) if isinstance(path, bytes) else str(path))
        total = _page_count(reader)
        if total > MAX_PDF_PAGE_COUNT:
            # Even listing that many pages takes seconds (a 20,000-page file, 4 s).
            return DocumentText("pdf", "", notes=[
                f"This PDF has {counted(total, 'page', grouped=True)}, more than the "
                f"{MAX_PDF_PAGE_COUNT:,} read "
                "here: view the file itself."])
        try:
            total = len(reader.pages)  # the tree walked: its /Count may lie
        except LimitReachedError:
            return too_many
        for n, page in enumerate(reader.pages, 1):
            if n > MAX_PDF_PAGES or time.monotonic() - started > MAX_PDF_SECONDS:
                notes.append(_stopped(n - 1, total))
                break
            try:
                pages.append(page.extract_text(visitor_operand_before=in_time) or "")
                if not pages[-1].strip() and (unread := _contents_unread(page)):
                    notes.append(f"The text of page {n} could not be read: {unread}")
            except _OutOfTime:
                notes.append(_stopped(n - 1, total))
                break
            except LimitReachedError as exc:
                pages.append("")
                notes.append(f"The text of page {n} could not be read: "
                             + ("it holds more than a page can sensibly hold (over "
                                f"{MAX_PDF_PAGE_TOKENS:,} drawing steps)"
                                if "tokens" in str(exc) or "element count" in str(exc)
                                else _why(exc)))
            except Exception as exc:  # one page's damage (a bomb, a filter pypdf lacks)
                pages.append("")
                notes.append(f"The text of page {n} could not be read: {_why(exc)}")
    except _OutOfTime:
        return DocumentText("pdf", "", notes=[_stopped(0, 0)])
    except Exception as exc:  # pypdf raises many kinds for a damaged file
        return DocumentText("pdf", "", notes=[f"This PDF is damaged and its text could not be "
                                               f"read: {_why(exc)}"])
    if not any(p.strip() for p in pages) and not notes:
        notes.append("The PDF has no text layer (perhaps a scan): view the file itself.")
    body = "\n\n".join(f"— page {n} —\n{text}" for n, text in enumerate(pages, 1))
    return DocumentText("pdf", body, notes=notes, words="\n\n".join(pages))


def _contents_unread(page: Any) -> str:
    """Why a page that gave no text could not be read, if its content could not be undone
    (a compression the reader lacks, a bomb); "" if it could. pypdf gives no text, and
    raises nothing, for a page naming no resources without opening its content at all: a
    page in /JBIG2Decode was said to be "no text layer (perhaps a scan)" (t16 F3)."""
    from pypdf.errors import LimitReachedError

    try:
        contents = page.get_contents()
        if contents is not None:
            contents.get_data()
    except LimitReachedError:
        return "it expands to more than a document can hold"
    except Exception as exc:  # pypdf's many kinds, for a filter it lacks or damage
        return _why(exc)
    return ""


def _stopped(read: int, total: int) -> str:
    of = f" of {total:,}" if total else ""
    return (f"Only the first {counted(read, 'page')}{of} are shown (reading stops after "
            f"{MAX_PDF_PAGES} pages or {MAX_PDF_SECONDS:.0f} seconds): view the file itself.")


def _page_count(reader: Any) -> int:
    """The number of pages the file says it has (its page tree's /Count), read without
    walking the tree; a count that is missing or no number is taken as none."""
    try:
        count = reader.trailer["/Root"]["/Pages"]["/Count"]
        return int(count) if isinstance(count, int) else 0
    except Exception:
        return 0


def _why(exc: BaseException) -> str:
    """What went wrong, in a line: the library's own words, or what kind of failure it was."""
    said = " ".join(str(exc).split())[:200]
    unknown = "it uses a compression this reader does not know"
    kind = {"LimitReachedError": "it expands to more than a document can hold",
            "NotImplementedError": unknown, "DependencyError": unknown,
            "RecursionError": "it is nested too deep"}.get(type(exc).__name__)
    return kind or said or type(exc).__name__


def read_document(source: Path | bytes, media_type: str, original_name: str) -> DocumentText:
    """The readable content of a stored document (its file, or its plain bytes as the
    evidence store gives them); a file that cannot be read is said in a note naming it,
    never raised: one broken document never stops the others being read."""
    try:
        read = _read(source, media_type, original_name)
    except Exception as exc:
        return DocumentText("other", "", notes=[f"{original_name} could not be read: "
                                                 f"{_why(exc)}"])
    # Found when tried: a text's ESC[31m and BEL vanished from the screen without a word, so
    # what was shown was not the document; now written out, and said.
    body, controls = written_out(read.body)
    if not controls:
        return read
    return replace(read, body=body, notes=[*read.notes, (
        f"{counted(controls, 'control character', grouped=True)} (a terminal's colour codes, "
        "a bell) written out as \\x1b and the like, not obeyed; the stored copy holds them "
        "as they came.")])


def _read(path: Path | bytes, media_type: str, original_name: str) -> DocumentText:
    suffix = Path(original_name).suffix.lower()
    if suffix == ".msg" or media_type == "application/vnd.ms-outlook":
        return _msg(path)
    if suffix == ".pdf" or media_type == "application/pdf":
        return _pdf(path)
    data = path if isinstance(path, bytes) else path.read_bytes()
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
