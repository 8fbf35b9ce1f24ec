"""A person whose own user record was edited in the database is refused naming what differs
("its title and its role"), and is named as the trail last recorded them, with the name their
record now reads beside it (v16g G3: "their user record is not as entry 15 left it" said no
field, and "Ceri Hughes-Forged ("ceri.hughes") cannot act" printed the forged name as theirs)."""

from __future__ import annotations

import pytest

from crm_tui.db.models import database_proxy
from crm_tui.domain.roles import Actor, Role
from crm_tui.services.core import grants, team_seal
from crm_tui.services.core.grants import AccessEnded


def _edit(sql: str, *values: object) -> None:
    database_proxy.obj.execute_sql(sql, values)  # as the sqlite3 shell would, committed


def test_the_refusal_names_each_field_edited(actors: dict[Role, Actor]) -> None:
    officer = actors[Role.OFFICER]
    _edit("UPDATE \"user\" SET title = 'Chief Executive', role = 'crm' WHERE login = 'officer'")
    said = grants.standing(officer)
    assert said.why.startswith('Sam Patel ("officer") cannot act: their user record is not as '
                               "entry "), said.why
    assert "left it: its title and its role were changed outside the app;" in said.why
    assert said.record_edited.endswith("its title and its role were changed outside the app")
    _edit("UPDATE \"user\" SET title = '', role = 'officer', telephone = '01632 960001' "
          "WHERE login = 'officer'")
    assert grants.standing(officer).record_edited.endswith(
        "its telephone was changed outside the app")


def test_an_edited_name_is_said_as_what_the_record_now_reads(
        actors: dict[Role, Actor]) -> None:
    officer = actors[Role.OFFICER]
    _edit("UPDATE \"user\" SET name = 'Sam Patel-Forged' WHERE login = 'officer'")
    said = grants.standing(officer)
    assert said.person == ('Sam Patel ("officer"; their record\'s name now reads '
                           '"Sam Patel-Forged")')
    assert grants.standing(actors[Role.CRM]).person == ""  # as sealed: nothing to say
    assert said.why.startswith(f"{said.person} cannot act: ")
    assert "its name was changed outside the app" in said.why
    with pytest.raises(AccessEnded) as refused:
        grants.require_current(officer)
    assert str(refused.value).startswith(said.person), refused.value
    assert not str(refused.value).startswith("Sam Patel-Forged")


def test_a_seal_naming_no_fields_is_said_as_before(actors: dict[Role, Actor],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A trail sealed by an older version holds no names or fields: the record is said
    changed, and the person named by login and the name their record reads."""
    officer = actors[Role.OFFICER]
    found = team_seal.latest()
    assert found is not None
    older = {key: value for key, value in found[1].items() if key != team_seal.PEOPLE}
    _edit("UPDATE \"user\" SET name = 'Sam Patel-Forged' WHERE login = 'officer'")
    assert team_seal._fields_differing(older, officer.user_id, None) == ""
    monkeypatch.setattr(team_seal, "latest", lambda: (found[0], older))
    said = grants.standing(officer)
    assert said.why.startswith('the user "officer" (their record\'s name now reads '
                               '"Sam Patel-Forged") cannot act: their user record is not as '
                               "entry "), said.why
    assert "left it: it was changed outside the app" in said.why
