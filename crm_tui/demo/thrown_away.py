"""What `crm-tui demo --fresh` throws away with the demo database: its cases and the letters
signed in it (the letters folder beside it), and the files it wrote into the app's own folders
(evidence bundles, print packs, copies of letters and documents), read from its audit trail
(issue 15 AX4: the build removed the demo's letters but left its bundles and print packs, of
cases that no longer existed). Only what the demo's own audit trail names, directly in the
app's own folders, is removed; a print pack only while it is the one the demo made (by its
hash)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from crm_tui.config import Config
from crm_tui.db.peek import is_server
from crm_tui.domain.counting import counted
from crm_tui.services.core.erasure import EXPORTS, LETTERS


@dataclass(frozen=True)
class DemoHolds:
    cases: int | None = None  # None: not read (encrypted, damaged, or on a server)
    letters: int | None = None
    files: list[Path] = field(default_factory=list)  # its exports still there

    def said(self) -> str:
        """'19 cases, 16 letters signed in it and 2 files made from it (evidence bundles,
        print packs or copies)', in words for the question before it goes."""
        parts = ["its cases" if self.cases is None else counted(self.cases, "case"),
                 "the letters signed in it" if self.letters is None
                 else f"{counted(self.letters, 'letter')} signed in it"]
        if self.files:
            parts.append(f"{counted(len(self.files), 'file')} made from it (evidence bundles, "
                         "print packs or copies)")
        return ", ".join(parts[:-1]) + " and " + parts[-1]


def _read(path: Path) -> tuple[int, int, list[tuple[str, str]]]:
    uri = f"{path.absolute().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        cases = db.execute("SELECT count(*) FROM \"case\"").fetchone()[0]
        letters = db.execute("SELECT count(*) FROM letter").fetchone()[0]
        marks = ",".join("?" for _ in EXPORTS)
        rows = db.execute(f"SELECT action, payload FROM audit_entry WHERE action IN ({marks})",
                          [*EXPORTS]).fetchall()
    return int(cases), int(letters), [(str(a), str(p or "")) for a, p in rows]


def _own(path: Path, folders: list[Path]) -> bool:
    with contextlib.suppress(OSError):
        return any(path.parent.resolve() == f.resolve() for f in folders)
    return False


def demo_holds(path: Path | str, config: Config | None = None) -> DemoHolds:
    """What the demo at `path` holds that --fresh throws away (what cannot be read, unsaid):
    its exports only where `config` writes evidence bundles and print packs."""
    config = config or Config()
    folders = [config.exports_path(), config.print_path()]
    if is_server(path) or not Path(path).is_file():
        return DemoHolds()
    try:
        cases, letters, rows = _read(Path(path))
    except sqlite3.Error:
        return DemoHolds()
    files: dict[Path, None] = {}
    for action, payload in rows:
        try:
            facts = json.loads(payload) if payload else {}
        except ValueError:
            continue
        if not isinstance(facts, dict) or action in LETTERS:
            continue  # a letter in the demo's letters folder goes with the folder
        where = Path(str(facts.get("path") or ""))
        if not where.is_absolute() or not where.is_file() or where.is_symlink() \
                or not _own(where, folders):
            continue
        digest = facts.get("sha256")
        if digest and hashlib.sha256(where.read_bytes()).hexdigest() != digest:
            continue  # made again since, by whatever database: not the demo's any more
        files[where] = None
    return DemoHolds(cases, letters, list(files))


def remove_files(holds: DemoHolds) -> int:
    """Remove the demo's exports still there; how many went."""
    gone = 0
    for path in holds.files:
        with contextlib.suppress(OSError):
            path.unlink()
            gone += 1
    return gone
