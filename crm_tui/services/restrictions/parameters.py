"""What a restriction's parameters name in the database: the named officer is a user, chosen
from the users, whose direct details the decision letter gives the customer."""

from __future__ import annotations

import json
from typing import Any

from crm_tui.db.models import Case, Restriction, User
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.restrictions import RestrictionKind, contradiction
from crm_tui.domain.typed_dates import quoted
from crm_tui.domain.wording import reachable_problem
from crm_tui.letters.wording import matter_title_problem
from crm_tui.services.core.case_steps import DRAFT


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


def refuse_contradiction(case: Case, kind: RestrictionKind, params: dict[str, Any], *,
                         leaving_out: int | None = None) -> None:
    """ValidationError (at the kind) when the restriction contradicts another drafted on the
    case: the decision and its letter would tell the customer two things at once."""
    query = Restriction.select().where((Restriction.case == case)
                                       & (Restriction.status == DRAFT))
    if leaving_out is not None:
        query = query.where(Restriction.id != leaving_out)
    others = [(RestrictionKind(r.kind), json.loads(r.parameters or "{}")) for r in query]
    problem = contradiction(kind, params, others)
    if problem:
        raise ValidationError("kind", problem)
