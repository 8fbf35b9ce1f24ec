"""What a letter tells the customer, kept apart from the internal record, and the contact
details a letter gives them.

A form that feeds a letter asks for two texts: the internal record (for the file, the Head of
Service and the Ombudsman) and the words the customer reads. The second are printed as they
stand, so they must read as sentences addressed to the customer ("you"), not as a note about
them. Telephone numbers and email addresses are checked with the libraries that know their
shapes (Google's libphonenumber data; email-validator), never with a hand-made pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from crm_tui.domain.characters import control_problem
from crm_tui.domain.counting import counted
from crm_tui.domain.errors import Problems, ValidationError, raise_all
from crm_tui.domain.grounds import PLACEHOLDERS, stands_for_nothing, words
from crm_tui.domain.postcodes import abroad, eircode, uk_postcode
from crm_tui.domain.typed_dates import quoted

CUSTOMER_TEXT_LIMIT = 5_000

# Marks of a note rather than a letter: placeholders, abbreviations and the file's own words.
MARKERS = ("Yes -", "Yes \u2013", "No -", "N/A", "n/a", "TBC", "TBA", "TODO", "FIXME", "XXX",
           "file note", "File note", "Letter setting out", "[", "]", "{", "}", "<", ">",
           "Not acknowledged:", "(deputy:", "e.g.", "i.e.", "etc.", " & ")
# Names of the council's offices may keep an ampersand.
ALLOWED = ("Legal & Business Operations",)


class Rule:
    """A regular expression compiled when first used: the words are read only in forms and
    letters, never on the way to the painted inbox, and compiling these thirteen as
    `crm-tui` started cost some 8 ms of processor time (issue 17)."""

    __slots__ = ("_compiled", "_flags", "_pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern, self._flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._pattern, self._flags)
        return self._compiled

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text)

    def split(self, text: str) -> list[str]:
        return self.compiled.split(text)

NOTE_FORM = Rule(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b|\b\d{2}:\d{2}-\d{2}:\d{2}\b")
THIRD_PERSON = Rule(r"\b(?:(?:the|this|that) (?:customer|complainant|resident|applicant|"
                       r"appellant|claimant|individual)|customer's|"
                       r"complainant's)\b", re.IGNORECASE)
# A sentence about "he" or "she" that never says "you" is about the customer, not to them
# (found when tried: "She has called forty times." went into a letter).
PRONOUN = Rule(r"\b(?:he|she|him|his|her|hers|himself|herself)\b", re.IGNORECASE)
YOU = Rule(r"\b(?:you|your|yours|yourself)\b", re.IGNORECASE)
# A person named in full (or by a title) before the pronoun, in the same sentence, is whom it
# speaks of: "contact only Hannah Okafor, or Tomasz Nowak when she is away" is about the officer
# (v15e F9). Capitalised words that name a place, a team or a time are not a person's name.
NAMED_PERSON = Rule(r"\b(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.? [A-Z][\w'-]+|"
                       r"([A-Z][a-z][\w'-]*) ([A-Z][a-z][\w'-]*))")
NOT_NAMES = frozenset({
    "The", "This", "That", "These", "Those", "Our", "Your", "We", "You", "From", "Please",
    "If", "When", "While", "Since", "After", "Before", "Until", "Council", "Tax", "Housing",
    "Services", "Service", "Team", "Office", "Centre", "Center", "Civic", "Street", "Road",
    "Complaints", "Resolution", "Manager", "Head", "Legal", "Benefits", "Department",
    "Customer", "Contact", "Borough", "City", "County", "District", "Town", "Hall", "House",
    "Environmental", "Health", "Planning", "Waste", "Recycling", "Highways", "Parking",
    "Social", "Care", "Adult", "Children", "Community", "Police", "Court", "Ombudsman",
    "Local", "Government", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"})
SENTENCES = Rule(r"(?<=[.!?])\s+")
# Pointers into the file: the customer cannot see the notes a sentence leans on.
FILE_POINTER = Rule(r"\b(?:see|per|as per|refer to)\s+(?:the\s+)?(?:[A-Z]\w+'s\s+)?"
                       r"(?:notes?|file|log|attached|above|below|email|record)\b"
                       r"|\b[A-Z]\w+'s\s+notes?\b", re.IGNORECASE)
# A full stop run into the next sentence ("staff.The"), and punctuation doubled ("staff:.").
RUN_ON = Rule(r"\b[a-z]{2,}[.!?][A-Z][a-z]")
# A slot never filled in ("OFFICER_NAME", "???"; found when tried).
PLACEHOLDER = Rule(r"\b[A-Z]{2,}(?:_[A-Z0-9]+)+\b|\?{2,}|\b_{2,}|\bX{3,}\b|\$[A-Za-z_]+|"
                      r"\b(?:DD|dd)/(?:MM|mm)/(?:YYYY|yyyy|YY|yy)\b|\blorem ipsum\b|"
                      r"\b(?:Officer|Customer|Staff|Manager|Person|Team|Council) Name\b",
                      re.IGNORECASE)
# Shorthand of a note, never of a letter (found when tried: "Pls call on Mondays, thx",
# "in line w/ the policy", "As per CRM"), and a label opening a paragraph ("Reason: …").
SHORTHAND = Rule(r"\b(?:pls|plz|thx|asap|fyi|w/o?|b/c|approx|as per)(?!\w)|"
                    r"^(?:reason|note|notes|nb|n\.b\.|outcome|action|summary|update|re|"
                    r"background|issue|comments?|decision)\s*:", re.IGNORECASE)
# A date in figures ("01/01/2026", "2026-01-01"): a letter writes it in words.
FIGURES_DATE = Rule(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
# A sentence that starts in the middle of a paragraph ("…as before. you may call…").
LOWER_START = Rule(r"[.!?]\s+[a-z]")
DOUBLED = Rule(r"[,;:][.,;:!?]|\.[,;:]|\.\.(?!\.)")

Finding = tuple[str, str]  # what is wrong, and the words it was found in ("" if none)


def _end(text: str, width: int = 60) -> str:
    """The end of a long text, from a whole word, marked as cut ("…ten times a day")."""
    if len(text) <= width:
        return text
    tail = text[-width:]
    return "\u2026" + (tail.split(" ", 1)[1] if " " in tail else tail)


def _start(text: str, width: int = 60) -> str:
    if len(text) <= width:
        return text
    return text[:width].rsplit(" ", 1)[0] + "\u2026"


def _around(text: str, start: int, end: int) -> str:
    """text[start:end] with the word or two around it, whole words, marked as cut where the
    text goes on ("…emails TODO. see the log.")."""
    head = re.search(r"(?:\S+\s+)?\S*$", text[:start])
    tail = re.match(r"\S*(?:\s+\S+){0,2}", text[end:])
    before = head.group(0) if head else ""
    after = tail.group(0) if tail else ""
    cut_before = "\u2026" if text[:start - len(before)].strip() else ""
    cut_after = "\u2026" if text[end + len(after):].strip() else ""
    return f"{cut_before}{before}{text[start:end]}{after}{cut_after}"


def _quote(text: str) -> str:
    return f" (\u201c{text}\u201d)"


def wording_problems(text: str) -> list[Finding]:
    """Why these words, one paragraph the customer will read, would not read as a letter to
    them: each (what is wrong, where it was found). The letter checker reads every paragraph
    with these rules, and every form field that feeds a letter is read with them as it is
    typed, so that the CRM is told at the field and not only at signing."""
    found: list[Finding] = []
    stripped = text.strip()
    if not stripped or stripped in (".", ","):
        return [("an empty paragraph", "")]
    if stripped.endswith(":"):
        found.append(("a sentence ending in a colon", f": \u201c{_end(stripped)}\u201d"))
    elif stripped[-1] not in ".?!" and not stripped.endswith(
            (".\u201d", ".)", "?\u201d", "!\u201d")):
        found.append(("a sentence without a full stop", f": \u201c{_end(stripped)}\u201d"))
    if "  " in text:
        at = text.index("  ")
        found.append(("a doubled space where a value is missing",
                      f": \u201c{_end(text[:at], 30)}  {_start(text[at + 2:], 30)}\u201d"))
    if re.search(r"\s[.,;:]", text):
        found.append(("an empty slot before a full stop or comma", ""))
    if stripped[0].islower():
        found.append(("a sentence that starts in the middle", f": \u201c{_start(stripped)}\u201d"))
    for rule, what in ((NOTE_FORM, "note-form days or times"),
                       (RUN_ON, "a sentence run into the next, with no space"),
                       (DOUBLED, "punctuation doubled, where words are missing"),
                       (FILE_POINTER, "a pointer to notes the customer cannot see"),
                       (PLACEHOLDER, "a placeholder never filled in"),
                       (SHORTHAND, "note-form shorthand"),
                       (FIGURES_DATE, "a date in figures (write it in words)"),
                       (LOWER_START, "a sentence that starts in lower case"),
                       (THIRD_PERSON, "the customer spoken of in the third person")):
        match = rule.search(text)
        if match:
            # Punctuation and a letter mean nothing quoted alone (v15i N6: "(“. s”)"):
            # quoted with the words around them.
            shown = (_around(text, match.start(), match.end()) if rule in (LOWER_START, DOUBLED)
                     else match.group(0))
            found.append((what, _quote(shown)))
    for sentence in SENTENCES.split(stripped):
        match = PRONOUN.search(sentence)
        if match and not YOU.search(sentence) and not _person_before(sentence, match.start()):
            found.append(("the customer spoken of in the third person",
                          _quote(_start(sentence))))
            break
    plain = text
    for allowed in ALLOWED:
        plain = plain.replace(allowed, "")
    found += [(f"internal wording \u201c{marker.strip()}\u201d", "")
              for marker in MARKERS if marker in plain]
    return found


def _person_before(sentence: str, at: int) -> bool:
    """A person named in full before `at` in the sentence: the pronoun there is theirs."""
    for match in NAMED_PERSON.finditer(sentence[:at]):
        if match.group(1) is None or not {match.group(1), match.group(2)} & NOT_NAMES:
            return True
    return False


TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Rev", "Revd",
          "Sir", "Dame", "Lady", "Lord", "Doctor", "Mister", "Missus", "Reverend")


def customer_names(name: str, form_of_address: str = "") -> set[str]:
    """The ways a letter could name its customer: a letter names them in the address and the
    greeting only. Their full name, their name under any title, their form of address and
    their first name (found when tried: "Rosalind kept calling us" went through); the bare
    surname is read by `naming` apart, since a member of staff may share it."""
    words = [w for w in name.split() if w.rstrip(".") not in TITLES]
    surname = words[-1] if words else ""
    forenames = [w for w in words[:-1] if len(w.rstrip(".")) > 1]
    return {n for n in (name.strip(), " ".join(words), form_of_address.strip(),
                        *(f"{t} {surname}" for t in TITLES if surname), *forenames[:1])
            if len(n) > 1}


def _name_pattern(name: str) -> str:
    # A title may carry a full stop ("Dr. Achterberg"); spaces may be any run of spaces.
    parts = [re.escape(w.rstrip(".")) + (r"\.?" if w.rstrip(".") in TITLES else "")
             for w in name.split()]
    return r"\s+".join(parts)


def _surname_alone(text: str, surname: str) -> str | None:
    """The customer's surname used alone ("Cattermole also wrote"), not as part of another
    person's name ("Ceri Hughes", where the customer is Mr Hughes) nor after a title."""
    for match in re.finditer(rf"(?<!\w){re.escape(surname)}(?!\w)", text, re.IGNORECASE):
        before = text[:match.start()].rstrip()
        word = before.split()[-1] if before.split() else ""
        if word and word[0].isupper() and word[-1].isalpha():
            continue  # another person's first name, or a title, before it
        return match.group(0)
    return None


def naming(text: str, names: set[str], surname: str = "") -> list[Finding]:
    """The customer named in words addressed to them: any of `names` (customer_names), in any
    capitals, and `surname` used alone."""
    found: list[Finding] = []
    for name in sorted(names):
        # One word (a first name) only as written with its capital; a full name in any case.
        flags = re.IGNORECASE if " " in name.strip() else 0
        match = re.search(rf"(?<!\w){_name_pattern(name)}(?!\w)", text, flags)
        if match:
            found.append(("the customer named in the third person", _quote(match.group(0))))
    alone = _surname_alone(text, surname) if len(surname) > 2 else None
    if alone and not found:
        found.append(("the customer named in the third person", _quote(alone)))
    return found


def surname_of(name: str) -> str:
    words = [w for w in name.split() if w.rstrip(".") not in TITLES]
    return words[-1] if words else ""


def said(findings: list[Finding], where: str = "") -> list[str]:
    """Findings as the checker lists them: what is wrong, where, then the words."""
    return [f"{what}{where}{words}" for what, words in findings]


def customer_words(field: str, text: str, *, limit: int = CUSTOMER_TEXT_LIMIT,
                   names: set[str] | None = None, surname: str = "") -> str:
    """The words the customer is told, stripped; or ValidationError naming `field`. Read with
    the letter's own rules, so that what the form accepts the letter can print; `names`
    (customer_names) are the customer's, which the words must not use of them."""
    value = text.strip()
    if not value:
        raise ValidationError(field, "is required: write what the customer is told, as you "
                                     "would say it to them (\"You have…\")")
    if len(value) > limit:
        raise ValidationError(field, "is too long ("
                              f"{counted(len(value), 'character', grouped=True)}; at most "
                              f"{limit:,})")
    control = control_problem(value)
    if control:
        raise ValidationError(field, control)
    problems = said(wording_problems(value) + naming(value, names or set(), surname))
    if problems:
        raise ValidationError(field, "would not read as a letter to the customer: "
                              + "; ".join(problems) + ". Write to them as \u201cyou\u201d, "
                              "in whole sentences")
    if len(value.split()) < 4:
        raise ValidationError(field, "is too short to explain anything to the customer: say "
                                     "what happened and why, in a sentence or two")
    return value


def optional_customer_words(field: str, text: str, *, names: set[str] | None = None,
                            surname: str = "") -> str:
    """Words for the customer that a form may leave empty ("" stays ""); else as
    customer_words."""
    return customer_words(field, text, names=names, surname=surname) if text.strip() else ""


# Names that keep their capital inside a sentence (the policy's offices and roles).
_NAMES = ("Head of Service", "Service Director", "Service Area", "Complaints Resolution",
          "Legal Services", "Local Government", "Ombudsman", "Equality Act")


def in_one_sentence(parts: list[str], *, starts: bool = False) -> str:
    """Sentences said as the clauses of one, after a colon and between semicolons ("Cannot
    decide yet: the customer has until …; the Head of Service has not been consulted"), not
    "…; The Head of Service …" (round 10): each begins in lower case unless it begins with a
    name or an abbreviation, and leaves its full stop to the sentence. `starts`: the sentence
    begins with the first clause, which keeps its capital."""
    def clause(text: str) -> str:
        text = text.strip().rstrip(".")
        first = text.split(" ", 1)[0]
        if (not first[:1].isupper() or first[1:2].isupper() or first[1:2].isdigit()
                or text.startswith(_NAMES)):
            return text
        return text[:1].lower() + text[1:]
    said = "; ".join(clause(part) for part in parts if part.strip())
    return said[:1].upper() + said[1:] if starts else said


class ContactFrequency(StrEnum):
    """How often the single point of contact gets in touch during local resolution."""

    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    AS_NEEDED = "as_needed"

    @property
    def label(self) -> str:
        return _FREQUENCY[self][0]

    @property
    def customer_phrase(self) -> str:
        """As a letter says it: "We will contact you every week"."""
        return _FREQUENCY[self][1]


_FREQUENCY = {
    ContactFrequency.WEEKLY: ("Every week", "every week"),
    ContactFrequency.FORTNIGHTLY: ("Every two weeks", "every two weeks"),
    ContactFrequency.MONTHLY: ("Every month", "every month"),
    ContactFrequency.AS_NEEDED: ("As needed", "when there is news"),
}


def contact_frequency(value: str) -> str:
    """The stored value of a contact frequency ("" for none chosen)."""
    if not value.strip():
        return ""
    try:
        return ContactFrequency(value.strip().lower().replace(" ", "_")).value
    except ValueError:
        known = ", ".join(f.label.lower() for f in ContactFrequency)
        raise ValidationError("contact_frequency", f"choose one of: {known}") from None


def _parsed(field: str, text: str) -> Any:
    """The number typed, read as a UK one unless it gives its country's code."""
    # Imported when a number is typed: the two libraries cost start-up some 75 ms otherwise.
    import phonenumbers

    try:
        return phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        raise ValidationError(field, f"{quoted(text)} is not a telephone number") from None


def uk_telephone(field: str, value: str) -> str:
    """A UK telephone number in its usual written form ("01632 960999"); "" stays "".
    Checks the shape (length and prefix for the UK), not that the line is in service."""
    text = value.strip()
    if not text:
        return ""
    import phonenumbers

    number = _parsed(field, text)
    if (number.country_code != 44 or not phonenumbers.is_possible_number(number)
            or len(str(number.national_number)) < 9):
        raise ValidationError(field, f"{quoted(text)} is not a UK telephone number (like "
                                     "01632 960999)")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))


def any_telephone(field: str, value: str) -> str:
    """A telephone number of any country, kept as typed (trimmed); "" stays "". A number
    without its country's code is read as a UK one. Checks the shape (a possible length for
    that country), not that the line is in service (fixBU left "X" as a customer's number)."""
    text = value.strip()
    if not text:
        return ""
    import phonenumbers

    number = _parsed(field, text)
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(field, f"{quoted(text)} is not a telephone number: too few or "
                                     "too many digits (like 01632 960999, or +33 1 23 45 67 89 "
                                     "abroad)")
    return text


def email_address(field: str, value: str) -> str:
    """An email address in its normal form; "" stays "". Checks the shape, not the mailbox."""
    text = value.strip()
    if not text:
        return ""
    from email_validator import EmailNotValidError, validate_email  # as for numbers

    try:
        return str(validate_email(text, check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        why = str(exc).rstrip(".")
        raise ValidationError(field, f"{quoted(text)} is not an email address: "
                                     f"{why[:1].lower()}{why[1:]}") from None


def reachable_problem(name: str, telephone: str, email: str, *, as_what: str) -> str:
    """Why a person cannot be named to the customer as `as_what` ("" if they can): a letter
    that names them gives their direct telephone or email."""
    if telephone.strip() or email.strip():
        return ""
    return (f"{name} has no direct telephone or email recorded, and the letter gives the "
            f"customer the {as_what}'s details: add them on the team screen first")


# A postal address as the envelope window shows it: the customer's name, at most six lines
# and the postcode fit the window at the letter's size (a DL window, about 45 mm tall; the
# letter shrinks a longer one down to 8 pt and then runs out of window). A line is at most
# 100 characters, as a form of address is; a postcode at most 10 (a UK one has 8, one abroad
# up to 10, "12345-6789"). Issue 16: an address of any length was accepted.
MAX_ADDRESS_LINES = 6
MAX_ADDRESS_LINE = 100
MAX_POSTCODE = 10


def _odd_postcode(code: str) -> bool:
    """A postcode holding more than letters, digits, spaces and hyphens ("NM4 1LS?"), or one
    of the words typed for none ("N/A", "TBC", "none", "unknown"; v15l F5): a postcode with
    no digit in it is tested against those words, so that a real one ("NO-0150") is not."""
    if any(not (ch.isalnum() or ch in " -") for ch in code):
        return True
    return not any(ch.isdigit() for ch in code) and stands_for_nothing(code)


# What is typed for an address not known or not had (v15m-4: "To be confirmed", "none given",
# "NFA" and "No fixed abode" were kept, and letters "posted" to them): a line that is one of
# these, or holds one of the phrases, is no address.
ADDRESS_PLACEHOLDERS = frozenset({
    "nfa", "n f a", "tbc", "tba", "tbd", "unknown", "none", "nil", "withheld", "refused",
    "pending", "awaited", "homeless", "no address", "address", "not given", "none given",
    "not provided", "none provided", "not known", "unknown address", "address unknown",
    "address not known", "address to follow", "to follow", "to be confirmed",
    "to be advised", "awaiting address", "address tbc", "no fixed abode",
    "no fixed address", "of no fixed abode", "not supplied",
})
ADDRESS_PHRASES = ("no fixed abode", "no fixed address", "to be confirmed", "address unknown",
                   "address not known", "address to follow", "not given", "none given")
NO_ADDRESS = ("is not an address a letter can be posted to: give it as it is written on an "
              "envelope; a customer with no fixed abode (or whose address is not yet known) has "
              "no postal address: leave it empty, and the case asks for one before a decision's "
              "letter")


def _no_address(line: str) -> bool:
    said = " ".join(words(line))
    return said in ADDRESS_PLACEHOLDERS or said in PLACEHOLDERS or any(f" {phrase} " in f" {said} "
                                               for phrase in ADDRESS_PHRASES)


def _ends_with(line: str, code: str) -> bool:
    """Whether the line's last words, not the whole of it, are the postcode `code`
    ("12 Mill Lane, Truro NM4 1LS")."""
    bare = "".join(code.split()).upper()
    said = line.replace(",", " ").split()
    return any("".join(said[n:]).upper() == bare for n in range(1, len(said)))


def _line_problems(kept: tuple[str, ...], code: str) -> list[str]:
    """What is wrong with the address's lines as a letter would print them, each line's
    problem (v15n AD4: only the first line's was said): a question mark (an address not yet
    certain: "12 Mill Lane, Truro?"), a placeholder, or a line that is a postcode or ends with
    the postcode given (printed twice, the postcode under the address too)."""
    found: list[str] = []
    for n, line in enumerate(kept, start=1):
        as_code = uk_postcode(line)
        if "?" in line:
            found.append(f"line {n} has a question mark ({quoted(line)}): an address not yet "
                         "certain cannot be posted to; confirm it first, or leave the address "
                         "empty until it is known")
        elif _no_address(line):
            found.append(f"line {n} ({quoted(line)}) {NO_ADDRESS}")
        elif code and (as_code or "".join(line.split()).upper()) in (code,
                                                                      "".join(code.split())):
            found.append(f"line {n} is the postcode ({quoted(line)}): the letter prints it "
                         "under the address already; leave it out of the address's lines")
        elif code and _ends_with(line, code):
            found.append(f"line {n} ({quoted(line)}) ends with the postcode: the letter prints "
                         "it under the address already; leave it out of the address's lines")
        elif as_code is not None:
            found.append(f"line {n} is a postcode ({quoted(line)}): give it in the postcode "
                         "field alone (the letter prints it under the address)")
        elif _ends_with_a_postcode(line):
            # Issue 15 AG2: with no postcode given, "Truro NM4 1LS" was kept as a line.
            found.append(f"line {n} ({quoted(line)}) ends with a postcode: give it in the "
                         "postcode field (the letter prints it under the address)")
    return found


def _ends_with_a_postcode(line: str) -> bool:
    """Whether the line's last words, not the whole of it, have a UK postcode's shape
    ("12 Mill Lane, Truro NM4 1LS", "Truro NM41LS")."""
    said = line.replace(",", " ").split()
    return any(uk_postcode(" ".join(said[-n:])) is not None
               for n in (1, 2) if len(said) > n)


UK_SHAPE = ("like NM4 1LS: the area's letters and district's number, a space, a number and "
            "two letters")


def postal_address(lines: tuple[str, ...], postcode: str) -> tuple[tuple[str, ...], str]:
    """The address's lines (blank ones left out) and postcode as stored (a UK one in capitals
    with one space, "NM4 1LS"; an Eircode with its space, "D02 X285"; another abroad as typed,
    in capitals); or a ValidationError naming
    "address" and/or "postcode", every problem at once. The one rule, asked by the referral
    form, its import, the customer's details (H, `crm-tui customer contact`) and by the letter
    itself (letter_content: a letter is never addressed to what this refuses). A postcode
    abroad is taken only where the address's last line names the country (domain.postcodes).
    """
    kept = tuple(line.strip() for line in lines if line.strip())
    code = postcode.strip().upper()
    found: list[ValidationError] = []
    long = [n for n, line in enumerate(kept, start=1) if len(line) > MAX_ADDRESS_LINE]
    bare = [n for n, line in enumerate(kept, start=1) if not any(ch.isalnum() for ch in line)]
    uk = uk_postcode(code) if code else None
    if len(kept) > MAX_ADDRESS_LINES:
        found.append(ValidationError("address", f"has {counted(len(kept), 'line')}: an envelope "
                                     f"window shows at most {MAX_ADDRESS_LINES} (the postcode "
                                     "apart); join the ones that belong together"))
    elif long:
        found.append(ValidationError("address", f"line {long[0]} is too long "
                                     f"({counted(len(kept[long[0] - 1]), 'character')}; at most "
                                     f"{MAX_ADDRESS_LINE}): split it at a comma"))
    elif any(control_problem(line) for line in kept):
        found.append(ValidationError("address", next(filter(None, map(control_problem, kept)))))
    elif bare or (kept and sum(ch.isalnum() for line in kept for ch in line) < 2):
        # "?" typed over the selected address was saved and letters went to it (v15j Q1)
        where = f"line {bare[0]} has no letter or number" if bare else "is too short"
        found.append(ValidationError("address", f"{where}: give the address as it is written on "
                                     "an envelope"))
    elif kept and " ".join(words(" ".join(kept))) in PLACEHOLDERS:
        # "N/A", "unknown", "TBC" were saved as the address and letters went to it (v15l F5).
        # The whole address, not a reason's rule of a deferral among few words: that refused
        # "Unknown Lane Farm, Truro"; a line that is a placeholder is _line_problems'.
        found.append(ValidationError("address", "is not an address: give it as it is written on "
                                     "an envelope (not \"n/a\", \"TBC\" or \"unknown\")"))
    elif kept and (problems := _line_problems(kept, uk or eircode(code, kept) or code)):
        # Each line's problem, said together (one message: a form shows one under the field).
        found.append(ValidationError("address", ". Also ".join(problems)))
    if len(code) > MAX_POSTCODE:
        found.append(ValidationError("postcode", f"is too long ({counted(len(code), 'character')}; "
                                     f"at most {MAX_POSTCODE}): give the postcode alone, the "
                                     "address in its own lines"))
    elif control_problem(code):
        found.append(ValidationError("postcode", control_problem(code) or ""))
    elif code and (sum(ch.isalnum() for ch in code) < 2 or _odd_postcode(code)):
        # "?" was saved as the postcode and printed under the address (v15j minor)
        found.append(ValidationError("postcode", f"{quoted(postcode.strip())} is not a "
                                     "postcode: give it as it is written "
                                     "on an envelope, or leave it empty if the address "
                                     "has none"))
    elif code and uk is None and not abroad(kept):
        # "NK", "NM4" and "AAAA AAA" were kept as postcodes (v15m-4)
        found.append(ValidationError("postcode", f"{quoted(postcode.strip())} is not a UK "
                                     f"postcode ({UK_SHAPE}); a postcode abroad is taken with "
                                     "the country as the address's last line (\"Ireland\")"))
    raise_all(found)
    return kept, uk or eircode(code, kept) or code


def unpostable(lines: tuple[str, ...], postcode: str) -> list[str]:
    """Why a letter cannot be posted to this address as stored, each as the field and its
    problem ("the postcode "NK" is not a UK postcode …"); none for one that can, or for no
    address at all (which a letter's checker names as missing). For the letter itself: an
    address stored before a rule was made, or by a path that missed it, is never printed on
    a letter that is then "posted" (v15m-4)."""
    if not any(line.strip() for line in lines) and not postcode.strip():
        return []
    try:
        postal_address(lines, postcode)
    except Problems as found:
        return [f"the {p.field} {p.message}" for p in found.found]
    except ValidationError as found:
        return [f"the {found.field} {found.message}"]
    return []


def envelope_lines(lines: tuple[str, ...], postcode: str) -> tuple[str, ...]:
    """The address as the letter prints it: its lines, then the postcode; one abroad before
    the country's line, which a letter abroad carries last."""
    kept = tuple(line.strip() for line in lines if line.strip())
    code = postcode.strip()
    if not code:
        return kept
    # A UK one goes last without asking (ISO 3166's names are read only for one abroad).
    if uk_postcode(code) is None and abroad(kept):
        return (*kept[:-1], code, kept[-1])
    return (*kept, code)
