"""The characters typed or imported text may hold: printable text, new lines and tabs. A
terminal's control characters (C0 but newline and tab, DEL, C1), the line and paragraph
separators and the bidirectional overrides are refused: stored, they would be sent raw to
whoever lists the text (`\x1b]0;…\x07` sets a terminal's title, `\x1b[2J` clears it; an
override shows the words in another order than they are). One rule, asked by every text
check (services/core/validation.py, wording.py); `escaped` shows anything stored before it
harmlessly."""

from __future__ import annotations

import re

# A carriage return is taken only as half of a Windows line end (CRLF).
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e"
                      "\u2066-\u2069]|\r(?!\n)")
_SHOWN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def control_problem(text: str) -> str | None:
    """What is wrong with `text`'s characters, in words after the field's name; None: none."""
    found = _REFUSED.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "contains a NUL character"
    return (f"contains a control character (U+{ord(found.group()):04X}, character "
            f"{found.start() + 1}): only printable text, new lines and tabs are taken")


def escaped(text: str) -> str:
    """`text` with every control character (a carriage return too) written out as `\\x1b`,
    `\\u202e`, so that a terminal shows it instead of obeying it; new lines and tabs kept."""
    return _SHOWN.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
