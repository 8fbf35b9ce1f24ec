"""Whether a decision rests on a real consultation: the Head of Service's latest view on this
decision (not on another, such as not writing to the customer), about the restrictions as they
now stand and an end no later than the one put to them; for an extension, given after the
customer's comment period."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from peewee import fn

from crm_tui.db.models import Case, Consultation, Decision, User
from crm_tui.domain.outcomes import ConsultationMethod, ConsultationSubject, ConsultationView
from crm_tui.domain.proposal import Proposal, changes
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import draft_wording


def _day(value: date) -> str:
    return in_prose(value, full_month=True)


@dataclass(frozen=True)
class ViewInfo:
    """A recorded view, as the screens and letters show it."""

    id: int
    subject: ConsultationSubject
    view: ConsultationView
    view_text: str
    consultee: str
    consulted_on: date
    method: ConsultationMethod | None
    recorded_by: str
    proposal: Proposal | None


def person(user: User) -> str:
    """Who someone is, as a view names them: the name on their user record; a record with no
    name (written outside the app) still names someone, by login, never a blank."""
    name = str(user.name or "").strip()
    return name or f"{user.login} (no name on their user record)"


def in_words(view: ConsultationView, consultee: str, recorded_by: str, on: date) -> str:
    """The Head of Service's view, worded once for every screen: who gave it (and who
    recorded it, when someone else did), when, and what it was. A name is never blank."""
    given = consultee.strip() or "the Head of Service (no name recorded)"
    recorder = recorded_by.strip()
    who = (f"recorded by {given}" if not recorder or recorder == given
           else f"given by {given} and recorded by {recorder}")
    return f"Head of Service's view, {who} on {in_prose(on)}: {view.label}"


def row_in_words(row: Consultation) -> str:
    """`in_words` for a stored view."""
    return in_words(ConsultationView(row.view), person(User.get_by_id(row.consultee_id)),
                    person(User.get_by_id(row.recorded_by_id)), row.consulted_on)


def info(row: Consultation) -> ViewInfo:
    consultee = User.get_by_id(row.consultee_id)
    recorder = User.get_by_id(row.recorded_by_id)
    return ViewInfo(int(row.id), ConsultationSubject(row.subject), ConsultationView(row.view),
                    row.view_text, person(consultee), row.consulted_on,
                    ConsultationMethod(row.method) if row.method else None, person(recorder),
                    Proposal.from_json(row.proposal))


def fresh_consultations(case: Case) -> Any:
    """The Head of Service's views that still count: those recorded since the case's last
    decision. A view recorded in the same second as a decision is not "since" it when the
    decision rested on it: the view a decision used, and every view before it, never count
    again (a builder said "consult again" about the very view just decided on)."""
    query = Consultation.select().where(Consultation.case == case)
    last = Decision.select(fn.MAX(Decision.decided_at)).where(Decision.case == case).scalar()
    if last is not None:
        query = query.where(Consultation.recorded_at >= last)
    used = (Decision.select(fn.MAX(Decision.consultation)).where(Decision.case == case)
            .scalar())
    if used is not None:
        query = query.where(Consultation.id > used)
    return query


def latest(case: Case, subject: ConsultationSubject) -> Consultation | None:
    """The latest view on this subject since the case's last decision: a later view replaces
    an earlier one, whichever way it goes."""
    query = fresh_consultations(case).where(Consultation.subject == subject.value)
    found: Consultation | None = query.order_by(Consultation.recorded_at.desc(),
                                                Consultation.id.desc()).first()
    return found


def evidence_only(case: Case, proposal: Proposal) -> set[int]:
    """The drafts put to the Head of Service whose own words are as they were then: any
    later version of them is a change to the evidence under them."""
    now = draft_wording.on_case(case)
    return {d.id for d in proposal.drafts if d.wording and now.get(d.id) == d.wording}


def what_changed(case: Case, proposal: Proposal, drafts: Mapping[int, int],
                 kinds: Mapping[int, RestrictionKind]) -> list[str]:
    """How the drafts now differ from those the view was given on, each named by its kind
    and by what changed: the restriction itself, or the evidence under it."""
    return changes(proposal.versions, drafts,
                   {**{d.id: d.kind for d in proposal.drafts}, **kinds},
                   evidence_only=evidence_only(case, proposal))


def problems(case: Case, subject: ConsultationSubject, drafts: Mapping[int, int],
             kinds: Mapping[int, RestrictionKind], ends_on: date | None = None,
             after: date | None = None) -> tuple[list[str], Consultation | None]:
    """What is wrong with the consultation a decision would rest on (nothing, for a sound
    one), and that consultation. `drafts`: the drafts now, id -> version; `kinds`: their
    kinds (and those of drafts discarded), each change named by its kind. `ends_on`: the
    decision's end date, checked against the end put to the Head of Service; `after`: a date
    the view must be given after (the end of the customer's comment period)."""
    row = latest(case, subject)
    if row is None:
        return [f"The Head of Service has not been consulted on {subject.label}"], None
    when = _day(row.consulted_on)
    proposal = Proposal.from_json(row.proposal)
    again = "The Head of Service must be consulted again: "
    if proposal is None:
        return [again + f"their view on {when} names no restrictions"], row
    found = [again + f"{change} after their view on {when}"
             for change in what_changed(case, proposal, drafts, kinds)]
    if ends_on is not None and proposal.ends_on is not None and ends_on > proposal.ends_on:
        found.append(again + f"they were consulted on restrictions ending on "
                     f"{_day(proposal.ends_on)}, and these would end on {_day(ends_on)}")
    if after is not None and row.consulted_on <= after:
        found.append(again + f"their view on {when} was given before the customer's comment "
                     f"period ended on {_day(after)}")
    return found, row
