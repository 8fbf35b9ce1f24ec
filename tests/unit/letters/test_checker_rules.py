"""The letter checker's rules, each on a letter built by hand with the very fault found in
issue 14 (the words as they were seen in the exported letters), and a sound letter that passes
every rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from crm_tui.domain.letters import LetterKind
from crm_tui.domain.restrictions import RestrictionKind as K
from crm_tui.letters import checker
from crm_tui.letters.content import Letter, Letterhead, Restricting, decision_sections
from crm_tui.letters.wording import Person, Rule, Ways, duration, salutation_name

HEAD = Letterhead("Northmere City Council", "Complaints Resolution Team",
                  ("Civic Centre", "Harbour Road", "Northmere", "NM1 1AA"), "01632 960000",
                  "complaints.review@northmere.example.gov.uk", "www.northmere.example.gov.uk")
ON = date(2026, 12, 2)


def _restricting(rules: list[Rule], ways: Ways, **changes: object) -> Restricting:
    r = Restricting(rules=rules, reasons=["You emailed six officers a day about one repair."],
                    behaviour=["On 3 March 2026 you telephoned us four times."], ways=ways,
                    starts_on=ON, ends_on=date(2028, 12, 2), review_due=date(2027, 12, 2),
                    written_on=ON, appeal_by=date(2027, 1, 15))
    return replace(r, **changes)  # type: ignore[arg-type]


def _letter(sections: list[tuple[str, list[str]]] | None = None, **changes: object) -> Letter:
    letter = Letter(kind=LetterKind.DECISION, reference="UPV-2026-0001", letterhead=HEAD,
                    recipient="Mr Thaddeus Penhaligon", address=("1 Quay", "NM1 2AB"),
                    written_on=ON, subject="Decision to restrict your contact with the council",
                    sections=sections if sections is not None else decision_sections(
                        _restricting([Rule(K.FORM_OF_CONTACT, {"channels": ["letter"]})],
                                     Ways(channels=frozenset({"letter"}))), HEAD,
                        "UPV-2026-0001"),
                    signer="Ceri Hughes", signer_title="Complaints Resolution Manager",
                    form_of_address="Mr Penhaligon", closed_channels=("email", "telephone"))
    return replace(letter, **changes)  # type: ignore[arg-type]


def _with(letter: Letter, heading: str, paragraph: str) -> Letter:
    return replace(letter, sections=[(h, [*p, paragraph] if h == heading else p)
                                     for h, p in letter.sections])


def test_a_sound_letter_passes_every_rule() -> None:
    assert checker.missing(_letter()) == []


@pytest.mark.parametrize(("paragraph", "named"), [
    # Each as it was seen in the letters exported on 2 December 2026.
    ("From now on, Yes - Hannah Okafor, Housing Services Manager will be your single point of "
     "contact.", "internal wording “Yes -”"),
    ("From now on,  will be your single point of contact.", "a doubled space"),
    ("We will be in touch .", "an empty slot"),
    ("Letter setting out the council's concerns about the frequency and tone of contact.",
     "internal wording “Letter setting out”"),
    ("Mr Penhaligon made forty calls to six officers.", "the customer named in the third person"),
    ("Thaddeus Penhaligon made forty calls.", "the customer named in the third person"),
    ("Unreasonably persistent contact continued despite local resolution",
     "a sentence without a full stop"),
    ("Telephone calls only on Tue, Thu, 10:00-12:00: The pattern in the log sheets continued.",
     "note-form days or times"),
    ("Not acknowledged: Gutter repair at the customer's home.", "internal wording “Not "
                                                                 "acknowledged:”"),
    ("Not acknowledged: Gutter repair at the customer's home.",
     "the customer spoken of in the third person"),
    ("In particular:", "a sentence ending in a colon"),
    ("You can write to us at the address above, or email complaints.review@northmere.example"
     ".gov.uk.", "an email address offered, though the restrictions close email"),
    ("You can telephone us on 01632 960000.", "a telephone number offered, though the "
                                              "restrictions close telephone"),
    ("The restrictions start on 3 December 2022 and end on 3 December 2023.",
     "a date already past, 3 December 2022"),
    ("Your appeal must reach us by 14 September 2026.", "a date already past, 14 September "
                                                        "2026"),
    ("We will review them by 22 November 2026.", "a date already past, 22 November 2026"),
    ("TBC.", "internal wording “TBC”"),
    ("[reason]", "internal wording “[”"),
])
def test_each_fault_found_is_named(paragraph: str, named: str) -> None:
    problems = checker.missing(_with(_letter(), "Why", paragraph))
    assert any(named in p for p in problems), problems


def test_a_closed_way_offered_is_named_where_the_letter_says_how_to_reach_us() -> None:
    offered = _with(_letter(), "How you can still contact us",
                    "Please reply by email within 14 days.")
    assert any("contact by email offered" in p for p in checker.missing(offered))


@pytest.mark.parametrize("said", [
    "You can still speak to us by phone on Mondays.",
    "Ring +44 7700 900412 if you need us.",
    "You can use our online form.",
    "You can text us at any time.",
])
def test_a_closed_way_offered_in_other_words_is_named(said: str) -> None:
    offered = _with(_letter(), "How you can still contact us", said)
    assert any("offered" in p for p in checker.missing(offered)), said


@pytest.mark.parametrize("said", [
    # Found when tried: each was signed in a letters-only customer's letter.
    "You threatened a housing officer. Please ring us or message us on Facebook if you want "
    "to talk about this.",
    "You can also pop in to see us.",
    "If you disagree, please phone our out-of-hours line.",
    # And, found when tried again:
    "Give us a ring.", "You are welcome to visit us at the Civic Centre.",
    "Please drop us an e-mail.", "Feel free to telephone the team.",
    "You can send a text message.", "Please tweet us.", "You can chat to us online.",
    "Please speak to us at reception.", "You can contact us through our website.",
    "Our number is (01632) 960 000.",
])
def test_an_invitation_in_the_reasons_is_an_offer(said: str) -> None:
    offered = _with(_letter(), "Why", said)
    assert any("offered" in p for p in checker.missing(offered)), said


def test_a_closed_way_the_customer_used_is_described_not_offered() -> None:
    # The reasons say how the customer behaved; that is not an offer of the channel.
    said = _with(_letter(), "Why", "You threatened an officer by telephone, by email and in "
                                   "person.")
    assert not any("offered" in p for p in checker.missing(said))


def test_staff_who_share_the_customers_surname_are_not_the_customer() -> None:
    letter = _with(_letter(recipient="Mr John Hughes", form_of_address="Mr Hughes"), "Why",
                   "If Tomasz Nowak is away, Ceri Hughes will deal with your contact instead.")
    assert checker.missing(letter) == []
    said = _with(letter, "Why", "Mrs Hughes called us twice.")
    assert any("third person" in p for p in checker.missing(said))


def test_a_past_date_said_as_past_is_not_a_problem() -> None:
    letter = _with(_letter(), "Why", "On 3 March 2026 you telephoned us four times.")
    assert checker.missing(letter) == []


def test_a_heading_said_twice_or_repeating_the_subject_is_named() -> None:
    # The appeal outcome's subject "The result of your appeal" and its first heading.
    letter = _letter(kind=LetterKind.APPEAL_OUTCOME, subject="The result of your appeal",
                     sections=[("", ["You appealed against our decision."]),
                               ("The result of your appeal", ["We have confirmed it."]),
                               ("Our decision on your appeal", ["We have confirmed it."]),
                               ("Why", ["You kept calling."]), ("Why", ["Again."]),
                               ("If you are still unhappy", ["Ask the Ombudsman."])])
    problems = checker.missing(letter)
    assert "the heading “The result of your appeal” said twice" in problems
    assert "the heading “Why” said twice" in problems


def test_a_missing_contact_detail_is_named() -> None:
    officer = Person("Tomasz Nowak", "Complaints Resolution Officer")
    letter = _letter(unmet=("Tomasz Nowak's direct telephone number or email address (the "
                            "named officer)",))
    assert ("it does not give a contact detail a restriction depends on: Tomasz Nowak's "
            "direct telephone "
            "number or email address (the named officer)") in checker.missing(letter)
    assert officer.named == "Tomasz Nowak, Complaints Resolution Officer"


def test_a_decision_letter_needs_reasons_written_for_the_customer() -> None:
    r = _restricting([Rule(K.FORM_OF_CONTACT, {"channels": ["letter"]})],
                     Ways(channels=frozenset({"letter"})), reasons=[])
    letter = _letter(sections=decision_sections(r, HEAD, "UPV-2026-0001"))
    assert "it does not say the reasons, in words written for the customer" in \
        checker.missing(letter)
    assert checker.missing(letter, written_reasons=False) == []


def test_durations_read_in_words() -> None:
    assert duration(date(2026, 1, 22), date(2027, 1, 22)) == "one year"
    assert duration(date(2026, 1, 22), date(2027, 7, 22)) == "18 months"
    assert duration(date(2026, 1, 22), date(2028, 1, 22)) == "two years"
    assert duration(date(2026, 1, 22), date(2026, 7, 22)) == "six months"
    assert duration(date(2026, 1, 22), date(2028, 1, 8)) == ""  # never "(716 days)"
    letter = _letter()
    assert "days)" not in " ".join(p for _, ps in letter.sections for p in ps)


def test_salutation_by_title_and_surname() -> None:
    assert salutation_name("Mr Thaddeus Penhaligon") == "Mr Penhaligon"
    assert salutation_name("Mx Ngọc Trâm Vũ") == "Mx Vũ"
    assert salutation_name("Mr Thaddeus Penhaligon", "Thaddeus") == "Thaddeus"
    assert salutation_name("Jo Bloggs") == "Jo Bloggs"  # no title we know: the full name
    assert _letter().salutation == "Dear Mr Penhaligon,"


def test_the_letterhead_offers_only_the_councils_ways_left_open() -> None:
    # Found when tried: a customer who may contact the council only through a named officer
    # saw the council's general number and email on the letterhead.
    letter = _letter()
    assert letter.council_ways() == []  # telephone and email closed
    open_letter = replace(letter, closed_channels=())
    assert open_letter.council_ways() == ["Telephone 01632 960000",
                                          open_letter.letterhead.email]
    officer_only = replace(open_letter, letterhead_closed=("telephone", "email"))
    assert officer_only.council_ways() == []


@pytest.mark.parametrize("said", [
    # Found when tried: each went into a letter dated after the date it gives.
    "Your comments must reach us by 1st November 2026.",
    "Please reply by Monday 2 November 2026.",
    "Please reply no later than 2 November 2026.",
    "You must write to us before 2 November 2026.",
    "The new times will begin on 2 November 2026.",
    "We will meet you on 2 November 2026.",
])
def test_a_past_date_for_something_to_come_is_named_in_its_other_forms(said: str) -> None:
    letter = _with(_letter(), "What we have decided", said)
    assert any("a date already past, 2 November 2026" in p or
               "a date already past, 1 November 2026" in p
               for p in checker.missing(letter)), checker.missing(letter)


def test_a_past_date_told_as_past_is_not_a_deadline() -> None:
    letter = _with(_letter(), "Why", "You rang us daily before 2 November 2026.")
    assert not any("already past" in p for p in checker.missing(letter))


def test_words_telling_what_happened_offer_nothing_under_any_heading() -> None:
    """t15c F1: a restriction's words for the customer, printed under "What we have decided",
    told of the telephone and were read as offering it."""
    told = ("You have contacted many officers at once about the same matters and been abusive "
            "on the phone.")
    assert checker.missing(_with(_letter(), "What we have decided", told)) == []
    inviting = _with(_letter(), "What we have decided",
                     "Please ring us on 01632 960000 or call us any time.")
    assert any("a telephone number offered" in p for p in checker.missing(inviting))
    ahead = _with(_letter(), "What we have decided", "You have been given a number to ring.")
    assert any("contact by telephone offered" in p for p in checker.missing(ahead))


@pytest.mark.parametrize("starts_on,since_on,said", [
    (date(2026, 12, 3), date(2026, 11, 30), "Until then, no restrictions were to apply."),
    (date(2026, 12, 3), date(2026, 12, 4),
     "the changed restrictions took effect on 3 December 2026."),
])
def test_an_appeal_told_in_a_later_letter_is_read_as_past(
        starts_on: date, since_on: date, said: str) -> None:
    """v15m-3: a later decision's letter tells the appeal's result, its outcome letter never
    sent. The day the amended restrictions were to start is what was decided then, not a
    date still to come: the letter can go after it (cannot_go reads it as posted)."""
    from crm_tui.letters.content import appeal_untold

    told = appeal_untold("amended", date(2026, 10, 1), date(2026, 11, 28), starts_on, since_on)
    assert told[-1].endswith(said)
    # Said once: "were to take effect on 3 December. They took effect on 3 December" no more.
    assert told[-1].count("3 December 2026") == 1
    base = _letter()
    assert checker.past_dates(base) == []
    letter = replace(base, sections=[base.sections[0], ("Your appeal", told),
                                     *base.sections[1:]])
    assert checker.missing(letter) == checker.missing(base)
    later = _letter(sections=[("Your appeal", told)], written_on=date(2026, 12, 10))
    assert checker.past_dates(later) == []


@pytest.mark.parametrize(("said", "read_on", "past"), [
    # fixAB AB0: the letter's own start, the day it bears, is what was decided then.
    ("The restrictions start on {on} and end on 1 November 2027.", 2, []),
    ("The restrictions as they now stand apply from {on}.", 2, []),
    # A start after the day it bears, passed by the day it is read, still is past.
    ("The restrictions start on {after} and end on 1 November 2027.", 2, ["{after}"]),
    # A start before the day it bears was past when it was signed.
    ("The restrictions start on {before} and end on 1 November 2027.", 0, ["{before}"]),
    # A deadline on the day it bears, read later, is past whatever it is.
    ("Please reply by {on}.", 2, ["{on}"]),
])
def test_a_start_on_the_letters_own_day_is_not_still_to_come(said: str, read_on: int,
                                                             past: list[str]) -> None:
    """fixAB AB0: a decision letter signed on 28 November and not posted that day was refused
    on the 30th for its own "start on 28 November 2026": it could never go."""
    days = {"on": ON, "after": ON + timedelta(days=1), "before": ON - timedelta(days=1)}
    words = {k: f"{d.day} {d:%B %Y}" for k, d in days.items()}
    letter = _with(_letter(), "How long the restrictions last", said.format(**words))
    found = checker.past_dates(letter, ON + timedelta(days=read_on))
    assert [f.split(",")[1].strip() for f in found] == [p.format(**words) for p in past]
