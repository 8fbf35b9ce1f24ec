"""Putting a checked backup in place (restore.py): the evidence store, then the letters
folder, then the database, each by a rename, with what was there kept beside under
`NAME.before-restore-STAMP`. A journal beside the database, written (and synced) before the
first rename and removed after the last, lets a restore cut short — killed, the power gone —
be settled by the next start or the next restore: the database's rename is the point of no
return. Before it, everything goes back as it was; after it, the restore stands. So the
database, the evidence and the letters in use always come from the same side."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crm_tui.files import fsync_folder
from crm_tui.private_files import file_mode, write_private_bytes
from crm_tui.services.retention.problems import BackupProblem


class JournalProblem(BackupProblem):
    """A restore journal that cannot be read: it is left, and said, never guessed at."""


def journal_path(database: Path) -> Path:
    return database.with_name(f".{database.name}.restore-journal")


def kept_name(target: Path, stamp: str) -> Path:
    return target.with_name(f"{target.name}.before-restore-{stamp}")


@dataclass(frozen=True)
class _Move:
    target: Path
    staged: Path
    kept: Path | None  # None: there was nothing at target


def _move(source: Path, target: Path) -> None:
    """One step of the swap (a rename made durable); one place, so that a test can cut the
    swap short at any step."""
    source.rename(target)
    fsync_folder(target.parent)


def _link(source: Path, target: Path) -> None:
    os.link(source, target)
    fsync_folder(target.parent)


def _inode(path: Path) -> list[int]:
    found = path.stat()
    return [found.st_dev, found.st_ino]


def put_in_place(staged_database: Path, database: Path, folders: list[tuple[Path, Path]],
                 stamp: str) -> list[Path]:
    """Swap each (staged, target) folder, then the database; returns what was kept aside."""
    moves = [_Move(target, staged, kept_name(target, stamp) if target.exists() else None)
             for staged, target in folders]
    database_kept = kept_name(database, stamp) if database.exists() else None
    journal = {"database": str(database), "pid": os.getpid(), "staged": str(staged_database),
               "inode": _inode(staged_database),
               "database_kept": str(database_kept) if database_kept else None,
               "folders": [{"target": str(m.target), "staged": str(m.staged),
                            "kept": str(m.kept) if m.kept else None} for m in moves]}
    write_private_bytes(journal_path(database), json.dumps(journal).encode())
    fsync_folder(database.parent)
    try:
        for move in moves:
            if move.kept is not None:
                _move(move.target, move.kept)
            _move(move.staged, move.target)
        for side in (Path(f"{database}-wal"), Path(f"{database}-shm"),
                     Path(f"{database}-journal")):
            side.unlink(missing_ok=True)  # never applied to the file put in its place
        if database_kept is not None:
            _link(database, database_kept)
        staged_database.chmod(file_mode())
        with staged_database.open("rb+") as written:  # the checks opened it since it was copied
            os.fsync(written.fileno())
        _move(staged_database, database)  # the point of no return
    except BaseException:
        settle(database)  # not replaced: everything goes back as it was
        raise
    settle(database)
    return [m.kept for m in moves if m.kept is not None] + \
        ([database_kept] if database_kept is not None else [])


def _read(path: Path) -> dict[str, Any]:
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
        return {"database": Path(journal["database"]), "pid": int(journal["pid"]),
                "staged": Path(journal["staged"]),
                "inode": [int(n) for n in journal["inode"]],
                "database_kept": Path(journal["database_kept"])
                if journal["database_kept"] else None,
                "folders": [_Move(Path(f["target"]), Path(f["staged"]),
                                  Path(f["kept"]) if f["kept"] else None)
                            for f in journal["folders"]]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise JournalProblem(f"{path}: the journal of a restore cut short cannot be read "
                             f"({exc}); compare the database, evidence and letters folders "
                             "with their .before-restore-* copies by hand, then remove it"
                             ) from None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # there, and another user's
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def settle(database: Path) -> str | None:
    """Finish or undo a restore of `database` that was cut short (its journal is there):
    finished if the database was already replaced, else undone, each folder back as it was.
    Returns what was done, in words (None: no restore was cut short)."""
    path = journal_path(database)
    if not path.exists():
        return None
    journal = _read(path)
    database = journal["database"]
    if journal["pid"] != os.getpid() and _alive(journal["pid"]):
        raise JournalProblem(f"a restore into {database} is under way (process "
                             f"{journal['pid']}): try again once it has finished")
    done = database.exists() and _inode(database) == journal["inode"]
    if not done:
        for move in reversed(journal["folders"]):
            new_in_place = not move.staged.exists() and move.target.exists()
            if move.kept is None:
                if new_in_place:
                    _remove(move.target)
            elif move.kept.exists():
                if new_in_place:
                    _remove(move.target)
                _move(move.kept, move.target)
            _remove(move.staged)
        kept = journal["database_kept"]
        if kept is not None and kept.exists() and database.exists() \
                and kept.samefile(database):
            kept.unlink()
        journal["staged"].unlink(missing_ok=True)
    path.unlink()
    fsync_folder(database.parent)
    if done:
        return (f"A restore into {database} cut short after the database was replaced was "
                "finished: the database, evidence and letters are the backup's.")
    return (f"A restore into {database} cut short before the database was replaced was "
            "undone: the database, evidence and letters are as they were before it.")
