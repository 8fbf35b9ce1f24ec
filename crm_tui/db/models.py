"""Peewee models: one table per thing the policy names.

Models are bound to `database_proxy`, which the factory in `connection.py` points at a
real database; nothing is opened at import time.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from peewee import (
    SQL,
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    ColumnBase,
    DatabaseProxy,
    DateField,
    DateTimeField,
    Expression,
    ForeignKeyField,
    IntegerField,
    Model,
    SqliteDatabase,
    TextField,
)

from crm_tui.db.contact_writes import NotedDelete, NotedInsert, NotedUpdate

database_proxy = DatabaseProxy()


class EngineChoice(ColumnBase):
    """One of two expressions, chosen by the engine of the database bound when the query's
    SQL is written (not when it is built): SQLite's or PostgreSQL's (db.dialect)."""

    def __init__(self, on_sqlite: Any, on_postgres: Any) -> None:
        super().__init__()
        self.on_sqlite = on_sqlite
        self.on_postgres = on_postgres

    def __sql__(self, ctx: Any) -> Any:
        sqlite = isinstance(database_proxy.obj, SqliteDatabase)
        return ctx.sql(self.on_sqlite if sqlite else self.on_postgres)


class BaseModel(Model):
    id = AutoField()  # peewee's default key, spelled out so the type checker sees it

    class Meta:
        database = database_proxy
        legacy_table_names = False


class ServiceArea(BaseModel):
    name = CharField(unique=True)


_people = threading.local()


@contextmanager
def people_read_once() -> Iterator[None]:
    """While the block runs, this thread's people asked for by id (a record's `recorded_by`,
    `decided_by`, `User.get_by_id`) are read once, all of them in one query, and found
    there after: a read that names the people of twenty records (a case file's timeline)
    asks one query, not twenty. For reads that change no one: the records found are shared
    by everything the block reads."""
    if getattr(_people, "read", None) is not None:
        yield  # inside such a block already
        return
    _people.read = {}
    _people.shared = {}
    try:
        yield
    finally:
        _people.read = None
        _people.shared = None


def read_once(key: str, read: Callable[[], Any]) -> Any:
    """Inside `people_read_once`: `read()` done the first time `key` is asked for and its
    result given again after (the service areas' names shown, read for the contacts, the
    timeline and the summary of one case file: three times, two statements each); outside
    it, `read()` every time."""
    shared: dict[str, Any] | None = getattr(_people, "shared", None)
    if shared is None:
        return read()
    if key not in shared:
        shared[key] = read()
    return shared[key]


class User(BaseModel):
    """A person: one record, one login, one staff identifier, bound to the operating-system
    account they work under. Their role changes by an audited step (RoleGrant keeps the
    history); a second record for the same person is refused by the staff identifier."""

    @classmethod
    def get(cls, *query: Any, **filters: Any) -> Any:
        read: dict[int, User] | None = getattr(_people, "read", None)
        asked = query[0] if len(query) == 1 and not filters else None
        if (read is not None and isinstance(asked, Expression) and asked.lhs is cls.id
                and asked.op == "=" and isinstance(asked.rhs, int)):
            if not read:
                read.update((person.id, person) for person in cls.select())
            found = read.get(asked.rhs)
            if found is not None:
                return found
        return super().get(*query, **filters)

    service_area_id: int | None
    login = CharField(unique=True)
    name = CharField()
    title = CharField(default="")
    role = CharField(index=True)
    service_area = ForeignKeyField(ServiceArea, null=True, backref="managers")
    active = BooleanField(default=True)
    staff_id = CharField(unique=True)  # employee number or work email
    os_account = CharField(null=True, unique=True)
    # Direct line and email: a letter naming this person as the customer's contact gives them.
    telephone = CharField(default="")
    email = CharField(default="")


class RoleGrant(BaseModel):
    """Each role a person has held, from when to when, and who granted it and why."""

    user_id: int
    granted_by_id: int | None
    user = ForeignKeyField(User, backref="grants")
    role = CharField()
    service_area = ForeignKeyField(ServiceArea, null=True)
    granted_at = DateTimeField()
    granted_by = ForeignKeyField(User, null=True)
    ended_at = DateTimeField(null=True)
    reason = TextField(default="")


class Customer(BaseModel):
    reference = CharField(unique=True)
    name = CharField()
    address = TextField(default="")  # lines separated by newlines; letters are posted
    postcode = CharField(default="")
    email = CharField(default="")
    telephone = CharField(default="")
    personal_circumstances = TextField(default="")
    reasonable_adjustments = TextField(default="")
    contact_needs = CharField(default="")  # domain.equality.ContactNeed names, comma-separated
    genuine_ongoing_problems = BooleanField(default=False)
    created_at = DateTimeField(default=dt.datetime.now)
    # How the customer wishes to be addressed ("Mr Penhaligon"); empty: from the name.
    form_of_address = CharField(default="")
    # The language an interpreter or translation is offered in; empty: none recorded.
    language = CharField(default="")
    # The print size the customer needs, in points; None: the standard size.
    large_print_pt = IntegerField(null=True)
    # Raised by every change to the customer's details: a save from a view of an earlier
    # version is refused (services.core.stale).
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])


class Case(BaseModel):
    # Peewee adds the foreign keys' raw ids at run time; declared for the type checker.
    customer_id: int | None
    service_area_id: int
    assigned_to_id: int | None
    reference = CharField(unique=True)
    customer = ForeignKeyField(Customer, backref="cases", null=True)
    service_area = ForeignKeyField(ServiceArea, backref="cases")
    state = CharField(index=True)
    assigned_to = ForeignKeyField(User, null=True, backref="assigned_cases")
    opened_on = DateField()
    state_changed_at = DateTimeField()
    no_local_resolution_reason = TextField(default="")
    restrictions_start = DateField(null=True)
    restrictions_end = DateField(null=True, index=True)
    review_due = DateField(null=True, index=True)
    appeal_due = DateField(null=True, index=True)
    reply_by = DateField(null=True, index=True)
    ended_on = DateField(null=True, index=True)
    destroy_after = DateField(null=True, index=True)
    next_action = CharField(default="")
    next_action_due = DateField(null=True, index=True)
    # Copied from the latest referral so that the inbox sorts and filters without a join.
    received_on = DateField(null=True, index=True)
    categories = IntegerField(default=0)


class LocalResolution(BaseModel):
    case = ForeignKeyField(Case, backref="local_resolutions", on_delete="CASCADE")
    written_on = DateField()
    written_summary = TextField()
    spoc_name = CharField(default="")
    contact_frequency = CharField(default="")  # weekly / fortnightly / ""
    communication_style = TextField(default="")
    monitoring_start = DateField()
    monitoring_end = DateField()
    recorded_by = ForeignKeyField(User)
    recorded_at = DateTimeField()
    # The single point of contact as a person whose direct details the letter gives.
    spoc = ForeignKeyField(User, null=True)
    # The concerns as the customer is told them (second person); written_summary stays internal.
    customer_summary = TextField(default="")


class Referral(BaseModel):
    service_area_id: int  # added by Peewee at run time; declared for the type checker
    case = ForeignKeyField(Case, backref="referrals", on_delete="CASCADE")
    referred_by = ForeignKeyField(User)
    service_area = ForeignKeyField(ServiceArea)
    received_on = DateField()
    behaviour_details = TextField()
    categories = IntegerField(default=0)
    other_behaviour = TextField(default="")  # what "Other" is, when it is ticked
    other_departments = TextField(default="")
    recorded_at = DateTimeField()


class Matter(BaseModel):
    """An issue the customer has raised. Once it is dealt with (closed), further contacts about
    it are repeats; a restriction may say that closed matters will not be acknowledged."""

    case = ForeignKeyField(Case, backref="matters", on_delete="CASCADE")
    title = CharField()
    closed_on = DateField(null=True)
    outcome = TextField(default="")
    recorded_by = ForeignKeyField(User)
    recorded_at = DateTimeField()


class ContactLogEntry(BaseModel):
    service_area_id: int
    customer_id: int
    case_id: int | None
    matter_id: int | None
    customer = ForeignKeyField(Customer, backref="contacts", on_delete="CASCADE")
    case = ForeignKeyField(Case, null=True, backref="contacts", on_delete="CASCADE")
    at = DateTimeField(index=True)
    channel = CharField()
    direction = CharField()
    service_area = ForeignKeyField(ServiceArea)
    officer_name = CharField(default="")
    duration_minutes = IntegerField(default=0)
    summary = TextField(default="")
    categories = IntegerField(default=0)
    recorded_by = ForeignKeyField(User, null=True)
    matter = ForeignKeyField(Matter, null=True, backref="contacts", on_delete="SET NULL")
    # Raised by each correction (services.core.stale).
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])

    class Meta:
        indexes = (
            (("customer", "at"), False),
            (("service_area", "at"), False),
        )

    # Each write notes the contacts it touches (db/contact_writes.py): the team's seal of
    # contacts on no case is brought up to date from them, not from every contact again.
    @classmethod
    def update(cls, __data: Any = None, **update: Any) -> Any:
        return NotedUpdate(cls, cls._normalize_data(__data, update))  # type: ignore[attr-defined]

    @classmethod
    def insert(cls, __data: Any = None, **insert: Any) -> Any:
        return NotedInsert(cls, cls._normalize_data(__data, insert))  # type: ignore[attr-defined]

    @classmethod
    def insert_many(cls, rows: Any, fields: Any = None) -> Any:
        return NotedInsert(cls, insert=rows, columns=fields)

    @classmethod
    def insert_from(cls, query: Any, fields: Any) -> Any:
        columns = [getattr(cls, field) if isinstance(field, str) else field for field in fields]
        return NotedInsert(cls, insert=query, columns=columns)

    @classmethod
    def delete(cls) -> Any:
        return NotedDelete(cls)


class EvidenceItem(BaseModel):
    case = ForeignKeyField(Case, backref="evidence", on_delete="CASCADE")
    original_name = CharField()
    media_type = CharField(default="application/octet-stream")
    size = IntegerField(default=0)
    sha256 = CharField(index=True)
    description = TextField(default="")
    categories = IntegerField(default=0)
    added_by = ForeignKeyField(User)
    added_at = DateTimeField()


class Consultation(BaseModel):
    consultee_id: int
    recorded_by_id: int
    evidence_document_id: int | None
    case = ForeignKeyField(Case, backref="consultations", on_delete="CASCADE")
    subject = CharField()
    consultee = ForeignKeyField(User, backref="consultations_given")
    view = CharField()
    view_text = TextField()
    consulted_on = DateField()
    recorded_by = ForeignKeyField(User)
    recorded_at = DateTimeField()
    # What the view is about: the drafts (ids, versions, terms) and proposed end, as JSON
    # (domain.proposal.Proposal); a decision rests on it only while the drafts are unchanged.
    proposal = TextField(default="")
    method = CharField(default="")  # domain.outcomes.ConsultationMethod
    evidence_document = ForeignKeyField(EvidenceItem, null=True, on_delete="SET NULL")


class Decision(BaseModel):
    decided_by_id: int
    consultation_id: int | None
    case = ForeignKeyField(Case, backref="decisions", on_delete="CASCADE")
    action = CharField()
    decided_by = ForeignKeyField(User, backref="decisions")
    decided_at = DateTimeField()
    reason = TextField()
    effective_from = DateField(null=True)
    review_due = DateField(null=True)
    ends_on = DateField(null=True)
    review_period_reason = CharField(default="")
    review_period_note = TextField(default="")
    # The Head of Service's view the decision went on, and, where that view was "does not
    # agree", the CRM's written reasons for going ahead.
    consultation = ForeignKeyField(Consultation, null=True, on_delete="SET NULL")
    against_view_reason = TextField(default="")
    # Why, as the customer is told it (second person, plain English); `reason` is the record.
    customer_reason = TextField(default="")


class Restriction(BaseModel):
    case = ForeignKeyField(Case, backref="restrictions", on_delete="CASCADE")
    decision = ForeignKeyField(Decision, null=True, backref="restrictions")
    kind = CharField()
    parameters = TextField()  # JSON, validated by domain.restrictions
    reason = TextField()
    evidence_note = TextField(default="")
    proportionality = TextField()
    less_restrictive_considered = TextField(default="")
    still_reachable = TextField(default="")
    equality_note = TextField(default="")  # why it stands despite a clash with a contact need
    behaviours = IntegerField(default=0)  # the policy's behaviours it answers (category bits)
    status = CharField(index=True)  # draft, in_force, ended
    starts_on = DateField(null=True)
    ends_on = DateField(null=True)
    drafted_by = ForeignKeyField(User)
    drafted_at = DateTimeField()
    # Goes up on every change to the draft or the evidence under it: a decision confirms the
    # versions its maker read, a view and an invitation the versions they were given.
    version = IntegerField(default=1)
    # When it last changed (set out, edited, its evidence changed): a view on it is dated after.
    changed_at = DateTimeField(null=True)
    # Why this restriction, as the customer is told it; `reason` is the internal record.
    customer_reason = TextField(default="")


class EvidenceLink(BaseModel):
    """Ties a log-sheet entry or a document to what rests on it: the referral it supports, or a
    restriction that answers the behaviour it shows."""

    contact_id: int | None
    document_id: int | None
    referral_id: int | None
    restriction_id: int | None
    case = ForeignKeyField(Case, backref="evidence_links", on_delete="CASCADE")
    contact = ForeignKeyField(ContactLogEntry, null=True, on_delete="CASCADE")
    document = ForeignKeyField(EvidenceItem, null=True, on_delete="CASCADE")
    referral = ForeignKeyField(Referral, null=True, on_delete="CASCADE")
    restriction = ForeignKeyField(Restriction, null=True, on_delete="CASCADE")
    linked_by = ForeignKeyField(User)
    linked_at = DateTimeField()


class Breach(BaseModel):
    """A logged contact that did not keep to a restriction in force, and why."""

    contact_id: int

    contact = ForeignKeyField(ContactLogEntry, backref="breaches", on_delete="CASCADE")
    restriction = ForeignKeyField(Restriction, backref="breaches", on_delete="CASCADE")
    case = ForeignKeyField(Case, backref="breaches", on_delete="CASCADE")
    reason = TextField()
    recorded_at = DateTimeField()


class ScreeningItem(BaseModel):
    """A contact filed without reply (it came by a channel a restriction closes, or about a
    matter a restriction says will not be acknowledged) that is still to be read, or was read:
    one outcome, given once, by whom and when (domain.screening)."""

    contact_id: int
    case_id: int
    matter_id: int | None
    screened_by_id: int | None
    contact = ForeignKeyField(ContactLogEntry, unique=True, backref="screening",
                              on_delete="CASCADE")
    case = ForeignKeyField(Case, backref="screening", on_delete="CASCADE")
    # The contact's time, copied so that the queue pages and counts without a join.
    arrived_at = DateTimeField()
    reasons = TextField()  # why it was queued: the breaches, one a line
    advice = TextField(default="")  # what the officer must do, one a line
    queued_at = DateTimeField()
    outcome = CharField(default="")  # "" until screened; else a ScreeningOutcome
    note = TextField(default="")
    matter = ForeignKeyField(Matter, null=True, on_delete="SET NULL")  # a new matter opened
    passed_to = CharField(default="")  # an emergency or safeguarding concern: to whom
    passed_how = TextField(default="")  # and how
    screened_by = ForeignKeyField(User, null=True)
    screened_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("outcome", "arrived_at"), False),)


class Review(BaseModel):
    case = ForeignKeyField(Case, backref="reviews", on_delete="CASCADE")
    due_on = DateField()
    started_at = DateTimeField(null=True)
    started_by = ForeignKeyField(User, null=True)
    outcome = CharField(default="")
    reason = TextField(default="")
    reply_by = DateField(null=True)
    decided_by = ForeignKeyField(User, null=True)
    decided_at = DateTimeField(null=True)


class Nomination(BaseModel):
    """The Service Director's nomination of a person to decide appeals in their place: for one
    case, or for a period (from and until, inclusive). Revoked, it covers nothing from then."""

    nominee_id: int
    nominated_by_id: int
    case_id: int | None
    revoked_by_id: int | None
    nominee = ForeignKeyField(User, backref="nominations")
    nominated_by = ForeignKeyField(User)
    nominated_at = DateTimeField()
    case = ForeignKeyField(Case, null=True, backref="nominations", on_delete="CASCADE")
    valid_from = DateField(null=True)
    valid_until = DateField(null=True)
    reason = TextField()
    revoked_at = DateTimeField(null=True)
    revoked_by = ForeignKeyField(User, null=True)
    revoke_reason = TextField(default="")


class Appeal(BaseModel):
    decision_id: int
    decided_by_id: int | None
    recorded_by_id: int
    nomination_id: int | None
    case = ForeignKeyField(Case, backref="appeals", on_delete="CASCADE")
    decision = ForeignKeyField(Decision, backref="appeals")
    received_on = DateField()
    grounds = TextField()
    due_on = DateField()
    recorded_by = ForeignKeyField(User)
    outcome = CharField(default="")
    reason = TextField(default="")
    decided_by = ForeignKeyField(User, null=True)
    decided_at = DateTimeField(null=True)
    # The state the case was in when the appeal was lodged: a confirmed appeal returns it there
    # (a review under way carries on).
    lodged_from = CharField(default="restricted")
    # The nomination under which a nominated officer decided it (none: the Service Director).
    nomination = ForeignKeyField(Nomination, null=True, backref="appeals")
    # The reasons for the outcome as the customer is told them.
    customer_reason = TextField(default="")


class ExtensionProposal(BaseModel):
    """What the customer was told and invited to comment on at a review: the reasons, the
    restrictions proposed (as JSON, domain.proposal.Proposal) and when they would end, and the
    date for comments. The extension decided afterwards is linked to it."""

    decision_id: int | None
    case = ForeignKeyField(Case, backref="proposals", on_delete="CASCADE")
    review = ForeignKeyField(Review, null=True, on_delete="SET NULL")
    reason = TextField()
    proposal = TextField()
    ends_on = DateField()
    reply_by = DateField()
    proposed_by = ForeignKeyField(User)
    proposed_at = DateTimeField()
    decision = ForeignKeyField(Decision, null=True, on_delete="SET NULL")
    # The reasons as the customer is told them in the invitation.
    customer_reason = TextField(default="")


class ReviewSession(BaseModel):
    """A sitting at which the CRM steps through the reviews due in a period; it can be paused
    and resumed where it was left."""

    created_by = ForeignKeyField(User)
    created_at = DateTimeField()
    until = DateField()
    references = TextField()  # JSON list, in the order they are taken
    position = IntegerField(default=0)
    finished = BooleanField(default=False)


class Letter(BaseModel):
    """The register of letters: prepared (draft), issued (signed: who, when, with which
    certificate, the file's hash), or not sent because of a recorded decision not to write."""

    created_by_id: int
    signed_by_id: int | None
    case_id: int
    duplicate_of_id: int | None
    posted_by_id: int | None
    case = ForeignKeyField(Case, backref="letters", on_delete="CASCADE")
    kind = CharField()
    created_at = DateTimeField()
    created_by = ForeignKeyField(User)
    signed_by = ForeignKeyField(User, null=True)
    signed_at = DateTimeField(null=True)
    file_name = CharField(default="")
    sha256 = CharField(default="", index=True)
    status = CharField(default="issued")  # draft, issued, not_sent
    cert_fingerprint = CharField(default="")
    body = TextField(default="")  # the text as prepared, for the register and the preview
    note = TextField(default="")  # e.g. the recorded decision not to write
    # What the letter is about, e.g. "decision:12", "appeal:3", "local_resolution:4",
    # "proposal:7": each is written once.
    source = CharField(default="", index=True)
    written_on = DateField(null=True)  # the date the letter bears
    content = TextField(default="")  # the letter as issued (JSON), for copies and the register
    edits = TextField(default="")  # the CRM's edits to free-text paragraphs before signing (JSON)
    # Raised by each edit, and by preparing it again (services.core.stale).
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])
    appeal_by = DateField(null=True)  # worked out at issue, from the issue date
    duplicate_of = ForeignKeyField("self", null=True, backref="duplicates")
    posted_on = DateField(null=True)
    posted_at = DateTimeField(null=True)
    post_class = CharField(default="")  # first, second, recorded
    tracking = CharField(default="")  # the recorded-delivery number, where used
    posted_by = ForeignKeyField(User, null=True)
    print_pack = CharField(default="")  # the print pack the letter went out in


class LetterFile(BaseModel):
    """The signed PDF of an issued letter, byte for byte: an export is a copy of it."""

    letter_id: int
    letter = ForeignKeyField(Letter, unique=True, backref="file", on_delete="CASCADE")
    pdf = BlobField()


class SigningCertificate(BaseModel):
    """Certificates letters were signed with: the trust roots `letters verify` checks against.
    Only the certificate is kept here; the key stays in the signer's own key file. A replaced
    or revoked certificate stays, with when it was revoked: letters signed before then are
    still genuine, letters signed after are not."""

    login = CharField(index=True)
    fingerprint = CharField(unique=True)
    pem = TextField()
    subject = CharField()
    demo = BooleanField(default=False)
    created_at = DateTimeField()
    revoked_at = DateTimeField(null=True)


class CaseNote(BaseModel):
    """Triage work that is not a step in the case's life: information requested from the
    service area, further enquiries made, and their answers."""

    case = ForeignKeyField(Case, backref="notes", on_delete="CASCADE")
    kind = CharField()
    text = TextField()
    recorded_by = ForeignKeyField(User)
    recorded_at = DateTimeField()


class Escalation(BaseModel):
    """An extreme case (the policy's Scope): police involvement, legal action or a risk to
    staff, with its date and reference."""

    case_id: int
    recorded_by_id: int
    case = ForeignKeyField(Case, backref="escalations", on_delete="CASCADE")
    kind = CharField()  # domain.escalations.EscalationKind
    occurred_on = DateField()
    reference = CharField(default="")
    note = TextField()
    recorded_by = ForeignKeyField(User)
    recorded_at = DateTimeField()


class PriorWarning(BaseModel):
    """The customer was told in writing, during local resolution, that continuing may lead to
    restrictions: in the local-resolution letter itself, or in a separate warning letter."""

    case_id: int
    local_resolution_id: int | None
    case = ForeignKeyField(Case, backref="warnings", on_delete="CASCADE")
    given_on = DateField()
    means = CharField()  # "local_resolution_letter" or "warning_letter"
    summary = TextField()
    local_resolution = ForeignKeyField(LocalResolution, null=True, on_delete="CASCADE")
    recorded_by = ForeignKeyField(User)
    recorded_at = DateTimeField()


class NoPriorWarning(BaseModel):
    """The CRM's decision to restrict without a prior warning: the extreme-case route, resting
    on an escalation record, with reasons."""

    case_id: int
    escalation_id: int
    decided_by_id: int
    case = ForeignKeyField(Case, backref="no_prior_warning", on_delete="CASCADE")
    escalation = ForeignKeyField(Escalation, on_delete="CASCADE")
    reasons = TextField()
    decided_by = ForeignKeyField(User)
    decided_at = DateTimeField()


class Tombstone(BaseModel):
    """What is left of a destroyed file: that it existed, and when; no personal data."""

    case_reference = CharField(unique=True)
    service_area = CharField()
    opened_on = DateField()
    restrictions_ended_on = DateField(null=True)
    destroyed_on = DateField()
    destroyed_by = CharField()
    # Outcome categories only: how the file ended, the kinds of restriction, appeal outcomes.
    outcome = CharField(default="")
    # The customer's reference, when this file's destruction removed their record (their
    # last file): a subject access request by it is answered as by the file's reference.
    customer_reference = CharField(default="")


class AuditEntry(BaseModel):
    seq = IntegerField(unique=True)
    at = CharField()  # ISO 8601 text: hashed exactly as stored
    actor_login = CharField()
    actor_role = CharField()
    action = CharField(index=True)
    case_reference = CharField(default="", index=True)
    reason = TextField(default="")
    payload = TextField(default="")
    reason_hash = CharField()
    payload_hash = CharField()
    prev_hash = CharField()
    entry_hash = CharField()
    erased = BooleanField(default=False)


# Where an entry's payload holds the team's seal (services.core.team_seal): only a key can
# hold these words unescaped in the JSON text of a payload (a quote inside a string is \").
TEAM_SEAL_MARK = '"team": {'
# The entries holding it, indexed on their own: each step reads the latest (the acting
# person's record is held to it), which without the index scanned every payload written since
# the team last changed (some 0.4 s a step on a trail of 200,000 entries). A partial index is
# used only for a query with this very term, its text a literal: team_seal.holding_the_seal.
# (Joined, not an f-string: SQL's quotes around a literal, not a message quoting a value.)
TEAM_SEALED = EngineChoice(SQL("instr(payload, '" + TEAM_SEAL_MARK + "') > 0"),
                           SQL("strpos(payload, '" + TEAM_SEAL_MARK + "') > 0"))
AuditEntry.add_index(AuditEntry.index(AuditEntry.seq, name="audit_entry_team_seal",
                                      where=TEAM_SEALED))
# A case's entries in their order: each step reads the latest entry about the case (its seal,
# audit_seals.as_left), which with the reference alone indexed sorted every entry about the
# case (some 10-50 ms a step on a case with 7,000 entries). Schema 23.
AuditEntry.add_index(AuditEntry.index(AuditEntry.case_reference, AuditEntry.seq,
                                      name="audit_entry_case_seq"))


class AuditHead(BaseModel):
    """The last entry's number and hash, so that removing entries from the end shows."""

    seq = IntegerField()
    entry_hash = CharField()


class Setting(BaseModel):
    """Facts about this database itself, such as whether it holds demo data."""

    key = CharField(unique=True)
    value = TextField()


ALL_MODELS: list[type[BaseModel]] = [
    ServiceArea, User, RoleGrant, Customer, Case, LocalResolution, Referral, Matter,
    ContactLogEntry, EvidenceItem, EvidenceLink, Consultation, Decision, Restriction, Breach,
    ScreeningItem,
    Review, Nomination, Appeal, ExtensionProposal, Letter, LetterFile,
    SigningCertificate, ReviewSession, CaseNote, Tombstone, AuditEntry, AuditHead, Setting,
    Escalation, PriorWarning, NoPriorWarning,
]
