"""The steps on a case that leave no record of their own but an audit entry (taking a referral
into consideration, asking the Head of Service for a view, closing with no action…), put on
the case file's timeline in the user's words.

Every kind of audit entry written against a case is named here once: either shown from the
audit trail (`FROM_AUDIT`), or shown from its own record by the case file (`FROM_RECORDS`),
or deliberately left off the timeline (`NOT_ON_TIMELINE`, with why). A test holds the code's
audit kinds to this list, so a new step cannot go missing from the timeline unnoticed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from crm_tui.db.models import (
    AuditEntry,
    ContactLogEntry,
    EvidenceItem,
    Matter,
    Restriction,
    User,
)
from crm_tui.domain.audit_chain import ERASED
from crm_tui.domain.restrictions import RestrictionKind, named
from crm_tui.domain.typed_dates import in_prose

Payload = dict[str, Any]


@dataclass(frozen=True)
class Step:
    what: str  # the timeline's "What" column
    title: Callable[[Payload], str]  # the entry, from what the audit entry kept


def _fixed(text: str) -> Callable[[Payload], str]:
    return lambda _payload: text


def _count(key: str, one: str, many: str) -> Callable[[Payload], str]:
    def title(payload: Payload) -> str:
        n = payload.get(key)
        if isinstance(n, list):
            n = len(n)
        if not isinstance(n, int):
            return many.format(n="")
        return (one if n == 1 else many).format(n=n)
    return title


def _breaches(payload: Payload) -> str:
    found = payload.get("breaches")
    n = len(found) if isinstance(found, list) else 0
    checked = payload.get("checked")
    what = (f"{checked} {'contact' if checked == 1 else 'contacts'}"
            if isinstance(checked, int) else "Contacts")
    return (f"{what} checked against the restrictions: {n} "
            f"{'breach' if n == 1 else 'breaches'} found")


def _matter(verb: str) -> Callable[[Payload], str]:
    def title(payload: Payload) -> str:
        name = payload.get("title")
        return f"Matter {verb}" + (f": {name}" if isinstance(name, str) and name else "")
    return title


def _letter(what: str) -> Callable[[Payload], str]:
    def title(payload: Payload) -> str:
        n = payload.get("letter")
        return f"Letter {n}: {what}" if isinstance(n, int) else f"Letter {what}"
    return title


def _restriction(restriction_id: object, kind: object = None, *,
                 capital: bool = False) -> str:
    """A restriction an entry is about, named by its kind as the builder names it, never by the
    number of its row (b15e F10: "Restriction 18" read as one of the policy's six kinds). The
    entry's own words where it recorded the kind; else the restriction's row, while it is
    there (a discarded draft's is not)."""
    if not isinstance(kind, str) or kind not in {k.value for k in RestrictionKind}:
        row = (Restriction.get_or_none(Restriction.id == restriction_id)
               if isinstance(restriction_id, int) else None)
        kind = row.kind if row is not None else None
    if kind is None:
        return f"{'The' if capital else 'the'} restriction"
    return named(str(kind), capital=capital)


def _rests_on(payload: Payload) -> str:
    """k in the builder: what the restriction now rests on. Entries from before round 12 name
    no item ("others" absent): the general words, as they were."""
    r = _restriction(payload.get("restriction"), capital=True)
    n = payload.get("from_referral")
    others = payload.get("others")
    if not isinstance(others, list):
        return f"{r} rests on the referral's evidence ({n} linked)"
    named = [f"the referral's evidence ({n} linked)"] if n else []
    named += [str(o) for o in others[:3]]
    if len(others) > 3:
        named.append(f"{len(others) - 3} more")
    if not named:
        return f"{r}: nothing new linked"
    return f"{r} rests on " + (" and ".join(named) if len(named) < 3
                               else ", ".join(named[:-1]) + " and " + named[-1])


def _link(verb: str) -> Callable[[Payload], str]:
    def title(payload: Payload) -> str:
        if "from_referral" in payload:
            return _rests_on(payload)
        if "linked_to_restrictions" in payload:
            n = payload["linked_to_restrictions"]
            return f"{n} {'item' if n == 1 else 'items'} of evidence linked to the restrictions"
        if "contact" in payload:
            item = str(payload["contact"])
        elif "document" in payload:
            item = str(payload["document"])
        else:
            return f"Evidence {verb}"
        target = ("the referral" if "referral" in payload
                  else _restriction(payload.get("restriction")))
        return f"Evidence {verb}: {item} {'to' if verb == 'linked' else 'from'} {target}"
    return title


def _proposed(payload: Payload) -> str:
    """The proposal, which tells the customer nothing by itself: the invitation to comment
    is its own letter, signed after it (v15e F13: "the customer told why" was shown while it
    was never signed)."""
    by = payload.get("reply_by")
    try:
        when = f" by {in_prose(date.fromisoformat(str(by)))}" if by else ""
    except ValueError:
        when = ""
    return (f"Extension proposed, replies asked for{when}: the customer is told once the "
            "invitation to comment is signed")


FROM_AUDIT: dict[str, Step] = {
    "begin_consideration": Step("referral", _fixed("Referral taken into consideration")),
    "request_consultation": Step("consultation",
                                 _fixed("Head of Service's view asked for")),
    "close_no_action": Step("decision", _fixed("Decision: closed with no action")),
    "return_to_service_area": Step("decision", _fixed(
        "Decision: returned to the service area for further local resolution")),
    "start_review": Step("review", _fixed("Review started")),
    "propose_extension": Step("review", _proposed),
    "close_extension_proposal": Step("review", _fixed(
        "Extension proposal closed, not pursued: the restrictions continue unchanged")),
    "expire_restrictions": Step("decision", _fixed("Restrictions ended on their end date")),
    "archive": Step("retention", _fixed("File archived (read-only from now on)")),
    "assign": Step("case", lambda p: f"Case assigned to {p.get('officer', 'an officer')}"),
    # By its kind (v15d N4: two drafts of different kinds were both "Restriction set out").
    "draft_restriction": Step("restriction", lambda p: (
        f"{_restriction(None, p.get('kind'), capital=True)} set out (draft)")),
    "update_draft": Step("restriction",
                         lambda p: f"Draft changed: {_restriction(p.get('id'), p.get('kind'))}"),
    "discard_draft": Step("restriction",
                          _fixed("Draft restriction discarded")),
    "redraft_in_force": Step("restriction", _fixed(
        "Restrictions in force set out again as drafts")),
    "justify_equality_clash": Step("restriction", _fixed(
        "Restriction kept despite the customer's contact needs: reasons recorded")),
    "set_contact_needs": Step("customer", _fixed("The customer's contact needs recorded")),
    "set_customer_details": Step("customer", _fixed("How we write to the customer changed")),
    "set_customer_contact": Step("customer", _fixed(
        "The customer's postal address or contact details changed")),
    "link_evidence": Step("evidence", _link("linked")),
    "unlink_evidence": Step("evidence", _link("unlinked")),
    "weigh_evidence": Step("evidence", _fixed("Evidence weighed")),
    "tag_contact": Step("evidence", lambda p: f"Behaviour shown changed: {p.get('id', '')}"),
    "tag_document": Step("evidence", lambda p: f"Behaviour shown changed: {p.get('id', '')}"),
    "import_log_sheets": Step("log sheet", _count(
        "entries", "Log sheet imported: {n} contact", "Log sheet imported: {n} contacts")),
    "correct_contact": Step("log sheet", lambda p: f"Corrected: {p.get('id', '')}"),
    "set_contact_matter": Step("log sheet", lambda p: f"Put under a matter: {p.get('id', '')}"
                               if p.get("after") else f"Taken off its matter: {p.get('id', '')}"),
    "record_breach": Step("restriction", _fixed("Contact broke a restriction")),
    "record_breaches": Step("restriction", _breaches),
    "withdraw_from_screening": Step("screened post", _fixed(
        "Contact taken out of screening: as corrected it kept to the restrictions")),
    "open_matter": Step("matter", _matter("opened")),
    "close_matter": Step("matter", _matter("closed")),
    "reopen_matter": Step("matter", _matter("reopened")),
    "edit_letter": Step("letter", _letter("wording changed")),
    "export_letter": Step("letter", _letter("copy exported")),
    "export_accessible_copy": Step("letter", _letter("accessible copy written")),
    "make_print_pack": Step("letter", _letter("put in a print pack")),
    "export_evidence_bundle": Step("evidence", _fixed("Evidence bundle exported")),
    "export_evidence_copy": Step("evidence", _fixed("Copy of a document written")),
    "subject_access_request": Step("customer", _fixed(
        "Subject access request answered: everything held about the customer exported")),
}

# Steps whose own record is on the timeline already, with more than the audit entry holds:
# the record, not a second line from the audit trail.
FROM_RECORDS = frozenset({
    "open_local_resolution", "record_referral", "information_requested", "enquiry",
    "customer_comments", "record_consultation", "impose_restrictions", "vary_restrictions",
    "extend_restrictions", "lift_restrictions", "lift_without_letter", "continue_unchanged",
    "change_review_period",
    "lodge_appeal", "confirm_on_appeal", "amend_on_appeal", "remove_on_appeal",
    "record_escalation", "record_warning", "restrict_without_prior_warning",
    "nominate_appeal_officer", "revoke_nomination", "prepare_letter", "issue_letter",
    "resend_letter", "record_posting", "attach_evidence", "log_contact",
})

# Written against a case but not a step on it, or shown elsewhere.
NOT_ON_TIMELINE = {
    # Each contact is on the timeline; post filed with nothing new is in the screening
    # queue's history, the rest are on the timeline from the screening record.
    "screen_contact": "the screening queue's history",
    "destroy": "the file is gone: only its tombstone answers",
    "seed": "synthetic data for benchmarks",
}


def _when(at: str) -> datetime:
    # The app's clock is naive local time; an offset, if one was ever written, is dropped so
    # that the entry sorts among the others.
    return datetime.fromisoformat(at).replace(tzinfo=None)


def _payload(text: str) -> Payload:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}  # erased at the end of retention
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class AuditStep:
    at: datetime
    what: str
    title: str
    detail: str
    seq: int = 0  # its audit entry: steps of one second are ordered by it


# The audit entries whose "id" is a contact's, or a document's.
_CONTACT_IDS = ("tag_contact", "correct_contact", "set_contact_matter")
_DOCUMENT_IDS = ("tag_document",)


def _name_items(rows: list[AuditEntry], payloads: list[Payload]) -> None:
    """Put the contacts and documents the entries name by id as a user knows them: "the
    contact of 5 Oct 2026 09:00", "letter.pdf"."""
    contacts: dict[int, ContactLogEntry] = {}
    documents: dict[int, EvidenceItem] = {}
    keys: list[tuple[Payload, str, str]] = []
    for row, p in zip(rows, payloads, strict=True):
        for key, kind in (("contact", "contact"), ("document", "document"),
                          ("id", "contact" if row.action in _CONTACT_IDS else
                           "document" if row.action in _DOCUMENT_IDS else "")):
            if kind and isinstance(p.get(key), int):
                keys.append((p, key, kind))
    contact_ids = [p[k] for p, k, kind in keys if kind == "contact"]
    document_ids = [p[k] for p, k, kind in keys if kind == "document"]
    if contact_ids:
        contacts = {c.id: c for c in ContactLogEntry.select(ContactLogEntry.id, ContactLogEntry.at)
                    .where(ContactLogEntry.id.in_(contact_ids))}
    if document_ids:
        documents = {d.id: d for d in EvidenceItem.select(EvidenceItem.id,
                                                          EvidenceItem.original_name)
                     .where(EvidenceItem.id.in_(document_ids))}
    # A matter closed or reopened is named by its title, as its opening is (the timeline
    # said "Matter closed (Tomasz Nowak)" and left the reader to guess which).
    named = [p for row, p in zip(rows, payloads, strict=True)
             if row.action in ("close_matter", "reopen_matter") and isinstance(p.get("id"), int)
             and not p.get("title")]
    if named:
        titles = {m.id: m.title for m in Matter.select(Matter.id, Matter.title).where(
            Matter.id.in_([p["id"] for p in named]))}
        for p in named:
            p["title"] = titles.get(p["id"], "")
    for p, key, kind in keys:
        if kind == "contact":
            c = contacts.get(p[key])
            p[key] = (f"the contact of {in_prose(c.at)} {c.at:%H:%M}" if c is not None
                      else "a contact since removed")
        else:
            d = documents.get(p[key])
            p[key] = d.original_name if d is not None else "a document since removed"


# How an entry's detail names the audit entry that recorded it: "#n", as the audit trail's
# screen numbers its lines and `crm-tui audit verify` names entries.
AUDIT_ENTRY = "Audit entry: "


def audit_steps(reference: str) -> list[AuditStep]:
    """The case's steps that are on the timeline only through the audit trail, newest
    first."""
    rows = list(AuditEntry.select().where((AuditEntry.case_reference == reference)
                                          & AuditEntry.action.in_(list(FROM_AUDIT)))
                # Newest first, as the timeline reads: steps in the same second keep their
                # order through the timeline's (stable) sort.
                .order_by(AuditEntry.seq.desc()))
    payloads = [_payload(r.payload) for r in rows]
    # Who a case was assigned to is kept by login: named, as the rest of the file names people.
    logins = {r.actor_login for r in rows} | {str(p["officer"]) for p in payloads
                                                if "officer" in p}
    names = {u.login: u.name for u in User.select(User.login, User.name)
             .where(User.login.in_(list(logins)))} if logins else {}
    steps = []
    _name_items(rows, payloads)
    for row, payload in zip(rows, payloads, strict=True):
        step = FROM_AUDIT[row.action]
        if "officer" in payload:
            payload["officer"] = names.get(str(payload["officer"]), payload["officer"])
        who = names.get(row.actor_login, row.actor_login)
        reason = "" if row.reason == ERASED else row.reason
        detail = "\n".join(line for line in (
            f"By: {who}", f"Reason: {reason}" if reason else "",
            f"{AUDIT_ENTRY}#{row.seq}") if line)
        steps.append(AuditStep(_when(row.at), step.what,
                               f"{step.title(payload)} ({who})", detail, int(row.seq)))
    return steps


# The audit entries that write the records the case file reads entries of these kinds
# from (its "What" column): where such an entry is placed among the steps of its second.
# An appeal that amends or removes the restrictions writes a decision of its own and closes
# the review then open (often only the next one due, never begun); the customer's comments
# and a triage note are case notes; a document attached is an evidence item (t15c #6: these
# rows named no audit entry, though the trail holds theirs).
RECORD_ACTIONS: dict[str, frozenset[str]] = {
    "review": frozenset({"continue_unchanged", "change_review_period", "vary_restrictions",
                         "extend_restrictions", "lift_restrictions", "lift_without_letter",
                         "amend_on_appeal", "remove_on_appeal"}),
    "decision": frozenset({"impose_restrictions", "vary_restrictions", "extend_restrictions",
                           "lift_restrictions", "lift_without_letter", "amend_on_appeal",
                           "remove_on_appeal", "restrict_without_prior_warning"}),
    "consultation": frozenset({"record_consultation"}),
    "appeal": frozenset({"lodge_appeal", "confirm_on_appeal", "amend_on_appeal",
                         "remove_on_appeal"}),
    "comments": frozenset({"customer_comments"}),
    "triage": frozenset({"information_requested", "enquiry"}),
    "evidence": frozenset({"attach_evidence"}),
    "nomination": frozenset({"nominate_appeal_officer"}),
}


def written_at(reference: str) -> dict[tuple[str, datetime], list[int]]:
    """For each kind of entry read from a record (a review, a decision…) and each second of
    the case's trail, the audit entries of that second that wrote such a record, in the
    trail's order: where the timeline places each among the steps of that second (v15e F9:
    "Review started" was listed above "Review: continued" of the same second), and the entry
    each names. Several records of one kind in one second (a decision and its removal on
    appeal, recorded at once under a fixed clock) take one entry each, in the order made
    (v15h 1: every one of them named the last, and the decision appealed against was listed
    after the appeal's outcome)."""
    actions = sorted(set().union(*RECORD_ACTIONS.values()))
    written: dict[tuple[str, datetime], list[int]] = {}
    for row in (AuditEntry.select(AuditEntry.seq, AuditEntry.at, AuditEntry.action)
                .where((AuditEntry.case_reference == reference)
                       & AuditEntry.action.in_(actions))
                .order_by(AuditEntry.seq)):
        for kind, wrote in RECORD_ACTIONS.items():
            if row.action in wrote:
                written.setdefault((kind, _when(row.at)), []).append(int(row.seq))
    return written


def attached_by(reference: str) -> dict[int, int]:
    """For each document attached to the case (its evidence item's id), the audit entry that
    attached it: several attached in one second are each named by their own."""
    found: dict[int, int] = {}
    for row in (AuditEntry.select(AuditEntry.seq, AuditEntry.payload)
                .where((AuditEntry.case_reference == reference)
                       & (AuditEntry.action == "attach_evidence"))):
        document = _payload(row.payload).get("document")
        if isinstance(document, int):
            found[document] = int(row.seq)
    return found
