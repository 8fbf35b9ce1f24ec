"""Letters: prepared (officers may prepare drafts), checked, signed and issued (the CRM; an
appeal outcome by the person who decided the appeal, and no one else), and registered — case,
kind, signer, time, certificate fingerprint and the file's SHA-256 — so that `letters verify`
can tell a genuine letter from a changed one. A recorded decision not to write produces no
letter; the register shows that decision instead.

A letter is a record: it is issued once, from the event it is about (`Letter.source`), with
its dates worked out on the day it is issued, and refused if a date it states as a deadline
or an event to come is already past. The register keeps the content it was issued with and
the signed bytes; copies and re-sent duplicates are made from those (see `copies`)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

from crm_tui import clock
from crm_tui.db.models import Case, Customer, Decision, Letter, LetterFile, User
from crm_tui.domain.equality import parse_needs, print_size
from crm_tui.domain.errors import (
    DomainError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    RequirementMissing,
    StaleEdit,
)
from crm_tui.domain.letters import (
    PREPARERS,
    SIGNERS,
    LetterKind,
    named_as,
    require_signer,
    short_as,
)
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose, quoted
from crm_tui.letters import checker, record
from crm_tui.letters.content import Letter as LetterContent
from crm_tui.letters.content import text
from crm_tui.private_files import write_new_private_bytes, write_private_bytes
from crm_tui.services.core import (
    audit,
    comments_in,
    deadlines,
    leftovers,
    letter_texts,
    places,
    scope,
    settings,
    stale,
)
from crm_tui.services.core.case_steps import load_case, load_case_for_change
from crm_tui.services.core.database import atomic
from crm_tui.services.core.database_facts import demo_user
from crm_tui.services.core.posting_dates import (
    cannot_go,
    draft_superseded,
    drafts_overtaken_by_a_decision,
    last_day_to_post,
    no_longer_sent,
    overtaken_by_a_decision,
    replaced_by,
    to_write_again,
)
from crm_tui.services.letters import offered, preparation, sources
from crm_tui.services.letters.letter_content import compose
from crm_tui.services.letters.preparation import Prepared
from crm_tui.services.letters.signing_facts import SigningProblem

DRAFT, ISSUED, NOT_SENT = "draft", "issued", "not_sent"
T = TypeVar("T")


@dataclass(frozen=True)
class LetterInfo:
    id: int
    reference: str
    kind: LetterKind
    status: str
    created_at: datetime
    prepared_by: str
    signed_by: str
    signed_at: datetime | None
    file_name: str
    sha256: str
    cert_fingerprint: str
    note: str
    source: str = ""
    written_on: date | None = None  # the date the letter bears
    appeal_by: date | None = None
    duplicate_of: int | None = None  # a re-sent copy: the register number of the original
    customer_name: str = ""  # who it goes to, named when the signer is asked to confirm
    # A draft appeal outcome letter's one signer, the person who decided the appeal: (user
    # id, name). The Letters area offers `s` only on a letter the person may sign.
    appeal_decider: tuple[int, str] | None = None
    version: int = 0  # a draft's, as listed: signing from the list carries it (AsRead)
    # The day it was recorded posted (None: not yet): only a letter posted can have been
    # lost and be re-sent (copies.resend).
    posted_on: date | None = None
    # A draft's words as listed (the SHA-256 of its text as it would be signed then; None:
    # it cannot be composed now). Signing from the list carries it with the version: the
    # version alone did not move when the case's record changed the words (v16g G7).
    words: str | None = None
    # An appeal outcome letter never posted and no longer to be sent: why (posting_dates.
    # withdrawn), and the number of the one signed in its place, if any. The register says
    # it is superseded (v15l W2, W6). Prepared and not signed, no longer to be signed
    # (posting_dates.draft_superseded): the list of those waiting says so, and `s` refuses it
    # at once. Signed, never posted, and addressed to where the customer no longer lives
    # (posting_dates.moved): superseded too, the same letter owed again to the new address.
    superseded: str = ""
    replaced_by: int | None = None
    # A letter signed, never posted, that can no longer go (posting_dates.cannot_go, the post
    # run's own rule on today's date): why. An invitation to comment not posted by the day for
    # comments it gives (fixAR AR4: "not posted"), a decision's letter past the last day to
    # appeal it gives, any letter giving a date gone by (issue 15 fixAU2: the register said
    # "signed, not posted" of all but invitations, while the post run refused them). What
    # comes next: gone_then.
    gone: str = ""
    # What comes of it, where it can no longer go (again_words): the customer was never sent
    # it, and the one they are owed is signed again in its place.
    gone_then: str = ""
    # What the decision it tells of did, where its kind tells of more than one (a variation's
    # or an extension's letter: lifecycle.Action's value; sources.decided_by): the register
    # names it by that (fixAH AH3).
    decided: str = ""
    # A draft's caution before signing (format_caution: the customer's reasonable adjustments
    # recorded, the letter in standard print; "" otherwise): the Letters area's sign one and
    # sign all say it before the passphrase, as the case's letters do (issue 15 AX2).
    caution: str = ""

    @property
    def short(self) -> str:
        """The letter in the register's column: "Decision to change" (a variation's)."""
        return short_as(self.kind, self.decided)

    @property
    def named(self) -> str:
        """The letter in words: "Decision to change the restrictions" (a variation's)."""
        words = named_as(self.kind, self.decided)
        return words[:1].upper() + words[1:]

    @property
    def as_listed(self) -> AsRead:
        """The draft as its list showed it: what signing it from the list carries."""
        return AsRead(self.id, self.version, self.words, listed=True)

    @property
    def shown_status(self) -> str:
        """posted 28 Nov 2026 / signed, not posted / duplicate of N / superseded by N /
        draft / not sent. Signed is not sent: an issued letter says whether it went (tester
        v15p AK4: posted and unposted both read "issued")."""
        if self.duplicate_of is not None:
            # A re-sent copy past its dates says so, as the post run does (issue 15 fixAU3
            # U2: "duplicate of 12" while the post run said CANNOT GO).
            return (f"can no longer go (copy of {self.duplicate_of})" if self.gone
                    else f"duplicate of {self.duplicate_of}")
        if self.replaced_by is not None:
            return f"superseded by {self.replaced_by}"
        if self.superseded:
            return "superseded"
        if self.gone:
            return "can no longer go"
        if self.status == "issued":
            return (f"posted {in_prose(self.posted_on)}" if self.posted_on is not None
                    else "signed, not posted")
        return self.status.replace("_", " ")


@dataclass(frozen=True)
class AsRead:
    """The letter as its signer was shown it, carried to the signing (a signature attests
    the words shown: b16f F1, another copy of the app had edited them meanwhile and they were
    signed unseen). `draft_id`, `version`: the prepared draft and its version (None, 0: none
    was prepared). `words`: the SHA-256 of the text shown (None: a list that shows no words,
    as the Letters area's)."""

    draft_id: int | None
    version: int
    words: str | None = None
    # Carried from a list that shows no words (the Letters area): a refusal says "since this
    # list showed it", not "since you read it" (nothing was read there).
    listed: bool = False

    @property
    def since(self) -> str:
        """When the signer last saw the letter, in a refusal's words."""
        return "since this list showed it" if self.listed else "since you read it"


@dataclass(frozen=True)
class LetterRead:
    """A letter the case calls for, as it would be issued today: its text, what the checker
    finds missing, and what signing it must carry (`as_read`)."""

    text: str
    missing: list[str]
    as_read: AsRead


@dataclass(frozen=True)
class IssuedLetter:
    path: Path
    sha256: str
    fingerprint: str
    letter_id: int
    # An invitation to comment: by when it must be posted (post_by_words; "" otherwise).
    post_by: str = ""


def _info(row: Letter) -> LetterInfo:
    customer = Customer.get_or_none(Customer.id == row.case.customer_id)
    prepared = User.get_or_none(User.id == row.created_by_id)
    signed = User.get_or_none(User.id == row.signed_by_id) if row.signed_by_id else None
    return LetterInfo(row.id, row.case.reference, LetterKind(row.kind), row.status,
                      row.created_at, prepared.name if prepared else "",
                      signed.name if signed else "", row.signed_at, row.file_name, row.sha256,
                      row.cert_fingerprint, row.note, row.source, row.written_on,
                      row.appeal_by, row.duplicate_of_id,
                      str(customer.name) if customer is not None else "",
                      preparation.appeal_decider(row.case)
                      if row.status == DRAFT and row.kind == LetterKind.APPEAL_OUTCOME.value
                      else None, int(row.version), row.posted_on,
                      superseded=no_longer_sent(row),
                      replaced_by=replaced_by(row), **_gone(row),
                      decided=sources.decided_by(LetterKind(row.kind), row.source),
                      caution=caution_for(customer) if row.status == DRAFT else "")


def _gone(row: Letter) -> dict[str, str]:
    """Why a letter signed and never posted can no longer go today (`gone`; nothing if it
    can), and what comes of it (`gone_then`): the post run's own rule (posting_dates.
    cannot_go), whatever its kind, a letter superseded aside (it says why), a re-sent copy
    too (its status names the original: fixAU3 U2). Issue 15 fixAU2: only an invitation to
    comment was said to; a decision letter past its last day to appeal read "signed, not
    posted" while the post run, its copy and the next action refused it."""
    if (row.status != ISSUED or row.posted_on is not None or row.signed_at is None
            or no_longer_sent(row)):
        return {}
    today = clock.today()
    try:
        gone = cannot_go(row, today)
    except RequirementMissing:
        # Its stored text is damaged (the dates it gives cannot be read): the register
        # still lists it, and whatever reads it (show, export, post) says so in its own
        # words — the damage, or a text the trail does not vouch for, first
        # (test_letter_bytes_checked; fixAU2 read every kind's dates here).
        return {}
    if not gone:
        return {}
    if row.duplicate_of_id is not None:
        # A re-sent copy past its dates: the post run refuses it too, and nothing is signed
        # in its place (posting.write_again; issue 15 fixAU3 U2).
        return {"gone": gone, "gone_then": NOT_OWED_AGAIN}
    # Owed again (the case's next action names it, W offers it), or not: a letter whose
    # occasion has passed too (a local resolution's monitoring period over) is not.
    # Owed again where W will not offer a new one (a later event has taken its place, an
    # appeal lodged): what comes instead, as the post run says it (fixAU3 U3).
    then = ((offered.none_in_place(row, today) or again_words(LetterKind(row.kind)))
            if to_write_again(row, today) else NOT_OWED_AGAIN)
    return {"gone": gone, "gone_then": then}


# What comes of a letter of each kind that can no longer go: the one the customer is owed is
# signed again (posting_dates.to_write_again; W offers it, the case's next action names it).
_AGAIN = {LetterKind.INVITATION: "it is signed again, with a new day for comments",
          LetterKind.DECISION: "it is signed again, with a new last day to appeal counted "
                               "from the day it goes",
          LetterKind.EXTENSION_DECISION: "it is signed again, with a new last day to appeal "
                                         "counted from the day it goes",
          LetterKind.APPEAL_OUTCOME: "the person who decided the appeal signs it again, "
                                     "with dates true on the day it goes",
          LetterKind.LOCAL_RESOLUTION: "the customer is written to again"}


# What comes of a letter that can no longer go and is not owed again (posting_dates.
# to_write_again): as the post run says it to the person posting (posting.write_again).
NOT_OWED_AGAIN = ("nothing is signed in its place; write to the customer again from the "
                  "case's letters (W) if they are still to be told")


def never_sent(gone: str, then: str) -> str:
    """A letter that can no longer go, in one plain sentence each, as W's preview and the
    Letters area say it: why, and what comes of it ("The customer was never sent it, and
    nothing is signed in its place: …"; issue 15 BA3: "never sent it: nothing is signed in
    its place: …" read as a chain of colons)."""
    return f"Can no longer go: {gone}. The customer was never sent it, and {then}"


def again_words(kind: LetterKind) -> str:
    """What comes of a letter of this kind signed, never posted, that can no longer go."""
    return _AGAIN.get(kind, "it is signed again, with dates true on the day it goes")


def _customer_name(row: Letter) -> str:
    customer = Customer.get_or_none(Customer.id == row.case.customer_id)
    return str(customer.name) if customer is not None else ""


def superseded_by_deciding(actor: Actor, reference: str) -> str:
    """What a decision taken now on the case (vary, extend, impose again, lift) supersedes,
    as its confirmation says it ("" if nothing): each letter signed and not yet posted that
    would no longer be sent (posting_dates.overtaken_by_a_decision; tester v15p AK5)."""
    case_id = int(load_case(actor, reference).id)
    rows = overtaken_by_a_decision(case_id)
    drafts = drafts_overtaken_by_a_decision(case_id)
    if not rows and not drafts:
        return ""
    whom = _customer_name((rows or drafts)[0]) or "the customer"
    said = []
    if rows:
        said.append(f"{_listed(rows)}, signed and not yet posted, will be superseded and not "
                     "sent")
    if drafts:
        said.append(f"{_listed(drafts)}, prepared and not yet signed, will be superseded and "
                    "never signed")
    told = "; ".join(said)
    return f"{told[:1].upper()}{told[1:]}: the new decision's letter tells {whom}."


def _listed(rows: list[Letter]) -> str:
    """"the appeal outcome letter (letter 17) and the decision to change the restrictions
    (letter 18)"."""
    named = [f"the {sources.named(LetterKind(r.kind), r.source)} (letter {r.id})" for r in rows]
    return " and ".join([", ".join(named[:-1]), named[-1]]) if len(named) > 1 else named[0]


def customer_name(actor: Actor, reference: str) -> str:
    """Whom the case's letters go to: named when the signer is asked to confirm."""
    customer = Customer.get_or_none(Customer.id == load_case(actor, reference).customer_id)
    return str(customer.name) if customer is not None else ""


# Adjustments whose words may be about how letters are read.
_ABOUT_PRINT = re.compile(r"\b(?:print|large|font|size|sight|visual|visually|read|reading|"
                          r"braille|partially)\b", re.IGNORECASE)


# What the signer is told to do about it, where they are asked: in the app, its keys; at the
# command line, the command's own answer and option (issue 15 BA2: `letters export` told the
# person at the command line to "press n (Not now)" and named the app's keys).
IN_THE_APP = ("If they need large print, press n (Not now) to leave it unsigned and record it: "
              "Letters in large print among the contact needs (n on the restriction builder), "
              "or a print size in How we write (D on the case file).")
AT_THE_COMMAND_LINE = ("If they need large print, answer n to leave it unsigned (--yes signs "
                       "it without asking), and record it in the app first: Letters in large "
                       "print among the contact needs, or a print size in How we write on the "
                       "case file.")


def format_caution(actor: Actor, reference: str, *, then: str = IN_THE_APP) -> str:
    """What the signer is told before signing when the customer's reasonable adjustments are
    recorded but their letters are in standard print, and either no contact needs are recorded
    from them or their words are about reading ("" otherwise): they may ask for a letter
    format the record does not (issue 15 AX2: "Prefers letters in large print",
    typed at referral, reached no letter and nothing said so). Large print recorded as a
    contact need, or a print size, is followed by every letter: nothing to say then."""
    return caution_for(Customer.get_or_none(
        Customer.id == load_case(actor, reference).customer_id), then=then)


def caution_for(customer: Customer | None, *, then: str = IN_THE_APP) -> str:
    """format_caution for the customer a letter goes to: every path that signs a letter says
    it before the passphrase (the case's letters, the Letters area's sign one and sign all,
    read as they sign, `crm-tui letters export`; a re-sent copy: copies.resend_caution).
    `then`: what to do about it, as the place asking says it (IN_THE_APP, AT_THE_COMMAND_LINE)."""
    if customer is None or not str(customer.reasonable_adjustments or "").strip():
        return ""
    if print_size(customer.large_print_pt, customer.contact_needs) is not None:
        return ""
    if parse_needs(customer.contact_needs) and not _ABOUT_PRINT.search(
            str(customer.reasonable_adjustments)):
        return ""  # told as contact needs, none about reading: nothing about print to say
    said = " ".join(str(customer.reasonable_adjustments).split())
    said = said if len(said) <= 120 else said[:119].rstrip() + "\u2026"
    return (f"The customer's reasonable adjustments are recorded ({quoted(said)}), and this "
            f"letter is in standard print. {then}")


def appeal_signer(actor: Actor, reference: str) -> tuple[int, str] | None:
    """(user id, name) of the person who decided the case's latest appeal: the only one who
    signs its outcome letter. None if no appeal has been decided."""
    return preparation.appeal_decider(load_case(actor, reference))


def kinds_for(actor: Actor, reference: str) -> list[LetterKind]:
    """The letters that fit the case today: those its state and history call for, not yet
    issued, stating no date already past."""
    return offered.available(load_case(actor, reference), clock.today())


def _composed(actor: Actor, case: Case, kind: LetterKind,
              edits: dict[str, str]) -> LetterContent:
    # The signer's edits to the free-text paragraphs (services.letters.editing) stand in for
    # the recorded words in this letter only.
    return compose(_signer(actor, case, kind), case, kind, demo=demo_user() is not None,
                   edits=edits or None)


def _signer(actor: Actor, case: Case, kind: LetterKind) -> Actor:
    """Whose name the letter is read over: the reader's if they may sign it; else the one
    person who will (the appeal's decider, or the only active holder of the role that signs
    it). Found when read through: the Service Director's preview of a letter the CRM signs
    was signed "Gareth Bell, Service Director". The reader's, when no one person is known
    (the letter is then signed by whichever of them signs, in their own name)."""
    decider = preparation.appeal_decider(case) if kind is LetterKind.APPEAL_OUTCOME else None
    try:
        require_signer(actor, kind, decider)
        return actor
    except PermissionDenied:
        pass
    if decider is not None:
        user = User.get_or_none(User.id == decider[0])
    else:
        holders = list(User.select().where(
            User.role.in_([r.value for r in SIGNERS[kind]]) & User.active).limit(2))
        user = holders[0] if len(holders) == 1 else None
    if user is None:
        return actor
    return Actor(user_id=int(user.id), login=str(user.login), name=str(user.name),
                 role=Role(user.role), service_area_id=user.service_area_id)


def letter(actor: Actor, reference: str, kind: LetterKind, *,
           edits: dict[str, str] | None = None) -> LetterContent:
    """The letter as it would be issued today; RequirementMissing if it does not fit the case
    (already issued, out of date, a date in it already past) or the record cannot make it."""
    case = load_case(actor, reference)
    why = offered.refusal(case, kind, clock.today())
    if why is not None:
        raise RequirementMissing(f"{case.reference}: a letter of this kind ({kind.label}) "
                                 f"cannot be issued: {why}")
    return _composed(actor, case, kind, edits or {})


def lateness(actor: Actor, reference: str, kind: LetterKind) -> str:
    """A notice when the letter is late for the event it tells of ("" when it is not)."""
    return offered.lateness(load_case(actor, reference), kind, clock.today())


def preview(actor: Actor, reference: str, kind: LetterKind) -> tuple[str, list[str]]:
    """The letter's text, and what the checker finds missing (nothing, for a sound letter)."""
    found = read(actor, reference, kind)
    return found.text, found.missing


def read(actor: Actor, reference: str, kind: LetterKind) -> LetterRead:
    """The letter as the signer reads it before signing, with what signing it carries."""
    draft = _current_draft(actor, reference, kind)
    content = letter(actor, reference, kind, edits=_edits_of(draft) if draft else None)
    body = text(content)
    return LetterRead(body, checker.missing(content),
                      AsRead(int(draft.id) if draft else None,
                             int(draft.version) if draft else 0, words_of(body)))


def words_of(body: str) -> str:
    """What AsRead.words holds of a letter's text."""
    return hashlib.sha256(body.encode()).hexdigest()


def _current_draft(actor: Actor, reference: str, kind: LetterKind) -> Letter | None:
    """The case's prepared draft of this kind, if it is about the event the letter is about
    now (its edits are the letter's words); None else."""
    case = load_case(actor, reference)
    source = sources.current(case, kind)
    draft = Letter.get_or_none((Letter.case == case) & (Letter.kind == kind.value)
                               & (Letter.status == DRAFT))
    if draft is None or source is None or draft.source not in ("", source.key):
        return None
    return draft


def _edits_of(draft: Letter) -> dict[str, str]:
    edits: dict[str, str] = json.loads(draft.edits or "{}")
    return edits


def _draft_of(case: Case, kind: LetterKind) -> Letter | None:
    return Letter.get_or_none((Letter.case == case) & (Letter.kind == kind.value)
                              & (Letter.status == DRAFT))


def prepared(actor: Actor, reference: str, kind: LetterKind) -> Prepared | None:
    """The letter's preparation if it is prepared already, about the event it is about now:
    nobody prepares it again (the screen leaves `p` out and says why). None: it may be
    prepared (no draft, or one the record has outdated)."""
    return preparation.prepared(actor, load_case(actor, reference), kind)


def prepare(actor: Actor, reference: str, kind: LetterKind) -> int:
    """Put a draft in the queue for signing; returns its register number. The draft is about
    the event the letter is written from now; if that changes before it is signed, signing
    refuses it, and it may be prepared again. A letter prepared already is refused, whoever
    asks: its preparer stays its preparer (v15c F2)."""
    if actor.role not in PREPARERS:
        raise PermissionDenied(f"{actor.role.label} may not prepare letters")
    with atomic():
        case = load_case_for_change(actor, reference)
        done = preparation.prepared(actor, case, kind)
        if done is not None:
            raise InvalidTransition(done.refusal)
        content = letter(actor, reference, kind)
        # A letter is never prepared for an address it cannot be posted to ("To be
        # confirmed", "NFA", a postcode "NK": v15m-4); its other gaps are shown as it is read.
        unpostable = checker.unpostable(content)
        if unpostable:
            raise RequirementMissing("the letter cannot be prepared: " + "; ".join(unpostable)
                                     + " (H on the case file)")
        source = sources.current(case, kind)
        key = source.key if source is not None else ""
        existing = _draft_of(case, kind)
        if existing is not None:  # about an earlier event: prepared anew, about this one
            Letter.update(body=text(content), created_at=clock.now(), source=key,
                          created_by=actor.user_id, version=Letter.version + 1).where(
                Letter.id == existing.id).execute()
            row_id = int(existing.id)
        else:
            row_id = int(Letter.create(case=case, kind=kind.value, created_at=clock.now(),
                                       created_by=actor.user_id, status=DRAFT, source=key,
                                       body=text(content)).id)
        audit.record(actor, "prepare_letter", case.reference, payload={
            "kind": kind.value, "letter": row_id, "source": key})
        return row_id


def _the_draft(case: Case, kind: LetterKind, draft_id: int | None,
               source: sources.Source | None) -> Letter | None:
    """The draft being signed: the one named, or the case's draft of this kind if it is about
    the same event. A named draft about an earlier event is refused; so is one superseded
    by a decision since (posting_dates.draft_superseded), saying why, and not one of them
    takes the case's draft's place (fixAI AI1)."""
    if draft_id is None:
        found = Letter.get_or_none((Letter.case == case) & (Letter.kind == kind.value)
                                   & (Letter.status == DRAFT))
        if found is None or (found.source and (source is None or found.source != source.key)) \
                or draft_superseded(found):
            return None
        return found
    draft = Letter.get_or_none((Letter.id == draft_id) & (Letter.case == case))
    if draft is None or draft.status != DRAFT or draft.kind != kind.value:
        raise NotFound(f"no draft letter {draft_id} of this kind on {case.reference}")
    gone = draft_superseded(draft)
    if gone:
        raise RequirementMissing(f"letter {draft_id} is superseded: {gone}. Nothing was "
                                 "signed.")
    if draft.source and (source is None or draft.source != source.key):
        now = f"; the letter would now be about {source.key}" if source is not None else ""
        raise RequirementMissing(
            f"draft letter {draft_id} was prepared about {draft.source}, which is no longer "
            f"what this letter is about{now}: prepare it again, read it, then sign it")
    return draft


def render_and_sign(actor: Actor, content: LetterContent, passphrase: str | None, *,
                    signature_image: bool = True) -> tuple[bytes, str]:
    """The letter rendered and signed with the actor's key: (signed bytes, fingerprint)."""
    # ReportLab and pyHanko load on first use: the app starts without them.
    from crm_tui.services.letters import printing, signing_keys

    signer, fp = signing_keys.open_signer(actor.login, passphrase)
    signed = printing.signed_pdf(content, signer, actor.name,  # type: ignore[arg-type]
                                 actor.login if signature_image else None)
    return signed, fp


def write_out(folder: Path, name: str, data: bytes, *, new: bool = False) -> Path:
    """Write the letter's file; returns its path. `new`: a newly signed letter, under a name
    no other file has (another letter signed in the same second gets `-2`), so that no two
    registered letters share a file."""
    target = folder / name
    try:
        return write_new_private_bytes(target, data) if new \
            else write_private_bytes(target, data)
    except OSError as exc:
        raise SigningProblem(f"the signed letter could not be written to {folder}: "
                             f"{exc.strerror or exc}") from None


def write_registered(folder: Path, name: str, data: bytes,
                     register: Callable[[Path], T]) -> tuple[Path, T]:
    """Write a newly signed letter out and register it (`register(path)`, run in the
    registering transaction): the file is there only if the register holds it. It is
    announced before it is written; the announcement goes in the registering transaction;
    if either step fails the file goes; if the process is killed between them the next start
    removes it (services.core.leftovers)."""
    digest = hashlib.sha256(data).hexdigest()
    with leftovers.running() as token:
        key = leftovers.pending_letter(folder, Path(name).stem, digest, token)
        target: Path | None = None
        try:
            target = write_out(folder, name, data, new=True)
            with atomic():
                result = register(target)
                leftovers.registered(key)
        except BaseException:
            # Not registered (refused, issued by someone else meanwhile, or the wait for
            # another person's save ran out): its file, its own by name, goes with it.
            if target is not None:
                target.unlink(missing_ok=True)
            with contextlib.suppress(Exception), atomic():
                leftovers.registered(key)
            raise
    return target, result


def sign_and_export(actor: Actor, reference: str, kind: LetterKind, folder: Path,
                    passphrase: str | None = None, *,
                    draft_id: int | None = None, as_read: AsRead | None = None) -> IssuedLetter:
    """Check, render, sign and export the letter, and register it: once per event. `draft_id`:
    the prepared draft being signed (else the case's draft of this kind, if it is current).
    `as_read`: the letter as the signer was shown it; refused (StaleEdit, saying who changed
    it and when) if its words or its draft's version have changed since. Whatever was shown,
    the words signed are those the draft holds when the letter is registered: an edit saved
    while it was being signed refuses it."""
    from crm_tui.services.letters import signing_keys

    require_signer(actor, kind, appeal_signer(actor, reference)
                   if kind is LetterKind.APPEAL_OUTCOME else None)
    places.check_folder(folder, letters=False)
    case = load_case_for_change(actor, reference)  # before a PDF is written for an archived file
    source = sources.current(case, kind)
    draft = _the_draft(case, kind, draft_id, source)
    content = letter(actor, reference, kind, edits=_edits_of(draft) if draft else None)
    if as_read is not None:
        _require_as_read(case.reference, draft, as_read, text(content))
    gaps = checker.missing(content)
    if gaps:
        raise RequirementMissing("the letter cannot be sent: " + "; ".join(gaps))
    assert source is not None  # letter() refuses a kind with nothing to be about
    signed, fp = render_and_sign(actor, content, passphrase)
    digest = hashlib.sha256(signed).hexdigest()

    def register(target: Path) -> int:
        # The key may have been revoked, or the letter issued by someone else, while the
        # letter was being signed.
        signing_keys.require_in_use(actor.login, fp)
        if draft is not None and Letter.select(Letter.version).where(
                Letter.id == draft.id).scalar() != draft.version:
            _refuse_changed_words(case.reference, int(draft.id),
                                  as_read.since if as_read is not None else "since you read it")
        return _register_issued(actor, reference, kind, content, source, draft, target,
                                signed, fp)

    target, row_id = write_registered(
        folder, f"{content.reference}-{sources.file_word(kind, source.key)}-"
                f"{clock.now():%Y%m%d-%H%M%S}.pdf", signed, register)
    return IssuedLetter(target, digest, fp, row_id, post_by_words(row_id))


def post_by_words(letter_id: int) -> str:
    """What the signer is told of an invitation to comment just signed: by when it must be
    posted ("" for another letter). It gives a day for comments the customer is given the
    reply-by period to meet: posted later, it can no longer go (issue 15 AS3: signing said
    nothing, and the case read "Customer's comments due 18 Dec" of one to post that day)."""
    row = Letter.get_or_none(Letter.id == letter_id)
    if row is None or row.kind != LetterKind.INVITATION.value:
        return ""
    today = clock.today()
    last = last_day_to_post(row, today)
    if last is None:
        return ""
    day = in_prose(last, full_month=True)
    when = f"today, {day}" if last == today else f"by {day}"
    return (f"Post it {when}: posted later, the day for comments it gives would leave the "
            f"customer less than the {comments_in.period_words()} to comment, and it would "
            "be signed again.")


def _require_as_read(reference: str, draft: Letter | None, as_read: AsRead,
                     body: str) -> None:
    same_draft = draft is not None and as_read.draft_id == int(draft.id)
    redone = draft is not None and (not same_draft or as_read.version != int(draft.version))
    if same_draft and redone:
        assert draft is not None
        _refuse_changed_words(reference, int(draft.id), as_read.since)
    if as_read.words is None or as_read.words == words_of(body):
        return
    if draft is not None and redone:
        _refuse_changed_words(reference, int(draft.id), as_read.since)
    # The draft as it was: the record the letter is written from changed (a reason, an
    # address), in another copy of the app or at the command line.
    who, when = stale.who_and_when(stale.last_change(reference, (), lambda _: True))
    seen = ("since this list showed the letter, and its words now differ from those it "
            "showed" if as_read.listed else
            "since you read the letter, and its words now differ from those you read")
    raise StaleEdit(f"{who} changed the case's record{when} {seen}: {READ_AGAIN}")


READ_AGAIN = "read it again before signing. Nothing was signed."


def unshown_mark(actor: Actor, reference: str, kind: LetterKind, version: int,
                 mark: str) -> str | None:
    """Why `version` with `mark` (the start of a words' SHA-256) cannot be a mark `letters
    show` printed for the case's prepared letter: a version it never had, or its version now
    with other words while nothing recorded on the case has changed them since that version
    was made; None if it may be (found when tried, v16g G5: `--as-read 99` was told "Ceri
    Hughes changed this letter's words at 11:49 since you read it")."""
    draft = _current_draft(actor, reference, kind)
    if draft is None:
        return None  # nothing prepared: said as such where it is asked
    now, letter_id = int(draft.version), int(draft.id)
    shown = f"`crm-tui letters show {letter_id}`"
    if not 1 <= version <= now:
        return (f"this letter never had a version {version} (it is at version {now}): it is "
                f"not a mark {shown} printed for this letter")
    if version < now:
        return None  # an earlier version: changed since, as the signing says
    words = read(actor, reference, kind).as_read.words
    if words is None or words.startswith(mark):
        return None
    case = str(draft.case.reference)
    made = stale.last_change(case, ("edit_letter", "prepare_letter"),
                             lambda p: p.get("letter") == letter_id)
    later = stale.last_change(case, (), lambda _: True)
    if made is None or later is None or later.seq != made.seq:
        return None  # the case's record changed since: the signing says who and when
    return (f"it is not the mark {shown} prints for this letter's version {now}, and nothing "
            "recorded on the case has changed its words since that version was made")


def _refuse_changed_words(reference: str, letter_id: int,
                          since: str = "since you read it") -> None:
    who, when = stale.who_and_when(stale.last_change(
        reference, ("edit_letter", "prepare_letter"), lambda p: p.get("letter") == letter_id))
    raise StaleEdit(f"{who} changed this letter's words{when} {since}: {READ_AGAIN}")


def appeal_by(kind: LetterKind, issued_on: date) -> date | None:
    """The last day for an appeal, counted from the day the letter is issued."""
    if not kind.states_appeal_rights:
        return None
    return deadlines.due("appeal", issued_on, settings.current().appeal_period_days)


def _register_issued(actor: Actor, reference: str, kind: LetterKind, content: LetterContent,
                     source: sources.Source, draft: Letter | None, target: Path,
                     signed: bytes, fp: str) -> int:
    digest = hashlib.sha256(signed).hexdigest()
    case = load_case_for_change(actor, reference)
    why = offered.refusal(case, kind, clock.today())
    if why is not None:
        raise RequirementMissing(f"{case.reference}: the letter was not issued: {why}")
    by = appeal_by(kind, content.written_on)
    stored, body = record.dumps(content), text(content)
    values = {"status": ISSUED, "signed_by": actor.user_id, "signed_at": clock.now(),
              "file_name": target.name, "sha256": digest, "cert_fingerprint": fp,
              "body": body, "source": source.key, "written_on": content.written_on,
              "appeal_by": by, "content": stored}
    if draft is not None:
        Letter.update(**values).where(Letter.id == draft.id).execute()
        row_id = int(draft.id)
    else:
        row_id = int(Letter.create(case=case, kind=kind.value, created_at=clock.now(),
                                   created_by=actor.user_id, **values).id)
    # The signed bytes themselves, so that an export of the letter is the very same file.
    LetterFile.create(letter=row_id, pdf=signed)
    if by is not None and case.state != CaseState.UNDER_APPEAL.value:
        # The appeal period runs from the letter, not from the decision.
        Case.update(appeal_due=by).where(Case.id == case.id).execute()
    audit.record(actor, "issue_letter", case.reference, payload={
        "kind": kind.value, "letter": row_id, "sha256": digest, "certificate": fp,
        letter_texts.KEY: letter_texts.text_hash(stored, body),
        "source": source.key, "written_on": content.written_on, "appeal_by": by,
        "path": str(target.absolute())})
    return row_id


def record_not_sent(actor: Actor, case: Case, reason: str) -> None:
    """The policy's decision not to write: no letter, and the register says why. Call inside
    the transaction that records the decision."""
    decision = (Decision.select().where((Decision.case == case) & (
        Decision.action == "lift_without_letter")).order_by(Decision.id.desc()).first())
    Letter.create(case=case, kind=LetterKind.LIFTED.value, created_at=clock.now(),
                  created_by=actor.user_id, status=NOT_SENT,
                  source=f"decision:{decision.id}" if decision is not None else "",
                  note="Not sent: decision not to write (in consultation with the Head of "
                       f"Service), because: {reason.strip()}")


def register(actor: Actor, reference: str | None = None,
             limit: int | None = None) -> list[LetterInfo]:
    """The register of letters, newest first (one case's, or all; the latest `limit`)."""
    query = (Letter.select().join(Case).where(scope.visible(actor))
             .order_by(Letter.created_at.desc(), Letter.id.desc()))
    if reference is not None:
        query = query.where(Case.id == load_case(actor, reference).id)
    if limit is not None:
        query = query.limit(limit)
    return [_info(row) for row in query]


def drafts(actor: Actor) -> list[LetterInfo]:
    """Letters prepared and waiting to be signed, oldest first, each with the mark of its
    words as they would be signed now (LetterInfo.words). Not one superseded since it was
    prepared (posting_dates.draft_superseded): it can no longer be signed, so it is not
    waiting; the register lists it, superseded (v15n AC3)."""
    query = (Letter.select().join(Case).where((Letter.status == DRAFT) & scope.visible(actor))
             .order_by(Letter.created_at, Letter.id))
    return [replace(_info(row), words=_words_now(actor, row)) for row in query
            if not draft_superseded(row)]


def _words_now(actor: Actor, row: Letter) -> str | None:
    """The mark of the draft's words as `read` (and `letters show`) gives them now; None when
    the letter cannot be composed (its signing is then refused for that reason) or the case
    calls for another draft of its kind."""
    try:
        found = read(actor, row.case.reference, LetterKind(row.kind))
    except DomainError:
        return None
    return found.as_read.words if found.as_read.draft_id == int(row.id) else None


def sign_many(actor: Actor, letter_ids: list[int], folder: Path, passphrase: str | None,
              progress: Callable[[int, int, str], None], *,
              listed: Mapping[int, AsRead] | None = None) -> list[tuple[str, str]]:
    """Sign prepared letters one after another; returns (reference, result) for each. One that
    cannot be signed (out of date, changed since it was listed, say) is reported and the rest
    go on. `listed`: each draft as the signer's list showed it (register number:
    LetterInfo.as_listed); one whose version or words differ now is not signed, saying who
    changed it and when."""
    results = []
    for done, letter_id in enumerate(letter_ids, 1):
        row = Letter.select().join(Case).where(
            (Letter.id == letter_id) & scope.visible(actor)).first()
        if row is None or row.status != DRAFT:
            continue
        reference, kind = row.case.reference, LetterKind(row.kind)
        try:
            issued = sign_and_export(
                actor, reference, kind, folder, passphrase, draft_id=letter_id,
                as_read=listed.get(letter_id) if listed is not None else None)
            results.append((reference, f"signed: {issued.path.name}"))
        except (RequirementMissing, PermissionDenied, NotFound, SigningProblem,
                StaleEdit) as exc:
            results.append((reference, f"not signed: {exc}"))
        progress(done, len(letter_ids), reference)
    return results
