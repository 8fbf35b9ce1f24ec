"""Customer-supplied and user-entered text is shown literally, never read as markup."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from crm_tui.domain.characters import escaped

V = TypeVar("V")


def literal(value: object, style: str = "", *, wrap: bool = False) -> Text:
    """`value` shown as written: never read as markup, and each control character in it
    (ESC, a bidirectional override: stored before the rule that refuses them, or put into the
    database by hand) written out as `\\x1b`, `\\u202e`, as the command line does, so that
    the terminal shows it instead of obeying it (t16 F0: an audit reason's `ESC[2J` blanked
    the audit screen). New lines and tabs are kept."""
    return Text(escaped(str(value)) if value is not None else "", style=style,
                no_wrap=not wrap)


class KeptEnd:
    """One line, shown literally, whose start is cut ("…") before its end is: a name and the
    day the person left, "Ana Tag… (left 6 Dec 2026)", in a column too narrow for both (a
    long name pushed the day out of sight, and the person read as still holding the role:
    v15b S4). `str()` gives it whole."""

    def __init__(self, start: str, end: str) -> None:
        self.start, self.end = start, end

    def __str__(self) -> str:
        return self.start + self.end

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = cell_len(str(self))
        return Measurement(width, width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        line = Text(self.start, no_wrap=True, overflow="ellipsis", end="")
        room = width - cell_len(self.end)
        if cell_len(str(self)) > width and room >= 2:
            line.truncate(room, overflow="ellipsis")
        line.append(self.end)
        line.truncate(width, overflow="ellipsis")  # too narrow even for the end: cut it
        yield line


def choices(options: Iterable[tuple[object, V]]) -> list[tuple[Text, V]]:
    """A Select's options with their labels shown as written: a str label is read as markup
    by the list and the line showing the choice (a name holding "[bold red]" or a cut
    "[link=" broke the form)."""
    return [(literal(label), value) for label, value in options]


def ticks(items: Iterable[tuple[object, V, bool]]) -> list[tuple[Text, V, bool]]:
    """A SelectionList's items (label, value, ticked), their labels shown as written."""
    return [(literal(label), value, ticked) for label, value, ticked in items]


def path_lines(path: Path, width: int = 48) -> str:
    """A file's folder and its name on lines of their own, the folder broken after a "/"
    where it is longer than `width` (a toast breaks a path mid-word otherwise)."""
    lines, line = [], ""
    for part in str(path.parent).split("/"):
        piece = part + "/"
        if line and len(line) + len(piece) > width:
            lines.append(line)
            line = ""
        line += piece
    if line:
        lines.append(line)
    return "\n".join(["Folder: " + lines[0], *("        " + more for more in lines[1:]),
                      "File: " + path.name])


def said(why: str) -> str:
    """A refusal's words as a sentence of their own: capitalised, with a full stop."""
    why = why.strip()
    if not why:
        return ""
    why = why[0].upper() + why[1:]
    return why if why[-1] in ".?!…" else f"{why}."


def links_in_short(links: Iterable[str]) -> str:
    """What a document or contact rests under, for a table's cell: "referral, 2
    restrictions". The restrictions' kinds are long ("Contact in a particular form only
    restriction") and cut the cell and its neighbours at 100 columns (the line under the
    table names them in full); never a row's number (b15e F10)."""
    said = list(links)
    restrictions = sum(1 for link in said if link != "referral")
    parts = ["referral"] if "referral" in said else []
    if restrictions:
        parts.append(f"{restrictions} restriction{'s' if restrictions != 1 else ''}")
    return ", ".join(parts)
