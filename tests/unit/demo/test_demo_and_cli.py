"""The demo builder and the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.connection import open_database
from crm_tui.db.models import AuditEntry, ContactLogEntry, Customer, Restriction
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.intake import queries
from tests.demo_again import DemoAgain
from tests.demo_copies import copy_demo


def test_demo_has_every_stage(demo_db: Path, tmp_path: Path) -> None:
    # The run's demo, built by build_demo on the frozen day (tests/conftest.py): a copy, as
    # opening it may write.
    shutil.copy(demo_db, tmp_path / "demo.sqlite3")
    open_database(tmp_path / "demo.sqlite3")
    crm = resolve_actor("ceri.hughes")
    cases = queries.list_cases(crm)
    states = {c.state for c in cases}
    assert states == set(CaseState) - {CaseState.DESTROYED}
    kinds = {RestrictionKind(r.kind) for r in Restriction.select().where(
        Restriction.status == "in_force")}
    assert kinds == set(RestrictionKind)
    counts = queries.dashboard(crm)
    assert counts.reviews_overdue >= 1 and counts.reviews_due_30_days >= 1
    assert counts.appeals_pending == 1 and counts.due_for_destruction == 1
    assert queries.tombstones(crm)
    assert ContactLogEntry.select().count() > 1000
    assert audit.verify().ok
    assert all("@example.org" in c.email for c in Customer.select())
    # Every referral names a behaviour; every restriction answers one; every local resolution
    # warned; one case took the extreme-case route, on a police record.
    from crm_tui.db.models import LocalResolution, NoPriorWarning, PriorWarning, Referral

    assert not Referral.select().where(Referral.categories == 0).exists()
    assert not Restriction.select().where(Restriction.behaviours == 0).exists()
    assert PriorWarning.select().count() == LocalResolution.select().count()
    [extreme] = NoPriorWarning.select()
    assert extreme.escalation.kind == "police_involvement"
    assert extreme.case.state == CaseState.RESTRICTED.value


def test_demo_is_deterministic(demo_db: Path, demo_again: DemoAgain, tmp_path: Path) -> None:
    # Everything but the cryptography: each build makes new signing keys, and signatures are
    # randomised, so the letters' hashes (and the audit entries that record them) differ. A
    # new build (`crm-tui demo --fresh`'s, made once for the run: tests/demo_again.py) is
    # compared with this worker's (built by the same builder, on the same frozen day).
    def fingerprint(path: Path) -> tuple[object, ...]:
        db = open_database(path)
        steps = tuple((e.seq, e.at, e.action, e.case_reference, e.reason)
                      for e in AuditEntry.select().order_by(AuditEntry.seq))
        names = tuple(c.name for c in Customer.select().order_by(Customer.id))
        db.close()
        return steps, names

    assert demo_again.exit_code == 0, demo_again.output
    shutil.copy(demo_again.path, tmp_path / "b.sqlite3")
    shutil.copy(demo_db, tmp_path / "a.sqlite3")
    assert fingerprint(tmp_path / "a.sqlite3") == fingerprint(tmp_path / "b.sqlite3")


def test_cases_json(demo_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    runner = CliRunner()
    copy_demo(demo_db, path)  # the demo command itself is tried above
    result = runner.invoke(main, ["cases", "--json", "--state", "restricted", "--db", str(path),
                                  "--user", "ceri.hughes"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and all(r["state"] == "restricted" for r in rows)
    assert {"reference", "customer_reference", "customer_name", "restriction_kinds",
            "next_due"} <= set(rows[0])


def test_unknown_user_gets_instructions(demo_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    runner = CliRunner()
    copy_demo(demo_db, path)  # the demo command itself is tried above
    result = runner.invoke(main, ["cases", "--db", str(path), "--user", "stranger"])
    assert result.exit_code == 1
    assert "crm-tui users add stranger" in result.output


def test_a_missing_database_is_an_error_not_a_new_one(tmp_path: Path, acting_as: Any) -> None:
    acting_as("pat")
    for command in (["cases"], ["audit", "verify"]):
        result = CliRunner().invoke(main, [*command, "--db", str(tmp_path / "x.sqlite3")])
        assert result.exit_code == 2
        assert "no database at" in result.output and "--role user_admin" in result.output
    assert list(tmp_path.iterdir()) == [] or not (tmp_path / "x.sqlite3").exists()


def test_a_database_without_an_administrator_says_add_one(tmp_path: Path,
                                                          acting_as: Any) -> None:
    from crm_tui.db.connection import open_database

    open_database(tmp_path / "x.sqlite3").close()
    acting_as("pat")
    result = CliRunner().invoke(main, ["cases", "--db", str(tmp_path / "x.sqlite3")])
    assert result.exit_code == 1
    assert "--role user_admin" in result.output and "pat-os" in result.output


def test_bad_config_stops_with_key_and_file(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("review_period_months = 99\n")
    result = CliRunner().invoke(main, ["--config", str(config), "cases", "--db",
                                       str(tmp_path / "x.sqlite3")])
    assert result.exit_code == 1
    assert "review_period_months" in result.output and str(config) in result.output


def test_users_add_and_list(tmp_path: Path, acting_as: Any) -> None:
    db = str(tmp_path / "u.sqlite3")
    runner = CliRunner()
    acting_as("pat")
    first = runner.invoke(main, ["users", "add", "pat", "--name", "Pat Min", "--staff-id",
                                 "E100", "--role", "user_admin", "--db", db],
                          input="pat's passphrase\npat's passphrase\n")
    assert first.exit_code == 0, first.output
    assert "bound to the account pat-os" in first.output
    second = runner.invoke(main, ["users", "add", "boss", "--name", "Bo Ss", "--staff-id",
                                  "E101", "--role", "crm", "--os-account", "boss-os",
                                  "--db", db])
    assert second.exit_code == 0, second.output
    listing = runner.invoke(main, ["users", "list", "--db", db])
    assert "Bo Ss" in listing.output and "Complaints Resolution Manager" in listing.output
    assert "boss-os" in listing.output and "E101" in listing.output


def test_seed_adds_customers_and_contacts(demo_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "seed.sqlite3"
    runner = CliRunner()
    copy_demo(demo_db, path)  # the demo command itself is tried above
    open_database(path)
    before = ContactLogEntry.select().count()
    result = runner.invoke(main, ["seed", "--customers", "500", "--contacts", "5000", "--db",
                                  str(path)])
    assert result.exit_code == 0, result.output
    open_database(path)
    assert ContactLogEntry.select().count() == before + 5000
    assert Customer.select().where(Customer.reference.startswith("S")).count() == 500
    assert audit.verify().ok


def test_demo_database_opens_as_demo_crm_without_user(demo_db: Path, tmp_path: Path,
                                                      monkeypatch: object) -> None:
    path = tmp_path / "demo.sqlite3"
    runner = CliRunner()
    copy_demo(demo_db, path)  # the demo command itself is tried above
    result = runner.invoke(main, ["cases", "--json", "--db", str(path)],
                           env={"CRM_TUI_USER": ""})
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) == 19


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_text("this is not a database\n" * 100)
    result = CliRunner().invoke(main, ["audit", "verify", "--db", str(bogus)])
    assert result.exit_code == 2
    assert "is damaged, or is not a database at all" in result.output
    assert "Traceback" not in result.output


def test_bad_frozen_clock_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["users", "list", "--db", str(tmp_path / "x.db")],
                                env={"CRM_TUI_NOW": "next tuesday"})
    assert result.exit_code == 1
    assert "CRM_TUI_NOW" in result.output


def test_import_referral_command(demo_db: Path, tmp_path: Path) -> None:
    from tests.unit.services.intake.test_inbox_services import SAMPLE

    path = tmp_path / "demo.sqlite3"
    runner = CliRunner()
    copy_demo(demo_db, path)  # the demo command itself is tried above
    good = tmp_path / "good.json"
    good.write_text(json.dumps({**SAMPLE, "referred_by": "hannah.okafor", "evidence": []}))
    result = runner.invoke(main, ["import", "referral", str(good), "--db", str(path)],
                           env={"CRM_TUI_USER": ""})
    assert result.exit_code == 0, result.output
    assert "Recorded referral UPV-2026-0011" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**SAMPLE, "referred_by": "hannah.okafor",
                               "received_on": "2030-01-01"}, indent=2))
    result = runner.invoke(main, ["import", "referral", str(bad), "--db", str(path)],
                           env={"CRM_TUI_USER": ""})
    assert result.exit_code == 1
    assert "line 5" in result.output and "received_on" in result.output


def test_evidence_bundle_command(demo_db: Path, tmp_path: Path) -> None:

    path = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, path)
    runner = CliRunner()
    out = tmp_path / "bundles"
    result = runner.invoke(main, ["evidence", "bundle", "UPV-2025-0004", "--db", str(path),
                                  "--user", "ceri.hughes", "--out", str(out),
                                  "--from", "2026-06-01", "--to", "2026-11-28"])
    assert result.exit_code == 0, result.output
    [pdf] = out.glob("evidence-bundle-UPV-2025-0004-*.pdf")
    assert str(pdf) in result.output
    refused = runner.invoke(main, ["evidence", "bundle", "UPV-2025-0004", "--db", str(path),
                                   "--user", "ceri.hughes", "--out", str(out),
                                   "--from", "2026-11-28", "--to", "2026-06-01"])
    assert refused.exit_code == 2 and ("would end on 2026-06-01, before it starts on "
                                       "2026-11-28") in refused.output
    half = runner.invoke(main, ["evidence", "bundle", "UPV-2025-0004", "--db", str(path),
                                "--user", "ceri.hughes", "--from", "2026-06-01"])
    assert half.exit_code == 2 and "Give --to too" in half.output
    assert len(list(out.glob("*.pdf"))) == 1


def test_demo_weighs_its_evidence(demo_db: Path) -> None:
    from crm_tui.db.connection import open_database
    from crm_tui.db.models import EvidenceLink, Matter

    db = open_database(demo_db)
    try:
        assert Matter.select().where(Matter.closed_on.is_null(False)).count() >= 5
        assert EvidenceLink.select().where(EvidenceLink.document.is_null(False)).count() > 0
        assert EvidenceLink.select().where(EvidenceLink.restriction.is_null(False)).count() > 0
    finally:
        db.close()


def test_the_demo_passes_its_own_evidence_check(tmp_path_factory: pytest.TempPathFactory,
                                                tmp_path: Path) -> None:
    """The demo destroys one file on the way: its documents leave the store with it, so
    `evidence verify` finds nothing left over (it listed three files no record held). Checked
    on a copy of the demo as built (this worker's copy holds the documents other tests attach
    to their own copies of its database)."""
    import contextlib
    import sqlite3

    from crm_tui.services.core.database_facts import EVIDENCE_KEY
    from tests.conftest import _built_once

    folder = tmp_path / "demo"
    shutil.copytree(_built_once(tmp_path_factory), folder)
    path = folder / "demo.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as copy, copy:
        copy.execute("UPDATE setting SET value = ? WHERE key = ?",
                     (str(folder / "demo-evidence"), EVIDENCE_KEY))
    result = CliRunner().invoke(main, ["evidence", "verify", "--db", str(path),
                                       "--user", "ceri.hughes"])
    assert result.exit_code == 0, result.output
    assert "ORPHAN" not in result.output and "PARTIAL" not in result.output
