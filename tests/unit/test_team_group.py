"""A database shared by a team through a file-system group: what the app writes is the
group's (read and write), never everyone's; without a team group, the owner's alone."""

from __future__ import annotations

import grp
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui import private_files
from crm_tui.cli import main
from crm_tui.config import ConfigError, parse


@pytest.fixture
def own_group() -> Iterator[str]:
    yield grp.getgrgid(os.getegid()).gr_name
    private_files.share_with_group(None)
    os.umask(0o077)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _first_administrator(config: Path | None, db: Path, tmp_path: Path) -> Any:
    secret = tmp_path / "secret.txt"
    secret.write_text("pat's passphrase\n")
    secret.chmod(0o600)  # a passphrase file others can read is refused
    configured = ["--config", str(config)] if config else []
    return CliRunner().invoke(main, [*configured, "users", "add", "pat", "--name", "Pat",
                                     "--staff-id", "E1", "--role", "user_admin",
                                     "--passphrase-file", str(secret), "--db", str(db)])


def test_an_unknown_group_is_refused() -> None:
    with pytest.raises(ConfigError, match="no group"):
        parse({"team_group": "no-such-group-here"}, "config.toml")


def test_with_a_team_group_the_database_is_the_groups_and_never_everyones(
        tmp_path: Path, own_group: str, acting_as: Any) -> None:
    acting_as("pat")
    config = tmp_path / "config.toml"
    config.write_text(f'team_group = "{own_group}"\n')
    shared = tmp_path / "shared"
    db = shared / "crm.sqlite3"
    result = _first_administrator(config, db, tmp_path)
    assert result.exit_code == 0, result.output
    gid = grp.getgrnam(own_group).gr_gid
    assert _mode(db) == 0o660 and db.stat().st_gid == gid
    assert _mode(shared) == 0o2770 and shared.stat().st_gid == gid
    written = private_files.write_private_bytes(shared / "letters" / "a.pdf", b"%PDF")
    assert _mode(written) == 0o660 and _mode(written.parent) == 0o2770
    for path in (db, shared, written):
        assert not _mode(path) & 0o007  # nothing for everyone


def test_without_a_team_group_files_are_the_owners_alone(tmp_path: Path,
                                                        acting_as: Any) -> None:
    acting_as("pat")
    private_files.share_with_group(None)
    db = tmp_path / "own" / "crm.sqlite3"
    result = _first_administrator(None, db, tmp_path)
    assert result.exit_code == 0, result.output
    assert _mode(db) == 0o600 and _mode(db.parent) == 0o700


def test_another_member_opens_the_shared_database_as_its_owner_left_it(
        tmp_path: Path, own_group: str, monkeypatch: pytest.MonkeyPatch,
        acting_as: Any) -> None:
    acting_as("pat")
    config = tmp_path / "config.toml"
    config.write_text(f'team_group = "{own_group}"\n')
    db = tmp_path / "shared" / "crm.sqlite3"
    made = _first_administrator(config, db, tmp_path)
    assert made.exit_code == 0, made.output
    db.chmod(0o640)  # as its owner left it
    # Another member of the team: not the owner, so may not (and does not) change its mode.
    monkeypatch.setattr(private_files.os, "geteuid", lambda: os.getuid() + 4242)
    opened = CliRunner().invoke(main, ["--config", str(config), "users", "list", "--db",
                                       str(db)])
    assert opened.exit_code == 0, opened.output
    assert _mode(db) == 0o640


def test_personal_keys_stay_their_owners_in_a_team_folder(tmp_path: Path,
                                                         own_group: str) -> None:
    private_files.share_with_group(grp.getgrnam(own_group).gr_gid)
    key = private_files.write_private_bytes(tmp_path / "signing" / "ceri.p12", b"key",
                                            personal=True)
    assert _mode(key) == 0o600
    assert _mode(key.parent) == 0o3770  # each adds their own; none removes another's
