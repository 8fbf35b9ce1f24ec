"""The print pack as a file: the signed letters' pages in one PDF for the print room, each
letter on sheets of its own; named by date and sequence; readable by the print group and
never by everyone; never overwriting a pack already there.

A pack is first written under a hidden partial name (`.print-pack-….pdf.partial`), then
linked to its real name only after the register has committed. A crash before the commit
leaves only a partial file, which the next run deletes; a crash between the commit and the
link leaves a partial file the register knows, which the next run puts in place. So no
half-written pack ever bears a real name, and no pack lies in the folder that the register
does not know."""

from __future__ import annotations

import grp
import os
import re
from collections.abc import Callable
from datetime import date
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from crm_tui import clock
from crm_tui.domain.errors import DomainError

PREFIX = "print-pack-"
_NAME = re.compile(r"print-pack-([0-9]{4}-[0-9]{2}-[0-9]{2})-([0-9]{2,})\.pdf")
_PARTIAL = re.compile(r"\.(print-pack-\d{4}-\d{2}-\d{2}-\d{2,}\.pdf)\.partial")


class PrintPackProblem(DomainError):
    """The print folder cannot take the pack (missing rights, a full disk)."""


def pack_name(day: date, sequence: int) -> str:
    return f"{PREFIX}{day:%Y-%m-%d}-{sequence:02d}.pdf"


def partial_path(folder: Path, name: str) -> Path:
    return folder / f".{name}.partial"


def next_name(folder: Path, day: date, registered: set[str]) -> str:
    """The day's next pack name, after every pack of that day in the folder (whole or
    partial) and in the register."""
    names = set(registered)
    if folder.is_dir():
        for entry in folder.iterdir():
            partial = _PARTIAL.fullmatch(entry.name)
            names.add(partial.group(1) if partial else entry.name)
    taken = [int(m.group(2)) for m in map(_NAME.fullmatch, names)
             if m is not None and m.group(1) == f"{day:%Y-%m-%d}"]
    return pack_name(day, max(taken, default=0) + 1)


def assemble(letters: list[bytes], *, duplex: bool, title: str) -> tuple[bytes, int]:
    """One PDF of the letters' pages in order; with `duplex`, a blank page after a letter
    with an odd number of pages, so that the next starts on a new sheet. Returns the bytes
    and the number of pages."""
    writer = PdfWriter()
    for data in letters:
        pages = PdfReader(BytesIO(data)).pages
        for page in pages:
            writer.add_page(page)
        if duplex and len(pages) % 2:
            last = pages[-1].mediabox
            writer.add_blank_page(float(last.width), float(last.height))
    for page in writer.pages:
        # The visible signature stamp prints from its appearance; the signature value is left
        # out, since it covers the letter's own bytes and the pack is a copy for printing.
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            if widget.get("/FT") == "/Sig":
                widget.pop(NameObject("/V"), None)
    # Dated by the app's clock, like the letters inside it, and in the letters' language for
    # a screen reader in the print room.
    stamp = f"D:{clock.now():%Y%m%d%H%M%S}"
    writer.add_metadata({"/Title": title, "/Producer": "crm-tui", "/CreationDate": stamp,
                         "/ModDate": stamp})
    writer._root_object[NameObject("/Lang")] = TextStringObject("en-GB")
    out = BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def _gid(group: str) -> int | None:
    return grp.getgrnam(group).gr_gid if group else None


def prepare_folder(folder: Path, group: str) -> None:
    """Make the print folder if it is not there: the print group may list and read it
    (setgid, so that what is put there stays the group's), nobody else. A folder that was
    there already keeps the mode its owner gave it."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, mode=0o700)
    gid = _gid(group)
    if gid is not None:
        os.chown(folder, -1, gid)
        folder.chmod(0o2750)


def write_partial(folder: Path, name: str, data: bytes, group: str) -> Path:
    """Write the pack under its partial name, its mode and group set before a byte is
    written: 0640 and the print group's, or 0600 without one."""
    gid = _gid(group)
    path = partial_path(folder, name)
    try:
        prepare_folder(folder, group)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            if gid is not None:
                os.fchown(fd, -1, gid)
            os.fchmod(fd, 0o640 if gid is not None else 0o600)
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise PrintPackProblem(f"the print pack could not be written to {folder}: "
                             f"{exc.strerror or exc}") from None
    return path


def publish(folder: Path, name: str) -> Path:
    """Give the partial pack its real name. A hard link, not a rename: it fails rather than
    replace a file of that name."""
    target = folder / name
    partial = partial_path(folder, name)
    try:
        os.link(partial, target)
    except FileNotFoundError:
        if target.exists():  # someone else's recovery put it in place first
            return target
        raise
    except FileExistsError:
        # Someone else's recovery linked it a moment ago and has not yet removed the partial.
        if not partial.samefile(target):
            raise
    partial.unlink(missing_ok=True)
    return target


def recover(folder: Path, registered: Callable[[str], bool]) -> list[str]:
    """Finish what a crash interrupted: a partial pack the register knows is put in place;
    one it does not know (the transaction never committed) is deleted. Call it holding the
    database's write lock, which every pack being made holds while its partial file is
    there. Returns the names put in place."""
    done: list[str] = []
    if not folder.is_dir():
        return done
    for entry in sorted(folder.iterdir()):
        match = _PARTIAL.fullmatch(entry.name)
        if match is None:
            continue
        name = match.group(1)
        if registered(name) and not (folder / name).exists():
            publish(folder, name)
            done.append(name)
        else:
            entry.unlink(missing_ok=True)
    return done
