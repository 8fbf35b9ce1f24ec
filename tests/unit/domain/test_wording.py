"""The words a letter tells the customer, and the contact details it gives, are checked where
they are typed."""

from __future__ import annotations

import pytest

from crm_tui.domain.errors import ValidationError
from crm_tui.domain.wording import (
    ContactFrequency,
    contact_frequency,
    customer_names,
    customer_words,
    email_address,
    reachable_problem,
    uk_telephone,
)


@pytest.mark.parametrize(("text", "says"), [
    ("   ", "is required"),
    ("The customer made forty calls in a week.", "third person"),
    ("Mr Pennywhistle's complainant's letters were rude.", "third person"),
    ("You sent forty emails in a week, TBC.", "internal wording \u201cTBC\u201d"),
    ("You sent [number] emails in a week.", "internal wording \u201c[\u201d"),
    ("Continued despite local resolution", "full stop"),
    ("You rang us:", "colon"),
    ("You rang.", "too short"),
    # Found when tried: each of these went into a signed letter.
    ("She has called the contact centre forty times this month.", "third person"),
    ("You were warned. He carried on calling the office every day.", "third person"),
    ("You were rude to staff:. We asked you to stop.", "punctuation doubled"),
    ("You were rude to staff.The calls went on for weeks.", "run into the next"),
    ("You rang us forty times, see Hannah's notes.", "pointer to notes"),
    ("You rang us forty times, as per the file.", "pointer to notes"),
    ("You wrote to OFFICER_NAME and ??? many times.", "placeholder"),
    ("This customer rang us forty times in a week.", "third person"),
    ("$OFFICER will write to you about your calls.", "placeholder"),
    ("Officer Name will write to you about your calls.", "placeholder"),
    ("You may call on DD/MM/YYYY between 10am and noon.", "placeholder"),
    ("Lorem ipsum dolor sit amet, you rang us.", "placeholder"),
    ("We looked at your shifts. you may call on Mondays as before.", "lower case"),
    ("Reason: you called at other times than we agreed.", "shorthand"),
    ("As per CRM, you may call on Mondays only.", "shorthand"),
    ("Pls call on Mondays only, thx.", "shorthand"),
    ("You may call us by 01/01/2026 about your repair.", "date in figures"),
    ("The appellant rang us forty times in a week.", "third person"),
    # A pronoun after a team's or a place's capitals is still the customer's (v15e F9).
    ("The Housing Team says she calls the office every day.", "third person"),
    ("Council Tax staff said he rang the office every day.", "third person"),
])
def test_words_for_the_customer_are_refused_in_note_form(text: str, says: str) -> None:
    with pytest.raises(ValidationError) as refused:
        customer_words("customer_reason", text)
    assert refused.value.field == "customer_reason"
    assert says in refused.value.message


@pytest.mark.parametrize("text", [
    "  You sent us forty emails in one week. Staff could not help other people.  ",
    "Ms Hughes asked you to stop, and you shouted at her.",
    "You wrote to us on 3 March 2026. We replied within ten working days.",
    "The restrictions are no longer needed, as the behaviour has stopped.",
    # "she" is the officer named before it in the sentence, not the customer (v15e F9).
    "From now on please contact only Hannah Okafor, or Tomasz Nowak when she is away.",
    "Write to Ms Okafor, who will reply when she is back from leave.",
])
def test_words_for_the_customer_pass_as_written(text: str) -> None:
    assert customer_words("customer_reason", text) == text.strip()


@pytest.mark.parametrize(("given", "stored"), [
    ("01632 960999", "01632 960999"), ("+44 1632 960999", "01632 960999"),
    ("07700900123", "07700 900123"), ("020 7946 0000", "020 7946 0000"), ("", "")])
def test_uk_telephone_numbers_are_checked_and_written_as_usual(given: str, stored: str) -> None:
    assert uk_telephone("telephone", given) == stored


@pytest.mark.parametrize("given", ["12345", "not a number", "+33 1 42 68 53 00",
                                   "01632 9609999999"])
def test_other_telephone_numbers_are_refused(given: str) -> None:
    with pytest.raises(ValidationError) as refused:
        uk_telephone("telephone", given)
    assert refused.value.field == "telephone"


def test_email_addresses_are_checked() -> None:
    assert email_address("email", " robin.hale@northmere.example.gov.uk ") == \
        "robin.hale@northmere.example.gov.uk"
    assert email_address("email", "") == ""
    for bad in ("robin", "robin@", "robin hale@example.gov.uk"):
        with pytest.raises(ValidationError) as refused:
            email_address("email", bad)
        assert refused.value.field == "email"


def test_contact_frequency_is_a_choice() -> None:
    assert contact_frequency("weekly") == "weekly"
    assert contact_frequency("as needed") == "as_needed"
    assert contact_frequency("") == ""
    assert ContactFrequency.FORTNIGHTLY.customer_phrase == "every two weeks"
    with pytest.raises(ValidationError) as refused:
        contact_frequency("daily")
    assert refused.value.field == "contact_frequency"


def test_a_contact_without_direct_details_is_named() -> None:
    assert reachable_problem("Robin Hale", "01632 960999", "", as_what="named officer") == ""
    problem = reachable_problem("Robin Hale", "", "", as_what="named officer")
    assert "Robin Hale has no direct telephone or email" in problem


NAMES = customer_names("Dr Rosalind Achterberg")


@pytest.mark.parametrize("text", [
    # Found when tried: each of these was signed.
    "Achterberg telephoned us many times and we think this is fair.",
    "Rosalind kept calling us after we asked you to stop.",
    "DR ACHTERBERG telephoned us forty times in a week.",
    "Dr. Achterberg telephoned us forty times in a week.",
    "You rang us. Achterberg also wrote to us every day.",
    "We looked at your shifts. Doctor Achterberg called at other times.",
])
def test_the_customer_is_not_named_in_words_to_them(text: str) -> None:
    with pytest.raises(ValidationError, match="the customer named in the third person"):
        customer_words("customer_reason", text, names=NAMES, surname="Achterberg")


def test_a_colleague_who_shares_the_surname_is_not_the_customer() -> None:
    text = "You spoke to Sam Achterberg, who asked you to write to us instead."
    assert customer_words("customer_reason", text, names=NAMES, surname="Achterberg") == text


def test_the_words_quoted_in_a_refusal_are_cut_at_whole_words() -> None:
    # Found when tried: "…Mondays as b" and a sentence quoted without its last words.
    with pytest.raises(ValidationError) as refused:
        customer_words("customer_reason", "We looked at your shifts.  You may call on Mondays "
                       "as before, between ten and twelve.")
    assert "as b\u201d" not in refused.value.message and "\u2026\u201d" in refused.value.message
    with pytest.raises(ValidationError) as refused:
        customer_words("customer_reason", "She still called at other times, so the times "
                       "stay the same for her.")
    assert "\u2026" in refused.value.message and "same \u201d" not in refused.value.message


def test_reasons_are_joined_as_one_sentence() -> None:
    """Round 10: D's refusal read "Cannot decide yet: No restriction …; The Head of …"."""
    from crm_tui.domain.wording import in_one_sentence

    assert in_one_sentence(["No restriction is set out yet.",
                            "The Head of Service has not been consulted",
                            "Head of Service view missing", "CRM only", ""]) == (
        "no restriction is set out yet; the Head of Service has not been consulted; "
        "Head of Service view missing; CRM only")
    assert in_one_sentence(["The letter cannot go", "The Head of Service …"], starts=True) \
        == "The letter cannot go; the Head of Service …"


def test_a_lower_case_start_is_quoted_with_the_words_around_it() -> None:
    """v15i N6: "You sent forty emails TODO. see the log." was refused with "a sentence
    that starts in lower case (“. s”)", a fragment that means nothing to a person."""
    with pytest.raises(ValidationError) as refused:
        customer_words("customer_reason", "You sent forty emails TODO. see the log.")
    said = refused.value.message
    assert "a sentence that starts in lower case (\u201c\u2026emails TODO. see the log.\u201d)" \
        in said, said
    assert "internal wording \u201cTODO\u201d" in said, said
    assert "(\u201c. s\u201d)" not in said, said
