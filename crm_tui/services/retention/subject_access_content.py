"""A subject access export in words: the records gathered (subject_access.py) as the sections
of the person's PDF, in the policy's words, dates as "2 Dec 2026"; and the names of staff and
other people in them, for redaction review before release."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from crm_tui.db.models import ALL_MODELS, ServiceArea, User
from crm_tui.domain.categories import from_mask
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.equality import need_labels
from crm_tui.domain.escalations import EscalationKind
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.outcomes import AppealOutcome, ConsultationView
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.restrictions import describe as describe_terms
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.screening import ScreeningOutcome
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.letters.subject_access import Record, Section

Row = dict[str, Any]


def day(value: Any) -> str:
    """A date as people read it ("2 Dec 2026"; with the time, "2 Dec 2026 14:30")."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = (datetime.fromisoformat(value) if len(value) > 10
                     else date.fromisoformat(value))
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        return f"{in_prose(value)} {value:%H:%M}"
    if isinstance(value, date):
        return in_prose(value)
    return str(value)


def _label(kind: Callable[[str], Any], value: Any) -> str:
    try:
        return str(kind(value).label)
    except ValueError:
        return str(value or "")


def _categories(mask: Any) -> str:
    return ", ".join(c.label for c in from_mask(int(mask or 0)))


def _restriction_terms(row: Row) -> str:
    try:
        return describe_terms(RestrictionKind(row["kind"]), json.loads(row["parameters"]))
    except (ValueError, KeyError, TypeError):
        return ""


# Staff-typed and customer-typed text that may name other people.
FREE_TEXT = ("summary", "reason", "customer_reason", "grounds", "behaviour_details",
             "written_summary", "customer_summary", "text", "note", "view_text", "outcome",
             "description", "other_departments", "communication_style", "reasons",
             "proportionality", "evidence_note", "personal_circumstances",
             "reasonable_adjustments")


def _user_fields() -> dict[str, list[str]]:
    return {m._meta.table_name: [n for n, f in m._meta.fields.items()
                                 if getattr(f, "rel_model", None) is User] for m in ALL_MODELS}


def people_named(records: dict[str, list[Row]]) -> set[int]:
    """The staff the records point to (who recorded, decided, signed…)."""
    fields = _user_fields()
    return {int(row[f]) for table, rows in records.items() for row in rows
            for f in fields.get(table, []) if row.get(f)}


class Names:
    """Who is named where, for the redaction review."""

    def __init__(self, people: dict[int, User]) -> None:
        self.people = people
        # name -> the places it is found, as an ordered set (a dict): in the order of the
        # PDF, so a long list reads in date order, not the alphabet's "1 Dec, 1 Jan, 1 Jun".
        self.staff: dict[str, dict[str, None]] = {}
        self.others: dict[str, dict[str, None]] = {}
        self.in_text: dict[str, dict[str, None]] = {}
        self._user_fields = _user_fields()
        # One pattern for every member of staff, so that a long contact log is read once: a
        # full name in any capitals, a surname (over two letters) as written, with its capital.
        self._full: dict[str, tuple[str, ...]] = {}
        self._surnames: dict[str, tuple[str, ...]] = {}
        for person in people.values():
            words = person.name.split()
            if not words:
                continue
            full = " ".join(words).casefold()
            self._full[full] = (*self._full.get(full, ()), person.name)
            if len(words[-1]) > 2:
                self._surnames[words[-1]] = (*self._surnames.get(words[-1], ()), person.name)
        names = sorted({p.name for p in people.values() if p.name.split()}, key=len,
                       reverse=True)
        parts = [r"(?i:" + r"\s+".join(re.escape(w) for w in name.split()) + ")"
                 for name in names]
        parts += [re.escape(surname) for surname in self._surnames]
        self._pattern = re.compile(rf"(?<!\w)(?:{'|'.join(parts)})(?!\w)") if parts else None

    def note_row(self, table: str, row: Row, where: str) -> None:
        for field in self._user_fields.get(table, []):
            person = self.people.get(row.get(field) or 0)
            if person is not None:
                self.staff.setdefault(_staff_key(person), {})[where] = None
        for field in ("officer_name", "spoc_name", "passed_to"):
            text = str(row.get(field) or "").strip()
            if text:
                known = next((p for p in self.people.values()
                              if p.name.casefold() == text.casefold()), None)
                if known is not None:  # one line per member of staff, however named
                    self.staff.setdefault(_staff_key(known), {})[where] = None
                else:
                    self.others.setdefault(text, {})[where] = None
        if self._pattern is None:
            return
        for field in FREE_TEXT:
            text = str(row.get(field) or "")
            for match in self._pattern.finditer(text) if text else ():
                said = " ".join(match.group(0).split())
                for name in self._full.get(said.casefold(), self._surnames.get(said, ())):
                    self.in_text.setdefault(name, {})[f"{where} ({field})"] = None

    def review(self, customer: str, request: str, actor: Actor, now: datetime) -> str:
        def listed(title: str, found: dict[str, dict[str, None]], empty: str) -> list[str]:
            lines = [title]
            # Every place, one a line under its name: the reviewer redacts from this list,
            # so a count of the rest ("and 311 more") would leave them to search the JSON.
            for name in sorted(found):
                places = list(found[name])
                lines.append(f"  {name} — {len(places)} "
                             f"{'place' if len(places) == 1 else 'places'}:")
                lines.extend(f"      {place}" for place in places)
            return [*lines, f"  {empty}"] if not found else lines

        return "\n".join([
            f"REDACTION REVIEW — subject access request for {customer}",
            f"Prepared {day(now)} by {actor.name}, {actor.role.label}. Request: {request}",
            "NOT FOR RELEASE. Read the PDF and the JSON copy for the names below before they "
            "go to the person; redact what they may not have (other people's personal data).",
            "",
            *listed("Staff named in the records (who recorded, decided, signed, was the "
                    "officer):", self.staff, "(none)"),
            "",
            *listed("Other people named in the records (officer names typed in, single points "
                    "of contact, people concerns were passed to):", self.others, "(none)"),
            "",
            *listed("Staff named in free text (summaries, reasons, grounds, notes):",
                    self.in_text, "(none found)"),
            "",
            "The app does not mark other people named in free text (contact summaries, "
            "grounds, notes, documents): read those in full. Records of police involvement, "
            "legal action or a risk to staff may fall under an exemption: decide before "
            "release.",
            "",
        ])


# Each section's own date: its records are listed in that order. Documents keep the order
# they were added in, which numbers them in the documents folder and the JSON copy.
_DATED_BY = {"local_resolution": "written_on", "prior_warning": "given_on",
             "referral": "received_on", "contact_log_entry": "at", "breach": "recorded_at",
             "consultation": "consulted_on", "decision": "decided_at", "letter": "written_on",
             "appeal": "received_on", "review": "due_on", "extension_proposal": "proposed_at",
             "screening_item": "arrived_at", "case_note": "recorded_at",
             "escalation": "occurred_on"}


def _staff_key(person: User) -> str:
    return f"{person.name} ({_label(Role, person.role)})"


def _records(rows: list[Row], heading: Callable[[Row], str],
             lines: Callable[[Row], list[tuple[str, str]]], table: str, names: Names) -> \
        list[Record]:
    found = []
    for row in rows:
        title = heading(row)
        names.note_row(table, row, title)
        found.append(Record(title, lines(row)))
    return found


def _towards_you(direction: Any) -> str:
    """A contact's direction said to the person ("From customer" is the officers' word)."""
    try:
        return "from you" if Direction(direction) is Direction.INBOUND else "to you"
    except ValueError:
        return str(direction)


# PriorWarning.means of a warning given in the local-resolution letter (intake.prior_warnings,
# a stage this one does not import; restrictions.extreme_case reads it the same way).
IN_LETTER = "local_resolution_letter"


def _warning(row: Row) -> list[tuple[str, str]]:
    """A warning, told to the person it warned. One given in the local-resolution letter is
    recorded in the app's own words about 'the customer' (prior_warnings.IN_LETTER_SUMMARY):
    said here to them, as the letter said it. A separate warning letter's summary is a
    person's record of it, shown as recorded (the JSON copy keeps both as held)."""
    if row["means"] == IN_LETTER:
        return [("How", "in the local-resolution letter written to you"),
                ("What you were told", "that if the behaviour the letter described "
                                       "continued, the council might restrict how you "
                                       "contact it")]
    return [("How", "in a separate warning letter to you"),
            ("What the letter said, as recorded", row["summary"])]


def describe(customer: Any, records: dict[str, list[Row]], people: dict[int, User],
             request: str, actor: Actor, now: datetime) -> tuple[list[Section], str]:
    """The PDF's sections and the redaction review's text."""
    names = Names(people)
    areas = {a.id: a.name for a in ServiceArea.select()}
    cases = {r["id"]: r["reference"] for r in records["case"]}
    matters = {r["id"]: r["title"] for r in records["matter"]}

    def who(user_id: Any) -> str:
        person = people.get(user_id or 0)
        return person.name if person else ""

    def case(row: Row) -> str:
        return str(cases.get(row.get("case"), ""))

    me = records["customer"][0]
    names.note_row("customer", me, "your details")
    sections = [Section("Your details", records=[Record(f"{me['name']} ({me['reference']})", [
        ("Postal address", ", ".join(str(me["address"]).splitlines())),
        ("Postcode", me["postcode"]), ("Email", me["email"]), ("Telephone", me["telephone"]),
        ("Written to as", me["form_of_address"]), ("Language", me["language"]),
        ("Large print", f"{me['large_print_pt']} pt" if me["large_print_pt"] else ""),
        ("Personal circumstances", me["personal_circumstances"]),
        ("Reasonable adjustments", me["reasonable_adjustments"]),
        ("Contact needs", need_labels(str(me["contact_needs"] or ""))),
        ("Genuine ongoing or multiple problems", "Yes" if me["genuine_ongoing_problems"]
         else ""),
        ("Record made", day(me["created_at"]))])])]

    def add(title: str, table: str, heading: Callable[[Row], str],
            lines: Callable[[Row], list[tuple[str, str]]], intro: str = "") -> None:
        rows = records.get(table, [])
        when = _DATED_BY.get(table)
        if when is not None:  # in the order things happened, as the person will read it
            rows = sorted(rows, key=lambda r: (str(r[when] or "~"), r["id"]))
        sections.append(Section(title, intro, _records(rows, heading, lines, table, names)))

    # When restrictions were first imposed on each case, not the start of their latest terms
    # (found when tried: an extension's date was given as the day they began).
    first: dict[Any, Any] = {}
    for row in records.get("restriction", []):
        if row["status"] != "draft" and row["starts_on"] is not None:
            held = first.get(row["case"])
            first[row["case"]] = row["starts_on"] if held is None else min(held,
                                                                           row["starts_on"])

    def restricted_from(r: Row) -> str:
        began, latest = first.get(r["id"]), r["restrictions_start"]
        if began is None or latest is None or began == latest:
            return day(latest or began)
        return f"{day(began)} (its latest terms from {day(latest)})"

    add("Your cases", "case", lambda r: f"Case {r['reference']}", lambda r: [
        ("Service area", areas.get(r["service_area"], "")),
        ("Where it stands", _label(CaseState, r["state"])), ("Opened", day(r["opened_on"])),
        ("Restrictions from", restricted_from(r)),
        ("Restrictions until", day(r["restrictions_end"])),
        ("Review due", day(r["review_due"])), ("Ended", day(r["ended_on"])),
        ("To be destroyed after", day(r["destroy_after"]))])
    add("Local resolution", "local_resolution",
        lambda r: f"Written to you on {day(r['written_on'])} ({case(r)})", lambda r: [
            ("What you were told", r["customer_summary"]),
            ("The concerns recorded", r["written_summary"]),
            ("Single point of contact", r["spoc_name"] or who(r["spoc"])),
            ("Contact", r["contact_frequency"]),
            ("Communication style", r["communication_style"]),
            ("Monitoring period", f"{day(r['monitoring_start'])} to "
                                  f"{day(r['monitoring_end'])}")])
    add("Warnings", "prior_warning", lambda r: f"Warning of {day(r['given_on'])} ({case(r)})",
        _warning, "When you were told in writing that the council might restrict how you "
        "contact it.")
    add("Referrals", "referral", lambda r: f"Referral received {day(r['received_on'])} "
                                           f"({case(r)})", lambda r: [
        ("Referred by", who(r["referred_by"])),
        ("Service area", areas.get(r["service_area"], "")),
        ("Behaviour described", r["behaviour_details"]),
        ("Behaviours", _categories(r["categories"])), ("Other", r["other_behaviour"]),
        ("Other departments affected", r["other_departments"])])
    add("Logged contacts", "contact_log_entry",
        lambda r: f"Contact, {day(r['at'])}" + (f" ({case(r)})" if case(r) else ""),
        lambda r: [
            ("How", f"{_label(Channel, r['channel'])}, {_towards_you(r['direction'])}"),
            ("Service area", areas.get(r["service_area"], "")),
            ("Officer", r["officer_name"]),
            ("Length", f"{r['duration_minutes']} minutes" if r["duration_minutes"] else ""),
            ("Summary", r["summary"]), ("Behaviours recorded", _categories(r["categories"])),
            ("Matter", matters.get(r["matter"], ""))],
        "Every contact with the council recorded on a log sheet.")
    add("Contacts that did not keep to a restriction", "breach",
        lambda r: f"Recorded {day(r['recorded_at'])}", lambda r: [("Why", r["reason"])])
    add("Matters you raised", "matter", lambda r: f"{r['title']} ({case(r)})", lambda r: [
        ("Closed", day(r["closed_on"])), ("Outcome", r["outcome"])])
    add("Documents held as evidence", "evidence_item",
        lambda r: f"{r['original_name']} ({case(r)})", lambda r: [
            ("Added", day(r["added_at"])),
            ("Description, as recorded", r["description"]),
            ("Behaviours", _categories(r["categories"])), ("Size", f"{r['size']} bytes"),
            ("SHA-256", r["sha256"])],
        "A copy of each, numbered in this order, is given with this (the documents folder).")
    add("Consultations with the Head of Service", "consultation",
        lambda r: f"View of {day(r['consulted_on'])} ({case(r)})", lambda r: [
            ("View", _label(ConsultationView, r["view"])), ("What they said", r["view_text"])])
    add("Decisions", "decision",
        lambda r: f"{_label(Action, r['action'])}, {day(r['decided_at'])} ({case(r)})",
        lambda r: [("Decided by", who(r["decided_by"])), ("Why, as you were told", r[
            "customer_reason"]), ("The reasons recorded", r["reason"]),
            ("From", day(r["effective_from"])), ("Until", day(r["ends_on"])),
            ("Review due", day(r["review_due"]))])
    add("Restrictions", "restriction", lambda r: f"{_label(RestrictionKind, r['kind'])} "
                                                 f"({case(r)})", lambda r: [
        ("Terms", _restriction_terms(r)), ("Status", str(r["status"]).replace("_", " ")),
        ("From", day(r["starts_on"])), ("Until", day(r["ends_on"])),
        ("Why, as you were told", r["customer_reason"]), ("The reasons recorded", r["reason"]),
        ("Why it is proportionate, as recorded", r["proportionality"])])
    add("Letters", "letter", lambda r: f"{_label(LetterKind, r['kind'])} ({case(r)})",
        lambda r: [("Status", str(r["status"]).replace("_", " ")),
                   ("Dated", day(r["written_on"])), ("Signed", day(r["signed_at"])),
                   ("Posted", day(r["posted_on"])), ("Note", r["note"])])
    add("Appeals", "appeal", lambda r: f"Appeal received {day(r['received_on'])} ({case(r)})",
        lambda r: [("Your grounds, as recorded", r["grounds"]), ("Due", day(r["due_on"])),
                   ("Outcome", _label(AppealOutcome, r["outcome"]) if r["outcome"]
                    else "not yet decided"), ("Decided", day(r["decided_at"])),
                   ("Why, as you were told", r["customer_reason"]),
                   ("The reasons recorded", r["reason"])])
    add("Reviews", "review", lambda r: f"Review due {day(r['due_on'])} ({case(r)})",
        lambda r: [("Outcome", str(r["outcome"]).replace("_", " ")),
                   ("Decided", day(r["decided_at"])), ("Reasons", r["reason"]),
                   ("Comments by", day(r["reply_by"]))])
    add("Proposals you were invited to comment on", "extension_proposal",
        lambda r: f"Proposal of {day(r['proposed_at'])} ({case(r)})",
        lambda r: [("Why, as you were told", r["customer_reason"]),
                   ("Until", day(r["ends_on"])), ("Comments by", day(r["reply_by"]))])
    add("Post read after it was filed without reply", "screening_item",
        lambda r: f"Item of {day(r['arrived_at'])} ({case(r)})", lambda r: [
            ("Outcome", _label(ScreeningOutcome, r["outcome"]) if r["outcome"]
             else "not yet read"), ("Note", r["note"]), ("Passed to", r["passed_to"])])
    add("Notes on your file", "case_note", lambda r: f"Note of {day(r['recorded_at'])} "
                                                     f"({case(r)})",
        lambda r: [("Note", r["text"])])
    add("Records of police involvement, legal action or a risk to staff", "escalation",
        lambda r: f"{_label(EscalationKind, r['kind'])}, {day(r['occurred_on'])} ({case(r)})",
        lambda r: [("Reference", r["reference"]), ("Note", r["note"])])
    for table in ("nomination", "evidence_link", "review_session", "no_prior_warning"):
        for row in records.get(table, []):
            names.note_row(table, row, f"{table.replace('_', ' ')} {row.get('id')}")
    review = names.review(f"{me['name']} ({me['reference']})", request, actor, now)
    return sections, review
