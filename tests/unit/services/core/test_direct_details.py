"""People's direct telephone and email: set by the user administrator or the person themselves,
checked for shape, audited; through the service and the command line alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import AuditEntry, User
from crm_tui.domain.errors import PermissionDenied, ValidationError
from crm_tui.domain.roles import Actor, Role
from crm_tui.services.core import direct_details, users
from tests import dumps, outside


def _dump() -> list[str]:
    return dumps.dump()


def test_the_administrator_sets_them_and_the_trail_keeps_both(
        actors: dict[Role, Actor]) -> None:
    done = direct_details.set_direct_details(actors[Role.USER_ADMIN], "officer",
                                             "+44 1632 960202", "Sam.Patel@Example.gov.uk")
    assert (done.telephone, done.email) == ("01632 960202", "Sam.Patel@example.gov.uk")
    assert done.reachable
    entry = AuditEntry.select().where(AuditEntry.action == "set_direct_details").get()
    assert '"01632 960202"' in entry.payload and '"before"' in entry.payload
    info, _ = users.show("officer")
    assert info.telephone == "01632 960202"


def test_a_person_sets_their_own_and_no_one_elses(actors: dict[Role, Actor]) -> None:
    direct_details.set_direct_details(actors[Role.OFFICER], "officer", "01632 960202", "")
    before = _dump()
    with pytest.raises(PermissionDenied):
        direct_details.set_direct_details(actors[Role.CRM], "officer", "01632 960999", "")
    assert _dump() == before


@pytest.mark.parametrize(("telephone", "email", "field"), [
    ("12345", "", "telephone"), ("+33 1 42 68 53 00", "", "telephone"),
    ("01632 960202", "sam@", "email"), ("", "sam patel@example.gov.uk", "email")])
def test_bad_details_are_refused_at_their_field(actors: dict[Role, Actor], telephone: str,
                                                email: str, field: str) -> None:
    before = _dump()
    with pytest.raises(ValidationError) as refused:
        direct_details.set_direct_details(actors[Role.USER_ADMIN], "officer", telephone, email)
    assert refused.value.field == field
    assert _dump() == before


def test_the_people_a_customer_may_be_given(actors: dict[Role, Actor]) -> None:
    listed = direct_details.contactable()
    assert "admin" not in {c.login for c in listed}
    sam = next(c for c in listed if c.login == "officer")
    assert not sam.reachable and "no direct telephone or email" in sam.label


def test_the_command_line_sets_and_shows_them(actors: dict[Role, Actor], db_path: Path,
                                              acting_as: Any) -> None:
    runner = CliRunner()
    acting_as("admin")
    done = runner.invoke(main, ["users", "set-details", "officer", "--telephone",
                                "01632960202", "--db", outside.target(db_path)])
    assert done.exit_code == 0, done.output
    assert "telephone 01632 960202, email (none)" in done.output
    refused = runner.invoke(main, ["users", "set-details", "officer", "--email", "nope",
                                   "--db", outside.target(db_path)])
    assert refused.exit_code == 1 and 'email: "nope" is not an email address' in refused.output
    acting_as("crm")
    other = runner.invoke(main, ["users", "set-details", "officer", "--telephone",
                                 "01632 960999", "--db", outside.target(db_path)])
    assert other.exit_code == 1 and "only the user administrator" in other.output
    shown = runner.invoke(main, ["users", "show", "officer", "--db", outside.target(db_path)])
    assert "direct telephone 01632 960202 · email (none)" in shown.output
    assert User.get(User.login == "officer").telephone == "01632 960202"
