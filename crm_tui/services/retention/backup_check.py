"""What a backup copied that its own database says is not whole: a document it records that
the copied store lacks, or whose content is not the SHA-256 it is stored under; a registered
letter whose file is missing or is not the file the register holds. Found when tried: a
nightly backup of a damaged store "succeeded" every night, and its restore was then refused
with "the manifest was edited" (issue 16).

SQLite only (it reads the copied file): reached from backup and restore alone, which refuse a
PostgreSQL database before anything is copied (cli_privacy.ON_SERVER: its backups are the
server's)."""

from __future__ import annotations

import hashlib
from contextlib import closing
from pathlib import Path
from typing import Any

from crm_tui.db import cipher
from crm_tui.db.models import EvidenceItem, LetterFile
from crm_tui.db.models import Letter as LetterRow
from crm_tui.domain.typed_dates import quoted
from crm_tui.services.core.sealed_files import is_sealed


def _recorded(copy: Path) -> tuple[dict[str, list[str]], dict[str, tuple[int, str]],
                                   dict[int, str]]:
    """The copy's documents (SHA-256 -> names), registered letter files (name -> (letter
    number, SHA-256)) and the SHA-256 of each letter's stored PDF (by letter number), read
    from the copy itself, never from the live database."""
    documents: dict[str, list[str]] = {}
    letters: dict[str, tuple[int, str]] = {}
    items, register = EvidenceItem._meta.table_name, LetterRow._meta.table_name
    with closing(cipher.connect(copy, uri=f"{copy.resolve().as_uri()}?mode=ro")) as db:
        for sha, name in db.execute(f'SELECT sha256, original_name FROM "{items}"'):
            documents.setdefault(str(sha), []).append(str(name))
        for number, name, sha in db.execute(
                f'SELECT id, file_name, sha256 FROM "{register}" WHERE file_name != \'\''):
            letters[str(name)] = (int(number), str(sha))
        stored = {int(number): hashlib.sha256(bytes(pdf)).hexdigest() for number, pdf in
                  db.execute(f'SELECT letter_id, pdf FROM "{LetterFile._meta.table_name}"')}
    return documents, letters, stored


def not_whole(copy: Path, root: Path, evidence: str, letters_folder: str,
              files: list[dict[str, Any]], put_back: set[str] | None = None) -> list[str]:
    """Each way the copied store and letters folder fall short of what the copied database
    records, in words; `files` is the manifest's list (path, sha256) of what was copied into
    `root` (the backup's folder); `put_back`: letter files a restore replaces from the
    register (said on their own)."""
    # A sealed letter (sealed_letters) is held to its plain content's hash, as the register
    # keeps it; the sealed bytes' hash is for the manifest's check of the backup's files.
    hashes = {str(f["path"]): str(f.get("plain_sha256") or f["sha256"]) for f in files}
    documents, letters, stored = _recorded(copy)
    found: list[str] = []
    for sha, names in sorted(documents.items()):
        path = f"{evidence}/{sha[:2]}/{sha}"
        if path not in hashes:
            found.append(f"document {quoted_names(names)} (SHA-256 {sha[:12]}…) is missing "
                         "from the evidence store")
        elif hashes[path] != sha and not is_sealed(root / path):
            found.append(f"document {quoted_names(names)} is damaged: its content is not the "
                         f"SHA-256 {sha[:12]}… it is stored under")
    for name, (number, sha) in sorted(letters.items()):
        path = f"{letters_folder}/{name}"
        if path not in hashes:
            # A letter issued with `letters export --out` elsewhere has no file here: its
            # stored copy is the record (found when tried: every nightly backup failed after
            # a letter issued the documented way). Only a stored copy not the register's is.
            if stored.get(number) != sha:
                found.append(f"letter {number}'s file {name} is missing from the letters "
                             "folder, and its stored copy in the database is not the "
                             "register's")
        elif hashes[path] != sha and name not in (put_back or set()):
            found.append(f"letter {number}'s file {name} is not the file the register holds "
                         "(changed after it was issued)")
    return found


def quoted_names(names: list[str]) -> str:
    return " / ".join(quoted(n) for n in sorted(set(names)))
