"""Issue 13, item 10: a service area manager sees their own area's cases only, and the user
administrator no case, on every read path — every read service and every command, walked on
the demo database (cases in several service areas) as the manager of one area. No customer's
name or reference, nor a case reference, from another area may appear anywhere."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from crm_tui.cli import main
from crm_tui.db.models import Case, Customer, ServiceArea
from crm_tui.domain.contact import Channel
from crm_tui.domain.errors import NotFound, NotKnown, PermissionDenied
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor
from crm_tui.domain.states import IN_FORCE_STATES
from crm_tui.services.core import audit
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.evidence import analysis, bundle, documents, log_sheet, matters, tagging
from crm_tui.services.evidence.tagging import EvidenceKind
from crm_tui.services.intake import case_file, inbox, queries, referrals
from crm_tui.services.letters import issuing
from crm_tui.services.restrictions import builder, compliance, register
from crm_tui.services.reviews import calendar, review_session

HOUSING_MANAGER = "hannah.okafor"  # Housing Services
BENEFITS_MANAGER = "liam.doyle"  # Council Tax and Benefits
ADMIN = "morgan.price"
EVERYTHING = (date(1900, 1, 1), date(2100, 1, 1))


@dataclass(frozen=True)
class Sight:
    """What one person may see of the demo, and what they must not, worked out here from the
    database itself (not from the scoping code under test)."""

    seen_refs: list[str]  # case references in their area
    hidden_refs: list[str]  # case references outside it
    hidden_words: list[str]  # those, and the names and references of customers outside it
    seen_names: list[str]

    def leaks(self, text: str) -> list[str]:
        return [w for w in self.hidden_words if re.search(rf"\b{re.escape(w)}\b", text)]


def sight(area: str | None) -> Sight:
    """For a manager of `area`; None for someone who sees no case."""
    cases = list(Case.select(Case, ServiceArea).join(ServiceArea))
    mine = [c for c in cases if area is not None and c.service_area.name == area]
    theirs = [c for c in cases if c not in mine]
    mine_customers = {c.customer_id for c in mine}
    seen_names = {c.customer.name for c in mine}
    hidden_customers = [Customer.get_by_id(c.customer_id) for c in theirs
                        if c.customer_id not in mine_customers]
    # A name shared by two people (one on each side) proves nothing either way.
    words = [c.reference for c in theirs]
    words += [p.reference for p in hidden_customers]
    words += [p.name for p in hidden_customers if p.name not in seen_names]
    return Sight([c.reference for c in mine], [c.reference for c in theirs], words,
                 sorted(seen_names))


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _refused(read: Callable[[], object]) -> object:
    """A read the person may not make at all shows them nothing."""
    try:
        return read()
    except PermissionDenied as exc:
        return f"refused: {exc}"


def read_everything(actor: Actor, folder: Path) -> str:
    """Every list, count, search, calendar, register and export, as this person."""
    spec = inbox.InboxFilter
    out: list[object] = [
        queries.dashboard(actor),
        queries.list_cases(actor),
        queries.tombstones(actor),
        inbox.tab_counts(actor, spec()),
        [inbox.page(actor, spec(tab=tab), size=5_000) for tab in inbox.Tab],
        referrals.form_options(actor).in_local_resolution,
        [calendar.month(actor, 2026, m) for m in range(1, 13)],
        calendar.items(actor, *EVERYTHING, overdue_from=EVERYTHING[0]),
        calendar.overdue(actor, date(2026, 11, 28), 10_000),
        audit.recent(actor, 1_000_000),
        issuing.register(actor),
        issuing.drafts(actor),
        _refused(lambda: register.staff_register(actor)),
        review_session.due_for_review(actor, EVERYTHING[1]),
        documents.verify_store(actor),
    ]
    calendar.export_ics(actor, folder / "calendar.ics")
    out.append((folder / "calendar.ics").read_text())
    pdf = _refused(lambda: register.export_register(actor, folder, "Council"))
    out.append(_pdf_text(pdf) if isinstance(pdf, Path) else pdf)
    return "\n".join(repr(o) for o in out)


def searches(actor: Actor, hidden: Sight) -> str:
    """The inbox search, for every name and reference the person must not find."""
    found = []
    for word in hidden.hidden_words:
        found += inbox.page(actor, inbox.InboxFilter(search=word), size=50).rows
    return repr(found)


def one_case_reads(actor: Actor, reference: str) -> list[Callable[[], object]]:
    """Every read of one case: each must refuse a case outside the person's sight."""
    f = log_sheet.ContactFilter(*EVERYTHING)
    return [
        lambda: case_file.case_file(actor, reference),
        lambda: log_sheet.page(actor, reference, f),
        lambda: analysis.analyse(actor, reference),
        lambda: analysis.default_period(actor, reference),
        lambda: documents.list_documents(actor, reference),
        lambda: documents.search(actor, reference, "email"),
        lambda: matters.list_matters(actor, reference),
        lambda: bundle.bundle_content(actor, reference, "Council"),
        lambda: builder.builder_view(actor, reference),
        lambda: issuing.kinds_for(actor, reference),
        lambda: issuing.preview(actor, reference, LetterKind.DECISION),
        lambda: issuing.register(actor, reference),
        lambda: review_session.facts(actor, reference),
        lambda: tagging.link_targets(actor, reference, EvidenceKind.CONTACT, 1),
    ]


@pytest.mark.parametrize("login,area", [(HOUSING_MANAGER, "Housing Services"),
                                        (BENEFITS_MANAGER, "Council Tax and Benefits"),
                                        (ADMIN, None)])
def test_every_read_service_shows_only_what_the_person_may_see(
        demo: Path, tmp_path: Path, login: str, area: str | None) -> None:
    actor = resolve_actor(login)
    seen = sight(area)
    assert seen.hidden_refs, "the demo must have cases outside this person's sight"
    text = read_everything(actor, tmp_path)
    assert seen.leaks(text) == []
    assert seen.leaks(searches(actor, seen)) == []
    if area is not None:
        # The walk read real things: the manager's own customers are all there.
        assert seen.seen_refs and all(ref in text for ref in seen.seen_refs)
        assert any(name in text for name in seen.seen_names)
    for reference in seen.hidden_refs:
        for read in one_case_reads(actor, reference):
            with pytest.raises((PermissionDenied, NotFound)):
                read()


def test_home_counts_are_the_areas_own(demo: Path) -> None:
    manager = resolve_actor(HOUSING_MANAGER)
    housing = Case.select().join(ServiceArea).where(ServiceArea.name == "Housing Services")
    in_force = housing.where(Case.state.in_([s.value for s in IN_FORCE_STATES])).count()
    counts = queries.dashboard(manager)
    assert counts.restrictions_in_force == in_force
    assert counts.restrictions_in_force < queries.dashboard(resolve_actor("ceri.hughes")) \
        .restrictions_in_force
    assert set(asdict(queries.dashboard(resolve_actor(ADMIN))).values()) == {0}


def test_the_audit_trail_by_role(demo: Path) -> None:
    everything = audit.recent(resolve_actor("ceri.hughes"), 1_000_000)
    assert any(not r.case_reference for r in everything)
    manager = audit.recent(resolve_actor(HOUSING_MANAGER), 1_000_000)
    housing = set(sight("Housing Services").seen_refs)
    assert manager and {r.case_reference for r in manager} <= housing
    # The administrator sees the administration of users, and no case's entries.
    admin = audit.recent(resolve_actor(ADMIN), 1_000_000)
    assert admin and all(r.case_reference == "" for r in admin)
    assert {r.action for r in admin} >= {"add_user"}


def _customers_of(area: str) -> set[int]:
    return {c.customer_id for c in Case.select().join(ServiceArea).where(
        ServiceArea.name == area)}


def test_check_contact_answers_only_for_the_areas_customers(demo: Path) -> None:
    manager = resolve_actor(HOUSING_MANAGER)
    housing = _customers_of("Housing Services")
    mine = Customer.get_by_id(min(housing))
    other = Customer.select().where(Customer.id.not_in(list(housing))).first()
    when = datetime(2026, 12, 1, 14, 30)
    compliance.would_comply(manager, compliance.ContactQuestion(mine.reference,
                                                                Channel.LETTER, when))
    for actor in (manager, resolve_actor(ADMIN)):
        with pytest.raises(NotKnown, match=f'no customer or case "{other.reference}"'):
            compliance.would_comply(actor, compliance.ContactQuestion(
                other.reference, Channel.TELEPHONE, when))


def test_every_command_shows_only_the_areas_cases(demo: Path, tmp_path: Path) -> None:
    seen = sight("Housing Services")
    runner = CliRunner()
    as_manager = ["--db", str(demo), "--user", HOUSING_MANAGER]
    outputs = []
    for command in (["cases"], ["cases", "--json"], ["letters", "list"], ["register"],
                    ["register", "--pdf", "--out", str(tmp_path)],
                    ["calendar", "export", "--ics", str(tmp_path / "cal.ics")],
                    ["evidence", "verify"]):
        result = runner.invoke(main, [*command, *as_manager])
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            result.output
        outputs.append(result.output)
    outputs.append((tmp_path / "cal.ics").read_text())
    outputs += [_pdf_text(p) for p in tmp_path.glob("staff-register-*.pdf")]
    text = "\n".join(outputs)
    assert seen.leaks(text) == []
    assert all(ref in text for ref in seen.seen_refs)
    hidden_case = seen.hidden_refs[0]
    hidden_customer = Case.get(Case.reference == hidden_case).customer.reference
    for command in (["letters", "list", "--case", hidden_case],
                    ["evidence", "bundle", hidden_case, "--out", str(tmp_path)],
                    ["check-contact", "--customer", hidden_customer, "--channel", "phone",
                     "--at", "2026-12-01 14:30"]):
        result = runner.invoke(main, [*command, *as_manager])
        # check-contact's 1 says a breach: a question it cannot answer is 2
        assert result.exit_code == (2 if command[0] == "check-contact" else 1), result.output
        assert "own service area" in result.output or "no customer" in result.output
        assert Case.get(Case.reference == hidden_case).customer.name not in result.output
    admin = runner.invoke(main, ["cases", "--db", str(demo), "--user", ADMIN])
    assert admin.exit_code == 0  # said, and true for them: not "No cases yet."
    assert admin.output.strip() == "No cases are listed: the user administrator acts on no case."


# Modules that select cases without narrowing them by what the actor may see, and why that
# is right. A new read of cases elsewhere must use services/core/scope.visible (or open one
# case through case_steps.load_case).
UNSCOPED_ON_PURPOSE = {
    "retention/archive.py": "destroy: whether the customer has other files, to keep them, "
                            "or restrictions on one (nothing is destroyed while they last)",
    "core/audit_records.py": "audit verify: every document and letter held to the entry "
                             "that made them, as the whole chain is; a disagreement is named "
                             "by case reference and number only",
    "restrictions/decisions.py": "expire_due: the team's housekeeping over every case",
    "core/erasure.py": "destroy: which other live files a print pack or register copy holds "
                       "too (their references only), to keep it and name it",
    "core/next_step.py": "recompute_if_marked, refresh_letters_owed: stored next actions "
                         "worked out again when a database is opened; nothing is shown",
    "core/audit_seals.py": "the hashes of the records a save touched, sealed into its audit "
                           "entry as it commits (whoever saved: the trail vouches for all); "
                           "nothing is shown",
    "retention/readable.py": "restore: a backup's rows checked before it is put in place, "
                             "with no one acting; a restriction it cannot read is named by "
                             "its kind and case reference only",
    "core/configured_areas.py": "at start, with no one acting: whether the configuration's "
                                "service_areas leaves out an area in use (its name and "
                                "how many cases, referrals and users only)",
    "intake/customer_matches.py": "a referral's customer held to everyone on record, so that "
                                  "a person already known is never made a second customer "
                                  "(b16f F6); the match shows their cases' references",
    "core/comments_in.py": "the customer's comment period of a case its caller already read "
                           "(scoped): the one rule's SQL, read again by the case's id",
    "letters/posted.py": "the reference of a case its caller (the case file, scoped) already "
                         "read, by the case's id: to find the audit entries of its postings",
    "intake/customer_details.py": "the references of the other cases of a customer whose "
                                  "address changed, each told of the change so that its "
                                  "next action is worked out again (a letter to the old "
                                  "address owed again): nothing of them is shown",
    "core/first_contact.py": "the customer's first contact with the council, over all their "
                             "files: one date, the earliest, which a date typed is held to; "
                             "no record of another file is shown",
}


def test_every_case_query_in_the_services_is_scoped() -> None:
    services = Path(__file__).parents[3] / "crm_tui" / "services"
    unscoped = []
    for module in sorted(services.rglob("*.py")):
        source = module.read_text()
        name = module.relative_to(services).as_posix()
        reads_cases = re.search(r"\bCase\.select\(|\.join\(Case\b", source)
        if reads_cases and "scope." not in source and name not in UNSCOPED_ON_PURPOSE:
            unscoped.append(name)
    assert unscoped == [], ("these modules read cases without services/core/scope: "
                            f"{unscoped}")
