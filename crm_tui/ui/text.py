"""Customer-supplied and user-entered text is shown literally, never read as markup."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text


def literal(value: object, style: str = "", *, wrap: bool = False) -> Text:
    return Text(str(value) if value is not None else "", style=style, no_wrap=not wrap)


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
