"""Posting the signed letters: those issued and not yet posted, gathered into one print pack
for the print room (the signed bytes themselves, each letter on sheets of its own), and the
posting recorded on each letter — the date, the class of post, the recorded-delivery number
where used, who posted it and the pack it went out in. The CRM and the team's officers post;
a letter is posted once (a lost one is re-sent as a duplicate, which is posted in its turn)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from crm_tui import clock
from crm_tui.db.models import Case, Customer, Letter, LetterFile
from crm_tui.domain.errors import NotFound, RequirementMissing, ValidationError, raise_all
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.posting import PostClass, post_class, require_poster, tracking_number
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.scope import READ_ONLY_STATES
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import audit, scope, settings
from crm_tui.services.core.database import atomic
from crm_tui.services.core.posting_dates import (
    cannot_go,
    gives_past,
    moved,
    replaced_by,
    superseded,
    to_write_again,
    withdrawn,
)
from crm_tui.services.letters import offered, preparation, sources

ISSUED = "issued"
_READ_ONLY = [s.value for s in READ_ONLY_STATES]


@dataclass(frozen=True)
class UnpostedLetter:
    id: int
    reference: str
    kind: LetterKind
    dated: date  # the date the letter bears
    appeal_by: date | None
    duplicate_of: int | None
    has_pdf: bool  # signed bytes kept (issued since schema 16): it can go in a print pack
    print_pack: str  # the pack it was last put in, if any
    cannot_go: str = ""  # why it cannot be posted today ("" if it can)
    # Why a decision's letter has been overtaken by an appeal since ("" if not): it may still
    # be posted, as a choice (posting_dates.superseded).
    superseded: str = ""
    customer: str = ""  # whom it goes to: named when the posting is confirmed
    # Who writes to the customer instead, when it cannot go, as said to the person posting
    # (write_again).
    write_again: str = ""

    @property
    def left_out_why(self) -> str:
        """Why it is left out of a post run ("" if it goes), superseded first, with its why as
        the register says it: a superseded letter is never to be written again, whatever its
        dates (issue 15 AZ Z1: the post run said "write to the customer again" of a letter
        superseded by the appeal's outcome letter, because a date it gave had passed)."""
        if self.superseded:
            return (f"it is superseded: {self.superseded}"
                    + (f"; a date it gives has passed as well, so it cannot go in any case "
                       f"({self.cannot_go})" if self.cannot_go else ""))
        return f"it cannot go: {self.cannot_go}" if self.cannot_go else ""


@dataclass(frozen=True)
class PrintPack:
    path: Path
    name: str
    letters: tuple[int, ...]  # the letters in it, in order
    pages: int
    sha256: str
    # Letters asked for that have no signed bytes kept (issued before they were): not in the
    # pack; print them from the letters folder.
    without_pdf: tuple[UnpostedLetter, ...]


@dataclass(frozen=True)
class Posted:
    letter_id: int
    reference: str
    posted_on: date
    post_class: PostClass
    tracking: str


def _dated(row: Letter) -> date:
    if row.written_on is not None:
        return row.written_on
    return (row.signed_at or row.created_at).date()


def _unposted_query(actor: Actor, reference: str | None = None) -> object:
    query = (Letter.select(Letter, Case).join(Case)
             .where((Letter.status == ISSUED) & Letter.posted_on.is_null()
                    & Case.state.not_in(_READ_ONLY) & scope.visible(actor)))
    if reference is not None:
        query = query.where(Case.reference == reference)
    return query.order_by(Letter.signed_at, Letter.id)


def write_again(actor: Actor, row: Letter) -> str:
    """Who writes to the customer instead of a letter that cannot go, said to `actor` (v15l
    W12: "ask the Complaints Resolution Manager" was said to the CRM herself, and of an
    appeal's outcome letter, which only the person who decided the appeal signs)."""
    if row.kind == LetterKind.APPEAL_OUTCOME.value:
        decider = preparation.appeal_decider(row.case)
        if decider is not None and decider[0] == actor.user_id:
            return ("write the outcome letter again from the case's letters (W): the case's "
                    "next action says when")
        if decider is not None:
            return f"{decider[1]}, who decided the appeal, writes the outcome letter again"
        return "the person who decided the appeal writes the outcome letter again"
    if row.kind in _DECIDED and to_write_again(row, clock.today()):
        # Owed again, and W offers no new one: what comes instead, in the register's words
        # (issuing: gone_then; fixAU3 U3).
        instead = offered.none_in_place(row, clock.today())
        if instead:
            return instead
    letter = _owed_again(row)
    if letter:
        # A decision's letter is owed again (fixAB AB1), as an outcome letter is.
        if actor.role is Role.CRM:
            return (f"write the {letter} again from the case's letters (W): the case's next "
                    "action says when")
        return f"the Complaints Resolution Manager writes the {letter} again"
    if actor.role is Role.CRM:
        return "write to the customer again from the case's letters (W)"
    return "ask the Complaints Resolution Manager how to write to the customer"


def _owed_again(row: Letter) -> str:
    """The decision's letter, in words ("decision letter"), if it is to be written again
    (posting_dates.to_write_again) and a new one can be (W offers it: letters.offered); ""
    if not."""
    letter = _DECIDED.get(row.kind, "")
    today = clock.today()
    if not letter or not to_write_again(row, today):
        return ""
    kind = LetterKind(row.kind)
    source = sources.current(row.case, kind)
    if source is None or source.key != row.source or offered.refusal(row.case, kind, today):
        return ""
    return letter


# A decision's letter, as said of it written again; an invitation to comment and a local
# resolution letter are written again to the customer's new address (fixAJ).
_DECIDED = {LetterKind.DECISION.value: "decision letter",
            LetterKind.EXTENSION_DECISION.value: "decision letter",
            LetterKind.LIFTED.value: "letter lifting the restrictions",
            LetterKind.INVITATION.value: "invitation to comment",
            LetterKind.LOCAL_RESOLUTION.value: "local resolution letter"}


def _describe(rows: Iterable[Letter], on: date | None = None,
              actor: Actor | None = None) -> list[UnpostedLetter]:
    rows = list(rows)
    with_pdf = {int(f.letter_id) for f in LetterFile.select(LetterFile.letter)
                .where(LetterFile.letter.in_([r.id for r in rows]))}
    customers = list({r.case.customer_id for r in rows if r.case.customer_id})
    names = {int(c.id): str(c.name) for c in Customer.select(Customer.id, Customer.name)
             .where(Customer.id.in_(customers))}
    today = on or clock.today()
    over = {int(r.id): superseded(r) for r in rows}
    # A superseded letter is not written again (left_out_why): nothing to advise.
    return [UnpostedLetter(int(r.id), r.case.reference, LetterKind(r.kind), _dated(r),
                           r.appeal_by, r.duplicate_of_id, int(r.id) in with_pdf, r.print_pack,
                           cannot_go(r, today), over[int(r.id)],
                           names.get(r.case.customer_id or 0, ""),
                           write_again(actor, r) if actor is not None and not over[int(r.id)]
                           else "")
            for r in rows]


def unposted(actor: Actor, reference: str | None = None, *,
             on: date | None = None) -> list[UnpostedLetter]:
    """Issued letters (originals and re-sent duplicates) not yet posted, oldest first, of the
    cases the actor may see (of the one case `reference` only, when given: "Post today" from
    the case's letters, where its next action says "Post the … letter"); each one's
    `cannot_go` as of the day they would be posted (`on`, today unless given). An appeal's
    outcome letter no longer to be sent (signed again in its place, or the restrictions were
    lifted since: posting_dates.withdrawn) is not waiting (v15l W2, W6)."""
    rows = [r for r in _unposted_query(actor, reference)  # type: ignore[attr-defined]
            if not withdrawn(r)]
    return _describe(rows, on, actor)


def why_not_waiting(actor: Actor, letter_id: int) -> str:
    """Why a letter the actor may see, signed and not posted, is not waiting to be posted:
    an appeal's outcome letter superseded, said as `letters resend` says it ("" when no
    such letter, or none the actor may see: the caller says only that it is not waiting).
    v15n AD3: `letters post --letter 17` said only "not waiting to be posted"."""
    row = (_unposted_query(actor)  # type: ignore[attr-defined]
           .where(Letter.id == letter_id).first())
    return _never_sent(row) if row is not None else ""


def _never_sent(row: Letter) -> str:
    """Why the letter, signed and never posted, goes in no post run ("" if it may go): it is
    superseded for good (withdrawn), named with the letter in its place."""
    gone = withdrawn(row)
    if not gone:
        return ""
    newer = replaced_by(row)
    by = f" by letter {newer}" if newer is not None else ""
    return (f"letter {row.id} was never posted and is superseded{by}: {gone}. It is not "
            "sent, and no post run takes it")


def why_gone(actor: Actor, letter_ids: Iterable[int]) -> dict[int, str]:
    """Why each of these letters, listed by "Post today" a moment ago, is no longer waiting to
    be posted (a change made since, elsewhere: another window, the command line, a
    colleague): posted, superseded for good, its file archived or gone. Said of each, for the
    dialog that lists them again (fixAL AL1)."""
    ids = list(letter_ids)
    rows = {int(r.id): r for r in Letter.select(Letter, Case).join(Case).where(
        Letter.id.in_(ids) & scope.visible(actor))}
    said: dict[int, str] = {}
    for letter_id in ids:
        row = rows.get(letter_id)
        if row is None:
            said[letter_id] = "it is no longer there for you to post (its file was destroyed, "\
                              "or is no longer one you may see)"
        elif row.posted_on is not None:
            poster = row.posted_by if row.posted_by_id is not None else None
            who = poster.name if poster is not None else "someone else"
            said[letter_id] = (f"{who} recorded it as posted on "
                               f"{in_prose(row.posted_on, full_month=True)}")
        elif row.case.state in _READ_ONLY:
            said[letter_id] = f"{row.case.reference} is archived: its file is read-only"
        elif withdrawn(row):
            newer = replaced_by(row)
            by = f" by letter {newer}" if newer is not None else ""
            said[letter_id] = f"it is superseded{by}: {withdrawn(row)}; it is not sent"
        else:
            said[letter_id] = "it is no longer waiting to be posted"
    return said


def left_out_unless_named(waiting: Iterable[UnpostedLetter]
                          ) -> tuple[list[UnpostedLetter], list[UnpostedLetter]]:
    """The letters a posting takes when none is named, and those it leaves out, as "Post
    today" starts: a letter that cannot go out on the day (a date it gives has passed by
    then), and a decision's letter superseded by an appeal since, which goes only when
    chosen (v15i M1: one letter that could not go refused the whole post run, blaming
    --posted-on, which had not been given)."""
    waiting = list(waiting)
    out = [u for u in waiting if u.cannot_go or u.superseded]
    return [u for u in waiting if u not in out], out


def _load(actor: Actor, letter_ids: list[int]) -> list[Letter]:
    """The letters asked for, in the order asked, each one the actor may see, issued, not
    yet posted, on a file still open."""
    if not letter_ids:
        raise ValidationError("letters", "choose at least one letter")
    if len(set(letter_ids)) != len(letter_ids):
        raise ValidationError("letters", "a letter is named twice")
    rows = {int(r.id): r for r in Letter.select(Letter, Case).join(Case).where(
        Letter.id.in_(letter_ids) & scope.visible(actor))}
    chosen = []
    for letter_id in letter_ids:
        row = rows.get(letter_id)
        if row is None:
            raise NotFound(f"no letter {letter_id}")
        if row.status != ISSUED:
            raise RequirementMissing(f"letter {letter_id} ({row.case.reference}) has not been "
                                     "issued: only signed letters are posted")
        if row.posted_on is not None:
            raise RequirementMissing(
                f"letter {letter_id} ({row.case.reference}) was posted on "
                f"{in_prose(row.posted_on)}: a letter is posted once; if it was lost, re-send "
                "it as a duplicate")
        if row.case.state in _READ_ONLY:
            raise RequirementMissing(f"{row.case.reference} is archived: its file is read-only")
        # Superseded for good (an invitation to comment signed again, an outcome letter
        # overtaken): refused whatever day is given, by every path (issue 15 AS1: a
        # back-dated --posted-on posted letter 17 after letter 18 had gone in its place).
        never = _never_sent(row)
        if never:
            raise RequirementMissing(never)
        chosen.append(row)
    return chosen


def _registered(name: str) -> bool:
    return bool(Letter.select().where(Letter.print_pack == name).exists())


def _take_write_lock(letter_ids: list[int]) -> None:
    """Hold the database's write lock for the rest of the transaction (an update that
    changes nothing still takes it). Whoever makes a pack writes its partial file while
    holding this lock, so that a partial file seen by someone else holding it is either
    registered (committed) or abandoned (a crash) — never another person's pack being made."""
    Letter.update(print_pack=Letter.print_pack).where(Letter.id.in_(letter_ids)).execute()


def recover_packs(folder: Path | None = None) -> list[str]:
    """Put in place a pack whose registration committed just before a crash; delete one
    whose registration never did. Returns the names put in place."""
    from crm_tui.services.letters import print_pack

    with atomic():
        _take_write_lock([])
        return print_pack.recover(folder or settings.current().print_path(), _registered)


def _refuse_damaged(pdfs: dict[int, bytes]) -> None:
    """A kept copy that is not the file issued (its SHA-256 is not the register's) never goes
    to print: the customer would be sent what the register does not vouch for."""
    rows: Any = Letter.select(Letter.id, Letter.sha256).where(
        Letter.id.in_(list(pdfs))).tuples()
    registered = {int(i): str(sha) for i, sha in rows}
    damaged = sorted(i for i, pdf in pdfs.items()
                     if hashlib.sha256(pdf).hexdigest() != registered.get(i))
    if damaged:
        named = ", ".join(str(i) for i in damaged)
        raise RequirementMissing(
            f"the signed copy the register keeps of letter {named} is not the file issued "
            "(its SHA-256 is not the register's): no print pack was made. Run `crm-tui audit "
            "verify`; a lost letter can be re-sent as a marked duplicate")


def make_print_pack(actor: Actor, letter_ids: list[int], *, folder: Path | None = None,
                    group: str | None = None, duplex: bool | None = None) -> PrintPack:
    """One PDF of the chosen letters' signed bytes, in the order given, each letter starting
    on a new sheet, written to the print folder for the print group (the configured
    `print_folder`, `print_group` and `print_duplex` unless given). Each letter is marked as
    put in this pack, with an audit entry, in one transaction; the file takes its name only
    after that commits."""
    from crm_tui.services.letters import print_pack

    require_poster(actor)
    config = settings.current()
    folder = folder or config.print_path()
    group = config.print_group if group is None else group
    duplex = config.print_duplex if duplex is None else duplex
    rows = _load(actor, letter_ids)
    _refuse_moved(actor, rows, clock.today())
    described = _describe(rows)
    going = [d for d in described if d.has_pdf]
    without = tuple(d for d in described if not d.has_pdf)
    if not going:
        raise RequirementMissing(
            "none of these letters has its signed copy kept (they were issued before signed "
            "copies were): print them from the letters folder, then record their posting")
    pdfs = {int(f.letter_id): bytes(f.pdf) for f in LetterFile.select().where(
        LetterFile.letter.in_([d.id for d in going]))}
    _refuse_damaged(pdfs)
    today = clock.today()
    # Assembled before the transaction: the write lock is held only to name and register it.
    data, pages = print_pack.assemble([pdfs[d.id] for d in going], duplex=duplex,
                                      title=f"Print pack of {in_prose(today, full_month=True)}")
    digest = hashlib.sha256(data).hexdigest()
    with atomic():
        _take_write_lock([d.id for d in going])
        _load(actor, [d.id for d in going])  # still unposted, now that the pack is to be made
        print_pack.recover(folder, _registered)
        registered = {r.print_pack for r in Letter.select(Letter.print_pack).where(
            Letter.print_pack.startswith(f"{print_pack.PREFIX}{today:%Y-%m-%d}-"))}
        name = print_pack.next_name(folder, today, registered)
        partial = print_pack.write_partial(folder, name, data, group)
        # The pack holds each letter's name and address: its path and the cases it holds are
        # recorded, so that a destruction of one of them names it (services.core.erasure).
        cases = sorted({d.reference for d in going})
        try:
            for d in going:
                Letter.update(print_pack=name).where(Letter.id == d.id).execute()
                audit.record(actor, "make_print_pack", d.reference, payload={
                    "letter": d.id, "pack": name, "sha256": digest,
                    "path": str((folder / name).absolute()), "cases": cases})
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    path = print_pack.publish(folder, name)
    return PrintPack(path, name, tuple(d.id for d in going), pages, digest, without)


def _checked(actor: Actor, letter_ids: list[int], posted_on: date,
             post_class_: PostClass | str, tracking: Mapping[int, str] | None,
             ) -> tuple[list[Letter], PostClass, dict[int, str]]:
    """Every problem with the posting at once (t15d F2: one came per save — each letter's
    missing number, then the date before the letters were issued): each recorded-delivery
    number's at its letter (field `tracking_N`), the date's against every letter at
    `posted_on`. A refusal by the rules (a letter already posted, a file read-only) comes
    first, alone: no field can put it right."""
    require_poster(actor)
    chosen_class = post_class(post_class_) if isinstance(post_class_, str) else post_class_
    rows = _load(actor, letter_ids)
    _refuse_superseded_past(rows, posted_on)
    _refuse_moved(actor, rows, posted_on)
    numbers, found = _tracking_numbers(chosen_class, letter_ids, tracking or {})
    day = _date_problem(rows, posted_on, actor)
    raise_all(found + ([ValidationError("posted_on", day)] if day else []))
    return rows, chosen_class, numbers


def _refuse_superseded_past(rows: list[Letter], posted_on: date) -> None:
    """A letter superseded whose dates have passed too is refused as superseded, first, with
    no advice to write again (issue 15 AZ Z1: named with --letter, it was refused as "too
    late … write to the customer again", while its outcome letter says what it said)."""
    gone = [u for u in _describe(rows, posted_on) if u.superseded and u.cannot_go]
    if gone:
        raise RequirementMissing("; ".join(f"letter {u.id} ({u.reference}) cannot be posted: "
                                           f"{u.left_out_why}" for u in gone))


def _refuse_moved(actor: Actor, rows: list[Letter], posted_on: date) -> None:
    """A letter addressed to where the customer no longer lives is never posted (issue 15
    AG1: it was, and the print pack carried the old address): a refusal by the rules, as no
    field of the posting can put it right. A signed letter never changes: it is superseded,
    and the one the customer is owed is written again to the new address."""
    gone = [(row, moved(row, posted_on)) for row in rows]
    gone = [(row, why) for row, why in gone if why]
    if gone:
        raise RequirementMissing(
            "; ".join(f"letter {row.id} ({row.case.reference}) cannot be posted: {why}, and "
                      "it is addressed to where they no longer live" for row, why in gone)
            + ". A signed letter is never changed: it is superseded; "
            + "; ".join(dict.fromkeys(write_again(actor, row) for row, _ in gone)))


def _named(rows: list[Letter]) -> str:
    """Letters of one case, by number: "letter 18 (UPV-2026-0011)", "letters 18 and 19
    (UPV-2026-0011)"."""
    ids = [str(r.id) for r in rows]
    listed = ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + f" and {ids[-1]}"
    return f"letter{'s' if len(ids) > 1 else ''} {listed} ({rows[0].case.reference})"


def _issued(row: Letter) -> date:
    return row.signed_at.date() if row.signed_at is not None else _dated(row)


def _date_problem(rows: list[Letter], posted_on: date, actor: Actor) -> str:
    """What is wrong with the posting date, against every letter ("" if nothing): in the
    future, before letters were issued (each named, with its day), or after a date a letter
    gives. It starts with the day, which the form and the command line quote as typed."""
    typed = posted_on.isoformat()
    if posted_on > clock.today():
        return f"{typed} is in the future: give a day up to today"
    early: dict[tuple[str, date], list[Letter]] = {}
    for row in rows:
        if posted_on < _issued(row):
            early.setdefault((row.case.reference, _issued(row)), []).append(row)
    said = []
    if len(early) == 1:
        [((_, issued), group)] = early.items()
        said.append(f"before {_named(group)} {'were' if len(group) > 1 else 'was'} issued "
                    f"({in_prose(issued)}): a letter is posted on or after the day it is "
                    "issued")
    elif early:
        said.append("before these letters were issued: " + "; ".join(
            f"{_named(group)} on {in_prose(issued)}" for (_, issued), group in early.items())
                    + ": a letter is posted on or after the day it is issued")
    # A letter posted after a date it gives tells the customer of a right already lost, or
    # of something still to come that has happened.
    late = [row for row in rows if gives_past(row, posted_on)]
    stale = [f"letter {row.id} ({row.case.reference}): {gives_past(row, posted_on)}"
             for row in late]
    if stale:
        they = "they" if len(stale) > 1 else "it"
        said.append("too late for " + "; ".join(stale) + f": {they} cannot go out like that; "
                    + "; ".join(dict.fromkeys(write_again(actor, row) for row in late)))
    return f"{typed} is " + "; and it is ".join(said) if said else ""


def check_posting(actor: Actor, letter_ids: list[int], posted_on: date,
                  post_class_: PostClass | str,
                  tracking: Mapping[int, str] | None = None) -> None:
    """Everything record_posting checks, changing nothing: asked before a pack is made, so
    that a pack is not printed for a posting that would be refused."""
    _checked(actor, letter_ids, posted_on, post_class_, tracking)


def number_problems(actor: Actor, letter_ids: list[int], post_class_: PostClass | str,
                    tracking: Mapping[int, str] | None = None) -> list[ValidationError]:
    """The recorded-delivery numbers' problems alone, each at its letter's field (missing,
    mistyped, given twice, or already recorded for another letter), changing nothing: what
    the form shows beside a posting date it cannot read or that is still to come, which its
    own check refuses before the whole posting is checked (fixG G4: a number already used
    was told only at the next save, once the date was put right). A refusal by the rules
    (a letter already posted, a file read-only) is raised, as check_posting raises it."""
    require_poster(actor)
    chosen_class = post_class(post_class_) if isinstance(post_class_, str) else post_class_
    _load(actor, letter_ids)
    return _tracking_numbers(chosen_class, letter_ids, tracking or {})[1]


def record_posting(actor: Actor, letter_ids: list[int], posted_on: date,
                   post_class_: PostClass | str, tracking: Mapping[int, str] | None = None,
                   ) -> list[Posted]:
    """Record that the letters were posted on `posted_on` by the class given; by recorded
    delivery each needs its own recorded-delivery number (`tracking`, by letter id), and by
    any other class none is taken. Not in the future, not before a letter was issued, and
    never twice: all of them are recorded, or none. The print pack a letter went out in was
    set when the pack was made."""
    posted = []
    with atomic():
        rows, chosen_class, numbers = _checked(actor, letter_ids, posted_on, post_class_,
                                               tracking)
        for row in rows:
            number = numbers.get(int(row.id), "")
            Letter.update(posted_on=posted_on, posted_at=clock.now(),
                          post_class=chosen_class.value, tracking=number,
                          posted_by=actor.user_id).where(Letter.id == row.id).execute()
            audit.record(actor, "record_posting", row.case.reference, payload={
                "letter": int(row.id), "posted_on": posted_on.isoformat(),
                "class": chosen_class.value, "tracking": number, "pack": row.print_pack})
            posted.append(Posted(int(row.id), row.case.reference, posted_on, chosen_class,
                                 number))
    return posted


@dataclass(frozen=True)
class PostedToday:
    pack: PrintPack
    posted: list[Posted]


def post_today(actor: Actor, letter_ids: list[int], posted_on: date,
               post_class_: PostClass | str,
               tracking: Mapping[int, str] | None = None) -> PostedToday:
    """"Post today": check the posting, make the print pack of the letters, and record the
    posting of those in it. A letter without its signed bytes kept is left out of both and
    reported in the pack (`without_pdf`): print it from the letters folder and record its
    posting on its own."""
    check_posting(actor, letter_ids, posted_on, post_class_, tracking)
    pack = make_print_pack(actor, letter_ids)
    numbers = {i: n for i, n in (tracking or {}).items() if i in pack.letters}
    return PostedToday(pack, record_posting(actor, list(pack.letters), posted_on,
                                            post_class_, numbers))


def _tracking_numbers(chosen: PostClass, letter_ids: list[int], given: Mapping[int, str],
                      ) -> tuple[dict[int, str], list[ValidationError]]:
    """The recorded-delivery numbers, checked: one for each letter sent recorded, different
    from each other and from any already recorded; none for another class. Every problem is
    returned, each at its letter's field (`tracking_N`), beside the numbers that passed."""
    given = {k: v for k, v in given.items() if v.strip()}
    if chosen is not PostClass.RECORDED:
        if given:
            return {}, [ValidationError("tracking", "a recorded-delivery number is only for "
                                        f"letters sent by recorded delivery, not {chosen.label}")]
        return {}, []
    found = [ValidationError("tracking", f"letter {stray} is not among those posted")
             for stray in sorted(set(given) - set(letter_ids))]
    numbers: dict[int, str] = {}
    for letter_id in letter_ids:
        at = f"tracking_{letter_id}"
        if letter_id not in given:
            found.append(ValidationError(at, f"letter {letter_id} is sent by recorded delivery: "
                                             "give its recorded-delivery number"))
            continue
        try:
            numbers[letter_id] = tracking_number(given[letter_id])
        except ValidationError as exc:
            found.append(ValidationError(at, f"letter {letter_id}: {exc.message}"))
    seen: dict[str, int] = {}
    for letter_id, number in numbers.items():
        if number in seen:
            found.append(ValidationError(f"tracking_{letter_id}", f"letter {letter_id}: "
                                         f"{number} is given for letter {seen[number]} too: "
                                         "each item has its own number"))
        seen.setdefault(number, letter_id)
    used: Any = Letter.select(Letter.id, Letter.tracking).where(
        Letter.tracking.in_(list(numbers.values())))
    earlier = {str(r.tracking): int(r.id) for r in used}
    found += [ValidationError(f"tracking_{letter_id}", f"letter {letter_id}: {number} was "
                              f"already recorded for letter {earlier[number]}")
              for letter_id, number in numbers.items() if number in earlier]
    return numbers, found
