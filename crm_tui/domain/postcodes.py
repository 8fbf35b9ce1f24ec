"""Postcodes and country lines: the one place that knows a UK postcode's shape and a country's
name (v15m-4: "NK", "NM4" and "AAAA AAA" were kept as postcodes, "nm41ls" as typed).

A UK postcode is an outward code (a letter or two, a number, and maybe a letter or number) and
an inward code (a number and two letters), as Royal Mail and the government's data standard
give it; kept in capitals with one space between the two ("NM4 1LS"). Only the shape is
checked, not that the postcode exists: the demo's Northmere has the made-up area NM. A postcode
of another shape is one abroad, taken only where the address's last line names the country it
is in (a letter abroad carries its country last: "Ireland", "Norway"), from ISO 3166's names
(pycountry, maintained with the standard) and the few everyday names below."""

from __future__ import annotations

import re
from functools import lru_cache

# The shape from the government's Bulk Data Transfer standard for postcodes: an outward code
# whose first letter is never Q, V or X, whose second letter is never I, J or Z, and an inward
# code whose letters are never C, I, K, M, O or V; GIR 0AA (Girobank) and British Forces Post
# Office numbers ("BFPO 123") besides.
_UK = re.compile(r"(?:([A-PR-UWYZ][A-HK-Y]?[0-9][A-Z0-9]?)([0-9][ABD-HJLNP-UW-Z]{2})"
                 r"|(GIR)(0AA))")
_BFPO = re.compile(r"(BFPO)([0-9]{1,4})")

# Lines that name the United Kingdom (or a country of it): an address ending so is in the UK,
# and its postcode must have the UK's shape.
UK_NAMES = frozenset({
    "uk", "u k", "united kingdom", "great britain", "britain", "gb", "england", "scotland",
    "wales", "northern ireland", "united kingdom of great britain and northern ireland",
})
# Everyday names ISO 3166 does not hold.
_OTHER_NAMES = {
    "republic of ireland": "Ireland", "eire": "Ireland", "éire": "Ireland",
    "irish republic": "Ireland", "holland": "Netherlands", "usa": "United States",
    "u s a": "United States", "us": "United States", "america": "United States",
    "united states of america": "United States", "deutschland": "Germany",
    "españa": "Spain", "espana": "Spain", "czech republic": "Czechia",
}


def _key(text: str) -> str:
    words = re.findall(r"[^\W_]+", text.lower())
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def uk_postcode(text: str) -> str | None:
    """`text` as a UK postcode in capitals with one space ("nm41ls" -> "NM4 1LS"), or None
    if it has not a UK postcode's shape."""
    bare = "".join(text.split()).upper()
    for rule in (_UK, _BFPO):
        found = rule.fullmatch(bare)
        if found:
            outward, inward = (part for part in found.groups() if part)
            return f"{outward} {inward}"
    return None


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    import pycountry  # on first use: the start-up does not pay for ISO 3166's names

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                names.setdefault(_key(name), country.name)
    names.update(_OTHER_NAMES)
    for name in UK_NAMES:
        names[name] = "United Kingdom"
    return names


def country_named(line: str) -> str | None:
    """The country `line` names ("IRELAND", "the Netherlands"), or None if it names none."""
    return _countries().get(_key(line)) if line.strip() else None


def abroad(lines: tuple[str, ...]) -> str | None:
    """The country outside the UK that an address's last line names, or None (no such line,
    or one naming the UK)."""
    country = country_named(lines[-1]) if lines else None
    return country if country and country != "United Kingdom" else None


# An Eircode (Ireland's postcode): a routing key (a letter and two digits, or D6W) and a
# unique identifier of four letters and digits, from An Post's alphabet (no B, G, I, J, L, M,
# O, Q, S, U or Z); An Post and the Eircode standard write it with a space between the two.
_EIRCODE = re.compile(r"([AC-FHKNPRTV-Y][0-9]{2}|D6W)([0-9AC-FHKNPRTV-Y]{4})")


def eircode(code: str, lines: tuple[str, ...]) -> str | None:
    """`code` as an Eircode with its space ("d02x285" -> "D02 X285") where the address's last
    line names Ireland, or None (no such shape, or an address elsewhere). v15n AD4: typed
    without its space it was kept so and printed so; a postcode of another country abroad is
    kept as typed, in capitals: its way of writing one is not known here."""
    if abroad(lines) != "Ireland":
        return None
    found = _EIRCODE.fullmatch("".join(code.split()).upper())
    return f"{found.group(1)} {found.group(2)}" if found else None
