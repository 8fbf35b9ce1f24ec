"""A story told after a decision: an early review at which the restrictions are extended,
after the customer was invited to comment and did, and the Head of Service agreed; then, once
the contact settled, lifted (the demo's extension decision and lifted letters)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crm_tui import clock
from crm_tui.demo import telling
from crm_tui.domain.dates import add_months
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import ConsultationSubject, ConsultationView
from crm_tui.services.core import comments_in
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.intake import casework
from crm_tui.services.restrictions import builder, decisions
from crm_tui.services.reviews import review_session, review_steps

if TYPE_CHECKING:
    from crm_tui.demo.builder import DemoBuilder, Story


def extended_then_lifted(b: DemoBuilder, ref: str) -> Story:
    yield 330
    summary = review_steps.start_review(b.crm, ref)
    builder.redraft_in_force(b.user("tomasz.nowak"), ref)
    ends = add_months(summary.restrictions_end or clock.today(), 6)
    # The date given is the whole reply-by period from today, as the form offers it: the
    # period is counted as configured (working days by default, bank holidays skipped), so
    # it is asked of the rule rather than written here as a number of days.
    reply_by = comments_in.period_from(clock.today())
    review_steps.propose_extension(
        b.crm, ref, "Contact continued on most days outside the named officer; six months "
        "more proposed", reply_by, ends_on=ends, customer_reason=telling.EXTENSION_PROPOSED)
    # The customer is asked only once the invitation is signed (and may be decided on after).
    b.issue(ref, LetterKind.INVITATION)
    yield 322
    review_session.record_comments(b.user("tomasz.nowak"), ref, telling.COMMENTS,
                                   clock.today())
    # Consulted, and decided, once the customer's time to comment is up (a view given
    # within it is asked again).
    after = min(305, (b.today - reply_by).days - 1)
    yield after
    casework.record_consultation(b.user("priya.raman"), ref, view=ConsultationView.AGREES,
                                 view_text="Agree to six months more on the same terms",
                                 subject=ConsultationSubject.EXTENSION, proposed_end=ends)
    yield after - 2
    review_steps.extend_restrictions(
        b.crm, ref, "Comments considered: replies were within ten working days throughout; "
        "contact outside the named officer continued", DecisionTerms(
            starts_on=clock.today(), ends_on=ends), read=b.read(ref),
        customer_reason=telling.EXTENDED)
    yield 35
    review_steps.start_review(b.crm, ref)
    yield 30
    decisions.lift_restrictions(b.crm, ref, "No unreasonable contact for six months; no "
                                   "likelihood of recurrence",
                                customer_reason=telling.LIFTED)
    b.issue(ref, LetterKind.LIFTED)
