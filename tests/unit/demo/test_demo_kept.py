"""`crm-tui demo` (and so `make run`) keeps the demo between runs: it opens it as it was left,
and builds it only when there is none, when it was made for another schema, when its build
did not finish, or with --fresh, saying which. The builds are stubbed: what is tried is the
choice, on a copy of a real demo."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from crm_tui import cli_commands
from crm_tui.cli import main
from crm_tui.config import Config
from crm_tui.demo import build, thrown_away
from crm_tui.services.core.database_facts import DEMO_BUILT_KEY, DEMO_EDITION_KEY


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    made: list[Path] = []

    def stub(path: Path, config: object = None) -> build.DemoSummary:
        made.append(path)
        return build.DemoSummary(path, 0, 0, 0)
    monkeypatch.setattr(build, "build_demo", stub)
    return made


@pytest.fixture
def kept(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_db, path)
    return path


def run(path: Path, *more: str) -> Result:
    result = CliRunner().invoke(main, ["demo", "--db", str(path), "--no-launch", *more])
    assert result.exit_code == 0, result.output
    return result


def _sql(path: Path, statement: str) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute(statement)
    connection.close()


def test_the_demo_is_kept_as_it_was_left(kept: Path, builds: list[Path]) -> None:
    before = hashlib.sha256(kept.read_bytes()).hexdigest()
    result = run(kept)
    assert builds == []
    assert "as you left it (crm-tui demo --fresh builds it again)" in result.stderr
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == before


def test_fresh_builds_it_again(kept: Path, builds: list[Path]) -> None:
    assert "Building the demo database: --fresh was given" in run(kept, "--fresh", "--yes").stderr
    assert builds == [kept]


def test_a_missing_demo_is_built(tmp_path: Path, builds: list[Path]) -> None:
    path = tmp_path / "new" / "demo.sqlite3"
    assert "there is no demo database at" in run(path).stderr
    assert builds == [path]


def test_an_older_schema_is_built_again_and_said_so(kept: Path, builds: list[Path]) -> None:
    _sql(kept, "DELETE FROM schema_migration WHERE name = "
               "(SELECT MAX(name) FROM schema_migration)")
    assert "was made by an older version of crm-tui (schema" in run(kept).stderr
    assert builds == [kept]


def test_a_build_cut_short_is_built_again(kept: Path, builds: list[Path]) -> None:
    _sql(kept, f"DELETE FROM setting WHERE key = '{DEMO_BUILT_KEY}'")
    assert "has no record that its build finished" in run(kept).stderr
    assert builds == [kept]


def test_a_demo_of_an_earlier_edition_is_built_again(kept: Path, builds: list[Path]) -> None:
    # A kept demo would show facts stored by an earlier rule (its cases' next actions).
    _sql(kept, f"DELETE FROM setting WHERE key = '{DEMO_EDITION_KEY}'")
    assert "made by an older version of crm-tui's demo" in run(kept).stderr
    assert builds == [kept]


def test_letters_signed_in_the_demo_go_beside_it(kept: Path, builds: list[Path],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # They went to the real letters folder, among a real database's letters.
    launched: list[str] = []
    monkeypatch.setattr(cli_commands, "_launch", lambda state, target, login: launched.append(
        state.config.letters_folder))
    result = CliRunner().invoke(main, ["demo", "--db", str(kept)])
    assert result.exit_code == 0, result.output
    assert launched == [str(kept.with_name("demo-letters"))]
    assert builds == []


def test_fresh_says_what_it_throws_away_and_asks(kept: Path, builds: list[Path],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 15 AX4: `crm-tui demo --fresh` asked nothing. Without a terminal it is refused
    unless --yes; at one, it says what goes and asks, "no" leaving the demo as it was."""
    before = hashlib.sha256(kept.read_bytes()).hexdigest()
    result = CliRunner().invoke(main, ["demo", "--db", str(kept), "--no-launch", "--fresh"])
    assert result.exit_code == 1, result.output
    assert "throws away the demo database at" in result.stderr, result.stderr
    assert "letters signed in it" in result.stderr and " cases" in result.stderr
    assert "add --yes to go ahead" in result.stderr
    assert builds == []
    monkeypatch.setattr(cli_commands, "_at_terminal", lambda: True)
    result = CliRunner().invoke(main, ["demo", "--db", str(kept), "--no-launch", "--fresh"],
                                input="n\n")
    assert result.exit_code == 1, result.output
    assert "Throw it away? [y/N]" in result.stderr, result.stderr
    assert "the demo is as you left it" in result.stderr
    assert builds == []
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == before
    result = CliRunner().invoke(main, ["demo", "--db", str(kept), "--no-launch", "--fresh"],
                                input="y\n")
    assert result.exit_code == 0, result.output
    assert builds == [kept]


def test_the_demos_own_bundles_and_print_packs_go_with_it(tmp_path: Path) -> None:
    """Issue 15 AX4: --fresh removed the demo's letters but left its evidence bundles and
    print packs, of cases that no longer existed. Only what the demo's audit trail names,
    directly in the exports and print folders (a print pack only while it is the one it
    made), goes."""
    exports, packs, elsewhere = tmp_path / "exports", tmp_path / "print", tmp_path / "mine"
    for folder in (exports, packs, elsewhere):
        folder.mkdir()
    bundle = exports / "evidence-bundle-UPV-2026-0011-20261128-101010.pdf"
    pack = packs / "print-pack-1.pdf"
    remade = packs / "print-pack-2.pdf"
    outside = elsewhere / "evidence-bundle-UPV-2026-0001.pdf"
    unrecorded = exports / "someone-elses.pdf"
    for path in (bundle, pack, remade, outside, unrecorded):
        path.write_bytes(path.name.encode())
    digest = hashlib.sha256(pack.read_bytes()).hexdigest()
    db = tmp_path / "demo.sqlite3"
    _sql(db, 'CREATE TABLE "case" (id INTEGER)')
    _sql(db, "CREATE TABLE letter (id INTEGER)")
    _sql(db, "CREATE TABLE audit_entry (action TEXT, payload TEXT)")
    _sql(db, 'INSERT INTO "case" VALUES (1), (2)')
    _sql(db, "INSERT INTO letter VALUES (1)")
    for action, payload in (
            ("export_evidence_bundle", {"path": str(bundle)}),
            ("make_print_pack", {"path": str(pack), "sha256": digest}),
            ("make_print_pack", {"path": str(remade), "sha256": "0" * 64}),
            ("export_evidence_bundle", {"path": str(outside)}),
            ("view_case", {"path": str(unrecorded)})):
        _sql(db, f"INSERT INTO audit_entry VALUES ('{action}', '{json.dumps(payload)}')")
    holds = thrown_away.demo_holds(db, Config(exports_folder=str(exports),
                                              print_folder=str(packs)))
    assert (holds.cases, holds.letters) == (2, 1)
    assert sorted(holds.files) == sorted([bundle, pack])
    assert holds.said() == ("2 cases, 1 letter signed in it and 2 files made from it (evidence "
                            "bundles, print packs or copies)"), holds.said()
    assert thrown_away.remove_files(holds) == 2
    assert not bundle.exists() and not pack.exists()
    assert remade.exists() and outside.exists() and unrecorded.exists()
