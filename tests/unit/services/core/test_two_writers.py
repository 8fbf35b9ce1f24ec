"""Two people saving to one database at once: every save waits its turn instead of
failing with "database is locked", and nothing is lost. Real processes on a real file (or one
server database), as two workstations on a shared database would be."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crm_tui.config import Config
from crm_tui.db.connection import open_database
from crm_tui.db.dialect import is_sqlite
from crm_tui.db.models import AuditEntry, Case, ContactLogEntry, Decision, database_proxy
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.errors import DatabaseBusy, DomainError
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit, settings
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.evidence.log_sheet_csv import CSV_COLUMNS
from crm_tui.services.restrictions import decisions
from tests import builders, outside

START = datetime(2026, 10, 1, 9, 0)


def _entry(worker: int, n: int) -> ContactInput:
    return ContactInput(at=START + timedelta(minutes=worker * 1000 + n), channel=Channel.EMAIL,
                        direction=Direction.INBOUND, service_area="Housing Services",
                        officer_name="Sam Patel", summary=f"worker {worker} contact {n}")


def _sheet(folder: Path, worker: int, lines: int) -> Path:
    path = folder / f"sheet-{worker}.csv"
    rows = [",".join(CSV_COLUMNS)]
    for n in range(lines):
        at = START + timedelta(days=1, minutes=worker * 1000 + n)
        rows.append(f"{at:%d/%m/%Y %H:%M},email,inbound,Housing Services,Sam Patel,5,"
                    f"sheet {worker} line {n},")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _writer(db: str, actor: Actor, ref: str, worker: int, contacts_each: int,
            sheet: str | None, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """One workstation: log contacts one at a time, import a log sheet between them."""
    settings.configure(Config())
    database = open_database(db, busy_timeout=30)
    failures: list[str] = []
    for n in range(contacts_each):
        try:
            contacts.log_contact(actor, ref, _entry(worker, n))
        except Exception as exc:  # counted, not raised: the test says how many failed
            failures.append(f"log_contact: {type(exc).__name__}: {exc}")
        if sheet and n == contacts_each // 2:
            try:
                contacts.import_log_sheet(actor, ref, Path(sheet))
            except Exception as exc:
                failures.append(f"import: {type(exc).__name__}: {exc}")
    database.close()
    results.put((worker, failures))


def _run(db_path: Path, actor: Actor, ref: str, workers: int, contacts_each: int,
         sheet_lines: int, folder: Path) -> list[str]:
    reported = _in_processes(db_path, workers, lambda where, w, results: (
        _writer, (where, actor, ref, w, contacts_each,
                  str(_sheet(folder, w, sheet_lines)) if sheet_lines else None, results)))
    return [f for _, failures in reported for f in failures]


def _in_processes(db_path: Path, workers: int, task: Any) -> list[tuple[int, list[str]]]:
    """Run `workers` spawned processes on the database, each its own connection, and
    reopen it here once all have reported. `task(where, worker, results)` gives
    each process's target and arguments; each puts (worker, failures) on `results`."""
    where = outside.target(db_path)
    database_proxy.obj.close()  # each process opens its own connection
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue = context.Queue()  # type: ignore[type-arg]
    processes = []
    for w in range(workers):
        target, args = task(where, w, results)
        processes.append(context.Process(target=target, args=args))
    for p in processes:
        p.start()
    reported = [results.get(timeout=120) for _ in processes]
    for p in processes:
        p.join(timeout=30)
    open_database(where)
    return sorted(reported)


def _concurrent(people: dict[Role, Actor], db_path: Path, tmp_path: Path, workers: int,
                contacts_each: int, sheet_lines: int) -> None:
    ref = builders.local_resolution(people)
    before = ContactLogEntry.select().count()
    entries_before = AuditEntry.select().count()
    failures = _run(db_path, people[Role.OFFICER], ref, workers, contacts_each, sheet_lines,
                    tmp_path)
    assert failures == []
    # Every contact and every line of every sheet landed, each once; no update lost.
    added = workers * (contacts_each + sheet_lines)
    assert ContactLogEntry.select().count() == before + added
    summaries = [c.summary for c in ContactLogEntry.select().where(
        ContactLogEntry.id > 0).order_by(ContactLogEntry.id)][before:]
    assert len(set(summaries)) == added
    # One audit entry per contact logged and one per sheet, in one unbroken chain.
    assert AuditEntry.select().count() == entries_before + workers * (
        contacts_each + (1 if sheet_lines else 0))
    assert audit.verify().ok


def test_concurrent_writers_never_fail_and_never_lose_an_update(
        people: dict[Role, Actor], db_path: Path, tmp_path: Path) -> None:
    _concurrent(people, db_path, tmp_path, workers=4, contacts_each=25, sheet_lines=200)


@pytest.mark.long
def test_many_concurrent_writers(people: dict[Role, Actor], db_path: Path,
                                 tmp_path: Path) -> None:
    _concurrent(people, db_path, tmp_path, workers=10, contacts_each=100, sheet_lines=2000)


def _decider(db: str, secrets: dict[tuple[str, str], str], crm: Actor, officer: Actor,
             decide: str, read: dict[int, int], ref: str, worker: int, contacts_each: int,
             start: Any, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """One workstation: the CRM's decision on a case of their own, between contacts an
    officer logs to the case the other workstation logs to as well. The CRM's passphrase is
    kept in this workstation's keyring (the tests' own, in memory, as the parent's)."""
    import keyring

    from tests.conftest import MemoryKeyring

    store = MemoryKeyring()
    store.secrets.update(secrets)
    keyring.set_keyring(store)
    settings.configure(Config())
    database = open_database(db, busy_timeout=30)
    failures: list[str] = []
    start.wait(60)  # both at once
    for n in range(contacts_each):
        try:
            contacts.log_contact(officer, ref, _entry(worker, n))
        except Exception as exc:
            failures.append(f"log_contact: {type(exc).__name__}: {exc}")
        if n == contacts_each // 2:
            try:
                decisions.impose_restrictions(
                    crm, decide, f"Decided by workstation {worker}", builders.TERMS,
                    read=read, customer_reason=builders.TOLD)
            except Exception as exc:
                failures.append(f"impose_restrictions: {type(exc).__name__}: {exc}")
    database.close()
    results.put((worker, failures))


def test_two_processes_deciding_two_cases_and_logging_to_one_lose_nothing(
        actors: dict[Role, Actor], db_path: Path) -> None:
    """Issue 17: two processes writing one database at once (a server database on
    PostgreSQL, the file on SQLite): each decides a case of its own while both log contacts
    to a third. None fails, both decisions stand, every contact lands once, and the audit
    trail is one unbroken chain with an entry for each."""
    decided = [builders.at_state(actors, CaseState.UNDER_CONSIDERATION) for _ in range(2)]
    read = [builders.read(ref) for ref in decided]
    logged = builders.local_resolution(actors)
    before = (ContactLogEntry.select().count(), AuditEntry.select().count())
    each = 20
    import keyring

    secrets = dict(keyring.get_keyring().secrets)  # type: ignore[attr-defined]
    start = multiprocessing.get_context("spawn").Barrier(2)  # both at once
    reported = _in_processes(db_path, 2, lambda where, w, results: (
        _decider, (where, secrets, actors[Role.CRM], actors[Role.OFFICER], decided[w],
                   read[w], logged, w, each, start, results)))
    assert [f for _, failures in reported for f in failures] == []
    for w, ref in enumerate(decided):
        case = Case.get(Case.reference == ref)
        assert case.state == CaseState.RESTRICTED.value, (ref, case.state)
        assert Decision.select().where(
            (Decision.case == case) & (Decision.reason == f"Decided by workstation {w}")
        ).count() == 1
    summaries = sorted(c.summary for c in ContactLogEntry.select().where(
        ContactLogEntry.case == Case.get(Case.reference == logged)))
    assert ContactLogEntry.select().count() == before[0] + 2 * each
    assert all(f"worker {w} contact {n}" in summaries for w in range(2) for n in range(each))
    # An entry for each contact, at least one for each decision; one chain, verifying.
    decisions_entries = AuditEntry.select().where(
        (AuditEntry.seq > 0) & AuditEntry.case_reference.in_(decided)
        & (AuditEntry.action == "impose_restrictions")).count()
    assert decisions_entries == 2
    assert AuditEntry.select().count() >= before[1] + 2 * each + 2
    assert audit.verify().ok


def test_a_write_that_waits_too_long_says_so_and_writes_nothing(
        people: dict[Role, Actor], db_path: Path) -> None:
    """Another process holds the write lock past the wait: a clear refusal, not a
    traceback, and nothing half-written."""
    ref = builders.local_resolution(people)
    before = (ContactLogEntry.select().count(), AuditEntry.select().count())
    where = outside.target(db_path)
    database_proxy.obj.close()
    open_database(where, busy_timeout=0.2)
    holder = outside.hold_write_lock(db_path)
    try:
        with pytest.raises(DatabaseBusy, match="Another person is saving"):
            contacts.log_contact(people[Role.OFFICER], ref, _entry(0, 0))
    finally:
        holder.end()
    assert (ContactLogEntry.select().count(), AuditEntry.select().count()) == before


def test_a_short_write_during_a_long_import_waits_for_it(
        people: dict[Role, Actor], db_path: Path, tmp_path: Path) -> None:
    """A contact logged while another person's import is committing lands once the import
    has; neither fails."""
    ref = builders.local_resolution(people)
    before = ContactLogEntry.select().count()
    holder = outside.hold_write_lock(db_path)  # the other person's import, committing
    done = threading.Event()
    errors: list[BaseException] = []

    def short_write() -> None:
        try:
            with database_proxy.obj.connection_context():
                contacts.log_contact(people[Role.OFFICER], ref, _entry(1, 1))
        except BaseException as exc:
            errors.append(exc)
        done.set()

    thread = threading.Thread(target=short_write)
    thread.start()
    assert not done.wait(0.5)  # waiting, not failed
    holder.end(commit=True)
    thread.join(timeout=30)
    assert errors == []
    assert ContactLogEntry.select().count() == before + 1
    if is_sqlite():
        assert os.path.exists(db_path)


def test_a_referrals_files_are_copied_without_holding_the_write_lock(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A referral's evidence (40 MB files, say) is copied into the store before its records
    are written: while it copies, another person can save. A refused referral leaves no file
    of its own in the store."""
    from datetime import date

    from crm_tui.domain.categories import BehaviourCategory
    from crm_tui.services.core.evidence_store import EvidenceStore
    from crm_tui.services.core.inputs import ReferralInput
    from crm_tui.services.intake.referrals import ReferralSubmission, submit_referral

    free_while_copying: list[bool] = []
    copying = EvidenceStore.store

    def store(self: EvidenceStore, source: Path) -> object:
        # Another person's save, while this copies.
        free_while_copying.append(outside.write_lock_is_free(db_path))
        return copying(self, source)

    monkeypatch.setattr(EvidenceStore, "store", store)
    letter = tmp_path / "letter.txt"
    letter.write_text("The customer's letter of 1 October")

    def submission(referred_by: str) -> ReferralSubmission:
        return ReferralSubmission(
            "Housing Services",
            ReferralInput(referred_by=referred_by, received_on=date(2026, 11, 2),
                          behaviour_details="Forty emails a week to six officers",
                          categories=(BehaviourCategory.SCATTERGUN,)),
            case_reference=builders.local_resolution(actors), evidence=(letter,))

    submit_referral(actors[Role.CRM], submission("manager"))
    assert free_while_copying == [True]
    store_folder = next(p for p in (tmp_path / "data").rglob("evidence") if p.is_dir())
    before = sorted(p.name for p in store_folder.rglob("*") if p.is_file())
    other = tmp_path / "other.txt"
    other.write_text("A second letter")
    refused = submission("nobody")
    with pytest.raises(DomainError):
        submit_referral(actors[Role.CRM], ReferralSubmission(
            **{**refused.__dict__, "evidence": (other,)}))
    assert sorted(p.name for p in store_folder.rglob("*") if p.is_file()) == before


def test_the_command_line_says_the_database_is_busy_and_writes_nothing(
        people: dict[Role, Actor], db_path: Path, tmp_path: Path,
        acting_as: Callable[[str], None]) -> None:
    from click.testing import CliRunner

    from crm_tui.cli import main

    ref = builders.local_resolution(people)
    before = ContactLogEntry.select().count()
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("busy_timeout_seconds = 1\n", encoding="utf-8")
    acting_as("officer")
    holder = outside.hold_write_lock(db_path)  # another person's large import, committing
    try:
        result = CliRunner().invoke(main, ["import", "log-sheet", ref,
                                           str(_sheet(tmp_path, 0, 3)),
                                           "--db", outside.target(db_path)])
    finally:
        holder.end()
    assert result.exit_code == 1, result.output
    assert "Another person is saving a large change" in result.output
    # Said once, by the refused step: the start's look for leftovers, busy too, says its own
    # words (found when tried: "…nothing was saved" twice, and once above a real import).
    assert result.output.count("nothing was saved") == 1, result.output
    assert "the next start looks" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert ContactLogEntry.select().count() == before


def test_an_evidence_bundle_is_rendered_holding_no_lock(
        people: dict[Role, Actor], db_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A large bundle takes a while to render: meanwhile others can save. Its audit entry is
    written after it, under the lock."""
    from crm_tui.services.evidence import bundle

    ref = builders.local_resolution(people)
    free: list[bool] = []
    rendering = bundle.render_bundle

    def render(content: object, path: Path) -> None:
        free.append(outside.write_lock_is_free(db_path))
        rendering(content, path)  # type: ignore[arg-type]

    monkeypatch.setattr(bundle, "render_bundle", render)
    pdf = bundle.export_bundle(people[Role.CRM], ref, tmp_path / "out", "Northmere")
    assert free == [True] and pdf.exists()
    assert AuditEntry.select().where(AuditEntry.action == "export_evidence_bundle").count() == 1


def test_reading_needs_no_lock_while_another_person_saves(
        people: dict[Role, Actor], db_path: Path, tmp_path: Path,
        acting_as: Callable[[str], None]) -> None:
    """Opening the database and listing cases during another person's long save: no wait."""
    from click.testing import CliRunner

    from crm_tui.cli import main

    ref = builders.local_resolution(people)
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("busy_timeout_seconds = 1\n", encoding="utf-8")
    acting_as("crm")
    holder = outside.hold_write_lock(db_path)
    try:
        result = CliRunner().invoke(main, ["cases", "--db", outside.target(db_path)])
    finally:
        holder.end()
    assert result.exit_code == 0, result.output
    assert ref in result.output
