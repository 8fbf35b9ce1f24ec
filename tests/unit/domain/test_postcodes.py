"""v15m-4: a postal address a letter cannot be posted to was kept ("To be confirmed", "NFA",
"No fixed abode", "12 Mill Lane, Truro?", the postcode again as a line; postcodes "NK", "NM4",
"AAAA AAA"; "nm41ls" as typed). The one rule (domain.wording.postal_address, with
domain.postcodes for the postcode's shape and the country's line)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_tui.demo.data import DISTRICTS, EXTREME_CUSTOMER, STREETS
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.postcodes import abroad, country_named, uk_postcode
from crm_tui.domain.wording import envelope_lines, postal_address, unpostable

HOME = ("12 Mill Lane", "Truro")


@pytest.mark.parametrize(("typed", "kept"), [
    ("nm41ls", "NM4 1LS"), ("NM4 1LS", "NM4 1LS"), (" sw1a  1aa ", "SW1A 1AA"),
    ("ec1a1bb", "EC1A 1BB"), ("DN551PT", "DN55 1PT"), ("m1 1ae", "M1 1AE"),
    ("gir0aa", "GIR 0AA"), ("bfpo 123", "BFPO 123"),
])
def test_a_uk_postcode_is_kept_in_capitals_with_one_space(typed: str, kept: str) -> None:
    assert postal_address(HOME, typed) == (HOME, kept)


@pytest.mark.parametrize("typed", ["NK", "NM4", "AAAA AAA", "NM4 1L", "1NM 4LS", "NM4 1LSS",
                                   "D02 X285", "12345"])
def test_a_postcode_without_the_uk_shape_and_no_country_line_is_refused(typed: str) -> None:
    with pytest.raises(ValidationError, match="is not a UK postcode") as refused:
        postal_address(HOME, typed)
    assert refused.value.field == "postcode"
    assert "like NM4 1LS" in refused.value.message
    assert "the country as the address's last line" in refused.value.message


@pytest.mark.parametrize(("lines", "code"), [
    (("1 Dawson St", "Dublin 2", "Ireland"), "D02 X285"),
    (("1 Dawson St", "Dublin 2", "REPUBLIC OF IRELAND"), "d02 x285"),
    (("Karl Johans gate 1", "Oslo", "Norway"), "NO-0150"),
    (("1 Rue de Rivoli", "Paris", "France"), "75001"),
    (("Damrak 1", "Amsterdam", "The Netherlands"), "1012 LG"),
])
def test_a_postcode_abroad_is_kept_with_its_country_line(lines: tuple[str, ...],
                                                         code: str) -> None:
    assert postal_address(lines, code) == (lines, code.upper())
    assert abroad(lines)
    # The letter prints the postcode before the country, which a letter abroad carries last.
    assert envelope_lines(lines, code.upper()) == (*lines[:-1], code.upper(), lines[-1])


def test_a_country_line_naming_the_uk_still_asks_for_a_uk_postcode() -> None:
    with pytest.raises(ValidationError, match="is not a UK postcode"):
        postal_address(("12 Mill Lane", "Truro", "United Kingdom"), "NK")
    assert postal_address(("12 Mill Lane", "Truro", "England"), "tr1 2ab")[1] == "TR1 2AB"
    assert country_named("Truro") is None and country_named("Northmere") is None


@pytest.mark.parametrize("lines", [
    ("To be confirmed",), ("none given",), ("NFA",), ("No fixed abode",),
    ("no fixed abode", "Truro"), ("Address to be confirmed",), ("N.F.A.",),
    ("Homeless",), ("Not given", "Truro"), ("12 Mill Lane", "see notes"), ("TBC", "Truro"),
])
def test_an_address_that_is_a_placeholder_is_refused(lines: tuple[str, ...]) -> None:
    with pytest.raises(ValidationError, match="is not an address a letter can be posted to"
                       ) as refused:
        postal_address(lines, "")
    assert refused.value.field == "address"
    # A customer with no fixed abode has no postal address: what to do instead is said.
    assert "no fixed abode" in refused.value.message and "leave it empty" in refused.value.message


@pytest.mark.parametrize("lines", [("12 Mill Lane, Truro?",), ("12 Mill Lane", "Truro?"),
                                   ("12? Mill Lane", "Truro")])
def test_an_address_with_a_question_mark_is_refused(lines: tuple[str, ...]) -> None:
    with pytest.raises(ValidationError, match="has a question mark") as refused:
        postal_address(lines, "TR1 2AB")
    assert refused.value.field == "address"


@pytest.mark.parametrize(("lines", "code", "said"), [
    (("12 Mill Lane", "Truro", "NM4 1LS"), "nm4 1ls", "line 3 is the postcode"),
    (("12 Mill Lane", "nm41ls"), "NM4 1LS", "line 2 is the postcode"),
    (("12 Mill Lane", "Truro", "TR1 2AB"), "", "line 3 is a postcode"),
    (("1 Dawson St", "D02 X285", "Ireland"), "D02 X285", "line 2 is the postcode"),
])
def test_an_address_line_that_is_a_postcode_is_refused(lines: tuple[str, ...], code: str,
                                                        said: str) -> None:
    """It was printed twice on the letter: as a line, and again under the address."""
    with pytest.raises(ValidationError, match=said) as refused:
        postal_address(lines, code)
    assert refused.value.field == "address"


def test_real_addresses_and_the_demo_s_pass() -> None:
    # Words a reason defers with are place names too: the address's rule is not a reason's
    # ("Unknown Lane Farm" was refused as "unknown" among fewer than four other words).
    for lines in [("Flat 2, Na Mara House", "Truro"), ("The Old Rectory", "Church Lane"),
                  ("Unknown Lane Farm", "Truro"), ("Other House", "Tbilisi Road"),
                  ("c/o Truro Day Centre", "Lemon Street", "Truro"),
                  ("12 Mill Lane", "Truro")]:
        assert postal_address(lines, "TR1 2AB") == (lines, "TR1 2AB")
    _name, lines, code, *_ = EXTREME_CUSTOMER
    assert postal_address(lines, code) == (lines, code)
    for street in STREETS:
        for district in DISTRICTS:
            assert unpostable((f"14 {street}", district, "Northmere"), "NM4 1LS") == []


_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# An area's letter or two, then a district of one or two digits, or of one digit and a letter
# (A9A, AA9A: "W1A", "SW1A").
_OUTWARD = st.builds(lambda area, district: f"{area}{district}",
                     st.sampled_from(["N", "NM", "SW", "B", "EC", "TR", "M", "DN"]),
                     st.integers(1, 99).map(str) | st.integers(1, 9).map(lambda n: f"{n}A"))


@given(_OUTWARD, st.integers(0, 9), st.text(_LETTERS, min_size=2, max_size=2),
       st.sampled_from(["", " ", "  "]), st.booleans())
def test_any_uk_shaped_postcode_is_kept_in_one_form(outward: str, digit: int, unit: str,
                                                    gap: str, lower: bool) -> None:
    typed = f"{outward}{gap}{digit}{unit}"
    kept = postal_address(HOME, typed.lower() if lower else typed)[1]
    assert kept == f"{outward} {digit}{unit}" == uk_postcode(kept)
    assert postal_address(HOME, kept)[1] == kept  # as stored, it passes again unchanged


@given(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ ", min_size=1, max_size=10))
def test_letters_alone_are_never_a_uk_postcode(typed: str) -> None:
    assert uk_postcode(typed) is None
    if typed.strip():
        with pytest.raises(ValidationError):
            postal_address(HOME, typed)


def test_unpostable_names_each_problem_of_an_address_as_stored() -> None:
    assert unpostable((), "") == []
    assert unpostable(HOME, "TR1 2AB") == []
    found = unpostable(("To be confirmed",), "NK")
    assert len(found) == 2
    assert found[0].startswith("the address line 1 (\u201cTo be confirmed\u201d)") or \
        found[0].startswith('the address line 1 ("To be confirmed")')
    assert found[1].startswith('the postcode "NK" is not a UK postcode') or \
        found[1].startswith("the postcode \u201cNK\u201d is not a UK postcode")


@pytest.mark.parametrize(("lines", "code"), [
    (("12 Mill Lane, Truro NM4 1LS",), "NM4 1LS"),
    (("12 Mill Lane", "Truro nm41ls"), "nm4 1ls"),
    (("1 Dawson St", "Dublin D02 X285", "Ireland"), "D02X285"),
])
def test_an_address_line_ending_with_the_postcode_is_refused(lines: tuple[str, ...],
                                                             code: str) -> None:
    """v15n AD4: it was accepted, and the postcode printed twice, as a line that is it was."""
    with pytest.raises(ValidationError, match="ends with the postcode") as refused:
        postal_address(lines, code)
    assert refused.value.field == "address"
    # a line merely starting with it, or ending in part of it, is an address line
    kept = ("Flat 1LS", "0150 Oslo", "Truro")
    assert postal_address(kept, "NM4 1LS")[0] == kept


@pytest.mark.parametrize("typed", ["d02x285", "D02X285", " d02 x285 ", "d6wx285"])
def test_an_eircode_is_kept_with_its_space(typed: str) -> None:
    """v15n AD4: "d02x285" with "Ireland" last was kept as "D02X285" and printed so; An Post
    writes an Eircode with a space after its routing key. Elsewhere abroad: as typed."""
    lines = ("1 Dawson St", "Dublin 2", "Ireland")
    assert postal_address(lines, typed)[1] == f"{''.join(typed.split()).upper()[:3]} " \
        f"{''.join(typed.split()).upper()[3:]}"
    assert postal_address(("Damrak 1", "Amsterdam", "Netherlands"), "1012lg")[1] == "1012LG"


def test_every_line_s_problem_is_said_at_once() -> None:
    """v15n AD4: ["To be confirmed", "Eastwick?", "NM4 2QT"] was told line 1's only."""
    with pytest.raises(ValidationError) as refused:
        postal_address(("To be confirmed", "Eastwick?", "NM4 2QT"), "")
    said = refused.value.message
    assert said.startswith('line 1 ("To be confirmed") is not an address'), said
    assert 'Also line 2 has a question mark ("Eastwick?")' in said
    assert 'Also line 3 is a postcode ("NM4 2QT")' in said


def test_a_postcode_that_is_none_is_quoted() -> None:
    with pytest.raises(ValidationError) as refused:
        postal_address(HOME, "TR1 1AA?")
    assert refused.value.field == "postcode"
    assert refused.value.message.startswith('"TR1 1AA?" is not a postcode: '), refused.value
