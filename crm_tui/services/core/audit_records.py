"""What the audit trail vouches for beyond its own chain. The chain proves that no entry was
changed; these checks prove that the records the entries describe still agree with them:

- an entry marked erased belongs to a destroyed file, erased by its destruction: a later
  entry in the chain records the destruction, and the tombstone it recorded is the one kept;
- every document is the one an entry attached to its case, one entry for one document (a
  document rewritten in the store, with its record's hash changed to match, or pointed at
  another document's file, no longer passes), and every document an entry attached still has
  its record (a record deleted by hand no longer passes);
- every letter in the register is the one the entry that issued it recorded: same hash, same
  certificate (a register row added for some PDF no longer passes); and every letter an entry
  issued is still in the register as issued (a row deleted, or set back to a draft, no longer
  passes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from crm_tui.db.models import AuditEntry, AuditHead, Case, EvidenceItem, Letter, Tombstone
from crm_tui.domain.audit_chain import ERASED, ChainFields, digest, entry_hash

ATTACH = "attach_evidence"
ISSUE = ("issue_letter", "resend_letter")
DESTROY = "destroy"
ISSUED = "issued"


def chain_fields(row: AuditEntry) -> ChainFields:
    return ChainFields(row.seq, row.at, row.actor_login, row.actor_role, row.action,
                       row.case_reference, row.reason_hash, row.payload_hash)


def tombstone_fields(stone: Tombstone) -> dict[str, str]:
    """A tombstone as the destruction's entry records it (and as it is compared later). Its
    outcome only where it has one: a tombstone written before it was kept has none, and its
    entry did not record one."""
    fields = {"case_reference": stone.case_reference, "service_area": stone.service_area,
              "opened_on": str(stone.opened_on),
              "restrictions_ended_on": str(stone.restrictions_ended_on or ""),
              "destroyed_on": str(stone.destroyed_on), "destroyed_by": stone.destroyed_by}
    if stone.outcome:
        fields["outcome"] = stone.outcome
    if stone.customer_reference:
        fields["customer_reference"] = stone.customer_reference
    return fields


def _payload(row: AuditEntry) -> dict[str, Any]:
    try:
        value = json.loads(row.payload)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


@dataclass
class Witness:
    """What the entries said, gathered while the chain is walked (one pass)."""

    erased: dict[str, int] = field(default_factory=dict)  # case -> its last erased entry
    caseless_erased: int | None = None
    destroyed: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    # document id -> (entry, case, sha256), from the entries that name the document;
    attached: dict[int, tuple[int, str, str]] = field(default_factory=dict)
    # (case, sha256) -> entries, from those written before entries named it.
    unnamed: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    issued: dict[int, tuple[int, str, str, str]] = field(default_factory=dict)
    documents: int = 0  # how many documents and issued letters were held to their entries
    letters: int = 0

    def note(self, row: AuditEntry) -> None:
        if row.erased:
            if not row.case_reference:
                if self.caseless_erased is None:
                    self.caseless_erased = int(row.seq)
            else:
                self.erased[row.case_reference] = int(row.seq)
            return
        if row.action == ATTACH:
            payload = _payload(row)
            sha, document = payload.get("sha256"), payload.get("document")
            if not isinstance(sha, str):
                return
            if isinstance(document, int):
                self.attached[document] = (int(row.seq), row.case_reference, sha)
            else:
                self.unnamed.setdefault((row.case_reference, sha), []).append(int(row.seq))
        elif row.action in ISSUE:
            payload = _payload(row)
            letter = payload.get("letter")
            if isinstance(letter, int):
                self.issued[letter] = (int(row.seq), row.case_reference,
                                       str(payload.get("sha256", "")),
                                       str(payload.get("certificate", "")))
        elif row.action == DESTROY and row.case_reference:
            self.destroyed[row.case_reference] = (int(row.seq), _payload(row))

    def problem(self) -> tuple[int | None, str] | None:
        """The first disagreement, as (the entry to name, if any; what is wrong)."""
        return self._erasures() or self._documents() or self._letters()

    def _erasures(self) -> tuple[int | None, str] | None:
        if self.caseless_erased is not None:
            return (self.caseless_erased, f"entry {self.caseless_erased} is marked erased, but "
                    "it is about no case: only a destroyed file's entries are erased")
        stones = {s.case_reference: s for s in Tombstone.select()}
        for reference, seq in sorted(self.erased.items(), key=lambda item: item[1]):
            destroyed = self.destroyed.get(reference)
            if destroyed is None or destroyed[0] < seq:
                return (seq, f"entry {seq} is marked erased, but its case {reference} was not "
                        "destroyed after it: a live entry was blanked")
            stone = stones.get(reference)
            kept = destroyed[1].get("tombstone")
            if stone is None:
                return (destroyed[0], f"{reference} was destroyed (entry {destroyed[0]}) but "
                        "its tombstone is gone")
            if kept is not None and kept != tombstone_fields(stone):
                return (destroyed[0], f"the tombstone of {reference} is not the one its "
                        f"destruction recorded (entry {destroyed[0]}): it was changed")
        for reference in stones:
            if reference not in self.destroyed:
                return (None, f"there is a tombstone for {reference}, but no destruction of "
                        "it in the trail")
        return None

    def _documents(self) -> tuple[int | None, str] | None:
        """Each document against the entry that attached it, one entry for one document;
        then the entries whose document has no record now. Named by number and case, never
        by file name, which may name people: the audit screen shows this to whoever may
        open it."""
        query = (EvidenceItem.select(EvidenceItem.id, EvidenceItem.sha256,
                                     Case.reference.alias("reference"))
                 .join(Case).order_by(EvidenceItem.id).dicts())
        taken: dict[tuple[str, str], tuple[int, int]] = {}  # -> (entry, document) it vouched
        for item in query.iterator():
            self.documents += 1
            document, reference, sha = int(item["id"]), str(item["reference"]), \
                str(item["sha256"])
            name = f"document {document} of {reference}"
            entry = self.attached.pop(document, None)
            if entry is not None:
                if entry[1] != reference:
                    return (entry[0], f"{name} is not the document entry {entry[0]} attached "
                            f"(that was to {entry[1]}): its record was changed")
                if entry[2] != sha:
                    return (entry[0], f"{name} holds SHA-256 {sha[:16]}…, not the file entry "
                            f"{entry[0]} attached: the stored document or its record was "
                            "changed")
                continue
            waiting = self.unnamed.get((reference, sha))
            if waiting:
                taken[(reference, sha)] = (waiting.pop(0), document)
                continue
            before = taken.get((reference, sha))
            also = (f" (entry {before[0]} attached it once, as document {before[1]})"
                    if before else "")
            return (None, f"{name} holds SHA-256 {sha[:16]}…, which no entry attached to the "
                    f"case{also}: the stored document or its record was changed")
        gone: list[tuple[int, int | None, str, str]] = [
            (seq, document, reference, sha)
            for document, (seq, reference, sha) in self.attached.items()]
        gone += [(seq, None, reference, sha)
                 for (reference, sha), seqs in self.unnamed.items() for seq in seqs]
        gone.sort(key=lambda entry: entry[0])
        if gone:
            seq, named, reference, sha = gone[0]
            which = f"document {named}" if named is not None else "a document"
            return (seq, f"entry {seq} attached {which} (SHA-256 {sha[:16]}…) to {reference}, "
                    "but no record of the case holds it now: its record was deleted or "
                    "changed")
        return None

    def _letters(self) -> tuple[int | None, str] | None:
        query = (Letter.select(Letter.id, Letter.kind, Letter.sha256, Letter.cert_fingerprint,
                               Case.reference.alias("reference"))
                 .join(Case).where(Letter.status == ISSUED).order_by(Letter.id).dicts())
        seen: set[int] = set()
        for letter in query.iterator():
            self.letters += 1
            seen.add(int(letter["id"]))
            found = issuing_mismatch(self.issued.get(int(letter["id"])), letter)
            if found:
                return found
        # And every letter an entry issued is still in the register as issued: an issued
        # letter never goes back to a draft, and its row goes only with its destroyed file
        # (whose entries are erased).
        for letter_id, (seq, reference, _, _) in sorted(self.issued.items(),
                                                        key=lambda item: item[1][0]):
            if letter_id in seen:
                continue
            status = Letter.select(Letter.status).where(Letter.id == letter_id).scalar()
            now = ("its row is gone" if status is None
                   else f"the register now has it as {str(status).replace('_', ' ')}")
            return (seq, f"entry {seq} issued letter {letter_id} of {reference}, but {now}: the "
                    "register was changed")
        return None


def issuing_mismatch(entry: tuple[int, str, str, str] | None,
                     letter: dict[str, Any]) -> tuple[int | None, str] | None:
    """Why a register row does not agree with the entry that issued it, or None."""
    name = f"letter {letter['id']} of {letter['reference']}"
    if entry is None:
        return (None, f"{name} is in the register, but no entry in the trail issued it: the "
                "register was changed")
    seq, reference, sha, certificate = entry
    if reference != letter["reference"] or sha != letter["sha256"] \
            or certificate != letter["cert_fingerprint"]:
        return (seq, f"{name} is not the letter entry {seq} issued (its "
                f"{'case' if reference != letter['reference'] else 'file'} differs): the "
                "register was changed")
    return None


def issuing_entry(letter: Letter, reference: str) -> tuple[int, str, str, str] | None:
    """The entry that issued this letter, if it is one the trail holds unchanged: its own
    hashes agree with it and its neighbours in the chain agree with it (the whole chain is
    `audit verify`'s to walk)."""
    for row in (AuditEntry.select().where(AuditEntry.action.in_(ISSUE)
                                          & (AuditEntry.case_reference == reference)
                                          & AuditEntry.payload.contains(
                                              f'"letter": {int(letter.id)}'))
                .order_by(AuditEntry.seq)):
        if _payload(row).get("letter") != int(letter.id) or not _sound(row):
            continue
        payload = _payload(row)
        return (int(row.seq), row.case_reference, str(payload.get("sha256", "")),
                str(payload.get("certificate", "")))
    return None


def _sound(row: AuditEntry) -> bool:
    if row.erased or row.payload == ERASED or digest(row.payload) != row.payload_hash:
        return False
    if entry_hash(row.prev_hash, chain_fields(row)) != row.entry_hash:
        return False
    before = AuditEntry.get_or_none(AuditEntry.seq == row.seq - 1)
    if (before.entry_hash if before else None) != row.prev_hash and row.seq != 1:
        return False
    after = AuditEntry.get_or_none(AuditEntry.seq == row.seq + 1)
    following = after.prev_hash if after else AuditHead.select(AuditHead.entry_hash).scalar()
    return bool(following == row.entry_hash)


def attaching_entry(sha256: str) -> int | None:
    """The entry (its number) that attached a document with this content to a live case, if
    the trail holds one: its file is no leftover, whatever the documents' records say now
    (services.core.leftovers, services.core.erasure never delete it)."""
    rows = (AuditEntry.select(AuditEntry.seq, AuditEntry.payload)
            .where((AuditEntry.action == ATTACH) & ~AuditEntry.erased
                   & AuditEntry.payload.contains(sha256))
            .order_by(AuditEntry.seq))
    for row in rows:
        if _payload(row).get("sha256") == sha256:
            return int(row.seq)
    return None
