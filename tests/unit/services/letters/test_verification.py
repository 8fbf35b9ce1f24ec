"""`letters verify` gives one verdict per file, naming the real reason: each way a file can
fail, alone, and nothing that merely follows from it (a changed byte is not also "a
certificate this council never issued letters with"; an offset is never "0x0x…"), through the
service and the command line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
from click.testing import CliRunner
from cryptography.hazmat.primitives import serialization
from pyhanko.sign import signers

from crm_tui import clock
from crm_tui.cli import main
from crm_tui.db.models import Letter, SigningCertificate
from crm_tui.domain.errors import NotKnown
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.letters import keys, record, signing
from crm_tui.letters.render import render_letter
from crm_tui.services.letters import issuing, signing_keys
from crm_tui.services.letters.verification import Verdict, verify
from tests import builders, outside
from tests.conftest import PASSPHRASE

COUNCIL_NEVER = "not one this council issued letters with"


@pytest.fixture
def issued(actors: dict[Role, Actor], tmp_path: Path) -> issuing.IssuedLetter:
    for role, login in ((Role.CRM, "crm"), (Role.HEAD_OF_SERVICE, "hos")):
        signing_keys.create_key(actors[role], login, PASSPHRASE, council="Test")
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    return issuing.sign_and_export(actors[Role.CRM], ref, LetterKind.DECISION,
                                   tmp_path / "out", PASSPHRASE)


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _only(result: object, verdict: Verdict, *words: str) -> None:
    assert result.verdict is verdict, result  # type: ignore[attr-defined]
    [reason] = result.reasons  # type: ignore[attr-defined]
    assert all(w in reason for w in words), reason
    assert COUNCIL_NEVER not in reason or verdict is Verdict.UNKNOWN_CERTIFICATE
    assert "0x" not in reason


def test_a_genuine_letter_and_every_way_its_file_can_fail(issued: issuing.IssuedLetter,
                                                          tmp_path: Path,
                                                          db_path: Path) -> None:
    result = verify(issued.path)
    assert result.genuine and result.reasons == [] and result.letter is not None
    data = issued.path.read_bytes()
    # A mistyped path is refused as typed (exit 2 on the command line; the dialog stays
    # open): it is never answered "not genuine".
    with pytest.raises(NotKnown, match="does not exist"):
        verify(tmp_path / "nowhere.pdf")
    with pytest.raises(NotKnown, match="not a file"):
        verify(tmp_path)
    _only(verify(_write(tmp_path, "note.pdf", b"Dear Sir, this is not a PDF at all.")),
          Verdict.DAMAGED, "not a PDF")
    changed = bytearray(data)
    changed[len(changed) // 3] ^= 0x01  # inside the letter's content, under the signature
    _only(verify(_write(tmp_path, "changed.pdf", bytes(changed))), Verdict.CHANGED,
          "content was changed after it was signed")
    # Damage inside the signature itself is not a change to the letter's content.
    start = data.index(b"/Contents <") + len(b"/Contents <")
    seen = set()
    # (Not the length bytes: a longer length over the zero padding still reads.)
    for at in (start, start + 2, start + 40, start + 200, start + 900):
        for digit in (b"0", b"f", b"g"):
            damaged = bytearray(data)
            damaged[at:at + 1] = digit
            if bytes(damaged) == data:
                continue
            result = verify(_write(tmp_path, "sig.pdf", bytes(damaged)))
            assert result.verdict in (Verdict.SIGNATURE_DAMAGED, Verdict.FORGED), \
                (at - start, result)
            seen.add(result.verdict)
    assert Verdict.SIGNATURE_DAMAGED in seen
    _only(verify(_write(tmp_path, "added.pdf", data + b"\n% an edit appended\n")),
          Verdict.ADDED_TO, "added to the file after it was signed")
    # pyHanko's own message prints an offset as "0x0x…"; the verdict counts bytes.
    at = None
    for back in range(10, 400):
        damaged = bytearray(data)
        damaged[-back] ^= 0x20
        result = verify(_write(tmp_path, "damaged.pdf", bytes(damaged)))
        if result.verdict is Verdict.DAMAGED and "at byte" in result.reason:
            at = result
            break
    assert at is not None
    _only(at, Verdict.DAMAGED, "damaged")
    assert re.search(r"at byte [\d,]+\)", at.reason), at.reason
    # The command line says the same, once.
    changed_file = _write(tmp_path, "changed.pdf", bytes(changed))
    runner = CliRunner()
    good = runner.invoke(main, ["letters", "verify", str(issued.path),
                                "--db", outside.target(db_path)])
    assert good.exit_code == 0 and good.output.startswith("GENUINE")
    bad = runner.invoke(main, ["letters", "verify", str(changed_file),
                               "--db", outside.target(db_path)])
    assert bad.exit_code == 1
    assert bad.output.strip().splitlines()[0] == ("NOT GENUINE: its content was changed after "
                                                  "it was signed")
    assert COUNCIL_NEVER not in bad.output and "register" not in bad.output
    mistyped = runner.invoke(main, ["letters", "verify", str(tmp_path / "nowhere.pdf"),
                                    "--db", outside.target(db_path)])
    assert mistyped.exit_code == 2 and "GENUINE" not in mistyped.output
    assert "FILE: the file does not exist (was it moved?)" in mistyped.output


def test_the_signature_the_signer_and_the_register(
        issued: issuing.IssuedLetter, actors: dict[Role, Actor], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, db_path: Path) -> None:
    row = Letter.get_by_id(issued.letter_id)
    content = record.loads(row.content)  # the letter as issued (issued once)
    place = render_letter(content, tmp_path / "unsigned.pdf")
    unsigned = (tmp_path / "unsigned.pdf").read_bytes()

    def signed_by(signer: object) -> Path:
        return _write(tmp_path, "signed.pdf", signing.sign(
            unsigned, signer, "Alex Morgan", page=place.page,  # type: ignore[arg-type]
            box=place.box, font=signing.stamp_font(tmp_path), demo=False, stamp=place.stamp))

    # A key the council never registered.
    stranger_key, stranger = keys.self_signed("Alex Morgan", "CRM", "Test", clock.now())
    keys.write_p12(tmp_path / "stranger.p12", stranger_key, stranger, "stranger pass", "x")
    outsider = signing.load_signer((tmp_path / "stranger.p12").read_bytes(), "stranger pass")
    _only(verify(signed_by(outsider)), Verdict.UNKNOWN_CERTIFICATE, COUNCIL_NEVER)
    # The CRM's own key, but a file the app never issued.
    crm, _ = signing_keys.open_signer("crm", PASSPHRASE)
    _only(verify(signed_by(crm)), Verdict.NOT_REGISTERED,
          "not, byte for byte, any letter in the register")
    # One verdict: a file the register does not hold is not also "trusted because this
    # database registered it" (found when tried).
    said = CliRunner().invoke(main, ["letters", "verify", str(tmp_path / "signed.pdf"),
                                     "--db", outside.target(db_path)]).output
    assert said.startswith("NOT GENUINE") and "Self-signed" not in said
    _only(verify(tmp_path / "unsigned.pdf"), Verdict.UNSIGNED, "no digital signature")
    monkeypatch.setattr(signing, "FIELD", "SecondSignature")
    twice = signing.sign(issued.path.read_bytes(), crm,  # type: ignore[arg-type]
                         "Alex Morgan", page=1, box=(300, 40, 500, 90),
                         font=signing.stamp_font(tmp_path), demo=False)
    _only(verify(_write(tmp_path, "twice.pdf", twice)), Verdict.SEVERAL, "more than one")
    # The CRM's certificate, but a signature made with another key: forged.
    forger = signers.SimpleSigner(
        signing_cert=crm.signing_cert,  # type: ignore[attr-defined]
        signing_key=asn1_keys.PrivateKeyInfo.load(stranger_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())),
        cert_registry=crm.cert_registry)  # type: ignore[attr-defined]
    _only(verify(signed_by(forger)), Verdict.FORGED, "does not match its content")
    # The register says another certificate signed it.
    other = SigningCertificate.select().where(
        SigningCertificate.fingerprint != issued.fingerprint).first()
    Letter.update(cert_fingerprint=other.fingerprint).where(
        Letter.id == issued.letter_id).execute()
    _only(verify(issued.path), Verdict.DIFFERENT_CERTIFICATE, "different certificate")
    Letter.update(cert_fingerprint=issued.fingerprint).where(
        Letter.id == issued.letter_id).execute()
    # Its key revoked before it was signed.
    SigningCertificate.update(revoked_at=row.signed_at.replace(year=2025)).where(
        SigningCertificate.fingerprint == issued.fingerprint).execute()
    _only(verify(issued.path), Verdict.REVOKED, "after its signing certificate was revoked")


def test_the_signature_states_the_moment_the_register_records(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    # Found when tried: under a set clock the register said one moment and the signature,
    # read by any PDF reader, another (the machine's).
    from datetime import datetime

    from pyhanko.pdf_utils.reader import PdfFileReader

    moment = datetime(2026, 11, 28, 14, 5)
    with clock.travel_to(moment):
        for role, login in ((Role.CRM, "crm"), (Role.HEAD_OF_SERVICE, "hos")):
            signing_keys.create_key(actors[role], login, PASSPHRASE, council="Test")
        ref = builders.at_state(actors, CaseState.RESTRICTED)
        done = issuing.sign_and_export(actors[Role.CRM], ref, LetterKind.DECISION,
                                       tmp_path / "out", PASSPHRASE)
    row = Letter.get_by_id(done.letter_id)
    assert row.signed_at == moment
    [signature] = PdfFileReader(done.path.open("rb")).embedded_signatures
    said = signature.self_reported_timestamp
    assert said is not None and said.astimezone().replace(tzinfo=None) == moment
    assert verify(done.path).genuine
