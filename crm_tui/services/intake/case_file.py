"""The case file: who the customer is, what is in force, and everything that happened."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from peewee import fn

from crm_tui import clock
from crm_tui.db.models import (
    Appeal,
    AuditEntry,
    CaseNote,
    Consultation,
    ContactLogEntry,
    Decision,
    Escalation,
    EvidenceItem,
    Letter,
    LocalResolution,
    Nomination,
    NoPriorWarning,
    PriorWarning,
    Referral,
    Restriction,
    Review,
    ScreeningItem,
    people_read_once,
)
from crm_tui.domain.categories import from_mask
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.counting import counted
from crm_tui.domain.dates import ReviewPeriodReason
from crm_tui.domain.equality import parse_needs
from crm_tui.domain.escalations import EscalationKind
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.outcomes import (
    AppealOutcome,
    ConsultationMethod,
    ConsultationSubject,
    ReviewOutcome,
)
from crm_tui.domain.proposal import Proposal
from crm_tui.domain.restrictions import RestrictionKind, describe, named
from crm_tui.domain.roles import Actor
from crm_tui.domain.screening import ScreeningOutcome
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import archived_customer, area_names, consulted, scope
from crm_tui.services.core.appeal_window import late_after
from crm_tui.services.core.case_steps import load_case, summarise
from crm_tui.services.core.in_force import case_starts_after
from crm_tui.services.core.restriction_status import IN_FORCE
from crm_tui.services.core.results import CaseSummary
from crm_tui.services.intake import next_shown, timeline_steps
from crm_tui.services.intake.triage_version import DONE
from crm_tui.services.letters import posted

# Each kind of case note, as the timeline says what it is ("What" column, entry): the
# customer's comments are theirs, not an enquiry of ours.
NOTE_TITLES = {
    "information_requested": ("triage", "Further information requested from the service area "
                                        "({name})"),
    "enquiry": ("triage", "Further enquiry made ({name})"),
    "customer_comments": ("comments", "The customer's comments received (recorded by {name})"),
}
TIMELINE_CONTACTS = 200  # the latest contacts shown in the timeline; the rest are counted
AGAINST_VIEW = "decided against the Head of Service's view"


def _document_name(item: EvidenceItem | None) -> str:
    return f"{item.original_name} (SHA-256 {item.sha256[:16]}…)" if item is not None else ""


def _view_line(consultation_id: int | None) -> str:
    if consultation_id is None:
        return ""
    c = Consultation.get_or_none(Consultation.id == consultation_id)
    if c is None:
        return ""
    return f"{consulted.row_in_words(c)} — {c.view_text}"


@dataclass(frozen=True)
class CustomerDetails:
    reference: str
    name: str
    address: tuple[str, ...]
    postcode: str
    email: str
    telephone: str
    personal_circumstances: str
    reasonable_adjustments: str
    genuine_ongoing_problems: bool
    contact_needs: str = ""  # as the equality check reads them, labelled
    form_of_address: str = ""  # how letters address them ("Mr Penhaligon"); "" from the name
    language: str = ""  # interpreter or translation offered in it
    large_print_pt: int | None = None  # print size needed, in points
    version: int = 0  # the customer's record as read: a change is saved against it


@dataclass(frozen=True)
class RestrictionInForce:
    kind: RestrictionKind
    description: str
    starts_on: date | None
    ends_on: date | None
    reason: str


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    title: str
    detail: str
    seq: int = 0  # the audit entry that recorded it, where known: orders those of one second


@dataclass(frozen=True)
class CaseFile:
    summary: CaseSummary
    customer: CustomerDetails | None
    in_force: list[RestrictionInForce]
    timeline: list[TimelineEntry]
    contacts_total: int
    contacts_shown: int
    # Where the restrictions in force were decided against the Head of Service's view: when,
    # and the CRM's reasons for going ahead.
    against_view: str = ""
    # The appeal deadline of the latest letter that gives one, beside that letter's posting
    # date: "Appeal by 5 Jan 2027 — letter posted 3 Dec 2026".
    appeal_deadline: str = ""
    # The day the restrictions decided start, while none is in force yet (decided today to
    # start tomorrow): the panel says "from" it, not "in force" (t15 F6). None otherwise.
    starts_on: date | None = None


def _at(value: date | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time())


def _lines(*pairs: tuple[str, Any]) -> str:
    return "\n".join(f"{label}: {_shown(value)}" for label, value in pairs
                     if value not in ("", None))


def _shown(value: Any) -> str:
    """A day as every screen says one ("8 Nov 2026"), never ISO (v15h 3: a decision opened in
    full said "From: 2026-11-08")."""
    if isinstance(value, datetime):
        return f"{in_prose(value.date())} {value:%H:%M}"
    if isinstance(value, date):
        return in_prose(value)
    return str(value)


# The entries that make a letter's row: its preparation, then its issue or re-sending.
LETTER_ACTIONS = ("prepare_letter", "issue_letter", "resend_letter")


def _letters(case: Any) -> list[TimelineEntry]:
    """Each letter in the register, saying what it is: a draft, the letter as issued, or a
    re-sent copy of an earlier one (with why it was re-sent), so that the file never reads as
    though the customer was sent two decisions."""
    why = {}
    # The audit entry that put each letter on the file as it now stands (prepared, issued, or
    # re-sent as a copy), for the timeline's "#" (found when tried: letter rows had none).
    recorded: dict[int, int] = {}
    for entry in (AuditEntry.select().where(
            (AuditEntry.case_reference == case.reference)
            & AuditEntry.action.in_(LETTER_ACTIONS)).order_by(AuditEntry.seq)):
        try:
            letter_id = int(json.loads(entry.payload or "{}").get("letter", 0))
        except (ValueError, TypeError, AttributeError):
            continue
        if entry.action == "resend_letter":
            why[letter_id] = entry.reason
        recorded[letter_id] = int(entry.seq)
    entries = []
    for letter in Letter.select().where(Letter.case == case).order_by(Letter.id):
        kind = LetterKind(letter.kind).label
        dated = f"{in_prose(letter.written_on)}" if letter.written_on else ""
        # Who signed it, as the neighbouring lines name who acted (t15 F11).
        by = f" by {letter.signed_by.name}" if letter.signed_by is not None else ""
        if letter.duplicate_of_id is not None:
            title = (f"Letter {letter.id}: copy of letter {letter.duplicate_of_id} ({kind}), "
                     f"re-sent{by}")
        elif letter.status == "issued":
            title = f"Letter {letter.id}: {kind}, issued{by}"
        elif letter.status == "draft":
            title = f"Letter {letter.id}: {kind}, prepared (not sent)"
        else:
            title = f"Letter {letter.id}: {kind}, not sent"
        # An issued letter is on the file when it was signed, not when it was prepared.
        at = letter.signed_at if letter.status == "issued" and letter.signed_at else \
            letter.created_at
        entries.append(TimelineEntry(at, "letter", title, _lines(
            ("Dated", dated), ("Copy of", f"letter {letter.duplicate_of_id}, the same date and "
                                          "words" if letter.duplicate_of_id else ""),
            ("Re-sent because", why.get(int(letter.id), "")), ("Note", letter.note),
            ("File", letter.file_name), ("SHA-256", letter.sha256)),
            recorded.get(int(letter.id), 0)))
    return entries


def _timeline(case: Any) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for lr in LocalResolution.select().where(LocalResolution.case == case):
        entries.append(TimelineEntry(_at(lr.written_on), "local resolution",
                                     "Local resolution: written to the customer", _lines(
            ("Written communication", f"{in_prose(lr.written_on)}: {lr.written_summary}"),
            ("As the customer is told", lr.customer_summary),
            ("Single point of contact", lr.spoc_name), ("Contact", lr.contact_frequency),
            ("Communication style", lr.communication_style),
            ("Monitoring period", f"{in_prose(lr.monitoring_start)} to "
                                  f"{in_prose(lr.monitoring_end)}"))))
    areas = area_names.shown_names()  # as the trail sealed them (a name edited is marked)
    for r in Referral.select().where(Referral.case == case):
        categories = ", ".join(c.label for c in from_mask(r.categories))
        entries.append(TimelineEntry(_at(r.received_on), "referral",
                                     f"Referral received from {r.referred_by.name}", _lines(
            ("Service area", _area_name(areas, r.service_area_id, r)),
            ("Behaviour", r.behaviour_details),
            ("Categories", categories), ("Other behaviour", r.other_behaviour),
            ("Other departments affected", r.other_departments))))
    entries += _scope_entries(case)
    for n in CaseNote.select().where(CaseNote.case == case):
        what, title = NOTE_TITLES.get(n.kind, ("note", "Note ({name})"))
        entries.append(TimelineEntry(n.recorded_at, what,
                                     title.format(name=n.recorded_by.name), n.text))
    entries += [TimelineEntry(s.at, s.what, s.title, s.detail, s.seq)
                for s in timeline_steps.audit_steps(case.reference)]
    consultations = [(c, Proposal.from_json(c.proposal))
                     for c in Consultation.select().where(Consultation.case == case)
                     .order_by(Consultation.id)]
    # A draft's version is said only where views were given on more than one of its versions:
    # the number counts every change (k's links too), so on its own "version 2" told a draft
    # set out once from nothing (v15d N4).
    seen: dict[int, set[int]] = {}
    for _c, given in consultations:
        for stamp in given.drafts if given else ():
            seen.setdefault(stamp.id, set()).add(stamp.version)
    for c, about in consultations:
        entries.append(TimelineEntry(_at(c.recorded_at), "consultation",
                                     consulted.row_in_words(c), _lines(
            ("Consultee", consulted.person(c.consultee)), ("On", f"{in_prose(c.consulted_on)}"),
            ("Subject", ConsultationSubject(c.subject).label),
            ("How given", ConsultationMethod(c.method).label if c.method else ""),
            ("Email (evidence)", _document_name(c.evidence_document)),
            ("About", "; ".join(named(s.kind) + (f" (version {s.version})"
                                                 if len(seen[s.id]) > 1 else "")
                                for s in about.drafts) if about else ""),
            ("Proposed to end", f"{in_prose(about.ends_on)}" if about and about.ends_on
             else ""),
            ("View", c.view_text), ("Recorded by", consulted.person(c.recorded_by)))))
    for d in Decision.select().where(Decision.case == case).order_by(Decision.id):
        against = bool(d.against_view_reason)
        entries.append(TimelineEntry(d.decided_at, "decision",
                                     f"{decision_heading(d.action)} ({d.decided_by.name})"
                                     + (f" — {AGAINST_VIEW}" if against else ""),
                                     _lines(("Reason", d.reason),
                                            ("From", d.effective_from), ("Ends", d.ends_on),
                                            ("Review due", d.review_due),
                                            ("Review period reason", d.review_period_reason),
                                            ("Note", d.review_period_note),
                                            ("Head of Service's view",
                                             _view_line(d.consultation_id)),
                                            ("Going ahead against that view, because",
                                             d.against_view_reason))))
    entries += _reviews(case)
    entries += _appeals(case)
    entries += _letters(case)
    entries += [TimelineEntry(p.at, "letter", p.title, p.detail, p.seq)
                for p in posted.posting_entries(case.id)]
    attached = timeline_steps.attached_by(case.reference)
    for e in EvidenceItem.select().where(EvidenceItem.case == case):
        entries.append(TimelineEntry(e.added_at, "evidence", f"Evidence added: {e.original_name}",
                                     _lines(("Type", e.media_type),
                                            ("Size", counted(e.size, "byte")),
                                            ("SHA-256", e.sha256), ("Added by", e.added_by.name),
                                            ("Description", e.description)),
                                     attached.get(int(e.id), 0)))
    # Post screened that led somewhere (a new matter, an emergency passed on); the many items
    # filed with nothing new are in the screening queue's history.
    for item in ScreeningItem.select().where(
            (ScreeningItem.case == case) & ScreeningItem.outcome.in_(
                [ScreeningOutcome.NEW_MATTER.value, ScreeningOutcome.PASSED_ON.value])):
        who = item.screened_by.name if item.screened_by is not None else ""
        entries.append(TimelineEntry(
            item.screened_at or item.queued_at, "screened post",
            f"Post screened: {ScreeningOutcome(item.outcome).label} ({who})",
            _lines(("Contact of", f"{in_prose(item.arrived_at)} {item.arrived_at:%H:%M}"),
                   ("Matter opened", item.matter.title if item.matter is not None else ""),
                   ("Passed to", item.passed_to), ("How", item.passed_how),
                   ("Note", item.note))))
    return entries


def _scope_entries(case: Any) -> list[TimelineEntry]:
    """Escalations, warnings and the decision to restrict without prior warning."""
    entries = []
    for e in Escalation.select().where(Escalation.case == case):
        kind = EscalationKind(e.kind)
        entries.append(TimelineEntry(_at(e.occurred_on), "escalation",
                                     f"Escalation: {kind.label}"
                                     + (f" ({e.reference})" if e.reference else ""), _lines(
            ("On", f"{in_prose(e.occurred_on, full_month=True)}"),
            (kind.reference_label.capitalize(), e.reference), ("What happened", e.note),
            ("Recorded by", f"{e.recorded_by.name}, {in_prose(e.recorded_at, full_month=True)} "
                            f"{e.recorded_at:%H:%M}"))))
    for w in PriorWarning.select().where(PriorWarning.case == case):
        how = ("in the local-resolution letter" if w.local_resolution_id is not None
               else "in a separate letter")
        entries.append(TimelineEntry(_at(w.given_on), "warning",
                                     f"Warned {how} that continuing may lead to restrictions",
                                     _lines(("Given on", in_prose(w.given_on, full_month=True)),
                                            ("What it said", w.summary),
                                            ("Recorded by", w.recorded_by.name))))
    for n in NoPriorWarning.select().where(NoPriorWarning.case == case):
        e = n.escalation
        entries.append(TimelineEntry(n.decided_at, "decision",
                                     f"Decision: restrict without prior warning "
                                     f"({n.decided_by.name})", _lines(
            ("Resting on", f"{EscalationKind(e.kind).label} on "
                           f"{in_prose(e.occurred_on, full_month=True)}"
                           + (f" ({e.reference})" if e.reference else "")),
            ("Reasons", n.reasons))))
    return entries


# A review closed because an appeal changed the restrictions under review.
_CLOSED_BY_APPEAL = {"removed_on_appeal": AppealOutcome.REMOVED,
                     "amended_on_appeal": AppealOutcome.AMENDED}


def _review_title(outcome: str, review: Any = None, after: Any = None) -> str:
    """`after`: the review set up next (an amendment sets up its own)."""
    if outcome in _CLOSED_BY_APPEAL:
        # The review an appeal closes is often only the next one due, never begun: it must
        # not read as though a review took place.
        if (review is not None and review.started_at is None and after is not None
                and outcome == "amended_on_appeal"):
            # The amended restrictions have their own review: the same day kept, it stands
            # (v22 C4: "closed before it began" read as though none would take place).
            if after.due_on == review.due_on:
                return (f"Review due {in_prose(review.due_on)} carried to the restrictions "
                        "amended on appeal")
            return (f"Review due {in_prose(review.due_on)} replaced on appeal: the amended "
                    f"restrictions are reviewed by {in_prose(after.due_on)}")
        if review is not None and review.started_at is None:
            return (f"Review due {in_prose(review.due_on)} closed before it began: "
                    f"{_CLOSED_BY_APPEAL[outcome].label}")
        return f"Review closed: {_CLOSED_BY_APPEAL[outcome].label}"
    return f"Review: {outcome.replace('_', ' ')}"


def _period_changes(reference: str) -> dict[int, dict[str, Any]]:
    """What each change of the review period recorded beyond the review's row (its entry's
    payload, by review): the new review date, the policy's reason and the note."""
    found: dict[int, dict[str, Any]] = {}
    for entry in AuditEntry.select(AuditEntry.payload).where(
            (AuditEntry.action == Action.CHANGE_REVIEW_PERIOD.value)
            & (AuditEntry.case_reference == reference)):
        try:
            payload = json.loads(entry.payload or "{}")
        except ValueError:
            continue  # erased at the end of retention
        if isinstance(payload, dict) and isinstance(payload.get("review"), int):
            found[payload["review"]] = payload
    return found


def _reviews(case: Any) -> list[TimelineEntry]:
    """Each review decided: its outcome, when it was due, why, who decided it and when; a
    change of the review period also its new date, the policy's reason and the note."""
    entries = []
    changes = _period_changes(case.reference)
    every = list(Review.select().where(Review.case == case).order_by(Review.id))
    for at, rv in enumerate(every):
        if not rv.outcome:
            continue
        by = rv.decided_by.name if rv.decided_by is not None else ""
        decided = (f"{by}, {in_prose(rv.decided_at)} {rv.decided_at:%H:%M}"
                   if rv.decided_at is not None else by)
        change = changes.get(rv.id)
        if change is not None:
            entries.append(_period_changed(rv, change, by, decided))
            continue
        # Who decided it, in the line itself as its neighbours say (t15 F11).
        entries.append(TimelineEntry(rv.decided_at or _at(rv.due_on), "review",
                                     _review_title(rv.outcome, rv, next(
                                         iter(every[at + 1:]), None)) + (f" ({by})" if by
                                                                      else ""),
                                     _lines(("Due", in_prose(rv.due_on)),
                                            ("Reason", rv.reason),
                                            ("Reply by", in_prose(rv.reply_by)
                                             if rv.reply_by else ""),
                                            ("Next review", _next_review(rv, every[at + 1:])),
                                            ("Decided by", decided))))
    return entries


def _next_review(rv: Any, later: list[Any]) -> str:
    """Continued unchanged, the review the step set up (created with it, the case's next
    review row): its day (v15i L3: opened in full, "Review: continued" gave none)."""
    if rv.outcome != ReviewOutcome.CONTINUED.value or not later:
        return ""
    return in_prose(later[0].due_on)


def _period_changed(rv: Any, change: dict[str, Any], by: str, decided: str) -> TimelineEntry:
    try:
        next_review = in_prose(date.fromisoformat(str(change.get("next_review"))))
    except ValueError:
        next_review = ""
    try:
        why = ReviewPeriodReason(str(change.get("period_reason"))).label
    except ValueError:
        why = ""
    title = "Review period changed" + (f": next review {next_review}" if next_review else "")
    return TimelineEntry(rv.decided_at or _at(rv.due_on), "review",
                         title + (f" ({by})" if by else ""), _lines(
        ("Outcome", "Review period changed; the restrictions continue unchanged"),
        ("Next review", next_review), ("Policy reason", why),
        ("Note", str(change.get("period_note") or "")), ("Reason", rv.reason),
        ("Review was due", in_prose(rv.due_on)), ("Decided by", decided)))


def _recorded_at(case: Any, appeal: Any) -> datetime:
    """When the appeal was recorded (its audit entry), not midnight of the day received."""
    for entry in (AuditEntry.select(AuditEntry.at, AuditEntry.payload)
                  .where((AuditEntry.action == "lodge_appeal")
                         & (AuditEntry.case_reference == case.reference))
                  .order_by(AuditEntry.seq)):
        try:
            payload = json.loads(entry.payload or "{}")
        except ValueError:
            continue
        if isinstance(payload, dict) and payload.get("decision") == appeal.decision_id:
            try:
                return datetime.fromisoformat(str(entry.at)).replace(tzinfo=None)
            except ValueError:
                break
    return _at(appeal.received_on)


def _late(appeal: Any) -> str:
    """" (late: after the appeal deadline of 16 Nov 2026)" for an appeal received after the
    date the customer was given, else "" (v15b S8: recorded without a word)."""
    missed = late_after(appeal.decision, appeal.received_on)
    return f" (late: after the appeal deadline of {in_prose(missed)})" if missed else ""


def _missed(appeal: Any) -> str:
    """"after the appeal deadline of 16 Nov 2026" for a late appeal, under its label "Late"
    (v15i N4: "Late: late: after …"), else ""."""
    missed = late_after(appeal.decision, appeal.received_on)
    return f"after the appeal deadline of {in_prose(missed)}" if missed else ""


def _appeals(case: Any) -> list[TimelineEntry]:
    """Each appeal with its grounds; its outcome, by whom (and under whose nomination); and
    the Service Director's nominations for the case."""
    entries: list[TimelineEntry] = []
    for a in Appeal.select().where(Appeal.case == case).order_by(Appeal.id):
        against = (f"{in_prose(a.decision.decided_at)}: {Action(a.decision.action).label} "
                   f"({a.decision.decided_by.name})")
        late = _late(a)
        entries.append(TimelineEntry(_recorded_at(case, a), "appeal",
                                     f"Appeal received {in_prose(a.received_on)}{late}, "
                                     f"recorded by {a.recorded_by.name}. Grounds: {a.grounds}",
                                     _lines(
            ("Grounds", a.grounds), ("Late", _missed(a)),
            ("Against the decision of", against),
            ("Decision due", a.due_on), ("Recorded by", a.recorded_by.name))))
        if a.outcome and a.decided_at is not None:
            by = a.decided_by.name if a.decided_by is not None else ""
            n = a.nomination
            nominated = (f"nominated by {n.nominated_by.name} on {in_prose(n.nominated_at)}"
                         if n is not None else "")
            entries.append(TimelineEntry(a.decided_at, "appeal",
                                         f"{AppealOutcome(a.outcome).label}, by {by}"
                                         + (f", {nominated}" if nominated else ""), _lines(
                ("Grounds", a.grounds), ("Reason", a.reason), ("Decided by", by),
                ("Nominated officer", nominated))))
    for n in Nomination.select().where(Nomination.case == case):
        revoked = (f"{in_prose(n.revoked_at)} by {n.revoked_by.name}: {n.revoke_reason}"
                   if n.revoked_at is not None and n.revoked_by is not None else "")
        entries.append(TimelineEntry(n.nominated_at, "nomination",
                                     f"{n.nominee.name} nominated by {n.nominated_by.name} to "
                                     "decide the appeal", _lines(
            ("Nominated officer", f"{n.nominee.name} ({n.nominee.login})"),
            ("Nominated by", n.nominated_by.name), ("Reason", n.reason),
            ("Revoked", revoked))))
    return entries


def _area_name(areas: dict[int, str], area_id: int, row: Any) -> str:
    """The area's name as shown (area_names), read from the row's own area only when it is
    not among them: as a default it was read for every row, a query for each of the case
    file's 200 contacts (issue 17: the case file took 275 ms)."""
    found = areas.get(int(area_id))
    return found if found is not None else str(row.service_area.name)


def _contacts(actor: Actor, case: Any) -> tuple[list[TimelineEntry], int]:
    # The customer's contacts across their cases, as the actor may read them (a manager:
    # not another area's case's, v16h H0).
    query = ContactLogEntry.select().where((ContactLogEntry.customer == case.customer_id)
                                           & scope.visible_contacts(actor))
    total = query.count()
    shown = []
    areas = area_names.shown_names()  # as the trail sealed them (a name edited is marked)
    for c in query.order_by(ContactLogEntry.at.desc()).limit(TIMELINE_CONTACTS):
        arrow = "from" if c.direction == Direction.INBOUND.value else "to"
        categories = ", ".join(x.label for x in from_mask(c.categories))
        shown.append(TimelineEntry(c.at, "contact",
                                   f"{Channel(c.channel).label} {arrow} customer: {c.summary}",
                                   _lines(("Service area",
                                           _area_name(areas, c.service_area_id, c)),
                                          ("Officer", c.officer_name),
                                          ("Duration", f"{counted(c.duration_minutes, 'minute')}"),
                                          ("Behaviour", categories), ("Summary", c.summary))))
    return shown, total


def read_once() -> Any:
    """A block reading a case file and what is shown beside it (its scope, its appeal): the
    people and service areas they name read once for all (models.people_read_once)."""
    return people_read_once()


def case_file(actor: Actor, reference: str) -> CaseFile:
    """Everything on one case, newest first in the timeline."""
    # The people its records name (who recorded, decided, signed each) read in one query,
    # not one each: on a server every query is a round trip.
    with people_read_once():
        return _case_file(actor, reference)


def _case_file(actor: Actor, reference: str) -> CaseFile:
    case = load_case(actor, reference)
    customer = archived_customer.shown(case)  # an archived file: as it was archived
    details = None if customer is None else CustomerDetails(
        customer.reference, customer.name, tuple(customer.address.splitlines()),
        customer.postcode, customer.email, customer.telephone, customer.personal_circumstances,
        customer.reasonable_adjustments, customer.genuine_ongoing_problems,
        ", ".join(n.label for n in parse_needs(customer.contact_needs)),
        customer.form_of_address, customer.language, customer.large_print_pt,
        int(customer.version))
    in_force = [RestrictionInForce(RestrictionKind(r.kind),
                                   describe(RestrictionKind(r.kind), json.loads(r.parameters)),
                                   r.starts_on, r.ends_on, r.reason)
                for r in Restriction.select().where((Restriction.case == case)
                                                    & (Restriction.status == IN_FORCE))]
    contacts, total = _contacts(actor, case)
    timeline = _newest_first(case, _timeline(case) + contacts)
    starting = case_starts_after(case, clock.today())
    summary = summarise(case)
    # "Decide" only where the decision can be made (next_shown), as the inbox says it.
    summary = replace(summary, next_action=next_shown.shown(actor, reference,
                                                            summary.next_action))
    return CaseFile(summary, details, in_force, timeline, total, len(contacts),
                    _against_view(case), _appeal_line(case),
                    case.restrictions_start if starting else None)


def _newest_first(case: Any, entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """Newest first; within one second, in the order of the audit trail: an entry read from
    its own record (a review, a decision) takes the place of the audit entry that wrote it."""
    written = timeline_steps.written_at(case.reference)
    # The records of one kind in one second take that second's entries in turn, in the order
    # they were made (the order they are read in); any beyond the entries found, the last.
    taken: dict[tuple[str, datetime], int] = {}
    placed = []
    for e in entries:
        if e.seq:
            placed.append(e)
            continue
        seqs = written.get((e.kind, e.at), [])
        turn = taken.get((e.kind, e.at), 0)
        taken[(e.kind, e.at)] = turn + 1
        placed.append(replace(e, seq=seqs[min(turn, len(seqs) - 1)] if seqs else 0))
    # Every entry recorded by an audit entry names it ("Audit entry: #412"), as the audit
    # trail's screen numbers its lines: a reader goes from the case file to the trail and
    # to `crm-tui audit verify` by it (found when tried: only the steps read from the trail
    # said it, a decision or a consultation did not).
    named = [replace(e, detail="\n".join(
        line for line in (e.detail, f"{timeline_steps.AUDIT_ENTRY}#{e.seq}") if line))
        if e.seq and timeline_steps.AUDIT_ENTRY not in e.detail else e for e in placed]
    return sorted(named, key=lambda e: (e.at, e.seq), reverse=True)


def _appeal_line(case: Any) -> str:
    """The appeal deadline the customer was given -- only while it is still open to them.
    Once they have appealed against that letter's decision, the panel says so instead (and
    nothing once the appeal is decided: one appeal per decision, then the Ombudsman)."""
    deadline = posted.appeal_deadline(case.id)
    if deadline is None:
        return ""
    letter = Letter.get_by_id(deadline.letter_id)
    issued = (letter.signed_at.date() if isinstance(letter.signed_at, datetime)
              else letter.signed_at)
    appeal = (Appeal.select().where((Appeal.case == case) & (Appeal.received_on >= issued))
              .order_by(Appeal.received_on.desc()).first() if issued is not None else None)
    if appeal is None:
        # A deadline already passed is no longer open to the customer: not shown.
        return deadline.line() if deadline.appeal_by >= clock.today() else ""
    if not appeal.outcome:
        return (f"Appeal received {in_prose(appeal.received_on)}{_late(appeal)}, awaiting "
                "its decision")
    return ""


def _against_view(case: Any) -> str:
    decision = (Decision.select().join(Restriction, on=(Restriction.decision == Decision.id))
                .where((Restriction.case == case) & (Restriction.status == IN_FORCE)
                       & (Decision.against_view_reason != "")).first())
    if decision is None:
        return ""
    return (f"Decided against the Head of Service's view on {in_prose(decision.decided_at)}. "
            f"The CRM's reasons: {decision.against_view_reason}")


def officers() -> list[tuple[str, str]]:
    """(login, name) of the team members a case can be assigned to."""
    from crm_tui.db.models import User
    from crm_tui.domain.roles import Role

    rows = User.select().where(User.role.in_([Role.CRM.value, Role.OFFICER.value])
                               & (User.active == True)).order_by(User.name)  # noqa: E712
    return [(u.login, u.name) for u in rows]


def count_contacts(customer_id: int) -> int:
    return int(ContactLogEntry.select(fn.COUNT(ContactLogEntry.id))
               .where(ContactLogEntry.customer == customer_id).scalar() or 0)


def decision_heading(action: str) -> str:
    """A decision's timeline heading in plain words, as the notices of a change say it
    ("Decision on appeal: restrictions removed"; v21: "Decision: Remove on appeal" read as
    the step's code, beside "Appeal upheld: restrictions removed")."""
    step = Action(action)
    words = DONE.get(step, step.label.lower())
    for said, heading in (("appeal decided: ", "Decision on appeal"),
                          ("review decided: ", "Decision on review")):
        if words.startswith(said):
            return f"{heading}: {words.removeprefix(said)}"
    return f"Decision: {words}"
