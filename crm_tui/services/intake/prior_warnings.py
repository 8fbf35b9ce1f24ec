"""The warning the policy expects during local resolution: the customer told, in writing, that
continuing may lead to restrictions — in the local-resolution letter itself, or in a separate
warning letter. A decision to restrict checks that one was given (services.restrictions.
safeguards), unless the CRM took the extreme-case route."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from peewee import fn

from crm_tui import clock
from crm_tui.db.models import Case, LocalResolution, PriorWarning, Referral
from crm_tui.domain.dates import add_months
from crm_tui.domain.errors import InvalidTransition, ValidationError
from crm_tui.domain.first_contact import before_first_contact
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.roles import Actor
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import audit, first_contact
from crm_tui.services.core.case_steps import load_case, load_case_for_change
from crm_tui.services.core.database import atomic
from crm_tui.services.core.validation import account_text, not_future

IN_LETTER, SEPARATE_LETTER = "local_resolution_letter", "warning_letter"
# A warning belongs to local resolution; it can be recorded until the CRM decides.
BEFORE_DECISION = frozenset({CaseState.LOCAL_RESOLUTION, CaseState.NEW,
                             CaseState.UNDER_CONSIDERATION, CaseState.AWAITING_CONSULTATION})
IN_LETTER_SUMMARY = ("The local-resolution letter told the customer that if the behaviour "
                     "continues the council may restrict how they contact it")


def warned_in_letter(actor: Actor, case: Case, lr: LocalResolution) -> None:
    """The local-resolution letter was the warning (inside the caller's transaction)."""
    PriorWarning.create(case=case, given_on=lr.written_on, means=IN_LETTER,
                        summary=IN_LETTER_SUMMARY, local_resolution=lr,
                        recorded_by=actor.user_id, recorded_at=clock.now())


def record_warning(actor: Actor, reference: str, given_on: date, summary: str) -> int:
    """Record a separate warning letter sent to the customer during local resolution: the
    date it was sent and what it said. Returns its id."""
    with atomic():
        require(actor, Capability.RECORD_WARNINGS)
        case = load_case_for_change(actor, reference)
        state = CaseState(case.state)
        if state not in BEFORE_DECISION:
            raise InvalidTransition(f"a warning belongs to local resolution, before any "
                                    f"decision; {case.reference} {state.in_words}")
        not_future("given_on", given_on)
        problem = _warning_days(case).problem(given_on)
        if problem:
            raise ValidationError("given_on", problem)
        text = account_text("summary", summary, 5_000)
        row = PriorWarning.create(case=case, given_on=given_on, means=SEPARATE_LETTER,
                                  summary=text, recorded_by=actor.user_id,
                                  recorded_at=clock.now())
        audit.record(actor, "record_warning", case.reference, text,
                     {"id": row.id, "given_on": given_on, "means": SEPARATE_LETTER})
        return int(row.id)


@dataclass(frozen=True)
class WarningDays:
    """The earliest days a warning may be dated on a case, read once so that the form asks
    them with its other fields' checks (b15d F3: the date's problem came only after the text
    was given, at the next save)."""

    began: date  # local resolution's start; with none, a year before the referral
    began_is: str
    first_contact: date | None  # the customer's first contact with the council

    def problem(self, given_on: date) -> str | None:
        """Why a warning cannot be dated `given_on`, the day first (as ISO: forms and
        commands say it back as it was typed), or None."""
        if given_on < self.began:
            return (f"{given_on.isoformat()} is too early: a warning during local resolution "
                    f"cannot be dated before {self.began_is}, on "
                    f"{in_prose(self.began, full_month=True)}")
        return before_first_contact(given_on, self.first_contact, "a warning")


def warning_days(actor: Actor, reference: str) -> WarningDays:
    """The earliest days a warning on the case may be dated (the rules record_warning
    holds it to), for the form that records one."""
    require(actor, Capability.RECORD_WARNINGS)
    return _warning_days(load_case(actor, reference))


def _warning_days(case: Case) -> WarningDays:
    # During local resolution: not before it began; with none recorded, not more than a year
    # before the referral (a date from years before is not a warning about this). Nor before
    # the customer's first contact with the council (their earliest logged contact, on any
    # file), which may come after that year (issue 16).
    lr = (LocalResolution.select(fn.MIN(LocalResolution.written_on))
          .where(LocalResolution.case == case).scalar())
    if lr is not None:
        began, what = _as_date(lr), "it began"
    else:
        received = (Referral.select(fn.MIN(Referral.received_on))
                    .where(Referral.case == case).scalar())
        began = add_months(_as_date(received) if received else case.opened_on, -12)
        what = "a year before the referral"
    return WarningDays(began, what, first_contact.of_customer(case.customer_id))


def _as_date(value: object) -> date:
    # An aggregate comes back from SQLite as text.
    return value if isinstance(value, date) else date.fromisoformat(str(value))
