"""The characters typed or imported text may hold: printable text, new lines and tabs. A
terminal's control characters (C0 but newline and tab, DEL, C1), the line and paragraph
separators, the bidirectional overrides and the invisible marks (zero-width spaces, bidi
marks, joiners out of place) are refused: stored, they would be sent raw to
whoever lists the text (`\x1b]0;…\x07` sets a terminal's title, `\x1b[2J` clears it; an
override shows the words in another order than they are). One rule, asked by every text
check (services/core/validation.py, wording.py); `escaped` shows anything stored before it
harmlessly."""

from __future__ import annotations

import re
import unicodedata

# A carriage return is taken only as half of a Windows line end (CRLF).
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e"
                      "\u2066-\u2069]|\r(?!\n)")
_SHOWN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                    "\u200b\u200e\u200f\u061c\u2060-\u2064\ufeff\u180e]")
# Invisible marks (issue 16): a zero-width space, the bidirectional marks (left-to-right,
# right-to-left, Arabic letter mark), the word joiner and invisible operators, a byte order
# mark inside text, the Mongolian vowel separator. Not overrides, yet they change how a name
# or a summary reads or sorts, or make two equal-looking names differ, unseen: refused.
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u061c\u2060-\u2064\ufeff\u180e]")
# The joiners (zero-width non-joiner and joiner) are taken only between two letters of the
# scripts that write with them: Arabic script (Persian and Urdu names need a non-joiner) and
# the Indic scripts (Devanagari to Sinhala, whose conjuncts a joiner shapes). Anywhere else
# (between Latin letters, beside a space, in an emoji sequence) they shape nothing a name,
# a summary or an officer's name needs, and are refused as the other marks are.
_JOINER = re.compile("[\u200c\u200d]")
_JOINED_SCRIPTS = re.compile("[\u0600-\u06ff\u0750-\u077f\u0900-\u0dff\ufb50-\ufdff"
                             "\ufe70-\ufefc]")


def _stray_joiner(text: str) -> re.Match[str] | None:
    for found in _JOINER.finditer(text):
        at = found.start()
        before, after = text[at - 1:at] if at else "", text[at + 1:at + 2]
        if not (_JOINED_SCRIPTS.match(before) and _JOINED_SCRIPTS.match(after)):
            return found
    return None


# Bytes that are not UTF-8, as Python gives them from a command line or a file name (a lone
# surrogate, U+DC80-U+DCFF for the bytes 0x80-0xFF: "surrogateescape"): nothing can store
# or print them.
_UNDECODABLE = re.compile("[\ud800-\udfff]")


def undecodable_problem(text: str, fix: str = "type it again in UTF-8") -> str | None:
    """Bytes in `text` that are not UTF-8 (issue 16: a `\\xff` in an argument or a file's name
    ended in a UnicodeEncodeError traceback, or a dialog left "Working…"), in words after
    the field's name, ending with `fix`; None: none."""
    found = _UNDECODABLE.search(text)
    if found is None:
        return None
    code, at = ord(found.group()), found.start()
    byte = f"the byte 0x{code - 0xDC00:02X}" if 0xDC80 <= code <= 0xDCFF else f"U+{code:04X}"
    around = ("…" if at > 20 else "") + text[max(0, at - 20):at + 20] \
        + ("…" if len(text) > at + 20 else "")
    return (f"holds {byte}, which is not UTF-8 text (character {at + 1}: "
            f'"{shown_bytes(around)}"): {fix}')


def shown_bytes(text: str) -> str:
    """`text` with each byte that is not UTF-8 written out as `\\xff`: safe to print."""
    return _UNDECODABLE.sub(lambda m: (f"\\x{ord(m.group()) - 0xDC00:02x}"
                                       if 0xDC80 <= ord(m.group()) <= 0xDCFF
                                       else f"\\u{ord(m.group()):04x}"), text)


def control_problem(text: str) -> str | None:
    """What is wrong with `text`'s characters, in words after the field's name; None: none."""
    if (undecodable := undecodable_problem(text)) is not None:
        return undecodable
    mark = _INVISIBLE.search(text) or _stray_joiner(text)
    if mark is not None:
        name = unicodedata.name(mark.group(), "").lower()
        return (f"contains an invisible mark (U+{ord(mark.group()):04X}"
                f"{', ' + name if name else ''}, character {mark.start() + 1}): it changes how "
                "the text reads or sorts unseen; type it without")
    found = _REFUSED.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "contains a NUL character"
    return (f"contains a control character (U+{ord(found.group()):04X}, character "
            f"{found.start() + 1}): only printable text, new lines and tabs are taken")


def escaped(text: str) -> str:
    """`text` with every control character (a carriage return too) written out as `\\x1b`,
    `\\u202e`, so that a terminal shows it instead of obeying it; new lines and tabs kept;
    a byte that is not UTF-8 as `\\xff`."""
    return shown_bytes(_SHOWN.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"),
                                  text))


def written_out(text: str) -> tuple[str, int]:
    """`text` to read on a screen, line ends made one (CRLF and CR become new lines), with
    every other control character written out as `\\x1b` (as `escaped` does), and how many
    were: a terminal's colour codes in a document are shown, not obeyed or dropped unseen."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    return escaped(lines), len(_SHOWN.findall(lines))


def json_escaped(serialized: str) -> str:
    """JSON text (json.dumps with ensure_ascii=False) with every control character, override
    and invisible mark that `escaped` writes out, and any byte that is not UTF-8, written as
    a JSON escape (`\\u202e`, `\\u0085`, `\\udcff`) instead of raw: read back it is the same
    value, while a terminal or editor showing the file shows the escape instead of obeying
    it (found when tried: a subject access copy kept U+202E raw, and a reader saw a
    reference's words in another order). Ordinary letters (é, ł, 中) stay as they are. Such
    characters only ever stand inside JSON strings, where the escape is valid."""
    return _UNDECODABLE.sub(_json_escape, _SHOWN.sub(_json_escape, serialized))


def _json_escape(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group()):04x}"
