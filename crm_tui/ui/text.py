"""Customer-supplied and user-entered text is shown literally, never read as markup."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from rich.text import Text

V = TypeVar("V")


def literal(value: object, style: str = "", *, wrap: bool = False) -> Text:
    return Text(str(value) if value is not None else "", style=style, no_wrap=not wrap)


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
