"""The restriction form says which of its words reach the customer's letter: "how the customer
can still reach the council" is for staff (the builder, the staff register), and says so, as the
form's other internal fields do (b15e F4: a CRM typed an emergency line there for the customer,
and the letter never printed it)."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.screen import Screen
from textual.widgets import Label

from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.ui.dialogs.restriction_form import RestrictionFormDialog


class Host(App[None]):
    """A bare app to open one dialog over: no database, nothing sent."""

    def __init__(self, dialog: Screen[Any]) -> None:
        super().__init__()
        self.dialog = dialog

    def on_mount(self) -> None:
        self.push_screen(self.dialog)


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
        assert "for staff and the staff register" in reachable, reachable
        assert "the letter gives the ways the restrictions leave open" in reachable
        assert "the letter prints it" in _label_above(dialog, "customer_reason")
