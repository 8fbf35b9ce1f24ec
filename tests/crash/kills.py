"""The real program killed (SIGKILL) at random points while it imports a referral, decides an
appeal and exports a letter; after each kill the database passes SQLite's integrity check, the
audit trail and the evidence verify, and after the next start nothing is left behind: no
evidence copy cut short, no evidence file no record points to, no signed letter outside the
register. At the end of each run, the real program's own checks (`audit verify`, `evidence
verify`, `letters verify`) must pass too.

Used by tests/crash/test_kills.py (a short run in the suite, a long one marked `long`)."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from crm_tui.config import Config
from crm_tui.db.connection import open_database
from crm_tui.db.models import Letter, database_proxy
from crm_tui.services.core import audit, leftovers, settings, users
from crm_tui.services.core.evidence_store import evidence_store
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.evidence import documents

CRM_TUI = str(Path(sys.executable).with_name("crm-tui"))
FROZEN_NOW = "2026-11-28T10:00:00"
CRM, DIRECTOR, MANAGER = "ceri.hughes", "gareth.bell", "hannah.okafor"
APPEALED = "UPV-2026-0004"  # the demo's case under appeal


@dataclass
class Lane:
    """One operation's own copy of the demo, its snapshots and what the kills found."""

    folder: Path
    env: dict[str, str]
    db: Path
    killed: int = 0
    finished: int = 0
    outs: list[Path] = field(default_factory=list)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([CRM_TUI, *args, "--db", str(self.db)], env=self.env,
                              capture_output=True, text=True, timeout=120, check=False)


def _env(folder: Path) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("CRM_TUI")}
    return {**inherited, "CRM_TUI_NOW": FROZEN_NOW, "CRM_TUI_DATA_DIR": str(folder / "data"),
            "CRM_TUI_CONFIG_DIR": str(folder / "config"), "TZ": "Europe/London",
            # The demo's passphrases come from a file here: never a keyring of yours.
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}


def lane(demo_db: Path, folder: Path) -> Lane:
    """A copy of the demo (database, evidence, signing keys) of this lane's own."""
    shutil.copytree(demo_db.parent, folder / "demo", dirs_exist_ok=True)
    db = folder / "demo" / "demo.sqlite3"
    with sqlite3.connect(db) as copy:
        for key, name in (("evidence_folder", "demo-evidence"),
                          ("signing_folder", "demo-signing")):
            copy.execute("UPDATE setting SET value = ? WHERE key = ?",
                         (str(folder / "demo" / name), key))
    copy.close()
    (folder / "passphrase").write_text(DEMO_PASSPHRASE)
    (folder / "passphrase").chmod(0o600)  # a passphrase file others can read is refused
    return Lane(folder, _env(folder), db)


def _snapshot(db: Path, to: Path) -> None:
    with sqlite3.connect(db) as source, sqlite3.connect(to) as target:
        source.backup(target)
    source.close()
    target.close()


def _restore(snapshot: Path, db: Path) -> None:
    """The database back as the snapshot holds it (a decision or a letter is made once)."""
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(snapshot, db)


def _referral(lane: Lane, n: int) -> Path:
    """A referral folder with three small documents of their own (each import copies new
    files into the store)."""
    folder = lane.folder / "referrals" / f"r{n}"
    folder.mkdir(parents=True)
    for k in range(3):
        (folder / f"email-{k}.txt").write_text(f"Email {k} of referral {n}: the gutter again.\n"
                                               * 200)
    (folder / "referral.json").write_text(json.dumps({
        "schema": "crm-tui/referral/1", "service_area": "Housing Services",
        "referred_by": MANAGER, "received_on": "20/11/2026",
        "customer": {"name": f"Mr Test Customer {n}", "address": ["1 Lantern Yard", "Northmere"],
                     "postcode": "NM4 2QT"},
        "behaviour": {"details": "Emails every officer daily about the same gutter",
                      "categories": ["Scattergun approach"]},
        "local_resolution": {"written_on": "01/09/2026", "written_summary": "Concerns set out",
                             "customer_summary": "You have written to us many times a day.",
                             "contact_frequency": "weekly", "communication_style": "Email",
                             "monitoring_start": "01/09/2026", "monitoring_end": "01/11/2026",
                             "warned": True},
        "other_departments": "Councillor casework"}))
    return folder


@dataclass(frozen=True)
class Operation:
    name: str
    prepare: Callable[[Lane], Path | None]  # before the runs: a snapshot to restore, or None
    command: Callable[[Lane, int], list[str]]


def _import_command(lane: Lane, n: int) -> list[str]:
    return ["import", "referral", str(_referral(lane, n)), "--user", CRM]


def _decide_command(lane: Lane, n: int) -> list[str]:
    return ["appeals", "decide", APPEALED, "--outcome", "confirmed",
            "--reason", "The restrictions are proportionate to the behaviour.",
            "--customer-reason", "You have telephoned every day, so the restrictions stay.",
            "--passphrase-file", str(lane.folder / "passphrase"), "--user", DIRECTOR]


def _letter_command(lane: Lane, n: int) -> list[str]:
    out = lane.folder / "letters" / f"out{n}"
    lane.outs.append(out)
    return ["letters", "export", "--case", APPEALED, "--kind", "appeal_outcome", "--out",
            str(out), "--passphrase-file", str(lane.folder / "passphrase"), "--user", DIRECTOR]


def _pristine(lane: Lane) -> Path:
    snapshot = lane.folder / "pristine.sqlite3"
    _snapshot(lane.db, snapshot)
    return snapshot


def _decided(lane: Lane) -> Path:
    done = lane.run(*_decide_command(lane, 0))
    assert done.returncode == 0, done.stderr
    snapshot = lane.folder / "decided.sqlite3"
    _snapshot(lane.db, snapshot)
    return snapshot


OPERATIONS = {
    "import": Operation("import referral", lambda lane: None, _import_command),
    "decision": Operation("appeals decide", _pristine, _decide_command),
    "letter": Operation("letters export", _decided, _letter_command),
}


def _integrity(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        said = connection.execute("PRAGMA integrity_check").fetchall()
    connection.close()
    assert said == [("ok",)], said


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _next_start_leaves_nothing(lane: Lane, what: str) -> None:
    """The next start's clean-up (the code every writing command and the app run first),
    then: the audit trail holds, every document is its hash, nothing is in the store that no
    record points to, and every letter file written is in the register."""
    database = open_database(str(lane.db))
    try:
        leftovers.sweep()
        assert audit.verify().ok, f"{what}: {audit.verify().broken}"
        report = documents.verify_store(users.resolve_actor(CRM))
        assert report.ok, (f"{what}: missing {report.missing} changed {report.changed} "
                           f"orphans {report.orphans} partial {report.partial}")
        registered = {str(row.sha256) for row in Letter.select(Letter.sha256)}
        for out in lane.outs:
            for path in out.glob("*") if out.is_dir() else []:
                assert path.suffix == ".pdf", f"{what}: {path.name} left in {out}"
                assert _sha256(path) in registered, f"{what}: {path.name} is in no register"
        runs = evidence_store().root / leftovers.RUNS
        assert not runs.is_dir() or not list(runs.iterdir()), f"{what}: a run's lock left"
    finally:
        database.close()
        database_proxy.initialize(None)


class Started:
    """The program started with `args`: as `crm-tui` itself (exec), or as a fork of this
    process running the same entry point (`crm_tui.cli.main`) with the modules already
    loaded, so that a kill lands in the program's work rather than in Python's start-up (the
    suite's short run; `make test-crash` execs)."""

    def __init__(self, args: list[str], env: dict[str, str], *, fork: bool) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.pid = 0
        if not fork:
            self.process = subprocess.Popen([CRM_TUI, *args], env=env,
                                            stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL)
            return
        self.pid = os.fork()
        if self.pid == 0:  # the child: the program, then out without the parent's clean-up
            code = 1
            try:
                os.environ.clear()
                os.environ.update(env)
                quiet = os.open(os.devnull, os.O_WRONLY)
                os.dup2(quiet, 1)
                os.dup2(quiet, 2)
                from crm_tui.cli import main

                main.main(args=args, prog_name="crm-tui", standalone_mode=True)
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            finally:
                os._exit(code)

    def finished_within(self, seconds: float) -> bool:
        """Whether it ended by itself within `seconds` (else it is still running)."""
        if self.process is not None:
            try:
                self.process.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                return False
            return True
        end = time.monotonic() + seconds
        while True:
            if os.waitpid(self.pid, os.WNOHANG)[0]:
                return True
            if time.monotonic() >= end:
                return False
            time.sleep(0.002)

    def kill(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)


def _warm() -> None:
    """Load what the program loads, before forking it (the fork's start costs nothing)."""
    import crm_tui.cli
    import crm_tui.services.intake.referral_import
    import crm_tui.services.letters.printing
    import crm_tui.services.letters.signing_keys
    import crm_tui.services.reviews.appeals  # noqa: F401


def kill_runs(demo_db: Path, folder: Path, operation: str, kills: int, seed: int, *,
              fork: bool = False) -> Lane:
    """Run the operation `kills` times, each killed after a random delay up to how long one
    run takes (a few run to the end), checking after each; then the real program's checks."""
    settings.configure(Config())
    op = OPERATIONS[operation]
    work = lane(demo_db, folder)
    snapshot = op.prepare(work)
    if fork:
        _warm()
    rng = random.Random(seed)
    started = time.monotonic()
    timed = Started([*op.command(work, 0), "--db", str(work.db)], work.env, fork=fork)
    assert timed.finished_within(120)
    # How long a whole run takes: the first (which makes the font cache, say) and then the
    # runs that ended before their kill, so that the kills spread over the whole of a run.
    took = [time.monotonic() - started]
    for n in range(1, kills + 1):
        if snapshot is not None:
            _restore(snapshot, work.db)
            work.outs.clear()
        whole = sorted(took)[len(took) // 2]
        begun = time.monotonic()
        run = Started([*op.command(work, n), "--db", str(work.db)], work.env, fork=fork)
        delay = rng.uniform(0, whole * 1.05)
        if run.finished_within(delay):
            work.finished += 1
            took = [*took[-4:], time.monotonic() - begun]
        else:
            run.kill()
            work.killed += 1
        what = f"{op.name}, run {n} (seed {seed}), killed after {delay:.2f} s"
        _integrity(work.db)
        _next_start_leaves_nothing(work, what)
    _real_checks(work, op)
    return work


def _real_checks(work: Lane, op: Operation) -> None:
    """The real program's checks on what the last run left, after a real next start."""
    started = work.run("expire", "--user", CRM)  # a writing command: the next start
    assert started.returncode == 0, started.stderr
    for check in (["audit", "verify"], ["evidence", "verify", "--user", CRM]):
        done = work.run(*check)
        assert done.returncode == 0, f"{op.name}: {' '.join(check)}: {done.stdout}{done.stderr}"
    for out in work.outs:
        for path in sorted(out.glob("*.pdf")) if out.is_dir() else []:
            done = work.run("letters", "verify", str(path))
            assert done.returncode == 0, f"{op.name}: letters verify {path.name}: {done.stdout}"


def in_a_child_killed(db_path: Path, work: Callable[[], object]) -> int:
    """Run `work` in a forked copy of this process, on a connection of its own to `db_path`
    (`work` has it killed part-way); the child's exit status. This process's connection is
    closed across the fork and opened again after it."""
    database_proxy.obj.close()
    pid = os.fork()
    if pid == 0:
        try:
            open_database(db_path)
            work()
        finally:
            os._exit(1)  # not killed: the test fails on the status
    status = os.waitpid(pid, 0)[1]
    open_database(db_path)
    return status
