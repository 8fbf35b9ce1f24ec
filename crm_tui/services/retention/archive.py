"""The end of a file's life: archive when restrictions end, destroy six years later leaving
only a tombstone."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from crm_tui import clock
from crm_tui.db import dialect
from crm_tui.db.models import (
    Appeal,
    AuditEntry,
    Case,
    ContactLogEntry,
    Customer,
    EvidenceItem,
    Letter,
    Restriction,
    ScreeningItem,
    Tombstone,
    database_proxy,
)
from crm_tui.domain.dates import destroy_after
from crm_tui.domain.errors import DatabaseBusy, RequirementMissing
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.next_action import ARCHIVE_FILE
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.roles import Actor
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import (
    archived_customer,
    audit,
    audit_seals,
    confirmation,
    erasure,
    next_step,
    settings,
    team_seal,
)
from crm_tui.services.core.appeal_window import appeal_may_still_come
from crm_tui.services.core.audit_destructions import YEARS_KEY
from crm_tui.services.core.audit_records import tombstone_fields
from crm_tui.services.core.case_steps import load_case, move, step, summarise
from crm_tui.services.core.database import atomic, reading
from crm_tui.services.core.erasure import ExportMade
from crm_tui.services.core.results import CaseSummary
from crm_tui.services.retention import destruction_clock, destruction_rule, years_in_force


def due_for_archive() -> Any:
    """The files due for archive, as a condition on cases: the rule of
    domain.next_action.due_for_archive (ended or closed, no letter still owed to the
    customer), stored as the case's next action with every change to it. Home, the calendar
    and the command line count and list by it."""
    return (Case.state.in_([CaseState.ENDED.value, CaseState.CLOSED_NO_ACTION.value])
            & (Case.next_action == ARCHIVE_FILE))


def _day(value: date | None) -> str:
    return in_prose(value) if value is not None else "the last decision"


def set_destroy_after(case: Case) -> None:
    if case.ended_on is not None:
        case.destroy_after = destroy_after(case.ended_on, settings.current().retention_years)


def ended_why(state: CaseState, ended_on: date | None) -> str:
    """Why a file is archived, as its audit entry and the Retention area say it."""
    if state is CaseState.CLOSED_NO_ACTION:
        return f"Closed with no action on {_day(ended_on)}"
    return f"Restrictions ended on {_day(ended_on)}"


def ending_why(case: Case) -> str:
    """What ended a file, as `ended_why` says it, for an archived file too: its state no
    longer says whether it was closed with no action, so its audit trail's last ending step
    does (found when tried: a file closed with no action was said, when due for destruction,
    to have had restrictions that ended)."""
    state = CaseState(case.state)
    if state is CaseState.ARCHIVED:
        ended = (AuditEntry.select(AuditEntry.action)
                 .where((AuditEntry.case_reference == case.reference)
                        & AuditEntry.action.in_(list(_ENDINGS)))
                 .order_by(AuditEntry.seq.desc()).scalar())
        state = (CaseState.CLOSED_NO_ACTION if ended == Action.CLOSE_NO_ACTION.value
                 else CaseState.ENDED)
    return ended_why(state, case.ended_on)


def archive(actor: Actor, reference: str, job: str = "") -> CaseSummary:
    """Close the file: it becomes read-only until it is destroyed. `job` names what ran it
    (the app's check at start-up, a scheduled `crm-tui retention run`), for the audit trail;
    the person whose session or job it was is the one recorded as acting."""
    with atomic():
        case = load_case(actor, reference)
        new_state = step(actor, Action.ARCHIVE, case)
        # An archived file is read-only: post still unread would never be read.
        unread = ScreeningItem.select().where((ScreeningItem.case == case)
                                              & (ScreeningItem.outcome == "")).count()
        if unread:
            raise RequirementMissing(
                f"{unread} item{'s' if unread != 1 else ''} of post from the customer, filed "
                "without reply, still to be read (the screening queue): a file is archived "
                "once everything that came in has been read")
        # The same rule that keeps the file off the lists of files due for archive: the
        # customer is told of the last decision before the file turns read-only.
        owed, decided_on = next_step.letter_to_sign(case)
        if owed:
            raise RequirementMissing(
                f"The {owed} of {_day(decided_on)} is not yet signed: a file is "
                "archived once the customer has been told (sign it in the case's letters, "
                "or the Letters area)")
        # Signed is not yet sent: the letter leaves the post run once the file is archived.
        unposted = letter_unposted(case)
        if unposted:
            raise RequirementMissing(
                f"{unposted[0].upper()}{unposted[1:]}: a file is archived once the customer "
                "has been told (post it: P in the Letters area, or crm-tui letters post)")
        payload: dict[str, Any] = {"destroy_after": case.destroy_after,
                                   # As the file shows them from now on (archived_customer).
                                   "customer": archived_customer.snapshot(case.customer)}
        if job:
            payload["job"] = job
        window = appeal_window_open(case)
        if window:
            raise RequirementMissing(f"The file is kept open while {window}: an archived file "
                                     "is read-only, and could not take the appeal")
        move(actor, Action.ARCHIVE, case, new_state,
             ended_why(CaseState(case.state), case.ended_on), payload=payload)
        return summarise(case)


def letter_unposted(case: Case) -> str:
    """Why the file waits before it is archived while one of its letters is signed and not
    yet posted (services.core.next_step.letter_to_post), or ""."""
    found = next_step.letter_to_post(case)
    if found is None:
        return ""
    name, letter_id, dated = found
    return f"the {name} (letter {letter_id}, dated {_day(dated)}) is signed but not yet posted"


def appeal_window_open(case: Case) -> str:
    """Why the file waits before it is archived while the customer may still appeal against
    its last decision (restrictions that ended may be appealed within the appeal period),
    or ""."""
    window = appeal_may_still_come(case)
    if window is None:
        return ""
    decided, ends = window
    return (f"the customer may appeal against the decision of {_day(decided)} until "
            f"{_day(ends)}")


@dataclass(frozen=True)
class Destroyed:
    """A destruction done: the reference, and the exports made of the file (bundles, subject
    access exports, letter copies): those still in the app's own folders deleted, the others
    for a person to delete by hand or confirm were sent."""

    reference: str
    exports: list[ExportMade] = field(default_factory=list)
    # What was removed after the commit (None: left to the next start, the database busy).
    removed: erasure.Removed | None = None

    @property
    def exports_left(self) -> list[ExportMade]:
        return [export for export in self.exports if not export.deleted]


def destroy(actor: Actor, reference: str, *, purge: bool = True) -> Destroyed:
    """Destroy a file whose retention period has ended: every record of it goes, the audit
    trail keeps its chain with the personal details erased, and a tombstone remains.
    Confirmed with the CRM's own passphrase: it cannot be undone. Once that is committed, the
    case's documents leave the evidence store (those no other case holds), its letters' files
    leave the letters folder, the exports made of it still in the app's own folders are
    deleted, the search indexes are rewritten without it (`purge`; a retention run does that
    once after its last destruction, `finish_destructions`), and the WAL is emptied into the
    database file (where secure_delete has zeroed the freed pages). Killed after the commit,
    the next start finishes it (services.core.erasure)."""
    with atomic():
        case = load_case(actor, reference)
        step(actor, Action.DESTROY, case, restrictions_last_on=restricted_elsewhere(case))
        # Not on the stored columns alone, which a hand in the database moves: the records
        # as the trail left them, and the trail's own history (b16e F0). The list and the dry
        # run follow the same rule.
        destruction_rule.check(case, clock.today(), settings.current().retention_years)
        # Nor on a "today" the computer's clock does not bear out (b16f F0: CRM_TUI_NOW
        # set years ahead destroyed files before their date).
        destruction_clock.check()
        with confirmation.confirmed(actor):  # it cannot be undone
            documents = {str(row.sha256) for row in EvidenceItem.select(EvidenceItem.sha256)
                         .where(EvidenceItem.case == case)}
            letters = [(str(row.file_name), str(row.sha256)) for row in
                       Letter.select(Letter.file_name, Letter.sha256)
                       .where((Letter.case == case) & (Letter.file_name != ""))]
            exports = erasure.exports_of(case.reference)
            # What `letters verify` still needs once the register's rows are gone: each
            # issued letter's hash, certificate and signing time (no personal data).
            issued = [{"sha256": str(row.sha256), "certificate": str(row.cert_fingerprint),
                       "signed_at": row.signed_at.isoformat() if row.signed_at else None}
                      for row in Letter.select(Letter.sha256, Letter.cert_fingerprint,
                                               Letter.signed_at)
                      .where((Letter.case == case) & (Letter.status == "issued")
                             & (Letter.sha256 != "")).order_by(Letter.id)]
            customer_id = case.customer_id
            # The tombstone keeps the area's name for good, sealed into the destruction's
            # entry: never a name edited in the database (issue 16).
            area_edited = team_seal.area_not_as_left(int(case.service_area_id))
            if area_edited:
                raise audit_seals.OutsideChange(case.reference, area_edited)
            last_file = customer_id is not None and not Case.select().where(
                (Case.customer == customer_id) & (Case.id != case.id)).exists()
            stone = Tombstone.create(
                case_reference=case.reference, service_area=case.service_area.name,
                opened_on=case.opened_on, restrictions_ended_on=case.ended_on,
                destroyed_on=clock.today(), destroyed_by=actor.login,
                outcome=outcome_categories(case),
                customer_reference=Customer.get_by_id(customer_id).reference
                if last_file else "")
            ref = case.reference
            # A customer kept for another file is held to the latest seal of their cases
            # (audit_seals.CUSTOMER); this file's entries, which may hold it, are blanked
            # below, so the destruction's entry holds it. Never over an edit made outside
            # the app: sealed, it would pass for good.
            kept_customer = None
            if customer_id is not None and not last_file:
                found = audit_seals.customer_disagreement(customer_id)
                if found:
                    raise audit_seals.OutsideChange(ref, found)
                kept_customer = audit_seals.customer_seal(customer_id)
            dialect.forget_case(database_proxy.obj, case.id)
            case.delete_instance()
            if last_file:
                ContactLogEntry.delete().where(ContactLogEntry.customer == customer_id).execute()
                Customer.delete().where(Customer.id == customer_id).execute()
            audit.erase_case(ref)
            # The tombstone goes into the chain: `audit verify` holds the one kept to it, and
            # accepts the erased entries above only because this entry follows them. With
            # it, how many files the destruction removes (the documents and letter files no
            # other record holds).
            # The years in force recorded first, if the trail's latest record differs: the
            # destruction is held to them (audit_destructions.YearsInForce).
            years = years_in_force.in_force(actor)
            audit.record(actor, Action.DESTROY.value, ref, "Retention period ended",
                         payload={"tombstone": tombstone_fields(stone),
                                  "files": erasure.to_remove(documents, letters),
                                  # The copies to delete by hand, kept past the message.
                                  "left_by_hand": erasure.left_by_hand(exports),
                                  "letters_issued": issued,
                                  # What `audit verify` holds it to: the years in force now,
                                  # not those configured when it is checked (b16c F11).
                                  YEARS_KEY: years,
                                  **({audit_seals.DESTROYED_KEY: kept_customer}
                                     if kept_customer else {})})
            erasure.announce(ref, documents, letters, exports)
    # After the commit: a destruction rolled back keeps its files. The file is destroyed
    # whatever happens next: if the database stays busy past the wait, the next start (or
    # the next destruction) finishes the work announced.
    try:
        removed = erasure.finish(purge=purge).get(ref)
    except DatabaseBusy:
        removed = None
    if purge:
        empty_wal()
    deleted = set(removed.exports if removed else [])
    return Destroyed(ref, [replace(export, deleted=export.path in deleted)
                           for export in exports], removed)


def finish_destructions() -> bool:
    """After a run of destructions (`destroy(..., purge=False)`): the search indexes
    rewritten once for all of them, then the WAL emptied; False if the WAL could not be."""
    erasure.finish()
    return empty_wal()


def exports_made(actor: Actor, reference: str) -> list[ExportMade]:
    """The exports made of a file (for the question before it is destroyed)."""
    with reading():
        case = load_case(actor, reference)
        return erasure.exports_of(case.reference)


def empty_wal() -> bool:
    """Copy the WAL into the database file and empty it, outside any transaction; False if
    another connection's read kept it from being emptied."""
    if database_proxy.in_transaction():
        return False
    return dialect.checkpoint(database_proxy.obj)


_ENDINGS = {"close_no_action": "closed with no action",
            "lift_restrictions": "restrictions lifted",
            "lift_without_letter": "restrictions lifted (no letter)",
            "expire_restrictions": "restrictions ended on their date",
            "remove_on_appeal": "restrictions removed on appeal"}


def outcome_categories(case: Case) -> str:
    """What the tombstone keeps of the outcome: how the file ended, the kinds of restriction
    decided, the appeal outcomes. Categories only, never a word the customer or an officer
    wrote."""
    ended = (AuditEntry.select(AuditEntry.action)
             .where((AuditEntry.case_reference == case.reference)
                    & AuditEntry.action.in_(list(_ENDINGS)))
             .order_by(AuditEntry.seq.desc()).scalar())
    kinds = sorted({RestrictionKind(r.kind).label for r in Restriction.select(Restriction.kind)
                    .where((Restriction.case == case) & Restriction.decision.is_null(False))})
    appeals = [AppealOutcome(a.outcome).value for a in Appeal.select(Appeal.outcome)
               .where((Appeal.case == case) & (Appeal.outcome != "")).order_by(Appeal.id)]
    parts = [f"ended: {_ENDINGS[ended]}"] if ended else []
    if kinds:
        parts.append("restrictions: " + ", ".join(kinds))
    if appeals:
        parts.append("appeals: " + ", ".join(appeals))
    return "; ".join(parts)


LIVE = (CaseState.RESTRICTED.value, CaseState.UNDER_REVIEW.value,
        CaseState.UNDER_APPEAL.value)


def restricted_elsewhere(case: Case) -> str:
    """The customer's other case whose restrictions still last (in force, under review or
    under appeal), if any: its reference."""
    if case.customer_id is None:
        return ""
    other: str | None = (Case.select(Case.reference)
                         .where((Case.customer == case.customer_id) & (Case.id != case.id)
                                & Case.state.in_(LIVE)).order_by(Case.reference).scalar())
    return other or ""
