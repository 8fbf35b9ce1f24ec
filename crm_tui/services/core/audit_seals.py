"""The records a case's restrictions rest on, held to the audit trail by their hashes.

A decision restricts a person's rights; its reason and dates, the case's state and end date,
each restriction's kind, terms and dates, and the log sheet of contacts it rests on must be
as the app wrote them, and so must what the policy makes a restriction rest on (the warning
before restrictions, escalations, breaches, notes, matters, the referral, the post waiting to
be screened, a nomination to decide the appeal). So the last audit entry each transaction
writes about a case holds a hash of those records as the transaction left them (its
payload's "records"), and `audit verify` compares the rows with the latest entry about their
case: a reason edited, a date moved, a restriction widened, a contact rewritten or deleted,
or unread post deleted in the database no longer passes. The hashes are taken when the
transaction is about to commit, so that whatever order a service writes its rows and its
entry in, the entry vouches for what was committed.

Entries written before this (an older database) hold no such hash: their cases are counted
as not vouched for, not as tampered with.

A save never seals over an edit made outside the app: before the new hashes are written, the
case's records as last committed (read through a second connection, db/committed.py) are
checked against the latest committed entry about the case. If they differ, the save is
refused and rolled back (OutsideChange), so `audit verify` goes on naming the edit (found
when tried: a log-sheet import, `expire` or the start-up archive sealed a reworded reason
into the trail, and `audit verify` passed for good after it). The team's housekeeping skips
such a case, saying so (`outside_change`), and goes on with the others.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from peewee import Field, Model

from crm_tui.db import contact_writes, dialect, server_roles
from crm_tui.db.committed import committed_view
from crm_tui.db.models import (
    Appeal,
    AuditEntry,
    AuditHead,
    Breach,
    Case,
    CaseNote,
    Consultation,
    ContactLogEntry,
    Customer,
    Decision,
    Escalation,
    EvidenceItem,
    EvidenceLink,
    Matter,
    Nomination,
    NoPriorWarning,
    PriorWarning,
    Referral,
    Restriction,
    Review,
    ScreeningItem,
    database_proxy,
)
from crm_tui.db.prepared import Prepared
from crm_tui.domain.audit_chain import GENESIS, ChainFields, digest, entry_hash
from crm_tui.domain.errors import DomainError

KEY = "records"
# The seal's "v": version 2 holds every column that carries meaning of the records below;
# version 3 adds the other records the policy makes a restriction rest on (the warning before
# restrictions, escalations, breaches, case notes, matters, referrals, the post waiting to be
# screened, the nominations to decide the case's appeal: v16b X5, S1). An entry of version 2
# is checked on what it held; the next save to its case seals the rest. Version 4 adds the
# case's customer (CUSTOMER below).
VERSION = 4

# Version 1 (entries written before version 2, no "v"): the fields it held, so that the
# entries an older version wrote are still checked as they were sealed.
_CASE_V1 = (Case.state, Case.restrictions_start, Case.restrictions_end, Case.review_due,
            Case.ended_on)
_DECISION_V1 = (Decision.id, Decision.action, Decision.decided_by, Decision.decided_at,
                Decision.reason, Decision.effective_from, Decision.review_due, Decision.ends_on)
_RESTRICTION_V1 = (Restriction.id, Restriction.decision, Restriction.kind,
                   Restriction.parameters, Restriction.status, Restriction.starts_on,
                   Restriction.ends_on)
_CONTACT_V1 = (ContactLogEntry.id, ContactLogEntry.customer, ContactLogEntry.at,
               ContactLogEntry.channel, ContactLogEntry.direction,
               ContactLogEntry.officer_name, ContactLogEntry.duration_minutes,
               ContactLogEntry.summary)

# Version 2: every column of each record, but those in UNSEALED, which the app changes
# without a save that writes an entry about the case (so no entry could vouch for them):
# - Case.next_action, Case.next_action_due: the stored next step, worked out again on
#   opening a database as the day passes (next_step.refresh_letters_owed,
#   refresh_stale), with no entry; it says what to do, not what was decided.
# The columns are named, not read from the models as they stand: a column added later would
# change every version-2 hash, and every older database would fail. A test holds this list
# to the models; a new column goes into a version 3.
UNSEALED: dict[type[Model], frozenset[str]] = {
    Case: frozenset({"next_action", "next_action_due"}),
}
SEALED: dict[type[Model], tuple[str, ...]] = {
    Case: ("id", "reference", "customer", "service_area", "state", "assigned_to", "opened_on",
           "state_changed_at", "no_local_resolution_reason", "restrictions_start",
           "restrictions_end", "review_due", "appeal_due", "reply_by", "ended_on",
           "destroy_after", "received_on", "categories"),
    Decision: ("id", "case", "action", "decided_by", "decided_at", "reason", "effective_from",
               "review_due", "ends_on", "review_period_reason", "review_period_note",
               "consultation", "against_view_reason", "customer_reason"),
    Restriction: ("id", "case", "decision", "kind", "parameters", "reason", "evidence_note",
                  "proportionality", "less_restrictive_considered", "still_reachable",
                  "equality_note", "behaviours", "status", "starts_on", "ends_on",
                  "drafted_by", "drafted_at", "version", "changed_at", "customer_reason"),
    ContactLogEntry: ("id", "customer", "case", "at", "channel", "direction", "service_area",
                      "officer_name", "duration_minutes", "summary", "categories",
                      "recorded_by", "matter", "version"),
    EvidenceItem: ("id", "case", "original_name", "media_type", "size", "sha256",
                   "description", "categories", "added_by", "added_at"),
    EvidenceLink: ("id", "case", "contact", "document", "referral", "restriction",
                   "linked_by", "linked_at"),
    Appeal: ("id", "case", "decision", "received_on", "grounds", "due_on", "recorded_by",
             "outcome", "reason", "decided_by", "decided_at", "lodged_from", "nomination",
             "customer_reason"),
    Review: ("id", "case", "due_on", "started_at", "started_by", "outcome", "reason",
             "reply_by", "decided_by", "decided_at"),
    Consultation: ("id", "case", "subject", "consultee", "view", "view_text", "consulted_on",
                   "recorded_by", "recorded_at", "proposal", "method", "evidence_document"),
    # Version 3.
    PriorWarning: ("id", "case", "given_on", "means", "summary", "local_resolution",
                   "recorded_by", "recorded_at"),
    NoPriorWarning: ("id", "case", "escalation", "reasons", "decided_by", "decided_at"),
    Escalation: ("id", "case", "kind", "occurred_on", "reference", "note", "recorded_by",
                 "recorded_at"),
    Breach: ("id", "contact", "restriction", "case", "reason", "recorded_at"),
    CaseNote: ("id", "case", "kind", "text", "recorded_by", "recorded_at"),
    Matter: ("id", "case", "title", "closed_on", "outcome", "recorded_by", "recorded_at"),
    Referral: ("id", "case", "referred_by", "service_area", "received_on", "behaviour_details",
               "categories", "other_behaviour", "other_departments", "recorded_at"),
    ScreeningItem: ("id", "contact", "case", "arrived_at", "reasons", "advice", "queued_at",
                    "outcome", "note", "matter", "passed_to", "passed_how", "screened_by",
                    "screened_at"),
    Nomination: ("id", "nominee", "nominated_by", "nominated_at", "case", "valid_from",
                 "valid_until", "reason", "revoked_at", "revoked_by", "revoke_reason"),
}


# Version 4: the customer's record, which letters are posted by and the rules read (their
# name, address, contact needs, reasonable adjustments, personal circumstances, the policy's
# "genuine ongoing problems"): edited in the database, it passed `audit verify` and the next
# save wrote the hand-made address into the trail as the officer's (b16e F3). A customer
# belongs to one or more cases, so each case's seal holds its customer's hash, as
# [reference, hash]; the customer is held to the latest seal of any of their cases (another
# case may have changed them since), or of the destruction of one, which holds it as
# "customer_seal" (the destroyed file's own entries are blanked).
CUSTOMER: tuple[str, ...] = (
    "id", "reference", "name", "address", "postcode", "email", "telephone",
    "personal_circumstances", "reasonable_adjustments", "contact_needs",
    "genuine_ongoing_problems", "created_at", "form_of_address", "language", "large_print_pt",
    "version")
CUSTOMER_KEY = "customer"
DESTROYED_KEY = "customer_seal"
# Only a key can hold these words unescaped in a payload's JSON text (team_seal.MARK).
_CUSTOMER_MARK = f'"{CUSTOMER_KEY}": ["'
_DESTROYED_MARK = f'"{DESTROYED_KEY}": ["'


def _columns(model: type[Model]) -> tuple[Field, ...]:
    fields = model._meta.fields
    return tuple(fields[name] for name in SEALED[model])


def customer_seal(customer_id: int | None) -> list[str] | None:
    """The customer's [reference, hash] as their record stands, or None (no customer)."""
    if customer_id is None:
        return None
    row = _CUSTOMER_ROW.first(int(customer_id))
    return None if row is None else [str(row[1]), row_hash(row)]


def customer_latest(customer_id: int) -> tuple[int, list[Any]] | None:
    """The latest entry holding the customer's seal (about any of their cases, or the
    destruction of one), and the seal; None if none does (an older version's trail). On a
    server set up for a team, read by the server's function: a manager's login reads its own
    area's entries alone, and a customer with cases in another area has entries there."""
    if not dialect.is_sqlite():
        found = server_roles.customer_latest_seal(database_proxy.obj, customer_id)
        if found is not server_roles.NOT_SET_UP:
            return None if found is None else (found[0], json.loads(found[1]))
    reference = Customer.select(Customer.reference).where(Customer.id == customer_id).scalar()
    if reference is None:
        return None
    cases = [str(case.reference) for case in Case.select(Case.reference).where(
        Case.customer == customer_id)]
    about = AuditEntry.case_reference.in_(cases) & AuditEntry.payload.contains(_CUSTOMER_MARK)
    destroyed = AuditEntry.payload.contains(f'{_DESTROYED_MARK}{reference}"')
    for row in (AuditEntry.select(AuditEntry.seq, AuditEntry.payload)
                .where(~AuditEntry.erased & (about | destroyed))
                .order_by(AuditEntry.seq.desc()).iterator()):
        try:
            payload = json.loads(row.payload or "{}")
        except ValueError:
            continue
        if not isinstance(payload, dict):
            continue
        records = payload.get(KEY)
        held = records.get(CUSTOMER_KEY) if isinstance(records, dict) else None
        held = held if held is not None else payload.get(DESTROYED_KEY)
        if isinstance(held, list) and len(held) == 2 and held[0] == reference:
            return int(row.seq), held
    return None


def _held(payload_text: str) -> list[Any] | None:
    """The customer's seal an entry's payload holds, as customer_latest reads it: the one
    sealed with a case's records, else the one a destruction kept."""
    try:
        payload = json.loads(payload_text or "{}")
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    records = payload.get(KEY)
    held = records.get(CUSTOMER_KEY) if isinstance(records, dict) else None
    held = held if held is not None else payload.get(DESTROYED_KEY)
    return held if isinstance(held, list) and len(held) == 2 else None


class CustomerSeals:
    """Every customer's latest seal, gathered in one walk of the trail in order (`audit
    verify`), as customer_latest finds it for one customer: the latest entry, not erased,
    about one of their cases and holding a customer's seal, or holding the seal a
    destruction kept of them, whose seal is theirs. customer_latest asked of each customer
    scanned the trail once a customer (some 50 s for 2,000 customers on a server)."""

    # The marks matched as the query's LIKE matches them (ASCII case aside).
    _ABOUT = _CUSTOMER_MARK.lower()
    _DESTROYED = _DESTROYED_MARK.lower()

    def __init__(self) -> None:
        # (case, customer reference) -> the latest entry about that case holding their seal
        self.about: dict[tuple[str, str], tuple[int, list[Any]]] = {}
        # customer reference -> the latest entry holding the seal a destruction kept of them
        self.destroyed: dict[str, tuple[int, list[Any]]] = {}

    def note(self, seq: int, case_reference: str, payload_text: str) -> None:
        """An entry not erased, in the trail's order."""
        lowered = (payload_text or "").lower()
        about = bool(case_reference) and self._ABOUT in lowered
        if not about and self._DESTROYED not in lowered:
            return
        held = _held(payload_text)
        if held is None or not isinstance(held[0], str):
            return
        reference = held[0]
        if about:
            self.about[(case_reference, reference)] = (seq, held)
        if f'{self._DESTROYED}{reference.lower()}"' in lowered:
            self.destroyed[reference] = (seq, held)

    def every(self) -> dict[int, tuple[int, list[Any]] | None]:
        """Each customer's latest seal (None: no entry holds it), once the walk is done."""
        cases: dict[int, list[str]] = {}
        for reference, customer_id in (Case.select(Case.reference, Case.customer)
                                       .tuples().iterator()):
            if customer_id is not None:
                cases.setdefault(int(customer_id), []).append(str(reference))
        found: dict[int, tuple[int, list[Any]] | None] = {}
        for customer_id, reference in Customer.select(Customer.id, Customer.reference
                                                      ).tuples().iterator():
            held = [self.about.get((case, reference)) for case in cases.get(customer_id, ())]
            held.append(self.destroyed.get(reference))
            found[int(customer_id)] = max((h for h in held if h is not None),
                                          key=lambda h: h[0], default=None)
        return found


def customer_disagreement(customer_id: int | None) -> str:
    """'' if the customer's record is as the latest entry holding their seal left it (or
    none holds it yet), else what differs, naming the customer and the entry."""
    if customer_id is None:
        return ""
    return customer_differs(customer_id, customer_latest(customer_id))


def customer_differs(customer_id: int, found: tuple[int, list[Any]] | None) -> str:
    """As `customer_disagreement`, against `found`: the customer's latest seal as
    `customer_latest` read it. `audit verify` reads it once a customer and asks this of each
    of their cases and of the customer (it read it up to three times a customer)."""
    if found is None:
        return ""
    seq, held = found
    now = customer_seal(customer_id)
    if now is None or now == held:
        return ""
    return (f"customer {now[0]} is not as entry {seq} left it (their name, address, contact "
            "needs, adjustments, circumstances or other details): it was changed outside "
            "the app")


def contact_columns() -> tuple[Field, ...]:
    """A contact's sealed columns (team_seal holds those on no case the same way)."""
    return _columns(ContactLogEntry)


# The records of a case held one by one (named by number when one differs or is gone), as
# (payload key, the name used in a message, the model).
_KEPT_V2: tuple[tuple[str, str, type[Model]], ...] = (
    ("decisions", "decision", Decision),
    ("restrictions", "restriction", Restriction),
    ("documents", "document", EvidenceItem),
    ("appeals", "appeal", Appeal),
    ("reviews", "review", Review),
    ("consultations", "consultation", Consultation),
)
_KEPT: tuple[tuple[str, str, type[Model]], ...] = (
    *_KEPT_V2,
    ("warnings", "prior warning", PriorWarning),
    ("no_warnings", "decision to restrict without a prior warning", NoPriorWarning),
    ("escalations", "escalation", Escalation),
    ("notes", "case note", CaseNote),
    ("matters", "matter", Matter),
    ("referrals", "referral", Referral),
    ("screening", "item of post to screen", ScreeningItem),
    ("nominations", "nomination", Nomination),
)

_local = threading.local()


def row_hash(values: Iterable[Any]) -> str:
    return digest(json.dumps(list(values), ensure_ascii=False, default=str))


def _rows(query: Any) -> list[tuple[Any, ...]]:
    return list(query.tuples())


def sheet(query: Any) -> list[Any]:
    """Many rows as one hash over them in id order, with their count: a row edited, added
    or deleted changes it."""
    return _sheet_of(query.tuples().iterator())


def _sheet_of(rows: Iterable[tuple[Any, ...]]) -> list[Any]:
    return sheet_of_hashes(row_hash(row) for row in rows)


def sheet_of_hashes(hashes: Iterable[str]) -> list[Any]:
    found = hashlib.sha256()
    count = 0
    for hashed in hashes:
        found.update(hashed.encode("ascii"))
        count += 1
    return [count, found.hexdigest()]


def _case_rows(model: type[Model], fields: tuple[Field, ...]) -> Prepared:
    """A case's rows of `model` in id order, their id first: written once (db/prepared.py),
    since a seal reads them for each case of each save."""
    key = model._meta.primary_key
    return Prepared(lambda case_id: model.select(key, *fields).where(
        model._meta.fields["case"] == case_id).order_by(key))


def _case_sheet(model: type[Model]) -> Prepared:
    return Prepared(lambda case_id: model.select(*_columns(model)).where(
        model._meta.fields["case"] == case_id).order_by(model._meta.primary_key))


_CUSTOMER_ROW = Prepared(lambda customer_id: Customer.select(
    *(Customer._meta.fields[name] for name in CUSTOMER)).where(
    Customer.id == customer_id).limit(1))
_CASE_ROW = Prepared(lambda case_id: Case.select(*_columns(Case)).where(
    Case.id == case_id).limit(1))
_CASE_CUSTOMER = Prepared(lambda case_id: Case.select(Case.customer).where(
    Case.id == case_id).limit(1))
_EACH = {model: _case_rows(model, _columns(model)) for _key, _name, model in _KEPT}
_CONTACTS = _case_sheet(ContactLogEntry)
_LINKS = _case_sheet(EvidenceLink)
_BREACHES = _case_sheet(Breach)
_LATEST_ABOUT = Prepared(lambda reference: latest_about(reference).limit(1), kind=str)


# Each row's hash by the row as SQLite gave it: a case is sealed twice a save (as committed,
# and as the save leaves it) and again at every save, mostly over the same rows; a row read
# the same as before hashes the same, so its hash is not worked out again. Every row is
# still read each time: a row changed, added or deleted is seen as before. The rows remembered
# are those of the selects below (by the select), at most _REMEMBERED of them.
_hashed: dict[tuple[Prepared, bool, tuple[Any, ...]], tuple[str, str]] = {}
_REMEMBERED = 100_000


def hashed_rows(select: Prepared, value: Any = None, *,
                by_id: bool) -> Iterator[tuple[str, str]]:
    """For each row the select reads for `value`: `by_id`, its id (the first column) and
    the hash of the rest; else '' and the hash of the whole row (a sheet's)."""
    found, read = select.raw(value)
    for row in found:
        key = (select, by_id, row)
        known = _hashed.get(key)
        if known is None:
            values = read(row)
            known = (str(values[0]), row_hash(values[1:])) if by_id \
                else ("", row_hash(values))
            if len(_hashed) >= _REMEMBERED:
                _hashed.clear()
            _hashed[key] = known
        yield known


def _each(model: type[Model], case_id: int) -> dict[str, str]:
    return dict(hashed_rows(_EACH[model], case_id, by_id=True))


def sheet_of(select: Prepared, value: Any = None) -> list[Any]:
    """`sheet` of the rows the select reads for `value`."""
    return sheet_of_hashes(known for _id, known in hashed_rows(select, value, by_id=False))


def case_customer(case_id: int) -> int | None:
    """The id of the case's customer (None: no customer, or no such case)."""
    row = _CASE_CUSTOMER.first(int(case_id))
    return None if row is None or row[0] is None else int(row[0])


def seal(case_id: int, version: int = VERSION) -> dict[str, Any] | None:
    """The hashes of the case's vouched records as they stand, or None if it has no row.
    `version`: as an entry of that version held them (1: an older entry, without "v")."""
    if version < 2:
        return _seal_v1(case_id)
    case_id = int(case_id)
    case = _CASE_ROW.first(case_id)
    if case is None:
        return None
    found: dict[str, Any] = {"v": min(version, VERSION), "case": row_hash(case)}
    if version >= 4:
        found[CUSTOMER_KEY] = customer_seal(case[SEALED[Case].index("customer")])
    for key, _name, model in (_KEPT if version >= 3 else _KEPT_V2):
        found[key] = _each(model, case_id)
    found["contacts"] = sheet_of(_CONTACTS, case_id)
    found["links"] = sheet_of(_LINKS, case_id)
    if version >= 3:
        # Many to a case (one or more for each contact that broke a restriction, written
        # again whenever its contact is checked again): one hash over them, as the log sheet.
        found["breaches"] = sheet_of(_BREACHES, case_id)
    return found


def _seal_v1(case_id: int) -> dict[str, Any] | None:
    case = Case.select(*_CASE_V1).where(Case.id == case_id).tuples().first()
    if case is None:
        return None
    decisions = {str(row[0]): row_hash(row[1:]) for row in _rows(Decision.select(
        *_DECISION_V1).where(Decision.case == case_id).order_by(Decision.id))}
    restrictions = {str(row[0]): row_hash(row[1:]) for row in _rows(Restriction.select(
        *_RESTRICTION_V1).where(Restriction.case == case_id).order_by(Restriction.id))}
    contacts = sheet(ContactLogEntry.select(*_CONTACT_V1).where(
        ContactLogEntry.case == case_id).order_by(ContactLogEntry.id))
    return {"case": row_hash(case), "decisions": decisions, "restrictions": restrictions,
            "contacts": contacts}


def noted(seq: int) -> None:
    """An entry was written in the current transaction (audit._append)."""
    first: int | None = getattr(_local, "first", None)
    _local.first = seq if first is None else min(first, seq)


def noted_erasure() -> None:
    """Entries were blanked in the current transaction (a file destroyed): one of them may
    have held the team's seal, which the transaction's own seal is then worked out from as
    it was last committed (team_seal.store)."""
    _local.erased = True


def erased_here() -> bool:
    return bool(getattr(_local, "erased", False))


def forget() -> None:
    """The transaction began, or ended (committed or rolled back)."""
    _local.first = None
    _local.erased = False
    contact_writes.forget()


def store() -> None:
    """Just before the outermost transaction commits: the last entry it wrote about each case
    takes the hashes of that case's records as they now stand, and the entries from the
    first one it wrote are chained again (nobody else has seen them: they are uncommitted,
    and the transaction holds the write lock)."""
    first: int | None = getattr(_local, "first", None)
    _local.first = None
    if first is None:
        forget()
        return
    rows = list(AuditEntry.select().where(AuditEntry.seq >= first).order_by(AuditEntry.seq))
    # Imported here: team_seal builds on this module (its hashes, its refusal).
    from crm_tui.services.core import team_seal

    team = team_seal.store(rows)  # the entry whose payload now holds the team's seal, if any
    last: dict[str, int] = {}
    for row in rows:
        if row.case_reference and not row.erased:
            last[row.case_reference] = int(row.seq)
    ids: dict[str, int] = {str(ref): int(case_id) for ref, case_id in _rows(Case.select(
        Case.reference, Case.id).where(Case.reference.in_(list(last))))} if last else {}
    sealing = {seq: ids[ref] for ref, seq in last.items() if ref in ids}
    if not sealing and team is None:
        return
    _refuse_outside_changes(sorted(ref for ref in last if ref in ids), ids)
    start = min([*sealing, *([team] if team is not None else [])])
    before = AuditEntry.select(AuditEntry.entry_hash).where(AuditEntry.seq == first - 1).scalar()
    if before is None and first > 1 and rows[0].seq == first and not dialect.is_sqlite():
        # Not read (on a server, a manager's login does not read an entry about another
        # area's case): the first entry written here follows it, as the head had it then.
        before = rows[0].prev_hash
    prev = before or GENESIS
    for row in rows:
        if int(row.seq) < start:
            prev = row.entry_hash
            continue
        if int(row.seq) in sealing:
            payload = json.loads(row.payload or "{}")
            payload[KEY] = seal(sealing[int(row.seq)])
            row.payload = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
        row.payload_hash = digest(row.payload)
        row.prev_hash = prev
        row.entry_hash = entry_hash(prev, ChainFields(
            row.seq, row.at, row.actor_login, row.actor_role, row.action,
            row.case_reference, row.reason_hash, row.payload_hash))
        AuditEntry.update(payload=row.payload, payload_hash=row.payload_hash,
                          prev_hash=row.prev_hash, entry_hash=row.entry_hash).where(
            AuditEntry.seq == row.seq).execute()
        prev = row.entry_hash
    AuditHead.update(entry_hash=prev).where(AuditHead.id == 1).execute()


def _refuse_outside_changes(references: list[str], ids: dict[str, int]) -> None:
    """Raise OutsideChange for the first of these cases whose records, or whose customer's,
    as last committed, are not as the latest committed entry left them: `outside_change`
    then `customer_outside_change` of each, read through one committed view for the whole
    save rather than two for each case, and a customer the case's own check found as left
    not read again (found when tried: the demo's build spent most of its time here)."""
    # The customer as this transaction has the case (a new case's too), read before the view.
    customers = {ref: case_customer(ids[ref]) for ref in references}
    with committed_view(database_proxy.obj) as viewing:
        if not viewing:
            return
        as_left_customers: set[int] = set()
        for ref in references:
            customer = customers[ref]
            found = _as_left(ref, ids[ref], as_left_customers) or (
                "" if customer in as_left_customers else customer_disagreement(customer))
            if found:
                raise OutsideChange(ref, found)
            if customer is not None:
                as_left_customers.add(customer)


class OutsideChange(DomainError):
    """A save would seal a case whose records were changed outside the app since its latest
    entry: refused, nothing written. `reference`: the case; `found`: what differs."""

    def __init__(self, reference: str, found: str) -> None:
        super().__init__(refusal(reference, found))
        self.reference = reference
        self.found = found


AUDIT_VERIFY = "crm-tui audit verify"


def refusal(reference: str, found: str) -> str:
    """Why a save to `reference` was refused: what `audit verify` will name, and what to do."""
    return (f"Nothing was saved to {reference}: {found}. The app does not save over a change "
            "made outside it, so that the audit trail goes on showing it: run "
            f"`{AUDIT_VERIFY}` and have the change looked into.")


def skipped(reference: str, found: str) -> str:
    """Why the team's housekeeping left `reference` alone."""
    return f"{reference} was skipped: {left_alone(found)}"


def left_alone(found: str) -> str:
    """What the housekeeping says of a file it skipped, after naming it."""
    return f"{found}; left as it is, run `{AUDIT_VERIFY}`"


def outside_change(reference: str, case_id: int) -> str:
    """'' if the case's records, as last committed, are as the latest committed entry about
    the case sealed them (or it holds no seal, or there is no committed view to read: a
    database in memory); else what differs, as `audit verify` names it. Called inside the
    write transaction, before anything of the case is sealed."""
    with committed_view(database_proxy.obj) as viewing:
        return as_left(reference, case_id) if viewing else ""


def latest_about(reference: str) -> Any:
    """The entries about the case, not erased, latest first: read through the index of a
    case's entries in their order (schema 23), not by sorting them all each step."""
    return (AuditEntry.select(AuditEntry.seq, AuditEntry.payload)
            .where((AuditEntry.case_reference == reference) & ~AuditEntry.erased)
            .order_by(AuditEntry.seq.desc()))


def customer_outside_change(customer_id: int | None) -> str:
    """'' if the customer's record, as last committed, is as the latest committed entry
    holding their seal left it; else what differs. Asked of every case a save seals, a new
    one too (a new case for a customer edited in the database has no entry of its own yet:
    sealed, it would vouch for the edit)."""
    if customer_id is None:
        return ""
    with committed_view(database_proxy.obj) as viewing:
        return customer_disagreement(customer_id) if viewing else ""


def as_left(reference: str, case_id: int) -> str:
    """'' if the case's records, as this connection reads them, are as the latest entry about
    the case sealed them (or it holds no seal); else what differs. A dry run asks it of a file
    it would archive or destroy: the real run skips a file changed outside the app."""
    return _as_left(reference, case_id, set())


def _as_left(reference: str, case_id: int, as_left_customers: set[int]) -> str:
    """as_left; the customer it found as left, if it got as far as checking them, is added
    to `as_left_customers`."""
    row = _LATEST_ABOUT.first(str(reference))  # latest_about(reference), its first
    if row is None:
        return ""
    seq, text = row
    try:
        payload = json.loads(text or "{}")
    except ValueError:
        return ""  # a broken entry: `audit verify` names it, not this check
    kept = latest_seal(payload) if isinstance(payload, dict) else None
    if kept is None:
        return ""
    return disagreement(reference, case_id, int(seq), kept,
                        as_left_customers=as_left_customers)


@dataclass
class Vouching:
    """What the check of the records found: the cases held to their entries, the records of
    cases no entry holds hashes for (written before the trail kept them)."""

    cases: int = 0
    unvouched_cases: int = 0
    unvouched_records: int = 0
    team_unvouched: bool = False  # no entry holds the seal of the team's records (team_seal)
    unvouched_customers: int = 0  # customers no entry holds the hash of (CUSTOMER)


def latest_seal(payload: dict[str, Any]) -> dict[str, Any] | None:
    found = payload.get(KEY)
    return found if isinstance(found, dict) else None


def disagreement(reference: str, case_id: int, seq: int, kept: dict[str, Any],
                 customer: Callable[[int | None], str] = customer_disagreement,
                 as_left_customers: set[int] | None = None) -> str:
    """'' if the case's records are as entry `seq` left them, else what differs, naming the
    record and the entry. `customer`: what differs of the case's customer (`audit verify`
    gives one that reads each customer's latest seal once a run). The case's customer, found
    as left, is added to `as_left_customers` (if given)."""
    version = kept.get("v")
    now = seal(case_id, version if isinstance(version, int) else 1)
    if now is None:
        return ""
    left = f"as entry {seq} left it"
    changed = "it was changed outside the app"
    # The customer is held to the latest seal of any of their cases, whatever this entry's
    # version: another case may have changed them since.
    customer_id = case_customer(case_id)
    differs = customer(customer_id)
    if differs:
        return differs
    if as_left_customers is not None and customer_id is not None:
        as_left_customers.add(customer_id)
    if now["case"] != kept.get("case"):
        return (f"the record of {reference} (its state, dates or details) is not {left}: "
                f"{changed}")
    for what, name, _model in _KEPT:
        if what not in now:
            continue
        held = kept.get(what)
        was: dict[str, Any] = held if isinstance(held, dict) else {}
        for key, value in now[what].items():
            if key not in was:
                return (f"{name} {key} of {reference} is not one entry {seq} recorded: it was "
                        "added outside the app")
            if was[key] != value:
                return f"{name} {key} of {reference} is not {left}: {changed}"
        for key in was:
            if key not in now[what]:
                return f"{name} {key} of {reference}, {left}, is gone: it was deleted"
    return _sheet_changed(reference, left, now, kept)


# The records a seal holds as one sheet (a count and one hash over them), each as a check
# names it: the seal's key, the records of the case, "is"/"are", the word after the count
# the entry had (if any), what was changed.
_SHEETS = (("contacts", "the log sheet of {}", "is", " contacts", "contacts"),
           ("links", "the evidence links of {}", "are", "", "links"),
           ("breaches", "the breaches recorded on {}", "are", "", "breaches"))


def _sheet_changed(reference: str, left: str, now: dict[str, Any],
                   kept: dict[str, Any]) -> str:
    """'' if each sheet the case's seal holds now is as the entry kept it, else what differs,
    with the count the entry had and the count now (one wording for every sheet)."""
    for key, whose, verb, unit, what in _SHEETS:
        if key not in now or now[key] == kept.get(key):
            continue
        held = kept.get(key)
        had = held[0] if isinstance(held, list) and held else "?"
        return (f"{whose.format(reference)} {verb} not {left} (it had {had}{unit}, it has "
                f"{now[key][0]} now): {what} were changed, added or deleted outside the app")
    return ""


def records_of(case_id: int) -> int:
    """How many vouched records a case has (for the count of those not vouched for)."""
    return (1 + Decision.select().where(Decision.case == case_id).count()
            + Restriction.select().where(Restriction.case == case_id).count()
            + ContactLogEntry.select().where(ContactLogEntry.case == case_id).count())
