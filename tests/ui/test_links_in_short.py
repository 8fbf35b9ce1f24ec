"""The evidence tables' "Linked to" cell counts the restrictions a document or contact rests
under; the line under the table names each by its kind (b15e F10)."""

from __future__ import annotations

from crm_tui.ui.text import links_in_short


def test_the_cell_counts_restrictions_and_keeps_the_referral() -> None:
    kind = "Contact in a particular form only restriction"
    assert links_in_short(["referral", kind]) == "referral, 1 restriction"
    assert links_in_short([kind, "Named officer only restriction"]) == "2 restrictions"
    assert links_in_short(["referral"]) == "referral"
    assert links_in_short([]) == ""
