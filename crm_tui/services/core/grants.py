"""Whether the acting person may still act as they did when the app (or the command) found
out who they are: read from the database at the moment of each step, inside its transaction.

An app keeps its Actor from start-up (or from `u`); meanwhile the user administrator may have
ended that person's access, or changed their role, from another terminal. Every step writes
its audit entry (`audit.record`), and the entry is refused here unless the person is still
active in the role the Actor names: the step's transaction rolls back, nothing is written
(found when tried: a person deactivated while the app acted as them logged a contact and a
breach in their name)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from crm_tui.db.models import AuditEntry, User
from crm_tui.domain.errors import PermissionDenied
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.typed_dates import in_prose, quoted
from crm_tui.services.core import audit_roles, audit_seals, team_seal

# The audit actions that change who may act (told to a running app by outside_changes).
ACCESS_CHANGES = frozenset({"deactivate_user", "change_role", "reactivate_user", "add_user"})


class AccessEnded(PermissionDenied):
    """The acting person's access, or the role they act in, was ended since they began."""


def deactivated_by(login: str) -> str:
    """By whom and when `login`'s access was last ended, as the audit trail has it; "" if
    it does not say (an older database)."""
    for entry in AuditEntry.select().where(AuditEntry.action == "deactivate_user").order_by(
            AuditEntry.seq.desc()):
        try:
            payload = json.loads(entry.payload or "{}")
        except ValueError:
            continue
        if isinstance(payload, dict) and payload.get("login") == login:
            by = User.get_or_none(User.login == entry.actor_login)
            on = datetime.fromisoformat(entry.at).date()
            return f" by {by.name if by else entry.actor_login} on {in_prose(on)}"
    return ""


@dataclass(frozen=True)
class Standing:
    """Whether a person can act: `why` not ("" if they can), and whether that is because
    their own user record was edited in the database (said on screen in its own words: no
    one in the app changed anything, and the user administrator must look into it)."""

    why: str = ""
    record_edited: str = ""  # what differs, as team_seal.user_not_as_left says it
    # With record_edited, if the name their record reads is not the one the trail last
    # recorded: both, as edited_person says them ("" otherwise: the name is theirs).
    person: str = ""


def edited_person(user: User) -> str:
    """A person whose record was edited in the database, named as the trail's seal last
    recorded them, with the name the record now reads where it differs (v16g G3: the
    refusal printed "Ceri Hughes-Forged" as the person's name); by login alone if no seal
    records names."""
    name = team_seal.sealed_name(int(user.id))
    if name is None:
        return f"the user {quoted(user.login)} (their record's name now reads {quoted(user.name)})"
    if name != user.name:
        return (f"{name} ({quoted(user.login)}; their record's name now reads "
                f"{quoted(user.name)})")
    return f"{name} ({quoted(user.login)})"


def standing(actor: Actor) -> Standing:
    """Whether `actor` can still act as they are: their user deactivated, their role (or
    service area) no longer the one they act in, or their user record not as the audit
    trail's seal left it. Asked at each step, and by the app at start and at a switch."""
    user = User.get_or_none(User.id == actor.user_id)
    if user is None or user.login != actor.login:
        return Standing(f"{actor.name} ({quoted(actor.login)}) is no longer a user of this "
                        "database")
    if not user.active:
        return Standing(f"{user.name} ({quoted(user.login)}) was deactivated"
                        f"{deactivated_by(user.login)}: they can no longer use the app")
    # Before the role is compared: a role edited in the database is no role of theirs, and
    # is never said as one (found when tried, v15d N5: "their role is now Complaints
    # Resolution Manager", the forged role stated as fact, to the person acting).
    edited = team_seal.user_not_as_left(int(user.id))
    if edited:
        person = edited_person(user)
        return Standing(f"{person} cannot act: {edited}; "
                        f"{audit_roles.given_role_said(user.login)}, and nothing is recorded "
                        "in their name until it is looked into (run "
                        f"`{audit_seals.AUDIT_VERIFY}`)", edited,
                        person if "now reads" in person else "")
    if user.role != actor.role.value or user.service_area_id != actor.service_area_id:
        return Standing(f"{user.name} no longer acts as {actor.role.label}: their role is "
                        f"now {Role(user.role).label}")
    return Standing()


def ended(actor: Actor) -> str:
    """Why `actor` can no longer act as they are ("" if they still can)."""
    return standing(actor).why


def require_current(actor: Actor) -> None:
    """Refuse the step (AccessEnded) unless `actor` still holds the grant they act under."""
    why = ended(actor)
    if why:
        raise AccessEnded(f"{why}. Nothing was saved.")
