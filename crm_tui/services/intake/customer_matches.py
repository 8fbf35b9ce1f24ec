"""Customers already on record who are likely the person a new referral names: the same
postcode and surname, or the same name and first line of address (case, spaces and titles
aside). A second record for one person splits what is held about them: a subject access
request would miss a case, and a file's destruction could not see restrictions on the other
(found when tried, b16f F6). So a referral naming a likely match is never saved as a new
customer until someone says which: the same person (their reference) or a different one.

A service area manager sees their own area's cases only (domain/scope.py), and the match
keeps to that: a customer whose cases are all in other areas is shown to them as "a customer
with a case in another service area", with no reference, name, address or case beyond what
they typed (and why it matched); one with cases in their area is shown whole, with only those
cases named and the others counted. Only such a customer may they say is the same person:
linking a referral to another area's customer would open that customer's record to them in
the new case (v16h H0: their address, telephone and circumstances), so that match is one the
Complaints Resolution Team links, the referral is recorded as a new person, and the audit
entry names the customer it may be, for the team to see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crm_tui.db import dialect, server_roles
from crm_tui.db.models import Case, Customer, database_proxy
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.roles import Actor
from crm_tui.domain.scope import case_scope
from crm_tui.domain.typed_dates import quoted_cut
from crm_tui.domain.wording import TITLES
from crm_tui.services.core import scope
from crm_tui.services.core.inputs import CustomerInput

# Words before a name that do not tell two people apart ("Mr Desmond …" is "Desmond …").
_TITLES = {t.casefold() for t in TITLES}


@dataclass(frozen=True)
class LikelyMatch:
    """A customer on record who may be the person named: shown before saving."""

    reference: str
    name: str
    address: tuple[str, ...]
    postcode: str
    why: str  # "same postcode and surname", "same name and first line of address"
    cases: tuple[str, ...]  # their case references the person asking may see
    # Their cases in service areas the person asking may not see (a manager's): counted only.
    elsewhere: int = 0

    @property
    def withheld(self) -> bool:
        """Nothing of this customer is the asker's to see: every case is another area's.
        Reference, name and address are then never said (the reference is kept only to
        link the referral should they say it is the same person)."""
        return self.elsewhere > 0 and not self.cases

    @property
    def _elsewhere(self) -> str:
        return ("a case in another service area" if self.elsewhere == 1 else
                f"{self.elsewhere} cases in other service areas")

    @property
    def described(self) -> str:
        """"C000002, Mr Desmond Arkwright-Pole, 126 Orchard Vale, NM4 6GR (same name and
        first line of address; case UPV-2019-0002)"; to a manager, of a customer of other
        areas only: "a customer with a case in another service area (same postcode and
        surname)"."""
        if self.withheld:
            return f"a customer with {self._elsewhere} ({self.why})"
        where = ", ".join([*self.address[:1], *([self.postcode] if self.postcode else [])])
        cases = (f"{'case' if len(self.cases) == 1 else 'cases'} {', '.join(self.cases)}"
                 if self.cases else "no case")
        if self.elsewhere:
            cases += f", and {self._elsewhere}"
        return f"{self.reference}, {self.name}{', ' + where if where else ''} " \
               f"({self.why}; {cases})"


class LikelyMatches(ValidationError):
    """A new customer's details match customers on record: say which person this is."""

    def __init__(self, matches: list[LikelyMatch]) -> None:
        self.matches = matches
        said = "; ".join(m.described for m in matches)
        ask = ("Say whether this is the same person or a different one" if linkable(matches)
               else OTHER_AREAS_LINK)
        super().__init__("customer", f"may be a customer already on record: {said}. {ask}")


# What a manager is told of a match they may not link (v16h H0).
OTHER_AREAS_LINK = ("Only the Complaints Resolution Team can link a referral to a customer of "
                    "another service area: such a referral is recorded as a new person, and "
                    "its audit entry names the customer it may be, for the team to link if "
                    "it is")


def linkable(matches: list[LikelyMatch]) -> list[LikelyMatch]:
    """The matches the person asking may say are the same person: those not withheld."""
    return [m for m in matches if not m.withheld]


def _words(text: str) -> list[str]:
    return [w.strip(".,") for w in text.casefold().split() if w.strip(".,")]


def _name(text: str) -> tuple[str, ...]:
    words = _words(text)
    while len(words) > 1 and words[0] in _TITLES:
        words = words[1:]
    return tuple(words)


def _postcode(text: str) -> str:
    return "".join(text.split()).upper()


def _first_line(lines: Any) -> str:
    first = next((line for line in lines if line.strip()), "")
    return " ".join(_words(first))


def likely_matches(data: CustomerInput, actor: Actor | None = None) -> list[LikelyMatch]:
    """The customers on record who may be the person `data` describes (none for a customer
    given by reference). Archived customers count: their files are still held. With
    `actor`, as that person may see them (the module's note)."""
    scope = case_scope(actor) if actor is not None else None
    if data.reference:
        return []
    name = _name(data.name)
    if not name:
        return []
    postcode = _postcode(data.postcode)
    first = _first_line(data.address)
    found: list[LikelyMatch] = []
    ids: list[int] = []
    for row in Customer.select(Customer.id, Customer.reference, Customer.name,
                               Customer.address, Customer.postcode).order_by(Customer.id):
        theirs = _name(row.name)
        if not theirs:
            continue
        lines = tuple(line for line in str(row.address or "").split("\n") if line.strip())
        if postcode and _postcode(row.postcode or "") == postcode and theirs[-1] == name[-1]:
            why = "same postcode and surname"
        elif first and theirs == name and _first_line(lines) == first:
            why = "same name and first line of address"
        else:
            continue
        # Read unscoped on purpose: a case the asker may not see still makes them the same
        # person; what is said of it is narrowed below.
        theirs_all = list(Case.select(Case.reference, Case.service_area)
                          .where(Case.customer == row.id).order_by(Case.reference))
        seen = tuple(str(c.reference) for c in theirs_all
                     if scope is None or scope.includes(c.service_area_id))
        # On a server a manager's login reads its own area's cases alone (row-level
        # security): the others are counted by the server's function.
        every = None if dialect.is_sqlite() else server_roles.customer_case_count(
            database_proxy.obj, int(row.id))
        ids.append(int(row.id))
        found.append(LikelyMatch(str(row.reference), str(row.name), lines,
                                 str(row.postcode or ""), why, seen,
                                 elsewhere=(len(theirs_all) if every is None else every)
                                 - len(seen)))
    if not dialect.is_sqlite():
        # On a server a manager's login does not read a customer whose every case is another
        # area's (row-level security): the server's function names such a match, and how many
        # cases they have, nothing more; they are told of it as on a file, withheld.
        withheld = server_roles.withheld_matches(database_proxy.obj, postcode, name, first,
                                                 tuple(sorted(_TITLES)))
        for customer_id, reference, cases, by_postcode in withheld:
            why = ("same postcode and surname" if by_postcode
                   else "same name and first line of address")
            ids.append(customer_id)
            found.append(LikelyMatch(reference, "", (), "", why, (), elsewhere=cases))
        if withheld:  # in the order of the customers' records, as on a file
            found = [match for _, match in sorted(zip(ids, found, strict=True),
                                                  key=lambda pair: pair[0])]
    return found


def named_customer(actor: Actor, data: CustomerInput) -> Customer:
    """The customer on record a referral names by reference, as `actor` may name them: one
    they may reach (scope.may_name: a manager, a customer with a case in their own area).
    Any other reference is refused in the words an unknown one is, so that a manager who
    knows another area's customer reference learns nothing from trying it, and cannot
    attach a referral to them, even as the answer "the same person" to a likely match (v16h
    H0: the new case would have shown them that customer's record)."""
    typed = data.reference.strip().upper()
    customer = Customer.get_or_none(Customer.reference == typed)
    if customer is not None and scope.may_name(actor, customer.id):
        return customer
    raise ValidationError("customer", f"no customer {quoted_cut(data.reference)}")


def check_new_customer(data: CustomerInput | None,
                       actor: Actor | None = None) -> list[LikelyMatch]:
    """Raises LikelyMatches for a new customer who may be on record (told as `actor` may
    see them), unless the person saving has said it is a different person; returns the
    matches they were shown (for the audit entry). A customer named by reference alone
    must be one `actor` may name (named_customer)."""
    if data is not None and data.reference and not data.same_as_match:
        if actor is not None:
            named_customer(actor, data)
        return []
    if data is None:
        return []
    if data.same_as_match:
        if actor is not None:
            named_customer(actor, data)
        matches = likely_matches(CustomerInput(name=data.name, address=data.address,
                                               postcode=data.postcode), actor)
        # Only a customer offered as likely the same person may be chosen as them: the
        # choice is no way to a record the person saving could not otherwise name.
        if data.reference.strip().upper() not in {m.reference for m in matches
                                                   if not m.withheld}:
            raise ValidationError("customer", "is no longer shown as likely the same person "
                                  "as a customer on record: say again which person this is")
        return matches
    matches = likely_matches(data, actor)
    if matches and not data.new_person:
        raise LikelyMatches(matches)
    return matches


def audit_payload(data: CustomerInput | None, matches: list[LikelyMatch]) -> dict[str, Any]:
    """What the audit entry records of the choice: which customers were shown as likely the
    same person, and what the person saving said."""
    if data is None or not (matches or data.same_as_match):
        return {}
    # A match of another area's customer only (withheld from a manager) is named apart: the
    # manager could not link it, and the team may (v16h H0).
    others = {"other_areas_only": [m.reference for m in matches if m.withheld]} \
        if any(m.withheld for m in matches) else {}
    if data.same_as_match:
        return {"customer_match": {"said": "the same person",
                                   "customer": data.reference.strip().upper(),
                                   "likely": [m.reference for m in matches], **others}}
    return {"customer_match": {"said": "a different person",
                               "likely": [m.reference for m in matches], **others}}

