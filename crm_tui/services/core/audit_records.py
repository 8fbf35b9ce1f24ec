"""What the audit trail vouches for beyond its own chain. The chain proves that no entry was
changed; these checks prove that the records the entries describe still agree with them:

- an entry marked erased belongs to a destroyed file, erased by its destruction: a later
  entry in the chain records the destruction, and the tombstone it recorded is the one kept;
- every document is the one an entry attached to its case, one entry for one document (a
  document rewritten in the store, with its record's hash changed to match, or pointed at
  another document's file, no longer passes), and every document an entry attached still has
  its record (a record deleted by hand no longer passes);
- every letter in the register is the one the entry that issued it recorded: same hash, same
  certificate (a register row added for some PDF no longer passes), and the same on every
  other field that entry and its posting entry record (letter_register); and every letter an entry
  issued is still in the register as issued (a row deleted, or set back to a draft, no longer
  passes);
- the team's people and the roles they held, nominations for a period and contacts logged on
  no case are as the latest entry holding their seal left them (team_seal);
- every live case's record, decisions, restrictions, documents' records, evidence links,
  appeals, reviews, consultations, log sheet of contacts and the other records its
  restrictions rest on (warnings, escalations, breaches, notes, matters, referrals, post to
  screen, nominations) are as the latest entry about it left them (audit_seals).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crm_tui.db.models import (
    AuditEntry,
    AuditHead,
    Case,
    Customer,
    EvidenceItem,
    Letter,
    LetterFile,
    Tombstone,
)
from crm_tui.domain.audit_chain import ERASED, ChainFields, digest, entry_hash
from crm_tui.services.core import (
    audit_destructions,
    audit_roles,
    database_key,
    letter_register,
    letter_texts,
    settings,
    team_seal,
)
from crm_tui.services.core.audit_seals import (
    CustomerSeals,
    Vouching,
    customer_differs,
    customer_latest,
    disagreement,
    latest_seal,
    records_of,
)
from crm_tui.services.core.sealed_files import SealBroken, plain_chunks

ATTACH = "attach_evidence"
ISSUE = ("issue_letter", "resend_letter")
DESTROY = audit_destructions.DESTROY
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
    # letter -> the hash of its stored text its issuing entry holds (None: an older entry)
    texts: dict[int, str | None] = field(default_factory=dict)
    # letter -> (the issuing entry's action, actor, payload): the row is held to every field
    # it records; and letter -> its latest posting entry (letter_register).
    issuing: dict[int, tuple[str, str, dict[str, Any]]] = field(default_factory=dict)
    postings: dict[int, tuple[int, str, dict[str, Any]]] = field(default_factory=dict)
    unvouched_texts: list[int] = field(default_factory=list)
    # Letters-folder copies that are not the issued file while the register keeps the signed
    # file intact, as (letter, case, file name): a restore puts the register's file in their
    # place (`replace_copies`); otherwise they fail the check.
    replace_copies: bool = False
    replaceable: list[tuple[int, str, str]] = field(default_factory=list)
    documents: int = 0  # how many documents and issued letters were held to their entries
    letters: int = 0
    # case -> (its latest entry, the hashes of its records that entry holds, if any)
    about: dict[str, tuple[int, dict[str, Any] | None]] = field(default_factory=dict)
    # The first entry that holds the hashes of its case's records: written by this version,
    # so every later change to a case is sealed too (an unsealed latest entry after it was
    # written outside the app, not by an older version).
    first_sealed: int | None = None
    # case -> (entry, action, day) of every entry about it: a destruction is held to them.
    history: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict)
    # Every entry's day, in order: a destruction is judged by the earliest day of the entries
    # written after it, too (audit_destructions).
    days: list[str] = field(default_factory=list)
    vouching: Vouching = field(default_factory=Vouching)
    # customer -> their latest seal (audit_seals.customer_latest), read once a run: each of
    # their cases is held to it, then the customer.
    customer_seals: dict[int, tuple[int, list[Any]] | None] = field(default_factory=dict)
    # Every customer's latest seal, gathered as the whole trail is walked (`whole_trail`: each
    # entry is noted, in order), not read again for each customer.
    customer_walk: CustomerSeals = field(default_factory=CustomerSeals)
    whole_trail: bool = False
    # The latest entry holding the seal of the team's records and contacts on no case, and
    # the seal (team_seal); None: no entry holds one yet (an older version's trail).
    team: tuple[int, dict[str, Any]] | None = None
    # Issued letters whose file is not in the letters folder (named for the note).
    missing_letters: list[str] = field(default_factory=list)
    letters_folder: Path | None = None  # where the letters' files are; else the configured
    # Where the documents' files are (this database's own store), to count those missing
    # from it for a note: the trail vouches for the records, not that the files are there.
    # None: not counted (a backup's copy, whose files the restore checks itself).
    store: Callable[[str], bool] | None = None
    missing_documents: int = 0

    def note(self, row: AuditEntry) -> None:
        self.days.append(str(row.at)[:10])
        if not row.erased and team_seal.MARK in (row.payload or ""):
            kept = team_seal.held(row.payload)
            if kept is not None:
                self.team = (int(row.seq), kept)
        if row.erased:
            if not row.case_reference:
                if self.caseless_erased is None:
                    self.caseless_erased = int(row.seq)
            else:
                self.erased[row.case_reference] = int(row.seq)
            self.history.setdefault(row.case_reference, []).append(
                (int(row.seq), str(row.action), str(row.at)[:10]))
            return
        self.customer_walk.note(int(row.seq), str(row.case_reference), str(row.payload or ""))
        if row.case_reference:
            kept = latest_seal(_payload(row))
            self.about[row.case_reference] = (int(row.seq), kept)
            if kept is not None and self.first_sealed is None:
                self.first_sealed = int(row.seq)
            self.history.setdefault(row.case_reference, []).append(
                (int(row.seq), str(row.action), str(row.at)[:10]))
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
                kept = payload.get(letter_texts.KEY)
                self.texts[letter] = kept if isinstance(kept, str) else None
                self.issuing[letter] = (str(row.action), str(row.actor_login), payload)
        elif row.action == letter_register.POSTING:
            payload = _payload(row)
            letter = payload.get("letter")
            if isinstance(letter, int):
                self.postings[letter] = (int(row.seq), str(row.actor_login), payload)
        elif row.action == DESTROY and row.case_reference:
            self.destroyed[row.case_reference] = (int(row.seq), _payload(row))

    def problem(self) -> tuple[int | None, str] | None:
        """The first disagreement, as (the entry to name, if any; what is wrong)."""
        return (self._erasures() or self._documents() or self._letters() or self._records()
                or self._team())

    def _team(self) -> tuple[int | None, str] | None:
        """The team's people, their roles, nominations for a period and contacts on no case
        against the latest entry holding their seal (team_seal); none yet: a note."""
        if self.team is None:
            now = team_seal.seal()  # with no such record, there is nothing to vouch for
            self.vouching.team_unvouched = bool(now["users"] or now["grants"]
                                                or now["nominations"]
                                                or now[team_seal.CONTACT_SET][0])
            # What the trail's own history of roles vouches for, it still holds them to.
            edited = audit_roles.first_not_as_history()
            if edited is not None:
                user_id, login, found = edited
                return None, f"user {user_id} ({login}): {found}"
            return None
        found = team_seal.disagreement(*self.team)
        return (self.team[0], found) if found else None

    def _records(self) -> tuple[int | None, str] | None:
        """Each live case's decisions, restrictions, state and log sheet against the latest
        entry about it (audit_seals); a case whose latest entry holds no hashes (written by an
        older version) is counted, not failed, unless an earlier entry holds them: this
        version wrote that one, and seals every change it makes to a case after it."""
        for case_id, reference in Case.select(Case.id, Case.reference).order_by(
                Case.id).tuples().iterator():
            seq, kept = self.about.get(reference, (None, None))
            if seq is not None and kept is None and self.first_sealed is not None \
                    and seq > self.first_sealed:
                return (seq, f"entry {seq}, the latest about {reference}, holds no hashes of "
                        f"its records, though entry {self.first_sealed} before it does: the "
                        "version that wrote that one seals every later change to a case, so "
                        "this entry was written outside the app, and the records of "
                        f"{reference} cannot be vouched for")
            if seq is None or kept is None:
                self.vouching.unvouched_cases += 1
                self.vouching.unvouched_records += records_of(int(case_id))
                continue
            found = disagreement(reference, int(case_id), seq, kept, self._customer_problem)
            if found:
                return (seq, found)
            self.vouching.cases += 1
        return self._customers()

    def _customers(self) -> tuple[int | None, str] | None:
        """Each customer against the latest entry holding their hash (audit_seals.CUSTOMER),
        whichever of their cases it is about; none yet (an older version's trail): counted."""
        for customer_id in Customer.select(Customer.id).order_by(Customer.id).scalars():
            found = self._customer_seal(int(customer_id))
            if found is None:
                self.vouching.unvouched_customers += 1
                continue
            problem = customer_differs(int(customer_id), found)
            if problem:
                return (found[0], problem)
        return None

    def _customer_seal(self, customer_id: int) -> tuple[int, list[Any]] | None:
        if self.whole_trail and not self.customer_seals:
            self.customer_seals = self.customer_walk.every()
        if customer_id not in self.customer_seals:
            self.customer_seals[customer_id] = customer_latest(customer_id)
        return self.customer_seals[customer_id]

    def _customer_problem(self, customer_id: int | None) -> str:
        """What differs of a case's customer, against their latest seal read once a run."""
        if customer_id is None:
            return ""
        return customer_differs(customer_id, self._customer_seal(customer_id))

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
        written_by = audit_destructions.earliest_after(self.days) if self.destroyed else []
        for reference, (seq, payload) in sorted(self.destroyed.items(),
                                                key=lambda item: item[1][0]):
            found = audit_destructions.destruction_problem(
                reference, seq, payload, self.history.get(reference, []),
                written_by[seq - 1] if 0 < seq <= len(written_by) else None)
            if found:
                return (seq, found)
        for reference in stones:
            if reference not in self.destroyed:
                return (None, f"there is a tombstone for {reference}, but no destruction of "
                        "it in the trail")
        return None

    def _documents(self, only: set[str] | None = None) -> tuple[int | None, str] | None:
        """Each document against the entry that attached it, one entry for one document;
        then the entries whose document has no record now. Named by number and case, never
        by file name, which may name people: the audit screen shows this to whoever may
        open it. `only`: the cases to check (those the person asking may see)."""
        query = (EvidenceItem.select(EvidenceItem.id, EvidenceItem.sha256,
                                     Case.reference.alias("reference"))
                 .join(Case).order_by(EvidenceItem.id).dicts())
        taken: dict[tuple[str, str], tuple[int, int]] = {}  # -> (entry, document) it vouched
        for item in query.iterator():
            if only is not None and str(item["reference"]) not in only:
                continue
            self.documents += 1
            document, reference, sha = int(item["id"]), str(item["reference"]), \
                str(item["sha256"])
            name = f"document {document} of {reference}"
            if self.store is not None and not self.store(sha):
                self.missing_documents += 1
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
        gone = [entry for entry in gone if only is None or entry[2] in only]
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
                               Letter.file_name, Letter.content, Letter.body,
                               Case.reference.alias("reference"))
                 .join(Case).where(Letter.status == ISSUED).order_by(Letter.id).dicts())
        seen: set[int] = set()
        folder = self.letters_folder or settings.current().letters_path()
        for letter in query.iterator():
            self.letters += 1
            seen.add(int(letter["id"]))
            found = issuing_mismatch(self.issued.get(int(letter["id"])), letter) \
                or self._register_row(letter) \
                or self._letter_bytes(letter, folder) or self._letter_text(letter)
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


    def _register_row(self, letter: dict[str, Any]) -> tuple[int | None, str] | None:
        """The row on every field its issuing and posting entries record (letter_register)."""
        number, reference = int(letter["id"]), str(letter["reference"])
        row = Letter.get_by_id(number)
        action, actor, payload = self.issuing[number]
        what = letter_register.issuing_differs(row, action, actor, payload)
        seq = self.issued[number][0]
        if not what:
            posting = self.postings.get(number)
            what = letter_register.posting_differs(row, posting)
            seq = posting[0] if posting is not None else seq
        return (seq, letter_register.register_changed(number, reference, seq, what)) \
            if what else None

    def _letter_text(self, letter: dict[str, Any]) -> tuple[int | None, str] | None:
        """The register's stored text is the text its issuing entry hashed (letter_texts);
        one issued before entries held that hash is counted as not vouched for."""
        number = int(letter["id"])
        kept = self.texts.get(number)
        if kept is None:
            self.unvouched_texts.append(number)
            return None
        if kept != letter_texts.text_hash(str(letter["content"] or ""),
                                          str(letter["body"] or "")):
            seq = self.issued[number][0]
            return (seq, letter_texts.changed(number, seq, str(letter["reference"])))
        return None

    def _letter_bytes(self, letter: dict[str, Any],
                      folder: Path) -> tuple[int | None, str] | None:
        """The signed bytes the register keeps, and the file in the letters folder, are the
        file the register (and so the issuing entry) names; a file missing from the folder is
        noted (`missing_letters`), since the register's copy still serves."""
        name = f"letter {letter['id']} of {letter['reference']}"
        seq = self.issued.get(int(letter["id"]), (None,))[0]
        blob = LetterFile.select(LetterFile.pdf).where(
            LetterFile.letter == letter["id"]).scalar()
        if blob is not None and hashlib.sha256(bytes(blob)).hexdigest() != letter["sha256"]:
            return (seq, f"the signed file the register keeps for {name} is not the file entry "
                    f"{seq} issued (its SHA-256 differs): the stored copy was changed")
        file_name = str(letter["file_name"] or "")
        path = folder / file_name if file_name and Path(file_name).name == file_name else None
        if path is None or not path.is_file():
            self.missing_letters.append(
                f"letter {letter['id']} of {letter['reference']}"
                + ("" if blob is not None else " (and the register keeps no copy of it)"))
            return None
        if _file_sha256(path) != letter["sha256"]:
            if self.replace_copies and blob is not None:
                # The register's own signed file is intact (checked above): the copy can be
                # put back from it, as a restore does, saying so.
                self.replaceable.append((int(letter["id"]), str(letter["reference"]),
                                         file_name))
                return None
            return (seq, f"the file of {name} in the letters folder is not the file entry "
                    f"{seq} issued (its SHA-256 differs): it was changed")
        return None


def _file_sha256(path: Path) -> str:
    """The SHA-256 of a letter file's content: read through its seal in a backup of an
    encrypted database (sealed with the store's key, retention/sealed_letters), where the
    bound database is the backup's copy; one that does not open is no issued file ('')."""
    found = hashlib.sha256()
    try:
        for chunk in plain_chunks(path, database_key.evidence_key_in_use()):
            found.update(chunk)
    except SealBroken:
        return ""
    return found.hexdigest()


def unaccepted_destruction() -> str:
    """Why a destruction the trail records is not one the service could have made, or ''
    (audit_destructions): housekeeping asks before it removes evidence files no record
    points to."""
    return audit_destructions.unaccepted_destruction(_payload)


def documents_disagreement(only: set[str]) -> tuple[int | None, str] | None:
    """The audit check of documents alone (as `audit verify` makes it), for the cases in
    `only`: each document against the entry that attached it (`evidence verify` asks, so that
    a document rewritten with its record's hash changed to match is not called intact)."""
    witness = Witness()
    for row in (AuditEntry.select().where(AuditEntry.action == ATTACH)
                .order_by(AuditEntry.seq).iterator()):
        witness.note(row)
    return witness._documents(only)


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
    found = issuing_payload(int(letter.id), reference)
    if found is None:
        return None
    seq, payload = found
    return (seq, reference, str(payload.get("sha256", "")),
            str(payload.get("certificate", "")))


def issuing_payload(letter_id: int, reference: str) -> tuple[int, dict[str, Any]] | None:
    """The number and payload of the sound entry that issued letter `letter_id`, or None."""
    found = issuing_row(letter_id, reference)
    return (int(found.seq), _payload(found)) if found is not None else None


def issuing_row(letter_id: int, reference: str) -> AuditEntry | None:
    """The sound entry that issued letter `letter_id`, or None."""
    for row in (AuditEntry.select().where(AuditEntry.action.in_(ISSUE)
                                          & (AuditEntry.case_reference == reference)
                                          & AuditEntry.payload.contains(
                                              f'"letter": {int(letter_id)}'))
                .order_by(AuditEntry.seq)):
        payload = _payload(row)
        if payload.get("letter") != int(letter_id) or not _sound(row):
            continue
        return row
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
