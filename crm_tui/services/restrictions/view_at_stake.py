"""Whether a change to evidence would void a Head of Service's view: a view given on the
drafts as they stand, one of which rests on the evidence about to change (or is the draft a
link is about to be made to or taken from). The evidence viewer asks first, naming whose view
and when, as the builder's k does (t15d F1: m voided a view without a word). The steps
themselves do not refuse: a change to the evidence is the CRM's to make, and the view, once
out of date, is only not relied on (the decision refuses to rest on it)."""

from __future__ import annotations

from crm_tui.db.models import Restriction, User
from crm_tui.domain.outcomes import ConsultationSubject
from crm_tui.domain.proposal import Proposal
from crm_tui.domain.roles import Actor
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import consulted
from crm_tui.services.core.case_steps import load_case
from crm_tui.services.core.draft_names import draft_named
from crm_tui.services.restrictions import versions


def view_voided(actor: Actor, reference: str, *, contact: int | None = None,
                document: int | None = None, restriction: int | None = None,
                what: str = "this evidence") -> str:
    """What changing this contact or document (or linking it to, or unlinking it from,
    `restriction`) would void, in a sentence naming whose view and its date; "" when no view
    on the drafts as they stand rests on it. `what`: the evidence as the question names it."""
    case = load_case(actor, reference)
    now = versions.current(case)
    touched = ([restriction] if restriction is not None
               else versions.resting_on(contact=contact, document=document))
    touched = [i for i in touched if i in now]
    if not touched:
        return ""
    for subject in (ConsultationSubject.REFERRAL, ConsultationSubject.EXTENSION):
        row = consulted.latest(case, subject)
        proposal = Proposal.from_json(row.proposal) if row is not None else None
        if row is None or proposal is None or dict(proposal.versions) != now:
            continue  # none, or already out of date: nothing more is lost
        names = [draft_named(int(case.id), Restriction.get_by_id(i)) for i in touched]
        drafts = " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 \
            else names[0]
        head = consulted.person(User.get_by_id(row.consultee_id))
        on = in_prose(row.consulted_on, full_month=True)
        how = ("this changes" if restriction is not None
               else f"{'they rest' if len(names) > 1 else 'it rests'} on {what}, so this "
                    "changes")
        return (f"{head}'s view as Head of Service, given on {on}, is on {drafts} as "
                f"{'they stand' if len(names) > 1 else 'it stands'}: {how} the evidence "
                f"under {'them' if len(names) > 1 else 'it'}, and {head} must be consulted "
                "again (c in the builder) before a decision.")
    return ""
