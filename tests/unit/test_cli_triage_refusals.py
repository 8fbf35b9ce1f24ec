"""The command line refuses a step by role in the screen's own words (issue 15): the Head of
Service and the user administrator bringing in a referral (`crm-tui import referral`, the
command line's only intake step) are told what `n` and `I` tell them in the inbox."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.connection import open_database
from crm_tui.db.models import Case
from crm_tui.domain.lifecycle import Action, role_refusal
from crm_tui.services.core.users import resolve_actor
from tests.demo_copies import copy_demo


@pytest.mark.parametrize("login", ["priya.raman", "morgan.price"])
def test_a_referral_imported_by_a_role_that_records_none_is_refused_in_the_screens_words(
        demo_db: Path, tmp_path: Path, login: str) -> None:
    from tests.unit.services.intake.test_inbox_services import SAMPLE

    path = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, path)
    referral = tmp_path / "referral.json"
    referral.write_text(json.dumps({**SAMPLE, "referred_by": "hannah.okafor", "evidence": []}))
    open_database(path)
    before = Case.select().count()
    # What the inbox says when n or I is pressed (tests/ui/test_case_file_keys.py).
    screen_says = role_refusal(resolve_actor(login), Action.RECORD_REFERRAL)
    assert "may not record a referral; only the " in screen_says
    result = CliRunner().invoke(main, ["import", "referral", str(referral), "--db", str(path),
                                       "--user", login])
    assert result.exit_code == 1, result.output
    assert result.output.strip().endswith(f"Error: {screen_says}"), result.output
    open_database(path)
    assert Case.select().count() == before
