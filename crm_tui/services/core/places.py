"""Where a command may write what it is given a path for (`--out`, `--to`, `--ics`, a
backup's DEST): never inside the app's own folders (the evidence store, the letters folder,
the signing keys), never the database or a file beside it, and never over a file it did not
make. One rule (crm_tui.files.place_problem) for every command and screen that writes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from crm_tui.db.connection import is_sqlite
from crm_tui.db.models import database_proxy
from crm_tui.domain.errors import ValidationError
from crm_tui.files import place_problem
from crm_tui.services.core import settings
from crm_tui.services.core.leftovers import BACKUP_MARKER
from crm_tui.services.core.personal_keys import key_folder


def _own(*, letters: bool) -> list[tuple[str, Path]]:
    from crm_tui.services.core.evidence_store import evidence_store

    config = settings.current()
    own = [("the evidence store", evidence_store().root),
           ("the evidence store", config.evidence_path()),
           ("the signing keys' folder", key_folder())]
    if letters:
        own.append(("the letters folder", config.letters_path()))
    return own


def _files() -> list[tuple[str, Path]]:
    database = database_proxy.obj
    if database is None or not is_sqlite(database) or not database.database:
        return []
    return [("the database", Path(str(database.database)))]


def backup_holding(path: Path) -> Path | None:
    """The crm-tui backup (a folder with its manifest, or one being taken) `path` is, or is
    in, if any."""
    try:
        place = path.expanduser().resolve()
    except OSError:
        return None
    for folder in [place, *place.parents]:
        if (folder / BACKUP_MARKER).exists():
            return folder  # a backup being taken
        manifest = folder / "manifest.json"
        try:
            with manifest.open("rb") as reader:
                if b'"crm-tui backup' in reader.read(4096):
                    return folder
        except OSError:
            continue
    return None


def _problem(path: Path, *, letters: bool) -> str | None:
    problem = place_problem(path, _own(letters=letters), files=_files())
    backup = backup_holding(path)
    if problem is None and backup is not None:
        problem = (f"{path} is inside a backup ({backup}), which only `crm-tui backup` "
                   "writes: give a place outside it")
    return problem


def check_folder(folder: Path, *, letters: bool = True, field: str = "out") -> None:
    """Refuse a folder to write into that is (or is inside) one of the app's own folders.
    `letters` False: the letters folder is the command's own place (a letter re-sent)."""
    problem = _problem(folder, letters=letters)
    if problem:
        raise ValidationError(field, problem)


def check_file(path: Path, what: str, ours: Callable[[Path], bool], field: str) -> bool:
    """Refuse a file to write that is in the app's own folders, is the database or beside
    it, or already exists and is not `what` (`ours(path)` says whether it is: then it is
    replaced, or added to, as the README says). True: it exists and is the command's own."""
    problem = _problem(path, letters=True)
    if problem:
        raise ValidationError(field, problem)
    if not path.expanduser().exists():
        return False
    if not path.expanduser().is_file() or not ours(path.expanduser()):
        raise ValidationError(field, f"{path} already exists and is not {what}: nothing was "
                                      "written over it (give a new file, or one this command "
                                      "wrote)")
    return True
