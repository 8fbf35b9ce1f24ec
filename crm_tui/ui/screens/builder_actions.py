"""What the restriction builder lets a user do. Each step runs in its dialog's thread worker;
a refusal stays in the dialog, at its field where it has one."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from textual.screen import Screen

from crm_tui.domain.counting import counted
from crm_tui.domain.errors import DomainError
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.outcomes import ConsultationSubject
from crm_tui.domain.restrictions import (
    RestrictionKind,
    already_set_out,
    named,
    repeated_places,
    set_out_in_words,
)
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.domain.wording import in_one_sentence
from crm_tui.services.core.database import session
from crm_tui.services.core.inputs import DecisionTerms, RestrictionDraft
from crm_tui.services.core.results import UserInfo
from crm_tui.services.intake import casework
from crm_tui.services.letters import issuing
from crm_tui.services.restrictions import builder, decisions, readiness, referral_evidence
from crm_tui.services.restrictions.readiness import DecisionPreview
from crm_tui.services.restrictions.referral_evidence import EvidenceChoice
from crm_tui.services.reviews import review_steps
from crm_tui.ui.confirm import acting_as, confirming
from crm_tui.ui.delivery import deliver
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.choose import ChooseDialog
from crm_tui.ui.dialogs.consultation import ConsultationDialog, GivenView, recording_view
from crm_tui.ui.dialogs.decision import DecisionDialog
from crm_tui.ui.dialogs.detail import DetailDialog
from crm_tui.ui.dialogs.reasons import ReasonsDialog
from crm_tui.ui.dialogs.restriction_form import RestrictionFormDialog
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.dialogs.ticks import TickDialog, needs_dialog

if TYPE_CHECKING:
    from crm_tui.services.restrictions.builder import BuilderView, RestrictionView
    from crm_tui.ui.app import CrmApp


def cannot_decide(blockers: list[str], view: BuilderView | None) -> str:
    """Why D refuses: what stands in the way of the decision (readiness.blockers)."""
    bare = view is not None and any(d.evidence == 0 for d in view.drafts)
    return "Cannot decide yet: " + in_one_sentence(blockers) + (
        ". k links evidence to the highlighted restriction." if bare else "")


class BuilderActions(Screen[None]):
    reference: str
    view: BuilderView | None
    closed_matters: list[str]
    documents: list[tuple[int, str]]

    @property
    def crm_app(self) -> CrmApp:
        return cast("CrmApp", self.app)

    if TYPE_CHECKING:  # provided by the builder screen this is mixed into
        @property
        def highlighted(self) -> RestrictionView | None: ...
        def reload(self) -> None: ...

    def _changed(self, result: object, said: str = "Recorded") -> None:
        if result is not None:
            self.notify(said, title=self.reference, markup=False)
            self.reload()

    def _said(self, said: str) -> Callable[[object], None]:
        """The callback of a step whose toast says what was done ("Restriction drafted"),
        not only "Recorded" (found when tried: six different steps all said that)."""
        return lambda result: self._changed(result, said)

    def _officers(self) -> list[UserInfo]:
        staff = (Role.CRM, Role.OFFICER, Role.SERVICE_AREA_MANAGER)
        return sorted((u for u in self.crm_app.known_users if u.role in staff and u.active),
                      key=lambda u: u.name)

    # -- setting restrictions out ---------------------------------------------------------
    def _set_out(self) -> list[tuple[RestrictionKind, dict[str, Any]]]:
        return [(d.kind, d.parameters) for d in self.view.drafts] if self.view else []

    def action_add(self) -> None:
        # One of each kind per set: a kind already set out is marked as such here, and
        # choosing it says why, before any form (v15e F2); the service refuses it too.
        drafted = self._set_out()
        self.app.push_screen(ChooseDialog(
            "Which of the policy's restrictions?",
            [(k.value, f"{i}. {k.label}" + (" (already set out: e changes it)"
                                            if already_set_out(k, drafted) else ""))
             for i, k in enumerate(RestrictionKind, 1)]),
            self._kind_chosen)

    def _kind_chosen(self, kind: str | None) -> None:
        if kind is None:
            return
        taken = already_set_out(RestrictionKind(kind), self._set_out())
        if taken:
            self.notify(f"{taken}.", title=self.reference, severity="warning", markup=False)
            return
        actor, reference = self.crm_app.actor, self.reference
        label = RestrictionKind(kind).label

        def draft_it(draft: RestrictionDraft) -> str:
            made = decisions.draft_restriction(actor, reference, draft)
            # On appeal, one stricter than what is in force is warned of where it is drafted
            # ("upheld in part" refuses it: v23 D1), not only when the appeal is decided.
            stricter = readiness.stricter_on_appeal(actor, reference, made)
            warning = f". {stricter}" if stricter else ""
            # On appeal, set out in place of one of its kind in force, it rests on the
            # evidence that one rests on (decisions.carry_evidence): said, as k is not
            # the decider's (v22 C1).
            if decisions.evidence_carried(actor, reference, made):
                return (f"{label}: restriction drafted, resting on the evidence linked to the "
                        f"one in force it would replace on appeal{warning}")
            return f"{label}: restriction drafted{warning}"

        self.app.push_screen(RestrictionFormDialog(
            reference, RestrictionKind(kind), self._officers(), self.closed_matters, None,
            draft_it, behaviours=self.view.referral_behaviours if self.view else ()),
            lambda said: self._changed(said, said if isinstance(said, str) else
                                       f"{label}: restriction drafted"))

    def action_edit(self) -> None:
        draft = self.highlighted
        if draft is None:
            return
        actor, reference = self.crm_app.actor, self.reference

        def save(changed: RestrictionDraft) -> None:
            builder.update_draft(actor, reference, draft.id, changed,
                                 read_version=draft.version)

        self.app.push_screen(RestrictionFormDialog(
            reference, draft.kind, self._officers(), self.closed_matters, draft, save),
            self._said(f"{draft.kind.label}: draft changed"))

    def action_discard(self) -> None:
        draft = self.highlighted
        if draft is None:
            return
        # A question: keys typed on after `x` do not answer it (question_keys.py).
        self.app.push_screen(ChooseDialog(
            f"Discard {self._draft_name(draft)}?",
            [("keep", "No, keep it"), ("discard", "Yes, discard this draft")], question=True),
            lambda answer: self._discard(draft.id, answer))

    def _discard(self, restriction_id: int, answer: str | None) -> None:
        if answer == "discard":
            named_now = self._named(restriction_id, capital=True)  # read before it goes
            self.run_step(lambda: decisions.discard_draft(
                self.crm_app.actor, self.reference, restriction_id),
                lambda _done: f"{named_now} discarded")

    def action_rest_on_evidence(self, _quiet: str = "") -> None:
        """k: tick which documents and contacts the highlighted restriction rests on (the
        referral's, and the case's from the customer: referral_evidence_offered), asking first
        when that would undo the Head of Service's view."""
        draft = self.highlighted
        if draft is None:
            self.notify("Set a restriction out first (a), then k rests it on evidence.",
                        title=self.reference, markup=False)
            return
        actor, reference = self.crm_app.actor, self.reference
        self.run_worker(lambda: self._offer_evidence(actor, reference, draft.id),
                        thread=True, exclusive=True, group="builder-step", exit_on_error=False)

    def _offer_evidence(self, actor: Actor, reference: str, restriction_id: int) -> None:
        try:
            with session():
                offered = referral_evidence.referral_evidence_offered(actor, reference,
                                                                      restriction_id)
        except DomainError as exc:
            deliver(self, self._refused, str(exc))
            return
        deliver(self, self._choose_evidence, restriction_id, offered)

    def _choose_evidence(self, restriction_id: int,
                         offered: list[EvidenceChoice]) -> None:
        if not offered:
            # Said as the step itself would say it, without a step that links nothing.
            on_referral = self.view.referral_evidence if self.view is not None else 0
            drafts = self.view.drafts if self.view is not None else []
            rests_on = next((d.evidence for d in drafts if d.id == restriction_id), 0)
            nothing = referral_evidence.ReferralEvidence(
                restriction_id, self._kind_of(restriction_id), (), on_referral,
                place=self._places().get(restriction_id), rests_on=rests_on)
            self.notify(nothing.message, title=self.reference, markup=False,
                        severity="warning", timeout=10)
            return
        stale = self._view_undone_by(restriction_id)
        if stale:
            self.app.push_screen(
                AskDialog(f"Link evidence to {self._named(restriction_id)}? {stale}",
                          yes="Link, and consult again", no="Not now"),
                lambda yes: self._tick_evidence(restriction_id, offered) if yes else None)
            return
        self._tick_evidence(restriction_id, offered)

    def _kind_of(self, restriction_id: int) -> str:
        drafts = self.view.drafts if self.view is not None else []
        return next((str(d.kind) for d in drafts if d.id == restriction_id), "")

    def _named(self, restriction_id: int, *, capital: bool = False) -> str:
        """The draft as the user knows it, by its kind, never by its row's number (b15e F10:
        "restriction 18" read as one of the policy's six kinds)."""
        kind = self._kind_of(restriction_id)
        if not kind:  # gone since it was read: named as the builder's list last showed it
            return f"{'The' if capital else 'the'} restriction"
        return named(kind, capital=capital, place=self._places().get(restriction_id))

    def _places(self) -> dict[int, int]:
        """Each draft's `#` in the list, for those whose kind another draft shares: two
        Named officer only drafts were both "the Named officer only restriction" (issue 15)."""
        drafts = self.view.drafts if self.view is not None else []
        places = repeated_places([d.kind for d in drafts])
        return {d.id: place for d, place in zip(drafts, places, strict=True) if place}

    def _draft_name(self, draft: RestrictionView, *, capital: bool = False) -> str:
        return named(draft.kind, capital=capital, place=self._places().get(draft.id))

    def _view_undone_by(self, restriction_id: int) -> str:
        """What changing this draft would undo: the Head of Service's view on the drafts as
        they stand now ("" if there is none to undo)."""
        view = self.view
        c = view.consultation if view is not None else None
        if view is None or c is None or restriction_id not in c.about:
            return ""
        if c.about != {d.id: d.version for d in view.drafts}:
            return ""  # already out of date: nothing more is lost
        return (f"The Head of Service's view of {in_prose(c.consulted_on)} "
                "was given on this restriction as it stands: linking changes it, and they "
                "must be consulted again (c) before a decision.")

    def _tick_evidence(self, restriction_id: int, offered: list[EvidenceChoice]) -> None:
        actor, reference = self.crm_app.actor, self.reference
        done: list[referral_evidence.ReferralEvidence] = []

        def link(keys: tuple[str, ...]) -> None:
            done.append(referral_evidence.rest_on_referral_evidence(
                actor, reference, restriction_id, keys))

        self.app.push_screen(TickDialog(
            f"Rest {self._named(restriction_id)} on evidence (ticked: the referral's, and what "
            "shows a behaviour it answers; tick what else it rests on, untick what it does "
            "not)",
            [(c.label, c.key, c.ticked) for c in offered], link, save="Link the ticked evidence"),
            lambda keys: self._linked(done[-1] if keys is not None and done else None))

    def _linked(self, linked: referral_evidence.ReferralEvidence | None) -> None:
        """Say what k linked: a silent k looked as though it did nothing."""
        if linked is None:
            return
        self.notify(linked.message if linked.added else "Nothing linked: no item was ticked.",
                    title=self.reference, markup=False,
                    severity="information" if linked.added else "warning", timeout=10)
        if linked.added:
            self.reload()

    def action_evidence(self) -> None:
        from crm_tui.ui.screens.evidence import EvidenceScreen

        self.app.push_screen(EvidenceScreen(self.reference))

    # -- equality -------------------------------------------------------------------------
    def action_needs(self) -> None:
        if self.view is None:
            return
        actor, reference = self.crm_app.actor, self.reference
        version = self.view.customer_version or None  # the record as this view read it
        opened = tuple(self.view.needs)  # another's change to another field is kept beside
        self.app.push_screen(needs_dialog(
            "The customer's contact needs (from their reasonable adjustments)",
            self.view.needs, lambda needs: builder.set_contact_needs(
                actor, reference, needs, read_version=version, opened=opened)),
            self._said("The customer's contact needs recorded"))

    def action_justify(self) -> None:
        draft = self.highlighted
        if draft is None or not draft.clashes:
            return
        actor, reference = self.crm_app.actor, self.reference
        clash = "; ".join(c.explanation for c in draft.clashes)

        def record(text: str, _flag: bool) -> int:
            # The dialog hands on what the step returns, and the toast follows only a
            # result: justify returns nothing, and j said nothing (v15e F8).
            builder.justify(actor, reference, draft.id, text, read_version=draft.version)
            return draft.id

        self.app.push_screen(TextPromptDialog(
            f"Justify {self._draft_name(draft)}",
            f"The customer {clash}. Say why the restriction stands nonetheless and how the "
            "need is met another way (or change the restriction instead):",
            record, confirm="Record why it stands"),
            self._said(f"Why {self._draft_name(draft)} stands is recorded"))

    def action_redraft(self) -> None:
        """Set the restrictions in force out again as drafts (to propose them for longer)."""
        actor, reference = self.crm_app.actor, self.reference
        self.run_step(lambda: builder.redraft_in_force(actor, reference), lambda made: (
            f"{counted(len(made), 'restriction')} in force set out again as "
            f"{'drafts' if len(made) != 1 else 'a draft'} "
            f"({', '.join(named(kind, article=False) for kind in made)}): change "
            f"{'them' if len(made) != 1 else 'it'}, or propose "
            f"{'them' if len(made) != 1 else 'it'} for longer"))

    # -- consultation, preview and the decision -------------------------------------------
    def action_consult(self) -> None:
        """Before a view is taken (with no restriction set out, `c` is why_not's: nothing to give a
        view on); asked first, naming each thing the builder lists in the way besides the view,
        when the drafts cannot be decided as they stand (t15d F1: a view taken on a draft
        resting on no evidence of its behaviour cost a second consultation)."""
        if self.view is None:
            return
        self.run_worker(self._check_consult, thread=True, exclusive=True,
                        group="builder-consult", exit_on_error=False)

    def _check_consult(self) -> None:
        actor, reference = self.crm_app.actor, self.reference
        try:
            with session():
                besides = readiness.besides_the_view(actor, reference)
        except DomainError as exc:
            deliver(self, self._refused, str(exc))
            return
        deliver(self, self._ask_consult, besides)

    def _ask_consult(self, besides: list[str]) -> None:
        if not besides:
            self._consult()
            return
        self.app.push_screen(AskDialog(
            "Record the Head of Service's view anyway? It cannot be decided as it stands: "
            + in_one_sentence(besides) + ". Whatever is changed to put that right (evidence "
            "linked, tagged or sorted under its matter, a restriction changed) changes what "
            "they gave their view on, and they must then be consulted again.",
            yes="Record the view", no="Not now"),
            lambda yes: self._consult() if yes else None)

    def _consult(self) -> None:
        view = self.view
        if view is None:
            return
        actor, reference = self.crm_app.actor, self.reference
        heads = None if actor.role is Role.HEAD_OF_SERVICE else [
            (u.login, u.name) for u in self.crm_app.known_users
            if u.role is Role.HEAD_OF_SERVICE and u.active]
        review = view.summary.state is CaseState.UNDER_REVIEW
        subject = ConsultationSubject.EXTENSION if review else ConsultationSubject.REFERRAL
        ends = (view.invitation.ends_on if review and view.invitation is not None
                else builder.default_terms().ends_on)

        def record(given: GivenView) -> Any:
            return casework.record_consultation(
                actor, reference, view=given.view, view_text=given.text,
                consultee=given.consultee, consulted_on=given.consulted_on, subject=subject,
                method=given.method, evidence_document=given.evidence_document,
                proposed_end=given.proposed_end)

        said = recording_view(reference, subject.label, acting_as(actor), actor.name, heads)
        self.app.push_screen(ConsultationDialog(
            reference, heads, confirming(self.app, actor, record, what=said),
            subject=subject.label,
            # No "(version N)": the number counts every change, k's links too, so a draft set
            # out once read "version 2" (v15d N4); the view is on the drafts as shown here.
            about=[f"{self._draft_name(d, capital=True)}: {d.description}"
                   for d in view.drafts] or ["No restriction is set out yet"],
            proposed_end=ends, documents=self.documents),
            self._said("The Head of Service's view recorded"))

    def _preview(self, terms: DecisionTerms | None, reason: str, against: str,
                 told: str) -> DecisionPreview:
        return readiness.preview(self.crm_app.actor, self.reference, terms, reason, against,
                                 told)

    def action_preview(self) -> None:
        self.run_worker(self._make_preview, thread=True, exclusive=True,
                        group="builder-preview", exit_on_error=False)

    def _make_preview(self) -> None:
        with session():
            terms = builder.decision_defaults(self.crm_app.actor, self.reference)
            found = self._preview(terms, "", "", "")
        deliver(self, self._show_preview, found)

    def _show_preview(self, found: DecisionPreview) -> None:
        # What still stands in the way comes first: under a whole letter, at 100x30 it was
        # pages below, and read as missing (round 8).
        problems = "\n".join(f"• {p}" for p in found.problems)
        self.app.push_screen(DetailDialog(
            "What the customer will be told (with the default dates and no reasons yet; D "
            "sets them)",
            (f"Still in the way:\n{problems}\n\nThe letter:\n\n" if problems else "")
            + (found.letter or "(No letter can be made yet.)")))

    def action_decide(self) -> None:
        """Refuse at once, saying what is missing, when a decision cannot be made whatever
        the dates and reasons; otherwise open the decision with its letter."""
        self.run_worker(self._check_decision, thread=True, exclusive=True,
                        group="builder-decide", exit_on_error=False)

    def _check_decision(self) -> None:
        actor, reference = self.crm_app.actor, self.reference
        try:
            with session():
                blockers = readiness.blockers(actor, reference)
                terms = builder.decision_defaults(actor, reference)
                overtaken = issuing.superseded_by_deciding(actor, reference)
        except DomainError as exc:
            deliver(self, self._refused, str(exc))
            return
        if blockers:
            deliver(self, self._refused, cannot_decide(blockers, self.view))
            return
        deliver(self, self._open_decision, terms, overtaken)

    def _open_decision(self, terms: DecisionTerms, overtaken: str = "") -> None:
        view = self.view
        if view is None:
            return
        actor, reference = self.crm_app.actor, self.reference
        action = readiness.action_for(view.summary.state)

        def decide(terms: DecisionTerms, reason: str, against: str,
                   read: dict[int, int], told: str) -> Any:
            if action is Action.VARY_RESTRICTIONS:
                return decisions.vary_restrictions(actor, reference, reason, terms, read=read,
                                                   customer_reason=told)
            if action is Action.EXTEND_RESTRICTIONS:
                return review_steps.extend_restrictions(actor, reference, reason, terms,
                                                        read=read, against_view_reason=against,
                                                        customer_reason=told)
            return decisions.impose_restrictions(actor, reference, reason, terms, read=read,
                                                 against_view_reason=against,
                                                 customer_reason=told)

        what = {Action.VARY_RESTRICTIONS: "Vary the restrictions (lighter or shorter only)",
                Action.EXTEND_RESTRICTIONS: "Extend the restrictions (as proposed, or lighter)"
                }.get(action, "Decide to restrict") if action else "Decide"
        title = f"{what} · {reference} (ctrl+s decides once the letter passes; Escape cancels)"
        customer = view.summary.customer_name or "the customer"
        restrictions = set_out_in_words([(d.kind, d.description) for d in view.drafts])
        asked = [""]

        def question(terms: DecisionTerms, shown: DecisionPreview) -> str:
            # What is decided, as well as who decides and for whom (t15c F8): the
            # restrictions as the builder names them, their dates and the review's.
            review = (f", reviewed by {in_prose(shown.review_due, full_month=True)}"
                      if shown.review_due is not None else "")
            asked[0] = (f"{what} on {customer} ({reference}), as {acting_as(actor)}: "
                        f"{restrictions}, from {in_prose(terms.starts_on, full_month=True)} "
                        f"until {in_prose(terms.ends_on, full_month=True)}{review}? The "
                        f"decision letter prepared from it is what {customer} will be sent "
                        "once you sign it." + (f" {overtaken}" if overtaken else ""))
            return asked[0]

        # A variation left without a review date keeps the one in force (by their end, and
        # only if it falls after they start: readiness.kept_review); the hint says so.
        due = view.summary.review_due
        in_force = due if action is Action.VARY_RESTRICTIONS else None
        # Asked again in the passphrase prompt, where no form is beside it: name the letter.
        self.app.push_screen(DecisionDialog(title, terms,
                                            confirming(self.app, actor, decide,
                                                       what=lambda *_: asked[0]),
                                            self._preview, confirm=question,
                                            review_in_force=in_force),
                             self._said({Action.VARY_RESTRICTIONS: "Restrictions varied",
                                         Action.EXTEND_RESTRICTIONS: "Restrictions extended",
                                         }.get(action, "Restrictions imposed") if action
                                        else "Decided"))

    def action_lift(self) -> None:
        # The letters a lift supersedes are read first, to be named in its question (AK5).
        self.run_worker(self._check_lift, thread=True, exclusive=True,
                        group="builder-decide", exit_on_error=False)

    def _check_lift(self) -> None:
        try:
            with session():
                overtaken = issuing.superseded_by_deciding(self.crm_app.actor, self.reference)
        except DomainError as exc:
            deliver(self, self._refused, str(exc))
            return
        deliver(self, self._open_lift, overtaken)

    def _open_lift(self, overtaken: str) -> None:
        actor, reference = self.crm_app.actor, self.reference
        customer = (self.view.summary.customer_name if self.view else "") or "the customer"
        question = (f"Lift the restrictions on {customer} ({reference}) now, as "
                    f"{acting_as(actor)}? {customer} is then sent a letter saying so, once you "
                    "sign it." + (f" {overtaken}" if overtaken else ""))
        self.app.push_screen(ReasonsDialog(
            f"Lift the restrictions on {reference} early",
            "Why they can end now (the behaviour has subsided and is not likely to recur): "
            "the internal record",
            confirming(self.app, actor,
                       lambda text, told, _flag: decisions.lift_restrictions(
                           actor, reference, text, customer_reason=told), what=question),
            confirm="Lift", question=question),
            self._said("Restrictions lifted"))

    # -- a step with no dialog ------------------------------------------------------------
    def run_step(self, step: Any, said: Callable[[Any], str] | None = None) -> None:
        """Run a step; `said`: what the toast says was done, from the step's result."""
        self.run_worker(lambda: self._step(step, said), thread=True, exclusive=True,
                        group="builder-step", exit_on_error=False)

    def _step(self, step: Any, said: Callable[[Any], str] | None) -> None:
        try:
            with session():
                result = step()
        except DomainError as exc:
            deliver(self, self._refused, str(exc))
            return
        deliver(self, self._changed, True, *([said(result)] if said else []))

    def _refused(self, message: str) -> None:
        self.notify(message, title=self.reference, severity="error", markup=False)
