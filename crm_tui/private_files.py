"""Files the app writes hold personal data or secrets: each is readable by its owner only —
or, where the configuration names a team group (`team_group`), by that group as well, so that
a team shares one database file, each person under their own account. Never by everyone.
Each file appears whole or not at all."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

_group: int | None = None  # the team's group id, when the database is shared


def share_with_group(gid: int | None) -> None:
    """From now on, what the app writes is the team group's too (None: the owner's alone)."""
    global _group
    _group = gid


def file_mode(read_only: bool = False, *, personal: bool = False) -> int:
    own = 0o400 if read_only else 0o600
    return own | (own >> 3) if _group is not None and not personal else own


def folder_mode(*, personal: bool = False) -> int:
    if personal:
        # A shared folder of personal files (signing keys): each person adds their own, and
        # the sticky bit stops anyone removing or replacing another's.
        return 0o3770 if _group is not None else 0o700
    # setgid on a shared folder: files SQLite makes there (-wal, -shm) take the team's group.
    return 0o2770 if _group is not None else 0o700


def _mine(path: Path) -> bool:
    # Only the owner may change a file's mode or group: another member of the team opening
    # the shared database finds it as its owner left it.
    return path.stat().st_uid == os.geteuid()


def secure_folder(folder: Path, *, personal: bool = False) -> None:
    """Make the folder if it is not there, private (or the team's). A folder that was there
    already keeps the mode its owner gave it: the app does not lock others out of, say, the
    folder a database was put in."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not _mine(folder):
        return
    if _group is not None:
        os.chown(folder, -1, _group)
    folder.chmod(folder_mode(personal=personal))


def secure_file(path: Path, *, read_only: bool = False, personal: bool = False) -> None:
    if not _mine(path):
        return
    if _group is not None and not personal:
        os.chown(path, -1, _group)
    path.chmod(file_mode(read_only, personal=personal))


def write_private(target: Path, produce: Callable[[Path], object], *,
                  personal: bool = False) -> Path:
    """`produce` writes to a private name beside `target`, which then replaces it. A
    `personal` file (a signing key) is its owner's alone even in a team's folder."""
    partial, handle = _partial(target, personal=personal)
    try:
        produce(partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
        os.close(handle)
    secure_file(target, personal=personal)
    return target


def write_private_together(files: Sequence[tuple[Path, Callable[[Path], object]]]) -> None:
    """Files that go together (a letter's text and HTML copies): each `produce(partial)` is
    written under its own partial name first, then all are named. A failure while any is
    written leaves none of them changed, and no partial file."""
    made: list[tuple[Path, Path, int]] = []
    try:
        for target, produce in files:
            partial, handle = _partial(target, personal=False)
            made.append((target, partial, handle))
            produce(partial)
        for target, partial, _ in made:
            partial.replace(target)
            secure_file(target)
    finally:
        for _, partial, handle in made:
            partial.unlink(missing_ok=True)
            os.close(handle)


def _partial(target: Path, *, personal: bool) -> tuple[Path, int]:
    """A private file of this writer's own beside `target` (two writers of one name never
    share it), made exclusively, private before a byte is written; with its open handle,
    which holds a lock on it until the writer closes it (or dies): a file so named whose
    lock is free was left by a writer killed half-way (`abandoned_partials`)."""
    secure_folder(target.parent, personal=personal)
    handle, name = tempfile.mkstemp(prefix=f"{target.stem}.", suffix=PARTIAL,
                                    dir=target.parent)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        partial = Path(name)
        secure_file(partial, personal=personal)
    except BaseException:
        os.close(handle)
        Path(name).unlink(missing_ok=True)
        raise
    return partial, handle


PARTIAL = ".partial"
# The names `_partial` gives (tempfile's eight random letters between the target's stem and
# the suffix): nothing else the app or a person puts in a folder is taken for one.
_PARTIAL_NAME = re.compile(r".+\.[a-z0-9_]{8}\.partial")
# A file is locked a moment after it is made: one this young is left alone, locked or not.
ABANDONED_AFTER_SECONDS = 60.0


def abandoned_partials(folder: Path, *, depth: int = 0) -> list[Path]:
    """The partial files `write_private` made in `folder` (and its subfolders, `depth` levels
    down) whose writer is gone: no process holds the lock on it, and it is older than a
    minute. Never a file another running process is still writing, nor one not named as
    this module names them."""
    found: list[Path] = []
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return found
    cutoff = time.time() - ABANDONED_AFTER_SECONDS
    for entry in entries:
        if entry.is_symlink():
            continue
        if entry.is_dir():
            if depth > 0:
                found += abandoned_partials(entry, depth=depth - 1)
        elif _PARTIAL_NAME.fullmatch(entry.name) and _abandoned(entry, cutoff):
            found.append(entry)
    return found


def partials_of(target: Path) -> list[Path]:
    """The partial files `write_private` made beside `target` (`STEM.xxxxxxxx.partial`) that
    no process holds the lock on, whatever their age: for a writer known to be dead (an export
    announced under `target` whose run is gone), where the minute's wait of
    `abandoned_partials` is not needed. Never `STEM-2`'s (another export's name)."""
    name = re.compile(re.escape(target.stem) + r"\.[a-z0-9_]{8}\.partial")
    try:
        entries = sorted(target.parent.iterdir())
    except OSError:
        return []
    return [entry for entry in entries if name.fullmatch(entry.name)
            and not entry.is_symlink() and _abandoned(entry, float("inf"))]


def _abandoned(path: Path, cutoff: float) -> bool:
    try:
        if path.lstat().st_mtime >= cutoff:
            return False
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # its writer still holds it
    finally:
        os.close(handle)
    return True


def write_private_bytes(target: Path, data: bytes, *, personal: bool = False) -> Path:
    return write_private(target, lambda path: path.write_bytes(data), personal=personal)


def _claim(partial: Path, chosen: Path, data: bytes) -> None:
    """Give the written file the name `chosen`, only if no file has it (FileExistsError)."""
    try:
        os.link(partial, chosen)  # whole, and only if the name is free
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        # A file system without hard links: the name is still taken exclusively.
        handle = os.open(chosen, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(data)


def write_new_private_bytes(target: Path, data: bytes) -> Path:
    """Write a new file under `target`'s name, or, if a file of that name is there already
    (another person's letter written in the same second), under the first free name of
    `name-2.pdf`, `name-3.pdf`…; returns the path written. The file appears whole and is
    never another's: it is linked to its name only if the name is free (exclusively)."""
    partial, handle = _partial(target, personal=False)
    try:
        with os.fdopen(os.dup(handle), "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())  # whole on the disk before it takes a name
        for chosen in _names(target):
            try:
                _claim(partial, chosen, data)
            except FileExistsError:
                continue
            secure_file(chosen)
            return chosen
        raise FileExistsError(f"no free name for {target.name} in {target.parent}")
    finally:
        partial.unlink(missing_ok=True)
        os.close(handle)


def _names(target: Path, *, folder: bool = False) -> Iterator[Path]:
    """`target`, then `name-2.pdf`, `name-3.pdf`… (a folder: `name-2`…)."""
    yield target
    for n in range(2, 10_000):
        yield target.with_name(f"{target.name}-{n}" if folder
                               else f"{target.stem}-{n}{target.suffix}")


def claim_new(target: Path, *, folder: bool = False) -> Path:
    """Take the first free name of `target`, `name-2.pdf`, `name-3.pdf`… at once and
    exclusively (an empty private file, or with `folder` an empty private folder), for an
    export to be written into: two exports made in the same second never share a name, and
    one never replaces another's. Returns the name taken."""
    secure_folder(target.parent)
    for chosen in _names(target, folder=folder):
        try:
            if folder:
                chosen.mkdir(mode=0o700)
            else:
                os.close(os.open(chosen, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            continue
        if folder:
            if _mine(chosen):
                chosen.chmod(folder_mode())
        else:
            secure_file(chosen)
        return chosen
    raise FileExistsError(f"no free name for {target.name} in {target.parent}")
