"""Is a proposed set of restrictions lighter than what is in force, or stricter in some
respect? The policy lets the CRM make restrictions lighter or shorter directly; anything
stricter or longer follows a review (the customer told the reasons and invited to comment,
the Head of Service consulted on the proposal as it stands).

Restrictions bind together: the customer must keep to each of them. So each kind is compared
on its own, and loosening one kind can never tighten the whole. A change that is not clearly
lighter (another named officer, a reworded definition of a significant query) counts as
stricter: the safe side, because it changes what the customer must do without their having
been asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from crm_tui.domain.contact import Channel
from crm_tui.domain.restrictions import WEEKDAYS, RestrictionKind
from crm_tui.domain.typed_dates import in_prose

Terms = tuple[RestrictionKind, Mapping[str, Any]]
DAY_NAMES = dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                "Saturday", "Sunday"), strict=True))


@dataclass(frozen=True)
class Comparison:
    """Each respect in which the proposal differs, on the side it falls, as a verb phrase
    that follows "it" ("it has fewer telephone days", "it adds the restriction …")."""

    stricter: tuple[str, ...] = ()
    lighter: tuple[str, ...] = ()

    @property
    def lighter_or_equal(self) -> bool:
        return not self.stricter


def _day(value: date) -> str:
    return in_prose(value, full_month=True)


def span(earlier: date, later: date) -> str:
    """'2 years', '18 months', '10 days' between two dates."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if months >= 1 and later.day == earlier.day:
        if months % 12 == 0:
            years = months // 12
            return f"{years} year{'s' if years != 1 else ''}"
        return f"{months} month{'s' if months != 1 else ''}"
    days = (later - earlier).days
    return f"{days} day{'s' if days != 1 else ''}"


def _by_kind(terms: Iterable[Terms]) -> dict[RestrictionKind, list[Mapping[str, Any]]]:
    grouped: dict[RestrictionKind, list[Mapping[str, Any]]] = {}
    for kind, params in terms:
        grouped.setdefault(kind, []).append(params)
    return grouped


def _open_channels(rows: list[Mapping[str, Any]]) -> set[str]:
    # Two "contact only by …" restrictions together leave open only what both allow.
    sets = [set(r.get("channels", [])) for r in rows]
    return set.intersection(*sets) if sets else set()


def _channel(name: str) -> str:
    try:
        return Channel(name).label.lower()
    except ValueError:
        return name


def _form_of_contact(now: list[Mapping[str, Any]], then: list[Mapping[str, Any]],
                     stricter: list[str], lighter: list[str]) -> None:
    before, after = _open_channels(now), _open_channels(then)
    stricter += [f"closes the channel {_channel(c)}" for c in sorted(before - after)]
    lighter += [f"opens the channel {_channel(c)}" for c in sorted(after - before)]
    if Channel.EMAIL.value in before & after:
        old = {str(r["email_address"]) for r in now if r.get("email_address")}
        new = {str(r["email_address"]) for r in then if r.get("email_address")}
        if old and not new:
            lighter.append("accepts email at any of the council's addresses again")
        elif new != old:
            stricter.append("changes the email address contact is accepted at")


def _minutes(window: str) -> set[int]:
    start, end = window.split("-")
    h1, m1 = (int(x) for x in start.split(":"))
    h2, m2 = (int(x) for x in end.split(":"))
    return set(range(h1 * 60 + m1, h2 * 60 + m2))


def _telephone_open(rows: list[Mapping[str, Any]]) -> dict[str, set[int]]:
    """The minutes of each weekday when the customer may telephone, under every restriction
    of this kind at once."""
    result: dict[str, set[int]] | None = None
    for row in rows:
        minutes: set[int] = set()
        for window in row.get("windows", []):
            minutes |= _minutes(str(window))
        open_now = {d: set(minutes) for d in row.get("days", [])}
        result = open_now if result is None else {
            d: result[d] & open_now[d] for d in result if d in open_now}
    return {d: m for d, m in (result or {}).items() if m}


def _telephone(now: list[Mapping[str, Any]], then: list[Mapping[str, Any]],
               stricter: list[str], lighter: list[str]) -> None:
    before, after = _telephone_open(now), _telephone_open(then)
    lost = [d for d in WEEKDAYS if d in before and d not in after]
    gained = [d for d in WEEKDAYS if d in after and d not in before]
    if lost:
        stricter.append("has fewer telephone days (no calls on "
                        f"{', '.join(DAY_NAMES[d] for d in lost)})")
    if gained:
        lighter.append("has more telephone days (calls also on "
                       f"{', '.join(DAY_NAMES[d] for d in gained)})")
    for d in WEEKDAYS:
        if d in before and d in after:
            if before[d] - after[d]:
                stricter.append(f"has shorter telephone hours on {DAY_NAMES[d]}")
            if after[d] - before[d]:
                lighter.append(f"has longer telephone hours on {DAY_NAMES[d]}")


def _texts(rows: list[Mapping[str, Any]], key: str) -> set[str]:
    return {" ".join(str(r.get(key, "")).split()).lower() for r in rows}


def _closed_issues(rows: list[Mapping[str, Any]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for row in rows:
        for issue in row.get("closed_issues", []):
            found.setdefault(" ".join(str(issue).split()).lower(), str(issue).strip())
    return found


def _same_kind(kind: RestrictionKind, now: list[Mapping[str, Any]],
               then: list[Mapping[str, Any]], stricter: list[str], lighter: list[str]) -> None:
    if kind is RestrictionKind.FORM_OF_CONTACT:
        _form_of_contact(now, then, stricter, lighter)
    elif kind is RestrictionKind.TELEPHONE_TIMES:
        _telephone(now, then, stricter, lighter)
    elif kind is RestrictionKind.NAMED_OFFICER:
        pairs = {(r.get("officer"), r.get("deputy")) for r in now}
        if {(r.get("officer"), r.get("deputy")) for r in then} != pairs:
            stricter.append("changes the named officer or their deputy")
    elif kind is RestrictionKind.SIGNIFICANT_QUERIES_ONLY:
        if _texts(now, "definition") != _texts(then, "definition"):
            stricter.append("changes what counts as a significant and serious query")
    elif kind is RestrictionKind.NEW_ISSUES_ONLY:
        before, after = _closed_issues(now), _closed_issues(then)
        more = [after[k] for k in sorted(set(after) - set(before))]
        fewer = [before[k] for k in sorted(set(before) - set(after))]
        if more:
            stricter.append(f"has more matters not acknowledged: {'; '.join(more)}")
        if fewer:
            lighter.append(f"has fewer matters not acknowledged: {'; '.join(fewer)} will be "
                           "dealt with again")
    # BLOCK_ELECTRONIC has no parameter that limits the customer: its text is the reason
    # nothing less will do, which changes no respect of the restriction.


def _moved(now: date | None, proposed: date | None, words: str, *, later_is_lighter: bool,
           stricter: list[str], lighter: list[str]) -> None:
    """A date of the restrictions moved: `words` takes "later"/"sooner", the new day and the
    one in force (and `{span}`, how far it moved)."""
    if now is None or proposed is None or now == proposed:
        return
    later = proposed > now
    said = words.format("later" if later else "sooner", _day(proposed), _day(now),
                        span=span(min(now, proposed), max(now, proposed)))
    (lighter if later == later_is_lighter else stricter).append(said)


def compare(in_force: Iterable[Terms], proposed: Iterable[Terms], *,
            ends_now: date | None = None, ends_proposed: date | None = None,
            review_now: date | None = None,
            review_proposed: date | None = None,
            starts_now: date | None = None,
            starts_proposed: date | None = None) -> Comparison:
    """How `proposed` (with its start, end and review dates) differs from `in_force`.
    `starts_now`: the day those in force apply from, or today if they already do."""
    now, then = _by_kind(in_force), _by_kind(proposed)
    stricter: list[str] = []
    lighter: list[str] = []
    # Those in force stop the day the change is decided (decisions.put_in_force): a later
    # start leaves the customer unrestricted until then; a sooner one restricts them before
    # the day they were told.
    _moved(starts_now, starts_proposed, "starts {} (on {} instead of {})",
           later_is_lighter=True, stricter=stricter, lighter=lighter)
    # The block shuts telephone and electronic contact (Channel.electronic) altogether; calls
    # at set times limit the telephone alone. In its place they open what it shut: lighter
    # (v15j: block → telephone on set days was refused as "adds the restriction").
    unblocked = (RestrictionKind.BLOCK_ELECTRONIC in now
                 and RestrictionKind.BLOCK_ELECTRONIC not in then)
    for kind in RestrictionKind:
        if kind is RestrictionKind.TELEPHONE_TIMES and kind in then and kind not in now \
                and unblocked:
            lighter.append("allows telephone calls at set times, and electronic contact, where "
                           "both were blocked")
        elif kind in then and kind not in now:
            stricter.append(f"adds the restriction “{kind.label}”")
        elif kind in now and kind not in then:
            lighter.append(f"removes the restriction “{kind.label}”")
        elif kind in now:
            _same_kind(kind, now[kind], then[kind], stricter, lighter)
    _moved(ends_now, ends_proposed, "ends {span} {} ({} instead of {})",
           later_is_lighter=False, stricter=stricter, lighter=lighter)
    _moved(review_now, review_proposed, "is reviewed {} (by {} instead of {})",
           later_is_lighter=False, stricter=stricter, lighter=lighter)
    return Comparison(tuple(stricter), tuple(lighter))
