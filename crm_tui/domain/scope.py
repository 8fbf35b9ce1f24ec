"""Which case files a person may read, and which files nobody may change.

Reading: a service area manager refers customers from their own service area and sees that
area's cases only; the user administrator manages users and reads no case (separation of
duties); the Complaints Resolution Team, the Head of Service and the Service Director read
every case. The service layer turns `case_scope` into one condition on every case query.

Changing: the policy keeps a file "for the duration of any restrictions", then archives it
and later destroys it. Once archived, a file is a record: nothing changes it except the
retention steps themselves (destroying it when its time comes).
"""

from __future__ import annotations

from dataclasses import dataclass

from crm_tui.domain.errors import InvalidTransition
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState


@dataclass(frozen=True)
class CaseScope:
    """All cases, none, or one service area's; and whether records about no case (user
    administration, signing keys) are read too."""

    everything: bool
    service_area_id: int | None = None
    caseless: bool = True

    def includes(self, service_area_id: int | None) -> bool:
        if self.everything:
            return True
        return self.service_area_id is not None and self.service_area_id == service_area_id


# The user administrator reads no case, but does read the administration of users.
NOTHING = CaseScope(everything=False)
EVERYTHING = CaseScope(everything=True)


def case_scope(actor: Actor) -> CaseScope:
    """The cases this person may read."""
    if actor.role is Role.USER_ADMIN:
        return NOTHING
    if actor.role is Role.SERVICE_AREA_MANAGER:
        # A manager with no area recorded sees nothing rather than everything.
        return CaseScope(everything=False, service_area_id=actor.service_area_id,
                         caseless=False)
    return EVERYTHING


def unseen_reason(actor: Actor) -> str:
    """Why a case outside the person's scope is refused, in plain words."""
    if actor.role is Role.USER_ADMIN:
        return "the user administrator acts on no case"
    return "a service area manager may see only their own service area"


# The retention steps: the only things that may still be done to an archived file.
# A stored destruction date recalculated after `retention_years` changed is a retention
# step too: an archived file's date moves with the setting (services.retention_dates).
RETENTION_STEPS = frozenset({"archive", "destroy", "recalculate_destroy_date"})
# Reading an archived file is allowed; these reads are written to the audit trail too.
RECORDED_READS = frozenset({"export_evidence_bundle", "export_accessible_copy", "export_letter",
                            "subject_access_request", "export_evidence_copy"})
READ_ONLY_STATES = frozenset({CaseState.ARCHIVED, CaseState.DESTROYED})


class ReadOnlyFile(InvalidTransition):
    """The case file is archived (or destroyed): nothing but retention may change it."""


class DestroyedFile(ReadOnlyFile):
    """The case file was destroyed: nothing more is recorded of it, not even a read (an
    export that read it before the destruction and would record itself after it)."""

    def __init__(self, reference: str) -> None:
        super().__init__(read_only_message(reference, CaseState.DESTROYED))
        self.reference = reference


def read_only_message(reference: str, state: CaseState) -> str:
    if state is CaseState.DESTROYED:
        return f"{reference} was destroyed: only its tombstone remains"
    return f"{reference} is archived: its file is read-only"


def check_change(reference: str, state: CaseState | None, action: str) -> None:
    """Refuse `action` on a file in `state` unless it is a retention step or a recorded
    read. `state` None: no such live case (nothing to refuse here). A destroyed file takes no
    entry but its destruction's: an export that read it before the destruction and would
    record itself after it is refused (and removes what it wrote): never a live entry after
    the tombstone."""
    if state is CaseState.DESTROYED and action not in RETENTION_STEPS:
        raise DestroyedFile(reference)
    if (state is not None and state in READ_ONLY_STATES
            and action not in RETENTION_STEPS | RECORDED_READS):
        raise ReadOnlyFile(read_only_message(reference, state))


def read_only_why(reference: str, state: CaseState | None) -> str:
    """Why the file takes no change now ("" if it does), in the words `check_change` refuses
    with: a key that would change it says so at once, opening no form."""
    try:
        check_change(reference, state, "")
    except ReadOnlyFile as exc:
        return str(exc)
    return ""


def referrer_problem(name: str, role: Role, manages: str | None,
                     service_area: str) -> str | None:
    """Why this person cannot be the referring manager of a referral from `service_area`:
    a service area manager refers from their own area only, and the user administrator refers
    no one. None when they can. Asked by the referral service and by its form, as one rule."""
    if role is Role.USER_ADMIN:
        return f"{name} is the user administrator, who refers no one"
    if role is Role.SERVICE_AREA_MANAGER and manages != service_area:
        return (f"{name} manages another service area ({manages})" if manages
                else f"{name} manages no service area")
    return None
