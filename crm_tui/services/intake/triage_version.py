"""The version a triage step was opened on: the case's trail as far as its assignment and
state go. Two people on one referral: one assigned it (or moved it on) while the other's
dialog or form was open, and the other's save went through without a word, replacing the
assignment or closing a case the first had just taken into consideration (b16e F8). A form
reads the version as it opens; the step refuses, in its own transaction, if an entry that
assigned the case or moved it on was written since, saying who, when and how it now reads,
as the app's other stale edits are (services.core.stale)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from crm_tui import clock
from crm_tui.db.models import AuditEntry, Case, User
from crm_tui.domain.errors import StaleEdit
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import stale
from crm_tui.services.core.in_force import case_starts_after

ASSIGN = "assign"
# The entries that change what a triage step acts on: who has the case, and its state.
CHANGES = (ASSIGN, *(action.value for action in Action))


def _latest(reference: str, after: int = 0) -> AuditEntry | None:
    entry: AuditEntry | None = (
        AuditEntry.select().where((AuditEntry.case_reference == reference) & ~AuditEntry.erased
                                  & AuditEntry.action.in_(CHANGES) & (AuditEntry.seq > after))
        .order_by(AuditEntry.seq.desc()).first())
    return entry


def opened(reference: str) -> int:
    """The version of the case a form opens on (0: nothing has changed it yet)."""
    entry = _latest(reference)
    return 0 if entry is None else int(entry.seq)


def read_before() -> int:
    """The version of every case a screen reads after this (the trail's last entry): a step
    taken straight from the screen, with no form (`c`), carries it. Read before the cases, so
    that a change committed in between is taken as made since (refused, and said), never as
    seen (b16e F8 for `c`: a referral assigned meanwhile in another app was moved on all the
    same)."""
    entry = AuditEntry.select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).first()
    return 0 if entry is None else int(entry.seq)


# Each step that moves a case on, said plainly as done, for the notices of another's change
# (v20 AW5: "“remove on appeal” recorded; it has had its restrictions ended now").
DONE = {
    Action.OPEN_LOCAL_RESOLUTION: "local resolution opened",
    Action.RECORD_REFERRAL: "referral recorded",
    Action.BEGIN_CONSIDERATION: "moved to consideration",
    Action.REQUEST_CONSULTATION: "Head of Service consultation requested",
    Action.RECORD_CONSULTATION: "Head of Service consultation recorded",
    Action.CLOSE_NO_ACTION: "closed with no action",
    Action.RETURN_TO_SERVICE_AREA: "returned to the service area for local resolution",
    Action.IMPOSE_RESTRICTIONS: "restrictions imposed",
    Action.VARY_RESTRICTIONS: "restrictions varied",
    Action.START_REVIEW: "review started",
    Action.CONTINUE_UNCHANGED: "review decided: restrictions continue unchanged",
    Action.CHANGE_REVIEW_PERIOD: "review period changed",
    Action.PROPOSE_EXTENSION: "extension proposed to the customer",
    Action.EXTEND_RESTRICTIONS: "restrictions extended",
    Action.LIFT_RESTRICTIONS: "restrictions lifted",
    Action.LIFT_WITHOUT_LETTER: "restrictions lifted",
    Action.LODGE_APPEAL: "appeal received: under appeal now",
    Action.CONFIRM_ON_APPEAL: "appeal decided: restrictions confirmed",
    Action.AMEND_ON_APPEAL: "appeal decided: restrictions amended",
    Action.REMOVE_ON_APPEAL: "appeal decided: restrictions removed",
    Action.EXPIRE_RESTRICTIONS: "restrictions ended on their end date",
    Action.ARCHIVE: "file archived",
    Action.DESTROY: "file destroyed",
}


# The steps that decide restrictions, which may start on a later day.
DECIDING = frozenset({Action.IMPOSE_RESTRICTIONS, Action.VARY_RESTRICTIONS,
                      Action.EXTEND_RESTRICTIONS, Action.CONFIRM_ON_APPEAL,
                      Action.AMEND_ON_APPEAL})


def done(action: str, case: Case) -> str:
    """What a step did to the case, plainly: "appeal decided: restrictions removed"; for one
    that decided restrictions starting on a later day, from when (v15k V2: "it is restricted
    now" was said of an appeal's amended restrictions starting in seven months)."""
    step = Action(action)
    start = case.restrictions_start
    if step in DECIDING and start is not None and case_starts_after(case, clock.today()):
        return f"{DONE[step]}, from {in_prose(start)}"
    return DONE[step]


def require_unchanged(case: Case, seen: int | None, since: str = "you opened it") -> None:
    """Refuse, with nothing written, a step from a form opened on version `seen` if the case
    was assigned or moved on since (None: no form, read in the step's own transaction).
    `since`: when the step's screen or form read the case, in the refusal's words."""
    if seen is None:
        return
    entry = _latest(str(case.reference), seen)
    if entry is None:
        return
    who, when = stale.who_and_when(entry)
    if entry.action == ASSIGN:
        officer = case.assigned_to
        whom = officer.name if isinstance(officer, User) else "no one"
        did = f"assigned this case to {whom}{when} since {since}"
    else:
        did = f"changed this case{when} since {since}: {done(str(entry.action), case)}"
    raise StaleEdit(f"{who} {did}. Nothing was saved: look at the case as it now stands, "
                    "then decide again.")


@dataclass(frozen=True)
class ChangedSince:
    """A change to a case since a screen last showed it: who made it (`login`, and by name in
    `said`), and what it did, as the screen says it: "changed by Ceri Hughes at 11:59:
    assigned to Tomasz Nowak"."""

    seq: int
    login: str
    said: str
    action: str = ""  # the audit action ("assign", "amend_on_appeal")


def news_to(found: ChangedSince, login: str, told_outside: Collection[str]) -> bool:
    """Whether a change found since a screen last read the case is news to the person acting
    as `login`: another person's, or one of the actions another program was told to have made
    (`told_outside`: `crm-tui appeals decide` under their own name in another terminal). A
    step they took here is not, though another program changed the case after it (v15k V2:
    a print pack made from the command line had the inbox tell Gareth Bell of his own
    amendment as "Changed by Gareth Bell")."""
    return found.login != login or found.action in told_outside


def changed_since(reference: str, seen: int) -> ChangedSince | None:
    """The latest change assigning the case or moving it on since version `seen` (what a
    screen showed), if any: a screen re-read after another app's change says it, rather than
    showing the case anew without a word (v16g G10)."""
    entry = _latest(reference, seen)
    if entry is None:
        return None
    case = Case.get_or_none(Case.reference == reference)
    if case is None:
        return None
    who, when = stale.who_and_when(entry)
    if entry.action == ASSIGN:
        officer = case.assigned_to
        did = f"assigned to {officer.name}" if isinstance(officer, User) else "unassigned"
    else:
        did = done(str(entry.action), case)
    return ChangedSince(int(entry.seq), str(entry.actor_login),
                        f"changed by {who}{when}: {did}", str(entry.action))
