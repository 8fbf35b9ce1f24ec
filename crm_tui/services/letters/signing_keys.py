"""Each signer's key: made (self-signed) or imported from the council's certificate authority,
kept in a passphrase-protected file readable by its owner only, its certificate registered as a
trust root. The passphrase lives in the operating system's keyring through `keyring`; with no
usable keyring the app says so and asks for it each time — it never writes it to a file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import keyring
from cryptography import x509
from keyring.errors import KeyringError

from crm_tui import clock
from crm_tui.config import data_dir
from crm_tui.db.models import SigningCertificate, User
from crm_tui.domain.errors import NotFound
from crm_tui.domain.roles import Actor
from crm_tui.letters import keys
from crm_tui.letters.keys import KeyProblem
from crm_tui.services.core import audit
from crm_tui.services.core.database import atomic
from crm_tui.services.core.database_facts import signing_folder
from crm_tui.services.letters.signing_facts import DEMO_PASSPHRASE, PassphraseNeeded, SigningProblem

__all__ = ["DEMO_PASSPHRASE", "PassphraseNeeded", "SigningProblem"]

SERVICE = "crm-tui signing key"


@dataclass(frozen=True)
class SigningIdentity:
    login: str
    fingerprint: str
    subject: str
    key_file: Path
    passphrase_in_keyring: bool
    demo: bool


def key_folder() -> Path:
    folder = signing_folder()
    return Path(folder) if folder else data_dir() / "signing"


def key_file(login: str) -> Path:
    return key_folder() / f"{login}.p12"


def _keyring_user(login: str) -> str:
    # The key file's path tells a demo key from a real one with the same login.
    return f"{login} ({key_file(login)})"


def keyring_usable() -> bool:
    """Whether the operating system offers a keyring to keep passphrases in."""
    backend = keyring.get_keyring()
    return float(getattr(backend, "priority", 0)) > 0 and \
        "fail" not in type(backend).__module__


def store_passphrase(login: str, passphrase: str) -> bool:
    """Keep the passphrase in the keyring; False (and nothing written) if there is none."""
    if not keyring_usable():
        return False
    try:
        keyring.set_password(SERVICE, _keyring_user(login), passphrase)
    except KeyringError:
        return False
    return True


def stored_passphrase(login: str) -> str | None:
    if not keyring_usable():
        return None
    try:
        value = keyring.get_password(SERVICE, _keyring_user(login))
    except KeyringError:
        return None
    return str(value) if value is not None else None


def _register(login: str, cert: x509.Certificate, demo: bool) -> str:
    fp = keys.fingerprint(cert)
    SigningCertificate.insert(login=login, fingerprint=fp, pem=keys.pem(cert),
                              subject=cert.subject.rfc4514_string(), demo=demo,
                              created_at=clock.now()).on_conflict_ignore().execute()
    return fp


def create_key(actor: Actor | None, login: str, passphrase: str, *, council: str,
               demo: bool = False, remember: bool = True) -> SigningIdentity:
    """A new key and self-signed certificate for a user."""
    user = User.get_or_none(User.login == login)
    if user is None:
        raise NotFound(f"no user with the login {login!r}")
    key, cert = keys.self_signed(user.name, user.title or "", council, clock.now(), demo=demo)
    path = key_file(login)
    try:
        keys.write_p12(path, key, cert, passphrase, login)
    except KeyProblem as exc:
        raise SigningProblem(str(exc)) from None
    with atomic():
        fp = _register(login, cert, demo)
        audit.record(actor, "create_signing_key", payload={"login": login, "fingerprint": fp,
                                                          "demo": demo})
    stored = remember and store_passphrase(login, passphrase)
    return SigningIdentity(login, fp, cert.subject.rfc4514_string(), path, stored, demo)


def import_key(actor: Actor | None, login: str, p12: Path, passphrase: str, *,
               remember: bool = True) -> SigningIdentity:
    """Take a key and certificate issued by the council's certificate authority."""
    if User.get_or_none(User.login == login) is None:
        raise NotFound(f"no user with the login {login!r}")
    try:
        key, cert = keys.read_p12(p12, passphrase)
        keys.write_p12(key_file(login), key, cert, passphrase, login)  # type: ignore[arg-type]
    except KeyProblem as exc:
        raise SigningProblem(str(exc)) from None
    with atomic():
        fp = _register(login, cert, False)
        audit.record(actor, "import_signing_key", payload={"login": login, "fingerprint": fp})
    stored = remember and store_passphrase(login, passphrase)
    return SigningIdentity(login, fp, cert.subject.rfc4514_string(), key_file(login), stored,
                           False)


def open_signer(login: str, passphrase: str | None) -> tuple[object, str]:
    """The user's signer and their certificate's fingerprint. The passphrase is the one given,
    else the keyring's; PassphraseNeeded if there is neither."""
    path = key_file(login)
    if not path.is_file():
        raise SigningProblem(f"{login} has no signing key yet: crm-tui signing init --user "
                             f"{login}")
    secret = passphrase if passphrase is not None else stored_passphrase(login)
    if secret is None:
        raise PassphraseNeeded(
            "the signing key's passphrase is needed" + (
                "" if keyring_usable() else " (this computer has no keyring to keep it in)"))
    from crm_tui.letters.signing import load_signer  # pyHanko loads on first signing

    try:
        signer = load_signer(path.read_bytes(), secret)
    except KeyProblem as exc:
        raise SigningProblem(str(exc)) from None
    if signer.signing_cert is None:
        raise SigningProblem(f"the key file for {login} holds no certificate")
    cert = x509.load_der_x509_certificate(signer.signing_cert.dump())
    return signer, keys.fingerprint(cert)


def trusted_certificates() -> list[x509.Certificate]:
    return [x509.load_pem_x509_certificate(row.pem.encode())
            for row in SigningCertificate.select()]
