"""The register's copy actions are a declared hook, not a stub: a screen that mixes them in
without saying how it shows the outcome cannot be made at all (rather than failing later,
when a copy is exported)."""

from __future__ import annotations

import pytest

from crm_tui.ui.letter_copies import LetterCopies
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.screens.letters_area import LettersScreen


def test_a_screen_without_the_outcome_hook_cannot_be_made() -> None:
    # The mixin itself, not a subclass made here: one would stay among its subclasses, which
    # tests/ui/test_worker_failures.py walks.
    assert LetterCopies.__abstractmethods__ == frozenset({"copies_done"})
    with pytest.raises(TypeError, match="copies_done"):
        LetterCopies()


@pytest.mark.parametrize("screen", [LettersScreen, CaseLettersScreen])
def test_the_screens_that_list_the_register_give_the_hook(screen: type[LetterCopies]) -> None:
    assert not screen.__abstractmethods__
    # Textual's own metaclass still gathered their handlers.
    assert screen._decorated_handlers
