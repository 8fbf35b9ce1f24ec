"""The policy's six kinds of restriction and the parameters each one needs.

Parameters are kept as plain JSON-able dicts (stored as they are); `validate_parameters`
is the one gate they pass through, so a restriction in the database is always complete.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from crm_tui.domain.contact import Channel
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.typed_dates import quoted
from crm_tui.domain.wording import uk_telephone

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WINDOW = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")


class RestrictionKind(StrEnum):
    FORM_OF_CONTACT = "form_of_contact"
    NAMED_OFFICER = "named_officer"
    TELEPHONE_TIMES = "telephone_times"
    SIGNIFICANT_QUERIES_ONLY = "significant_queries_only"
    NEW_ISSUES_ONLY = "new_issues_only"
    BLOCK_ELECTRONIC = "block_electronic"

    @property
    def label(self) -> str:
        return _LABELS[self][0]

    @property
    def policy_words(self) -> str:
        return _LABELS[self][1]


_LABELS = {
    RestrictionKind.FORM_OF_CONTACT: (
        "Contact in a particular form only",
        "Contact with the council only be accepted in a particular form (i.e. letter only)"),
    RestrictionKind.NAMED_OFFICER: (
        "Named officer only",
        "Contact will only take place with a named officer (or deputy in their absence)"),
    RestrictionKind.TELEPHONE_TIMES: (
        "Telephone on specified days and times",
        "Restricting telephone calls to specified days and times"),
    RestrictionKind.SIGNIFICANT_QUERIES_ONLY: (
        "Significant and serious queries only",
        "Only significant and serious queries will be addressed by the council"),
    RestrictionKind.NEW_ISSUES_ONLY: (
        "New issues only",
        "Only new issues will be dealt with; issues previously dealt with will not be "
        "acknowledged or actioned"),
    RestrictionKind.BLOCK_ELECTRONIC: (
        "Telephone and electronic contact blocked",
        "Extreme cases may lead to the blocking of telephone calls and electronic contact"),
}


def _text(params: dict[str, Any], key: str, *, required: bool = True) -> str:
    value = params.get(key, "")
    if not isinstance(value, str):
        raise ValidationError(key, "must be text")
    value = value.strip()
    if required and not value:
        raise ValidationError(key, "is required")
    return value


_NONE_GIVEN = {
    "channels": "leave at least one way of contact open",
    "days": "tick at least one day",
    "windows": "give at least one time window, like 10:00-12:00",
    "closed_issues": "name at least one matter already dealt with",
}


def _text_list(params: dict[str, Any], key: str) -> list[str]:
    value = params.get(key)
    items = [str(v).strip() for v in value if str(v).strip()] if isinstance(value, list) else []
    if not items:
        raise ValidationError(key, _NONE_GIVEN.get(key, "must list at least one entry"))
    return items


def _channels(params: dict[str, Any]) -> list[str]:
    names = _text_list(params, "channels")
    try:
        channels = [Channel(n) for n in names]
    except ValueError:
        known = ", ".join(c.value for c in Channel)
        raise ValidationError("channels", f"unknown channel; known: {known}") from None
    return sorted({c.value for c in channels})


def _telephone_times(params: dict[str, Any]) -> dict[str, Any]:
    days = [d.lower() for d in _text_list(params, "days")]
    bad = [d for d in days if d not in WEEKDAYS]
    if bad:
        raise ValidationError("days", f"{quoted(bad[0])} is not a weekday ({', '.join(WEEKDAYS)})")
    windows = _windows(params)
    # The letter tells the customer which number to ring in the window.
    number = uk_telephone("number", _text(params, "number", required=False))
    if not number:
        raise ValidationError("number", "give the telephone number the customer rings in "
                                        "these times (like 01632 960999)")
    return {"days": [d for d in WEEKDAYS if d in days], "windows": windows, "number": number}


def _windows(params: dict[str, Any]) -> list[str]:
    """The time windows, or ValidationError naming every window refused, each with why (b15d
    F5: the second bad window was said only once the first was put right)."""
    windows = _text_list(params, "windows")
    problems = []
    for window in windows:
        if not _WINDOW.match(window):
            problems.append(f"{quoted(window)} is not a time window like 10:00-12:00")
            continue
        start, end = window.split("-")
        if start >= end:
            problems.append(f"{quoted(window)} ends before it starts")
    if problems:
        raise ValidationError("windows", "; ".join(problems))
    return windows


def _officer_id(params: dict[str, Any]) -> int | None:
    """The user the named officer is (chosen from the users, so that the letter can give their
    direct details); None in restrictions set out before officers were chosen."""
    value = params.get("officer_id")
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise ValidationError("officer", "choose the named officer from the users")
    return int(value)


def _each_field(kind: RestrictionKind) -> list[Any]:
    """The checks of a kind's parameters, one field each, so that all can be made at once."""
    def officers_differ(params: dict[str, Any]) -> None:
        officer, deputy = _text(params, "officer"), _text(params, "deputy")
        if officer == deputy:
            raise ValidationError("deputy", "must be a different officer from the named officer")
    if kind is RestrictionKind.FORM_OF_CONTACT:
        return [_channels]
    if kind is RestrictionKind.NAMED_OFFICER:
        return [lambda p: _text(p, "officer"), _officer_id, lambda p: _text(p, "deputy"),
                officers_differ]
    if kind is RestrictionKind.TELEPHONE_TIMES:
        # The windows read whatever the days: every problem of the form at once (b15d F5).
        return [lambda p: _text_list(p, "days"), _windows,
                lambda p: uk_telephone("number", _text(p, "number", required=False))]
    if kind is RestrictionKind.NEW_ISSUES_ONLY:
        return [lambda p: _text_list(p, "closed_issues")]
    return []


_REQUIRED = {"officer": "choose the named officer", "deputy": "choose a deputy for their absence"}


def parameter_problems(kind: RestrictionKind, params: dict[str, Any]) -> dict[str, str]:
    """Every parameter's problem at once (field -> message), the first of each field, by the
    same rules validate_parameters refuses with: a form shows them with its other fields'."""
    found: dict[str, str] = {}
    for check in [*_each_field(kind), lambda p: validate_parameters(kind, p)]:
        try:
            check(params)
        except ValidationError as exc:
            message = exc.message
            if message == "is required":
                message = _REQUIRED.get(exc.field, message)
            found.setdefault(exc.field, message)
    return found


def validate_parameters(kind: RestrictionKind, params: dict[str, Any]) -> dict[str, Any]:
    """Return the parameters in their stored form, or raise ValidationError naming the field."""
    if kind is RestrictionKind.FORM_OF_CONTACT:
        result: dict[str, Any] = {"channels": _channels(params)}
        address = _text(params, "email_address", required=False)
        if address:
            if "@" not in address:
                raise ValidationError("email_address", "is not an email address")
            result["email_address"] = address
        return result
    if kind is RestrictionKind.NAMED_OFFICER:
        officer = _text(params, "officer")
        deputy = _text(params, "deputy")
        if officer == deputy:
            raise ValidationError("deputy", "must be a different officer from the named officer")
        named: dict[str, Any] = {"officer": officer, "deputy": deputy}
        officer_id = _officer_id(params)
        if officer_id is not None:
            named["officer_id"] = officer_id
        return named
    if kind is RestrictionKind.TELEPHONE_TIMES:
        return _telephone_times(params)
    if kind is RestrictionKind.SIGNIFICANT_QUERIES_ONLY:
        return {"definition": _text(params, "definition")}
    if kind is RestrictionKind.NEW_ISSUES_ONLY:
        return {"closed_issues": _text_list(params, "closed_issues")}
    # BLOCK_ELECTRONIC: the policy keeps it for extreme cases, so the reason nothing less
    # will do is part of the restriction itself.
    return {"why_nothing_less": _text(params, "why_nothing_less")}


def describe(kind: RestrictionKind, params: dict[str, Any]) -> str:
    """One line a member of staff can act on."""
    if kind is RestrictionKind.FORM_OF_CONTACT:
        names = []
        for channel in params["channels"]:
            name = Channel(channel).label.lower()
            if channel == Channel.EMAIL.value and params.get("email_address"):
                name = f"email to {params['email_address']}"
            names.append(name)
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"Contact accepted only by {listed}"
    if kind is RestrictionKind.NAMED_OFFICER:
        return f"Contact only with {params['officer']} (deputy: {params['deputy']})"
    if kind is RestrictionKind.TELEPHONE_TIMES:
        days = ", ".join(d.capitalize() for d in params["days"])
        number = f" on {params['number']}" if params.get("number") else ""
        return f"Telephone calls only on {days}, {', '.join(params['windows'])}{number}"
    if kind is RestrictionKind.SIGNIFICANT_QUERIES_ONLY:
        return f"Only significant and serious queries addressed: {params['definition']}"
    if kind is RestrictionKind.NEW_ISSUES_ONLY:
        return "Not acknowledged: " + "; ".join(params["closed_issues"])
    return "Telephone and electronic contact blocked; letters only"


def _opens(kind: RestrictionKind, params: dict[str, Any]) -> set[str] | None:
    """The channels a restriction leaves open (None: it does not limit the channels)."""
    if kind is RestrictionKind.FORM_OF_CONTACT:
        return set(params.get("channels") or [])
    if kind is RestrictionKind.BLOCK_ELECTRONIC:
        return {c.value for c in Channel if not c.electronic}
    return None


def already_set_out(kind: RestrictionKind,
                    others: list[tuple[RestrictionKind, dict[str, Any]]]) -> str:
    """Why another restriction of this kind cannot be added to the set ("" if it can): one of
    each kind is the rule. Two "Named officer only" restrictions made a letter that said
    "contact the council only through Hannah Okafor … everything" and then "only through Liam
    Doyle … everything" (v15e F2); two of any kind tell the customer two rules for one thing."""
    for other, other_params in others:
        if other is kind:
            return (f"There is already a {kind.label} restriction on this case "
                    f"(\u201c{describe(other, other_params)}\u201d): change it (e) rather "
                    "than add another")
    return ""


def set_problems(terms: list[tuple[RestrictionKind, dict[str, Any]]]) -> list[str]:
    """What makes a set of restrictions (older data, set out before one of each kind was the
    rule) one no decision can rest on: two of a kind, or two whose letter sentences
    contradict. One sentence each; the set stays readable and is decided once one is
    discarded."""
    problems: list[str] = []
    for kind in RestrictionKind:
        same = [p for k, p in terms if k is kind]
        if len(same) > 1:
            listed = "; ".join(f"\u201c{describe(kind, p)}\u201d" for p in same)
            many = {2: "two", 3: "three"}.get(len(same), str(len(same)))
            problems.append(f"There are {many} {kind.label} restrictions ({listed}): one "
                            "restriction of each kind only, as the letter cannot tell the "
                            "customer both; discard one (x)")
    for place, (kind, params) in enumerate(terms):
        later = [(k, p) for k, p in terms[place + 1:] if k is not kind]
        problem = clash(kind, params, later)
        if problem:
            problems.append(problem[:1].upper() + problem[1:])
    return problems


def contradiction(kind: RestrictionKind, params: dict[str, Any],
                  others: list[tuple[RestrictionKind, dict[str, Any]]]) -> str:
    """Why this restriction cannot stand beside the others on the case ("" if it can): another
    of its kind, or one whose letter sentences it contradicts."""
    return already_set_out(kind, others) or clash(kind, params, others)


def clash(kind: RestrictionKind, params: dict[str, Any],
           others: list[tuple[RestrictionKind, dict[str, Any]]]) -> str:
    """Why this restriction's letter sentences contradict another's ("" if they do not): a
    letter that says "only by letter" and then "telephone on Tuesdays" tells the customer two
    things at once (found when tried)."""
    for other, other_params in others:
        for (k, p), (o, op) in (((kind, params), (other, other_params)),
                                ((other, other_params), (kind, params))):
            opened = _opens(o, op)
            if k is RestrictionKind.TELEPHONE_TIMES and opened is not None \
                    and Channel.TELEPHONE.value not in opened:
                return (f"telephone calls at set times cannot stand beside "
                        f"\u201c{describe(o, op)}\u201d, which closes the telephone: change "
                        "or discard one of them")
            if k is RestrictionKind.FORM_OF_CONTACT and o is RestrictionKind.FORM_OF_CONTACT \
                    and not set(p.get("channels") or []) & set(op.get("channels") or []):
                return (f"\u201c{describe(k, p)}\u201d and \u201c{describe(o, op)}\u201d leave "
                        "no way of contact in common: change or discard one of them")
        if (kind is RestrictionKind.FORM_OF_CONTACT and other is RestrictionKind.BLOCK_ELECTRONIC) \
                or (kind is RestrictionKind.BLOCK_ELECTRONIC \
                and other is RestrictionKind.FORM_OF_CONTACT):
            form = params if kind is RestrictionKind.FORM_OF_CONTACT else other_params
            electronic = [c for c in form.get("channels") or [] if Channel(c).electronic]
            if electronic:
                return (f"contact by {Channel(electronic[0]).label.lower()} cannot be both "
                        "accepted and blocked: change or discard one of them")
    return ""


def named(kind: RestrictionKind | str, *, capital: bool = False, article: bool = True,
          place: int | None = None) -> str:
    """A restriction as a CRM knows it, by its kind: "the Named officer only restriction".
    Never by its row's number in the database: the policy numbers its six kinds 1-6, and
    "Restriction 18" on a case with one restriction read as a kind (b15e F10). `place`: a
    draft whose kind another draft of the case shares, by its place in the builder's list
    (its `#`): "the Named officer only restriction (#2)" (`repeated_places`)."""
    label = RestrictionKind(kind).label
    mark = f" (#{place})" if place else ""
    if not article:  # in a list: "referral, Named officer only restriction"
        return f"{label} restriction{mark}"
    return f"{'The' if capital else 'the'} {label} restriction{mark}"


def repeated_places(kinds: Sequence[RestrictionKind | str]) -> list[int | None]:
    """For a case's drafts in the builder's order: each one's place in the list (its `#`,
    counting 1, 2, …) where another draft shares its kind, else None (its kind names it).
    Two Named officer only drafts were both "the Named officer only restriction" in every
    message, and a CRM could not tell which one was meant (issue 15)."""
    each = [RestrictionKind(kind) for kind in kinds]
    counts = Counter(each)
    return [place if counts[kind] > 1 else None for place, kind in enumerate(each, start=1)]


def set_out_in_words(drafts: Sequence[tuple[RestrictionKind | str, str]]) -> str:
    """The restrictions a decision puts in force, as its confirmation names them (t15c F8):
    each by its kind (and `#` where two share one) with its terms, in the builder's order:
    "the Telephone on specified days and times restriction (\u201cMonday 10:00-11:00 on
    01632 960999\u201d)". `drafts`: (kind, description) each."""
    places = repeated_places([kind for kind, _ in drafts])
    names = [f"{named(kind, place=place)} (\u201c{description.rstrip('.')}\u201d)"
             for (kind, description), place in zip(drafts, places, strict=True)]
    return (" and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1
            else "".join(names))
