"""Signing keys and certificates: a self-signed certificate for a user (the visible stamp of a
demo one says DEMO), or one from the council's certificate authority imported as a PKCS#12
file. Keys are kept in PKCS#12 files encrypted with a passphrase, readable by the user only."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from crm_tui.private_files import write_private_bytes

YEARS_VALID = 3
# The demo's invented people made their keys when they joined, a decade before its "today",
# and signed with them since: their certificates are made to last that long.
DEMO_YEARS_VALID = 15


class KeyProblem(Exception):
    """A key file that cannot be made, read or used; the message says why in plain words."""


def self_signed(name: str, title: str, council: str, now: dt.datetime, *,
                demo: bool = False) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A new P-256 key and a self-signed certificate naming the signer and the council."""
    key = ec.generate_private_key(ec.SECP256R1())
    org = f"{council} (DEMO)" if demo else council
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name),
                         x509.NameAttribute(NameOID.TITLE, title or "Signer"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                         x509.NameAttribute(NameOID.COUNTRY_NAME, "GB")])
    start = now.astimezone(dt.UTC) - dt.timedelta(days=1)
    years = DEMO_YEARS_VALID if demo else YEARS_VALID
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=365 * years))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True,
                                         crl_sign=False, encipher_only=False,
                                         decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


def write_p12(path: Path, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate,
              passphrase: str, label: str) -> None:
    """Write the key and certificate, encrypted, to a file only its owner can read."""
    if len(passphrase) < 8:
        raise KeyProblem("the passphrase must be at least 8 characters")
    data = pkcs12.serialize_key_and_certificates(
        label.encode(), key, cert, None,
        serialization.BestAvailableEncryption(passphrase.encode()))
    write_private_bytes(path, data, personal=True)  # never the team's, whatever is shared


def read_p12(path: Path, passphrase: str) -> tuple[object, x509.Certificate]:
    """The key and certificate in a PKCS#12 file; KeyProblem if it cannot be opened."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KeyProblem(f"the key file {path} cannot be read: {exc.strerror}") from None
    try:
        key, cert, _ = pkcs12.load_key_and_certificates(data, passphrase.encode())
    except ValueError:
        raise KeyProblem("the passphrase is wrong, or the file is not a PKCS#12 key file") \
            from None
    if key is None or cert is None:
        raise KeyProblem("the PKCS#12 file must hold both a private key and its certificate")
    return key, cert


def is_self_signed(cert: x509.Certificate) -> bool:
    """Signed by its own key, as `self_signed` makes them, rather than by a certificate
    authority."""
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def fingerprint(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()
