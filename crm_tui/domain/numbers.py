"""Whole numbers as people type them, read the same way by every command-line option, anchor
and imported file: the digits 0 to 9 only, within a range the thing can have. One reader, so
that no path meets Python's int() alone (issue 16: int() read "٣", an Arabic-Indic three, as
3 and took an anchor "٣:…" for entry 3; "²" passed isdigit() and failed int(); a register
number of 23 digits reached SQLite and overflowed; 5,000 digits passed Python's own limit on
converting a string)."""

from __future__ import annotations

from crm_tui.domain.typed_dates import quoted_cut

# The largest number SQLite's INTEGER holds.
MOST_STORED = 2**63 - 1
# A register number, an entry's sequence, a screening item: far more than any will reach,
# and far less than SQLite's limit.
MOST_ID = 10**12 - 1
_SHOWN = 24  # characters of a refused value quoted in a message; more are counted


def _shown(value: str) -> str:
    return quoted_cut(value, _SHOWN)


def read_whole(text: str, *, unit: str = "", example: str = "12", least: int = 0,
               most: int = MOST_STORED, beyond: str = "is too large") -> int:
    """`text` as a whole number from `least` to `most`, typed with the digits 0 to 9 (spaces
    around it ignored). ValueError says what is wrong in words that follow the value, as a
    message after the option's or field's name: `unit` names what is counted ("minutes"),
    `example` shows one typed right, `beyond` says a value past `most` ("minutes is more
    than a day")."""
    value = text.strip()
    what = f"a whole number of {unit}" if unit else "a whole number"
    if any(ch.isdigit() and not "0" <= ch <= "9" for ch in value):
        raise ValueError(f"{_shown(value)} has digits other than 0-9: type it with the digits "
                         f"0 to 9, like {example}")
    if not value or not value.isascii() or not value.isdigit():
        raise ValueError(f"{_shown(value) if value else 'blank'} is not {what}: type one with "
                         f"the digits 0 to 9, like {example}")
    # Counted before it is read: int() of thousands of digits is slow, then refused.
    digits = value.lstrip("0") or "0"
    if len(digits) > len(str(most)) or int(digits) > most:
        raise ValueError(f"{_shown(value)} {beyond}: at most {most:,}"
                         + (f" {unit}" if unit else ""))
    number = int(digits)
    if number < least:
        raise ValueError(f"{_shown(value)} is too small: at least {least}")
    return number
