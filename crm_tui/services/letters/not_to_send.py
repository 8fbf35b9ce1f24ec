"""Whether a copy of an issued letter is one not to be sent, and the one notice that says so
wherever a copy is made: `letters export` (and its `--accessible`), `x` and `c` in a case's
letters, `x` in the Letters area (issue 15 AU1, AU2: only `letters export --letter N` of a
superseded letter said it; a copy made in the app, an accessible copy, and any copy of an
invitation to comment that could no longer go said nothing, and a print room could post it).

A letter signed and never posted that is superseded (no_longer_sent: by a later letter, a
decision or appeal since, a change of address), or that can no longer go today (cannot_go: a
date it gives has passed, or an invitation's day for comments leaves too little time), is
copied for the record only. The PDF's bytes never change (they are the signed, registered
file): its copy's name carries the mark instead, and the accessible copies, derived text,
open with the notice. A letter fine to post, or already posted, is copied as it always was."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crm_tui import clock
from crm_tui.db.models import Letter
from crm_tui.services.core.posting_dates import cannot_go, no_longer_sent, replaced_by

# What every notice ends with, and what each kind of mark puts in the copy's file name.
FOR_THE_RECORD = "This copy is for the record; it is not to be sent."
SUPERSEDED_MARK = "superseded-not-to-be-sent"
CANNOT_GO_MARK = "cannot-go-not-to-be-sent"


@dataclass(frozen=True)
class CopyNotice:
    """What a copy of the letter is to be told and marked with ("" and "": nothing, the
    letter may be posted, or went already)."""

    said: str = ""
    mark: str = ""

    def __bool__(self) -> bool:
        return bool(self.said)

    def named(self, path: Path) -> Path:
        """`path` with the mark in its name, before the suffix ("…-superseded-not-to-be-sent
        .pdf"); as it is where there is no mark, or it carries it already (the accessible
        copies beside a marked copy)."""
        if not self.mark or self.mark in path.stem:
            return path
        return path.with_name(f"{path.stem}-{self.mark}{path.suffix}")


def notice_for(row: Letter) -> CopyNotice:
    """The notice a copy of this letter carries: superseded (by letter N, and why), or can no
    longer go (why), and in either case not to be sent. Only a letter signed and never posted
    can be either."""
    if row.status != "issued" or row.posted_on is not None:
        return CopyNotice()
    why = no_longer_sent(row)
    if why:
        newer = replaced_by(row)
        by = f" by letter {newer}" if newer is not None else ""
        return CopyNotice(f"Letter {row.id} is superseded{by}: {why}. {FOR_THE_RECORD}",
                          SUPERSEDED_MARK)
    # The post run's own rule, on today's date (posting.unposted: cannot_go).
    why = cannot_go(row, clock.today())
    if why:
        return CopyNotice(f"Letter {row.id} can no longer go: {why}. {FOR_THE_RECORD}",
                          CANNOT_GO_MARK)
    return CopyNotice()
