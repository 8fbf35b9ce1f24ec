"""What the demo commands may write over. `crm-tui demo` replaces only a demo database, and
the folders beside it only when they are that demo's; `crm-tui seed` writes only into a demo
database or one made for benchmarks, or makes a new one. Each looks at the file, without
changing a byte of it, before anything is written."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from crm_tui.config import server_folder
from crm_tui.db.connection import shown
from crm_tui.db.errors import DatabaseError
from crm_tui.db.peek import (
    DamagedDatabase,
    NotCrmDatabase,
    UnopenedDatabase,
    database_settings,
    is_server,
)
from crm_tui.services.core.database_facts import BENCHMARK_KEY, DEMO_KEY


class Refused(Exception):
    """The file, or a folder beside it, holds something the command must not touch; nothing
    was changed."""


class Unreadable(Refused):
    """The file cannot be read at all: it is damaged (or no database), or encrypted without
    its key here. Nobody can lose what is in it, so `crm-tui demo --fresh` sets it aside
    (`set_aside`) rather than being stuck; nothing was changed yet."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def demo_folders(path: Path | str) -> tuple[Path, ...]:
    """The folders a demo database at `path` owns: its evidence, signing keys and letters;
    beside a file, or for a PostgreSQL database in the user data folder (config.server_folder).
    """
    names = ("evidence", "signing", "letters")
    if is_server(path):
        return tuple(server_folder(str(path), "demo", name) for name in names)
    file = Path(path)
    return tuple(file.with_name(f"{file.stem}-{name}") for name in names)


def _marks(path: Path | str, command: str) -> dict[str, str] | None:
    """The marks of the database at `path` (a file, or a PostgreSQL database's URL)."""
    try:
        return database_settings(path)
    except (DamagedDatabase, UnopenedDatabase) as exc:
        if command != "demo":
            raise Refused(f"{exc}; crm-tui {command} leaves it alone. Choose another --db.") \
                from exc
        kind = "damaged" if isinstance(exc, DamagedDatabase) else "encrypted"
        # A real database whose key is not here is fine where its key is: only the demo at
        # its usual place is set aside for that (cli.demo).
        whose = ("If it is the demo" if kind == "damaged"
                 else "If it is the demo in your user data folder and its key is lost")
        raise Unreadable(f"{exc}. {whose}, crm-tui demo --fresh sets it aside (as "
                         f"{Path(path).name}.{kind}-<date and time>, beside it, with its "
                         "folders) and builds the demo again; otherwise choose another --db",
                         kind) from exc
    except NotCrmDatabase as exc:
        raise Refused(f"{exc}; crm-tui {command} leaves it alone. Choose another --db.") \
            from exc
    except DatabaseError as exc:  # a server that could not be reached or read
        if not is_server(path):
            raise
        raise Refused(str(exc)) from exc


def demo_marks(path: Path | str) -> dict[str, str] | None:
    """The marks of the database at `path` (None: nothing there to lose); Refused, or
    Unreadable, as `crm-tui demo` would be."""
    return _marks(path, "demo")


def set_aside(path: Path, kind: str, when: datetime) -> list[Path]:
    """Move the unreadable file at `path`, its -wal and -shm and the folders a demo there
    owns, to private names beside it ending `.<kind>-<date and time>`; the new names."""
    stamp = f"{kind}-{when:%Y%m%d-%H%M%S}"
    moved: list[Path] = []
    for source in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), *demo_folders(path)):
        if not source.exists():
            continue
        target = source.with_name(f"{source.name}.{stamp}")
        number = 1
        while target.exists():
            number += 1
            target = source.with_name(f"{source.name}.{stamp}-{number}")
        source.rename(target)
        target.chmod(0o700 if target.is_dir() else 0o600)
        moved.append(target)
    return moved


def _holds_anything(folder: Path) -> bool:
    try:
        return folder.exists() and not (folder.is_dir() and not any(folder.iterdir()))
    except OSError:
        return True


def check_demo_may_replace(path: Path | str, folders: tuple[Path, ...]) -> None:
    """Refused unless `path` holds a demo database, or nothing; where it holds nothing, no demo
    owns the folders beside it, so they must be missing or empty too."""
    marks = _marks(path, "demo")
    if marks is None:
        for folder in folders:
            if _holds_anything(folder):
                raise Refused(f"{folder} is there and not empty, and no demo database beside "
                              "it owns it; crm-tui demo does not remove it. Move it away or "
                              "choose another --db.")
    elif DEMO_KEY not in marks:
        raise Refused(f"{shown(path)} is a crm-tui database that is not a demo; crm-tui demo "
                      "does not replace it. Choose another --db.")


def check_seed_may_write(path: Path | str) -> bool:
    """Whether `path` (a file, or a PostgreSQL database's URL) is new (nothing there yet)
    rather than a demo or benchmark database; Refused if it is neither."""
    marks = _marks(path, "seed")
    if marks is None:
        return True
    if DEMO_KEY not in marks and BENCHMARK_KEY not in marks:
        new = "a new database" if is_server(path) else "a new file"
        raise Refused(f"{shown(path)} is a crm-tui database that is neither a demo nor made "
                      f"for benchmarks; crm-tui seed writes only into those, or into {new}. "
                      "Choose another --db.")
    return False
