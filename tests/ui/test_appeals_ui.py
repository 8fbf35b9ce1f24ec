"""Appeals by keys on the demo: recorded while a review is under way and confirmed back into
it, the grounds in front of whoever decides, the CRM refused the decision and the outcome
letter (nothing stored), and the Service Director's nominations recorded and revoked."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TextArea

from crm_tui.db.connection import open_database
from crm_tui.db.models import Appeal, AuditEntry, Case, Letter, Nomination
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Role
from crm_tui.services.core import confirmation, users
from crm_tui.services.letters import signing_keys
from crm_tui.services.reviews import nominations
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.appeal import AppealDialog
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.passphrase import PassphraseDialog
from crm_tui.ui.dialogs.reasons import ReasonsDialog
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.screens.nominations import NominationsScreen
from tests.ui.keys import burst, on_top, settle

SIZE = (140, 40)
UNDER_REVIEW = "UPV-2025-0003"  # an extension proposed, the customer's comments due
UNDER_APPEAL = "UPV-2026-0004"  # lodged eight days ago, awaiting a decision
APPEAL_DECIDED = "UPV-2025-0002"  # confirmed by Gareth Bell, its letter sent


def add_nominated_deputy(db: Path) -> None:
    """Lee Okoro, Deputy Head of Legal Services, who gave no view on any demo case: added by
    the administrator, and nominated by Gareth Bell for his fortnight's leave."""
    open_database(db)
    with confirmation.given(signing_keys.DEMO_PASSPHRASE):
        users.add_user(users.resolve_actor("morgan.price"), "lee.okoro", "Lee Okoro",
                       Role.HEAD_OF_SERVICE, title="Deputy Head of Legal Services",
                       staff_id="NM2001")
        nominations.nominate(users.resolve_actor("gareth.bell"), "lee.okoro", "Annual leave",
                             valid_from=date(2026, 11, 28), valid_until=date(2026, 12, 11))


def text_of(app: CrmApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def _state(ref: str) -> str:
    return str(Case.get(Case.reference == ref).state)


async def confirm(pilot: Pilot[Any], app: CrmApp) -> None:
    """Say yes to the question naming who decides; answer the passphrase prompt, if the
    keyring did not hold it."""
    await settle(pilot)
    if isinstance(app.screen, AskDialog):
        assert "as Gareth Bell, Service Director, Legal & Business Operations?" in " ".join(
            text_of(app, "#ask-question").split())
        await pilot.press("y")
        await settle(pilot)
    if isinstance(app.screen, PassphraseDialog):
        app.screen.query_one(Input).value = signing_keys.DEMO_PASSPHRASE
        await pilot.press("enter")
        await settle(pilot)


async def case_file(pilot: Pilot[Any], app: CrmApp, ref: str) -> CaseFileScreen:
    await settle(pilot)
    app.push_screen(CaseFileScreen(ref))
    await settle(pilot)
    assert isinstance(app.screen, CaseFileScreen)
    return app.screen


async def test_an_appeal_lodged_during_a_review_is_decided_back_into_it(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await case_file(pilot, app, UNDER_REVIEW)
        await pilot.press("A")
        await settle(pilot)
        app.screen.query_one("#grounds", Input).value = "The review letter never reached me"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _state(UNDER_REVIEW) == "under_appeal"
        timeline = app.screen.query_one("#timeline", DataTable)
        titles = [str(timeline.get_row_at(i)[2]) for i in range(timeline.row_count)]
        # Its decision's appeal period is long past: said late (v15b S8), and recorded.
        assert any(t.startswith("Appeal received 28 Nov 2026 (late: after the appeal deadline")
                   and "recorded by Tomasz Nowak" in t
                   and t.endswith("Grounds: The review letter never reached me") for t in titles)
    add_nominated_deputy(db)
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        await case_file(pilot, app, UNDER_REVIEW)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, AppealDialog)
        assert "The review letter never reached me" in text_of(app, "#appeal-grounds")
        assert "returns to the review under way" in text_of(app, "#appeal-facts")
        assert "nominated: Lee Okoro (lee.okoro), for appeals decided from 28 November 2026 to " \
            "11 December 2026, nominated by Gareth Bell" in " ".join(
                text_of(app, "#appeal-deciders").split())
        await pilot.press("enter")  # confirmed
        await settle(pilot)
        assert isinstance(app.screen, ReasonsDialog)
        assert "The review letter never reached me" in text_of(app, "#prompt")
        app.screen.query_one("#reason", TextArea).text = "It was sent to the address on file"
        await pilot.press("ctrl+s")
        await settle(pilot)
        # What the customer is told is asked for apart, and refused at its field without it.
        assert "Say why, as the customer is told it" in text_of(app, "#customer_reason-error")
        assert isinstance(app.screen, ReasonsDialog)
        app.screen.query_one("#customer_reason").focus()
        await burst(pilot, *"We sent the letter to your address. The decision stands.")
        await pilot.press("ctrl+s")
        await confirm(pilot, app)
        assert _state(UNDER_REVIEW) == "under_review"
        assert Case.get(Case.reference == UNDER_REVIEW).reply_by is not None
        # The customer is told the result (v15i J1: the review date already past, the outcome
        # letter could never be issued, was not the next action, and W had nothing to write).
        screen = app.screen
        assert isinstance(screen, CaseFileScreen) and screen.data is not None
        assert screen.data.summary.next_action == "Sign the appeal outcome letter"
        await pilot.press("W")
        await settle(pilot)
        letters = app.screen
        assert isinstance(letters, CaseLettersScreen)
        assert LetterKind.APPEAL_OUTCOME in letters.kinds
        assert letters.highlighted is LetterKind.APPEAL_OUTCOME


async def test_the_crm_is_refused_the_appeal_and_nothing_is_stored(db: Path) -> None:
    """Refused at the key, by the rule the decision itself is refused with: no form opens
    for reasons that could never be saved, and the footer does not offer the key."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await case_file(pilot, app, UNDER_APPEAL)
        assert app.screen.active_bindings["A"].binding.action == "why_no_appeal"
        entries = AuditEntry.select().count()
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)  # no appeal dialog, no reasons asked
        said = " ".join(str(n.message) for n in app._notifications)
        assert "awaits the decision of the Service Director" in said
        # In plain words, with the article, and no outcome named where none was chosen
        # (v22 C6: "Complaints Resolution Manager may not confirm on appeal").
        assert ("an officer they nominated: the Complaints Resolution Manager does not decide "
                "appeals, and no nomination of the Service Director's covers you for this "
                "case today") in said, said
        assert "confirm" not in said, said
        assert _state(UNDER_APPEAL) == "under_appeal"
        assert AuditEntry.select().count() == entries


async def test_only_who_decided_the_appeal_signs_its_letter(db: Path, tmp_path: Path) -> None:
    """Its letter was issued by Gareth Bell; a duplicate of it is signed by him alone."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(APPEAL_DECIDED))
        assert LetterKind.APPEAL_OUTCOME not in screen.kinds  # issued already: not again
        # Nothing new to write: the register is in hand from the start, on the latest letter
        # (v15e F11; it took Tab before).
        assert screen.in_register
        assert screen.entry is not None and screen.entry.kind is LetterKind.APPEAL_OUTCOME
        assert "decided by Gareth Bell" in " ".join(
            str(screen.query_one("#letter-text").render()).split())
        issued = Letter.select().where(Letter.status == "issued").count()
        assert screen.check_action("resend", ()) is False  # the key is not offered to the CRM
        assert screen.check_action("export_copy", ()) is True
        # and the re-sending itself refuses her, as a script going round the key would be.
        screen.action_resend()
        await settle(pilot)
        app.screen.query_one(TextArea).text = "Never arrived"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AskDialog)  # "Sign and issue a marked copy … as Ceri"
        await pilot.press("y")
        await settle(pilot)
        said = [str(n.message) for n in app._notifications]
        assert any("Ceri Hughes may not sign the appeal outcome letter: it is signed only by "
                   "the person who decided the appeal, Gareth Bell" in m for m in said), said
        assert Letter.select().where(Letter.status == "issued").count() == issued
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(APPEAL_DECIDED))
        assert screen.check_action("resend", ()) is True


async def test_the_service_director_records_and_revokes_a_nomination_by_keys(db: Path) -> None:
    add_nominated_deputy(db)
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        await case_file(pilot, app, UNDER_APPEAL)
        await pilot.press("N")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NominationsScreen)
        table = screen.query_one("#nominations", DataTable)
        assert table.row_count == 1  # Lee Okoro, for the Service Director's leave
        assert "Annual leave" in text_of(app, "#nomination-detail")
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter")  # the first who may be nominated: Lee Okoro
        await settle(pilot)
        assert app.screen.query_one("#case", Input).value == UNDER_APPEAL
        app.screen.query_one("#reason", Input).value = "Named for this case"
        await pilot.press("ctrl+s")
        await confirm(pilot, app)
        assert isinstance(app.screen, NominationsScreen)
        assert Nomination.select().where(Nomination.case.is_null(False)).count() == 1
        await pilot.press("x")  # on the newest: the one just made
        await settle(pilot)
        app.screen.query_one(TextArea).text = "Made in error"
        await pilot.press("ctrl+s")
        await confirm(pilot, app)
        made = Nomination.get(Nomination.case.is_null(False))
        assert made.revoked_at is not None and made.revoke_reason == "Made in error"


async def test_who_may_not_nominate_is_not_offered_it_and_who_took_part_is_refused(
        db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await case_file(pilot, app, UNDER_APPEAL)
        await pilot.press("N")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NominationsScreen)
        assert screen.check_action("nominate", ()) is False
        assert screen.check_action("revoke", ()) is False
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(NominationsScreen(UNDER_APPEAL))
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter")  # Priya Raman, who gave the Head of Service's view
        await settle(pilot)
        app.screen.query_one("#reason", Input).value = "Cover"
        before = Nomination.select().count()
        await pilot.press("ctrl+s")
        await confirm(pilot, app)
        assert "Priya Raman took part in the decision on UPV-2026-0004" in text_of(
            app, "#form-error")
        assert Nomination.select().count() == before
        assert Appeal.select().where(Appeal.outcome == "").count() == 1


async def test_at_80x24_the_letters_footer_keeps_sign_and_issue(db: Path) -> None:
    """Round 8: the case file said "Sign the appeal outcome letter", but the case's Letters
    footer at 80x24 read "esc Back v Read the letter p Prepare for signing": s dropped."""
    from crm_tui.domain.outcomes import AppealOutcome
    from crm_tui.services.reviews import appeals
    from tests.ui.test_footers import shown_keys

    open_database(db)
    with confirmation.given(signing_keys.DEMO_PASSPHRASE):
        appeals.decide_appeal(users.resolve_actor("gareth.bell"), UNDER_APPEAL,
                              AppealOutcome.CONFIRMED, "The restrictions stand",
                              customer_reason="We looked again. The restrictions stay.")
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(UNDER_APPEAL))
        assert screen.highlighted is LetterKind.APPEAL_OUTCOME
        assert "s" in shown_keys(app)


async def test_the_nominations_screen_says_who_may_be_nominated_in_sentences(db: Path) -> None:
    """Round 8: the rule read "not the user administrator manages users …"; the dialog was
    titled with the login, and its help was the generic "A short form"."""
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(NominationsScreen(UNDER_APPEAL))
        await settle(pilot)
        rule = " ".join(text_of(app, "#nominations-help").split())
        assert "not the user administrator manages" not in rule
        assert "Nobody in another role may be: The user administrator manages users" in rule
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter")  # Priya Raman
        await settle(pilot)
        assert text_of(app, "#fields-title") == "Nominate Priya Raman to decide appeals"
        await pilot.press("f1")
        await settle(pilot)
        help_text = app.screen.text()  # type: ignore[attr-defined]
        assert "A short form" not in help_text
        assert "Help — Nominate Priya Raman to decide appeals" in help_text
        assert "For one case: its reference" in help_text


async def test_a_placeholder_is_refused_as_the_grounds_at_its_field(db: Path) -> None:
    """Round 10: "n/a" was recorded as an appeal's grounds. The form refuses it at the field,
    by the rule the service refuses it with, before anything is saved."""
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await case_file(pilot, app, UNDER_REVIEW)
        await pilot.press("A")
        await settle(pilot)
        app.screen.query_one("#grounds", Input).value = "n/a"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "is not the customer's grounds" in text_of(app, "#grounds-error")
        assert _state(UNDER_REVIEW) == "under_review"


async def test_the_appeal_decision_shows_both_fields_problems_at_the_first_save(
        db: Path) -> None:
    """b15d F4: "n/a" as the reasons and "-" as what the customer is told: only the reasons'
    problem was shown; the customer text's came once the reasons were put right."""
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        await case_file(pilot, app, UNDER_APPEAL)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, AppealDialog)
        await pilot.press("enter")  # confirmed
        await settle(pilot)
        assert isinstance(app.screen, ReasonsDialog)
        app.screen.query_one("#reason").focus()
        await burst(pilot, *"n/a", "tab", "-", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReasonsDialog)  # nothing decided
        assert "This is not a reason" in text_of(app, "#reason-error")
        told = " ".join(text_of(app, "#customer_reason-error").split())
        assert told.startswith("This would not read as a letter to the customer: a sentence "
                               "without a full stop"), told
        assert _state(UNDER_APPEAL) == "under_appeal"


async def test_an_appeal_after_its_deadline_is_said_late_at_the_date_and_recorded_so(
        db: Path) -> None:
    """v15b S8: an appeal received weeks after the date its letter gave was recorded without
    a word. The form says so under the date as it is typed (not refusing: the policy sets no
    limit while restrictions are in force), and the case file's timeline says it was late."""
    from datetime import timedelta

    from textual.widgets import Static

    from crm_tui.services.core.database import session
    from crm_tui.services.reviews import appeals
    from crm_tui.ui.dialogs.fields import FieldsDialog

    ref = "UPV-2026-0002"  # restricted, its decision letter issued with an appeal-by date
    open_database(db)
    with session():
        deadline = appeals.view(users.resolve_actor("tomasz.nowak"), ref).appeal_by
    assert deadline is not None
    late = deadline + timedelta(days=1)
    assert late <= date(2026, 11, 28)  # the frozen today: a day that can be received on
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=(100, 30)) as pilot:
        await case_file(pilot, app, ref)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, FieldsDialog)
        note = app.screen.query_one("#received_on-note", Static)
        app.screen.query_one("#received_on", Input).value = f"{deadline:%d/%m/%Y}"
        await settle(pilot)
        assert not note.display  # on the last day: in time
        app.screen.query_one("#received_on", Input).value = f"{late:%d/%m/%Y}"
        await settle(pilot)
        assert note.display and str(note.render()).startswith("Late: received after the "
                                                              "appeal deadline")
        app.screen.query_one("#grounds", Input).value = "The restriction is unfair"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        timeline = app.screen.query_one("#timeline", DataTable)
        titles = [str(timeline.get_row_at(i)[2]) for i in range(timeline.row_count)]
        assert any(t.startswith("Appeal received") and "(late: after the appeal deadline of"
                   in t for t in titles), titles


async def test_the_nominations_passphrase_prompts_name_what_is_confirmed(db: Path) -> None:
    """Issue 15: the passphrase prompts of nominating and revoking said only "Confirming as
    Gareth Bell, …", not the step being confirmed, as every other confirmation does."""
    from keyring.backends import null

    from tests.insecure_keyring import keyring_in_use
    from tests.ui.keys import asked

    add_nominated_deputy(db)
    with keyring_in_use(null.Keyring()):  # the keyring holds no passphrase: asked for
        app = create_app(str(db), "gareth.bell")
        async with app.run_test(size=SIZE) as pilot:
            await case_file(pilot, app, UNDER_APPEAL)
            await pilot.press("N")
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            await pilot.press("enter")  # the first who may be nominated: Lee Okoro
            await settle(pilot)
            app.screen.query_one("#reason", Input).value = "Named for this case"
            await pilot.press("ctrl+s")
            prompt = await asked(pilot)
            assert isinstance(prompt, PassphraseDialog)
            said = " ".join(str(prompt.query_one("#pass-what").render()).split())
            assert said.startswith("Nominate ") and "to decide appeals, as Gareth Bell, " \
                "Service Director" in said, said
            assert not said.startswith("Confirming as"), said
            await pilot.press("escape")
            await settle(pilot)
            assert Nomination.select().where(Nomination.case.is_null(False)).count() == 0


async def test_upheld_in_part_with_nothing_set_out_says_why_at_once(db: Path) -> None:
    """v15e F14: "upheld in part" with nothing set out in the builder opened the whole amend
    form, whose panel then said "cannot amend on appeal: at least one restriction must be set
    out". Now it says so at once, in words, with the way forward, and no form opens; and the
    amend form's panel does not tell the Service Director to press k, which he is not
    offered."""
    from textual.widgets import OptionList

    from crm_tui.domain.categories import BehaviourCategory
    from crm_tui.domain.restrictions import RestrictionKind
    from crm_tui.services.core.inputs import DecisionTerms, RestrictionDraft
    from crm_tui.services.restrictions import decisions, readiness

    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        await case_file(pilot, app, UNDER_APPEAL)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, AppealDialog)
        await pilot.press("down")
        options = app.screen.query_one(OptionList)
        assert options.highlighted is not None
        assert options.get_option_at_index(options.highlighted).id == "amended"
        entries = AuditEntry.select().count()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)  # no amend form
        said = " ".join(str(list(app._notifications)[-1].message).split())
        assert said.startswith(f"Nothing is set out to amend the restrictions on {UNDER_APPEAL} "
                               "to. Set out the restrictions as they should now be in the "
                               "restriction builder (R on the case file, then a)"), said
        assert "cannot amend on appeal" not in said
        assert AuditEntry.select().count() == entries
    gareth = users.resolve_actor("gareth.bell")
    decisions.draft_restriction(gareth, UNDER_APPEAL, RestrictionDraft(
        RestrictionKind.BLOCK_ELECTRONIC, {"why_nothing_less": "Threats by email continued"},
        reason="Threatening emails to two officers", proportionality="Only letters remain",
        less_restrictive_considered="Letter only, which the customer did not keep to",
        still_reachable="Emergencies: 01632 960999. New matters: by letter.",
        behaviours=(BehaviourCategory.EXCESSIVE_DEMANDS,),
        customer_reason="You sent threatening emails to two officers."))
    found = readiness.preview_amendment(gareth, UNDER_APPEAL, DecisionTerms(
        starts_on=date(2026, 11, 28), ends_on=date(2027, 1, 31)), "Lighter on appeal").problems
    bare = [p for p in found if "rests on no linked evidence" in p]
    assert bare and all("(k links" not in p for p in bare), found
    assert "the Complaints Resolution Team links evidence to it" in bare[0]



async def test_upheld_in_part_on_drafts_with_no_evidence_refuses_at_once(db: Path) -> None:
    """v22 C1: as the Service Director, "upheld in part" on a restriction set out with no
    evidence linked opened the amend form, whose panel said it could not be decided; the
    decider cannot link evidence. Now choosing it refuses at once with the reason the form's
    save gives (who links the evidence), nothing opens, and the palette's Appeal entry says
    the same."""
    from textual.command import CommandPalette
    from textual.widgets import OptionList

    from crm_tui.domain.categories import BehaviourCategory
    from crm_tui.domain.restrictions import RestrictionKind
    from crm_tui.services.core.inputs import RestrictionDraft
    from crm_tui.services.restrictions import decisions
    from crm_tui.ui.commands import palette_commands

    open_database(db)
    gareth = users.resolve_actor("gareth.bell")
    decisions.draft_restriction(gareth, UNDER_APPEAL, RestrictionDraft(
        RestrictionKind.SIGNIFICANT_QUERIES_ONLY,
        {"definition": "Matters of safety, money owed or a new service need"},
        reason="Repeated trivial queries", proportionality="Other matters still answered",
        less_restrictive_considered="A single point of contact, which did not stop them",
        still_reachable="Significant and serious queries: by letter.",
        behaviours=(BehaviourCategory.EXCESSIVE_DEMANDS,),
        customer_reason="You asked many unimportant questions."))
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        screen = await case_file(pilot, app, UNDER_APPEAL)
        entry = next(c for c in palette_commands(app, screen) if c.title.startswith("Appeal"))
        assert "\u201cUpheld in part\u201d cannot be decided" in entry.help, entry.help
        assert "the Complaints Resolution Team links evidence to it" in entry.help
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, AppealDialog)
        await pilot.press("down")
        options = app.screen.query_one(OptionList)
        assert options.highlighted is not None
        assert options.get_option_at_index(options.highlighted).id == "amended"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)  # no amend form
        assert not isinstance(app.screen, CommandPalette)
        said = " ".join(str(list(app._notifications)[-1].message).split())
        assert said.startswith(f"\u201cUpheld in part\u201d cannot be decided on {UNDER_APPEAL} "
                               "yet: "), said
        assert "rests on no linked evidence (the Complaints Resolution Team links evidence " \
               "to it: k in the builder" in said, said
        assert "(k links" not in said


async def set_out_telephone_times(pilot: Pilot[Any], app: CrmApp, days: tuple[str, ...],
                                  window: str) -> str:
    """As the one signed in, in the builder of the case under appeal: a (3. telephone times)
    on `days` in `window`, saved with ctrl+s; the toast it gives, on one line."""
    from textual.widgets import SelectionList

    from crm_tui.ui.dialogs.restriction_form import RestrictionFormDialog
    from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
    from tests.ui.keys import on_top, press_settled, told

    await settle(pilot)
    await on_top(pilot, RestrictionBuilderScreen(UNDER_APPEAL))
    await press_settled(pilot, "a")
    await press_settled(pilot, "down", "down", "enter")  # 3. telephone times
    form = app.screen
    assert isinstance(form, RestrictionFormDialog), form
    for day in days:
        form.query_one("#days", SelectionList).select(day)
    for widget_id, text in (
            ("windows", window), ("number", "01632 960999"),
            ("reason", "Calls all day to several officers"),
            ("proportionality", "Set hours still reach us"),
            ("less_restrictive_considered", "Two days, the restriction in force"),
            ("still_reachable", "Emergencies: 999"),
            ("customer_reason", "You rang several officers many times a day.")):
        widget = form.query_one(f"#{widget_id}")
        if isinstance(widget, TextArea):
            widget.text = text
        else:
            assert isinstance(widget, Input)
            widget.value = text
    await press_settled(pilot, "ctrl+s")
    assert not isinstance(app.screen, RestrictionFormDialog), [
        str(w.render()) for w in form.query(".error, Static") if "error" in str(w.id)]
    return " ".join(told(app)[-1].split())


async def test_a_lighter_restriction_set_out_on_appeal_carries_the_evidence_by_keys(
        db: Path) -> None:
    """v22 C1: as the Service Director, a lighter telephone restriction set out in the
    builder (a) in place of the one in force rested on no evidence, which he may not link.
    Now it rests on the evidence of the one it replaces, the builder says so, and "upheld in
    part" opens the amend form. (Calls on Friday too: lighter than Monday and Wednesday,
    14:00-16:00, in force.)"""
    from crm_tui.ui.dialogs.decision import DecisionDialog
    from tests.ui.keys import on_top, press_settled, told

    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        said = await set_out_telephone_times(pilot, app, ("mon", "wed", "fri"), "14:00-16:00")
        assert said == ("Telephone on specified days and times: restriction drafted, resting "
                        "on the evidence linked to the one in force it would replace on "
                        "appeal"), said
        await on_top(pilot, CaseFileScreen(UNDER_APPEAL))
        await press_settled(pilot, "A", "down", "enter")  # upheld in part
        assert isinstance(app.screen, DecisionDialog), told(app)[-1]


async def test_a_stricter_restriction_set_out_on_appeal_is_refused_at_once_by_keys(
        db: Path) -> None:
    """v23 D1: as the Service Director, Monday only 14:00-15:00 set out in place of Monday and
    Wednesday 14:00-16:00 in force: the toast said only that it rests on the carried
    evidence, and "upheld in part" opened the amend form, whose panel said an amendment
    cannot make the restrictions stricter ("as set out, it fewer telephone days", D2). Now
    the toast warns, choosing it refuses at once in those words (no form), and the palette's
    Appeal entry says the same."""
    from textual.widgets import OptionList

    from crm_tui.ui.commands import palette_commands
    from crm_tui.ui.dialogs.decision import DecisionDialog
    from tests.ui.keys import on_top, press_settled, told

    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        said = await set_out_telephone_times(pilot, app, ("mon",), "14:00-15:00")
        assert said.startswith("Telephone on specified days and times: restriction drafted, "
                               "resting on the evidence linked to the one in force it would "
                               "replace on appeal. It is stricter than the restrictions in "
                               "force: as set out, it has fewer telephone days (no calls on "
                               "Wednesday) and has shorter telephone hours on Monday. "), said
        assert "\u201cupheld in part\u201d is refused" in said, said
        screen = await on_top(pilot, CaseFileScreen(UNDER_APPEAL))
        entry = next(c for c in palette_commands(app, app.screen)
                     if c.title.startswith("Appeal"))
        assert "\u201cUpheld in part\u201d cannot be decided" in entry.help, entry.help
        assert "it has fewer telephone days" in entry.help, entry.help
        await press_settled(pilot, "A", "down")
        assert isinstance(app.screen, AppealDialog)
        options = app.screen.query_one(OptionList)
        assert options.highlighted is not None
        assert options.get_option_at_index(options.highlighted).id == "amended"
        await press_settled(pilot, "enter")
        assert not isinstance(app.screen, DecisionDialog)  # no amend form
        assert isinstance(app.screen, CaseFileScreen), (app.screen, screen)
        refused = " ".join(told(app)[-1].split())
        assert refused.startswith(f"\u201cUpheld in part\u201d cannot be decided on "
                                  f"{UNDER_APPEAL} yet: an amendment on appeal cannot make the "
                                  "restrictions stricter or longer: as set out, it has fewer "
                                  "telephone days (no calls on Wednesday) and has shorter "
                                  "telephone hours on Monday. Keep the restrictions"), refused
