"""Printing as configured: the return line and fold marks (`return_line`, `fold_marks`), and
a trusted RFC 3161 timestamp from the configured service (`timestamp_url`) — tested with
pyHanko's own test timestamp authority, never the network — whose failure signs nothing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import DummyTimeStamper, HTTPTimeStamper, TimestampRequestError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from crm_tui import clock
from crm_tui.config import Config, ConfigError, parse
from crm_tui.domain.letters import LetterKind
from crm_tui.services.core import settings
from crm_tui.services.letters import printing
from crm_tui.services.letters.signing_facts import SigningProblem
from tests.letter_samples import sample
from tests.unit.letters.test_printed_page import NOW, make_signer


def _tsa() -> tuple[Any, Any]:
    """A timestamp authority of our own: an RSA key and a certificate for time stamping."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Timestamp Authority")])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(7).not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=3650))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                           critical=True)
            .sign(key, hashes.SHA256()))
    der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return (asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
            asn1_keys.PrivateKeyInfo.load(der_key))


def test_a_trusted_timestamp_from_the_timestamp_authority(tmp_path: Path) -> None:
    tsa_cert, tsa_key = _tsa()
    stamper = DummyTimeStamper(tsa_cert=tsa_cert, tsa_key=tsa_key,
                               fixed_dt=NOW.astimezone(dt.UTC))
    signer = make_signer(tmp_path)
    with clock.travel_to(NOW):
        pdf = printing.signed_pdf(sample(LetterKind.DECISION), signer, "Siân Łukasz-Hughes",
                                  "signer", stamper=stamper)
    [signature] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    status = validate_pdf_signature(
        signature, ValidationContext(trust_roots=[signer.signing_cert]),
        ts_validation_context=ValidationContext(trust_roots=[tsa_cert]))
    assert status.intact and status.valid
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    assert status.timestamp_validity.timestamp == NOW.astimezone(dt.UTC)
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "en-GB"


def test_a_timestamping_service_that_fails_signs_nothing(tmp_path: Path) -> None:
    class Down(DummyTimeStamper):
        async def async_request_tsa_response(self, req: Any) -> Any:
            raise TimestampRequestError("connection refused")

    tsa_cert, tsa_key = _tsa()
    settings.configure(Config(timestamp_url="http://tsa.invalid/tsr"))
    with pytest.raises(SigningProblem, match=r"tsa.invalid/tsr\) gave no timestamp "
                                             r"\(connection refused\)"):
        printing.signed_pdf(sample(LetterKind.DECISION), make_signer(tmp_path), "A", "a",
                            stamper=Down(tsa_cert=tsa_cert, tsa_key=tsa_key))


def test_the_configured_service_and_print_options() -> None:
    assert printing.timestamper() is None  # none configured: no timestamp
    config = parse({"timestamp_url": "https://tsa.example.gov.uk/tsr", "return_line": False,
                    "fold_marks": True}, "config.toml")
    settings.configure(config)
    stamper = printing.timestamper()
    assert isinstance(stamper, HTTPTimeStamper) and stamper.url == \
        "https://tsa.example.gov.uk/tsr"
    assert (config.return_line, config.fold_marks) == (False, True)
    for raw, key in (({"timestamp_url": "tsa.example"}, "timestamp_url"),
                     ({"fold_marks": "yes"}, "fold_marks"),
                     ({"return_line": 1}, "return_line")):
        with pytest.raises(ConfigError, match=f'config.toml: "{key}"'):
            parse(raw, "config.toml")
