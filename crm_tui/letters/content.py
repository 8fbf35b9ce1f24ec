"""Each letter the policy calls for, as headed sections of plain English. The same content
makes the plain-text preview, the checker's reading and the PDF, so what is previewed is what
is signed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from crm_tui.domain.letters import LetterKind

OMBUDSMAN = ("If you are still unhappy after your appeal, you can ask the Local Government and "
             "Social Care Ombudsman to look at your complaint (www.lgo.org.uk, 0300 061 0614).")


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

    @property
    def salutation(self) -> str:
        return f"Dear {self.recipient},"


def day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def span(start: date, end: date) -> str:
    months = (end.year - start.year) * 12 + end.month - start.month
    if months >= 1 and end.day == start.day:
        return f"{months} month{'s' if months != 1 else ''}"
    days = (end - start).days
    return f"{days} day{'s' if days != 1 else ''}"


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


@dataclass(frozen=True)
class Restricting:
    """What a decision (or a proposal) sets out; everything a decision letter must say."""

    restrictions: list[tuple[str, str]]  # (what, why)
    behaviour: list[tuple[date, str]]
    reason: str
    still_reachable: list[str]
    starts_on: date
    ends_on: date
    review_due: date
    appeal_by: date | None = None
    appeal_to: str = "the Service Director, Legal & Business Operations (or a nominated officer)"
    reply_by: date | None = None  # invitations to comment
    changes: list[str] = field(default_factory=list)  # what changed (extensions, appeals)


def _what(r: Restricting) -> list[str]:
    return [f"{i}. {what}." for i, (what, _) in enumerate(r.restrictions, 1)]


def _why(r: Restricting) -> list[str]:
    lines = [r.reason.strip()]
    if r.behaviour:
        lines.append("In particular:")
        lines += [f"- on {day(d)}: {t}" for d, t in r.behaviour]
    lines += [f"{what}: {why.strip()}" for what, why in r.restrictions if why.strip()]
    return lines


def _reachable(r: Restricting, head: Letterhead) -> list[str]:
    return [*(r.still_reachable or ["You can still write to us about any new matter."]),
            f"You can write to the Complaints Resolution Team at {head.contact}."]


def _appeal(r: Restricting, reference: str) -> list[str]:
    by = f" Your appeal must reach us by {day(r.appeal_by)}." if r.appeal_by else ""
    return [f"If you disagree with this decision you can appeal to {r.appeal_to}. Write to us "
            f"at the address above, quoting {reference}, and say why you think the decision is "
            f"wrong.{by} The person who decides your appeal will not have taken part in this "
            "decision. We will write to you with the result and tell you what, if anything, "
            "has changed.", OMBUDSMAN]


IMPOSED = "We have decided to restrict the way you contact the council."
# A variation is not a review: it says what was decided, not that a review took place.
EASED = ("We have looked again at the restrictions on your contact with the council and have "
         "decided to make them less restrictive.")
REWORDED = ("We have looked again at the restrictions on your contact with the council and have "
            "decided to change how they are set out; they are no stricter than before.")


def extension_opening(invited_on: date | None, reply_by: date | None,
                      commented: bool) -> str:
    """The opening of an extension decision: it says the customer was invited to comment only
    when the invitation is on record."""
    if invited_on is None or reply_by is None:
        return ("We have reviewed the restrictions on your contact with the council and have "
                "decided to extend them or impose new ones.")
    heard = ("We have considered the comments you sent us" if commented
             else "We did not receive any comments from you by then")
    return (f"On {day(invited_on)} we told you that we were considering extending your "
            "restrictions or imposing new ones, and invited your comments by "
            f"{day(reply_by)}. {heard}, and we have now decided.")


def decision_sections(r: Restricting, head: Letterhead, reference: str,
                      opening: str = IMPOSED) -> list[tuple[str, list[str]]]:
    sections: list[tuple[str, list[str]]] = [
        ("", [f"{opening} This letter explains what we have decided and why, how long it will "
              "last, when we will review it, how you can still contact us, and how you can "
              "appeal."]),
        ("What we have decided", _what(r))]
    if r.changes:
        sections.append(("What has changed", r.changes))
    sections += [
        ("Why", _why(r)),
        ("How long the restrictions last",
         [f"The restrictions start on {day(r.starts_on)} and end on {day(r.ends_on)} "
          f"({span(r.starts_on, r.ends_on)}), unless we lift them sooner."]),
        ("When we will review them",
         [f"We will review the restrictions by {day(r.review_due)}. We want to lift them as "
          "soon as the behaviour has stopped and is not likely to start again."]),
        ("How you can still contact us", _reachable(r, head)),
        ("How to appeal", _appeal(r, reference))]
    return sections


def invitation_sections(r: Restricting, head: Letterhead,
                        reference: str) -> list[tuple[str, list[str]]]:
    reply = f"by {day(r.reply_by)}" if r.reply_by else "within 14 days"
    return [
        ("", ["We have reviewed the restrictions on your contact with the council. Because of "
              "the contact described below, we are considering extending them or imposing new "
              "ones. Before we decide, we want to hear from you."]),
        ("What we propose", [*_what(r), f"If we go ahead, the restrictions would run until "
                                        f"{day(r.ends_on)}, and we would review them at least "
                                        "once a year."]),
        ("Why", _why(r)),
        ("How to comment",
         [f"Please write to us {reply}, quoting {reference}, at {head.contact}. Tell us "
          "anything you think we should take into account, including anything that would "
          "make it easier for you to keep to the arrangements. We will consider what you say "
          "before we decide, and we will write to you with our decision, how long it will "
          "last and how to appeal."]),
        ("Until we decide", ["The restrictions in force now continue unchanged.",
                             *_reachable(r, head)])]


def lifted_sections(lifted_on: date, reason: str) -> list[tuple[str, list[str]]]:
    return [
        ("", ["We have reviewed the restrictions on your contact with the council."]),
        ("What we have decided",
         [f"The restrictions end on {day(lifted_on)}. From that date you can contact the "
          "council in the usual ways, and your enquiries will be dealt with as anyone else's."]),
        ("Why", [reason.strip()]),
        ("If you need help", ["If you have a new matter, contact the service concerned or "
                              "the Complaints Resolution Team."])]


def appeal_sections(outcome: str, reasons: str, r: Restricting | None, head: Letterhead,
                    reference: str, *, decided_by: str) -> list[tuple[str, list[str]]]:
    """`decided_by`: who decided the appeal, as the record shows it — a sentence that says
    they took no part in the decision only when that is true."""
    words = {"confirmed": "confirm the decision to restrict your contact",
             "amended": "amend the decision to restrict your contact",
             "removed": "remove the restrictions on your contact"}[outcome]
    sections: list[tuple[str, list[str]]] = [
        ("", ["You appealed against the council's decision to restrict your contact. "
              + decided_by.strip()]),
        ("The result of your appeal", [f"We have decided to {words}."]),
        ("Why", [reasons.strip()])]
    if r is not None and outcome != "removed":
        sections += [("What has changed", r.changes or ["Nothing: the decision stands as it "
                                                        "was."]),
                     ("The restrictions now", _what(r)),
                     ("How long the restrictions last",
                      [f"They run until {day(r.ends_on)} and will be reviewed by "
                       f"{day(r.review_due)}."]),
                     ("How you can still contact us", _reachable(r, head))]
    sections.append(("If you are still unhappy", [OMBUDSMAN]))
    return sections


# The warning the policy expects during local resolution, said in so many words.
WARNING = ("If you continue to contact the council in the way described above, the council may "
           "restrict how you can contact it under its policy on unreasonably persistent or "
           "vexatious customer behaviour. Restrictions could, for example, mean that we accept "
           "contact only in writing or only with a named officer.")


def local_resolution_sections(summary: str, spoc: str, frequency: str, style: str,
                              monitoring_start: date, monitoring_end: date, *,
                              warned: bool = False) -> list[tuple[str, list[str]]]:
    """`warned`: this letter is the warning recorded on the case, and must say it. A letter
    that is not recorded as the warning does not give one."""
    sections = [
        ("Our concerns", [summary.strip()]),
        ("The way forward",
         [f"From now on, {spoc} will be your single point of contact. We will be in touch "
          f"{frequency}.", style.strip()]),
        ("What happens next",
         [f"We will keep a record of contact between {day(monitoring_start)} and "
          f"{day(monitoring_end)}. If the concerns continue, the matter may be referred to the "
          "council's Complaints Resolution Manager under the council's policy on unreasonably "
          "persistent or vexatious customer behaviour."])]
    if warned:
        sections.append(("A warning", [WARNING]))
    return sections
