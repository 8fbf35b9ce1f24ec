"""Round 9 of issue 15, item 2: "n/a" is refused as a reason everywhere a reason is recorded,
by the one rule (grounds.reason_problem): every service taking a `reason` is listed here with
the way it meets that rule, and a new one must be added (and meet it) for this to pass."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import crm_tui.services
from crm_tui.cli import main
from tests.demo_copies import copy_demo

# Each service function taking a reason -> what in it meets the one rule: the step check
# (lifecycle.check refuses a placeholder), grounds_text, or reason_problem itself.
STEP = ("step(", "step_told(", "_simple_step(", "_decide(")
CHECKED_BY = {
    "core.users.change_role": ("grounds_text(",),
    "core.users.deactivate": ("grounds_text(",),
    "core.users.reactivate": ("grounds_text(",),
    "core.users.bind_account": ("grounds_text(",),
    "evidence.contacts.correct_contact": ("grounds_text(",),
    "evidence.matters.reopen_matter": ("grounds_text(",),
    "intake.casework.return_to_service_area": STEP,
    "intake.casework.close_no_action": STEP,
    "letters.copies.resend": ("grounds_text(",),
    "letters.signing_keys.revoke_key": ("require_revocation(",),
    "letters.signing_keys.create_key": ("authorise_new_key(",),
    "letters.signing_keys.import_key": ("authorise_new_key(",),
    "retention.subject_access.export_subject_access": ("request_problem(",),
    "restrictions.decisions.impose_restrictions": STEP,
    "restrictions.decisions.vary_restrictions": STEP,
    "restrictions.decisions.lift_restrictions": STEP,
    "reviews.appeals.decide_appeal": STEP,
    "reviews.nominations.nominate": ("grounds_text(",),
    "reviews.nominations.revoke": ("grounds_text(",),
    "reviews.review_session.continue_unchanged": ("review_steps.continue_unchanged(",),
    "reviews.review_session.change_review_period": ("review_steps.change_review_period(",),
    "reviews.review_session.propose_extension": ("review_steps.propose_extension(",),
    "reviews.review_session.lift": ("lift_restrictions(",),
    "reviews.review_steps.continue_unchanged": STEP,
    "reviews.review_steps.change_review_period": STEP,
    "reviews.review_steps.propose_extension": STEP,
    "reviews.review_steps.extend_restrictions": STEP,
}
# Not a reason recorded by this call: the caller's, checked there, passed on; or a preview
# (the step check it makes refuses a placeholder as the decision does).
PASSED_ON = {"core.audit.record", "core.case_steps.step", "core.case_steps.step_told",
             "core.case_steps.move", "restrictions.decisions.put_in_force",
             "restrictions.decisions.close_open_review", "letters.issuing.record_not_sent",
             "restrictions.readiness.require", "restrictions.readiness.preview",
             "letters.letter_content.proposed_decision",
             "letters.letter_content.proposed_amendment",
             "letters.signing_keys.authorise_new_key", "restrictions.readiness.check",
             "restrictions.readiness.preview_amendment",
             "restrictions.readiness.amendment_blockers", "retention.subject_access.gather",
             "retention.subject_access_content.describe"}


def _taking_a_reason() -> dict[str, str]:
    found: dict[str, str] = {}
    for module_info in pkgutil.walk_packages(crm_tui.services.__path__, "crm_tui.services."):
        module = importlib.import_module(module_info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            if {"reason", "request"} & set(inspect.signature(function).parameters):
                key = f"{module.__name__.removeprefix('crm_tui.services.')}.{name}"
                found[key] = inspect.getsource(function)
    return found


def test_every_service_taking_a_reason_meets_the_one_rule() -> None:
    found = _taking_a_reason()
    unlisted = set(found) - set(CHECKED_BY) - PASSED_ON
    assert not unlisted, f"list these, with how they refuse a placeholder: {sorted(unlisted)}"
    for name, ways in CHECKED_BY.items():
        assert name in found, f"{name} no longer takes a reason: take it off the list"
        assert any(way in found[name] for way in ways), (name, ways)


@pytest.fixture
def demo(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, path)
    return path


def test_a_subject_access_request_is_refused_n_a_but_takes_a_reference(
        demo: Path, tmp_path: Path) -> None:
    def sar(reason: str) -> str:
        result = CliRunner().invoke(main, ["sar", "UPV-2026-0004", "--reason", reason, "--out",
                                           str(tmp_path / "out"), "--db", str(demo),
                                           "--user", "ceri.hughes"])
        return f"{result.exit_code} {result.output}"

    result = CliRunner().invoke(main, ["sar", "UPV-2026-0004", "--reason", "n/a", "--out",
                                       str(tmp_path / "out"), "--db", str(demo), "--user",
                                       "ceri.hughes"])
    # What was typed is wrong (README: exit 2), said at its option.
    assert result.exit_code == 2, result.output
    assert "neither the request's reference nor a reason" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert sar("12345").startswith("0 "), sar("12345")
