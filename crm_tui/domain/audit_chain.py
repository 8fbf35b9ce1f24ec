"""The hash chain behind the audit trail.

Each entry's hash covers the previous entry's hash and the entry's fields. The reason and
payload enter the chain only through their own hashes, so that personal data in them can be
erased at the end of retention while the chain still verifies.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

GENESIS = "0" * 64
ERASED = "[erased at end of retention]"


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
