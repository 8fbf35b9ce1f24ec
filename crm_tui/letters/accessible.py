"""The accessible alternative to a letter, for a customer who uses a screen reader or needs
the text another way: the same letter as plain text, and as HTML whose headings, paragraphs
and lists say what they are, in British English. Every word comes from the same content as
the PDF; the customer's words are escaped, never read as markup."""

from __future__ import annotations

import re
from html import escape

from crm_tui.letters.content import Letter, day
from crm_tui.letters.page_setup import sizes_for

DEMO = "DEMO: invented people, not a real letter."
_NUMBERED = re.compile(r"^\d+\.\s")


def _marks(letter: Letter) -> list[str]:
    marks = [f"Copy of the letter sent on {day(letter.copy_of)}."] if letter.copy_of else []
    return marks + ([DEMO] if letter.demo else [])


def _ways(letter: Letter) -> list[str]:
    # The ways the restrictions leave open, as on the printed letterhead.
    return [way if way.startswith("Telephone") else f"Email {way}"
            for way in letter.council_ways()]


def _html_way(way: str) -> str:
    if way.startswith("Telephone"):
        return escape(way)
    return f'Email <a href="mailto:{escape(way, quote=True)}">{escape(way)}</a>'


def plain_text(letter: Letter, notice: str = "") -> str:
    """The letter as plain text: one paragraph to a line, a blank line between them. A copy
    not to be sent (`notice`: services.letters.not_to_send) opens with the notice."""
    head = letter.letterhead
    blocks = [*([notice] if notice else []),
        "\n".join([head.council, head.department, ", ".join(head.address),
                   *_ways(letter), head.website]),
        *_marks(letter),
        "\n".join(["To:", letter.recipient, *letter.address]),
        "\n".join([f"Our reference: {letter.reference}", f"Date: {day(letter.written_on)}",
                   "Contact: Complaints Resolution Team"]),
        letter.salutation, letter.subject]
    for heading, paragraphs in letter.sections:
        if heading:
            blocks.append(heading)
        blocks += paragraphs
    blocks += ["Yours sincerely,",
               "\n".join([letter.signer, letter.signer_title, head.council])]
    return "\n\n".join(blocks) + "\n"


def _paragraphs(paragraphs: list[str]) -> list[str]:
    """Paragraphs as HTML: a run of numbered lines is an ordered list, of "- " lines a list."""
    out: list[str] = []
    i = 0
    while i < len(paragraphs):
        kind = "ol" if _NUMBERED.match(paragraphs[i]) else \
            "ul" if paragraphs[i].startswith("- ") else ""
        if not kind:
            out.append(f"<p>{escape(paragraphs[i])}</p>")
            i += 1
            continue
        items = []
        while i < len(paragraphs) and (
                (kind == "ol" and _NUMBERED.match(paragraphs[i]))
                or (kind == "ul" and paragraphs[i].startswith("- "))):
            items.append(_NUMBERED.sub("", paragraphs[i]) if kind == "ol"
                         else paragraphs[i][2:])
            i += 1
        out.append(f"<{kind}>" + "".join(f"<li>{escape(item)}</li>" for item in items)
                   + f"</{kind}>")
    return out


def html(letter: Letter, notice: str = "") -> str:
    """The letter as an HTML page: the subject the page's main heading, each section a
    second-level heading, at the letter's print size. A copy not to be sent (`notice`) opens
    with the notice, before the letterhead, read out first."""
    head = letter.letterhead
    size = sizes_for(letter).body
    lines = [
        "<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(letter.subject)} · {escape(letter.reference)}</title>",
        f"<style>body {{ font-family: Verdana, Arial, sans-serif; font-size: {size:g}pt; "
        "line-height: 1.5; max-width: 40em; margin: 2em auto; padding: 0 1em; }</style>",
        "</head>", "<body>",
        *([f'<p role="alert"><strong>{escape(notice)}</strong></p>'] if notice else []),
        "<header>",
        f"<p><strong>{escape(head.council)}</strong><br>{escape(head.department)}</p>",
        "<address>" + "<br>".join(escape(line) for line in head.address)
        + "".join(f"<br>{_html_way(way)}" for way in letter.council_ways())
        + f"<br>{escape(head.website)}</address>", "</header>", "<main>"]
    lines += [f'<p role="note"><strong>{escape(mark)}</strong></p>' for mark in _marks(letter)]
    lines += [
        "<dl>",
        "<dt>To</dt><dd>" + "<br>".join(escape(line) for line in (letter.recipient,
                                                                   *letter.address)) + "</dd>",
        f"<dt>Our reference</dt><dd>{escape(letter.reference)}</dd>",
        f'<dt>Date</dt><dd><time datetime="{letter.written_on.isoformat()}">'
        f"{day(letter.written_on)}</time></dd>",
        "<dt>Contact</dt><dd>Complaints Resolution Team</dd>", "</dl>",
        f"<p>{escape(letter.salutation)}</p>", f"<h1>{escape(letter.subject)}</h1>"]
    for heading, paragraphs in letter.sections:
        lines += ([f"<h2>{escape(heading)}</h2>"] if heading else []) + _paragraphs(paragraphs)
    lines += ["<p>Yours sincerely,</p>",
              f"<p>{escape(letter.signer)}<br>{escape(letter.signer_title)}<br>"
              f"{escape(head.council)}</p>", "</main>", "</body>", "</html>"]
    return "\n".join(lines) + "\n"
