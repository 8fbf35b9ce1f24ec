"""Checks on user input shared by the services. Each raises ValidationError naming the field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from crm_tui import clock
from crm_tui.domain.characters import control_problem
from crm_tui.domain.counting import counted
from crm_tui.domain.errors import Placeholder, ValidationError
from crm_tui.domain.grounds import PLACEHOLDER_REASON, account_problem, reason_problem

MAX_TEXT = 20_000


def required_text(field: str, value: str, limit: int = MAX_TEXT) -> str:
    text = value.strip()
    if not text:
        raise ValidationError(field, "is required")
    return bounded_text(field, text, limit)


PLACEHOLDER = PLACEHOLDER_REASON


def grounds_text(field: str, value: str, limit: int = MAX_TEXT) -> str:
    """A reason recorded as the grounds of a decision: required, and a real one, as the
    referral form asks of its reasons (not "n/a", "TBC", "-")."""
    text = required_text(field, value, limit)
    problem = reason_problem(text)
    if problem:
        raise Placeholder(field, problem)
    return text


def account_text(field: str, value: str, limit: int = MAX_TEXT, *,
                 rule: Callable[[str], str | None] = account_problem) -> str:
    """A person's account recorded as fact (what happened, how it was dealt with; `rule`:
    domain.grounds' account_problem unless said): required, and not a placeholder."""
    text = required_text(field, value, limit)
    problem = rule(text)
    if problem:
        raise Placeholder(field, problem)
    return text


def bounded_text(field: str, value: str, limit: int = MAX_TEXT) -> str:
    text = value.strip()
    if len(text) > limit:
        raise ValidationError(field, "is too long ("
                              f"{counted(len(text), 'character', grouped=True)}; at most "
                              f"{limit:,})")
    problem = control_problem(text)
    if problem:
        raise ValidationError(field, problem)
    return text


def not_future(field: str, value: date) -> date:
    if value > clock.today():
        raise ValidationError(field, f"{value.isoformat()} is in the future: give a day up to "
                              "today")
    return value


def in_order(first_field: str, first: date, second_field: str, second: date) -> None:
    if second < first:
        raise ValidationError(second_field, f"{second.isoformat()} is before the "
                              f"{first_field.replace('_', ' ')} ({first.isoformat()})")
