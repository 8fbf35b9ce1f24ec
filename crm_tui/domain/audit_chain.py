"""The hash chain behind the audit trail.

Each entry's hash covers the previous entry's hash and the entry's fields. The reason and
payload enter the chain only through their own hashes, so that personal data in them can be
erased at the end of retention while the chain still verifies.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from crm_tui.domain.numbers import MOST_ID, read_whole

GENESIS = "0" * 64
ERASED = "[erased at end of retention]"


_HASH = re.compile("[0-9a-f]{64}")
ANCHOR_LOOKS = "1234:<64 hexadecimal digits>"


def read_anchor(text: str) -> tuple[int, str]:
    """An anchor `SEQ:HASH` as (sequence number, hash): the number with the digits 0 to 9
    (issue 16: "٣:…" was read as entry 3 and reported the trail rewritten), the hash 64
    hexadecimal digits. ValueError says why it is not an anchor."""
    seq_text, _, expected = text.strip().partition(":")
    try:
        seq = read_whole(seq_text, example="1234", most=MOST_ID)
    except ValueError as exc:
        raise ValueError(f"not an anchor ({ANCHOR_LOOKS}): its entry number {exc}") from None
    if not _HASH.fullmatch(expected):
        raise ValueError(f"not an anchor ({ANCHOR_LOOKS}): after the colon, give the 64 "
                         "hexadecimal digits (0-9, a-f) `crm-tui audit anchor` printed")
    return seq, expected


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainFields:
    seq: int
    at: str
    actor_login: str
    actor_role: str
    action: str
    case_reference: str
    reason_hash: str
    payload_hash: str


def entry_hash(prev_hash: str, fields: ChainFields) -> str:
    body = json.dumps(
        [prev_hash, fields.seq, fields.at, fields.actor_login, fields.actor_role,
         fields.action, fields.case_reference, fields.reason_hash, fields.payload_hash],
        ensure_ascii=False, separators=(",", ":"))
    return digest(body)
