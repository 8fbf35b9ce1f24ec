"""Counts as people read them: "1 contact", "2 contacts", "no contacts" never "1 contacts"."""

from __future__ import annotations

_IRREGULAR = {"person": "people", "was": "were", "is": "are", "has": "have"}


def plural(noun: str) -> str:
    """The plural of a noun the screens count (entry -> entries, breach -> breaches)."""
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "sh", "ch", "x", "z")):
        return noun + "es"
    return noun + "s"


def counted(n: int, noun: str, many: str | None = None, *, grouped: bool = False) -> str:
    """"1 contact", "3 contacts" (`many`: the plural where plural() would be wrong;
    `grouped`: thousands separated, "12,345 bytes")."""
    figure = f"{n:,}" if grouped else f"{n}"
    return f"{figure} {noun if n == 1 else (many or plural(noun))}"
