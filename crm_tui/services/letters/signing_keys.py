"""Each signer's key: made (self-signed) or imported from the council's certificate authority,
kept in a passphrase-protected file readable by its owner only, its certificate registered as a
trust root. The passphrase lives in the operating system's keyring through `keyring`; with no
usable keyring the app says so and asks for it each time — it never writes it to a file. A
keyring that marks itself as insecure (keyrings.alt's plain-text file, say) counts as none."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import keyring
from cryptography import x509
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend
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


def _priority(backend: KeyringBackend) -> float:
    try:
        return float(backend.priority)
    except Exception:  # a backend that cannot work here may raise, keyring says
        return 0.0


def _keyrings() -> tuple[list[KeyringBackend], list[KeyringBackend]]:
    """The keyrings a passphrase may be kept in, and those found here but not secure. keyring's
    own rule: a priority of 1 or more is a recommended backend; below 1 (keyrings.alt's
    plain-text file is 0.5) merely "suitable"; 0 or less, no keyring at all. A chain is judged
    by its members, so that one holding only insecure backends is not used either."""
    chosen = keyring.get_keyring()
    members = list(chosen.backends) if isinstance(chosen, ChainerBackend) else [chosen]
    secure = [b for b in members if _priority(b) >= 1]
    insecure = [b for b in members if 0 < _priority(b) < 1]
    return secure, insecure


def keyring_usable() -> bool:
    """Whether this computer offers a secure keyring to keep passphrases in."""
    return bool(_keyrings()[0])


def keyring_problem() -> str | None:
    """Why passphrases are not kept in a keyring here, in a few words; None when they are."""
    secure, insecure = _keyrings()
    if secure:
        return None
    if insecure:
        return "the keyring here is not a secure one, so it is not used"
    return "this computer has no keyring to keep it in"


_insecure_keyring_told = False  # one notice per process


def keyring_notice() -> str | None:
    """The first time in this process that a keyring is found and not used because it marks
    itself as insecure: a sentence saying so, for the user. None every other time."""
    global _insecure_keyring_told
    secure, insecure = _keyrings()
    if secure or not insecure or _insecure_keyring_told:
        return None
    _insecure_keyring_told = True
    names = ", ".join(f"{type(b).__module__}.{type(b).__name__} (priority {_priority(b):g})"
                      for b in insecure)
    return (f"The keyring found here, {names}, marks itself as insecure (a secure keyring "
            "has priority 1 or more; a plain-text file, for one, does not), so no passphrase "
            "is ever kept in it: you are asked for your signing key's passphrase when you sign.")


def store_passphrase(login: str, passphrase: str) -> bool:
    """Keep the passphrase in a secure keyring; False (and nothing written) if there is none."""
    for backend in _keyrings()[0]:
        try:
            backend.set_password(SERVICE, _keyring_user(login), passphrase)
        except NotImplementedError:  # as keyring's chain does: try the next
            continue
        except KeyringError:
            return False
        return True
    return False


def stored_passphrase(login: str) -> str | None:
    """The passphrase kept for `login` in a secure keyring, if any."""
    for backend in _keyrings()[0]:
        try:
            value = backend.get_password(SERVICE, _keyring_user(login))
        except KeyringError:
            return None
        if value is not None:
            return str(value)
    return None


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
        problem = keyring_problem()
        raise PassphraseNeeded(
            "the signing key's passphrase is needed" + (f" ({problem})" if problem else ""),
            notice=keyring_notice())
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
