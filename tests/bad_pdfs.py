"""PDFs made byte by byte to break a reader: a decompression bomb (pypdf's LimitReachedError),
a page in a compression pypdf does not know, a file of thousands of pages."""

from __future__ import annotations

import zlib

CATALOG = b"<</Type/Catalog/Pages 2 0 R>>"
ONE_PAGE = b"<</Type/Pages/Kids[3 0 R]/Count 1>>"
PAGE = (b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 50]/Contents 4 0 R"
        b"/Resources<</Font<</F1 5 0 R>>>>>>")


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1; the first the catalog), with its xref."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (f"trailer\n<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n"
            "%%EOF\n").encode()
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<</Length " + str(len(data)).encode() + extra + b">>stream\n" + data \
        + b"\nendstream"


def text_page(words: str, *, font: bytes = b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
              extra: list[bytes] | None = None, filt: bytes = b"") -> bytes:
    content = f"BT /F1 12 Tf 10 10 Td ({words}) Tj ET".encode()
    return raw_pdf([CATALOG, ONE_PAGE, PAGE,
                    _stream(content, b"/Filter/" + filt if filt else b""), font,
                    *(extra or [])])


def font_bomb(size: int = 300_000_000) -> bytes:
    """A page whose font's ToUnicode map inflates to `size` bytes (300 MB from 300 kB)."""
    bomb = zlib.compress(b" " * size, 9)
    return text_page("hello", font=b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica"
                                   b"/ToUnicode 6 0 R>>",
                     extra=[_stream(bomb, b"/Filter/FlateDecode")])


def filter_page(filt: bytes) -> bytes:
    """A page whose content is in a compression pypdf cannot undo (JBIG2Decode, a made-up
    name)."""
    return text_page("hello", filt=filt)


def filter_page_bare(filt: bytes) -> bytes:
    """A page naming no resources (no font) whose content is in a compression pypdf cannot
    undo: pypdf gives no text for it without opening the content (t16 F3's filter.pdf)."""
    page = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>"
    return raw_pdf([CATALOG, ONE_PAGE, page, _stream(b"garbage", b"/Filter/" + filt)])


def many_pages(count: int) -> bytes:
    """A file of `count` blank pages."""
    kids = " ".join(f"{n} 0 R" for n in range(3, count + 3))
    objects = [CATALOG, f"<</Type/Pages/Kids[{kids}]/Count {count}>>".encode()]
    objects += [b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>"] * count
    return raw_pdf(objects)


def lying_page_tree(count: int, said: int = 1) -> bytes:
    """A file whose page tree says it has `said` pages and holds `count` (its /Count lies,
    so that a reader trusting it walks the whole tree)."""
    true, lie = f"/Count {count}>>".encode(), f"/Count {said}>>".encode()
    return many_pages(count).replace(true, lie.ljust(len(true)), 1)  # every offset kept


def heavy_content(operators: int) -> bytes:
    """One page whose content stream is `operators` text-showing operators (compressed, a
    few hundred kilobytes): each is cheap, together they take seconds."""
    content = b"BT /F1 12 Tf " + b"(x) Tj " * operators + b"ET"
    return raw_pdf([CATALOG, ONE_PAGE, PAGE,
                    _stream(zlib.compress(content, 9), b"/Filter/FlateDecode"),
                    b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"])
