"""Who may be the referring manager of a referral from a service area (one rule, asked by the
referral service and by its form)."""

from __future__ import annotations

from crm_tui.domain.roles import Role
from crm_tui.domain.scope import referrer_problem


def test_a_manager_refers_from_their_own_area_only() -> None:
    assert referrer_problem("Hannah Okafor", Role.SERVICE_AREA_MANAGER, "Housing Services",
                            "Housing Services") is None
    assert referrer_problem("Hannah Okafor", Role.SERVICE_AREA_MANAGER, "Housing Services",
                            "Council Tax and Benefits") == (
        "Hannah Okafor manages another service area (Housing Services)")
    assert "manages no service area" in str(referrer_problem(
        "Hannah Okafor", Role.SERVICE_AREA_MANAGER, None, "Housing Services"))


def test_the_team_may_record_a_referral_and_the_administrator_refers_no_one() -> None:
    assert referrer_problem("Ceri Hughes", Role.CRM, None, "Housing Services") is None
    assert "refers no one" in str(referrer_problem("Pat Quinn", Role.USER_ADMIN, None,
                                                   "Housing Services"))
