"""The facts a letter is written from, read from the record: the words the customer is told
(with the CRM's edits for this letter), the people they may contact with their direct
details, what the restrictions leave open, and examples of the behaviour as dated counts."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from crm_tui import clock
from crm_tui.db.models import (
    Appeal,
    BaseModel,
    Case,
    ContactLogEntry,
    Decision,
    EvidenceLink,
    ExtensionProposal,
    LocalResolution,
    Matter,
    Restriction,
    Review,
    User,
)
from crm_tui.domain.categories import BehaviourCategory as B
from crm_tui.domain.categories import from_mask
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.grounds import shows
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.letters.content import (
    SUMMARY,
    SUMMARY_ALL,
    SUMMARY_BETWEEN,
    SUMMARY_BOTH,
    SUMMARY_ON,
    SUMMARY_SOME,
)
from crm_tui.letters.wording import (
    DAYS,
    OFFERED,
    Person,
    Rule,
    Ways,
    day,
    days_listed,
    listed,
    number,
    times,
    window,
)

Edits = Mapping[str, str] | None
Terms = Sequence[tuple[RestrictionKind, Mapping[str, Any]]]

# The shared scheme for a letter's edits: "{table}:{row id}:{field}".
TABLES: dict[type[BaseModel], str] = {Decision: "decision", Restriction: "restriction",
                                  Appeal: "appeal", ExtensionProposal: "proposal",
                                  LocalResolution: "local_resolution"}


def key(row: BaseModel, field: str) -> str:
    return f"{TABLES[type(row)]}:{row.id}:{field}"


def told(row: BaseModel, field: str, edits: Edits = None) -> str:
    """What the customer is told from this field: the CRM's edit for this letter where there
    is one, else the field as recorded. Every customer-facing field a letter uses is read
    here, so that an edit reaches every place the field is said."""
    if edits is not None and key(row, field) in edits:
        return str(edits[key(row, field)])
    return str(getattr(row, field) or "")


def person(user: User) -> Person:
    return Person(user.name, user.title, user.telephone, user.email)


def named(params: Mapping[str, Any], which: str) -> Person | None:
    """The named officer (or deputy) of a restriction: by the user id the form records, else
    by name among the council's people, else the name alone (no direct details)."""
    name = str(params.get(which, "")).strip()
    user_id = params.get(f"{which}_id")
    user = User.get_or_none(User.id == user_id) if user_id else None
    if user is None and name:
        user = (User.select().where((User.name == name) & User.active)
                .order_by(User.id).first())
    if user is not None:
        return person(user)
    return Person(name) if name else None


def rules(terms: Terms, council_telephone: str) -> tuple[list[Rule], Ways, list[str]]:
    """Each restriction with its facts, what they leave open together, and the contact
    details they depend on that the record lacks."""
    channels = set(OFFERED)
    email_address, windows, officer = "", "", None
    for kind, p in terms:
        if kind is RestrictionKind.FORM_OF_CONTACT:
            channels &= set(p.get("channels", []))
            email_address = str(p.get("email_address", "")) or email_address
        elif kind is RestrictionKind.BLOCK_ELECTRONIC:
            channels &= {Channel.LETTER.value}
        elif kind is RestrictionKind.NAMED_OFFICER:
            officer = named(p, "officer")
        elif kind is RestrictionKind.TELEPHONE_TIMES:
            windows = (f"on {listed([DAYS[d] for d in p.get('days', [])])}, "
                       f"{listed([window(w) for w in p.get('windows', [])], 'or')}")
    telephone = (officer.telephone if officer is not None and officer.telephone
                 else council_telephone)
    found: list[Rule] = []
    unmet: list[str] = []
    for kind, p in terms:
        if kind is RestrictionKind.NAMED_OFFICER:
            found.append(Rule(kind, p, officer=named(p, "officer"),
                              deputy=named(p, "deputy")))
        elif kind is RestrictionKind.TELEPHONE_TIMES:
            number = str(p.get("number", "")).strip() or telephone
            telephone = number
            found.append(Rule(kind, p, telephone=number))
            if not number:
                unmet.append("the telephone number to ring in the permitted times")
        else:
            found.append(Rule(kind, p))
    ways = Ways(channels=frozenset(channels), email_address=email_address,
                telephone=telephone, telephone_times=windows, officer=officer)
    if officer is not None:
        electronic = [c for c in (Channel.TELEPHONE.value, Channel.EMAIL.value)
                      if ways.open(c)]
        has = ((ways.open(Channel.TELEPHONE.value) and officer.telephone)
               or (ways.open(Channel.EMAIL.value) and officer.email and not email_address))
        if electronic and not has:
            unmet.append(f"{officer.name}'s direct telephone number or email address (the "
                         "named officer)")
    return found, ways, unmet


def terms_of(rows: Iterable[Restriction]) -> Terms:
    return [(RestrictionKind(r.kind), json.loads(r.parameters)) for r in rows]


VERBS = {Channel.TELEPHONE.value: "telephoned us", Channel.EMAIL.value: "emailed us",
         Channel.LETTER.value: "wrote to us", Channel.WEB_FORM.value: "used our online form",
         Channel.FACE_TO_FACE.value: "came to our offices",
         Channel.SOCIAL_MEDIA.value: "contacted us through social media",
         Channel.COUNCILLOR_ENQUIRY.value: "asked a councillor to contact us"}


# What each behaviour was, said to the customer: "In this contact, you …".
SHOWN = {
    B.SCATTERGUN: "sent the same matter to several people at once",
    B.EXCESSIVE_DEMANDS: "asked again and again for updates on the same matter",
    B.OFFENSIVE_REMARKS: "were rude or threatening to our staff",
    B.REPEAT_COMPLAINTS: "raised complaints we had already answered",
    B.OUTSIDE_POLICY: "asked us to deal with matters outside our usual rules",
    B.CHANGING_BASIS: "changed what your complaint was about",
    B.TRIVIAL_LATE_INFO: "added small details late in our enquiries",
    B.NUMEROUS_QUESTIONS: "asked many detailed questions and wanted an answer to each",
    B.FALSIFIED_DOCUMENTS: "sent us documents that were not genuine",
    B.REFUSING_DECISION: "disputed a decision that had already been through every appeal",
    B.OUTSIDE_RESPONSIBILITY: "raised matters the council is not responsible for",
    B.OUTSIDE_REMIT: "raised matters outside what the council can do by law",
    B.GROUNDLESS_STAFF_COMPLAINTS: "complained about our staff without good reason",
    B.RECORDING_WITHOUT_CONSENT: "recorded our staff without asking them first",
}


def _said(on: date, counts: Counter[str]) -> str:
    parts = []
    for channel, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        verb = VERBS.get(channel, "contacted us")
        parts.append(verb if n == 1 else f"{verb} {times(n)}")
    return f"On {day(on)} you {listed(parts)}."


# Days a behaviour is told of by name at most; seen on more, by its first and last.
NAMED_DAYS = 6
# Example days at most when more are needed to show each day a behaviour is named on.
MOST_DAYS = 8


def examples(contacts: Iterable[ContactLogEntry], limit: int = 5) -> list[str]:
    """The behaviour as the customer would recognise it: examples of their contact by day
    (what they did and how many times, as full sentences in date order), then every
    behaviour relied on, most frequent first, with how many contacts showed it and on which
    days. The example days show every behaviour (issue 15 AX1: the busiest five days left out
    the most frequent behaviour, and a behaviour seen on 3 and 7 November was said of 7
    November alone), each day a behaviour is named on where they can (up to MOST_DAYS), then
    the days with the most contact (the latest first among equals) up to `limit`."""
    by_day: dict[date, Counter[str]] = {}
    seen: dict[B, Counter[date]] = {}
    rows = list(contacts)
    closed = _matters_closed(rows)
    for row in rows:
        on = row.at.date()
        by_day.setdefault(on, Counter())[row.channel] += 1
        # What the contact shows by the analysis's rule, not its tag alone (found when tried:
        # a letter told the customer "you raised complaints we had already answered" from
        # contacts tagged so under no matter at all, while the analysis counted 0 repeats).
        for c in from_mask(row.categories):
            if c in SHOWN and shows(c, is_contact=True, contact_on=on,
                                    matter_closed_on=closed.get(row.matter_id)):
                seen.setdefault(c, Counter())[on] += 1
    order = sorted(seen, key=lambda c: (-seen[c].total(), min(seen[c]), list(B).index(c)))
    busiest = sorted(by_day, key=lambda d: (sum(by_day[d].values()), d), reverse=True)
    chosen: list[date] = []
    for c in order:  # a day that shows each behaviour
        if not any(d in seen[c] for d in chosen):
            chosen.append(max(seen[c], key=lambda d: (seen[c][d], sum(by_day[d].values()), d)))
    for c in order:  # the days each behaviour is named on, while they fit
        named_days = [d for d in sorted(seen[c]) if d not in chosen]
        if len(seen[c]) <= NAMED_DAYS and len(chosen) + len(named_days) <= MOST_DAYS:
            chosen += named_days
    chosen += [d for d in busiest if d not in chosen][:max(0, limit - len(chosen))]
    days = sorted(chosen)
    found = [_said(d, by_day[d]) for d in days]
    # Behaviours seen in the same contacts' days alike are told together (most frequent
    # first); each is said of the days that showed it, never of all the examples when only
    # some did (v15g G1: five contacts were all said to dispute a decision after every
    # appeal, when one was about a closed matter).
    groups: dict[tuple[tuple[date, int], ...], list[B]] = {}
    for c in order:
        groups.setdefault(tuple(sorted(seen[c].items())), []).append(c)
    listed_all = set(days) >= set(by_day)
    for showing, shown_there in groups.items():
        what = listed([SHOWN[c] for c in shown_there])
        n = sum(count for _, count in showing)
        when = [d for d, _ in showing]
        # "all of these" only of the contacts listed above: the contacts relied on need not
        # be all the customer's contact.
        if n == len(rows) and listed_all:
            lead = (SUMMARY if n == 1 else SUMMARY_BOTH if n == 2
                    else SUMMARY_ALL.format(number(n)))
            found.append(f"{lead} {what}.")
        elif n == 1:
            found.append(f"{SUMMARY_ON} {day(when[0])}, you {what}.")
        elif len(when) <= NAMED_DAYS:
            lead = SUMMARY_SOME.format(number(n))
            found.append(f"{lead} {days_listed(when)}, you {what}.")
        else:
            lead = SUMMARY_BETWEEN.format(number(n))
            found.append(f"{lead} {days_listed([when[0], when[-1]])}, you {what}.")
    return found


def _matters_closed(rows: Sequence[ContactLogEntry]) -> dict[int | None, date | None]:
    """The day each matter the contacts are about was closed (a matter still open: none)."""
    ids = {row.matter_id for row in rows if row.matter_id is not None}
    if not ids:
        return {}
    return {m.id: m.closed_on for m in Matter.select(Matter.id, Matter.closed_on).where(
        Matter.id.in_(list(ids)) & Matter.closed_on.is_null(False))}


def _behaviour_rows() -> Any:
    return ContactLogEntry.select().where(
        (ContactLogEntry.categories != 0)
        & (ContactLogEntry.direction == Direction.INBOUND.value))


def evidence_examples(restriction_ids: list[int]) -> list[str]:
    """Examples from the contacts the restrictions rest on."""
    ids = [link.contact_id for link in EvidenceLink.select().where(
        EvidenceLink.restriction.in_(restriction_ids) & EvidenceLink.contact.is_null(False))]
    return examples(_behaviour_rows().where(ContactLogEntry.id.in_(ids)))


def since(case: Case, until: datetime | None,
          started: date | None = None) -> tuple[date | None, str]:
    """Where examples for a review start: the last review finished before `until`, else the
    start of the restrictions (`started`, where a later decision has moved the case's); with
    the words that introduce them."""
    query = Review.select().where((Review.case == case) & (Review.outcome != "")
                                  & Review.decided_at.is_null(False))
    if until is not None:
        # A review the decision itself closed (that day) is not the last review before it.
        query = query.where(Review.decided_at < datetime.combine(until.date(), time.min))
    last = query.order_by(Review.decided_at.desc()).first()
    start = started or case.restrictions_start
    words = "Since the restrictions started on {}"
    decided = _decided_before_start(case, start, until)
    if decided is not None:
        # Decided to start on a later day not reached yet: the behaviour since they were
        # decided, during the review period the policy looks at (mx's bug 4: an extension
        # proposed before the start was refused at its decision, "it does not say dated
        # examples of the behaviour", none since a start not reached).
        start, words = decided, "Since we decided the restrictions on {}"
    if last is not None and (start is None or last.decided_at.date() > start):
        return last.decided_at.date(), f"Since our last review on {day(last.decided_at.date())}"
    if start is not None:
        return start, words.format(day(start))
    return None, ""


# The decisions that set the restrictions' start (case.restrictions_start).
_SETTING_START = ("impose_restrictions", "extend_restrictions", "vary_restrictions",
                  "amend_on_appeal")


def _decided_before_start(case: Case, start: date | None, until: datetime | None) -> date | None:
    """The day the restrictions were decided, when they start on a later day not reached by
    `until` (today, if None); None if they have started (or none are set)."""
    reached = until.date() if until is not None else clock.today()
    if start is None or start <= reached:
        return None
    query = Decision.select().where((Decision.case == case)
                                    & Decision.action.in_(_SETTING_START))
    if until is not None:
        query = query.where(Decision.decided_at <= until)
    latest = query.order_by(Decision.id.desc()).first()
    return latest.decided_at.date() if latest is not None else None


def recent_examples(case: Case, start: date | None, until: datetime | None) -> list[str]:
    """Examples from the case's log sheets since `start` (not before it), up to `until`."""
    if start is None:
        return []
    query = _behaviour_rows().where((ContactLogEntry.case == case)
                                    & (ContactLogEntry.at >= datetime.combine(
                                        start, datetime.min.time())))
    if until is not None:
        query = query.where(ContactLogEntry.at <= until)
    return examples(query)
