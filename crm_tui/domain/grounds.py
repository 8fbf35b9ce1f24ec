"""The grounds a restriction may rest on, in the policy's words.

"Raising legitimate queries or criticisms of the council should not in itself lead to someone
being regarded as unreasonably persistent or vexatious. Similarly, the fact that a customer is
unhappy with a council decision or the outcome of a complaint investigation and seeks to
challenge it should not necessarily cause them to be labelled unreasonably persistent."

So a complaint, or a challenge to a decision, is never by itself a behaviour: a contact shows
"repeat complaints" only when it is about a matter already dealt with (closed before the
contact), and "refusing to accept a decision after all appeal options have been exhausted"
only when the matter is closed. The same care applies to skipping local resolution: it needs a
real reason, resting on an escalation record or explained in full.
"""

from __future__ import annotations

import re
from datetime import date

from crm_tui.domain.categories import BehaviourCategory as B

NOT_IN_ITSELF = ("Raising legitimate queries or criticisms of the council, or challenging a "
                 "decision, is not in itself unreasonably persistent or vexatious behaviour")
REPEAT_NEEDS_CLOSED = ("a contact shows repeat complaints only when it is about a matter "
                       "already dealt with (closed before the contact)")
REFUSAL_NEEDS_CLOSED = ("a contact shows a refusal to accept a decision after all appeal "
                        "options have been exhausted only when it is about a matter that is "
                        "closed")
DOCUMENT_NEEDS_MATTER = ("a document cannot show which matter it is about: rest repeat "
                         "complaints and refusals of a decision on contacts under a closed "
                         "matter")
# The behaviours that are a complaint or a challenge until the matter has been dealt with.
NEEDS_CLOSED_MATTER = frozenset({B.REPEAT_COMPLAINTS, B.REFUSING_DECISION})


def shows(category: B, *, is_contact: bool, contact_on: date | None = None,
          matter_closed_on: date | None = None) -> bool:
    """Whether an item tagged with `category` is evidence of that behaviour. A contact
    tagged "repeat complaints" about a matter still open is a complaint; one tagged "refusing
    a decision" about a matter not yet closed is a challenge; neither is enough."""
    if category not in NEEDS_CLOSED_MATTER:
        return True
    if not is_contact or contact_on is None or matter_closed_on is None:
        return False
    if category is B.REPEAT_COMPLAINTS:
        return matter_closed_on < contact_on
    return matter_closed_on <= contact_on


# What people type when a form insists on a reason they do not have.
PLACEHOLDERS = frozenset({
    "n a", "na", "none", "nil", "no", "nothing", "tbc", "tba", "tbd", "unknown", "not known",
    "not applicable", "see above", "as above", "see referral", "see notes", "see attached",
    "x", "xx", "xxx", "test", "other", "various", "yes", "not attempted", "no reason",
})
MIN_WORDS_WITH_ESCALATION = 4
MIN_WORDS_EXPLAINED = 15
MIN_DISTINCT_WORDS_EXPLAINED = 10


def words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text.lower())


# Words that say a reason is still to come, whatever few words are put beside them: "TBC -
# later" and "n/a - see notes" passed as the reason to continue restrictions for a year
# (v15g G2). Not "no", "none" or "other": they begin real sentences.
DEFERRALS = ("n a", "na", "tbc", "tba", "tbd", "to follow", "see notes", "see above", "as above",
             "see attached", "see referral", "xx", "xxx", "unknown", "not known")
# So many words besides a deferral make a reason ("TBC whether he will accept a single point of
# contact: he has refused two meetings" is one).
MIN_WORDS_BESIDE_DEFERRAL = 4


def _deferred(found: list[str]) -> bool:
    """Whether the words hold a deferral and fewer than MIN_WORDS_BESIDE_DEFERRAL others."""
    text = f" {' '.join(found)} "
    rest = text
    for mark in DEFERRALS:
        rest = rest.replace(f" {mark} ", " ")
    return rest != text and len(rest.split()) < MIN_WORDS_BESIDE_DEFERRAL


def is_placeholder(text: str) -> bool:
    found = words(text)
    return (not found or " ".join(found) in PLACEHOLDERS or len("".join(found)) < 8
            or _deferred(found))


def stands_for_nothing(text: str) -> bool:
    """Whether a reason a decision is recorded on is one of the words people type when they
    have none ("n/a", "TBC", "none", "-"): the placeholders is_placeholder knows, without its
    length rule (a short reason may still be one: "Upheld")."""
    found = words(text)
    return not found or " ".join(found) in PLACEHOLDERS or _deferred(found)


PLACEHOLDER_REASON = ("is not a reason: say why, in words the record can stand on (not "
                      "\"n/a\", \"TBC\" or \"-\")")


PLACEHOLDER_GROUNDS = ("is not the customer's grounds: record what they say, in their words or "
                       "a summary (not \"n/a\" or \"-\")")


def grounds_problem(grounds: str) -> str | None:
    """What is wrong with an appeal's grounds, or None. They are the customer's words, not a
    reason of the council's (no length rule: "Unfair" may be all they said), but a
    placeholder ("n/a", "-", "none") is no grounds at all (round 10). Asked by the appeals
    service and by the form before it asks to confirm."""
    return PLACEHOLDER_GROUNDS if grounds.strip() and stands_for_nothing(grounds) else None


PLACEHOLDER_ACCOUNT = ("says nothing: write what happened, in words the record can stand on "
                       "(not \"n/a\", \"TBC\" or \"-\")")
PLACEHOLDER_NAME = ("names nothing: say what it is about, in a few words (not \"n/a\", \"TBC\" "
                    "or \"-\")")


def account_problem(account: str) -> str | None:
    """What is wrong with a person's account of what happened (a referral's behaviour details,
    a local resolution's written summary, how a matter was dealt with), or None: a
    placeholder ("n/a", "-") is no account (round 12: the referral's details "n/a" and a
    matter closed as "n/a" were recorded, where a reopening's reason "n/a" was refused)."""
    return PLACEHOLDER_ACCOUNT if account.strip() and stands_for_nothing(account) else None


PLACEHOLDER_REQUEST = ("says nothing: say what the service area needs to send, in words the "
                       "record can stand on (not \"n/a\", \"TBC\" or \"-\")")
PLACEHOLDER_ENQUIRY = ("says nothing: say what enquiry was made, of whom, and what it found, "
                       "in words the record can stand on (not \"n/a\", \"TBC\" or \"-\")")
PLACEHOLDER_COMMENTS = ("is not what the customer said: record their comments, in their words "
                        "or a summary (not \"n/a\" or \"-\")")


def request_note_problem(request: str) -> str | None:
    """What is wrong with a request to the service area for further information, or None: a
    placeholder ("tbc") asks for nothing (t15d F6: it was recorded, where a reason "n/a" was
    refused)."""
    return PLACEHOLDER_REQUEST if request.strip() and stands_for_nothing(request) else None


def enquiry_problem(enquiry: str) -> str | None:
    """What is wrong with the record of a further enquiry (the policy's "makes further
    enquiries"), or None: a placeholder ("n/a") records none (t15d F6)."""
    return PLACEHOLDER_ENQUIRY if enquiry.strip() and stands_for_nothing(enquiry) else None


def comments_problem(comments: str) -> str | None:
    """What is wrong with the customer's comments as recorded at a review, or None: their
    words or a summary, as an appeal's grounds are (no length rule), never a placeholder
    ("-", "n/a") standing for what they said (t15d F6: "-" was recorded, and shown as their
    comments)."""
    return PLACEHOLDER_COMMENTS if comments.strip() and stands_for_nothing(comments) else None


def name_problem(name: str) -> str | None:
    """What is wrong with a name given to a record (a matter's), or None: a placeholder ("-",
    "tbc") names nothing."""
    return PLACEHOLDER_NAME if name.strip() and stands_for_nothing(name) else None


def reason_problem(reason: str, *, or_reference: bool = False) -> str | None:
    """What is wrong with a reason a step or a record rests on, or None: one of the words
    people type when they have none ("n/a", "TBC", "-"). The one rule, asked by the step check,
    by every service recording a reason, and by the forms before they ask to confirm.
    `or_reference`: a reference (with a number in it, "SAR-2026-014") answers it too."""
    if or_reference and any(c.isdigit() for c in reason):
        return None
    return PLACEHOLDER_REASON if reason.strip() and stands_for_nothing(reason) else None


REQUEST_NOT_SAID = ("is neither the request's reference nor a reason: give its reference (like "
                    "SAR-2026-014) or say why it is answered (not \"n/a\", \"TBC\" or \"-\")")


def request_problem(request: str) -> str | None:
    """What is wrong with what a subject access request is answered on (its reference, or
    a reason), or None."""
    return REQUEST_NOT_SAID if reason_problem(request, or_reference=True) else None


def skipped_local_resolution_problem(reason: str, *, escalated: bool) -> str | None:
    """Why a reason for not attempting local resolution is not acceptable, or None.

    The rule: the reason must be a real one (not "n/a", "-", "none" or a couple of words);
    and either the case has an escalation record — police involvement, legal action or a risk
    to staff, the policy's extreme cases — and the reason says in at least four words why it
    ruled local resolution out, or the reason explains the circumstances in full: at least 15
    words, at least 10 of them different."""
    found = words(reason)
    if is_placeholder(reason) or len(found) < MIN_WORDS_WITH_ESCALATION:
        return ("is not a reason: the policy expects the service area to try local resolution "
                "first, so say why it was not attempted")
    if escalated:
        return None
    if len(found) < MIN_WORDS_EXPLAINED or len(set(found)) < MIN_DISTINCT_WORDS_EXPLAINED:
        return ("rests on no escalation record (police involvement, legal action or a risk to "
                "staff) and is too short to explain why local resolution was not attempted: "
                "record the escalation, or explain the circumstances in full (at least "
                f"{MIN_WORDS_EXPLAINED} words)")
    return None


MIN_WORDS_WITHOUT_WARNING = 8


def without_warning_reasons_problem(reasons: str) -> str | None:
    """Why the reasons for restricting without a prior warning are not enough, or None."""
    found = words(reasons)
    if is_placeholder(reasons) or len(found) < MIN_WORDS_WITHOUT_WARNING:
        return ("must say why the customer could not be warned first (at least "
                f"{MIN_WORDS_WITHOUT_WARNING} words): the policy allows no prior warning only "
                "where the behaviour threatens the health, safety and welfare of staff")
    return None


def other_behaviour_problem(other_ticked: bool, description: str) -> str | None:
    """What is wrong with the description of "Other" behaviour on a referral, or None: the
    policy's list is not exhaustive, but what the customer did must be named when Other is
    ticked, and a description needs Other ticked."""
    other = description.strip()
    if other_ticked and (len(other.split()) < 3 or len(set(other.lower().split())) < 2
                         or is_placeholder(other)):
        return ("describe the other behaviour: the policy's list is not exhaustive, but what "
                "the customer did must be named")
    if other and not other_ticked:
        return "describes other behaviour, but Other is not ticked: tick it, or leave this blank"
    return None
