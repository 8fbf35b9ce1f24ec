"""One rule for a key that cannot work: out of the footer, and refused with a reason."""

from __future__ import annotations

from crm_tui.ui.refused_keys import key_answer

SESSION = ("session", "why_no_session")


def test_while_the_key_works_only_the_working_action_answers() -> None:
    assert key_answer("session", (*SESSION, lambda: True)) is True
    assert key_answer("why_no_session", (*SESSION, lambda: True)) is False


def test_while_it_cannot_work_only_the_refuser_answers() -> None:
    assert key_answer("session", (*SESSION, lambda: False)) is False
    assert key_answer("why_no_session", (*SESSION, lambda: False)) is True


def test_an_action_of_no_pair_is_left_to_the_screen_and_asks_nothing() -> None:
    asked: list[str] = []
    assert key_answer("export", (*SESSION, lambda: asked.append("asked"))) is None
    assert asked == []


def test_the_pair_that_names_the_action_decides() -> None:
    pairs = [("sign_one", "sign_one_refused", lambda: []),
             ("post_today", "post_today_refused", lambda: ["a letter"])]
    assert key_answer("sign_one_refused", *pairs) is True
    assert key_answer("post_today", *pairs) is True
    assert key_answer("post_today_refused", *pairs) is False
