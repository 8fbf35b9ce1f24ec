"""The records of no one case, held to the audit trail by their hashes: the team's people and
the roles each has held (who may decide, who may sign), the Service Director's nominations to
decide appeals for a period, contacts logged for a customer on no case, and the service
areas (their names are printed on the evidence bundle and read as fact on screen).

A case's records are sealed into the latest entry about the case (audit_seals); these belong
to none, so a transaction that changed them seals them, as they stand when it is about to
commit, into its own last entry (one about no case if it wrote one: an entry about a case is
blanked when its file is destroyed, and the seal with it). `audit verify` holds them to the
latest entry holding their seal: a role edited, a grant or nomination deleted, a contact put
on no case in the database, no longer passes (v16b X5, S2).

A transaction that changes none of them writes no seal (they change seldom). One that does,
while they were changed outside the app since their seal, is refused (TeamChanged), as a save
to an edited case is: sealed over, the edit would pass for good. One that does not change them
goes through, and `audit verify` goes on naming the edit.

Contacts on no case are many (100,000 customers' 5,000,000 in the benchmarks), and were read
and hashed again at every save that wrote an entry: 7.5 minutes at a full core for the expiry
check's archive, and on PostgreSQL every row in Python's memory at once (issue 17). Since
version 3 they are sealed as a set (CONTACT_SET): their count, and a multiplicative set hash
(MuHash3072): each row's hash stretched to a number below a 3,072-bit prime, and the
product of them all modulo that prime. A save brings that up to date from the rows it wrote
alone (each contact written, as it was before the save first wrote it and as it is now:
db/contact_writes.py), never reading another: it divides out the rows that were on no case
and multiplies in those that are. Why a set hash and not buckets of ids under a top hash:
it needs no table of its own, no migration and no trigger on either engine, only the rows the
app itself wrote. Why a product modulo a large prime and not a sum of SHA-256 hashes modulo
2**256: rows whose hashes sum to nothing can be found cheaply (Wagner's generalised birthday:
a few thousand rows rewritten in the database, hours of a laptop), so an edit could be made to
pass; finding a product that comes out the same rests on discrete logarithms in a 3,072-bit
group. An edit made outside the app is never taken into the set (the save did not write
that row, or it divides out the edited row, which the set never held), so it goes on
differing, and
`audit verify`, which still hashes every contact on no case (as a stream), names it. The
price: the save-time refusal of a save over an edit made outside the app is no longer made
for these contacts (it would need every contact read); their edit is `audit verify`'s to
name, as it always was for a save that left them alone. Users, grants, nominations and areas
are still refused at save time. A version 2 seal holds the contacts as one hash over the rows
in id order ("contacts"): it is checked as it is, carried into the next seal while no save
changes a contact on no case, and replaced by the set (every row read once) at the first
save that does.

A database whose trail holds no such seal yet (written by an older version) has them counted
as not vouched for, in a note; the first change of any kind under this version seals them.
Until then each person's role and access are held to the trail's own history of them
(audit_roles.histories): a person whose record differs is refused, and nothing seals the
team's records over it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from peewee import Field, Model

from crm_tui.db import contact_writes
from crm_tui.db.committed import committed_view
from crm_tui.db.models import (
    TEAM_SEAL_MARK,
    TEAM_SEALED,
    AuditEntry,
    ContactLogEntry,
    Nomination,
    RoleGrant,
    ServiceArea,
    User,
)
from crm_tui.db.models import database_proxy as _db
from crm_tui.db.prepared import Prepared
from crm_tui.domain.errors import DomainError
from crm_tui.domain.typed_dates import quoted
from crm_tui.services.core import audit_roles, audit_seals, settings

KEY = "team"
# Version 2 holds the service areas as well ("areas"); a version 1 seal holds none, and its
# areas are not held to it (the next change of any kind seals them). Version 3 holds the
# contacts on no case as a set (CONTACT_SET), or carries a version 2 seal's "contacts".
VERSION = 3
CONTACT_SET = "contact_set"
CHAIN = "contacts"  # a version 1 or 2 seal's hash over the contacts in id order
# MuHash3072's prime (as Bitcoin Core hashes its set of unspent outputs): 2**3072 - 1103717.
_PRIME = 2 ** 3072 - 1103717
_BITS, _LOW, _FOLD = 3072, 2 ** 3072 - 1, 1103717


def _times(a: int, b: int) -> int:
    """a * b modulo _PRIME, for a and b below it: 2**3072 is 1103717 modulo the prime, so
    the high half folds onto the low one (twice as fast as `%` on this machine: 5,000,000
    rows are multiplied in at each `audit verify`)."""
    x = a * b
    x = (x >> _BITS) * _FOLD + (x & _LOW)
    x = (x >> _BITS) * _FOLD + (x & _LOW)
    return x - _PRIME if x >= _PRIME else x
# Every column, named (not read from the models as they stand: a column added later would
# change every hash, and every database sealed before would fail; it goes into a version 2).
SEALED: dict[type[Model], tuple[str, ...]] = {
    User: ("id", "login", "name", "title", "role", "service_area", "active", "staff_id",
           "os_account", "telephone", "email"),
    RoleGrant: ("id", "user", "role", "service_area", "granted_at", "granted_by", "ended_at",
                "reason"),
    Nomination: ("id", "nominee", "nominated_by", "nominated_at", "case", "valid_from",
                 "valid_until", "reason", "revoked_at", "revoked_by", "revoke_reason"),
    ServiceArea: ("id", "name"),
}
# Where a seal is looked for (`"team": {`, KEY's): only a key can hold these words unescaped
# in the JSON text of a payload (a quote inside a string is written \").
MARK = TEAM_SEAL_MARK


def _columns(model: type[Model]) -> tuple[Field, ...]:
    fields = model._meta.fields
    return tuple(fields[name] for name in SEALED[model])


# Sealed at every save: their SQL written once, a row read as before not hashed again
# (db/prepared.py, audit_seals.hashed_rows).
_USERS = Prepared(lambda _: User.select(*_columns(User)).order_by(User.id), kind=None)
_GRANTS = Prepared(lambda _: RoleGrant.select(*_columns(RoleGrant)).order_by(RoleGrant.id),
                   kind=None)
_NOMINATIONS = Prepared(lambda _: Nomination.select(*_columns(Nomination)).where(
    Nomination.case.is_null()).order_by(Nomination.id), kind=None)
_CONTACTS = Prepared(lambda _: ContactLogEntry.select(*audit_seals.contact_columns()).where(
    ContactLogEntry.case.is_null()).order_by(ContactLogEntry.id), kind=None)
_AREAS = Prepared(lambda _: ServiceArea.select(*_columns(ServiceArea)).order_by(ServiceArea.id),
                  kind=None)
_USER = Prepared(lambda user_id: User.select(*_columns(User)).where(
    User.id == user_id).limit(1))


# Each person's name as sealed, and a hash of each field of their record: a record edited in
# the database is then said by what differs ("its title and its role"), and the person by the
# name the trail last recorded, never the edited one (v16g G3: "Ceri Hughes-Forged … cannot
# act", with no word of which field). A seal without it (an older one) names no field.
PEOPLE = "people"
# How each field of SEALED[User] (after the id) is named.
_FIELD_WORDS = {"login": "login", "name": "name", "title": "title", "role": "role",
                "service_area": "service area", "active": "access (active or not)",
                "staff_id": "staff id", "os_account": "operating-system account",
                "telephone": "telephone", "email": "email"}
_people_known: dict[tuple[Any, ...], dict[str, Any]] = {}


def _field_hashes(values: tuple[Any, ...]) -> list[str]:
    # Short: they name which field differs; the whole record's hash ("users") vouches for it.
    return [audit_seals.row_hash((value,))[:16] for value in values]


def _person(row: tuple[Any, ...]) -> dict[str, Any]:
    known = _people_known.get(row)
    if known is None:
        if len(_people_known) >= 4096:
            _people_known.clear()
        known = _people_known[row] = {"name": str(row[2]), "fields": _field_hashes(row[1:])}
    return known


def _people() -> dict[str, dict[str, Any]]:
    return {str(row[0]): _person(row) for row in _USERS.rows()}


def _team() -> dict[str, Any]:
    """The hashes of the team's records as they stand, without the contacts on no case."""
    return {
        "v": VERSION,
        "users": dict(audit_seals.hashed_rows(_USERS, by_id=True)),
        PEOPLE: _people(),
        "grants": dict(audit_seals.hashed_rows(_GRANTS, by_id=True)),
        "nominations": dict(audit_seals.hashed_rows(_NOMINATIONS, by_id=True)),
        "areas": _areas(),
    }


def _areas() -> dict[str, str]:
    return dict(audit_seals.hashed_rows(_AREAS, by_id=True))


def seal() -> dict[str, Any]:
    """The hashes of the team's records, and of contacts on no case, as they stand: every
    contact on no case read (`audit verify`, and the first seal of a trail)."""
    return {**_team(), CONTACT_SET: contact_set()}


def _contact_hash(row: tuple[Any, ...]) -> int:
    """The row as a number below _PRIME: its hash as a row of a sheet, stretched to 3,072
    bits (SHAKE-256)."""
    stretched = hashlib.shake_256(audit_seals.row_hash(row).encode("ascii")).digest(384)
    return int.from_bytes(stretched, "big") % _PRIME or 1


def _as_set(count: int, product: int) -> list[Any]:
    return [count, f"{product % _PRIME:0768x}"]


@dataclass(frozen=True)
class _Change:
    """What a save's contacts change of the set of those on no case: how many more (or
    fewer), the product of the rows now on no case, and of those that were."""

    count: int = 0
    added: int = 1
    taken: int = 1

    @property
    def none(self) -> bool:
        return self.count == 0 and self.added % _PRIME == self.taken % _PRIME


def contact_set() -> list[Any]:
    """[count, the sum of their rows' hashes modulo 2**256] of every contact on no case,
    read as a stream (never every row in memory at once, nor remembered)."""
    found, read = _CONTACTS.streamed()
    count, product = 0, 1
    for row in found:
        product = _times(product, _contact_hash(read(row)))
        count += 1
    return _as_set(count, product)


def _contact_chain() -> list[Any]:
    """A version 2 seal's "contacts": one hash over the rows in id order, as a stream."""
    found, read = _CONTACTS.streamed()
    return audit_seals.sheet_of_hashes(audit_seals.row_hash(read(row)) for row in found)


# A contact's columns as the team's seal hashes them, by where each is in a row read with
# every column in the model's order (db/contact_writes.py).
_AT = tuple(ContactLogEntry._meta.sorted_field_names.index(field.name)
            for field in audit_seals.contact_columns())
_CASE_AT = ContactLogEntry._meta.sorted_field_names.index("case")
_CHUNK = 500


def _now_on_no_case(ids: list[int]) -> Any:
    """The rows of these contacts on no case, as they now stand (these alone are read)."""
    for start in range(0, len(ids), _CHUNK):
        yield from ContactLogEntry.select(*audit_seals.contact_columns()).where(
            ContactLogEntry.id.in_(ids[start:start + _CHUNK])
            & ContactLogEntry.case.is_null()).tuples().iterator()


def _change(written: dict[int, tuple[Any, ...] | None]) -> _Change:
    """What the contacts written change of the set of those on no case."""
    count, added, taken = 0, 1, 1
    for row in written.values():
        if row is not None and row[_CASE_AT] is None:
            count -= 1
            taken = _times(taken, _contact_hash(tuple(row[at] for at in _AT)))
    for row in _now_on_no_case(sorted(written)):
        count += 1
        added = _times(added, _contact_hash(tuple(row)))
    return _Change(count, added, taken)


def _contacts_part(kept: dict[str, Any], change: _Change) -> dict[str, Any] | None:
    """The contacts' part of the new seal, from `kept`'s and the save's change; None: it
    cannot be had from them (it holds no set: every row is read instead)."""
    held = kept.get(CONTACT_SET)
    if change.none:
        if isinstance(held, list) and len(held) == 2:
            return {CONTACT_SET: held}
        chain = kept.get(CHAIN)
        return {CHAIN: chain} if chain is not None else None
    if not (isinstance(held, list) and len(held) == 2 and isinstance(held[0], int)
            and isinstance(held[1], str)):
        return None
    try:
        product = int(held[1], 16)
    except ValueError:
        return None
    if not 0 < product < _PRIME:
        return None
    product = product * change.added % _PRIME * pow(change.taken, -1, _PRIME)
    return {CONTACT_SET: _as_set(held[0] + change.count, product)}


def holding_the_seal() -> Any:
    """The entries whose payload may hold the seal, newest first: read through their own
    index (db.models.TEAM_SEALED), not by scanning every payload since the last seal."""
    return (AuditEntry.select(AuditEntry.seq, AuditEntry.payload)
            .where(~AuditEntry.erased & TEAM_SEALED).order_by(AuditEntry.seq.desc()))


def latest() -> tuple[int, dict[str, Any]] | None:
    """The latest entry holding the seal, and the seal, if any."""
    for row in holding_the_seal().limit(5):
        kept = held(row.payload)
        if kept is not None:
            return int(row.seq), kept
    return None


def held(payload_text: str | None) -> dict[str, Any] | None:
    """The seal an entry's payload holds, or None."""
    try:
        payload = json.loads(payload_text or "{}")
    except ValueError:
        return None
    found = payload.get(KEY) if isinstance(payload, dict) else None
    return found if isinstance(found, dict) else None


_NAMES = (("users", "user"), ("grants", "role grant"), ("nominations", "nomination"))


def disagreement(seq: int, kept: dict[str, Any], *, contacts: bool = True) -> str:
    """'' if the records are as entry `seq` sealed them, else what differs, naming it.
    `contacts`: the contacts on no case too (every one of them read)."""
    now = _team()
    left = f"as entry {seq} left it"
    found = _areas_differ(seq, kept, now["areas"])
    if found:
        return found
    for key, name in _NAMES:
        held_now: dict[str, str] = now[key]
        was = kept.get(key)
        before: dict[str, Any] = was if isinstance(was, dict) else {}
        for number, value in held_now.items():
            if number not in before:
                return (f"{name} {number}{_who(key, number)} is not one entry {seq} recorded: "
                        "it was added outside the app")
            if before[number] != value:
                return (f"{name} {number}{_who(key, number)} is not {left}: "
                        f"{_what_changed(kept, key, number)} outside the app")
        for number in before:
            if number not in held_now:
                return f"{name} {number}, {left}, is gone: it was deleted"
    return _contacts_differ(left, kept) if contacts else ""


def _contacts_differ(left: str, kept: dict[str, Any]) -> str:
    """'' if the contacts on no case are as the seal holds them (as a set, or as a version 2
    seal's hash over them in order), else what differs: every one of them read."""
    key = CHAIN if CONTACT_SET not in kept and CHAIN in kept else CONTACT_SET
    now = contact_set() if key == CONTACT_SET else _contact_chain()
    had = kept.get(key)
    if now == had:
        return ""
    count = had[0] if isinstance(had, list) and had else "?"
    return (f"the contacts logged on no case are not {left} (there were {count}, there "
            f"are {now[0]} now): contacts were changed, added or deleted outside the app")


def _what_changed(kept: dict[str, Any], key: str, number: str) -> str:
    """"its name, its title and its role were changed" for a user whose seal holds field
    hashes, as the dialog says it (v16h H5: the dialog sent the administrator to `audit
    verify` "to see what was changed", and it named no field); "it was changed" else."""
    which = _fields_differing(kept, int(number), _USER.first(int(number))) \
        if key == "users" else ""
    if not which:
        return "it was changed"
    return f"{which} {'was' if ' and ' not in which else 'were'} changed"


def _areas_differ(seq: int, kept: dict[str, Any], now: dict[str, str]) -> str:
    """What differs in the service areas from entry `seq`'s seal, naming the area by number
    (its name as it now reads is quoted, never said as its name: it may be the forged one).
    An area added since, under a name the configuration lists, was added by the app at start
    (users.ensure_service_areas: no step records it) and is sealed by the next change."""
    was = kept.get("areas")
    if not isinstance(was, dict):
        return ""  # a version 1 seal: it held no areas
    configured = set(settings.current().service_areas)
    for number, value in now.items():
        name = ServiceArea.select(ServiceArea.name).where(
            ServiceArea.id == int(number)).scalar()
        if number not in was:
            if name in configured:
                continue
            return (f"service area {number} (its name reads {quoted(name)}) is not one entry "
                    f"{seq} recorded, nor one the configuration lists: it was added outside "
                    "the app")
        if was[number] != value:
            return (f"service area {number} is not as entry {seq} left it (its name now reads "
                    f"{quoted(name)}): it was changed outside the app")
    for number in was:
        if number not in now:
            return f"service area {number}, as entry {seq} left it, is gone: it was deleted"
    return ""


def area_not_as_left(area_id: int) -> str:
    """'' if the area is as the latest seal left it (or no seal holds areas yet), else what
    differs: an area renamed or inserted in the database is the trail's to name, not the
    configuration's, and its name goes on no record kept for good."""
    found = latest()
    was = found[1].get("areas") if found is not None else None
    if found is None or not isinstance(was, dict):
        return ""
    seq = found[0]
    name = ServiceArea.select(ServiceArea.name).where(ServiceArea.id == area_id).scalar()
    if name is None:
        return f"service area {area_id}, as entry {seq} left it, is gone: it was deleted"
    if str(area_id) not in was:
        return (f"service area {area_id} (its name reads {quoted(name)}) is not one entry "
                f"{seq} recorded: it was added outside the app")
    if was[str(area_id)] != audit_seals.row_hash((name,)):
        return (f"service area {area_id} is not as entry {seq} left it (its name now reads "
                f"{quoted(name)}): it was changed outside the app")
    return ""


def area_as_sealed(area_id: int) -> bool:
    return not area_not_as_left(area_id)


def areas_not_as_left() -> str:
    """'' if the service areas are as the latest seal left them (or no seal holds them yet),
    else what differs: what prints an area's name as fact asks first."""
    found = latest()
    if found is None:
        return ""
    return _areas_differ(found[0], found[1], _areas())


class AreasChanged(DomainError):
    """Something that prints service areas' names as fact was asked for while an area is not
    as the trail's seal left it: its name may be a forged one."""

    def __init__(self, what: str, found: str) -> None:
        super().__init__(
            f"{what} was not made: {found}. An area's name printed from the database now "
            f"could be one the trail never recorded: run `{audit_seals.AUDIT_VERIFY}` and "
            "have the change looked into.")
        self.found = found


def require_areas_as_left(what: str) -> None:
    """Refuse (AreasChanged) to make `what` while a service area is not as sealed."""
    found = areas_not_as_left()
    if found:
        raise AreasChanged(what, found)


def user_not_as_left(user_id: int) -> str:
    """'' if the person's own user record (their role, their area, whether active) is as the
    latest seal left it, or, where no seal holds it yet (an older version's trail), holds the
    role and access the trail's history gives them; else what differs. A role raised in the
    database let an officer sign and destroy a file as the Complaints Resolution Manager
    (v15c F0): `audit verify` named the edit, but the steps went through."""
    found = latest()
    if found is None:
        # No seal yet (an older version's trail): the trail's own history of roles is what
        # vouches for the person's role and access (an edited role was acted on, issue 16).
        row = User.select(User.login, User.role, User.active).where(
            User.id == user_id).tuples().first()
        return "" if row is None else audit_roles.not_as_history(*row)
    seq, kept = found
    sealed = kept.get("users")
    if not isinstance(sealed, dict):
        return ""
    was = sealed.get(str(user_id))
    if was is not None and was == _user_hash(user_id):
        return ""
    # Checked as the step writes its entry: the step may itself have changed the person's
    # record (their own telephone, say), sealed as it commits. What was committed before it
    # is what must agree.
    with committed_view(_db.obj) as viewing:
        if not viewing and _db.obj.in_transaction():
            return ""  # no second view: the step's own change cannot be told from an edit
        # In the view, or asked outside any write (the app's check at start): what is there
        # was committed.
        row = _USER.first(int(user_id))
    committed = None if row is None else audit_seals.row_hash(row[1:])
    if committed is None or committed == was:
        return ""
    if was is None:
        return f"their user record is not one entry {seq} recorded: it was added outside the app"
    which = _fields_differing(kept, user_id, row)
    if which:
        return (f"their user record is not as entry {seq} left it: {which} "
                f"{'was' if ' and ' not in which else 'were'} changed outside the app")
    return f"their user record is not as entry {seq} left it: it was changed outside the app"


def _fields_differing(kept: dict[str, Any], user_id: int, row: tuple[Any, ...] | None) -> str:
    """Which fields of the person's record differ from the seal's, in words ("its title and
    its role"); "" if the seal does not say (an older one)."""
    people = kept.get(PEOPLE)
    was = people.get(str(user_id)) if isinstance(people, dict) else None
    fields = was.get("fields") if isinstance(was, dict) else None
    names = SEALED[User][1:]
    if row is None or not isinstance(fields, list) or len(fields) != len(names):
        return ""
    now = _field_hashes(tuple(row[1:]))
    differ = [f"its {_FIELD_WORDS[name]}" for name, before, after in zip(
        names, fields, now, strict=True) if before != after]
    if not differ:
        return ""
    return differ[0] if len(differ) == 1 else ", ".join(differ[:-1]) + " and " + differ[-1]


def sealed_name(user_id: int) -> str | None:
    """The person's name as the latest seal recorded it (None: no seal records names)."""
    found = latest()
    people = found[1].get(PEOPLE) if found is not None else None
    was = people.get(str(user_id)) if isinstance(people, dict) else None
    name = was.get("name") if isinstance(was, dict) else None
    return name if isinstance(name, str) else None


def _user_hash(user_id: int) -> str | None:
    row = _USER.first(int(user_id))
    return None if row is None else audit_seals.row_hash(row[1:])


def _who(key: str, number: str) -> str:
    """A user named by login as well (the number alone says little)."""
    if key != "users":
        return ""
    login = User.select(User.login).where(User.id == int(number)).scalar()
    return f" ({login})" if login else ""


class TeamChanged(audit_seals.OutsideChange):
    """A save would seal the team's records while they were changed outside the app."""

    def __init__(self, found: str) -> None:
        DomainError.__init__(self, (
            f"Nothing was saved: {found}. The app does not save over a change made outside "
            "it, so that the audit trail goes on showing it: run "
            f"`{audit_seals.AUDIT_VERIFY}` and have the change looked into."))
        self.reference = ""
        self.found = found


def store(rows: list[AuditEntry]) -> int | None:
    """Called as the transaction is about to commit, before its entries are chained again:
    puts the seal into the payload of the entry it belongs in, when the transaction changed
    the records it covers (or no entry holds it yet); returns that entry's number, or None."""
    written = contact_writes.take()
    live = [row for row in rows if not row.erased]
    if not live:
        return None
    team = _team()
    change = None if written is None else _change(written)
    found = latest()
    base = found
    if audit_seals.erased_here():
        # The entry holding the seal may be one the save blanked: the seal it brings up to
        # date is the one last committed.
        with committed_view(_db.obj) as viewing:
            base = latest() if viewing else None
    part = None if base is None or change is None else _contacts_part(base[1], change)
    now = {**team, **(part if part is not None else {CONTACT_SET: contact_set()})}
    if found is not None and found[1] == now:
        return None
    if found is None and audit_roles.first_not_as_history() is not None:
        # The first seal of an older trail would vouch for a role edited in the database:
        # left unsealed, the person stays refused and `audit verify` goes on naming it.
        return None
    with committed_view(_db.obj) as viewing:
        if viewing:
            before = latest()
            # The contacts on no case are not compared here: that reads every one of them
            # (see the module's docstring); `audit verify` names an edit of them.
            problem = disagreement(*before, contacts=False) if before is not None else ""
            if problem:
                if _team() != team or change is None or not change.none:
                    raise TeamChanged(problem)
                return None  # this save left them alone: `audit verify` goes on naming it
    caseless = [row for row in live if not row.case_reference]
    row = (caseless or live)[-1]
    payload = json.loads(row.payload or "{}")
    payload[KEY] = now
    row.payload = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return int(row.seq)
