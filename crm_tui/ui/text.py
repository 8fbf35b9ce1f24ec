"""Customer-supplied and user-entered text is shown literally, never read as markup."""

from __future__ import annotations

from rich.text import Text


def literal(value: object, style: str = "", *, wrap: bool = False) -> Text:
    return Text(str(value) if value is not None else "", style=style, no_wrap=not wrap)
