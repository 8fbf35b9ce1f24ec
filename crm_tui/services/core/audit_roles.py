"""Each entry's recorded role held to the roles the trail itself gave (`audit verify`).

Every entry records the login and the role its step was taken in (`actor_role`). The role
comes from the person's user record, and the app refuses a person whose record is not as the
team's seal left it (team_seal); but a role raised in the database, used, and put back again
left entries recorded in a role nobody granted, and the trail verified (v15c F0: an officer
recorded as the Complaints Resolution Manager made a signing key and destroyed a file). So
the walk replays what the trail says about people: `add_user` (who, in what role),
`change_role` (from what, to what), `deactivate_user` and `reactivate_user`, and holds every
entry's actor to it: the role they act in must be the one the trail gave them then, and they
must be a person the trail added and had not deactivated.

An appeal decided by someone other than the Service Director is held to the nominations the
trail records (`nominate_appeal_officer`, `revoke_nomination`), as the app decides who may
decide: the nominee acts in their own role (a Head of Service's), under a nomination for the
case or for a period covering the day, not revoked before it. The demo's "act as" acts as the
person chosen, in their own role: nothing to allow for.

An older trail, whose first entries were written before the people in it were recorded by
`add_user` with their role, cannot be held to this for those people: their entries are
counted as not checked (a note), and checked from the first entry that gives them a role."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crm_tui.db.models import AuditEntry, User
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.roles import Role

ADD, CHANGE, DEACTIVATE, REACTIVATE = ("add_user", "change_role", "deactivate_user",
                                      "reactivate_user")
NOMINATE, REVOKE = "nominate_appeal_officer", "revoke_nomination"
APPEAL_DECIDED = frozenset(a.value for a in (
    Action.CONFIRM_ON_APPEAL, Action.AMEND_ON_APPEAL, Action.REMOVE_ON_APPEAL))


def _label(role: str) -> str:
    try:
        return f"{Role(role).label} ({role})"
    except ValueError:
        return f"{role} (no role of this app)"


def _payload(row: AuditEntry) -> dict[str, Any]:
    if row.erased:
        return {}
    try:
        found = json.loads(row.payload or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _day(text: object) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


@dataclass
class Held:
    """What the trail last said of one person: their role, whether active, and in which
    entry it said so."""

    role: str
    active: bool
    since: int


@dataclass
class Nominated:
    """A nomination as its entry recorded it."""

    seq: int
    nominee: str
    case_reference: str
    valid_from: date | None
    valid_until: date | None
    revoked: bool = False

    def covers(self, reference: str, day: date | None) -> bool:
        if self.revoked:
            return False
        if self.case_reference:
            return self.case_reference == reference
        return (day is not None and self.valid_from is not None
                and self.valid_until is not None and self.valid_from <= day <= self.valid_until)


@dataclass
class RoleReplay:
    """The people and nominations the entries walked so far have recorded."""

    people: dict[str, Held] = field(default_factory=dict)
    nominations: dict[int, Nominated] = field(default_factory=dict)
    # Whether the trail recorded its people from its first entry (the first administrator
    # adding themselves): then an actor it never added did not exist. Else (an older trail)
    # such an actor's entries are not checked, and counted.
    complete: bool | None = None
    unchecked: dict[str, int] = field(default_factory=dict)

    def note(self, row: AuditEntry) -> str:
        """Why entry `row` was not recorded in a role the trail gave its actor, or ''; then
        what it changes is taken in."""
        if row.erased and not row.case_reference:
            # Only a destroyed file's entries are erased: an entry about no case (a person
            # added, say) blanked would otherwise be named later, as someone never added.
            return (f"entry {row.seq} is marked erased, but it is about no case: only a "
                    "destroyed file's entries are erased")
        payload = _payload(row)
        login = str(payload.get("login") or "")
        if self.complete is None:
            self.complete = (row.action == ADD and login == row.actor_login
                             and row.actor_role == Role.USER_ADMIN.value)
        if row.action == ADD and login == row.actor_login and not self.people:
            self._take(row, payload, login)  # the first administrator adds themselves
        problem = self._actor_problem(row) or self._nomination_problem(row, payload)
        if problem:
            return problem
        self._take(row, payload, login)
        return ""

    @property
    def unchecked_entries(self) -> int:
        return sum(self.unchecked.values())

    def _actor_problem(self, row: AuditEntry) -> str:
        who = str(row.actor_login)
        held = self.people.get(who)
        if held is None:
            if self.complete:
                return (f"entry {row.seq} was recorded by {who} as {_label(row.actor_role)}, "
                        "but the trail never added them as a user: no such person could act")
            self.unchecked[who] = self.unchecked.get(who, 0) + 1
            return ""
        if not held.active:
            return (f"entry {row.seq} was recorded by {who} as {_label(row.actor_role)}, but "
                    f"their access was ended in entry {held.since}: they could no longer act")
        if held.role != row.actor_role:
            return (f"entry {row.seq} was recorded by {who} as {_label(row.actor_role)}, but "
                    f"the role the trail gave them then is {_label(held.role)} (entry "
                    f"{held.since}): their role was changed outside the app")
        return ""

    def _nomination_problem(self, row: AuditEntry, payload: dict[str, Any]) -> str:
        if (row.action not in APPEAL_DECIDED or row.erased
                or row.actor_role == Role.SERVICE_DIRECTOR.value
                or row.actor_login not in self.people):
            return ""
        day = _day(row.at)
        if any(n.nominee == row.actor_login and n.covers(row.case_reference, day)
               for n in self.nominations.values()):
            return ""
        named = payload.get("nomination")
        said = f" (it names nomination {named})" if named else ""
        return (f"entry {row.seq} decided the appeal on {row.case_reference} by "
                f"{row.actor_login} as {_label(row.actor_role)}{said}, but no nomination the "
                "trail records covered them for it that day: only the Service Director, or "
                "a person nominated by them, decides an appeal")

    def _take(self, row: AuditEntry, payload: dict[str, Any], login: str) -> None:
        seq = int(row.seq)
        if row.action == ADD and login and isinstance(payload.get("role"), str):
            self.people[login] = Held(payload["role"], True, seq)
        elif row.action == CHANGE and login in self.people and isinstance(
                payload.get("to"), str):
            self.people[login] = Held(payload["to"], self.people[login].active, seq)
        elif row.action in (DEACTIVATE, REACTIVATE) and login in self.people:
            self.people[login] = Held(self.people[login].role, row.action == REACTIVATE, seq)
        elif row.action == NOMINATE and isinstance(payload.get("nomination"), int):
            self.nominations[payload["nomination"]] = Nominated(
                seq, str(payload.get("nominee") or ""), str(row.case_reference),
                _day(payload.get("valid_from")), _day(payload.get("valid_until")))
        elif row.action == REVOKE and isinstance(payload.get("nomination"), int):
            revoked = self.nominations.get(payload["nomination"])
            if revoked is not None:
                revoked.revoked = True


def given_role(login: str) -> tuple[str, int] | None:
    """The role the trail last gave `login` (its `add_user` or latest `change_role`) and the
    entry that gave it; None if the trail never did (an older trail). Said of a person whose
    user record was edited in the database, in place of the role the edited row claims
    (found when tried, v15d N5: "their role is now Complaints Resolution Manager", a forged
    role stated as fact)."""
    found: tuple[str, int] | None = None
    for row in (AuditEntry.select().where(AuditEntry.action.in_((ADD, CHANGE)))
                .order_by(AuditEntry.seq)):
        payload = _payload(row)
        if payload.get("login") != login:
            continue
        role = payload.get("role") if row.action == ADD else payload.get("to")
        if isinstance(role, str):
            found = (role, int(row.seq))
    return found


def given_role_said(login: str) -> str:
    """The role the trail gives `login`, in words: "the role the trail gives them is Complaints
    Resolution Team officer (entry 15)", or that it gives them none."""
    found = given_role(login)
    if found is None:
        return "the trail records no role given them"
    role, seq = found
    try:
        label = Role(role).label
    except ValueError:
        label = role
    return f"the role the trail gives them is {label} (entry {seq})"



def histories() -> dict[str, Held]:
    """The role and access the trail's own history gives each person it added (`add_user`,
    `change_role`, `deactivate_user`, `reactivate_user`, in order), with the entry that last
    said so; a person it never added (an older trail) is not in it."""
    people: dict[str, Held] = {}
    for row in (AuditEntry.select().where(AuditEntry.action.in_((ADD, CHANGE, DEACTIVATE,
                                                                  REACTIVATE)))
                .order_by(AuditEntry.seq)):
        payload = _payload(row)
        login = payload.get("login")
        if not isinstance(login, str):
            continue
        held, seq = people.get(login), int(row.seq)
        if row.action == ADD and isinstance(payload.get("role"), str):
            people[login] = Held(payload["role"], True, seq)
        elif held is None:
            continue
        elif row.action == CHANGE and isinstance(payload.get("to"), str):
            people[login] = Held(payload["to"], held.active, seq)
        elif row.action in (DEACTIVATE, REACTIVATE):
            people[login] = Held(held.role, row.action == REACTIVATE, seq)
    return people


def not_as_history(login: str, role: str, active: bool,
                   people: dict[str, Held] | None = None) -> str:
    """'' if a person's user record holds the role and access the trail's history gives them
    (or the trail never added them), else what differs: the check of a trail that holds no
    team seal yet (team_seal), where a role edited in the database was acted on (issue 16).
    The edited record's role is not said: it is no role of theirs. `people`: histories(),
    when many are asked about."""
    held = (people if people is not None else histories()).get(login)
    if held is None or (held.role == role and (held.active or not active)):
        return ""
    what = "role" if held.role != role else "access"
    return (f"their user record does not hold the {what} the trail's history gives them "
            f"(entry {held.since}): it was changed outside the app")


def first_not_as_history() -> tuple[int, str, str] | None:
    """The first person (by id) whose user record is not as the trail's history has it:
    (their id, login, what differs); None if everyone's is."""
    people = histories()
    for user in User.select(User.id, User.login, User.role, User.active).order_by(User.id):
        found = not_as_history(str(user.login), str(user.role), bool(user.active), people)
        if found:
            return int(user.id), str(user.login), found
    return None
