"""A restriction's words for the customer read as they are saved with the letter's own rule on
closed ways of contact: a form refuses at the field what signing would refuse (t15c F1: "Please
ring us on 01632 960000" was saved on a letter-only restriction, and found only at the
decision)."""

from __future__ import annotations

from typing import Any

from crm_tui.db.models import Case, Restriction
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.restrictions import RestrictionKind, clash
from crm_tui.letters import checker
from crm_tui.letters.wording import OFFERED
from crm_tui.services.core.restriction_status import IN_FORCE
from crm_tui.services.letters import letter_facts
from crm_tui.services.letters.letter_content import letterhead
from crm_tui.services.restrictions import parameters


def closed_with(case: Case, kind: RestrictionKind, params: dict[str, Any], *,
                leaving_out: int | None = None) -> frozenset[str]:
    """The council's ways of contact (channel values) closed by the drafts once this one is
    saved (`leaving_out`: the draft it replaces), or by the restrictions in force: a decision
    letter prints the words beside the drafts, an invitation to comment beside those in
    force."""
    drafted = [*parameters.drafted_terms(case, leaving_out=leaving_out), (kind, params)]
    in_force = letter_facts.terms_of(Restriction.select().where(
        (Restriction.case == case) & (Restriction.status == IN_FORCE)))
    closed: set[str] = set()
    for terms in (drafted, in_force):
        if terms:
            _, ways, _ = letter_facts.rules(terms, letterhead().telephone)
            closed |= set(OFFERED) - ways.channels
    return frozenset(closed)


def refuse_closed_offers(case: Case, kind: RestrictionKind, params: dict[str, Any],
                         words: str, *, leaving_out: int | None = None) -> str:
    """`words`, or ValidationError at "Why, as the customer is told it" when they offer a way
    of contact the restrictions close, as the letter checker reads them."""
    others = parameters.drafted_terms(case, leaving_out=leaving_out)
    if clash(kind, params, [(k, p) for k, p in others if k is not kind]):
        # A set whose letter would tell the customer two things at once is refused for that,
        # once every field is read (telephone at set times beside letters only): its words are
        # not read against the channels such a set closes.
        return words
    found = checker.offered(words, closed_with(case, kind, params, leaving_out=leaving_out))
    if found:
        raise ValidationError(
            "customer_reason",
            f"offers what the restrictions close: {'; '.join(found)}. The letter would be "
            "refused: tell what happened (\u201cyou rang us\u201d) without inviting contact "
            "that way")
    return words
