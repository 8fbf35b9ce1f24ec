"""The restriction builder's rules: contact compliance (a table of contacts x restrictions),
the equality clash, review dates inside the restriction period, and what a decision needs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from crm_tui.domain.compliance import ContactFacts, RestrictionInForce, check_contact
from crm_tui.domain.contact import Channel
from crm_tui.domain.equality import ContactNeed, clashes, parse_needs, store_needs
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.restrictions import RestrictionKind as K
from crm_tui.domain.restrictions import validate_parameters
from crm_tui.domain.terms import settle_review_date

TUESDAY = datetime(2026, 12, 1, 14, 30)
SATURDAY = datetime(2026, 12, 5, 11, 0)

RESTRICTIONS: dict[str, tuple[K, dict[str, Any]]] = {
    "letter only": (K.FORM_OF_CONTACT, {"channels": ["letter"]}),
    "letter and email": (K.FORM_OF_CONTACT, {"channels": ["email", "letter"]}),
    "named officer": (K.NAMED_OFFICER, {"officer": "Tomasz Nowak", "deputy": "Ceri Hughes"}),
    "phone tue/thu 10-12": (K.TELEPHONE_TIMES, {"days": ["tue", "thu"],
                                                "windows": ["10:00-12:00"],
                                                "number": "01632 960999"}),
    "phone tue 14-16": (K.TELEPHONE_TIMES, {"days": ["tue"], "windows": ["14:00-16:00"],
                                            "number": "01632 960999"}),
    "new issues only": (K.NEW_ISSUES_ONLY, {"closed_issues": ["Gutter repair"]}),
    "blocked": (K.BLOCK_ELECTRONIC, {"why_nothing_less": "Threats by phone and email"}),
}

# (restriction, channel, when, officer, matter) -> breach reason fragment or None
TABLE = [
    ("letter only", Channel.LETTER, TUESDAY, "Aisha Karim", None, None),
    ("letter only", Channel.TELEPHONE, TUESDAY, "Aisha Karim", None, "came by telephone"),
    ("letter only", Channel.EMAIL, TUESDAY, "Aisha Karim", None, "only by letter"),
    ("letter and email", Channel.EMAIL, TUESDAY, "", None, None),
    ("letter and email", Channel.WEB_FORM, TUESDAY, "", None, "email and letter"),
    ("named officer", Channel.TELEPHONE, TUESDAY, "Tomasz Nowak", None, None),
    ("named officer", Channel.TELEPHONE, TUESDAY, "ceri hughes", None, None),  # the deputy
    ("named officer", Channel.EMAIL, TUESDAY, "Aisha Karim", None, "made to Aisha Karim"),
    ("named officer", Channel.LETTER, TUESDAY, "", None, "an officer not recorded"),
    ("phone tue/thu 10-12", Channel.TELEPHONE, datetime(2026, 12, 1, 10, 0), "", None, None),
    ("phone tue/thu 10-12", Channel.TELEPHONE, datetime(2026, 12, 1, 12, 0), "", None,
     "a call at 12:00"),
    ("phone tue/thu 10-12", Channel.TELEPHONE, SATURDAY, "", None, "on a Saturday"),
    ("phone tue/thu 10-12", Channel.EMAIL, SATURDAY, "", None, None),  # emails are not calls
    ("phone tue 14-16", Channel.TELEPHONE, TUESDAY, "", None, None),
    ("new issues only", Channel.EMAIL, TUESDAY, "", "Gutter repair", "already dealt with"),
    ("new issues only", Channel.EMAIL, TUESDAY, "", "gutter repair ", "already dealt with"),
    ("new issues only", Channel.EMAIL, TUESDAY, "", "", None),  # about no recorded matter
    ("new issues only", Channel.EMAIL, TUESDAY, "", "Bin collections", None),  # a new one
    ("blocked", Channel.LETTER, TUESDAY, "", None, None),
    ("blocked", Channel.TELEPHONE, TUESDAY, "", None, "blocked"),
    ("blocked", Channel.SOCIAL_MEDIA, TUESDAY, "", None, "blocked"),
    ("blocked", Channel.FACE_TO_FACE, TUESDAY, "", None, None),
]


@pytest.mark.parametrize(("name", "channel", "at", "officer", "matter", "expected"), TABLE)
def test_compliance_table(name: str, channel: Channel, at: datetime, officer: str,
                          matter: str | None, expected: str | None) -> None:
    kind, params = RESTRICTIONS[name]
    restriction = RestrictionInForce(1, kind, validate_parameters(kind, params))
    verdict = check_contact([restriction], ContactFacts(
        at=at, channel=channel, officer=officer, matter=matter or "",
        matter_closed_on=date(2026, 6, 1) if matter else None))
    if expected is None:
        assert verdict.complied, verdict.breaches
    else:
        [breach] = verdict.breaches
        assert expected in breach.reason and breach.restriction_id == 1


def test_several_restrictions_each_breach_named_and_queries_left_to_judgement() -> None:
    restrictions = [RestrictionInForce(i, *RESTRICTIONS[n]) for i, n in
                    enumerate(("letter only", "named officer"), 1)]
    restrictions.append(RestrictionInForce(3, K.SIGNIFICANT_QUERIES_ONLY,
                                           {"definition": "new bills only"}))
    verdict = check_contact(restrictions, ContactFacts(TUESDAY, Channel.TELEPHONE, "Ben"))
    assert [b.restriction_id for b in verdict.breaches] == [1, 2]
    assert verdict.notes and "new bills only" in verdict.notes[0]


@pytest.mark.parametrize(("name", "needs", "clash"), [
    ("letter only", "telephone", "needs to be able to telephone"),
    ("letter only", "email", "only by letter"),
    ("letter and email", "email", None),
    ("letter and email", "face_to_face", "face-to-face"),
    ("blocked", "telephone", "blocks telephone"),
    ("blocked", "face_to_face", None),
    ("phone tue/thu 10-12", "telephone", "limits calls"),
    ("named officer", "telephone", None),
    ("letter only", "large_print,plain_english,interpreter", None),
])
def test_equality_clash_rule(name: str, needs: str, clash: str | None) -> None:
    kind, params = RESTRICTIONS[name]
    found = clashes(kind, validate_parameters(kind, params), parse_needs(needs))
    if clash is None:
        assert found == []
    else:
        [one] = found
        assert clash in one.explanation


def test_needs_are_stored_in_a_fixed_order_and_unknown_ones_refused() -> None:
    assert store_needs((ContactNeed.EMAIL, ContactNeed.TELEPHONE)) == "telephone,email"
    assert parse_needs(" email , telephone ") == (ContactNeed.TELEPHONE, ContactNeed.EMAIL)
    with pytest.raises(ValidationError, match="unknown need"):
        parse_needs("carrier pigeon")


def _review(due: date | None, ends: date = date(2028, 11, 28),
            starts: date = date(2026, 11, 28)) -> date:
    return settle_review_date(decided_on=date(2026, 11, 28), starts_on=starts, ends_on=ends,
                              review_due=due, period_months=12, reason=None, note="")


def test_review_dates_stay_inside_the_restriction_period() -> None:
    # six-month restrictions are reviewed by the day they end, not a year on
    assert _review(None, ends=date(2027, 5, 28)) == date(2027, 5, 28)
    with pytest.raises(ValidationError) as after:
        _review(date(2027, 6, 1), ends=date(2027, 5, 28))
    assert after.value.field == "review_due" and "after the restrictions end" in str(after.value)
    with pytest.raises(ValidationError) as before:
        _review(date(2026, 12, 10), starts=date(2027, 1, 4))
    assert "must be after the restrictions start (04/01/2027)" in str(before.value)
    with pytest.raises(ValidationError) as later:
        _review(date(2028, 1, 1))
    assert "at least every 12 months" in str(later.value)


def test_windows_and_deputies_are_checked() -> None:
    with pytest.raises(ValidationError) as backwards:
        validate_parameters(K.TELEPHONE_TIMES, {"days": ["mon"], "windows": ["16:00-14:00"]})
    assert backwards.value.field == "windows"
    with pytest.raises(ValidationError) as same:
        validate_parameters(K.NAMED_OFFICER, {"officer": "Ann", "deputy": "Ann"})
    assert same.value.field == "deputy"
    with pytest.raises(ValidationError) as none_open:
        validate_parameters(K.FORM_OF_CONTACT, {"channels": []})
    assert none_open.value.field == "channels"


def test_working_days_skip_weekends_and_bank_holidays() -> None:
    from crm_tui.domain.deadlines import add_working_days
    from crm_tui.services.core.deadlines import bank_holidays

    christmas = bank_holidays(2026)
    assert date(2026, 12, 25) in christmas and date(2026, 12, 28) in christmas  # Boxing Day
    # Thursday 24 December 2026 + 2 working days: Friday 25 and Monday 28 are holidays
    assert add_working_days(date(2026, 12, 24), 2, christmas | bank_holidays(2027)) == \
        date(2026, 12, 30)
    assert add_working_days(date(2026, 11, 27), 1, christmas) == date(2026, 11, 30)  # Fri->Mon
    with pytest.raises(ValueError):
        add_working_days(date(2026, 11, 27), -1, christmas)


def test_which_deadlines_count_working_days_is_configuration() -> None:
    from crm_tui.config import Config
    from crm_tui.services.core import deadlines, settings

    settings.configure(Config(working_day_deadlines=("reply_by",)))
    assert deadlines.due("reply_by", date(2026, 12, 24), 2) == date(2026, 12, 30)
    assert deadlines.due("appeal", date(2026, 12, 24), 2) == date(2026, 12, 26)


def test_a_repeat_on_a_closed_matter_is_said_in_prose() -> None:
    """Round 12: 'Gutter repair' in single quotes, and "07 Sep 2025" where every other
    sentence says "5 Dec 2026": the matter quoted as every message quotes a typed word,
    the day with no leading zero."""
    kind, params = RESTRICTIONS["new issues only"]
    verdict = check_contact([RestrictionInForce(1, kind, validate_parameters(kind, params))],
                            ContactFacts(at=TUESDAY, channel=Channel.EMAIL, officer="",
                                         matter="Gutter repair",
                                         matter_closed_on=date(2025, 9, 7)))
    [breach] = verdict.breaches
    assert breach.reason == 'about "Gutter repair", already dealt with on 7 Sep 2025'


def test_the_restrictions_set_out_are_named_each_with_its_terms() -> None:
    """v22 C2: an amendment's confirmation said only "the restrictions amended as set out";
    it names them as the decision's does, two of a kind told apart by their `#`."""
    from crm_tui.domain.restrictions import RestrictionKind, set_out_in_words

    phone = RestrictionKind.TELEPHONE_TIMES
    assert set_out_in_words([(phone, "Mondays 10:00-11:00 on 01632 960999.")]) == (
        "the Telephone on specified days and times restriction (\u201cMondays 10:00-11:00 on "
        "01632 960999\u201d)")
    assert set_out_in_words([(phone, "a"), (RestrictionKind.SIGNIFICANT_QUERIES_ONLY, "b"),
                             (phone, "c")]) == (
        "the Telephone on specified days and times restriction (#1) (\u201ca\u201d), the "
        "Significant and serious queries only restriction (\u201cb\u201d) and the Telephone "
        "on specified days and times restriction (#3) (\u201cc\u201d)")
