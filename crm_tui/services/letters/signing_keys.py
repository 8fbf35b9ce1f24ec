"""Each signer's key: made (self-signed) or imported from the council's certificate authority,
kept in a passphrase-protected file readable by its owner only, its certificate registered as a
trust root. The passphrase lives in the operating system's keyring through `keyring`; with no
usable keyring the app says so and asks for it each time — it never writes it to a file. A
keyring that marks itself as insecure (keyrings.alt's plain-text file, say) counts as none."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509

from crm_tui import clock
from crm_tui.db.models import SigningCertificate, User
from crm_tui.domain.errors import NotFound, RequirementMissing
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.signing_keys import KeyAuthority, require_new_key, require_revocation
from crm_tui.domain.typed_dates import in_prose, quoted
from crm_tui.letters import keys
from crm_tui.letters.keys import KeyProblem
from crm_tui.services.core import audit, confirmation
from crm_tui.services.core.database import atomic
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE, PassphraseNeeded
from crm_tui.services.core.personal_keys import (
    SERVICE,
    _keyring_user,
    key_file,
    key_folder,
    keyring_notice,
    keyring_problem,
    keyring_usable,
    store_passphrase,
    stored_passphrase,
)
from crm_tui.services.core.validation import bounded_text
from crm_tui.services.letters.signing_facts import SigningProblem

# Kept in core (the confirmation of decisions opens the same personal key); named here too
# because signing is where most callers meet them.
__all__ = ["DEMO_PASSPHRASE", "SERVICE", "PassphraseNeeded", "SigningProblem", "_keyring_user",
           "key_file", "key_folder", "keyring_notice", "keyring_problem", "keyring_usable",
           "store_passphrase", "stored_passphrase"]

@dataclass(frozen=True)
class SigningIdentity:
    login: str
    fingerprint: str
    subject: str
    key_file: Path
    passphrase_in_keyring: bool
    demo: bool
    self_signed: bool
    replaced: tuple[str, ...] = ()  # the fingerprints this key's making revoked


@dataclass(frozen=True)
class RevokedKey:
    login: str
    fingerprints: tuple[str, ...]
    revoked_at: datetime


def _in_use(login: str) -> list[SigningCertificate]:
    return list(SigningCertificate.select().where((SigningCertificate.login == login)
                                                  & SigningCertificate.revoked_at.is_null()))


def key_in_use(login: str) -> bool:
    """Whether `login` has a key that is not revoked (replacing it needs its passphrase)."""
    return bool(_in_use(login))


def has_key(login: str) -> bool:
    """Whether a new key for `login` would replace one."""
    # A key file, or any certificate registered for them (in use, revoked, or its file lost).
    return key_file(login).is_file() or SigningCertificate.select().where(
        SigningCertificate.login == login).exists()


def _prove_holder(login: str, old_passphrase: str) -> None:
    path = key_file(login)
    if not path.is_file():
        raise RequirementMissing(f"{login}'s key file is not at {path}, so the passphrase "
                                 "cannot be checked: a user administrator can replace the key, "
                                 "with a reason")
    try:
        keys.read_p12(path, old_passphrase)
    except KeyProblem:
        raise SigningProblem("the passphrase of the key being replaced is wrong: nothing was "
                             "changed") from None


def authorise_new_key(actor: Actor, login: str, old_passphrase: str | None,
                      reason: str) -> KeyAuthority:
    """Whether `actor` may give `login` a new key (checked again when it is made), so that a
    refusal comes before anyone types a new passphrase."""
    # The one text check (t16 F0): the reason goes into the trail.
    reason = bounded_text("reason", reason)
    if User.get_or_none(User.login == login) is None:
        raise NotFound(f"no user with the login {quoted(login)}")
    authority = require_new_key(actor, login, has_key=has_key(login),
                                old_passphrase_given=old_passphrase is not None,
                                in_use=bool(_in_use(login)), reason=reason)
    if authority is KeyAuthority.HOLDER and old_passphrase is not None and has_key(login):
        _prove_holder(login, old_passphrase)
    return authority


def _aside(path: Path) -> Path:
    """Where a replaced key file is kept: beside the new one, never overwritten."""
    stamp = f"{clock.now():%Y%m%d-%H%M%S}"
    for n in range(1000):
        candidate = path.with_name(f"{path.stem}.replaced-{stamp}{f'-{n}' if n else ''}.p12")
        if not candidate.exists():
            return candidate
    raise SigningProblem(f"too many replaced key files for {path.stem} in {path.parent}")


def _own_or_absent(path: Path) -> None:
    """A key file's name in a shared folder taken by someone else (a file or a link they put
    there) is refused in words, before anything is written."""
    if path.is_symlink() or (path.exists() and path.stat().st_uid != os.geteuid()):
        raise SigningProblem(f"{path} is there and is not yours: the user administrator must "
                             "remove it before you can make your key")


def _install(actor: Actor, login: str, key: object, cert: x509.Certificate, passphrase: str,
             *, demo: bool, action: str, authority: KeyAuthority, reason: str,
             remember: bool) -> SigningIdentity:
    """Register the new certificate, revoke the one it replaces, audit it and put the key file
    in place, all or nothing. The replaced key file is kept aside."""
    fp = keys.fingerprint(cert)
    known = SigningCertificate.get_or_none(SigningCertificate.fingerprint == fp)
    if known is not None:
        raise SigningProblem(f"this certificate is already registered, for {known.login}"
                             + (" (revoked)" if known.revoked_at is not None else "")
                             + ": a certificate is registered once")
    path = key_file(login)
    staged = path.with_name(f"{path.stem}.new.p12")
    for name in (path, staged):
        _own_or_absent(name)
    try:
        keys.write_p12(staged, key, cert, passphrase, login)  # type: ignore[arg-type]
    except KeyProblem as exc:
        raise SigningProblem(str(exc)) from None
    except OSError as exc:
        raise SigningProblem(f"the key file {staged} cannot be written: {exc.strerror}") \
            from None
    self_signed = keys.is_self_signed(cert)
    try:
        with atomic():
            now = clock.now()
            replaced = [row.fingerprint for row in _in_use(login)]
            SigningCertificate.update(revoked_at=now).where(
                SigningCertificate.fingerprint.in_(replaced)).execute()
            SigningCertificate.create(login=login, fingerprint=fp, pem=keys.pem(cert),
                                      subject=cert.subject.rfc4514_string(), demo=demo,
                                      created_at=now)
            audit.record(actor, action, reason=reason.strip(), payload={
                "login": login, "fingerprint": fp, "demo": demo, "self_signed": self_signed,
                "replaces": replaced, "authority": authority.value})
            try:
                if path.exists():
                    path.replace(_aside(path))
                staged.replace(path)
            except OSError as exc:  # nothing registered: the transaction rolls back
                raise SigningProblem(f"the key file {path} cannot be put in place: "
                                     f"{exc.strerror}") from None
    finally:
        staged.unlink(missing_ok=True)
    # The administrator's keyring is not the holder's: only the holder's passphrase is kept.
    stored = remember and authority is KeyAuthority.HOLDER and store_passphrase(login,
                                                                                passphrase)
    return SigningIdentity(login, fp, cert.subject.rfc4514_string(), path, stored, demo,
                           self_signed, tuple(replaced))


def create_key(actor: Actor, login: str, passphrase: str, *, council: str, demo: bool = False,
               remember: bool = True, old_passphrase: str | None = None,
               reason: str = "") -> SigningIdentity:
    """A new key and self-signed certificate for a user, made by its holder. One that replaces
    a key needs the old key's passphrase, or a user administrator with a reason; the replaced
    certificate stays registered, revoked from now."""
    authority = authorise_new_key(actor, login, old_passphrase, reason)
    user = User.get(User.login == login)
    # The certificate names the signer's title, or else their role (never a bare "Signer").
    key, cert = keys.self_signed(user.name, user.title or Role(user.role).label, council,
                                 clock.now(), demo=demo)
    return _install(actor, login, key, cert, passphrase, demo=demo, action="create_signing_key",
                    authority=authority, reason=reason, remember=remember)


def import_key(actor: Actor, login: str, p12: Path, passphrase: str, *, remember: bool = True,
               old_passphrase: str | None = None, reason: str = "") -> SigningIdentity:
    """Take a key and certificate issued by the council's certificate authority, on the same
    terms as `create_key`."""
    authority = authorise_new_key(actor, login, old_passphrase, reason)
    try:
        key, cert = keys.read_p12(p12, passphrase)
    except KeyProblem as exc:
        raise SigningProblem(str(exc)) from None
    return _install(actor, login, key, cert, passphrase, demo=False, action="import_signing_key",
                    authority=authority, reason=reason, remember=remember)


def revoke_key(actor: Actor, login: str, reason: str) -> RevokedKey:
    """Revoke the holder's key in use, by the holder or a user administrator, with a reason.
    Its certificate stays registered: letters signed before now still verify, later ones do
    not. The key file stays where it is, so that a new key can prove it replaces it."""
    reason = bounded_text("reason", reason)  # into the trail: the one text check (t16 F0)
    if User.get_or_none(User.login == login) is None:
        raise NotFound(f"no user with the login {quoted(login)}")
    authority = require_revocation(actor, login, reason)
    with atomic():
        revoked = [row.fingerprint for row in _in_use(login)]
        if not revoked:
            raise RequirementMissing(f"{login} has no signing key in use to revoke")
        with confirmation.confirmed(actor):  # the holder's key itself, or the administrator's
            now = clock.now()
            SigningCertificate.update(revoked_at=now).where(
                SigningCertificate.fingerprint.in_(revoked)).execute()
            audit.record(actor, "revoke_signing_key", reason=reason.strip(), payload={
                "login": login, "fingerprints": revoked, "authority": authority.value})
    return RevokedKey(login, tuple(revoked), now)


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
        if passphrase is None:  # the keyring's is out of date: the key was replaced
            raise PassphraseNeeded("the passphrase in the keyring does not open the signing "
                                   "key (was it replaced?): the passphrase is needed") from None
        raise SigningProblem(str(exc)) from None
    if signer.signing_cert is None:
        raise SigningProblem(f"the key file for {login} holds no certificate")
    cert = x509.load_der_x509_certificate(signer.signing_cert.dump())
    fp = keys.fingerprint(cert)
    require_in_use(login, fp)
    return signer, fp


def require_in_use(login: str, fp: str) -> None:
    """SigningProblem unless the certificate is registered to `login` and not revoked."""
    row = SigningCertificate.get_or_none(SigningCertificate.fingerprint == fp)
    if row is None or row.login != login:
        raise SigningProblem(f"the certificate in {login}'s key file is not registered to them "
                             "in this database: letters signed with it would not verify")
    if row.revoked_at is not None:
        raise SigningProblem(f"{login}'s signing key was revoked on "
                             f"{in_prose(row.revoked_at)} {row.revoked_at:%H:%M}: make a new one "
                             f"with crm-tui signing init --user {login} (the revoked key's "
                             "passphrase is needed, or a user administrator)")


def trusted_certificates() -> list[x509.Certificate]:
    return [x509.load_pem_x509_certificate(row.pem.encode())
            for row in SigningCertificate.select()]
