"""Each letter the policy calls for, as headed sections of plain English written to the
customer. The same content makes the plain-text preview, the checker's reading and the PDF,
so what is previewed is what is signed. The service gathers the facts (who, which dates,
which words the customer is told); this module only puts them into sentences."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from crm_tui.domain.letters import LetterKind
from crm_tui.letters.wording import (
    Person,
    Rule,
    Ways,
    day,  # re-exported: the renderer dates the letter with it
    describe,
    direct,
    duration,
    help_offer,
    how_to_reach,
    reply_ways,
    sentence,
)

__all__ = ["Extras", "Letter", "Letterhead", "Person", "Restricting", "body", "day", "text"]

OMBUDSMAN = ("If you are still unhappy after your appeal, you can ask the Local Government and "
             "Social Care Ombudsman to look at your complaint. Their website is www.lgo.org.uk "
             "and their telephone number is 0300 061 0614.")
APPEAL_TO = "the Service Director, Legal & Business Operations, or an officer they nominate"

Sections = list[tuple[str, list[str]]]
# How the examples of behaviour are introduced and summed up: the checker tells them from
# the reasons by these words. Each behaviour relied on is summed up in its own sentence, most
# frequent first, with how many contacts showed it and on which days (issue 15 AX1: a letter
# named two behaviours of five example days, left out the most frequent one and said "In your
# contact on 7 November" of a behaviour also seen on 3 November).
INTRO = "some examples of your contact with us."
SUMMARY = "In this contact, you"  # the one contact relied on, listed above
SUMMARY_BOTH = "In both these contacts, you"
SUMMARY_ALL = "In all {} of these contacts, you"  # every contact, all listed above
SUMMARY_ON = "In your contact on"  # one contact, by its day
SUMMARY_SOME = "In {} of your contacts, on"  # some contacts, by their days
SUMMARY_BETWEEN = "In {} of your contacts, between"  # some contacts over many days
SUMMARIES = re.compile("|".join(
    re.escape(s).replace(re.escape("{}"), r"\w+") for s in (
        SUMMARY, SUMMARY_BOTH, SUMMARY_ALL, SUMMARY_ON, SUMMARY_SOME, SUMMARY_BETWEEN)))


@dataclass(frozen=True)
class Letterhead:
    council: str
    department: str
    address: tuple[str, ...]
    telephone: str
    email: str
    website: str

    @property
    def contact(self) -> str:
        return ", ".join((*self.address, self.email))


@dataclass(frozen=True)
class Letter:
    kind: LetterKind
    reference: str
    letterhead: Letterhead
    recipient: str
    address: tuple[str, ...]
    written_on: date
    subject: str
    sections: list[tuple[str, list[str]]]  # (heading, or "" for none; paragraphs)
    signer: str
    signer_title: str
    demo: bool = False
    large_print: bool = False  # the customer's recorded need
    # The body size the customer needs, in points (None: the standard size); everything on
    # the page scales with it.
    print_pt: int | None = None
    language: str = ""  # the customer's language, where recorded: an interpreter is offered
    form_of_address: str = ""  # "Mr Penhaligon", where the customer has given one
    copy_of: date | None = None  # a re-sent duplicate: the date the original was sent
    # The council's channels (letter, email, telephone) the restrictions close: the checker
    # refuses a letter that offers one of them.
    closed_channels: tuple[str, ...] = ()
    # Contact details a restriction depends on that the record does not hold (a named
    # officer's direct line or email): the checker names each one.
    unmet: tuple[str, ...] = ()
    # Why the address cannot be posted to as stored (a placeholder, a question mark, a
    # postcode of no shape: domain.wording.unpostable): the checker refuses the letter.
    unpostable: tuple[str, ...] = ()
    # The council's general telephone and email, where the restrictions send the customer
    # elsewhere (a named officer, a number at set times): kept off the letterhead.
    letterhead_closed: tuple[str, ...] = ()

    def council_ways(self) -> list[str]:
        """The council's telephone and email as the letterhead gives them: only the ways the
        restrictions leave open to this customer, so the page never offers a closed one."""
        head, closed = self.letterhead, {*self.closed_channels, *self.letterhead_closed}
        return [*([f"Telephone {head.telephone}"] if "telephone" not in closed else []),
                *([head.email] if "email" not in closed else [])]

    @property
    def salutation(self) -> str:
        return f"Dear {self.form_of_address or self.recipient},"


def text(letter: Letter) -> str:
    """The letter as plain text: what the preview shows and the checker reads."""
    lines = [letter.letterhead.council, *letter.letterhead.address, "",
             letter.recipient, *letter.address, "",
             f"Our reference: {letter.reference}", day(letter.written_on), "",
             letter.salutation, "", letter.subject, ""]
    for heading, paragraphs in letter.sections:
        if heading:
            lines.append(heading)
        lines += paragraphs
        lines.append("")
    lines += ["Yours sincerely,", "", letter.signer, letter.signer_title,
              letter.letterhead.council]
    return "\n".join(lines)


def body(letter: Letter) -> str:
    """The paragraphs of the letter's sections: what readability is measured on."""
    return "\n".join(p for _, paragraphs in letter.sections for p in paragraphs)


@dataclass(frozen=True)
class Restricting:
    """What a decision (or a proposal) sets out, with the facts to say it."""

    rules: list[Rule]
    # What the customer is told of the decision (or proposal) as a whole: under "Why", before
    # the examples.
    reasons: list[str]
    behaviour: list[str]  # examples, as full sentences ("On 3 March 2026 you telephoned us…")
    ways: Ways  # what the restrictions leave open
    starts_on: date
    ends_on: date
    review_due: date
    written_on: date
    appeal_by: date | None = None
    reply_by: date | None = None  # invitations to comment
    changes: list[str] = field(default_factory=list)  # what changed (extensions, appeals)
    since: str = ""  # "Since our last review on 3 March 2026": what the examples cover
    continuing: bool = False  # restrictions already in place, extended or varied
    # Each restriction's own words for the customer, in the order of `rules`: printed with
    # that restriction, not again under "Why" (t15 F7: the decision's and the restriction's
    # reasons, both asked "as the customer is told it", were printed one after the other).
    rule_reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Extras:
    """What every letter may add: the offer of a translation or interpreter."""

    language: str = ""
    interpreter: bool = False


def restriction_paragraph(rule: Rule, ways: Ways, why: str = "") -> str:
    """One restriction in full sentences, followed by its own why, as the customer is told
    it ("Set times mean that…"): the one paragraph a decision letter, an invitation and the
    outcome letter of an amended appeal print for a restriction (issue 15 BF1: the outcome
    letter left the amended restriction's why out)."""
    return " ".join([*describe(rule, ways), *([sentence(why)] if why.strip() else [])])


def _what(r: Restricting, *, reasons: bool = True) -> list[str]:
    """Each restriction's paragraph (restriction_paragraph), numbered when there are more
    than one. `reasons=False`: without each restriction's own why (a confirmed appeal's
    outcome, which repeats restrictions the customer was told of with their whys, and
    whose reasons are the appeal's)."""
    described = []
    for place, rule in enumerate(r.rules):
        said = r.rule_reasons[place] if reasons and place < len(r.rule_reasons) else ""
        described.append(restriction_paragraph(rule, r.ways, said))
    if len(described) == 1:
        return described
    return [f"{i}. {line}" for i, line in enumerate(described, 1)]


def _why(r: Restricting) -> list[str]:
    lines = [sentence(reason) for reason in r.reasons if reason.strip()]
    if r.behaviour:
        lines.append(f"{r.since}, these are {INTRO}" if r.since else f"These are {INTRO}")
        lines += r.behaviour
    return lines


def _dates(r: Restricting) -> list[str]:
    length = duration(r.starts_on, r.ends_on)
    last = f" That is {length}." if length else ""
    if r.continuing and r.starts_on >= r.written_on:
        return [f"The restrictions as they now stand apply from {day(r.starts_on)}. They end on "
                f"{day(r.ends_on)}, unless we lift them sooner."]
    if r.starts_on < r.written_on:
        return [f"The restrictions have applied since {day(r.starts_on)}. They end on "
                f"{day(r.ends_on)}, unless we lift them sooner."]
    return [f"The restrictions start on {day(r.starts_on)} and end on {day(r.ends_on)}.{last} "
            "We will lift them sooner if we can."]


def _appeal(r: Restricting, reference: str, head: Letterhead) -> list[str]:
    by = f" Your appeal must reach us by {day(r.appeal_by)}." if r.appeal_by else ""
    return [f"If you think this decision is wrong, you can appeal. Your appeal will be decided "
            f"by {APPEAL_TO}. They will not have taken part in this decision.",
            f"To appeal, {reply_ways(r.ways, head.address, head.email)}. Quote our reference, "
            f"{reference}, and tell us why you think the decision is wrong.{by} We will write "
            "to you with the result.", OMBUDSMAN]


def _help(extras: Extras, ways: Ways, head: Letterhead) -> Sections:
    offer = help_offer(extras.language, extras.interpreter, ways, head.address)
    return [("Help with this letter", [offer])] if offer else []


IMPOSED = "We have decided to restrict the ways you can contact the council."
# A variation is not a review: it says what was decided, not that a review took place.
EASED = "We have looked again at the restrictions on your contact with the council. We have " \
        "decided to make them less strict."
REWORDED = "We have looked again at the restrictions on your contact with the council. We " \
           "have decided to change how they are set out. They are no stricter than before."
EXTENDED = "We have reviewed the restrictions on your contact with the council. We have " \
           "decided to keep restrictions in place for longer."


def comments_heard(invited_on: date | None, reply_by: date | None,
                   received_on: date | None) -> list[str]:
    """Whether the customer's comments arrived, and when; how they were weighed is in the
    reasons that follow."""
    if invited_on is None or reply_by is None:
        return []
    asked = (f"On {day(invited_on)} we wrote to tell you what we were thinking of doing, and "
             f"asked for your comments. The closing date was {day(reply_by)}.")
    if received_on is not None:
        return [asked, f"We received your comments on {day(received_on)}. We read them "
                       "carefully before we decided. Our reasons below say how we took them "
                       "into account."]
    return [asked, "We did not receive any comments from you before the closing date. We "
                   "decided on what we knew."]


def decision_sections(r: Restricting, head: Letterhead, reference: str, *,
                      opening: str = IMPOSED, heard: list[str] | None = None,
                      extras: Extras = Extras(), reviewing: bool = False) -> Sections:
    """`reviewing`: written once the review date decided has passed (a letter owed again,
    issue 15 AG4), the review is held now: the letter says so, giving no date gone by."""
    review = ("The date we set for reviewing the restrictions has come: we are reviewing "
              "them now, and will write to you with the result." if reviewing
              else f"We will review the restrictions by {day(r.review_due)}.")
    sections: Sections = [
        ("", [f"{opening} This letter tells you what the restrictions are and why. It also "
              "tells you how long they last, how you can still contact us and how to appeal."]),
        ("What we have decided", _what(r))]
    if r.changes:
        sections.append(("What has changed", r.changes))
    if heard:
        sections.append(("Your comments", heard))
    sections += [
        ("Why", _why(r)),
        ("How long the restrictions last", _dates(r)),
        ("When we will review them",
         [f"{review} We want to lift them as soon as we can see that the problems have "
          "stopped and are unlikely to start again."]),
        ("How you can still contact us", how_to_reach(r.ways, head.address, head.email)),
        ("How to appeal", _appeal(r, reference, head)),
        *_help(extras, r.ways, head)]
    return sections


def invitation_sections(r: Restricting, now: Ways, head: Letterhead, reference: str, *,
                        current_end: date | None = None, extras: Extras = Extras(),
                        current_start: date | None = None) -> Sections:
    """`r`: what is proposed (`r.starts_on`: the earliest day it could be decided, after the
    reply date); `now`: what the restrictions decided leave open, which is how the customer
    replies; `current_end`: when those end. `current_start`: those decided start on this
    later day (domain.in_force.starts_later), so none apply to the customer yet: the letter
    says so, not "the restrictions you have now" (v15n AC1)."""
    longer = duration(current_end, r.ends_on) if current_end is not None else ""
    if current_start is None:
        compared = "the restrictions you have now"
        until = ["The restrictions you have now stay as they are until we decide."]
    else:
        compared = (f"the restrictions we have already decided, which start on "
                    f"{day(current_start)}")
        until = [f"No restrictions apply to you until {day(current_start)}. From then until "
                 "we decide, the restrictions we have already decided apply, and you can "
                 "contact us in these ways."]
    reply = f"by {day(r.reply_by)}" if r.reply_by else "within 14 days"
    return [
        ("", ["We have been reviewing the restrictions on your contact with the council. We "
              "are thinking of keeping restrictions in place for longer. Before we decide, we "
              "want to hear what you think."]),
        ("What we propose", [
            *_what(r),
            f"If we go ahead, these restrictions would apply from {day(r.starts_on)} at the "
            f"earliest, until {day(r.ends_on)}."
            + (f" That is {longer} longer than {compared}." if longer else "")
            + f" We would review them by {day(r.review_due)}."]),
        ("Why", _why(r)),
        ("How to comment",
         [f"Please {reply_ways(now, head.address, head.email)} {reply}. Quote our reference, "
          f"{reference}. Tell us anything you think we should take into account. This "
          "includes anything that would make it easier for you to keep to the arrangements.",
          "We will think about what you say before we decide. We will then write to tell you "
          "our decision and how to appeal."]),
        ("Until we decide", [*until, *how_to_reach(now, head.address, head.email)]),
        *_help(extras, now, head)]


def lifted_sections(lifted_on: date, written_on: date, reasons: list[str], head: Letterhead, *,
                    extras: Extras = Extras(), were_to_start: date | None = None) -> Sections:
    """`were_to_start`: the restrictions lifted had been decided to start on this later day
    and had not started when lifted (domain.in_force.starts_later): the letter says they will
    not take effect, not that restrictions which never applied end (v15k T2)."""
    if were_to_start is not None:
        took = ("did not take effect" if were_to_start <= written_on
                else "will not take effect")
        decided = (f"We have decided to lift the restrictions that were to take effect on "
                   f"{day(were_to_start)}. They {took}, and no restrictions apply to you. You "
                   "can contact the council in the usual ways.")
    else:
        ended = (f"They ended on {day(lifted_on)}." if lifted_on < written_on
                 else f"They end today, {day(lifted_on)}." if lifted_on == written_on
                 else f"They end on {day(lifted_on)}.")
        decided = (f"We have decided to lift the restrictions. {ended} You can now contact "
                   "the council in the usual ways.")
    return [
        # Not "reviewed": restrictions are lifted early too, with no review (L).
        ("", ["We have looked again at the restrictions on your contact with the council."]),
        ("What we have decided",
         [f"{decided} We will deal with your enquiries as we would anyone else's."]),
        ("Why", [sentence(reason) for reason in reasons if reason.strip()]),
        ("If you need help", [f"If you have a new matter, contact the service concerned. You "
                              f"can also telephone us on {head.telephone} or email "
                              f"{head.email}."]),
        *_help(extras, Ways(telephone=head.telephone), head)]


APPEAL_RESULT = {
    "confirmed": "We have decided that the restrictions should stay as they are.",
    "amended": "We have decided to change the restrictions. The restrictions that now apply "
               "are set out below.",
    "removed": "We have decided to remove the restrictions. They no longer apply, and you can "
               "contact the council in the usual ways."}


def kept(appealed_on: date, which: str = "") -> str:
    """The result of an appeal confirmed against a decision whose letter the customer was
    never sent (fixAQ AQ1): "the restrictions should stay as they are" told them nothing
    they knew of, the restrictions they were last sent being other ones. `which`: the
    decision named so that no other of that day is meant (Which.kept)."""
    return (f"We have decided not to change our decision of {day(appealed_on)}{which}. The "
            "restrictions that apply under it are set out below.")


@dataclass(frozen=True)
class Which:
    """The decision appealed against, where another decision was taken on its day (v18 AT4:
    "our decision of 30 November 2026" in a letter whose *Our earlier decisions* told two
    decisions of that day, a third of it having been posted): `letter_on`, the day its
    letter bears, that letter having been posted; `last_told`, it is the last of the
    decisions told under *Our earlier decisions* (its letter never sent). Neither: one
    decision that day, named by its day alone."""

    letter_on: date | None = None
    last_told: bool = False
    # What that letter told, so that no other letter of its day is meant (AV1: "our letter of
    # 1 December 2026" when two letters went that day): "telling you of the variation".
    about: str = ""

    def _letter(self) -> str:
        about = f" {self.about}" if self.about else ""
        return f" (our letter of {day(self.letter_on)}{about})" if self.letter_on else ""

    def opening(self) -> str:
        if self.letter_on is not None:
            return self._letter()
        return ", the last of the earlier decisions told below" if self.last_told else ""

    def kept(self, action: str) -> str:
        if self.letter_on is None and not self.last_told:
            return ""
        words = f" {APPEALED.get(action, RESTRICTED)}"
        if self.letter_on is not None:
            return f"{words}{self._letter()}"
        return f"{words}, the last of the decisions told above"


def later_start(starts_on: date) -> str:
    """The result of an appeal that amended the restrictions to ones starting on a later
    day: the ones appealed against have stopped, and none apply until then."""
    return (f"We have decided to change the restrictions. The restrictions you appealed "
            f"against have stopped. The changed restrictions, set out below, start on "
            f"{day(starts_on)}. Until then, no restrictions apply, and you can contact the "
            "council in the usual ways.")


def started_since(decided_on: date, starts_on: date, written_on: date) -> str:
    """The result of an appeal that amended the restrictions to ones starting on a later
    day, told once that day has come (the letter saying "until then" could no longer go,
    v15k S): the ones appealed against stopped when it was decided, the changed ones since."""
    started = (f"start today, {day(starts_on)}" if starts_on == written_on
               else f"started on {day(starts_on)}")
    return (f"We have decided to change the restrictions. The restrictions you appealed "
            f"against stopped when we decided, on {day(decided_on)}. The changed "
            f"restrictions, set out below, {started}.")


# What an earlier decision did, as a later decision's letter tells of it (decision_untold).
DECIDED_WORDS = {"impose_restrictions": "to restrict how you can contact the council",
                 "extend_restrictions": "to extend the restrictions on how you can contact "
                                        "the council",
                 "vary_restrictions": "to change the restrictions on how you can contact "
                                      "the council"}


# What an appeal's result does to the decisions told under "Our earlier decision" (one,
# several), by the appeal's outcome (fixAQ AQ1: a confirmed or removed appeal told none).
UNTOLD_DONE = {"replaced": ("replaces it", "replaces them"),
               "confirmed": ("keeps it in place", "keeps the last of them in place"),
               "removed": ("removes the restrictions it set",
                           "removes the restrictions they set")}


def decision_untold(told: Sequence[tuple[str, date, str]], appeal: bool, *,
                    replaced_by: str = "The decision in this letter",
                    done: str = "replaced") -> list[str]:
    """Earlier decisions told in a later decision's letter, their own letters never having
    been sent (fixAB AB2, AF2): each as (its action, the day decided, what it set in a
    sentence), oldest first; what was decided and when, what it set, and that this letter's
    decision replaces it. Past tense: these are things that happened. `appeal`: this letter
    gives a right of appeal, which covers the restrictions as they now stand. `replaced_by`:
    what replaces them, as the letter names it ("Our decision on your appeal"); `done`: what
    it does to them (UNTOLD_DONE: an appeal confirmed keeps the decision appealed against in
    place, one removed removes the restrictions)."""
    now = (" The restrictions as they now stand, and how you can appeal against them, are set "
           "out below." if appeal else "")
    said = [f"On {day(decided_on)} we decided {DECIDED_WORDS[action]}. {what}".strip()
            for action, decided_on, what in told]
    one, several = UNTOLD_DONE[done]
    if len(told) == 1:
        ending = (f"We did not send you our letter about that decision. {replaced_by} "
                  f"{one}, so this letter tells you of both.")
    else:
        ending = (f"We did not send you our letters about those decisions. {replaced_by} "
                  f"{several}, so this letter tells you of each of them.")
    return [*said, ending + now]


def appeal_untold(outcome: str, appealed_on: date, decided_on: date, starts_on: date | None,
                  since_on: date, *, decided_by: str = "",
                  reasons: Sequence[str] = (), what_set: str = "", appealed_action: str = "",
                  appealed_untold: bool = False) -> list[str]:
    """An appeal's result told in a later decision's letter, the outcome letter never having
    been sent (v15m-3): the appeal, its result in a sentence, and whether restrictions it
    decided to start on a later day had taken effect by `since_on` (the day of the later
    decision). Past tense throughout: these are things that happened, not dates to come.
    `what_set`: what the changed restrictions were, in a sentence (AF2: the customer never
    saw them). `appealed_action`: what the decision appealed against did (APPEALED: a
    variation was called a decision "to restrict"); `appealed_untold`: its own letter never
    went, and it is told under "Our earlier decision": a confirmed appeal keeps that decision,
    not restrictions "as they were" the customer never had (AV2)."""
    said = [f"You appealed against our decision of {day(appealed_on)} "
            f"{APPEALED.get(appealed_action, RESTRICTED)}. We decided your appeal on "
            f"{day(decided_on)}. We did "
            "not send you a letter about it then, so this letter tells you the result as well."
            + (f" {decided_by.strip()}" if decided_by.strip() else "")]
    if outcome == "amended" and starts_on is not None and starts_on > decided_on:
        # Once they had started, said once ("were to take effect on 3 December. They took
        # effect on 3 December" read twice over).
        took = (f"took effect on {day(starts_on)}." if starts_on <= since_on
                else f"were to take effect on {day(starts_on)}. Until then, no restrictions "
                     "were to apply.")
        result = (f"We decided to change the restrictions. The restrictions you appealed "
                  f"against stopped on {day(decided_on)}, and the changed restrictions {took}")
    else:
        result = {"confirmed": "We decided not to change that decision. What it set is "
                               "told below." if appealed_untold else
                  "We decided that the restrictions should stay as they were.",
                  "amended": "We decided to change the restrictions.",
                  "removed": "We decided to remove the restrictions."}[outcome]
    # What the changed restrictions were, in a paragraph of its own (AF2: never sent).
    told = [result, what_set] if outcome == "amended" and what_set else [result]
    return [*said, *told, *(sentence(reason) for reason in reasons if reason.strip())]


# An appeal decided while the restrictions are being reviewed: the review goes on, and its
# result is a letter of its own.
REVIEWING = ("We are reviewing them now, separately from your appeal. We will write to you "
             "with the result of that review.")


# What the decision appealed against did, by its action, as the outcome letter names it: a
# variation makes the restrictions lighter or shorter, and was called a decision "to
# restrict" (v15m Y3).
APPEALED = {"vary_restrictions": "to change the restrictions on how you can contact the "
                                 "council",
            "extend_restrictions": "to extend the restrictions on how you can contact the "
                                   "council",
            "amend_on_appeal": "to change the restrictions on how you can contact the "
                               "council"}
RESTRICTED = "to restrict how you can contact the council"

# What a decision's own letter told, naming it apart from other letters of its day (AV1).
LETTER_ABOUT = {"impose_restrictions": "telling you of the restrictions",
                "extend_restrictions": "telling you of the extension",
                "vary_restrictions": "telling you of the variation",
                "amend_on_appeal": "telling you of the result of your earlier appeal"}


def appeal_sections(outcome: str, reasons: list[str], r: Restricting | None, head: Letterhead,
                    *, decided_by: str, extras: Extras = Extras(),
                    appealed_on: date | None = None, received_on: date | None = None,
                    reviewing: bool = False, decided_on: date | None = None,
                    appealed_action: str = "", untold: bool = False,
                    which: Which = Which()) -> Sections:
    """`decided_by`: who decided the appeal, as the record shows it — a sentence that says
    they took no part in the decision only when that is true. `appealed_on`: the day of the
    decision appealed against; `received_on`: the day the appeal came in (the customer can
    tell which decision and which appeal the letter answers). `reviewing`: a review of the
    restrictions is under way, and the letter says so instead of giving the review date.
    `appealed_action`: what the decision appealed against was (lifecycle.Action's value):
    the letter says what it did, a variation not "to restrict" (APPEALED). `untold`: the
    customer was never sent the letter of the decision appealed against (fixAQ AQ1): a
    confirmed appeal keeps that decision (kept), never "the restrictions should stay as they
    are". `which`: the decision appealed against named apart from others of its day."""
    of = f" of {day(appealed_on)}" if appealed_on is not None else ""
    came = f" We received your appeal on {day(received_on)}." if received_on is not None \
        else ""
    sections: Sections = [
        ("", [f"You appealed against our decision{of} "
              f"{APPEALED.get(appealed_action, RESTRICTED)}{which.opening()}.{came} "
              + decided_by.strip()]),
        ("Our decision on your appeal",
         [kept(appealed_on, which.kept(appealed_action))
          if untold and outcome == "confirmed" and appealed_on is not None
          else APPEAL_RESULT[outcome]]),
        ("Why", [sentence(reason) for reason in reasons if reason.strip()])]
    ways = Ways(telephone=head.telephone)
    if r is not None and outcome != "removed":
        ways = r.ways
        # Restrictions that start on a later day (an amendment): those appealed against
        # stopped when the appeal was decided, and none apply until then (v15j O1: the letter
        # said "The restrictions now" and never the day they start).
        later = r.starts_on > r.written_on
        if later and outcome == "amended":
            sections[1] = ("Our decision on your appeal", [later_start(r.starts_on)])
        elif outcome == "amended" and decided_on is not None and decided_on < r.starts_on:
            # `decided_on`: the day the appeal was decided, when the letter is written after.
            sections[1] = ("Our decision on your appeal",
                           [started_since(decided_on, r.starts_on, r.written_on)])
        sections += [(f"The restrictions from {day(r.starts_on)}" if later
                      else "The restrictions now",
                      # An amendment's restrictions are new to the customer: each with its
                      # own why, as a decision letter prints it (BF1).
                      _what(r, reasons=outcome == "amended"))]
        if r.changes:
            sections.append(("What has changed", r.changes))
        review = (REVIEWING if reviewing
                  else f"We will review them by {day(r.review_due)}.")
        lasting = (f"They start on {day(r.starts_on)} and end on {day(r.ends_on)}."
                   if later else f"They end on {day(r.ends_on)}.")
        if outcome == "amended" and not later:
            # Changed restrictions: from when the changed ones apply, not only their end
            # (v22 C3: "They end on 28 November 2028" said nothing of when they began).
            since = ("have applied since" if r.starts_on < r.written_on else "apply from")
            lasting = f"They {since} {day(r.starts_on)} and end on {day(r.ends_on)}."
        sections += [("How long the restrictions last", [f"{lasting} {review}"]),
                     ("How you can still contact us", how_to_reach(r.ways, head.address,
                                                                   head.email))]
    sections.append(("If you are still unhappy", [OMBUDSMAN]))
    return sections + _help(extras, ways, head)


# The warning the policy expects during local resolution, said in so many words.
WARNING = ("If you keep contacting the council in the way described above, we may restrict "
           "how you can contact us. This is under the council's policy on unreasonably "
           "persistent customer behaviour. For example, we might accept contact from you only "
           "in writing, or only with one named officer.")
FREQUENCY = {"weekly": "every week", "fortnightly": "every two weeks"}


def local_resolution_sections(concerns: str, spoc: Person | None, frequency: str, style: str,
                              monitoring_start: date, monitoring_end: date, written_on: date,
                              head: Letterhead, *, warned: bool = False,
                              extras: Extras = Extras()) -> Sections:
    """`warned`: this letter is the warning recorded on the case, and must say it. A letter
    that is not recorded as the warning does not give one."""
    forward: list[str] = []
    if spoc is not None:
        forward.append(f"From now on, {spoc.named}{',' if spoc.title else ''} will be your "
                       "single point of contact. "
                       "Please bring anything you want to raise with the council to them.")
        reach = direct(spoc, Ways())
        if reach:
            forward.append(reach)
        if frequency in FREQUENCY:
            forward.append(f"{spoc.name} will be in touch with you {FREQUENCY[frequency]}.")
    if style.strip():
        forward.append(sentence(style))
    keeping = (f"We started keeping a record of your contact with us on "
               f"{day(monitoring_start)}, and will keep it until {day(monitoring_end)}."
               if monitoring_start < written_on else
               f"We will keep a record of your contact with us from {day(monitoring_start)} "
               f"until {day(monitoring_end)}.")
    sections: Sections = [
        ("Our concerns", [sentence(concerns)] if concerns.strip() else []),
        ("The way forward", forward),
        ("What happens next",
         # Said the same whoever signs: a letter signed by the Complaints Resolution Manager
         # cannot promise to pass the matter to them (found when tried).
         [f"{keeping} If the problems continue, "
          + ("the council may look at your contact with us again, as the warning below "
             "explains." if warned else
             "the council may look at your contact with us under its policy on "
             "unreasonably persistent customer behaviour.")])]
    if warned:
        sections.append(("A warning", [WARNING]))
    return sections + _help(extras, Ways(telephone=head.telephone), head)
