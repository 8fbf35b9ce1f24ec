"""The audit trail: append-only, hash-chained, verifiable, erasable for retention."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from crm_tui import clock
from crm_tui.db import dialect, server_roles
from crm_tui.db.dialect import read_transaction
from crm_tui.db.models import AuditEntry, AuditHead, Case, Tombstone, database_proxy
from crm_tui.domain.audit_chain import (
    ANCHOR_LOOKS,
    ERASED,
    GENESIS,
    ChainFields,
    digest,
    entry_hash,
    read_anchor,
)
from crm_tui.domain.counting import counted
from crm_tui.domain.errors import DomainError
from crm_tui.domain.roles import Actor
from crm_tui.domain.scope import DestroyedFile, case_scope, check_change
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import audit_details, audit_seals, changes, grants, scope
from crm_tui.services.core.audit_destructions import YearsInForce
from crm_tui.services.core.audit_records import Witness, chain_fields
from crm_tui.services.core.audit_roles import RoleReplay
from crm_tui.services.core.database import atomic
from crm_tui.services.core.evidence_store import evidence_store

# While a decision confirmed by its maker's key is being recorded: (their user id, the key's
# certificate fingerprint). Every entry they write meanwhile names the key that confirmed it.
confirming: ContextVar[tuple[int, str] | None] = ContextVar("confirming", default=None)


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    at: str
    actor_login: str
    actor_role: str
    action: str
    case_reference: str
    reason: str
    erased: bool
    # A destruction's entry: the paths of the copies it left to delete by hand.
    left_by_hand: tuple[str, ...] = ()
    # What the entry recorded beyond its reason, in words ("Next review: 6 Jun 2027").
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""
    # Entries stamped earlier than the entry before them: the chain holds, but the clock was
    # set back when they were written (a backdated letter or decision shows here).
    backwards: tuple[int, ...] = ()
    # The records held to the entries that made them (audit_records).
    documents: int = 0
    letters: int = 0
    # Cases whose decisions, restrictions, state and contacts were held to the latest entry
    # about them (audit_seals); and those whose latest entry holds no hashes to hold them to
    # (written by an older version), with how many records they have.
    cases: int = 0
    unvouched_cases: int = 0
    unvouched_records: int = 0
    # No entry holds the seal of the team's people, roles, nominations for a period and
    # contacts on no case yet (a trail written by an older version): a note (team_seal).
    team_unvouched: bool = False
    # Customers no entry holds the hash of yet (a trail written before version 4 of the
    # seal): a note (audit_seals.CUSTOMER).
    unvouched_customers: int = 0
    # Issued letters with no file in the letters folder (the register's copy still serves).
    missing_letters: tuple[str, ...] = ()
    # Issued letters whose issuing entry holds no hash of their stored text (written by an
    # older version): their text is not vouched for (services.core.letter_texts).
    unvouched_texts: tuple[int, ...] = ()
    # Letters-folder files to be put back from the register's intact copy, as (letter, case,
    # file name): listed only when asked (a restore), else they fail the check.
    replaceable: tuple[tuple[int, str, str], ...] = ()
    # Documents whose file is not in the evidence store (counted for this database's own
    # store only: `evidence verify` names them).
    missing_documents: int = 0
    # Whether the documents' files were looked for in this database's own evidence store
    # (found there or not; never read: `evidence verify` reads each against its SHA-256).
    files_looked_for: bool = False
    # Entries whose actor the trail never recorded with a role (an older trail, written
    # before its people were): their role could not be held to the trail's (audit_roles).
    roles_unchecked: int = 0

    @property
    def vouched(self) -> str:
        """", with the records of 33 documents, 15 issued letters and the decisions,
        restrictions and contacts of 14 cases it vouches for", or ''. The records: whether
        each document's file is there is `documents_note`'s (found when tried: "with the 33
        documents … it vouches for" was said with the whole evidence store moved away)."""
        held = [counted(self.documents, "document"), counted(self.letters, "issued letter")] \
            if self.documents or self.letters else []
        if self.cases:
            held.append(f"the decisions, restrictions and contacts of "
                        f"{counted(self.cases, 'case')}")
        if not held:
            return ""
        listed = f"{', '.join(held[:-1])} and {held[-1]}" if len(held) > 1 else held[0]
        return f", with the records of {listed} it vouches for"

    @property
    def documents_note(self) -> str:
        """The documents whose file is missing from the evidence store, counted; and that the
        files there were looked for, not read. A document's bytes rewritten in the store
        passed with no word, while a missing file was noted (t16 F5): reading every file
        would make the check as long as the store is large, so it says which check reads
        them."""
        if not self.files_looked_for or not self.documents:
            return ""
        unread = ("were not read: whether one was changed in the evidence store is "
                  "`crm-tui evidence verify`'s check, which reads each against its SHA-256.")
        if not self.missing_documents:
            return (f"Note: the files of the {counted(self.documents, 'document')} are in the "
                    f"evidence store, but {unread}")
        one = self.missing_documents == 1
        missing = (f"Note: {counted(self.missing_documents, 'document')} the trail vouches "
                   f"for {'has' if one else 'have'} no file in the evidence store: "
                   + ("its record is sound, its file is not there" if one else
                      "their records are sound, their files are not there")
                   + f". `crm-tui evidence verify` lists {'it' if one else 'them'}.")
        if self.missing_documents >= self.documents:
            return missing
        return f"{missing} The other documents' files are there, but {unread}"

    @property
    def unvouched_note(self) -> str:
        """What the trail could not vouch for (not a failure): records written before its
        entries held their hashes."""
        notes = [self._texts_note] if self.unvouched_texts else []
        if self.unvouched_cases:
            notes.append(
                f"Note: {counted(self.unvouched_records, 'record')} of "
                f"{counted(self.unvouched_cases, 'case')} (decisions, restrictions, state and "
                "contacts) could not be vouched for: the latest entry about "
                f"{'it' if self.unvouched_cases == 1 else 'them'} was written by an older "
                "version, which kept no hash of them. The next change to each case adds one.")
        if self.unvouched_customers:
            notes.append(
                f"Note: the records of {counted(self.unvouched_customers, 'customer')} (name, "
                "address, contact needs, adjustments, circumstances) could not be vouched "
                "for: no entry holds their hash yet (the trail was written by an older "
                "version). The next change to one of their cases adds it.")
        if self.team_unvouched:
            notes.append("Note: the team's people and roles, nominations for a period, "
                         "contacts logged on no case and service areas could not be vouched "
                         "for: no entry holds "
                         "their hashes yet (the trail was written by an older version). The "
                         "next change of any kind adds them.")
        if self.roles_unchecked:
            notes.append(f"Note: the role of {counted(self.roles_unchecked, 'entry', 'entries')} "
                         "could not be held to the roles the trail gave: "
                         f"{'its' if self.roles_unchecked == 1 else 'their'} actor was added "
                         "before the trail recorded people with their role (an older "
                         "version).")
        return "\n".join(notes)

    @property
    def _texts_note(self) -> str:
        texts = self.unvouched_texts
        more = f" and {len(texts) - 10} more" if len(texts) > 10 else ""
        return (f"Note: the stored text of {counted(len(texts), 'issued letter')} "
                f"({', '.join(str(n) for n in texts[:10])}{more}) could not be vouched for: "
                f"{'its' if len(texts) == 1 else 'their'} issuing entry was written by an "
                "older version, which kept no hash of it. `letters show` says so above the "
                "text; no accessible or re-sent copy is made from it; the signed PDF is the "
                "record.")

    @property
    def broken(self) -> str:
        """What is wrong, in one line, naming the entry where there is one to name."""
        at = f" at entry {self.first_bad_seq}" if self.first_bad_seq is not None else ""
        return f"BROKEN{at}: {self.problem}"

    @property
    def letters_note(self) -> str:
        """The issued letters whose file is missing from the letters folder."""
        if not self.missing_letters:
            return ""
        shown = "; ".join(self.missing_letters[:10])
        more = f"; and {len(self.missing_letters) - 10} more" if len(self.missing_letters) > 10 \
            else ""
        return (f"Note: {counted(len(self.missing_letters), 'issued letter')} "
                f"{'has' if len(self.missing_letters) == 1 else 'have'} no file in the letters "
                f"folder: {shown}{more}. `crm-tui letters export --letter N` writes the "
                "register's copy again, checked against its SHA-256.")

    @property
    def clock_note(self) -> str:
        if not self.backwards:
            return ""
        shown = ", ".join(str(n) for n in self.backwards[:10])
        more = f" and {len(self.backwards) - 10} more" if len(self.backwards) > 10 else ""
        one = len(self.backwards) == 1
        return (f"Note: {len(self.backwards)} {'entry is' if one else 'entries are'} dated "
                f"before the entry above {'it' if one else 'them'} (number {shown}{more}): the "
                "clock was set back when they were written.")


def record(actor: Actor, action: str, case_reference: str = "", reason: str = "",
           payload: dict[str, Any] | None = None) -> int:
    """Append one entry. Call inside the service's transaction so that the entry and the
    change it describes land together or not at all."""
    if not database_proxy.in_transaction():
        # Written on its own: still one write transaction, so that a second writer appending
        # at the same moment waits for this one instead of taking the same number (and its
        # case's next action is stored with it, by `atomic`).
        with atomic():
            return _append(actor, action, case_reference, reason, payload)
    return _append(actor, action, case_reference, reason, payload)


class DatedAhead(DomainError):
    """A step refused: the app's clock is ahead of the computer's (`dated_ahead`)."""


def dated_ahead(step: str = "a step is never recorded dated ahead of the computer's clock; "
                              "nothing was recorded") -> str:
    """Why no entry may be written now ('' if one may): every entry is dated by the app's
    clock, and one ahead of the computer's own (CRM_TUI_NOW, a test aid) would date the step
    falsely. Found when tried (b16f F0): the app opened with CRM_TUI_NOW=2033-01-01 ended
    restrictions that ran into 2027 and archived the files, dated 2033; a destruction is
    guarded on its own as well (retention/destruction_clock)."""
    apart = clocks_apart()
    return f"{apart}, and {step}" if apart else ""


# How far the app's clock may run ahead of the computer's before a step is refused: the
# seconds a command takes to start, not hours. Found when tried (v16g G4): compared by the
# day, CRM_TUI_NOW later the same day was recorded, and `audit verify` then blamed the next
# honest entry for a clock set back.
AHEAD_TOLERANCE = timedelta(minutes=2)


def clocks_apart() -> str:
    """The app's clock ahead of the computer's by more than AHEAD_TOLERANCE, said with why
    ('' if it is not): the start of every refusal on the clocks (here, a destruction's in
    retention/destruction_clock, and the app's header while it lasts)."""
    app, computer = clock.now(), clock.computer_now()
    if app <= computer + AHEAD_TOLERANCE:
        return ""
    why = "CRM_TUI_NOW is set" if clock.set_by_environment() else "the app's clock is moved ahead"
    if app.date() != computer.date():
        return (f"the app's clock says {in_prose(app.date())} but the computer's clock says "
                f"{in_prose(computer.date())}: {why}")
    # The same day: the hours are what differ (more than 2 minutes apart).
    return (f"the app's clock says {app:%H:%M} on {in_prose(app.date())} but the computer's "
            f"clock says {computer:%H:%M}, more than {_minutes(AHEAD_TOLERANCE)} earlier: "
            f"{why}")


def _minutes(span: timedelta) -> str:
    return counted(int(span.total_seconds() // 60), "minute")


def _append(actor: Actor, action: str, case_reference: str, reason: str,
            payload: dict[str, Any] | None) -> int:
    ahead = dated_ahead()
    if ahead:
        raise DatedAhead(ahead)
    # Checked now, in the step's own transaction: a person whose access (or role) was ended
    # after they began writes nothing more (grants).
    grants.require_current(actor)
    if case_reference:
        _refuse_if_read_only(action, case_reference)
    head = AuditHead.get_or_none(AuditHead.id == 1)
    seq = (head.seq + 1) if head else 1
    prev = head.entry_hash if head else GENESIS
    payload = dict(payload or {})
    confirmed = confirming.get()
    if confirmed is not None and confirmed[0] == actor.user_id:
        payload["confirmed_with_key"] = confirmed[1]
    payload_text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    fields = ChainFields(
        seq=seq, at=clock.now().isoformat(timespec="seconds"),
        actor_login=actor.login, actor_role=actor.role.value,
        action=action, case_reference=case_reference,
        reason_hash=digest(reason), payload_hash=digest(payload_text))
    hashed = entry_hash(prev, fields)
    AuditEntry.create(seq=seq, at=fields.at, actor_login=fields.actor_login,
                      actor_role=fields.actor_role, action=action,
                      case_reference=case_reference, reason=reason, payload=payload_text,
                      reason_hash=fields.reason_hash, payload_hash=fields.payload_hash,
                      prev_hash=prev, entry_hash=hashed)
    if head:
        AuditHead.update(seq=seq, entry_hash=hashed).where(AuditHead.id == 1).execute()
    else:
        AuditHead.create(id=1, seq=seq, entry_hash=hashed)
    audit_seals.noted(seq)  # its case's records are hashed into it as it commits
    # The screens showing the case are told once this lands (at once, outside a transaction).
    changes.noted(case_reference, action, seq)
    return seq


def _refuse_if_read_only(action: str, case_reference: str) -> None:
    """The backstop for archived files: every change to a case writes an entry here, so a
    change that slipped past its service's own check is refused now, and the caller's
    transaction rolls back with it."""
    state = Case.select(Case.state).where(Case.reference == case_reference).scalar()
    if state is None and Tombstone.select().where(
            Tombstone.case_reference == case_reference).exists():
        state = CaseState.DESTROYED.value
    check_change(case_reference, CaseState(state) if state else None, action)


def refuse_destroyed(references: Iterable[str]) -> None:
    """Refuse an entry naming files (in its payload) of which one was destroyed meanwhile:
    an export read before the destruction must not be recorded after its tombstone."""
    gone = (Tombstone.select(Tombstone.case_reference)
            .where(Tombstone.case_reference.in_(list(references)))
            .order_by(Tombstone.case_reference).scalar())
    if gone:
        raise DestroyedFile(str(gone))


def verify(batch: int = 5000, letters: Path | None = None, *,
           replace_copies: bool = False) -> VerifyResult:
    """Walk the chain in order. Any edited, deleted, inserted or reordered row breaks it; so
    does a record that no longer agrees with the entry that made it (audit_records): an
    entry blanked though its case was never destroyed, a document's or a registered letter's
    hash that is not the one recorded when it was attached or issued. `letters`: the letters
    folder to hold the register's files to (a backup's, before it is restored); else this
    database's own. `replace_copies` (a restore): a letters-folder file that is not the issued
    file, while the register keeps the signed file intact, is listed (`replaceable`) for the
    register's file to take its place, not failed. Refused (PartialSight) to a server login
    that reads one service area's records alone: every other case's would look deleted."""
    if not dialect.is_sqlite() and not server_roles.sees_every_area(database_proxy.obj):
        reads = ("no case" if server_roles.login_role(database_proxy.obj) == "user_admin"
                 else "its own area's alone")
        raise PartialSight(
            "the audit trail vouches for every service area's records, and this login reads "
            f"{reads} (the server's row-level security): the check is made by a login that "
            "reads them all (the Complaints Resolution Team's, the Head of Service's, the "
            "Service Director's, or the database owner's); nothing was checked")
    with _one_moment():
        return _verify(batch, letters, replace_copies)


class PartialSight(DomainError):
    """A check of the whole database asked by a login that does not read all of it."""


def _one_moment() -> AbstractContextManager[Any]:
    """One read transaction for the whole check: it sees the database as it was when it
    began (SQLite's WAL keeps that moment for it), so that a letter issued or a document
    attached by the team while the trail is walked is neither half-seen nor taken for
    tampering, and no writer waits for it."""
    if database_proxy.in_transaction():
        return nullcontext()
    moment: AbstractContextManager[Any] = read_transaction(database_proxy)  # no write lock
    return moment


def _verify(batch: int, letters: Path | None, replace_copies: bool = False) -> VerifyResult:
    # This database's own folders (no `letters` given): its documents' files are counted
    # too. A backup's copy is checked against its own folders by the restore.
    witness = Witness(letters_folder=letters, replace_copies=replace_copies,
                      store=evidence_store().holds if letters is None else None,
                      whole_trail=True)
    prev = GENESIS
    expected_seq = 1
    checked = 0
    last_seq: int | None = None
    last_at = ""
    backwards: list[int] = []
    roles = RoleReplay()
    years = YearsInForce()
    while True:
        query = AuditEntry.select().order_by(AuditEntry.seq).limit(batch)
        if last_seq is not None:
            query = query.where(AuditEntry.seq > last_seq)
        rows = list(query)
        if not rows:
            break
        for row in rows:
            last_seq = row.seq
            # The role each entry was recorded in, held to those the trail gave (audit_roles):
            # checked once the entry is known to be the one written.
            problem = (_check_row(row, prev, expected_seq) or roles.note(row)
                       or years.note(row))
            if problem:
                return VerifyResult(False, checked, row.seq, problem)
            witness.note(row)
            prev = row.entry_hash
            expected_seq += 1
            checked += 1
            if row.at < last_at:  # ISO 8601 text compares in time order
                backwards.append(int(row.seq))
            last_at = max(last_at, row.at)
    head = AuditHead.get_or_none(AuditHead.id == 1)
    head_seq, head_hash = (head.seq, head.entry_hash) if head else (0, GENESIS)
    if head_seq != checked or head_hash != prev:
        return VerifyResult(False, checked, checked + 1 if head_seq > checked else head_seq,
                            f"the trail ends at entry {checked} but its recorded head is "
                            f"entry {head_seq}: entries were removed or added at the end")
    disagreement = witness.problem()
    if disagreement is not None:
        return VerifyResult(False, checked, disagreement[0], disagreement[1])
    held = witness.vouching
    return VerifyResult(True, checked, backwards=tuple(backwards),
                        documents=witness.documents, letters=witness.letters,
                        cases=held.cases, unvouched_cases=held.unvouched_cases,
                        unvouched_records=held.unvouched_records,
                        team_unvouched=held.team_unvouched,
                        unvouched_customers=held.unvouched_customers,
                        missing_letters=tuple(witness.missing_letters),
                        unvouched_texts=tuple(witness.unvouched_texts),
                        replaceable=tuple(witness.replaceable),
                        missing_documents=witness.missing_documents,
                        files_looked_for=letters is None,
                        roles_unchecked=roles.unchecked_entries)


def _check_row(row: AuditEntry, prev: str, expected_seq: int) -> str:
    if row.seq != expected_seq:
        return (f"entry {row.seq} stands where entry {expected_seq} should: entries were "
                "deleted, inserted or reordered")
    if row.prev_hash != prev:
        return f"entry {row.seq} does not follow from the entry before it"
    if not row.erased:
        if digest(row.reason) != row.reason_hash:
            return f"entry {row.seq}: its reason was changed"
        if digest(row.payload) != row.payload_hash:
            return f"entry {row.seq}: its details were changed"
    elif row.reason != ERASED or row.payload != ERASED:
        return f"entry {row.seq}: an erased entry holds text again"
    if entry_hash(prev, chain_fields(row)) != row.entry_hash:
        return f"entry {row.seq} was changed after it was written"
    return ""


def anchor() -> str:
    """The chain's head as `SEQ:HASH`, to be kept outside the database (a council record, an
    email to the Head of Service). Someone able to rewrite the whole database could rebuild a
    consistent chain; they cannot make it pass through an anchor kept elsewhere."""
    head = AuditHead.get_or_none(AuditHead.id == 1)
    return f"{head.seq}:{head.entry_hash}" if head else f"0:{GENESIS}"


def check_anchor(text: str) -> str:
    """'' if the trail still holds the anchored entry with the anchored hash, else why not."""
    try:
        seq, expected = read_anchor(text)
    except ValueError as exc:
        return str(exc)
    if seq == 0:
        return "" if expected == GENESIS else "the empty trail's anchor is all zeros"
    row = AuditEntry.get_or_none(AuditEntry.seq == seq)
    if row is None:
        return f"entry {seq}, anchored earlier, is no longer in the trail"
    if row.entry_hash != expected:
        return (f"entry {seq} is not the entry that was anchored: the trail has been "
                "rewritten since")
    return ""


ANCHOR_PATTERN = re.compile(r"^([0-9]+):([0-9a-f]{64})\b")


def anchor_line() -> str:
    """The head as a line for an anchor file: `SEQ:HASH` and when it was taken."""
    now = clock.now()
    return f"{anchor()}  {in_prose(now)} {now:%H:%M}"


def _anchor_file(path: Path) -> bool:
    """A file `audit anchor --to` keeps: text, every line an anchor (or blank, or #)."""
    if path.stat().st_size > 64 << 20:
        return False
    try:
        anchors_in(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError):
        return False
    return True


def keep_anchor(path: Path) -> str:
    """Add the head's anchor line to the anchor file at `path` (made if new); returns the
    line. Only ever appended to a file that is an anchor file already (a database, a PDF or
    a key is refused), never in the app's own folders."""
    from crm_tui.services.core import places

    places.check_file(path, "an anchor file (one SEQ:HASH a line)", _anchor_file, "to")
    line = anchor_line()
    with path.expanduser().open("a", encoding="utf-8") as kept:
        kept.write(line + "\n")
    return line


def anchors_in(text: str) -> list[str]:
    """The anchors (`SEQ:HASH`) a file kept by `audit anchor --to` holds: one a line,
    anything after it (the date) and lines starting with # ignored. ValueError names a line
    that is neither."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = ANCHOR_PATTERN.match(line)
        if match is None:
            raise ValueError(f"line {number} is not an anchor ({ANCHOR_LOOKS})")
        try:
            read_anchor(match.group(0))
        except ValueError as exc:
            raise ValueError(f"line {number}: {exc}") from None
        found.append(match.group(0))
    return found


def beyond(anchored: str) -> int:
    """How many entries were written after this anchor: they rest on the database alone
    until the next anchor is kept outside it."""
    head = AuditHead.get_or_none(AuditHead.id == 1)
    return max(0, (head.seq if head else 0) - read_anchor(anchored)[0])


def erase_case(case_reference: str) -> int:
    """Blank the reasons and details of a destroyed file's entries; the chain still holds."""
    audit_seals.noted_erasure()
    return int(AuditEntry.update(reason=ERASED, payload=ERASED, erased=True)
               .where(AuditEntry.case_reference == case_reference).execute())


def recent(actor: Actor, limit: int = 100, before_seq: int | None = None,
           case_reference: str | None = None) -> list[AuditRecord]:
    """Newest first, keyset-paged by sequence number: the entries about the cases the actor
    may see. A service area manager sees their own area's cases' entries only, and none
    without a case (user administration, keys); the user administrator sees those without a
    case only, since they read no case."""
    query = AuditEntry.select().order_by(AuditEntry.seq.desc()).limit(limit)
    seen = case_scope(actor)
    if not seen.everything:
        about = AuditEntry.case_reference.in_(scope.references(actor))
        query = query.where(about | (AuditEntry.case_reference == "") if seen.caseless
                            else about)
    if before_seq is not None:
        query = query.where(AuditEntry.seq < before_seq)
    if case_reference:
        query = query.where(AuditEntry.case_reference == case_reference)
    return [AuditRecord(r.seq, r.at, r.actor_login, r.actor_role, r.action,
                        r.case_reference, r.reason, r.erased, _left_by_hand(r),
                        audit_details.details(r.action, r.payload, seen.everything))
            for r in query]


def _left_by_hand(row: AuditEntry) -> tuple[str, ...]:
    if row.action != "destroy" or row.erased:
        return ()
    try:
        paths = json.loads(row.payload).get("left_by_hand", [])
    except (ValueError, AttributeError):
        return ()
    return tuple(str(p) for p in paths) if isinstance(paths, list) else ()
