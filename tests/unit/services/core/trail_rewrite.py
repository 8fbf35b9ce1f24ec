"""A trail rewritten as another version of the app would have written it: each entry's
payload changed, and the whole chain hashed again, so that the chain holds and only the
checks of the records (or their notes) can tell."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from crm_tui.db.models import AuditEntry, AuditHead
from crm_tui.domain.audit_chain import GENESIS, digest, entry_hash
from crm_tui.services.core.audit_records import chain_fields


def rechain(rewrite: Callable[[AuditEntry, dict[str, Any]], None] | None = None) -> None:
    """Every entry chained again in order; with `rewrite`, each entry's payload is first
    changed by it (given the entry and its payload) and written back, its hash with it."""
    prev = GENESIS
    for row in AuditEntry.select().order_by(AuditEntry.seq):
        if rewrite is not None:
            payload = json.loads(row.payload)
            rewrite(row, payload)
            row.payload = json.dumps(payload, ensure_ascii=False, sort_keys=True)
            row.payload_hash = digest(row.payload)
        row.prev_hash = prev
        row.entry_hash = entry_hash(prev, chain_fields(row))
        row.save()
        prev = row.entry_hash
    AuditHead.update(entry_hash=prev).execute()
