"""Signed letters: the text of every kind (extracted from the PDF), embedded fonts, the
checker's refusals, signatures validated against an explicit trust root, tampering caught by
`letters verify`, the keyring (in memory), who may sign, byte-identical unsigned rendering, and
the decision not to write."""

from __future__ import annotations

import stat
from datetime import datetime
from pathlib import Path

import keyring
import pytest
from click.testing import CliRunner
from keyring.backends import null
from pypdf import PdfReader

from crm_tui import clock
from crm_tui.cli import main
from crm_tui.db.models import Appeal, Case, Letter, LocalResolution
from crm_tui.domain.errors import PermissionDenied, RequirementMissing
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.letters import checker
from crm_tui.letters.content import Letter as LetterContent
from crm_tui.letters.render import render_letter
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import copies, issuing, signing_keys, verification
from crm_tui.services.restrictions import decisions
from tests import builders
from tests.demo_decided import CONSIDERING, decided_today
from tests.insecure_keyring import keyring_in_use

PASS = signing_keys.DEMO_PASSPHRASE
EXPECTED = {
    LetterKind.DECISION: ["Decision to restrict your contact", "What we have decided",
                          "How long the restrictions last", "When we will review them",
                          "How you can still contact us", "How to appeal",
                          "Service Director, Legal & Business Operations",
                          "Your appeal must reach us by", "Ombudsman"],
    LetterKind.INVITATION: ["What we propose", "How to comment", "Please write to us at"],
    LetterKind.LIFTED: ["We have decided to lift the restrictions", "Why"],
    LetterKind.APPEAL_OUTCOME: ["The result of your appeal", "should stay as they are",
                                "Ombudsman"],
    LetterKind.LOCAL_RESOLUTION: ["Our concerns", "The way forward",
                                  "single point of contact"],
}
CASES = {LetterKind.DECISION: CONSIDERING, LetterKind.INVITATION: "UPV-2025-0003",
         LetterKind.LIFTED: "UPV-2025-0001", LetterKind.APPEAL_OUTCOME: "UPV-2025-0002",
         LetterKind.LOCAL_RESOLUTION: "UPV-2026-0010"}
# Issued by the demo on the day of its story: read as the record kept them.
ISSUED_IN_DEMO = (LetterKind.INVITATION, LetterKind.LIFTED, LetterKind.APPEAL_OUTCOME)


@pytest.fixture
def demo(demo: Path) -> Path:
    """The demo, with one more case decided today through the services: the demo issues each
    decision letter on the day of its decision, so the decision letter these tests sign is
    this case's."""
    decided_today()
    return demo


def _due(kind: LetterKind) -> datetime:
    """When the demo case's letter of this kind was due: a letter signed later would carry
    dates already past (an overdue review, a monitoring period over) and be refused."""
    case = Case.get(Case.reference == CASES[kind])
    if kind is LetterKind.APPEAL_OUTCOME:
        decided: datetime = Appeal.get(Appeal.case == case).decided_at
        return decided
    if kind is LetterKind.LOCAL_RESOLUTION:
        lr = LocalResolution.get(LocalResolution.case == case)
        return datetime.combine(lr.written_on, datetime.min.time()).replace(hour=12)
    return clock.now()


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.mark.parametrize("kind", list(CASES), ids=lambda k: k.value)
def test_every_letter_kind_says_what_it_must(demo: Path, tmp_path: Path,
                                            kind: LetterKind) -> None:
    signer = resolve_actor("gareth.bell" if kind is LetterKind.APPEAL_OUTCOME else
                           "ceri.hughes")
    if kind in ISSUED_IN_DEMO:
        original = copies.latest_original(signer, CASES[kind], kind)
        path = copies.export_copy(signer, original.id, tmp_path / "out")
        issued = issuing.IssuedLetter(path, original.sha256, original.cert_fingerprint,
                                      original.id)
    else:
        issued = issuing.sign_and_export(signer, CASES[kind], kind, tmp_path / "out", PASS)
    assert stat.S_IMODE(issued.path.stat().st_mode) == 0o600
    text = _text(issued.path)
    for phrase in EXPECTED[kind]:
        assert phrase in " ".join(text.split()), phrase
    assert "DEMO" in text and "page 1 of" in text
    reader = PdfReader(issued.path)
    fonts = {str(f.get_object().get("/BaseFont")) for page in reader.pages
             for f in (page["/Resources"].get("/Font") or {}).values()}
    assert any("DejaVuSans" in f for f in fonts), fonts  # shipped font, embedded
    row = Letter.get_by_id(issued.letter_id)
    assert (row.status, row.sha256, row.cert_fingerprint) == ("issued", issued.sha256,
                                                              issued.fingerprint)
    assert verification.verify(issued.path).genuine


def test_names_in_other_scripts_come_out_right(demo: Path, tmp_path: Path) -> None:
    # Mx Ngọc Trâm Vũ (UPV-2025-0002); the appeal outcome was signed by Gareth Bell.
    director = resolve_actor("gareth.bell")
    original = copies.latest_original(director, "UPV-2025-0002", LetterKind.APPEAL_OUTCOME)
    assert "Mx Ngọc Trâm Vũ" in _text(copies.export_copy(director, original.id, tmp_path))


def test_tampering_is_caught(demo: Path, tmp_path: Path) -> None:
    issued = issuing.sign_and_export(resolve_actor("ceri.hughes"), CONSIDERING,
                                     LetterKind.DECISION, tmp_path, PASS)
    data = issued.path.read_bytes()
    flipped = tmp_path / "flipped.pdf"
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0x01
    flipped.write_bytes(bytes(changed))
    result = verification.verify(flipped)
    assert not result.genuine and result.reasons == ["its content was changed after it was "
                                                     "signed"]
    appended = tmp_path / "appended.pdf"
    appended.write_bytes(data + b"\n% an edit appended after signing\n")
    result = verification.verify(appended)
    assert not result.genuine and result.reason == ("something was added to the file after it "
                                                    "was signed")
    runner = CliRunner()
    good = runner.invoke(main, ["letters", "verify", str(issued.path), "--db", str(demo)])
    assert good.exit_code == 0 and "GENUINE" in good.output
    bad = runner.invoke(main, ["letters", "verify", str(appended), "--db", str(demo)])
    assert bad.exit_code == 1 and "NOT GENUINE" in bad.output


def test_an_unregistered_signer_is_not_trusted(demo: Path, tmp_path: Path) -> None:
    from crm_tui.db.models import SigningCertificate

    issued = issuing.sign_and_export(resolve_actor("ceri.hughes"), CONSIDERING,
                                     LetterKind.DECISION, tmp_path, PASS)
    SigningCertificate.delete().where(
        SigningCertificate.fingerprint == issued.fingerprint).execute()
    result = verification.verify(issued.path)
    assert not result.genuine
    assert any("not one this council issued" in r for r in result.reasons)


def test_who_may_sign(demo: Path, tmp_path: Path) -> None:
    officer = resolve_actor("tomasz.nowak")
    with pytest.raises(PermissionDenied):
        issuing.sign_and_export(officer, CONSIDERING, LetterKind.DECISION, tmp_path, PASS)
    draft = issuing.prepare(officer, CONSIDERING, LetterKind.DECISION)
    assert Letter.get_by_id(draft).status == "draft"
    from crm_tui.services.intake import queries
    assert queries.dashboard(resolve_actor("ceri.hughes")).letters_to_sign == 1
    director = resolve_actor("gareth.bell")
    with pytest.raises(PermissionDenied, match="Complaints Resolution Manager"):
        issuing.sign_and_export(director, CONSIDERING, LetterKind.DECISION, tmp_path, PASS)
    signed = issuing.sign_many(resolve_actor("ceri.hughes"), [draft], tmp_path, PASS,
                               lambda *_: None)
    assert signed[0][1].startswith("signed") and Letter.get_by_id(draft).status == "issued"


def test_the_checker_refuses_an_incomplete_letter(demo: Path) -> None:
    crm = resolve_actor("ceri.hughes")
    whole = issuing.letter(crm, CONSIDERING, LetterKind.DECISION)
    assert checker.missing(whole) == []
    without = LetterContent(**{**whole.__dict__, "sections": [
        (h, p) for h, p in whole.sections if h not in ("How to appeal", "When we will review "
                                                                       "them")]})
    gaps = checker.missing(without)
    assert "it does not say when they will be reviewed" in gaps
    assert "it does not say how to appeal: to whom, how and by when" in gaps
    assert "it does not say the date by which to appeal" in gaps
    # Every finding reads after "the letter cannot be sent:" as a whole clause.
    assert all(g.startswith(("it does not", "a ", "an ", "the ", "internal", "note-form",
                             "punctuation", "contact by"))
               for g in gaps), gaps


def test_unsigned_rendering_is_byte_identical(demo: Path, tmp_path: Path) -> None:
    content = issuing.letter(resolve_actor("ceri.hughes"), CONSIDERING, LetterKind.DECISION)
    render_letter(content, tmp_path / "a.pdf")
    render_letter(content, tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_keyring_holds_the_passphrase_and_nothing_is_written_in_plain_text(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    crm = actors[Role.CRM]
    identity = signing_keys.create_key(crm, "crm", "correct horse battery", council="Test")
    assert identity.passphrase_in_keyring
    assert stat.S_IMODE(identity.key_file.stat().st_mode) == 0o600
    signing_keys.open_signer("crm", None)  # from the (in-memory) keyring
    with pytest.raises(signing_keys.SigningProblem, match="passphrase is wrong"):
        signing_keys.open_signer("crm", "not the passphrase")
    # No usable keyring: the app says so and asks; it never falls back to a file.
    with keyring_in_use(null.Keyring()):
        with pytest.raises(signing_keys.PassphraseNeeded, match="no keyring"):
            signing_keys.open_signer("crm", None)
        other = signing_keys.create_key(actors[Role.OFFICER], "officer", "another passphrase",
                                        council="Test")
    assert not other.passphrase_in_keyring
    files = sorted(p.name for p in identity.key_file.parent.iterdir())
    assert files == ["admin.p12", "crm.p12", "officer.p12"]  # the administrator made theirs first
    for path in identity.key_file.parent.iterdir():
        assert b"another passphrase" not in path.read_bytes()
    assert keyring.get_password(signing_keys.SERVICE, "officer") is None
    with pytest.raises(signing_keys.SigningProblem, match="at least 8"):
        signing_keys.create_key(actors[Role.HEAD_OF_SERVICE], "hos", "short", council="Test")


def test_a_decision_not_to_write_produces_no_letter(actors: dict[Role, Actor]) -> None:
    for role, login in ((Role.CRM, "crm"), (Role.HEAD_OF_SERVICE, "hos")):
        signing_keys.create_key(actors[role], login, "test passphrase", council="Test")
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.consult_no_communication(actors, ref)
    decisions.lift_restrictions(actors[Role.CRM], ref, "Writing would restart it",
                                   without_letter=True)
    [entry] = issuing.register(actors[Role.CRM], ref)
    assert entry.status == "not_sent" and "decision not to write" in entry.note
    assert LetterKind.LIFTED not in issuing.kinds_for(actors[Role.CRM], ref)
    with pytest.raises(RequirementMissing):
        issuing.letter(actors[Role.CRM], ref, LetterKind.LIFTED)


def test_signing_init_and_export_commands(demo: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    secret = tmp_path / "secret.txt"
    secret.write_text("a long enough passphrase\n")
    secret.chmod(0o600)  # a passphrase file others can read is refused
    init = runner.invoke(main, ["--user", "tomasz.nowak", "signing", "init", "--user",
                                "tomasz.nowak",
                                "--passphrase-file", str(secret), "--db", str(demo)])
    assert init.exit_code == 0, init.output
    assert "Fingerprint (SHA-256)" in init.output
    out = tmp_path / "exported"
    demo_secret = tmp_path / "demo-secret.txt"
    demo_secret.write_text(PASS)
    demo_secret.chmod(0o600)
    asked = runner.invoke(main, ["letters", "export", "--case", CONSIDERING, "--kind",
                                 "decision", "--out", str(out), "--user", "ceri.hughes",
                                 "--db", str(demo)], input="not it\n")
    assert asked.exit_code == 1 and "passphrase is wrong" in asked.output  # asked, not argv
    refused = runner.invoke(main, ["letters", "export", "--case", CONSIDERING, "--out",
                                   str(out), "--user", "tomasz.nowak", "--db", str(demo)])
    assert refused.exit_code == 1 and "may not sign" in refused.output
    export = runner.invoke(main, ["letters", "export", "--case", CONSIDERING, "--kind",
                                  "decision", "--out", str(out), "--user", "ceri.hughes",
                                  "--passphrase-file", str(demo_secret), "--db", str(demo)])
    assert export.exit_code == 0, export.output
    [pdf] = out.glob("*.pdf")
    assert runner.invoke(main, ["letters", "verify", str(pdf), "--db", str(demo)]).exit_code == 0


def test_an_unwritable_folder_is_a_clear_refusal(demo: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(signing_keys.SigningProblem, match="could not be written"):
        issuing.sign_and_export(resolve_actor("ceri.hughes"), CONSIDERING,
                                LetterKind.DECISION, blocked / "letters", PASS)
    assert not Letter.select().where(Letter.status == "issued",
                                     Letter.file_name.contains("20261128")).exists()
