"""What a restriction's parameters name in the database: the named officer is a user, chosen
from the users, whose direct details the decision letter gives the customer."""

from __future__ import annotations

import json
from typing import Any

from crm_tui.db.models import Case, Restriction, User
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.restrictions import (
    RestrictionKind,
    clash,
    contradiction,
    describe,
    set_problems,
)
from crm_tui.domain.typed_dates import quoted
from crm_tui.domain.wording import reachable_problem
from crm_tui.letters.wording import matter_title_problem
from crm_tui.services.core.restriction_status import DRAFT


def resolve(kind: RestrictionKind, params: dict[str, Any]) -> dict[str, Any]:
    """`params` (already through domain.restrictions.validate_parameters) with the named
    officer's name taken from the user chosen; refused when no user is chosen, or the user
    has no direct telephone or email for the letter to give, or a matter named is titled
    in words the letter cannot print."""
    if kind is RestrictionKind.NEW_ISSUES_ONLY:
        # The letter names each matter to the customer by its title: read as it reads it.
        for issue in params.get("closed_issues", []):
            problem = matter_title_problem(str(issue))
            if problem:
                raise ValidationError("closed_issues", f"{quoted(str(issue))} {problem}")
    if kind is not RestrictionKind.NAMED_OFFICER:
        return params
    officer_id = params.get("officer_id")
    if officer_id is None:
        raise ValidationError("officer", "choose the named officer from the users: the letter "
                                         "gives the customer their direct details")
    user = User.get_or_none((User.id == officer_id) & (User.active == True))  # noqa: E712
    if user is None:
        raise ValidationError("officer", f"no active user {officer_id}")
    problem = reachable_problem(user.name, user.telephone, user.email, as_what="named officer")
    if problem:
        raise ValidationError("officer", problem)
    if str(params["deputy"]).strip().lower() == str(user.name).strip().lower():
        raise ValidationError("deputy", "must be a different officer from the named officer")
    return {**params, "officer": str(user.name), "officer_id": int(user.id)}


def drafted_terms(case: Case, *, leaving_out: int | None = None,
                  ) -> list[tuple[RestrictionKind, dict[str, Any]]]:
    """The restrictions set out on the case, in the order they were, each as its kind and
    parameters."""
    query = Restriction.select().where((Restriction.case == case)
                                       & (Restriction.status == DRAFT)).order_by(Restriction.id)
    if leaving_out is not None:
        query = query.where(Restriction.id != leaving_out)
    return [(RestrictionKind(r.kind), json.loads(r.parameters or "{}")) for r in query]


def _digits(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit())


def officer_line_clash(terms: list[tuple[RestrictionKind, dict[str, Any]]]) -> str:
    """Why a named officer and a telephone number at set times cannot stand together ("" if
    they can): the letter tells the customer to telephone the officer on their own number
    at the set times, and then gives the set times' number as the one to ring them on (found
    when tried: two numbers for Hannah Okafor in one letter). Read from the officer's record
    as it is now, so a number changed since drafting is found before the decision."""
    named = next((p for k, p in terms if k is RestrictionKind.NAMED_OFFICER), None)
    times = next((p for k, p in terms if k is RestrictionKind.TELEPHONE_TIMES), None)
    if named is None or times is None or not str(times.get("number", "")).strip():
        return ""
    user = User.get_or_none(User.id == named.get("officer_id")) \
        if named.get("officer_id") is not None else None
    own = str(user.telephone or "").strip() if user is not None else ""
    number = str(times["number"]).strip()
    if user is None or not own or _digits(own) == _digits(number):
        return ""
    return (f"telephone calls at set times on {number} cannot stand beside "
            f"\u201c{describe(RestrictionKind.NAMED_OFFICER, named)}\u201d: the letter would "
            f"tell the customer to ring {user.name} on their own number, {own}, as well; give "
            f"{own} as the number to ring, or change or discard one of them")


def problems_of_set(case: Case) -> list[str]:
    """What makes the drafted set one no decision or invitation can rest on: two of a kind,
    two whose letter sentences contradict (older data: drafting refuses each)."""
    terms = drafted_terms(case)
    line = officer_line_clash(terms)
    return set_problems(terms) + ([line[:1].upper() + line[1:]] if line else [])


def refuse_contradiction(case: Case, kind: RestrictionKind, params: dict[str, Any], *,
                         leaving_out: int | None = None, kind_kept: bool = False) -> None:
    """ValidationError (at the kind) when the restriction contradicts another drafted on the
    case, or is a second of its kind: the decision and its letter would tell the customer two
    things at once. `kind_kept`: a draft changed without changing its kind is not refused for
    another of its kind set out before one of each was the rule (discarding one puts that
    right; the builder says so)."""
    others = drafted_terms(case, leaving_out=leaving_out)
    problem = (clash(kind, params, [(k, p) for k, p in others if k is not kind]) if kind_kept
               else contradiction(kind, params, others))
    problem = problem or officer_line_clash(
        [(kind, params), *((k, p) for k, p in others if k is not kind)])
    if problem:
        raise ValidationError("kind", problem)
