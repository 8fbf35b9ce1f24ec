"""Signing keys belong to their holder: every way round that is refused (through the service
and the command line) with the database and the key files unchanged; a key replaced with its
old passphrase or by a user administrator with a reason; revocation; letters signed before a
key was replaced or revoked still genuine and those signed after not; self-signed keys marked,
a council-issued certificate not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from crm_tui import clock
from crm_tui.cli import main
from crm_tui.db.models import AuditEntry, Letter, SigningCertificate
from crm_tui.domain.errors import DomainError, PermissionDenied, RequirementMissing, ValidationError
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import confirmation
from crm_tui.services.letters import issuing, signing_keys, verification
from tests import builders, dumps, outside
from tests.conftest import PASSPHRASE

OLD, NEW = "the holder's own passphrase", "a brand new passphrase"
T0 = datetime(2026, 11, 28, 10)
T1, T2 = T0 + dt.timedelta(hours=1), T0 + dt.timedelta(hours=2)
KEY_ACTIONS = ("create_signing_key", "import_signing_key", "revoke_signing_key")


@pytest.fixture
def team(actors: dict[Role, Actor]) -> dict[Role, Actor]:
    """The test team; the CRM and the Service Director have made their own keys."""
    signing_keys.create_key(actors[Role.CRM], "crm", OLD, council="Test")
    signing_keys.create_key(actors[Role.SERVICE_DIRECTOR], "director", OLD, council="Test")
    return actors


def _files() -> dict[str, bytes]:
    folder = signing_keys.key_folder()
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def _dump() -> list[str]:
    return dumps.dump()


@contextmanager
def _unchanged() -> Iterator[None]:
    """The block changes neither the database nor any key file."""
    rows, files = _dump(), _files()
    yield
    assert _dump() == rows
    assert _files() == files


def _restricted_case(actors: dict[Role, Actor]) -> str:
    # The Head of Service confirms their view with their own key (the CRM made theirs).
    signing_keys.create_key(actors[Role.HEAD_OF_SERVICE], "hos", OLD, council="Test")
    return builders.at_state(actors, CaseState.RESTRICTED)


def _sign(actors: dict[Role, Actor], ref: str, folder: Path,
          passphrase: str | None = OLD) -> issuing.IssuedLetter:
    # These tests are about keys: each signature is of a letter not yet issued. A letter is
    # issued once, so once the case's decision letter has gone, another case's is signed.
    from crm_tui.domain.states import CaseState

    if LetterKind.DECISION not in issuing.kinds_for(actors[Role.CRM], ref):
        ref = builders.at_state(actors, CaseState.RESTRICTED)
    return issuing.sign_and_export(actors[Role.CRM], ref, LetterKind.DECISION, folder,
                                   passphrase)


def _council_p12(path: Path, name: str, passphrase: str) -> None:
    """A key and certificate as the council's certificate authority would issue them."""
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Council CA")])
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(1).not_valid_before(start)
          .not_valid_after(start + dt.timedelta(days=900))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(2)
            .not_valid_before(start).not_valid_after(start + dt.timedelta(days=365))
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False,
                                         decipher_only=False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"issued", key, leaf, [ca], serialization.BestAvailableEncryption(passphrase.encode())))


# Each way round the rule, as (who tries, what, the error, what it says).
Attempt = Callable[[dict[Role, Actor], Path], object]
BYPASSES: dict[str, tuple[Attempt, type[DomainError], str]] = {
    "someone else makes a first key": (lambda a, _: signing_keys.create_key(
        a[Role.CRM], "hos", NEW, council="Test"), PermissionDenied, "only hos makes their own"),
    "an administrator makes a first key": (lambda a, _: signing_keys.create_key(
        a[Role.USER_ADMIN], "hos", NEW, council="Test", reason="Asked to"),
        PermissionDenied, "only hos makes their own"),
    "someone else replaces a key": (lambda a, _: signing_keys.create_key(
        a[Role.OFFICER], "crm", NEW, council="Test", reason="Lost it"), PermissionDenied,
        "only crm makes their own"),
    "someone else replaces a key with its passphrase": (lambda a, _: signing_keys.create_key(
        a[Role.SERVICE_DIRECTOR], "crm", NEW, council="Test", old_passphrase=OLD),
        PermissionDenied, "only crm makes their own"),
    "the CRM replaces another's key": (lambda a, _: signing_keys.create_key(
        a[Role.CRM], "director", NEW, council="Test", reason="Urgent"), PermissionDenied,
        "only director makes their own"),
    "someone else imports over a key": (lambda a, p: signing_keys.import_key(
        a[Role.OFFICER], "crm", p, NEW), PermissionDenied, "only crm makes their own"),
    "the holder without the old passphrase": (lambda a, _: signing_keys.create_key(
        a[Role.CRM], "crm", NEW, council="Test"), RequirementMissing,
        "needs the passphrase of the key it replaces"),
    "the holder with a wrong old passphrase": (lambda a, _: signing_keys.create_key(
        a[Role.CRM], "crm", NEW, council="Test", old_passphrase="not the passphrase"),
        signing_keys.SigningProblem, "passphrase of the key being replaced is wrong"),
    "the holder imports without the old passphrase": (lambda a, p: signing_keys.import_key(
        a[Role.CRM], "crm", p, NEW), RequirementMissing,
        "needs the passphrase of the key it replaces"),
    "an administrator makes someone's key, with a reason": (lambda a, _: signing_keys.create_key(
        a[Role.USER_ADMIN], "crm", NEW, council="Test", reason="Lost it"), PermissionDenied,
        "a user administrator revokes it"),
    "someone else revokes a key": (lambda a, _: signing_keys.revoke_key(
        a[Role.OFFICER], "crm", "Spite"), PermissionDenied, "only crm, or a user administrator"),
    "the holder revokes without a reason": (lambda a, _: signing_keys.revoke_key(
        a[Role.CRM], "crm", ""), ValidationError, "say why"),
    "an administrator revokes without a reason": (lambda a, _: signing_keys.revoke_key(
        a[Role.USER_ADMIN], "crm", " "), ValidationError, "must record why"),
    "revoking a key nobody has": (lambda a, _: signing_keys.revoke_key(
        a[Role.HEAD_OF_SERVICE], "hos", "Never had one"), RequirementMissing,
        "no signing key in use"),
}


@pytest.mark.parametrize("name", list(BYPASSES))
def test_each_way_round_is_refused_and_changes_nothing(team: dict[Role, Actor], tmp_path: Path,
                                                       name: str) -> None:
    attempt, error, says = BYPASSES[name]
    p12 = tmp_path / "issued.p12"
    _council_p12(p12, "Alex Morgan", NEW)
    with _unchanged(), pytest.raises(error, match=says):
        attempt(team, p12)


def test_the_holder_replaces_their_key_with_its_passphrase(team: dict[Role, Actor],
                                                           tmp_path: Path) -> None:
    ref = _restricted_case(team)
    before = _sign(team, ref, tmp_path / "out")
    old_file = signing_keys.key_file("crm").read_bytes()
    with clock.travel_to(T1):
        new = signing_keys.create_key(team[Role.CRM], "crm", NEW, council="Test",
                                      old_passphrase=OLD)
    assert new.replaced == (before.fingerprint,) and new.passphrase_in_keyring
    old = SigningCertificate.get(SigningCertificate.fingerprint == before.fingerprint)
    assert old.revoked_at == T1  # kept in the register, revoked from the replacement
    assert SigningCertificate.get(SigningCertificate.fingerprint == new.fingerprint).revoked_at \
        is None
    # The replaced key file is kept aside, byte for byte; the old passphrase opens nothing now.
    [aside] = [n for n, data in _files().items() if data == old_file]
    assert aside.startswith("crm.replaced-") and aside.endswith(".p12")
    with pytest.raises(signing_keys.SigningProblem, match="passphrase is wrong"):
        signing_keys.open_signer("crm", OLD)
    with clock.travel_to(T2):
        after = _sign(team, ref, tmp_path / "out", None)  # the keyring holds the new one
    assert after.fingerprint == new.fingerprint
    assert verification.verify(before.path).genuine and verification.verify(after.path).genuine
    entry = AuditEntry.select().where(AuditEntry.action == "create_signing_key") \
        .order_by(AuditEntry.seq.desc()).get()
    assert (entry.actor_login, '"authority": "holder"' in entry.payload) == ("crm", True)


def test_a_lost_passphrase_the_administrator_revokes_and_the_holder_makes_a_new_key(
        team: dict[Role, Actor], tmp_path: Path) -> None:
    ref = _restricted_case(team)
    spare = builders.at_state(team, CaseState.RESTRICTED)  # its letter, with the new key
    before = _sign(team, ref, tmp_path / "out")
    with clock.travel_to(T1), confirmation.given(PASSPHRASE):  # the administrator's own
        revoked = signing_keys.revoke_key(team[Role.USER_ADMIN], "crm",
                                          "Alex forgot the passphrase")
    assert revoked.fingerprints == (before.fingerprint,)
    entry = AuditEntry.select().where(AuditEntry.action == "revoke_signing_key") \
        .order_by(AuditEntry.seq.desc()).get()
    assert (entry.actor_login, entry.actor_role, entry.reason) == (
        "admin", "user_admin", "Alex forgot the passphrase")
    # Alex makes the new key, the file Alex's own, without the lost passphrase.
    with clock.travel_to(T2):
        new = signing_keys.create_key(team[Role.CRM], "crm", NEW, council="Test")
        after = _sign(team, spare, tmp_path / "out", NEW)
    assert new.replaced == () and new.passphrase_in_keyring
    assert verification.verify(before.path).genuine and verification.verify(after.path).genuine


def test_a_revoked_key_signs_nothing_and_later_letters_are_not_genuine(
        team: dict[Role, Actor], tmp_path: Path) -> None:
    ref = _restricted_case(team)
    spare = builders.at_state(team, CaseState.RESTRICTED)  # a letter still to write
    before = _sign(team, ref, tmp_path / "out")
    old_signer, _ = signing_keys.open_signer("crm", OLD)
    with clock.travel_to(T1):
        revoked = signing_keys.revoke_key(team[Role.CRM], "crm", "Laptop stolen")
    assert revoked.fingerprints == (before.fingerprint,) and revoked.revoked_at == T1
    assert verification.verify(before.path).genuine  # signed before: still genuine
    issued = Letter.select().where(Letter.status == "issued").count()
    with clock.travel_to(T2), _unchanged(), \
            pytest.raises(signing_keys.SigningProblem, match="revoked on 28 Nov 2026 11:00"):
        _sign(team, spare, tmp_path / "later")
    assert not (tmp_path / "later").exists() or not list((tmp_path / "later").iterdir())
    # A letter signed with the revoked key afterwards (as a copy of the app that predates
    # revocation would register it) does not verify, and says why.
    forged = _register_as_old_app(team, ref, tmp_path, old_signer, before.fingerprint)
    result = verification.verify(forged)
    assert not result.genuine
    assert any("after its signing certificate was revoked on 28 Nov 2026 11:00" in r
               for r in result.reasons), result.reasons
    assert Letter.select().where(Letter.status == "issued").count() == issued + 1
    # The revocation was confirmed with the key's own passphrase: the new key needs no more,
    # and the revoked file is kept aside.
    with clock.travel_to(T2):
        new = signing_keys.create_key(team[Role.CRM], "crm", NEW, council="Test")
    assert new.replaced == ()  # nothing in use was left to revoke
    assert list(signing_keys.key_folder().glob("crm.replaced-*.p12"))
    entry = AuditEntry.select().where(AuditEntry.action == "revoke_signing_key").get()
    assert (entry.actor_login, entry.reason) == ("crm", "Laptop stolen")


def _register_as_old_app(actors: dict[Role, Actor], ref: str, folder: Path, signer: object,
                         fingerprint: str) -> Path:
    """Sign the case's decision letter at T2 with `signer` and register it directly, as a copy
    of the app from before revocation would."""
    import hashlib

    from crm_tui.db.models import Case
    from crm_tui.letters import record, signing
    from crm_tui.letters.render import render_letter

    kept = (Letter.select().where((Letter.case == Case.get(Case.reference == ref).id)
                                  & (Letter.status == "issued")).first())
    # The letter as it was issued, or as it would be issued now.
    content = record.loads(kept.content) if kept is not None else issuing.letter(
        actors[Role.CRM], ref, LetterKind.DECISION)
    place = render_letter(content, folder / "unsigned.pdf")
    pdf = signing.sign((folder / "unsigned.pdf").read_bytes(), signer,  # type: ignore[arg-type]
                       "Alex Morgan", page=place.page, box=place.box,
                       font=signing.stamp_font(folder / "cache"), demo=False)
    path = folder / "late.pdf"
    path.write_bytes(pdf)
    Letter.create(case=Case.get(Case.reference == ref), kind=LetterKind.DECISION.value,
                  created_at=T2, created_by=actors[Role.CRM].user_id, status="issued",
                  signed_by=actors[Role.CRM].user_id, signed_at=T2, file_name=path.name,
                  sha256=hashlib.sha256(pdf).hexdigest(), cert_fingerprint=fingerprint)
    return path


def test_a_key_revoked_while_a_letter_is_signed_registers_nothing(
        team: dict[Role, Actor], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from crm_tui.letters import signing

    ref = _restricted_case(team)
    real_sign = signing.sign

    def revoked_meanwhile(*args: object, **kwargs: object) -> bytes:
        signing_keys.revoke_key(team[Role.USER_ADMIN], "crm", "Reported compromised")
        return real_sign(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(signing, "sign", revoked_meanwhile)
    with pytest.raises(signing_keys.SigningProblem, match="revoked"):
        _sign(team, ref, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []
    assert not Letter.select().where(Letter.status == "issued").exists()


def test_self_signed_keys_are_marked_and_council_certificates_are_not(
        team: dict[Role, Actor], tmp_path: Path) -> None:
    ref = _restricted_case(team)
    mine = _sign(team, ref, tmp_path / "out")
    result = verification.verify(mine.path)
    assert result.genuine and result.self_signed
    p12 = tmp_path / "issued.p12"
    _council_p12(p12, "Alex Morgan", NEW)
    with clock.travel_to(T1):
        imported = signing_keys.import_key(team[Role.CRM], "crm", p12, NEW, old_passphrase=OLD)
    assert not imported.self_signed and imported.replaced == (mine.fingerprint,)
    with clock.travel_to(T2):
        issued = _sign(team, ref, tmp_path / "out", NEW)
    result = verification.verify(issued.path)
    assert result.genuine and not result.self_signed
    assert verification.verify(mine.path).genuine
    # A certificate is registered once: the same file cannot be imported again over itself.
    with _unchanged(), pytest.raises(signing_keys.SigningProblem, match="registered once"):
        signing_keys.import_key(team[Role.CRM], "crm", p12, NEW, old_passphrase=NEW)


# The command line: the acting person is the account running it; whose key is the command's.


def _cli(db: Path, *args: str, acting: str, input: str | None = None) -> tuple[int, str]:
    from crm_tui.services.core import identity
    from tests.conftest import account

    identity.use_account_source(lambda: account(acting))
    try:
        result = CliRunner().invoke(main, [*args, "--db", outside.target(db)], input=input,
                                    env={"CRM_TUI_USER": ""})
    finally:
        identity.use_account_source(identity.connection_account)
    return result.exit_code, result.output


def _write(path: Path, text: str) -> str:
    path.write_text(text + "\n")
    path.chmod(0o600)  # a passphrase file others can read is refused
    return str(path)


def test_the_command_line_refuses_each_way_round(team: dict[Role, Actor], db_path: Path,
                                                 tmp_path: Path) -> None:
    new = _write(tmp_path / "new.txt", NEW)
    wrong = _write(tmp_path / "wrong.txt", "not the passphrase")
    refusals = [
        (["signing", "init", "--user", "crm", "--passphrase-file", new], "officer",
         "only crm makes their own"),
        (["signing", "init", "--user", "hos", "--passphrase-file", new], "crm",
         "only hos makes their own"),
        (["signing", "init", "--user", "crm", "--passphrase-file", new, "--old-passphrase-file",
          wrong], "crm", "passphrase of the key being replaced is wrong"),
        (["signing", "init", "--user", "crm", "--passphrase-file", new, "--reason", "Lost"],
         "admin", "a user administrator revokes it"),
        (["signing", "revoke", "--user", "crm", "--reason", "Spite"], "officer",
         "only crm, or a user administrator"),
        # a blank option is what was typed, as a missing one is (exit 2, README)
        (["signing", "revoke", "--user", "crm", "--reason", " "], "admin",
         "Give --reason: it cannot be left blank"),
    ]
    for args, acting, says in refusals:
        with _unchanged():
            code, output = _cli(db_path, *args, acting=acting)
        usage = says.startswith("Give ")
        assert code == (2 if usage else 1) and says in " ".join(output.split()), (args, output)
    # Asked for the old passphrase (never on the command line), and a wrong one changes nothing.
    with _unchanged():
        code, output = _cli(db_path, "signing", "init", "--user", "crm", "--passphrase-file",
                            new, acting="crm", input="not it\n")
    assert code == 1 and "Passphrase of the key you are replacing" in output


def test_the_command_line_replaces_and_revokes_keys(team: dict[Role, Actor], db_path: Path,
                                                    tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    ref = _restricted_case(team)
    before = _sign(team, ref, tmp_path / "out")
    monkeypatch.setenv("CRM_TUI_NOW", T1.isoformat())
    code, output = _cli(db_path, "signing", "init", "--user", "crm", "--passphrase-file",
                        _write(tmp_path / "new.txt", NEW), acting="crm", input=f"{OLD}\n")
    assert code == 0, output
    assert f"Replaces {before.fingerprint[:16]}" in output and "self-signed" in output
    code, output = _cli(db_path, "signing", "revoke", "--user", "director", "--reason",
                        "Chris left the passphrase behind", acting="admin")
    assert code == 0, output
    code, output = _cli(db_path, "signing", "init", "--user", "director", "--passphrase-file",
                        _write(tmp_path / "chris.txt", "only chris knows this"),
                        acting="director")
    assert code == 0, output
    monkeypatch.setenv("CRM_TUI_NOW", T2.isoformat())
    code, output = _cli(db_path, "signing", "revoke", "--user", "crm", "--reason",
                        "Leaving the council", acting="crm")
    assert code == 0 and "Revoked crm's signing key" in output, output
    code, output = _cli(db_path, "letters", "verify", str(before.path), acting="crm")
    assert code == 0 and "GENUINE" in output and "Self-signed" in output, output
    entries = list(AuditEntry.select().where(AuditEntry.action.in_(KEY_ACTIONS))
                   .order_by(AuditEntry.seq))
    assert [(e.actor_login, e.action) for e in entries] == [
        ("admin", "create_signing_key"),  # the administrator's own, made first
        ("crm", "create_signing_key"), ("director", "create_signing_key"),
        ("hos", "create_signing_key"),  # to confirm the view on the restricted case
        ("crm", "create_signing_key"), ("admin", "revoke_signing_key"),
        ("director", "create_signing_key"), ("crm", "revoke_signing_key")]
    assert entries[5].reason == "Chris left the passphrase behind"


def test_the_command_line_says_why_a_late_letter_is_not_genuine(
        team: dict[Role, Actor], db_path: Path, tmp_path: Path) -> None:
    ref = _restricted_case(team)
    old_signer, fingerprint = signing_keys.open_signer("crm", OLD)
    with clock.travel_to(T1):
        signing_keys.revoke_key(team[Role.USER_ADMIN], "crm", "Reported compromised")
    forged = _register_as_old_app(team, ref, tmp_path, old_signer, fingerprint)
    code, output = _cli(db_path, "letters", "verify", str(forged), acting="crm")
    assert code == 1 and "NOT GENUINE" in output
    assert "after its signing certificate was revoked" in output and "Self-signed" in output
