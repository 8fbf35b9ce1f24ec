"""The keyring is a real one: a backend that marks itself as insecure (a plain-text file, say),
alone or in a chain of such, is treated as no keyring — the passphrase is asked for, never
written to its file, and the app says so once."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_tui.domain.roles import Actor, Role
from crm_tui.services.letters import signing_keys
from tests.conftest import MemoryKeyring
from tests.demo_again import DemoAgain
from tests.insecure_keyring import PlainFileKeyring, chain, keyring_in_use

SECRET = "correct horse battery"


def written_anywhere(folder: Path, secret: str) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def test_a_plain_text_keyring_is_no_keyring(actors: dict[Role, Actor], tmp_path: Path) -> None:
    plain = tmp_path / "keyring.txt"
    with keyring_in_use(PlainFileKeyring(plain)):
        assert not signing_keys.keyring_usable()
        identity = signing_keys.create_key(actors[Role.CRM], "crm", SECRET, council="Test")
        assert not identity.passphrase_in_keyring
        assert not plain.exists()
        with pytest.raises(signing_keys.PassphraseNeeded, match="not a secure one") as first:
            signing_keys.open_signer("crm", None)
        assert first.value.notice and "PlainFileKeyring" in first.value.notice
        assert "priority 0.5" in first.value.notice
        with pytest.raises(signing_keys.PassphraseNeeded) as second:
            signing_keys.open_signer("crm", None)
        assert second.value.notice is None  # said once
        signing_keys.open_signer("crm", SECRET)  # asked for, it signs
    assert not plain.exists()
    assert written_anywhere(tmp_path, SECRET) == []


def test_a_passphrase_already_in_a_plain_text_keyring_is_not_read(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    plain = PlainFileKeyring(tmp_path / "keyring.txt")
    signing_keys.create_key(actors[Role.CRM], "crm", SECRET, council="Test", remember=False)
    plain.set_password(signing_keys.SERVICE, signing_keys._keyring_user("crm"), SECRET)
    with keyring_in_use(plain), pytest.raises(signing_keys.PassphraseNeeded):
        signing_keys.open_signer("crm", None)


def test_a_chain_of_insecure_keyrings_is_no_keyring(actors: dict[Role, Actor],
                                                    tmp_path: Path) -> None:
    files = [tmp_path / "plain.txt", tmp_path / "also-plain.txt"]
    with keyring_in_use(chain(*(PlainFileKeyring(f) for f in files))):
        assert signing_keys.keyring_notice() is not None
        identity = signing_keys.create_key(actors[Role.CRM], "crm", SECRET, council="Test")
        assert not identity.passphrase_in_keyring
        with pytest.raises(signing_keys.PassphraseNeeded, match="not a secure one"):
            signing_keys.open_signer("crm", None)
    assert not any(f.exists() for f in files)


def test_a_chain_keeps_the_passphrase_in_its_secure_member_only(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    plain, memory = tmp_path / "plain.txt", MemoryKeyring()
    with keyring_in_use(chain(PlainFileKeyring(plain), memory)):
        assert signing_keys.keyring_usable() and signing_keys.keyring_notice() is None
        identity = signing_keys.create_key(actors[Role.CRM], "crm", SECRET, council="Test")
        assert identity.passphrase_in_keyring
        assert list(memory.secrets.values()) == [SECRET]
        signing_keys.open_signer("crm", None)
    assert not plain.exists()


def test_no_keyring_at_all_is_still_no_keyring(actors: dict[Role, Actor]) -> None:
    from keyring.backends import fail, null

    for backend in (null.Keyring(), fail.Keyring()):
        with keyring_in_use(backend):
            assert not signing_keys.keyring_usable()
            assert signing_keys.keyring_notice() is None  # nothing found: nothing to explain
            assert signing_keys.keyring_problem() == "this computer has no keyring to keep it in"


def test_the_demo_command_says_so_once_and_writes_no_passphrase(demo_again: DemoAgain) -> None:
    # The run's demo built again by the command under a plain-text keyring (tests/conftest.py).
    result = demo_again
    assert result.exit_code == 0, result.output
    assert result.stderr.count("marks itself as insecure") == 1
    assert "not a secure one" in result.stderr and "the app asks for it" in result.stderr
    assert not result.keyring_file.exists()
    for folder in (result.folder, result.home):
        assert written_anywhere(folder, signing_keys.DEMO_PASSPHRASE) == []
