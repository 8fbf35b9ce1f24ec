"""PAdES signatures with pyHanko: a visible stamp where the signature block left room, drawn
in the shipped font (so Siân, Łukasz and Ngọc come out right), and validation of a signed file
against an explicit trust root."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp.text import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from crm_tui.letters.assets import assets_dir
from crm_tui.letters.keys import KeyProblem, fingerprint
from crm_tui.private_files import write_private

FIELD = "CouncilSignature"
# fontTools reports every table it leaves out of a subset; none matter for a stamp.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
# pyHanko logs a failed validation with its traceback; `check` reports it in plain words.
logging.getLogger("pyhanko").setLevel(logging.CRITICAL)


@cache
def stamp_font(cache_dir: Path) -> Path:
    """The shipped font, cut to the Latin and Vietnamese letters and rescaled to 1,000 units
    per em: pyHanko writes glyph widths in font units, which a PDF reads as thousandths of an em
    (DejaVu has 2,048, so its stamp text came out spread wide). Made once and cached."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    target = cache_dir / "stamp-font-1000upem.ttf"
    if target.is_file():
        return target
    font = TTFont(str(assets_dir() / "fonts" / "DejaVuSans.ttf"))
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options=options)
    letters = [*range(0x20, 0x250), *range(0x300, 0x370), *range(0x1E00, 0x1F00),
               *range(0x2000, 0x2070), 0x20AC]
    subsetter.populate(unicodes=letters)
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


def sign(pdf: bytes, signer: signers.SimpleSigner, signer_name: str, *, page: int,
         box: tuple[float, float, float, float], font: Path, demo: bool) -> bytes:
    """Sign with a visible stamp in `box` on `page` (1-based)."""
    note = "\nDEMO CERTIFICATE: not a real signature" if demo else ""
    style = TextStampStyle(
        stamp_text="Digitally signed by %(signer)s\n%(ts)s" + note,
        timestamp_format="%d %b %Y %H:%M %Z",
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(font), font_size=7),
                                    font_size=7))
    meta = signers.PdfSignatureMetadata(field_name=FIELD, subfilter=fields.SigSeedSubFilter.PADES,
                                        md_algorithm="sha256", name=signer_name)
    pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style,
                                   new_field_spec=fields.SigFieldSpec(
                                       FIELD, box=(int(box[0]), int(box[1]), int(box[2]),
                                                   int(box[3])),
                                       on_page=page - 1))
    out = io.BytesIO()
    pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out,
                        appearance_text_params={"signer": signer_name})
    return out.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    problems: list[str]
    signer_fingerprint: str

    @property
    def genuine(self) -> bool:
        return not self.problems


def check(pdf: bytes, trusted: list[x509.Certificate]) -> SignatureCheck:
    """Is the file's signature intact, over the whole file, and by a trusted certificate?"""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except Exception as exc:
        return SignatureCheck([f"the file is not a readable PDF ({exc})"], "")
    if not embedded:
        return SignatureCheck(["the file carries no digital signature"], "")
    roots = [_asn1(c) for c in trusted]
    signature = embedded[0]
    try:
        status = validate_pdf_signature(signature, ValidationContext(trust_roots=roots))
    except Exception as exc:
        return SignatureCheck([f"the signature cannot be checked ({exc})"], "")
    cert = x509.load_der_x509_certificate(signature.signer_cert.dump())
    problems = []
    if not status.intact:
        problems.append("the signed content has been changed since it was signed")
    if not status.valid:
        problems.append("the signature is not valid")
    if not status.trusted:
        problems.append("the signing certificate is not one this council issued letters with")
    if status.coverage is None or status.coverage.name != "ENTIRE_FILE":
        problems.append("the file has been added to after it was signed")
    if len(embedded) > 1:
        problems.append("the file carries more than one signature")
    return SignatureCheck(problems, fingerprint(cert))


__all__ = ["FIELD", "KeyProblem", "SignatureCheck", "check", "load_signer", "sign",
           "stamp_font"]
