"""The restriction form and the builder's panel say which words reach the customer's letter:
"how the customer can still reach the council" is for staff (the builder, the staff register),
not printed in the letter, and both say so, as the form's other internal fields do (b15e F4: a
CRM typed an emergency line there for the customer, and the letter never printed it)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label, Static

from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.restriction_form import RestrictionFormDialog
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.ui.dialog_host import Host
from tests.ui.keys import on_top, settle


def _label_above(dialog: RestrictionFormDialog, field_id: str) -> str:
    widget = dialog.query_one(f"#{field_id}")
    siblings = list(widget.parent.children)  # type: ignore[union-attr]
    label = siblings[siblings.index(widget) - 1]
    assert isinstance(label, Label)
    return " ".join(str(label.render()).split())


async def test_the_form_says_the_still_reachable_words_are_for_staff() -> None:
    dialog = RestrictionFormDialog("UPV-2026-0001", RestrictionKind.NAMED_OFFICER, [], [],
                                   None, lambda _values: None)
    app = Host(dialog)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        reachable = _label_above(dialog, "still_reachable")
        assert reachable.startswith("How the customer can still reach the council")
        assert "for staff and the staff register, not printed in the letter" in reachable
        assert "the letter gives the ways the restrictions leave open" in reachable
        assert "the letter prints it" in _label_above(dialog, "customer_reason")


async def test_the_builder_says_the_still_reachable_words_are_not_in_the_letter(
        db: Path) -> None:
    """Read back in the builder's panel, the same words are labelled as for staff: the
    letter never prints them."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, RestrictionBuilderScreen("UPV-2026-0005"))
        panel = " ".join(str(screen.query_one("#draft-detail", Static).render()).split())
        assert ("How the customer can still reach the council (for staff, not printed in "
                "the letter): ") in panel, panel
