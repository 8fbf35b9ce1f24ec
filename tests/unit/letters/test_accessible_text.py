"""The accessible alternative says what the PDF says, marked up for a screen reader: British
English, the subject as the page's heading, each section a heading of its own, numbered and
bulleted lines as lists, the customer's words escaped, and the print size kept."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest

from crm_tui.domain.letters import LetterKind
from crm_tui.letters.accessible import html, plain_text
from tests.letter_samples import sample

VOID = {"meta", "br"}


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open.pop() == tag, (tag, self.open)

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append((self.open[-1] if self.open else "", data.strip()))


def _read(page: str) -> _Structure:
    parsed = _Structure()
    parsed.feed(page)
    parsed.close()
    assert parsed.open == []  # every element closed where it was opened
    return parsed


@pytest.mark.parametrize("kind", list(LetterKind), ids=lambda k: k.value)
def test_every_kind_as_html_and_text(kind: LetterKind) -> None:
    letter = sample(kind)
    page = html(letter)
    parsed = _read(page)
    assert page.startswith("<!DOCTYPE html>")
    assert ("html", {"lang": "en-GB"}) in parsed.tags
    assert [t for tag, t in parsed.text if tag == "h1"] == [letter.subject]
    assert "<b>" not in page and "&lt;b&gt;&amp;amp;&lt;/b&gt;" in page  # never markup
    headings = [t for tag, t in parsed.text if tag == "h2"]
    assert headings == [h for h, _ in letter.sections if h]
    text = plain_text(letter)
    for _, paragraphs in letter.sections:
        for paragraph in paragraphs:
            assert paragraph in text
    assert "Mx Ngọc Trâm Vũ" in text and letter.subject in text
    assert text.index(letter.salutation) < text.index("Yours sincerely,")


def test_lists_marks_and_print_size() -> None:
    parsed = _read(html(sample(LetterKind.DECISION)))
    items = [t for tag, t in parsed.text if tag == "li"]
    assert "You may contact us only in writing." in items  # "1. " made an ordered list
    assert "on 10 October 2026: you emailed four officers about one invoice." in items
    assert {tag for tag, _ in parsed.tags} >= {"ol", "ul", "dl", "address", "main", "time"}
    large = html(sample(LetterKind.LIFTED, 20, copy_of=date(2026, 11, 20)))
    assert "font-size: 20pt" in large and "font-size: 12pt" in html(sample(LetterKind.LIFTED))
    assert "Copy of the letter sent on 20 November 2026." in large
    assert "Copy of the letter sent on 20 November 2026." in plain_text(
        sample(LetterKind.LIFTED, copy_of=date(2026, 11, 20)))
