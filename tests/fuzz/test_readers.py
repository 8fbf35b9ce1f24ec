"""Property tests over every reader of what comes from outside: whatever the input, the only
failure is the reader's own refusal (a DomainError or ValueError in words), never a crash;
a document reader never raises at all. Sizes: the `suite` profile (tests/conftest.py); `make
test-fuzz` runs thousands of examples each."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from crm_tui.domain.errors import DomainError
from crm_tui.domain.typed_dates import (
    EARLIEST,
    date_problem,
    parse_date,
    parse_time,
    time_problem,
)
from crm_tui.services.core import bounded_json
from crm_tui.services.evidence.document_text import read_document
from crm_tui.services.evidence.log_sheet_csv import (
    CSV_COLUMNS,
    LogSheetProblem,
    parse_when,
    read_log_sheet,
)
from crm_tui.services.intake.referral_import import ImportProblem, parse
from tests import bad_pdfs

# Any text, lone surrogates included (hypothesis leaves them out by default).
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=200)
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(ANY_TEXT, inner, max_size=4), max_leaves=30)
FIELDS = ["schema", "service_area", "referred_by", "received_on", "customer", "behaviour",
          "local_resolution", "evidence", "escalation", "case_reference", "other_departments"]
# Digits mostly 0-9, sometimes another script's (Arabic-Indic, full-width): read by
# strptime as a date until issue 16. (st.from_regex's \d builds Unicode's table: seconds.)
DIGIT = st.sampled_from("0123456789") | st.sampled_from([chr(0x0660 + n) for n in range(10)]
                                                        + [chr(0xFF10 + n) for n in range(10)])
NUMBER = st.lists(DIGIT, min_size=1, max_size=4).map("".join)
TYPED_DAY = st.one_of(
    ANY_TEXT,
    st.builds(lambda d, m, y, t: f"{d}/{m}/{y}{t}", NUMBER, NUMBER, NUMBER,
              st.sampled_from(["", " 09:30", " 9:5", " 25:00"]) | NUMBER.map(" {}:30".format)),
    st.dates().map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year:04d}"))


@given(st.one_of(ANY_TEXT, JSON.map(json.dumps),
                 st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=8).map(
                     lambda d: json.dumps({"schema": "crm-tui/referral/1", **d}))))
def test_a_referral_file_is_read_or_refused_in_words(text: str) -> None:
    file = Path("/nowhere/referral.json")
    try:
        parse(file, text, file.parent)
    except ImportProblem as exc:
        assert str(exc).startswith("referral.json")


@given(st.text(st.sampled_from('[]{}"\\,:0123456789e.-tn aulrsfNI'), max_size=300))
def test_json_within_limits_is_read_or_refused_in_words(text: str) -> None:
    with contextlib.suppress(bounded_json.JsonLimit, json.JSONDecodeError):
        bounded_json.loads(text)


@given(st.lists(st.lists(st.one_of(ANY_TEXT.filter(lambda t: "\x00" not in t),
                                   TYPED_DAY, st.sampled_from(["email", "Web form", "inbound",
                                                               "Housing Services", "5"])),
                         max_size=9), max_size=6),
       st.booleans())
def test_a_log_sheet_is_read_or_refused_in_words(tmp_path: Path, rows: list[list[str]],
                                                 header: bool) -> None:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    if header:
        writer.writerow(CSV_COLUMNS)
    writer.writerows(rows)
    path = tmp_path / "sheet.csv"
    try:
        path.write_text(out.getvalue(), encoding="utf-8")
    except UnicodeEncodeError:
        path.write_bytes(out.getvalue().encode("utf-8", "surrogatepass"))
    try:
        for _, entry in read_log_sheet(path, ("Housing Services",)):
            assert entry.at.date() >= EARLIEST
    except LogSheetProblem as exc:
        assert str(exc).startswith("sheet.csv")


@given(st.binary(max_size=2_000))
def test_a_log_sheet_of_any_bytes_is_refused_in_words(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "sheet.csv"
    path.write_bytes(data)
    with contextlib.suppress(LogSheetProblem):
        read_log_sheet(path)


@given(TYPED_DAY)
def test_a_typed_day_is_read_plausibly_or_refused_in_words(text: str) -> None:
    for read in (parse_date, parse_time, parse_when):
        try:
            value = read(text)
        except ValueError as exc:
            assert str(exc)
            continue
        day = value if not hasattr(value, "date") else value.date()
        assert day >= EARLIEST
        assert all("0" <= ch <= "9" for ch in text if ch.isdigit())
    assert date_problem(text) is None or isinstance(date_problem(text), str)
    assert time_problem(text) is None or isinstance(time_problem(text), str)


KINDS = [("x.pdf", "application/pdf"), ("x.eml", "message/rfc822"), ("x.txt", "text/plain"),
         ("x.msg", "application/vnd.ms-outlook"), ("x.bin", "application/octet-stream")]
PDF_BITS = [b"%PDF-1.4\n", b"obj<<", b"/Filter/FlateDecode", b"stream\n", b"endstream",
            b"xref", b"trailer<</Root 1 0 R>>", b"startxref\n0\n%%EOF", b"/Kids[", b"]"]
EMAIL_BITS = [b"From: ", b"To: <", b'"', b"Subject: x", b"\n", b"Content-Type: multipart/mixed;"
              b' boundary="b"\n', b"--b\n", b"Content-Transfer-Encoding: base64\n", b"=?utf-8?"]


@given(st.sampled_from(KINDS),
       st.one_of(st.binary(max_size=3_000),
                 st.lists(st.sampled_from(PDF_BITS + EMAIL_BITS) | st.binary(max_size=20),
                          max_size=40).map(b"".join),
                 st.sampled_from([bad_pdfs.filter_page(b"NoSuch"), bad_pdfs.many_pages(3),
                                  bad_pdfs.text_page("gutter")]).flatmap(
                     lambda pdf: st.integers(0, len(pdf)).map(lambda n: pdf[:n]))))
def test_a_document_is_read_or_told_never_raised(tmp_path: Path, kind: tuple[str, str],
                                                data: bytes) -> None:
    name, media_type = kind
    path = tmp_path / name
    path.write_bytes(data)
    doc = read_document(path, media_type, name)  # never raises
    assert doc.kind in ("text", "email", "pdf", "other")


@given(JSON)
def test_unstorable_text_is_found_wherever_it_is(value: object) -> None:
    found = list(bounded_json.unstorable(value))
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        assert found
    else:
        assert not found


def test_domain_errors_are_the_readers_only_refusals() -> None:
    assert issubclass(ImportProblem, DomainError) and issubclass(LogSheetProblem, DomainError)
