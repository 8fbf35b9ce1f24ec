"""Restrictions replaced by ones that start on a later day (an amendment on appeal, a
variation at review) leave none in force until then (v15i K1: the case file headed the new
ones "RESTRICTIONS IN FORCE", Home counted the customer and the breach check said BREACH,
while the builder and the register said "From 18 Jun 2027, not yet in force"). One rule
(domain/in_force.py) read alike by every one of them."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from pypdf import PdfReader

from crm_tui import clock
from crm_tui.db.models import Case, ExtensionProposal, Restriction
from crm_tui.domain.outcomes import AppealOutcome, ConsultationSubject
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import changes
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.outside_changes import OutsideChanges
from crm_tui.services.intake import case_file, queries, triage_version
from crm_tui.services.restrictions import compliance, register
from crm_tui.services.restrictions.compliance import ContactQuestion
from crm_tui.services.reviews import appeals, review_steps
from tests import builders
from tests.builders import TOLD

LATER = date(2027, 6, 18)


def _all_readers_say_from_later(actors: dict[Role, Actor], ref: str, before_in_force: int,
                                before_starting: int, folder: Path) -> None:
    crm = actors[Role.CRM]
    case = Case.get(Case.reference == ref)
    # The replaced ones stopped at once: their last day was the day before the decision.
    assert {r.ends_on for r in Restriction.select().where(
        (Restriction.case == case) & (Restriction.status == "ended"))} == {
            date(2026, 11, 27)}
    home = queries.dashboard(crm)
    assert home.restrictions_in_force == before_in_force - 1
    assert home.restrictions_starting == before_starting + 1
    assert case_file.case_file(crm, ref).starts_on == LATER
    assert compliance.restrictions_on(case.customer_id, clock.today()) == []
    question = ContactQuestion(case.customer.reference, compliance.parse_channel("telephone"),
                               datetime(2026, 11, 28, 0, 0))
    assert compliance.would_comply(crm, question).breaches == []
    [entry] = [e for e in register.staff_register(crm) if e.case_reference == ref]
    assert all(line.startswith("From 18 Jun 2027, not yet in force: ")
               for line in entry.handling)
    # `crm-tui cases` lists the kinds in force: none yet (v15j P1).
    [summary] = [s for s in queries.list_cases(crm) if s.reference == ref]
    assert summary.restriction_kinds == ()
    # The register counts as Home does, the not-yet customer apart (v15j P2).
    assert (entry.in_force, entry.not_yet) == (False, True)
    entries = register.staff_register(crm)
    assert len({e.customer_reference for e in entries if e.in_force}) == home.restrictions_in_force
    assert register.headline(entries).endswith(
        "; 1 customer with restrictions decided, not yet in force (each line says from when).")
    # The printed register counts in the same words (v15k F6: "10 under restriction" where
    # the screen said 8 in force and 2 not yet).
    printed = " ".join(" ".join(page.extract_text() for page in PdfReader(
        register.export_register(crm, folder, "Northmere")).pages).split())
    assert " ".join(register.headline(entries).split()) in printed
    assert "under restriction" not in printed
    # From that day they are in force, and a telephone call is a breach.
    with clock.travel_to(datetime(2027, 6, 18, 9, 0)):
        [summary] = [s for s in queries.list_cases(crm) if s.reference == ref]
        assert summary.restriction_kinds != ()
        assert register.headline(register.staff_register(crm)).endswith("in force.")
        assert queries.dashboard(crm).restrictions_in_force == before_in_force
        assert case_file.case_file(crm, ref).starts_on is None
        assert compliance.would_comply(crm, ContactQuestion(
            case.customer.reference, compliance.parse_channel("telephone"),
            datetime(2027, 6, 18, 9, 0))).breaches != []


def test_an_amendment_on_appeal_starting_later_leaves_none_in_force_until_then(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    home = queries.dashboard(actors[Role.CRM])
    builders.draft(actors, ref, by=Role.CRM)
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED,
                          "Upheld in part", DecisionTerms(starts_on=LATER,
                                                          ends_on=date(2027, 11, 1)),
                          builders.read(ref), customer_reason=TOLD)
    _all_readers_say_from_later(actors, ref, home.restrictions_in_force,
                                home.restrictions_starting, tmp_path / "out")


def test_a_variation_at_review_starting_later_leaves_none_in_force_until_then(
        actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    case = Case.get(Case.reference == ref)
    with clock.travel_to(datetime(2027, 9, 20, 10)):
        review_steps.start_review(crm, ref)
        builders.propose(actors, ref, ends_on=date(2028, 11, 28), reply_by=date(2027, 10, 8))
        ExtensionProposal.update(customer_reason="You have kept telephoning us.").execute()
    with clock.travel_to(datetime(2027, 10, 11, 10)):
        before = queries.dashboard(crm)
        builders.consult(actors, ref, ends_on=date(2028, 11, 28),
                         subject=ConsultationSubject.EXTENSION)
        review_steps.extend_restrictions(crm, ref, "Comments weighed",
                                         DecisionTerms(starts_on=date(2027, 12, 1),
                                                       ends_on=date(2028, 11, 28)),
                                         read=builders.read(ref), customer_reason=TOLD)
        assert {r.ends_on for r in Restriction.select().where(
            (Restriction.case == case) & (Restriction.status == "ended"))} == {
                date(2027, 10, 10)}
        home = queries.dashboard(crm)
        assert home.restrictions_in_force == before.restrictions_in_force - 1
        assert home.restrictions_starting == before.restrictions_starting + 1
        assert case_file.case_file(crm, ref).starts_on == date(2027, 12, 1)
        assert compliance.restrictions_on(case.customer_id, clock.today()) == []
        [entry] = [e for e in register.staff_register(crm) if e.case_reference == ref]
        assert all(line.startswith("From 1 Dec 2027, not yet in force: ")
                   for line in entry.handling)
    with clock.travel_to(datetime(2027, 12, 1, 9)):
        assert queries.dashboard(crm).restrictions_in_force == before.restrictions_in_force
        assert compliance.restrictions_on(case.customer_id, clock.today()) != []


def test_a_change_said_on_a_screen_tells_of_restrictions_starting_later_and_is_ours_here(
        actors: dict[Role, Actor]) -> None:
    """v15k V2: the inbox said "“amend on appeal” recorded; it is restricted now" of an
    amendment starting in seven months. The words say the restrictions are decided and from
    when; and the change, made here (the app acting as the Service Director), is this
    program's own: the watcher does not tell it again as another's (the inbox says another's
    only, or one told from outside, such as `crm-tui appeals decide` in another terminal)."""
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    builders.draft(actors, ref, by=Role.CRM)
    seen = triage_version.opened(ref)
    heard: list[changes.Change] = []
    stop = changes.listen(heard.append)
    watcher = OutsideChanges.for_open_database()  # the file's, or the server database's
    assert watcher is not None
    watcher.start_watching()
    try:
        appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED,
                              "Upheld in part", DecisionTerms(starts_on=LATER,
                                                              ends_on=date(2027, 11, 1)),
                              builders.read(ref), customer_reason=TOLD)
        assert changes.Change(ref, "amend_on_appeal") in heard
        assert watcher.poll() == []  # its own: not told again as from outside
    finally:
        watcher.stop()
        stop()
    found = triage_version.changed_since(ref, seen)
    assert found is not None and found.login == actors[Role.SERVICE_DIRECTOR].login
    assert found.said.endswith(": appeal decided: restrictions amended, from 18 Jun 2027"), \
        found.said
    # From that day, it is restricted now.
    with clock.travel_to(datetime(2027, 6, 18, 9, 0)):
        again = triage_version.changed_since(ref, seen)
        assert again is not None and again.said.endswith(
            ": appeal decided: restrictions amended"), again.said


def test_ones_own_change_is_not_made_news_by_another_programs_later_change() -> None:
    """v15k V2: Gareth Bell amended the restrictions in the app; a print pack made from the
    command line then had the inbox say "Changed by Gareth Bell … “amend on appeal”" to him.
    Another program's change makes news of the actions it made only (the same person's
    `crm-tui appeals decide` in another terminal is news to the app); another person's
    change is always news."""
    found = triage_version.ChangedSince(27, "gareth.bell", "changed by Gareth Bell at 10:00: "
                                        "“amend on appeal” recorded", "amend_on_appeal")
    assert not triage_version.news_to(found, "gareth.bell", set())
    assert not triage_version.news_to(found, "gareth.bell", {"make_print_pack",
                                                             "record_posting"})
    assert triage_version.news_to(found, "gareth.bell", {"amend_on_appeal"})
    assert triage_version.news_to(found, "ceri.hughes", set())
