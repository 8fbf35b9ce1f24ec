"""The printed letter, as the customer, the print room and a PDF checker see it: every kind at
the standard size and in large print, rendered and signed once for the module, then read with
pypdf (fonts, language, dates, metadata, sizes, what the last page holds) and looked at as
images made by poppler's pdftoppm (nothing past the margins, nothing in the window but the
address)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from crm_tui import clock
from crm_tui.config import Config
from crm_tui.domain.letters import LetterKind
from crm_tui.letters import keys, signing
from crm_tui.letters.page_setup import PrintOptions
from crm_tui.letters.render import render_letter
from crm_tui.services.core import settings
from crm_tui.services.letters import printing
from tests.conftest import FROZEN_NOW
from tests.letter_samples import sample

NOW = datetime.fromisoformat(FROZEN_NOW)
KINDS = list(LetterKind)
SIZES = [None, 16]
STANDARD_14 = {"Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Helvetica",
               "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Courier",
               "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Symbol",
               "ZapfDingbats"}
MM = 72 / 25.4
DPI = 40


def make_signer(folder: Path) -> Any:
    key, cert = keys.self_signed("Siân Łukasz-Hughes", "CRM", "Northmere City Council", NOW)
    keys.write_p12(folder / "signer.p12", key, cert, "a test passphrase", "signer")
    return signing.load_signer((folder / "signer.p12").read_bytes(), "a test passphrase")


@pytest.fixture(scope="module")
def signer(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return make_signer(tmp_path_factory.mktemp("signer"))


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory, signer: Any) -> dict[Any, bytes]:
    """Every kind at each size, signed as the app signs them (fold marks off, to see the
    margins clear). Made, then the clock and folders put back: other modules' tests may run
    on this worker before these are done with."""
    folder = tmp_path_factory.mktemp("printed")
    with pytest.MonkeyPatch.context() as patch, clock.travel_to(NOW):
        patch.setenv("CRM_TUI_DATA_DIR", str(folder / "data"))
        patch.setenv("CRM_TUI_CONFIG_DIR", str(folder / "config"))
        settings.configure(Config())
        return {(kind, pt): printing.signed_pdf(sample(kind, pt), signer,
                                                "Siân Łukasz-Hughes", "signer")
                for kind in KINDS for pt in SIZES}


def _reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def _fonts(reader: PdfReader) -> list[Any]:
    """Every font the file lists: on its pages, and in the signature's appearance."""
    found, seen = [], set()

    def visit(resources: Any) -> None:
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for ref in (fonts.get_object().values() if fonts is not None else []):
            font = ref.get_object()
            if id(font) not in seen:
                seen.add(id(font))
                found.append(font)

    for page in reader.pages:
        visit(page.get("/Resources"))
        for annot in page.get("/Annots") or []:
            appearance = annot.get_object()["/AP"]["/N"].get_object()
            visit(appearance.get("/Resources"))
    return found


def _embedded(font: Any) -> bool:
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(
        k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))


@pytest.mark.parametrize("pt", SIZES, ids=["standard", "large"])
@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_the_file_is_sound(signed: dict[Any, bytes], kind: LetterKind, pt: int | None) -> None:
    data = signed[(kind, pt)]
    reader = _reader(data)
    fonts = _fonts(reader)
    assert fonts and all(_embedded(f) for f in fonts), [f.get("/BaseFont") for f in fonts]
    names = {str(f.get("/BaseFont")).lstrip("/").split("+")[-1] for f in fonts}
    assert not names & STANDARD_14 and b"/Helvetica" not in data
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    # The header says what the catalogue would: one version, stated once.
    assert data.startswith(b"%PDF-2.0") and root.get("/Version") in (None, "/2.0")
    info = reader.metadata
    assert info is not None and info.creation_date is not None
    assert info.creation_date.replace(tzinfo=None) == NOW.astimezone().replace(tzinfo=None)
    assert info.modification_date == info.creation_date  # signed as it was issued
    xmp = root["/Metadata"].get_object().get_data().decode()
    for field in ("dc:title", "dc:creator", "dc:description", "xmp:CreatorTool",
                  "xmp:CreateDate", "xmp:ModifyDate", "Northmere City Council"):
        assert field in xmp, field
    assert "2026-11-28T10:00:00" in xmp
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert f"{kind.label} <b>&amp;</b>" in text  # the subject as written, never markup
    assert "Mx Ngọc Trâm Vũ" in text


@pytest.mark.parametrize("pt", SIZES, ids=["standard", "large"])
@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_the_last_page_holds_more_than_the_sign_off(signed: dict[Any, bytes],
                                                    kind: LetterKind, pt: int | None) -> None:
    last = _reader(signed[(kind, pt)]).pages[-1].extract_text()
    _, paragraphs = sample(kind).sections[-1]
    words = " ".join(last.split())
    assert " ".join(paragraphs[-1].split()[-6:]) in words
    assert words.index(" ".join(paragraphs[-1].split()[-6:])) < words.index("Yours sincerely")


def _sizes(reader: PdfReader) -> list[tuple[float, str]]:
    """(size in points, text) of every piece of text on the pages."""
    found: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            scale = (abs(tm[0] * cm[0] + tm[1] * cm[2]) ** 2
                     + abs(tm[0] * cm[1] + tm[1] * cm[3]) ** 2) ** 0.5
            found.append((size * scale, text.strip()))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return found


def _stamp_sizes(reader: PdfReader) -> tuple[list[float], list[float]]:
    """The signature appearance's font sizes, and every scaling it applies to them."""
    page = next(p for p in reader.pages if p.get("/Annots"))
    annot = page["/Annots"][0].get_object()
    appearance = annot["/AP"]["/N"].get_object()
    sizes, scales = [], []

    def walk(stream: Any) -> None:
        for operands, op in ContentStream(stream, reader).operations:
            if op == b"Tf":
                sizes.append(float(operands[1]))
            elif op == b"cm":
                scales.extend([abs(float(operands[0])), abs(float(operands[3]))])
            elif op == b"Do":
                walk(stream["/Resources"]["/XObject"][operands[0]].get_object())

    walk(appearance)
    box = [float(v) for v in annot["/Rect"]]
    bbox = [float(v) for v in appearance["/BBox"]]
    # The viewer maps the appearance's box onto the field's: the same size, so no scaling.
    assert abs(abs(box[2] - box[0]) - abs(bbox[2] - bbox[0])) < 1
    assert abs(abs(box[3] - box[1]) - abs(bbox[3] - bbox[1])) < 1
    return sizes, scales


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_large_print_is_the_customers_size_everywhere(signed: dict[Any, bytes],
                                                      kind: LetterKind) -> None:
    reader = _reader(signed[(kind, 16)])
    small = [(round(s, 1), t) for s, t in _sizes(reader) if s < 16 - 0.05]
    assert not small  # letterhead, address, reference, body, footer: none under 16 pt
    sizes, scales = _stamp_sizes(reader)
    assert sizes and min(sizes) >= 16 and all(s == 1 for s in scales), (sizes, scales)
    standard = _sizes(_reader(signed[(kind, None)]))
    body = [s for s, t in standard if "Yours sincerely" in t]
    assert body and body[0] >= 11 and min(s for s, _ in standard) >= 8
    sizes, _ = _stamp_sizes(_reader(signed[(kind, None)]))
    assert min(sizes) >= 8


def test_a_very_large_size_shrinks_only_the_address_to_fit_the_window(
        tmp_path: Path) -> None:
    letter = sample(LetterKind.DECISION, 30)
    with clock.travel_to(NOW):
        render_letter(letter, tmp_path / "big.pdf")
    sizes = _sizes(PdfReader(tmp_path / "big.pdf"))
    address = {"Mx Ngọc Trâm Vũ", "14 Lantern Yard", "Eastwick", "Northmere", "NM4 2QT"}
    assert all(s >= 30 - 0.05 for s, t in sizes if t not in address)
    assert any(s < 30 for s, t in sizes if t in address)  # the envelope must show it all


def test_the_sign_off_is_never_alone_on_a_page(tmp_path: Path) -> None:
    """However long the letter, its last page holds the last paragraph as well."""
    base = sample(LetterKind.APPEAL_OUTCOME)
    filler = ("We have read everything you sent us, and everything the service area sent us, "
              "before deciding.")
    with clock.travel_to(NOW):
        for extra in range(0, 24, 2):
            letter = replace(base, sections=[("Filler", [filler] * extra), *base.sections])
            render_letter(letter, tmp_path / "l.pdf")
            last = " ".join(PdfReader(tmp_path / "l.pdf").pages[-1].extract_text().split())
            assert "the Local Government and Social Care Ombudsman" in last, extra


def test_a_duplicate_is_marked_as_a_copy_on_every_page(tmp_path: Path) -> None:
    for pt in SIZES:
        letter = sample(LetterKind.DECISION, pt, copy_of=date(2026, 11, 20))
        with clock.travel_to(NOW):
            render_letter(letter, tmp_path / "copy.pdf")
        pages = [p.extract_text() for p in PdfReader(tmp_path / "copy.pdf").pages]
        assert len(pages) > 1
        assert all("Copy of the letter sent on 20 November 2026" in " ".join(p.split())
                   for p in pages)


def test_rendering_is_byte_identical_for_the_same_letter_and_moment(tmp_path: Path) -> None:
    letter = sample(LetterKind.DECISION)
    with clock.travel_to(NOW):
        render_letter(letter, tmp_path / "a.pdf")
        render_letter(letter, tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


# The page as an image.

needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                   reason="pdftoppm (poppler-utils) is not installed")


def _images(data: bytes, folder: Path, name: str) -> list[Image.Image]:
    (folder / f"{name}.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(folder / f"{name}.pdf"),
                    str(folder / name)], check=True)
    return [Image.open(p).convert("L") for p in sorted(folder.glob(f"{name}-*.png"),
                                                       key=lambda p: int(p.stem.rsplit("-")[-1]))]


def _dark(image: Image.Image, box_mm: tuple[float, float, float, float]) -> int:
    """Dark pixels in the box (left, top, right, bottom, in mm from the top-left corner)."""
    px = DPI / 25.4
    left, top, right, bottom = (round(v * px) for v in box_mm)
    region = image.crop((left, top, right, bottom))
    return sum(region.histogram()[:128])


@needs_poppler
@pytest.mark.parametrize("pt", SIZES, ids=["standard", "large"])
@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_nothing_crosses_the_margins(signed: dict[Any, bytes], tmp_path: Path,
                                    kind: LetterKind, pt: int | None) -> None:
    for number, image in enumerate(_images(signed[(kind, pt)], tmp_path, "letter"), 1):
        for band in ((0, 0, 19, 297), (191, 0, 210, 297), (0, 0, 210, 10), (0, 290, 210, 297)):
            assert _dark(image, band) == 0, (number, band)


@needs_poppler
def test_the_window_shows_the_address_alone_and_fold_marks_on_request(
        tmp_path: Path) -> None:
    window = (20, 48, 110, 88)
    unaddressed = replace(sample(LetterKind.DECISION), recipient="", address=())
    with clock.travel_to(NOW):
        for name, options in (("plain", PrintOptions()),
                              ("marked", PrintOptions(fold_marks=True)),
                              ("bare", PrintOptions(return_line=False))):
            render_letter(unaddressed, tmp_path / f"{name}.pdf", options=options)
    plain, marked, bare = (_images((tmp_path / f"{n}.pdf").read_bytes(), tmp_path, f"i{n}")[0]
                           for n in ("plain", "marked", "bare"))
    assert _dark(plain, window) == 0  # the return line is above the window, not in it
    above = (20, 36, 108, 47.5)
    assert _dark(plain, above) > 0 and _dark(bare, above) == 0
    folds = [(4, 98, 11, 100), (4, 197, 11, 199)]
    assert all(_dark(marked, f) > 0 for f in folds) and not any(_dark(plain, f) for f in folds)
    letter = sample(LetterKind.DECISION)
    with clock.travel_to(NOW):
        render_letter(letter, tmp_path / "addressed.pdf")
    addressed = _images((tmp_path / "addressed.pdf").read_bytes(), tmp_path, "addressed")[0]
    assert _dark(addressed, window) > 0


def test_the_stamp_draws_every_letter_of_the_signers_name(signed: dict[Any, bytes]) -> None:
    reader = _reader(signed[(LetterKind.DECISION, None)])
    page = next(p for p in reader.pages if p.get("/Annots"))
    appearance = page["/Annots"][0].get_object()["/AP"]["/N"].get_object()
    fonts = []

    def walk(stream: Any) -> None:
        resources = stream.get("/Resources") or {}
        fonts.extend(f.get_object() for f in (resources.get("/Font") or {}).values())
        for xobject in (resources.get("/XObject") or {}).values():
            walk(xobject.get_object())

    walk(appearance)
    cmap = "".join(f["/ToUnicode"].get_object().get_data().decode() for f in fonts)
    for letter in "âŁ":  # beyond ASCII, and beyond Latin-1
        assert f"<{ord(letter):04X}>" in cmap.upper(), letter


def test_a_stamp_never_shrinks_its_text() -> None:
    from crm_tui.letters.stamp import stamp_for

    narrow = stamp_for("Siân Łukasz-Hughes of the Complaints Resolution Team", NOW, demo=True,
                       size=30, max_width=170 * MM)
    assert narrow.size == 30 and narrow.width <= 170 * MM
    assert len(narrow.text.splitlines()) > 3  # wrapped, not shrunk
    assert re.search(r"28 Nov 2026 10:00", narrow.text)


def test_the_sizes_follow_the_customers_need() -> None:
    from crm_tui.letters.page_setup import sizes_for

    standard = sizes_for(sample(LetterKind.LIFTED))
    assert (standard.body, standard.large, standard.footer, standard.details) == (12, False, 8, 9)
    need_only = sizes_for(replace(sample(LetterKind.LIFTED), large_print=True))
    assert (need_only.body, need_only.large) == (16, True)  # no size recorded: 16 pt
    recorded = sizes_for(sample(LetterKind.LIFTED, 20))
    assert {recorded.body, recorded.footer, recorded.details, recorded.stamp,
            recorded.return_line} == {20} and recorded.subject > 20


def test_at_24_pt_addresses_break_at_their_dots_and_the_greeting_keeps_with_the_letter(
        tmp_path: Path) -> None:
    # Found when tried: "complaints.review@northmere.exampl / e.gov.uk", and "Dear Mr
    # Penhaligon," alone at the foot of page 1.
    letter = sample(LetterKind.DECISION, 24)
    with clock.travel_to(NOW):
        render_letter(letter, tmp_path / "l.pdf")
    pages = [p.extract_text() for p in PdfReader(tmp_path / "l.pdf").pages]
    lines = [line.strip() for page in pages for line in page.splitlines()]
    email = letter.letterhead.email
    broken = [line for line in lines if line and email.startswith(line) and line != email]
    for line in broken:  # a line with only the start of the address ends at "@" or a word,
        assert not line.endswith("."), line  # never at a dot, which reads as its end
    assert not any(re.search(r"northmere\.exampl$|^e\.gov\.uk", line) for line in lines)
    for page in pages:
        body = [line for line in page.splitlines() if line.strip()]
        greeting = [i for i, line in enumerate(body) if line.startswith("Dear ")]
        # the greeting is followed, on its page, by more than the footer
        assert all(len(body) - i > 3 for i in greeting), page
        assert not any(line.strip().startswith("of ") for line in body), page  # the footer
