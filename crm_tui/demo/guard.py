"""What the demo commands may write over. `crm-tui demo` replaces only a demo database, and
the folders beside it only when they are that demo's; `crm-tui seed` writes only into a demo
database or one made for benchmarks, or makes a new one. Each looks at the file, without
changing a byte of it, before anything is written."""

from __future__ import annotations

from pathlib import Path

from crm_tui.db.peek import NotCrmDatabase, file_settings
from crm_tui.services.core.database_facts import BENCHMARK_KEY, DEMO_KEY


class Refused(Exception):
    """The file, or a folder beside it, holds something the command must not touch; nothing
    was changed."""


def _marks(path: Path, command: str) -> dict[str, str] | None:
    try:
        return file_settings(path)
    except NotCrmDatabase as exc:
        raise Refused(f"{exc}; crm-tui {command} leaves it alone. Choose another --db.") \
            from exc


def _holds_anything(folder: Path) -> bool:
    try:
        return folder.exists() and not (folder.is_dir() and not any(folder.iterdir()))
    except OSError:
        return True


def check_demo_may_replace(path: Path, folders: tuple[Path, ...]) -> None:
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
        raise Refused(f"{path} is a crm-tui database that is not a demo; crm-tui demo does "
                      "not replace it. Choose another --db.")


def check_seed_may_write(path: Path) -> bool:
    """Whether `path` is new (nothing there yet) rather than a demo or benchmark database;
    Refused if it is neither."""
    marks = _marks(path, "seed")
    if marks is None:
        return True
    if DEMO_KEY not in marks and BENCHMARK_KEY not in marks:
        raise Refused(f"{path} is a crm-tui database that is neither a demo nor made for "
                      "benchmarks; crm-tui seed writes only into those, or into a new file. "
                      "Choose another --db.")
    return False
