"""Appeals through the services: lodged whenever a restriction is in force (a review under way
included) or within the appeal period; a review under appeal is neither lost nor left hanging;
an amendment never makes restrictions stricter or longer; the grounds reach the case file; and
each refusal says why in the policy's words and leaves the database as it was."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crm_tui.db.models import Appeal, AuditEntry, Case, Review
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.errors import PermissionDenied, RequirementMissing
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core.inputs import DecisionTerms, RestrictionDraft
from crm_tui.services.intake import case_file
from crm_tui.services.restrictions import decisions
from crm_tui.services.reviews import appeals
from tests import builders
from tests.builders import TOLD
from tests.unit.services.reviews.appeal_fixtures import TODAY, dump

S = CaseState


def _state(ref: str) -> str:
    return str(Case.get(Case.reference == ref).state)


def test_an_appeal_can_be_lodged_while_the_case_is_under_review(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, S.UNDER_REVIEW)
    builders.propose(actors, ref, reply_by=date(2026, 12, 18))
    appeals.lodge_appeal(actors[Role.OFFICER], ref, TODAY, "I was never warned")
    assert _state(ref) == S.UNDER_APPEAL.value
    assert Appeal.get().lodged_from == S.UNDER_REVIEW.value
    # Confirmed, the case returns to its review, which carries on where it was.
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.CONFIRMED,
                          "The restrictions were properly imposed", customer_reason=TOLD)
    case = Case.get(Case.reference == ref)
    assert case.state == S.UNDER_REVIEW.value and case.reply_by == date(2026, 12, 18)
    [review] = Review.select().where((Review.case == case) & (Review.outcome == ""))
    assert review.started_at is not None and review.reply_by == date(2026, 12, 18)
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
    assert entry.action == "confirm_on_appeal" and '"returns_to": "under_review"' in entry.payload


def test_removed_during_a_review_the_review_is_closed_not_lost(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, S.UNDER_REVIEW)
    appeals.lodge_appeal(actors[Role.OFFICER], ref, TODAY, "Disproportionate")
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.REMOVED,
                          "One address was wrong", customer_reason=TOLD)
    case = Case.get(Case.reference == ref)
    assert case.state == S.ENDED.value and case.review_due is None
    outcomes = [r.outcome for r in Review.select().where(Review.case == case)]
    assert "" not in outcomes and "removed_on_appeal" in outcomes


def test_amended_during_a_review_the_old_review_closes_and_the_new_terms_have_their_own(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, S.UNDER_REVIEW)
    appeals.lodge_appeal(actors[Role.OFFICER], ref, TODAY, "Letters only is too strict")
    builders.draft(actors, ref, by=Role.CRM)
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED,
                          "Six months is enough",
                          DecisionTerms(starts_on=TODAY, ends_on=date(2027, 5, 28)),
                          builders.read(ref), customer_reason=TOLD)
    case = Case.get(Case.reference == ref)
    assert case.state == S.RESTRICTED.value and case.restrictions_end == date(2027, 5, 28)
    reviews = list(Review.select().where(Review.case == case).order_by(Review.id))
    assert [r.outcome for r in reviews] == ["amended_on_appeal", ""]
    assert reviews[-1].due_on == date(2027, 5, 28)


def test_an_amendment_on_appeal_never_makes_restrictions_longer_or_adds_one(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, S.UNDER_APPEAL)
    builders.draft(actors, ref, by=Role.CRM)
    before = dump()
    with pytest.raises(RequirementMissing, match="cannot make the restrictions stricter or "
                                                 "longer") as longer:
        appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED,
                              "Longer", DecisionTerms(starts_on=TODAY, ends_on=date(2028, 6, 1)),
                              builders.read(ref), customer_reason=TOLD)
    assert "instead of 28 November 2027" in str(longer.value)
    assert dump() == before
    builders.draft(actors, ref, RestrictionDraft(
        RestrictionKind.SIGNIFICANT_QUERIES_ONLY, {"definition": "Threats to staff"},
        reason="Calls", proportionality="Fits", less_restrictive_considered="Letters",
        still_reachable="Emergencies", behaviours=(BehaviourCategory.EXCESSIVE_DEMANDS,),
        customer_reason=TOLD),
        by=Role.CRM)
    before = dump()
    with pytest.raises(RequirementMissing, match="adds the restriction “Significant and serious"):
        appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED,
                              "Add phone times", DecisionTerms(starts_on=TODAY,
                                                               ends_on=date(2027, 5, 1)),
                              builders.read(ref), customer_reason=TOLD)
    assert dump() == before


def test_after_the_restrictions_end_an_appeal_is_taken_within_the_appeal_period_only(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(actors, S.ENDED)  # imposed and lifted on 28 November 2026
    # 28 days, counted in working days from the decision: the period ends on 11 January 2027.
    monkeypatch.setenv("CRM_TUI_NOW", "2027-01-20T09:00:00")
    before = dump()
    with pytest.raises(RequirementMissing, match="no restriction is in force, and the appeal "
                                                 "period for the decision of 28 November 2026 "
                                                 "ended on 11 January 2027"):
        appeals.lodge_appeal(actors[Role.OFFICER], ref, date(2027, 1, 20), "Late")
    assert dump() == before
    # An appeal received in time but recorded late is still taken.
    appeals.lodge_appeal(actors[Role.OFFICER], ref, date(2027, 1, 5), "Posted in time")
    assert Appeal.get().lodged_from == S.ENDED.value
    builders.draft(actors, ref, by=Role.CRM)
    with pytest.raises(RequirementMissing, match="confirmed or removed, not amended"):
        appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED, "x",
                              DecisionTerms(starts_on=date(2027, 1, 20),
                                            ends_on=date(2027, 2, 1)), customer_reason=TOLD)
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.REMOVED,
                          "The decision should not have been made", customer_reason=TOLD)
    case = Case.get(Case.reference == ref)
    # The restrictions had already ended on 28 November: that date stands.
    assert case.state == S.ENDED.value and case.ended_on == TODAY


def test_one_appeal_per_decision(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, S.UNDER_APPEAL)
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.CONFIRMED, "Sound",
                          customer_reason=TOLD)
    before = dump()
    with pytest.raises(RequirementMissing, match=r"already appealed against the decision of 28 "
                                                 r"November 2026.*Ombudsman"):
        appeals.lodge_appeal(actors[Role.OFFICER], ref, TODAY, "Again")
    assert dump() == before


def test_nothing_to_appeal_before_a_decision(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, S.UNDER_CONSIDERATION)
    with pytest.raises(Exception, match="cannot lodge appeal: the case is under consideration"):
        appeals.lodge_appeal(actors[Role.OFFICER], ref, TODAY, "Premature")


def test_the_grounds_are_in_the_timeline_and_in_what_the_decider_reads(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, S.RESTRICTED)
    appeals.lodge_appeal(actors[Role.OFFICER], ref, TODAY, "The [bold]emails[/] were my son's")
    view = appeals.view(actors[Role.SERVICE_DIRECTOR], ref)
    assert view.open is not None and view.open.grounds == "The [bold]emails[/] were my son's"
    assert view.open.decision_by == "Alex Morgan" and view.open.lodged_from is S.RESTRICTED
    assert view.service_directors == ["Chris Osei (director)", "Dana Whitlock (director2)"]
    received = next(e for e in case_file.case_file(actors[Role.CRM], ref).timeline
                    if e.title.startswith("Appeal received"))
    # Who recorded it and when (not midnight of the day received).
    assert received.title == (f"Appeal received {TODAY:%d %b %Y}, recorded by "
                              f"{actors[Role.OFFICER].name}. Grounds: The [bold]emails[/] "
                              "were my son's")
    assert received.at.time() != datetime.min.time()
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.CONFIRMED, "Sound",
                          customer_reason=TOLD)
    entries = case_file.case_file(actors[Role.CRM], ref).timeline
    decided = next(e for e in entries if e.title.startswith("Appeal not upheld"))
    assert decided.title == "Appeal not upheld: decision confirmed, by Chris Osei"
    assert "Grounds: The [bold]emails[/] were my son's" in decided.detail


def test_the_crm_is_refused_the_appeal_in_the_policys_words(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, S.UNDER_APPEAL)
    before = dump()
    with pytest.raises(PermissionDenied, match=r"only the Service Director, Legal & Business "
                                               r"Operations .*nominated"):
        appeals.decide_appeal(actors[Role.CRM], ref, AppealOutcome.REMOVED, "Mine to undo",
                              customer_reason=TOLD)
    assert dump() == before


def test_varying_is_still_the_crms_after_a_confirmed_appeal(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, S.UNDER_APPEAL)
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.CONFIRMED, "Sound",
                          customer_reason=TOLD)
    assert _state(ref) == S.RESTRICTED.value
    decisions.lift_restrictions(actors[Role.CRM], ref, "Behaviour subsided", customer_reason=TOLD)
    assert _state(ref) == S.ENDED.value


def test_a_review_never_begun_is_not_said_to_have_closed(actors: dict[Role, Actor]) -> None:
    # The appeal removes the restrictions; the next review, only due, is closed with them,
    # and the timeline must not read as though a review took place.
    ref = builders.at_state(actors, S.UNDER_APPEAL)
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.REMOVED,
                          "Not proportionate", customer_reason=TOLD)
    titles = [e.title for e in case_file.case_file(actors[Role.CRM], ref).timeline]
    assert not any(t.startswith("Review closed") for t in titles), titles
    closed = [t for t in titles if "closed before it began" in t]
    assert len(closed) == 1 and closed[0].startswith("Review due ")
    # Closed by the appeal's decider, named as on every timeline line (t15 F11).
    assert closed[0].endswith(": Appeal upheld: restrictions removed "
                              f"({actors[Role.SERVICE_DIRECTOR].name})")


def test_an_amendment_preview_shows_a_later_end_and_a_review_date_problem_at_once(
        actors: dict[Role, Actor]) -> None:
    """Round 8: with End later and a review date without a reason, the panel showed only the
    review date's problem and the later end vanished; the End field had nothing under it."""
    from crm_tui.services.restrictions import readiness

    ref = builders.at_state(actors, S.UNDER_APPEAL)
    builders.draft(actors, ref, by=Role.CRM)
    found = readiness.preview_amendment(
        actors[Role.SERVICE_DIRECTOR], ref,
        DecisionTerms(starts_on=TODAY, ends_on=date(2028, 11, 28),
                      review_due=date(2027, 6, 1)), "Upheld in part", TOLD)
    assert "cannot make the restrictions longer" in found.fields["ends_on"]
    assert "one of the policy's reasons" in found.fields["review_period_reason"]
    assert "explain why" in found.fields["review_period_note"]
    assert any("stricter or longer" in p for p in found.problems) and not found.ready


def test_what_stands_in_the_way_of_an_amendment_is_known_before_its_form(
        actors: dict[Role, Actor]) -> None:
    """v22 C1: a restriction set out on appeal with no evidence linked was refused only once
    the amend form was open. The appeal's view says so for the decider first, in the words
    the form's preview refuses with (who links it: the decider may not)."""
    from crm_tui.services.restrictions import readiness

    ref = builders.at_state(actors, S.UNDER_APPEAL)
    director = actors[Role.SERVICE_DIRECTOR]
    decisions.draft_restriction(actors[Role.CRM], ref, RestrictionDraft(
        RestrictionKind.SIGNIFICANT_QUERIES_ONLY, {"definition": "Threats to staff"},
        reason="Calls", proportionality="Fits", less_restrictive_considered="Letters",
        still_reachable="Emergencies", behaviours=(BehaviourCategory.EXCESSIVE_DEMANDS,),
        customer_reason=TOLD))
    why = appeals.view(director, ref).why_not_amend
    assert why.startswith("the Significant and serious queries only restriction rests on "
                          "no linked evidence (the Complaints Resolution Team links"), why
    shown = readiness.preview_amendment(director, ref, None, "Lighter", TOLD).problems
    assert any(why.startswith(p[:1].lower() + p[1:60]) for p in shown), shown
    # Once evidence is linked, nothing stands in the way whatever the dates.
    builders.draft(actors, ref, by=Role.CRM)
    decisions.discard_draft(actors[Role.CRM], ref, min(r for r in builders.read(ref)))
    assert appeals.view(director, ref).why_not_amend == ""


def test_set_out_on_appeal_in_place_of_one_in_force_it_rests_on_that_ones_evidence(
        actors: dict[Role, Actor]) -> None:
    """v22 C1: the Service Director set out a lighter restriction of the kind in force, to
    amend on appeal; it rested on no evidence, and he may not link any. The appeal amends the
    decision to restrict, whose evidence it does not change: the lighter one carries the
    links of the one in force it replaces. Another kind carries none (the team links it)."""
    from crm_tui.db.models import EvidenceLink, Restriction

    ref = builders.at_state(actors, S.UNDER_APPEAL)
    director = actors[Role.SERVICE_DIRECTOR]
    [in_force] = Restriction.select().where(Restriction.status == "in_force")
    linked = {(x.contact_id, x.document_id) for x in EvidenceLink.select().where(
        EvidenceLink.restriction == in_force.id)}
    assert linked
    lighter = decisions.draft_restriction(director, ref, builders.LETTER_ONLY)
    assert {(x.contact_id, x.document_id) for x in EvidenceLink.select().where(
        EvidenceLink.restriction == lighter)} == linked
    assert decisions.evidence_carried(director, ref, lighter)
    assert appeals.view(director, ref).why_not_amend == ""
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
    assert entry.action == "draft_restriction" and f'"evidence_from": {in_force.id}' \
        in entry.payload
    other = decisions.draft_restriction(director, ref, RestrictionDraft(
        RestrictionKind.SIGNIFICANT_QUERIES_ONLY, {"definition": "Threats to staff"},
        reason="Calls", proportionality="Fits", less_restrictive_considered="Letters",
        still_reachable="Emergencies", behaviours=(BehaviourCategory.EXCESSIVE_DEMANDS,),
        customer_reason=TOLD))
    assert not EvidenceLink.select().where(EvidenceLink.restriction == other).exists()
    assert not decisions.evidence_carried(director, ref, other)


def test_set_out_before_any_appeal_nothing_is_carried(actors: dict[Role, Actor]) -> None:
    from crm_tui.db.models import EvidenceLink

    ref = builders.at_state(actors, S.RESTRICTED)
    made = decisions.draft_restriction(actors[Role.CRM], ref, builders.LETTER_ONLY)
    assert not EvidenceLink.select().where(EvidenceLink.restriction == made).exists()


def test_the_outcome_letter_of_an_amendment_says_from_when_the_changed_ones_apply(
        actors: dict[Role, Actor]) -> None:
    """v22 C3: amended from the day of the decision, the letter said only "They end on 28 May
    2027. We will review them by …", never from when the changed restrictions apply."""
    from crm_tui.domain.letters import LetterKind
    from crm_tui.services.letters import letter_content

    ref = builders.at_state(actors, S.UNDER_APPEAL)
    builders.draft(actors, ref, by=Role.CRM)
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED,
                          "Six months is enough",
                          DecisionTerms(starts_on=TODAY, ends_on=date(2027, 5, 28)),
                          builders.read(ref), customer_reason=TOLD)
    sections = letter_content.sections_for(Case.get(Case.reference == ref),
                                           LetterKind.APPEAL_OUTCOME)
    [lasting] = [" ".join(p) for h, p in sections if h == "How long the restrictions last"]
    assert lasting.startswith("They apply from 28 November 2026 and end on 28 May 2027. "
                              "We will review them by "), lasting


def test_the_timeline_says_a_review_is_carried_to_the_amended_restrictions(
        actors: dict[Role, Actor]) -> None:
    """v22 C4: after an amendment keeping the review date, the timeline said "Review due 28
    Nov 2027 closed before it began: Appeal upheld in part…" while that review still stood.
    Kept, it is carried to the amended restrictions; moved, the new day is said."""
    director = actors[Role.SERVICE_DIRECTOR]
    for ends, said in ((None, "carried to the restrictions amended on appeal"),
                       (date(2027, 5, 28), "replaced on appeal: the amended restrictions are "
                                           "reviewed by 28 May 2027")):
        ref = builders.at_state(actors, S.UNDER_APPEAL)
        case = Case.get(Case.reference == ref)
        due = case.review_due
        builders.draft(actors, ref, RestrictionDraft(
            RestrictionKind.FORM_OF_CONTACT,
            {"channels": ["letter", "email"], "email_address": "complaints@northmere.gov.uk"},
            reason="Emails to one address are manageable", proportionality="Fits",
            less_restrictive_considered="Letters only", still_reachable="Emergencies",
            behaviours=(BehaviourCategory.EXCESSIVE_DEMANDS,), customer_reason=TOLD),
            by=Role.CRM)
        appeals.decide_appeal(director, ref, AppealOutcome.AMENDED, "Lighter on appeal",
                              DecisionTerms(starts_on=TODAY,
                                            ends_on=ends or case.restrictions_end),
                              builders.read(ref), customer_reason=TOLD)
        titles = [e.title for e in case_file.case_file(actors[Role.CRM], ref).timeline]
        assert not any("closed before it began" in t for t in titles), titles
        from crm_tui.domain.typed_dates import in_prose
        assert f"Review due {in_prose(due)} {said} ({director.name})" in titles, titles


def test_who_may_not_decide_an_appeal_is_told_in_plain_words(
        actors: dict[Role, Actor]) -> None:
    """v22 C6: "Complaints Resolution Manager may not confirm on appeal; only …": no article,
    and an outcome named where none was chosen."""
    ref = builders.at_state(actors, S.UNDER_APPEAL)
    assert appeals.view(actors[Role.CRM], ref).why_not_decide == (
        "the Complaints Resolution Manager does not decide appeals, and no nomination of the "
        "Service Director's covers you for this case today")
    assert appeals.view(actors[Role.OFFICER], ref).why_not_decide.startswith(
        "a Complaints Resolution Team officer does not decide appeals")
    assert appeals.view(actors[Role.SERVICE_DIRECTOR], ref).why_not_decide == ""


def test_drafts_stricter_than_those_in_force_stand_in_the_way_before_the_form(
        actors: dict[Role, Actor]) -> None:
    """v23 D1: set out on appeal stricter than the restrictions in force (a kind added), the
    amend form opened and only its panel said an amendment cannot make them stricter; no
    date the form asks for changes that. Now amendment_blockers says it, so "upheld in part"
    refuses at once (why_not_amend) in the words the panel and the save use (said once)."""
    from crm_tui.services.restrictions import readiness

    ref = builders.at_state(actors, S.UNDER_APPEAL)
    director = actors[Role.SERVICE_DIRECTOR]
    made = builders.draft(actors, ref, builders.SIGNIFICANT_ONLY, by=Role.CRM)
    words = ("An amendment on appeal cannot make the restrictions stricter or longer: as set "
             "out, it adds the restriction \u201cSignificant and serious queries only\u201d. "
             "Keep the restrictions as they are")
    blockers = readiness.amendment_blockers(director, Case.get(Case.reference == ref))
    assert any(b.startswith(words) for b in blockers), blockers
    why = appeals.view(director, ref).why_not_amend
    assert why.startswith(words[:1].lower() + words[1:]), why
    terms = DecisionTerms(starts_on=TODAY, ends_on=date(2027, 5, 28))
    shown = readiness.preview_amendment(director, ref, terms, "Lighter", TOLD).problems
    assert [p for p in shown if p.startswith(words)] == [
        b for b in blockers if b.startswith(words)], shown
    with pytest.raises(RequirementMissing, match="adds the restriction"):
        appeals.decide_appeal(director, ref, AppealOutcome.AMENDED, "Lighter", terms,
                              builders.read(ref), customer_reason=TOLD)
    # The builder's toast for it warns where it is drafted.
    warning = readiness.stricter_on_appeal(director, ref, made)
    assert warning.startswith("It is stricter than the restrictions in force: as set out, it "
                              "adds the restriction"), warning
    # Set out as in force (the evidence linked), nothing stands in the way whatever the dates.
    decisions.discard_draft(actors[Role.CRM], ref, made)
    same = builders.draft(actors, ref, by=Role.CRM)
    assert appeals.view(director, ref).why_not_amend == ""
    assert readiness.stricter_on_appeal(director, ref, same) == ""


def test_words_the_outcome_letter_refuses_stand_in_the_way_before_the_form(
        actors: dict[Role, Actor]) -> None:
    """v23 D1: what the outcome letter's checker refuses in words stored on the case (here a
    restriction speaking of "the customer") no date or reason in the amend form can put
    right: "upheld in part" refuses with it at once, and the form's panel says it once."""
    from crm_tui.services.restrictions import readiness

    ref = builders.at_state(actors, S.UNDER_APPEAL)
    director = actors[Role.SERVICE_DIRECTOR]
    builders.draft(actors, ref, by=Role.CRM)
    builders.draft(actors, ref, builders.SIGNIFICANT_ONLY, by=Role.CRM)  # "the customer's"
    why = appeals.view(director, ref).why_not_amend
    assert "etter cannot go: the customer spoken of in the third person under \u201cThe " \
           "restrictions now\u201d" in why, why
    terms = DecisionTerms(starts_on=TODAY, ends_on=date(2027, 5, 28))
    shown = readiness.preview_amendment(director, ref, terms, "Lighter", TOLD).problems
    assert sum("third person" in p for p in shown) == 1, shown


def test_behaviours_its_evidence_does_not_show_are_put_right_in_the_deciders_words(
        actors: dict[Role, Actor]) -> None:
    """v23 D3: the Service Director was told that k in the builder links evidence and b in
    the evidence viewer tags it, keys he may not use. He is told the team links or tags it,
    and that he can change the behaviours it answers (e); the team is still told the keys."""
    from dataclasses import replace

    from crm_tui.services.restrictions import readiness

    ref = builders.at_state(actors, S.UNDER_APPEAL)
    director = actors[Role.SERVICE_DIRECTOR]
    builders.draft(actors, ref, replace(
        builders.LETTER_ONLY, behaviours=(BehaviourCategory.OFFENSIVE_REMARKS,)), by=Role.CRM)
    why = appeals.view(director, ref).why_not_amend
    assert "rests on no evidence of the behaviour it answers" in why, why
    assert "The Complaints Resolution Team links a contact or document that shows it, or " \
           "tags the evidence with the behaviour it shows" in why, why
    assert "(e in the builder)" in why and "k links" not in why and "(v)" not in why, why
    case = Case.get(Case.reference == ref)
    team = readiness.amendment_blockers(actors[Role.CRM], case)
    assert any("In the builder, k links a contact or document" in p for p in team), team
