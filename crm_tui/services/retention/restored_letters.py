"""Letters-folder copies a restore puts back from the register.

A backup copies the letters folder as it finds it. If a letter's file there was changed after
it was issued, the backup says so ("not whole"), but its database may still hold the signed
file intact in the register, checked against the entry that issued it. Such a copy is no
reason to refuse the whole restore (found when tried: one damaged letter file made a backup
with a sound database unrestorable): the restore writes the register's file in its place,
and says so. A register copy that itself disagrees with the audit trail is still refused by
the audit check.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crm_tui.db.models import LetterFile
from crm_tui.private_files import write_private_bytes


@dataclass(frozen=True)
class PutBack:
    letter: int
    reference: str
    file_name: str
    pdf: bytes

    @property
    def said(self) -> str:
        return (f"letter {self.letter} of {self.reference}: its file {self.file_name} in the "
                "backup was not the file issued, so the register's signed file (checked "
                "against the audit trail) was restored in its place")


def to_put_back(found: tuple[tuple[int, str, str], ...]) -> tuple[PutBack, ...]:
    """The register's signed files for the copies `audit.verify(replace_copies=True)` listed,
    read from the open (staged) database."""
    return tuple(PutBack(letter, reference, name, bytes(LetterFile.select(LetterFile.pdf).where(
        LetterFile.letter == letter).scalar())) for letter, reference, name in found)


def put_back(staged_letters: Path, copies: tuple[PutBack, ...]) -> None:
    """Write each register file over its changed copy in the staged letters folder."""
    for copy in copies:
        write_private_bytes(staged_letters / copy.file_name, copy.pdf)
