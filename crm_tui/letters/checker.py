"""The letter checker: a letter is refused, with each problem named, if it misses anything the
policy requires of its kind, or if it would read wrongly to the customer: a date already past
for something still to come, a way of contact offered that the restrictions close, a sentence
left empty or in note form, a heading said twice, internal wording, the customer spoken of in
the third person, or a contact detail a restriction depends on that is not there."""

from __future__ import annotations

import re
from datetime import date, datetime

from crm_tui.domain.contact import Channel
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.wording import (
    MARKERS,
    customer_names,
    naming,
    said,
    surname_of,
    wording_problems,
)
from crm_tui.letters.content import INTRO, SUMMARIES, Letter

DECISION_PARTS = {
    "What we have decided": "what the restrictions are",
    "Why": "why (the reasons, and examples of the behaviour)",
    "How long the restrictions last": "when they start and end (the duration)",
    "When we will review them": "when they will be reviewed",
    "How you can still contact us": "how the customer can still contact the council",
    "How to appeal": "how to appeal: to whom, how and by when",
}
REQUIRED: dict[LetterKind, dict[str, str]] = {
    LetterKind.DECISION: DECISION_PARTS,
    LetterKind.EXTENSION_DECISION: DECISION_PARTS,
    LetterKind.INVITATION: {"What we propose": "the proposed restrictions",
                            "Why": "the reasons", "How to comment": "how to comment, and by when"},
    LetterKind.LIFTED: {"What we have decided": "that the restrictions are lifted, and when",
                        "Why": "the reasons"},
    LetterKind.APPEAL_OUTCOME: {"Our decision on your appeal": "the result (confirmed, amended "
                                                                "or removed)",
                                "Why": "the reasons", "If you are still unhappy":
                                "the Ombudsman"},
    LetterKind.LOCAL_RESOLUTION: {"Our concerns": "the council's concerns",
                                  "The way forward": "the way forward"},
}

DATE = r"(\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|" \
       r"November|December) \d{4})"
# Words that put a date in the future: a deadline or something still to happen. A weekday or
# an ordinal may stand with the date ("by Monday 2 March 2026", "by 1st January"; found when
# tried, with "no later than", "before", "begin on" and "meet you on").
_WHEN = (r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),? )?"
         r"(\d{1,2})(?:st|nd|rd|th)? ((?:January|February|March|April|May|June|July|August|"
         r"September|October|November|December) \d{4})")
FUTURE = re.compile(r"\b(?:by|until|till|end on|ends on|start on|starts on|start later, on|"
                    r"begin on|begins on|"
                    r"from|reach us by|no later than|not later than|expires? on|due on|"
                    r"meet you on|see you on|(?:will|must|should|please)\b[^.!?]*?\bbefore)\s+"
                    + _WHEN)
EXAMPLE = re.compile(r"^On " + DATE + r" you ")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?:\b|\()0\d{2,4}\)? ?\d{3} ?\d{3,4}\b")
# Ways of offering a channel in words (found when tried: "by phone", "our online form", a +44
# number, "ring us", "message us on Facebook" and "pop in" went through). Social media and web
# forms are electronic contact, closed with email.
OFFERS = {Channel.EMAIL.value: re.compile(
              r"\b(?:e-?mail us|e-?mail (?:to )?[\w.+-]+@|by e-?mail|online form|web ?form|"
              r"contact form|on our website|facebook|twitter|instagram|whatsapp|social media|"
              r"message us|direct message|DM us|(?:drop|send) us an? e-?mail|"
              r"e-?mail (?:the|our) \w+|chat (?:to|with) us online|online chat|live chat|"
              r"(?:through|via) our website|tweet(?: us)?)\b", re.IGNORECASE),
          Channel.TELEPHONE.value: re.compile(
              r"(?:\b(?:call us|telephone us|ring us|phone us|text us|by (?:tele)?phone|"
              r"on the phone|telephone [A-Z]\w+ \w+ on|the number to ring|ring|phone|"
              r"helpline|out-of-hours line|contact centre|call centre|give us a (?:call|ring)|"
              r"call (?:the|our) \w+|(?:tele)?phone (?:the|our) \w+|our (?:(?:tele)?phone )?"
              r"number is|text message|sms)\b|\+44)", re.IGNORECASE),
          Channel.LETTER.value: re.compile(r"\bwrite to\b", re.IGNORECASE)}
# A visit offered, where only letters are open.
VISIT = re.compile(r"\b(?:pop in|drop in|call in|come in|visit us|welcome to visit|come and see "
                   r"us|see us in person|in person|face to face|at (?:(?:our|the) )?(?:office|"
                   r"reception|front desk)|call at (?:the|our) \w+)\b", re.IGNORECASE)
# In a section that tells what happened ("you rang us"), a sentence that invites is still an
# offer ("Please ring us", "You can also pop in", "Give us a ring").
INVITING = re.compile(r"\b(?:please|you can|you may|you are welcome|feel free|if you (?:want|"
                      r"wish|would like)|do not hesitate|get in touch)\b|^\s*(?:give|drop|send|"
                      r"ring|call|phone|telephone|text|e-?mail|message|visit|come|pop|tweet|"
                      r"chat|speak|contact)\b", re.IGNORECASE)
SENTENCE = re.compile(r"(?<=[.!?])\s+")
# A sentence that tells what the customer did ("You have ... been abusive on the phone", "You
# rang us forty times") offers nothing wherever it stands, unless it invites or looks ahead
# (t15c F1: a restriction's words for the customer, printed under "What we have decided", were
# read as offering the telephone they told of).
TELLING = re.compile(r"\byou (?:have |had |'ve )?(?:\w+ly )?(?:been|were|was|did|rang|rung|"
                     r"wrote|written|came|come|sent|spoke|spoken|made|kept|went|gone|told|"
                     r"said|threatened|\w+ed)\b", re.IGNORECASE)
AHEAD = re.compile(r"\b(?:will|shall|should|must|need to|able to|allowed to|to (?:ring|call|"
                   r"phone|telephone|text|e-?mail|contact|visit|write|message|speak))\b",
                   re.IGNORECASE)
# A sentence that says what is closed ("We will not accept social media messages") offers
# nothing.
REFUSING = re.compile(r"\b(?:will not|won.t|no longer|cannot|not accept|instead of)\b",
                      re.IGNORECASE)


def _parse(text: str) -> date:
    return datetime.strptime(text, "%d %B %Y").date()




def _parts(letter: Letter, written_reasons: bool) -> list[str]:
    gaps = []
    said = {heading: " ".join(p for p in paragraphs if p.strip())
            for heading, paragraphs in letter.sections}
    gaps += [why for heading, why in REQUIRED[letter.kind].items() if not said.get(heading)]
    if letter.kind.states_appeal_rights:
        appeal = said.get("How to appeal", "")
        if "must reach us by" not in appeal:
            gaps.append("the date by which to appeal")
        if "Service Director" not in appeal and "nominated officer" not in appeal:
            gaps.append("that appeals go to the Service Director, Legal & Business Operations")
        if "Ombudsman" not in appeal:
            gaps.append("that the customer may go to the Ombudsman afterwards")
        why = dict(letter.sections).get("Why", [])
        if not any(EXAMPLE.match(p) for p in why):
            gaps.append("dated examples of the behaviour")
        if written_reasons and not any(p.strip() and not EXAMPLE.match(p)
                                       and not p.endswith(INTRO)
                                       and not SUMMARIES.match(p) for p in why):
            gaps.append("the reasons, in words written for the customer")
    if not letter.address:
        gaps.append("the customer's postal address")
    if not letter.signer:
        gaps.append("who signs it")
    # Each reads after "The letter cannot be sent:", beside the findings that follow. An
    # address a letter cannot be posted to is refused as none is (v15m-4).
    return [*(f"it does not say {why}" for why in gaps), *unpostable(letter)]


def unpostable(letter: Letter) -> list[str]:
    """Why the letter cannot be posted to the address it is addressed to (a placeholder, a
    question mark, a postcode of no shape: domain.wording.unpostable), each ending as
    STANDING's address gap does, so that the check before a decision names it too."""
    return [f"it cannot be posted: {why}; correct {STANDING[1]}" for why in letter.unpostable]


def _paragraphs(letter: Letter) -> list[tuple[str, str]]:
    return [(heading, p) for heading, paragraphs in letter.sections for p in paragraphs]


# Restrictions told of as starting on a later day, none applying "until then"
# (content.later_start): on that day itself the letter is no longer true, as it reaches the
# customer after they started (v15k S).
NONE_UNTIL = re.compile(r"\b(?:start (?:later, )?on|apply again, as set out above, from) "
                        + _WHEN + r"\. Until then, no restrictions apply")


# Words that tell when the restrictions start: a start on the day the letter bears is what
# was decided that day, not something still to come, on whatever later day it is posted
# (fixAB AB0: a decision letter signed on 28 November and posted on 30 November was refused
# for its own "start on 28 November 2026"). A start before that day is past when signed.
STARTING = re.compile(r"\b(?:start on|starts on|start later, on|begin on|begins on|from)\s")


def past_dates(letter: Letter, on: date | None = None) -> list[str]:
    """Each date the letter gives for something still to come that is past on `on`, the day
    it is read by the customer (posted; the day it bears unless given). A start on the day
    the letter bears is what it tells was decided then, not still to come; a start before it,
    or a later one passed by `on`, is."""
    on = on or letter.written_on
    found = []
    for _, p in _paragraphs(letter):
        for match in FUTURE.finditer(p):
            when = f"{int(match.group(1))} {match.group(2)}"
            passed = _parse(when)
            if passed >= on or (passed == letter.written_on
                                and STARTING.match(match.group(0))):
                continue
            found.append(f"a date already past, {when}, for something still to "
                         f"come (\u201c\u2026{match.group(0)[-60:]}\u201d)")
        for match in NONE_UNTIL.finditer(p):
            when = f"{int(match.group(1))} {match.group(2)}"
            if _parse(when) == on:
                found.append(f"{when}, today, as the day the restrictions start, with none "
                             f"applying until then: it would reach the customer after they "
                             f"started")
    return found


# The heading of the invitation to comment's section asking for comments, and the date in it.
HOW_TO_COMMENT = "How to comment"
_COMMENTS_BY = re.compile(r"\bby\s+" + _WHEN)


def comments_by(letter: Letter) -> date | None:
    """The last day for comments an invitation to comment gives ("Please write to us … by 17
    December 2026"), as the customer reads it; None where it gives none (within a number of
    days, or no such section)."""
    for heading, paragraphs in letter.sections:
        if heading != HOW_TO_COMMENT:
            continue
        for p in paragraphs:
            match = _COMMENTS_BY.search(" ".join(p.split()))
            if match:
                return _parse(f"{int(match.group(1))} {match.group(2)}")
    return None


# Sections that describe what happened ("you contacted us by email"): a way of contact named
# there is not offered. An address or number anywhere is.
DESCRIBING = frozenset({"Why", "Our concerns", "What has changed", "Your comments"})


def closed_channels_offered(letter: Letter) -> list[str]:
    found = []
    for heading, p in _paragraphs(letter):
        found += offered(p, letter.closed_channels, describing=heading in DESCRIBING)
    return sorted(set(found))


def offered(paragraph: str, closed: tuple[str, ...] | frozenset[str], *,
            describing: bool = False) -> list[str]:
    """Each way of contact `paragraph` offers that `closed` (channel values) shuts, one plain
    phrase each: the rule the letter is checked with, and the one a form field whose words a
    letter prints is read with as it is saved (a restriction's words for the customer)."""
    if "Ombudsman" in paragraph:  # the Ombudsman's own number and website are not the council's
        return []
    found = []
    for channel in sorted(closed):
        name = Channel(channel).label.lower()
        if channel == Channel.EMAIL.value and EMAIL.search(paragraph):
            found.append(f"an email address offered, though the restrictions close {name}"
                         f" (“{EMAIL.search(paragraph).group(0)}”)")  # type: ignore[union-attr]
        elif channel == Channel.TELEPHONE.value and PHONE.search(paragraph):
            found.append(f"a telephone number offered, though the restrictions close {name} "
                         f"(“{PHONE.search(paragraph).group(0)}”)")  # type: ignore[union-attr]
        elif channel in OFFERS:
            offer = _offer(OFFERS[channel], paragraph, describing)
            if offer:
                found.append(f"contact by {name} offered, though the restrictions close "
                             f"it (\u201c{offer}\u201d)")
    if {Channel.EMAIL.value, Channel.TELEPHONE.value} <= set(closed):
        visit = _offer(VISIT, paragraph, describing)
        if visit:
            found.append(f"a visit offered, though the restrictions leave only letters "
                         f"(\u201c{visit}\u201d)")
    return found


def _offer(rule: re.Pattern[str], paragraph: str, describing: bool) -> str | None:
    """The words that offer the channel, in a sentence that does not refuse it; in a section
    that tells what happened, only in a sentence that invites; anywhere, a sentence that tells
    what the customer did offers nothing unless it invites or looks ahead."""
    for sentence in SENTENCE.split(paragraph):
        inviting = INVITING.search(sentence)
        if REFUSING.search(sentence) or (describing and not inviting) or (
                TELLING.search(sentence) and not inviting and not AHEAD.search(sentence)):
            continue
        match = rule.search(sentence)
        if match:
            return match.group(0)
    return None


def wording(letter: Letter) -> list[str]:
    """Each paragraph read with the rules a form field that feeds a letter is read with:
    note form, internal wording, the customer spoken of in the third person. A heading or
    the subject is a title, not a sentence: only its words are read."""
    found = []
    for heading, p in _paragraphs(letter):
        found += said(wording_problems(p), f" under \u201c{heading}\u201d" if heading else "")
    for title in (letter.subject, *(h for h, _ in letter.sections if h)):
        found += said([f for f in wording_problems(title + ".") if f[0].startswith(TITLE_RULES)],
                      "" if title == letter.subject else f" under \u201c{title}\u201d")
    return sorted(set(found), key=found.index)


TITLE_RULES = ("internal wording", "the customer spoken of")


def stored(letter: Letter) -> list[str]:
    """What missing() finds in a letter built before the decision's own words are given (no
    reasons for the customer, provisional dates) that all comes from what is stored on the
    case (the restrictions' words, a matter's title, the evidence's examples): known before
    the decision opens, so the builder lists it and D refuses with it (t15c F1: a closed way
    offered was found only inside the decision form). The parts only the case fills are
    standing(); the greeting, salutation()."""
    return [*past_dates(letter), *closed_channels_offered(letter), *wording(letter),
            *repeated_headings(letter), *third_person(letter), *unmet(letter)]


def repeated_headings(letter: Letter) -> list[str]:
    seen = {letter.subject.strip().lower()}
    found = []
    for heading, _ in letter.sections:
        if not heading:
            continue
        if heading.strip().lower() in seen:
            found.append(f"the heading “{heading}” said twice")
        seen.add(heading.strip().lower())
    return found


def third_person(letter: Letter) -> list[str]:
    """The customer is written to, not about: their name belongs in the address and the
    salutation only."""
    names = customer_names(letter.recipient, letter.form_of_address)
    surname = surname_of(letter.recipient)
    found = []
    for heading, p in [*_paragraphs(letter), ("", letter.subject)]:
        found += said(naming(p, names, surname),
                      f" under \u201c{heading}\u201d" if heading else "")
    return sorted(set(found))


def unmet(letter: Letter) -> list[str]:
    return [f"it does not give a contact detail a restriction depends on: {what}"
            for what in letter.unmet]


def salutation(letter: Letter) -> list[str]:
    """The greeting is the customer's name or form of address as a council writes it."""
    name = letter.form_of_address or letter.recipient
    if not name.strip() or not name[0].isupper() or any(m in name for m in MARKERS) \
            or any(c.isdigit() for c in name) or "," in name:
        return [f"a greeting a council would not write (“{letter.salutation}”)"]
    return []


# What no choice of dates or reasons at the decision can give the letter: it comes from the
# case (the customer's address, the dated evidence), so it is known before the decision opens.
STANDING = ("dated examples of the behaviour", "the customer's postal address")


def standing(letter: Letter) -> list[str]:
    """The gaps in `letter` that only the case can fill, each as missing() words it."""
    return [gap for gap in _parts(letter, False) if gap.endswith(STANDING)]


def missing(letter: Letter, *, written_reasons: bool = True) -> list[str]:
    """Every problem that stops this letter being signed, each named; none for a sound
    letter. `written_reasons=False`: a decision letter may rest on examples of the behaviour
    alone (for the check made before a decision whose words for the customer are not yet
    asked for; at signing they are required)."""
    return [*_parts(letter, written_reasons), *past_dates(letter),
            *closed_channels_offered(letter), *wording(letter), *repeated_headings(letter),
            *third_person(letter), *unmet(letter), *salutation(letter)]
