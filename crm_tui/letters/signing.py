"""PAdES signatures with pyHanko: a visible stamp where the signature block left room, drawn
in the shipped font (so Siân, Łukasz and Ngọc come out right), and validation of a signed file
against an explicit trust root."""

from __future__ import annotations

import hashlib
import io
import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.metadata.model import DocumentMetadata
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp.text import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from crm_tui import clock
from crm_tui.letters.assets import assets_dir
from crm_tui.letters.keys import KeyProblem, fingerprint
from crm_tui.letters.page_setup import SMALLEST
from crm_tui.letters.stamp import PADDING, Stamp, stamp_for
from crm_tui.private_files import write_private

FIELD = "CouncilSignature"
SIGNATURE_ROOM = 8192  # bytes: a P-256 or RSA-4096 signature with its certificate chain
# fontTools reports every table it leaves out of a subset; none matter for a stamp.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
# pyHanko logs a failed validation with its traceback; `check` reports it in plain words.
logging.getLogger("pyhanko").setLevel(logging.CRITICAL)


# Always in the stamp's font: what its fixed words, dates and times need (Latin-1).
_BASE = frozenset(chr(c) for c in (*range(0x20, 0x7F), *range(0xA0, 0x100)))


def stamp_font(cache_dir: Path, text: str = "") -> Path:
    """The shipped font, cut to what a stamp needs (Latin-1, and any other letter in `text`:
    the signer's name) and rescaled to 1,000 units per em: pyHanko writes glyph widths in font
    units, which a PDF reads as thousandths of an em (DejaVu has 2,048, so its stamp text came
    out spread wide). Small, and without layout tables (the stamp's text is composed, NFC), so
    that pyHanko's own subsetting of it for each letter is quick. Made once per set of letters
    and cached."""
    extra = frozenset(unicodedata.normalize("NFC", text)) - _BASE
    return _stamp_font(cache_dir, "".join(sorted(extra)))


@cache
def _stamp_font(cache_dir: Path, extra: str) -> Path:
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    key = hashlib.sha256(extra.encode()).hexdigest()[:16]
    target = cache_dir / f"stamp-font-{key}.ttf"
    if target.is_file():
        return target
    font = TTFont(str(assets_dir() / "fonts" / "DejaVuSans.ttf"))
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern"]
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=sorted(ord(c) for c in _BASE | set(extra)))
    subsetter.subset(font)
    scale_upem(font, 1000)
    return write_private(target, lambda path: font.save(str(path)))


def load_signer(p12: bytes, passphrase: str) -> signers.SimpleSigner:
    """A signer from a PKCS#12 file's bytes; KeyProblem if the passphrase is wrong."""
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(p12, other_certs=[],
                                                       passphrase=passphrase.encode())
    except ValueError:
        raise KeyProblem("the passphrase is wrong, or the key file is damaged") from None
    if not isinstance(signer, signers.SimpleSigner):
        raise KeyProblem("the passphrase is wrong, or the key file is damaged")
    return signer


def _asn1(cert: x509.Certificate) -> Any:
    # pyHanko speaks asn1crypto; the app keeps certificates as `cryptography` objects.
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


class _IssuedMeta(DocumentMetadata):
    """pyHanko dates the file "now" by the computer's clock as it writes it; a letter's
    modification date is the moment it was issued and signed, by the app's clock (which tests
    and the demo set)."""

    def __setattr__(self, name: str, value: Any) -> None:
        at = getattr(self, "issued_at", None)
        if name == "last_modified" and value == "now" and at is not None:
            value = at
        super().__setattr__(name, value)


def _metadata(writer: IncrementalPdfFileWriter, issued: datetime) -> None:
    """The document's title, author, subject, creator and dates, carried from the unsigned
    file into the XMP metadata pyHanko writes (it writes only what it is given)."""
    view = writer.document_meta_view
    meta = _IssuedMeta(title=view.title, author=view.author, subject=view.subject,
                       keywords=list(view.keywords), creator=view.creator,
                       created=view.created or issued)
    object.__setattr__(meta, "issued_at", issued.astimezone())
    meta.last_modified = "now"
    writer._meta = meta  # pyHanko keeps what it writes here; there is no setter


class _SignedAt(signers.PdfSigner):
    """A signer whose signature states the moment of issue the app records (the register's
    signed_at, the stamp's words), not the machine's clock read again inside pyHanko: the
    two must agree (found when tried: under the demo's or a test's clock they did not).
    pyHanko offers no parameter for it; its signing session keeps it as `system_time`."""

    def __init__(self, moment: datetime, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._moment = moment if moment.tzinfo is not None else moment.astimezone()

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._moment
        return session


def sign(pdf: bytes, signer: signers.SimpleSigner, signer_name: str, *, page: int,
         box: tuple[float, float, float, float], font: Path, demo: bool,
         stamp: Stamp | None = None, issued: datetime | None = None,
         timestamper: TimeStamper | None = None) -> bytes:
    """Sign with a visible stamp in `box` on `page` (1-based). `stamp`: the words the letter
    left room for (else the standard ones, for `signer_name`); `issued`: the moment of issue
    (now by default); `timestamper`: a trusted timestamping service, if one is configured."""
    issued = issued or clock.now()
    if stamp is None:
        stamp = stamp_for(signer_name, issued, demo=demo, size=SMALLEST,
                          max_width=box[2] - box[0])
    style = TextStampStyle(
        stamp_text=stamp.text.replace("%", "%%"), border_width=1,
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(font),
                                                                 font_size=stamp.size),
                                    font_size=stamp.size, leading=stamp.leading,
                                    box_layout_rule=SimpleBoxLayoutRule(
                                        x_align=AxisAlignment.ALIGN_MIN,
                                        y_align=AxisAlignment.ALIGN_MID,
                                        margins=Margins(PADDING, PADDING, PADDING, PADDING))))
    meta = signers.PdfSignatureMetadata(field_name=FIELD, subfilter=fields.SigSeedSubFilter.PADES,
                                        md_algorithm="sha256", name=signer_name)
    # Whole points, outwards: a box cut short would make pyHanko shrink the stamp's text.
    whole = (math.floor(box[0]), math.floor(box[1]), math.ceil(box[2]), math.ceil(box[3]))
    pdf_signer = _SignedAt(issued, meta, signer=signer, stamp_style=style,
                           timestamper=timestamper,
                           new_field_spec=fields.SigFieldSpec(FIELD, box=whole, on_page=page - 1))
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    _metadata(writer, issued)
    out = io.BytesIO()
    # Room for the signature itself: pyHanko would otherwise sign once in a dry run to
    # measure it, doubling the time. A timestamp's size depends on the service: measured.
    pdf_signer.sign_pdf(writer, output=out,
                        bytes_reserved=None if timestamper is not None else SIGNATURE_ROOM)
    return out.getvalue()


class Finding(Enum):
    """What a signed file's check found, most telling first."""

    SOUND = "sound"
    UNREADABLE = "unreadable"
    UNSIGNED = "unsigned"
    CHANGED = "changed"  # the signed bytes no longer match the signature's digest
    SIGNATURE_DAMAGED = "signature_damaged"  # the signature itself cannot be read
    SEVERAL = "several"  # more than one signature
    ADDED_TO = "added_to"  # bytes added after the signed revision
    FORGED = "forged"  # the digest matches but the signature over it does not verify
    UNTRUSTED = "untrusted"  # sound, but by a certificate this council does not know


@dataclass(frozen=True)
class SignatureCheck:
    finding: Finding
    signer_fingerprint: str
    detail: str = ""  # for an unreadable file: where it is damaged, in plain words
    # The signer's name as the signing certificate gives it (its common name): what the
    # signature proves, where the register's row and the user table could be edited.
    signer_name: str = ""

    @property
    def genuine(self) -> bool:
        return self.finding is Finding.SOUND


_OFFSET = re.compile(r"(?:0x)+([0-9a-fA-F]+)")


def _where(exc: Exception) -> str:
    """Where pyHanko found the file damaged, as a byte count (its messages print an offset as
    "0x0x…")."""
    found = _OFFSET.search(str(exc))
    return f"at byte {int(found.group(1), 16):,}" if found else ""


def check(pdf: bytes, trusted: list[x509.Certificate]) -> SignatureCheck:
    """Is the file's signature intact, over the whole file, and by a trusted certificate?
    One finding: the first thing wrong, in the order a reader would want to know it."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    except Exception as exc:
        return SignatureCheck(Finding.UNREADABLE, "", _where(exc))
    try:
        embedded = reader.embedded_signatures
    except Exception:
        # The file reads, but its signature field does not.
        return SignatureCheck(Finding.SIGNATURE_DAMAGED, "")
    if not embedded:
        return SignatureCheck(Finding.UNSIGNED, "")
    signature = embedded[0]
    try:
        # The signature container is read first: damage inside it is not a change to the
        # letter's content, and is not reported as one (found when tried).
        cert = x509.load_der_x509_certificate(signature.signer_cert.dump())
        signature.signer_info.native  # noqa: B018 (parses the whole signer record)
    except Exception:
        return SignatureCheck(Finding.SIGNATURE_DAMAGED, "")
    try:
        # The certificate is judged as it stood when the letter was signed: a letter outlives
        # its signer's certificate, and stays genuine after the certificate expires.
        status = validate_pdf_signature(
            signature, ValidationContext(trust_roots=[_asn1(c) for c in trusted],
                                         moment=signature.self_reported_timestamp))
    except Exception:
        # The signature reads, but pyHanko could not compare it with the content: the
        # signed attributes inside it were damaged.
        return SignatureCheck(Finding.SIGNATURE_DAMAGED, "")
    fp = fingerprint(cert)
    if not status.intact:
        return SignatureCheck(Finding.CHANGED, fp)
    if len(embedded) > 1:
        return SignatureCheck(Finding.SEVERAL, fp)
    if status.coverage is None or status.coverage.name != "ENTIRE_FILE":
        return SignatureCheck(Finding.ADDED_TO, fp)
    if not status.valid:
        return SignatureCheck(Finding.FORGED, fp)
    if not status.trusted:
        return SignatureCheck(Finding.UNTRUSTED, fp)
    return SignatureCheck(Finding.SOUND, fp, signer_name=common_name(cert))


def common_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else ""


__all__ = ["FIELD", "Finding", "KeyProblem", "SignatureCheck", "check", "load_signer", "sign",
           "stamp_font"]
