"""The restriction builder by keys: set out a restriction (refused at its field first),
consult, justify an equality clash, decide; the Head of Service records a view from the same
screen; an officer cannot decide."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from keyring.backends import null
from textual.pilot import Pilot
from textual.widgets import Input, Select, TextArea

from crm_tui.db.models import AuditEntry, Case, Consultation, Decision, Restriction
from crm_tui.domain.restrictions import named
from crm_tui.domain.roles import Role
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.decision import DecisionDialog
from crm_tui.ui.dialogs.error import ErrorDialog
from crm_tui.ui.dialogs.passphrase import PassphraseDialog
from crm_tui.ui.dialogs.restriction_form import RestrictionFormDialog
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.demo_decided import ready_to_decide
from tests.insecure_keyring import keyring_in_use
from tests.ui.keys import burst, on_top, settle, told, typed

SIZE = (140, 40)
REF = "UPV-2026-0005"  # under consideration: two drafts, one clashing, not yet consulted


async def opened(pilot: Pilot[Any], app: CrmApp) -> RestrictionBuilderScreen:
    await settle(pilot)
    app.push_screen(RestrictionBuilderScreen(REF))
    await settle(pilot)
    assert isinstance(app.screen, RestrictionBuilderScreen)
    return app.screen


async def decide_refused(pilot: Pilot[Any], screen: RestrictionBuilderScreen) -> None:
    """D is left out of the builder's footer, and pressed says why it cannot decide yet."""
    shown = [b.binding.description for b in screen.active_bindings.values()
             if b.enabled and b.binding.show]
    assert "Decide" not in shown, shown
    await pilot.press("D")
    await settle(pilot)
    assert pilot.app.screen is screen
    said = told(pilot.app)
    assert said[-1].startswith("Cannot decide yet: "), said


def fill(app: CrmApp, **texts: str) -> None:
    for widget_id, text in texts.items():
        widget = app.screen.query_one(f"#{widget_id}")
        if isinstance(widget, TextArea):
            widget.text = text
        else:
            assert isinstance(widget, Input)
            widget.value = text


async def yes_if_asked(pilot: Pilot[Any], app: CrmApp) -> None:
    """Say yes to the question naming who decides (asked once the form is acceptable)."""
    await settle(pilot)
    if isinstance(app.screen, AskDialog):
        assert "as Ceri Hughes, Complaints Resolution Manager" in " ".join(
            str(app.screen.query_one("#ask-question").render()).split())
        await pilot.press("y")
        await settle(pilot)


async def test_j_on_a_draft_without_a_clash_says_so(db: Path) -> None:
    # Round 10: j on a draft restriction with no clash did nothing, without a word.
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, app)
        draft = screen.highlighted
        assert draft is not None and not draft.clashes
        await pilot.press("j")
        await settle(pilot)
        assert app.screen is screen
        said = told(app)[-1]
        # Named by its kind, never by its row's number (b15e F10).
        assert said.startswith(f"No clash: the {draft.kind.label} restriction") \
            and "nothing to justify" in said and str(draft.id) not in said, said


async def test_consult_justify_and_decide_by_keys(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, app)
        assert screen.view is not None and len(screen.view.problems) == 2
        # deciding now is refused before the decision opens, saying what is missing
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, RestrictionBuilderScreen)
        [refusal] = [n for n in told(app) if n.startswith("Cannot decide yet")]
        assert "not been consulted" in refusal and "clashes with the customer's needs" in refusal
        # one sentence (round 10: "…; The Head of Service…")
        assert refusal.startswith("Cannot decide yet: the Contact in a particular form only "
                                  "restriction clashes") and "; T" not in refusal
        assert "; the Head of Service has not been consulted" in refusal
        # justify the clash on the letter-only draft (the second)
        await pilot.press("down", "j")
        await settle(pilot)
        await burst(pilot, *"A weekly call from the named officer meets the need")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # the CRM records the view the Head of Service gave: saying how is required
        await pilot.press("c")
        await settle(pilot)
        # Named by kind, with no "(version N)": linking evidence counts as a change, so a
        # draft set out once read "version 2" (v15d N4).
        about = str(app.screen.query_one("#about").render())
        assert "• The Contact in a particular form only restriction: " in about, about
        assert "version" not in about, about
        fill(app, view_text="Agree, provided the telephone need is met another way")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.query_one("#method-error").display
        assert not Consultation.select().join(Case).where(Case.reference == REF).exists()
        app.screen.query_one("#method", Select).value = "meeting"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert Consultation.select().join(Case).where(Case.reference == REF).exists()
        assert screen.view is not None and screen.view.problems == []
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, DecisionDialog)
        dialog = app.screen
        fill(app, review_due="01/01/2031")  # beyond the end: marked at the field
        fill(app, reason="Calls to several officers a day about one repair")
        await typed(pilot)
        assert dialog.query_one("#review_due-error").display and not dialog.ready
        await pilot.press("ctrl+s")  # closed until the letter passes: nothing happens
        await settle(pilot)
        assert Case.get(Case.reference == REF).state == "under_consideration"
        fill(app, review_due="", ends_on="18 months")
        await typed(pilot)
        # The letter is made, but what the customer is told is still empty: not ready, and
        # the line above the letter says what is still needed (not "ctrl+s decides").
        assert not dialog.ready
        assert "What we have decided" in str(dialog.query_one("#preview").render())
        status = " ".join(str(dialog.query_one("#letter-status").render()).split())
        assert "passes the checks" not in status
        assert "Why, as the customer is told it\u201d is required" in status
        # What the customer is told is asked for apart from the record: refused at its field.
        dialog.query_one("#customer_reason").focus()
        await burst(pilot, *"The customer rang us every day.")  # about them, not to them
        await typed(pilot)
        await pilot.press("ctrl+s")
        await yes_if_asked(pilot, app)
        assert isinstance(app.screen, DecisionDialog)
        # Refused: at the field, or already by the letter shown beside it (third person).
        said = str(dialog.query_one("#customer_reason-error").render()) + " ".join(
            str(dialog.query_one("#letter-status").render()).split())
        assert "writes about the customer" in said or "third person" in said, said
        assert Case.get(Case.reference == REF).state == "under_consideration"
        dialog.query_one("#customer_reason", TextArea).text = ""
        dialog.query_one("#customer_reason").focus()
        await burst(pilot, *"You rang several officers a day about one repair.")
        await typed(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AskDialog)  # who decides, for whom: named first
        await yes_if_asked(pilot, app)
        assert isinstance(app.screen, RestrictionBuilderScreen)
        decided = Decision.select().order_by(Decision.id.desc()).get()
        assert decided.customer_reason == "You rang several officers a day about one repair."
        assert decided.reason == "Calls to several officers a day about one repair"
        assert Case.get(Case.reference == REF).state == "restricted"
        assert Restriction.select().join(Case).where(
            (Case.reference == REF) & (Restriction.status == "in_force")).count() == 2
        assert str(Case.get(Case.reference == REF).restrictions_end) == "2028-05-28"


async def test_a_draft_changed_after_the_letter_was_read_is_not_decided(db: Path) -> None:
    """Another user changes a draft while the decision is open: deciding is refused, saying
    what changed, and the letter is brought up to date to read again."""
    from crm_tui.services.core.users import resolve_actor
    from crm_tui.services.restrictions import builder

    second = ready_to_decide(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press("D")
        await settle(pilot)
        fill(app, reason="Calls to several officers a day about one repair",
             customer_reason="You rang several officers a day about one repair.")
        await typed(pilot)
        assert isinstance(app.screen, DecisionDialog) and app.screen.ready
        builder.justify(resolve_actor("tomasz.nowak"), REF, second, "Changed meanwhile")
        await pilot.press("ctrl+s")
        await yes_if_asked(pilot, app)
        assert isinstance(app.screen, DecisionDialog)
        said = str(app.screen.query_one("#form-error").render())
        # By its kind, never by its row's number (b15e F10).
        kind = Restriction.get_by_id(second).kind
        assert f"{named(kind)} changed" in said and f"restriction {second}" not in said
        assert Case.get(Case.reference == REF).state == "under_consideration"
        await typed(pilot)  # the letter is read again: now it needs the Head of Service again
        assert not app.screen.ready
        assert "consulted again" in str(app.screen.query_one("#letter-status").render())


async def test_set_out_a_restriction_refused_at_its_field(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        before = Restriction.select().count()
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # 3. telephone on days and times
        await settle(pilot)
        fill(app, windows="16:00-14:00", reason="Calls all day", proportionality="A window",
             less_restrictive_considered="Named officer", still_reachable="Emergencies: 999")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # What can be checked before anything is sent is, all at once: the customer's words.
        assert "Say why, as the customer is told it" in str(
            app.screen.query_one("#customer_reason-error").render())
        assert Restriction.select().count() == before
        app.screen.query_one("#customer_reason").focus()
        await burst(pilot, *"You rang us many times a day. Please ring on Monday afternoons.")
        assert not app.screen.query_one("#customer_reason-error").display  # put right: gone
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.query_one("#days-error").display  # no day ticked
        await pilot.press("space")  # Monday, the highlighted day
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "ends before it starts" in str(app.screen.query_one("#windows-error").render())
        assert Restriction.select().count() == before
        fill(app, windows="14:00-16:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # The window names the number to ring.
        assert "Give the telephone number" in str(app.screen.query_one("#number-error").render())
        app.screen.query_one("#number").focus()
        await burst(pilot, *"01632 960123")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # Every field now reads, but the case already holds "letters only": the two would
        # tell the customer two things at once (found when tried), so it is refused, saying so.
        assert isinstance(app.screen, RestrictionFormDialog)
        assert "closes the telephone" in str(app.screen.query_one("#form-error").render())
        assert Restriction.select().count() == before
        await pilot.press("escape")  # typed: asked before it is thrown away
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, RestrictionBuilderScreen)
        # an officer sets out restrictions but cannot decide
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, RestrictionBuilderScreen)
        assert Case.get(Case.reference == REF).state == "under_consideration"


async def test_head_of_service_records_their_view_from_the_builder(db: Path) -> None:
    app = create_app(str(db), "priya.raman")
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, app)
        await pilot.press("c")
        await settle(pilot)
        # The clash still unjustified is named first (t15d F1): the view is taken knowingly.
        assert isinstance(app.screen, AskDialog)
        assert "clashes" in str(app.screen.query_one("#ask-question").render())
        await pilot.press("y")
        await settle(pilot)
        assert not app.screen.query("#consultee")  # their own view
        fill(app, view_text="Agree with changes: keep a telephone window")
        await pilot.press("ctrl+s")
        await settle(pilot)
        consultation = Consultation.select().join(Case).where(Case.reference == REF).get()
        assert consultation.view_text.startswith("Agree with changes")
        assert screen.view is not None and screen.view.consultation is not None


async def _until_asked(pilot: Pilot[Any], app: CrmApp) -> None:
    # The step's worker waits for the answer: wait for the dialog, not for the worker.
    for _ in range(100):
        await pilot.pause(0.05)
        if isinstance(app.screen, AskDialog):  # who acts, named first
            await pilot.press("y")
        # On top, and composed: its field and help are there to read (under load the screen
        # can be on the stack a moment before its widgets are mounted).
        if isinstance(app.screen, PassphraseDialog) and app.screen.query("#pass-help"):
            return
    raise AssertionError("the passphrase was not asked for")


async def _lift_until_asked(pilot: Pilot[Any], app: CrmApp, ref: str) -> None:
    """Lift the restrictions on `ref` from the builder by keys, up to the passphrase prompt."""
    await settle(pilot)
    app.push_screen(RestrictionBuilderScreen(ref))
    await settle(pilot)
    await pilot.press("L")
    await settle(pilot)
    app.screen.query_one("#reason", TextArea).text = "No contact of concern for six months"
    app.screen.query_one("#customer_reason", TextArea).text = (
        "You have kept to the limits for six months, so they end now.")
    await pilot.press("ctrl+s")
    await _until_asked(pilot, app)


async def test_lifting_is_confirmed_with_the_passphrase_and_a_wrong_one_changes_nothing(
        db: Path) -> None:
    ref = "UPV-2025-0004"  # restricted
    with keyring_in_use(null.Keyring()):  # the keyring holds no passphrase: asked for
        app = create_app(str(db), "ceri.hughes")
        async with app.run_test(size=SIZE) as pilot:
            await _lift_until_asked(pilot, app, ref)
            app.screen.query_one(Input).value = "not the passphrase"
            await pilot.press("enter")
            await settle(pilot)
            # Refused after the yes: a message to close first, then the form as it was.
            assert isinstance(app.screen, ErrorDialog)
            await pilot.press("enter")
            await settle(pilot)
            assert "does not open your personal key" in str(
                app.screen.query_one("#form-error").render())
            assert Case.get(Case.reference == ref).state == "restricted"
            await pilot.press("ctrl+s")
            await _until_asked(pilot, app)
            app.screen.query_one(Input).value = DEMO_PASSPHRASE
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, RestrictionBuilderScreen)
            assert Case.get(Case.reference == ref).state == "ended"
            last = AuditEntry.select().where(AuditEntry.case_reference == ref).order_by(
                AuditEntry.seq.desc()).first()
            assert last.actor_login == "ceri.hughes" and "confirmed_with_key" in last.payload


async def test_a_new_crm_makes_their_key_at_their_first_decision(db: Path,
                                                                 tmp_path: Path) -> None:
    import shutil

    from crm_tui.db.connection import open_database
    from crm_tui.services.core import confirmation, users
    from crm_tui.services.core.database_facts import set_signing_folder, signing_folder
    from crm_tui.services.letters import signing_keys

    open_database(db)
    # A key is made here: in this test's own copy of the demo's key folder, not the shared one.
    shared = signing_folder()
    assert shared is not None
    shutil.copytree(shared, tmp_path / "signing")
    set_signing_folder(str(tmp_path / "signing"))
    with confirmation.given(DEMO_PASSPHRASE):  # the administrator confirms the change
        users.change_role(users.resolve_actor("morgan.price"), "tomasz.nowak",
                          Role.CRM, "Acting CRM while Ceri is on leave")
    ref = "UPV-2025-0004"
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await _lift_until_asked(pilot, app, ref)
        assert "no personal key yet" in str(app.screen.query_one("#pass-help").render())
        app.screen.query_one(Input).value = "tomasz's own passphrase"
        await pilot.press("enter")
        await settle(pilot)
        assert Case.get(Case.reference == ref).state == "ended"
    assert signing_keys.key_file("tomasz.nowak") == tmp_path / "signing" / "tomasz.nowak.p12"
    assert signing_keys.key_file("tomasz.nowak").is_file()


@pytest.mark.parametrize("addressed", [True, False])
async def test_decide_leads_the_footer_at_80x24_when_it_is_the_next_action(
        db: Path, addressed: bool) -> None:
    """At 80x24 the footer ran out of room before D Decide, the case's way forward once the
    Head of Service was consulted: D now leads the footer while deciding is next, and only
    while a decision can be made (it led while the screen listed the letter that could not
    go, and D refused)."""
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    ready_to_decide(db)
    if not addressed:  # the decision letter cannot go without the customer's address
        from crm_tui.db.models import Customer

        Customer.update(address="", postcode="").where(
            Customer.id == Case.get(Case.reference == REF).customer_id).execute()
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        assert screen.view is not None
        assert (screen.view.summary.next_action or "").startswith("Decide")
        assert bool(screen.view.problems) is not addressed
        await pilot.pause()
        keys = [k for k in screen.query_one(Footer).query(FooterKey) if k.display]
        assert keys and (keys[0].key == "D") is addressed
        if addressed:
            assert "Decide" in str(keys[0].description)


async def test_the_preview_says_first_what_still_stands_in_the_way(db: Path) -> None:
    """Round 8: at 100x30 what stood in the way was pages below the letter, read as missing."""
    from crm_tui.ui.dialogs.detail import DetailDialog

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot, app)
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DetailDialog)
        shown = " ".join(str(dialog.query_one("VerticalScroll Static").render()).split())
        assert shown.startswith("Still in the way: • "), shown[:200]
        assert "The Head of Service has not been consulted" in shown.split("The letter:")[0]


async def test_d_is_offered_only_when_deciding_can_go_ahead(db: Path) -> None:
    """Round 12, finding 4: on a referral just taken into consideration, nothing set out, the
    footer offered D Decide and D answered "Cannot decide yet: …". Now the footer leaves D out
    while anything stands in the way, and D still says what does."""
    from crm_tui.db.connection import open_database
    from crm_tui.db.models import database_proxy
    from crm_tui.services.core.users import resolve_actor
    from crm_tui.services.intake import casework

    ref = "UPV-2026-0009"  # a new referral in the demo
    open_database(db)
    casework.begin_consideration(resolve_actor("ceri.hughes"), ref)
    database_proxy.close()
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, RestrictionBuilderScreen(ref))
        assert screen.view is not None
        assert not screen.view.drafts and screen.view.problems
        await decide_refused(pilot, screen)


async def test_a_variation_while_the_review_is_overdue_says_to_hold_the_review(
        db: Path) -> None:
    """Round 12, 10a/b: on UPV-2025-0002 (its review overdue), r then D opened "Vary the
    restrictions" refusing its own Review by (a day past), while any later day is a longer
    review; the builder said "Ready". Now the builder says to hold the review first, D is
    not offered, and pressed says so."""
    from crm_tui.db.connection import open_database
    from crm_tui.db.models import database_proxy
    from crm_tui.services.core.users import resolve_actor
    from crm_tui.services.restrictions import builder

    ref = "UPV-2025-0002"
    open_database(db)
    builder.redraft_in_force(resolve_actor("ceri.hughes"), ref)
    due = Case.get(Case.reference == ref).review_due
    database_proxy.close()
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert due is not None and due <= date(2026, 11, 28)  # overdue on the frozen day
        screen = await on_top(pilot, RestrictionBuilderScreen(ref))
        panel = " ".join(str(screen.query_one("#readiness-panel").render()).split())
        assert "Hold the review first" in panel and "Ready for" not in panel
        await pilot.press("D")
        await settle(pilot)
        assert not isinstance(app.screen, DecisionDialog)
        assert "Hold the review first" in told(app)[-1]


async def test_a_greeting_the_letter_cannot_carry_is_said_before_d(db: Path) -> None:
    """Found when tried: a customer named with markup-like text, consulted and justified, the
    builder said "Ready for the CRM's decision (D)" and offered D, whose form then refused the
    letter's greeting. Now the greeting stands in the builder's list, with where to fix it,
    and D is left out of the footer and refused at once."""
    from crm_tui.db.models import Customer, database_proxy

    ready_to_decide(db)
    Customer.update(name="[bold red]Mr[/] Quentin [link=https://a.example]q[/link]").where(
        Customer.id == Case.get(Case.reference == REF).customer_id).execute()
    database_proxy.close()
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot, app)
        panel = " ".join(str(screen.query_one("#readiness-panel").render()).split())
        assert "Ready for the CRM's decision" not in panel
        assert "a greeting a council would not write" in panel, panel
        assert "How we write: D on the case file" in panel, panel
        await decide_refused(pilot, screen)
        assert "a greeting a council would not write" in told(app)[-1]


async def test_a_matter_title_the_letter_cannot_print_is_said_before_d(db: Path) -> None:
    """v15 N8: a restriction naming a matter titled with "[" (stored before titles were read
    with the letter's rules) read "Ready for the CRM's decision (D)" and offered D, whose form
    then refused the letter's "internal wording". Now it stands in the builder's list, with
    where to change it, and D is left out of the footer and refused at once."""
    import json

    from crm_tui.db.connection import open_database
    from crm_tui.db.models import database_proxy
    from crm_tui.domain.outcomes import ConsultationView
    from crm_tui.domain.restrictions import RestrictionKind
    from crm_tui.services.core import confirmation
    from crm_tui.services.core.users import resolve_actor
    from crm_tui.services.intake import casework
    from crm_tui.services.restrictions import builder

    open_database(db)
    crm, head = resolve_actor("ceri.hughes"), resolve_actor("priya.raman")
    first, second = (d.id for d in builder.builder_view(crm, REF).drafts[:2])
    with confirmation.given(DEMO_PASSPHRASE):
        builder.justify(crm, REF, second, "A weekly call meets the need")
        casework.record_consultation(head, REF, view=ConsultationView.AGREES,
                                     view_text="Agree", proposed_end=date(2028, 11, 28))
    Restriction.update(kind=RestrictionKind.NEW_ISSUES_ONLY.value, parameters=json.dumps(
        {"closed_issues": ["Gutter repair [/b] 2026"]})).where(
        Restriction.id == first).execute()
    database_proxy.close()
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot, app)
        panel = " ".join(str(screen.query_one("#readiness-panel").render()).split())
        assert "Ready for the CRM's decision" not in panel
        assert "internal wording “[” under “What we have decided”" in panel, panel
        assert "leave such a matter out" in panel, panel
        await decide_refused(pilot, screen)
        assert "internal wording “[”" in told(app)[-1]


async def test_both_bad_time_windows_are_said_with_every_other_problem_at_the_first_save(
        db: Path) -> None:
    """b15d F5: with no day ticked, nothing was said under the time windows; the second bad
    window was said only once the first was put right."""
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        before = Restriction.select().count()
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # 3. telephone on days and times
        await settle(pilot)
        app.screen.query_one("#windows").focus()
        await burst(pilot, *"16:00-14:00, 25:00-26:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.query_one("#days-error").display  # no day ticked
        windows = " ".join(str(app.screen.query_one("#windows-error").render()).split())
        assert '"16:00-14:00" ends before it starts' in windows, windows
        assert '"25:00-26:00" is not a time window like 10:00-12:00' in windows, windows
        assert "Say why, as the customer is told it" in str(
            app.screen.query_one("#customer_reason-error").render())
        assert Restriction.select().count() == before
