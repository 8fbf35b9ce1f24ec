"""`service_areas` in the configuration that leaves out an area the database's cases are in
is refused at start, by the app and by every command (exit 2), naming the file, the key and
the areas: the app started as usual, and the inbox's area selector no longer offered it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui import config as config_module
from crm_tui.cli import main
from crm_tui.config import Config
from crm_tui.db.models import ServiceArea
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import configured_areas
from crm_tui.ui.app import create_app
from tests import builders, outside
from tests.unit.services.reviews.appeal_fixtures import dump

# Every default area but the one the builders' cases are in.
WITHOUT_HOUSING = ("Council Tax and Benefits", "Planning and Building Control",
                   "Waste and Recycling", "Adult Social Care", "Highways and Parking")


def _config_file(tmp_path: Path, areas: tuple[str, ...]) -> Path:
    file = tmp_path / "crm.toml"
    file.write_text("service_areas = [" + ", ".join(f'"{a}"' for a in areas) + "]\n",
                    encoding="utf-8")
    return file


@pytest.mark.parametrize("command", [["audit", "verify"], ["cases"], ["users", "list"]],
                         ids=lambda c: " ".join(c))
def test_every_command_refuses_a_configuration_leaving_out_an_area_in_use(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path, acting_as: Any,
        command: list[str]) -> None:
    builders.at_state(actors, CaseState.RESTRICTED)  # a case in Housing Services
    acting_as("crm")
    file = _config_file(tmp_path, (*WITHOUT_HOUSING, "Leisure Centres"))
    before = dump()
    result = CliRunner().invoke(main, ["--config", str(file), *command,
                                       "--db", outside.target(db_path)])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert (f'{file}: "service_areas" leaves out 1 service area this database\'s cases, '
            'referrals or users are in: "Housing Services" (1 case, 1 referral, 1 user)') in said
    assert "Nothing was opened" in said
    assert dump() == before
    # Nothing was added from the refused configuration either.
    assert not ServiceArea.select().where(ServiceArea.name == "Leisure Centres").exists()


def test_the_app_refuses_it_too_and_a_configuration_listing_the_area_starts(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path) -> None:
    builders.at_state(actors, CaseState.RESTRICTED)
    refused = config_module.load(_config_file(tmp_path, WITHOUT_HOUSING))
    with pytest.raises(configured_areas.AreasLeftOut,
                       match='"Housing Services" \\(1 case, 1 referral, 1 user\\)'):
        create_app(outside.target(db_path), "crm", refused)
    # Every area in use listed (a fixture's service area manager is in Waste and Recycling).
    listed = config_module.load(_config_file(tmp_path, ("Housing Services",
                                                        "Waste and Recycling")))
    assert create_app(outside.target(db_path), "crm", listed).actor.login == "crm"


def test_with_no_configuration_file_the_default_areas_are_named_as_such(
        actors: dict[Role, Actor]) -> None:
    builders.at_state(actors, CaseState.RESTRICTED)
    # The defaults as a build without Housing Services would have them (no file read).
    with pytest.raises(configured_areas.AreasLeftOut) as found:
        configured_areas.check(replace(Config(), service_areas=WITHOUT_HOUSING))
    assert str(found.value).startswith(
        f"the default configuration (there is no file at {config_module.default_config_path()})"
        ': "service_areas" leaves out 1 service area this database\'s cases, referrals or '
        'users are in: "Housing Services" (1 case, 1 referral, 1 user)')


def test_an_area_only_a_manager_or_a_referral_is_in_is_in_use_too(
        actors: dict[Role, Actor]) -> None:
    """Found when tried: the check read only the cases' areas, so an area whose only use was
    a service area manager (or a referral from it onto another area's case) could be taken
    out of the configuration, and the screens then showed it as if it were broken."""
    from crm_tui.db.models import Referral
    from crm_tui.services.core import settings, users

    with_leisure = replace(Config(), service_areas=(*Config().service_areas, "Leisure Centres",
                                                    "Libraries"))
    settings.configure(with_leisure)
    users.ensure_service_areas(with_leisure.service_areas)
    users.add_user(actors[Role.USER_ADMIN], "lee.manager", "Lee Manager",
                   Role.SERVICE_AREA_MANAGER, service_area="Leisure Centres",
                   staff_id="E9001")
    ref = builders.at_state(actors, CaseState.NEW)
    libraries = ServiceArea.get(ServiceArea.name == "Libraries")
    with builders.as_the_app(ref):
        Referral.update(service_area=libraries).execute()
    configured_areas.check(with_leisure)  # every area listed: it starts
    with pytest.raises(configured_areas.AreasLeftOut) as found:
        configured_areas.check(replace(Config(), service_areas=Config().service_areas))
    said = str(found.value)
    assert '"Leisure Centres" (1 user)' in said and '"Libraries" (1 referral)' in said, said
    assert "leaves out 2 service areas" in said



@pytest.mark.parametrize(("listed", "what"), [
    ("housing services", "including capitals"),
    ("Housing  Services ", "including spaces"),
    ("housing  Services", "including capitals and spaces")])
def test_a_name_differing_only_in_capitals_or_spaces_is_named(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path, acting_as: Any,
        listed: str, what: str) -> None:
    """v16g G11: "housing services" listed was refused as leaving out "Housing Services",
    with no word that only the capitals differed: the operator saw it listed."""
    builders.at_state(actors, CaseState.RESTRICTED)
    acting_as("crm")
    file = _config_file(tmp_path, (*WITHOUT_HOUSING, listed))
    result = CliRunner().invoke(main, ["--config", str(file), "cases",
                                       "--db", outside.target(db_path)])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    near = " ".join(listed.split())  # the terminal's line breaks folded, as `said` is
    assert (f'in: "Housing Services" (1 case, 1 referral, 1 user; listed as "{near}": '
            f"the names must match exactly, {what}). Add it") in said, said


def test_a_check_never_makes_an_area_again(
        actors: dict[Role, Actor], db_path: Path, acting_as: Any) -> None:
    """v16g G12: the highest-numbered area, unused, deleted in the database, was made again
    (same number, same name) by `audit verify` as it started, which then found nothing gone:
    a check wrote. Reported as gone, as a lower-numbered one is, and not made again."""
    builders.at_state(actors, CaseState.RESTRICTED)  # the trail seals the areas
    acting_as("crm")
    last = ServiceArea.select().order_by(ServiceArea.id.desc()).first()
    assert last.name == "Highways and Parking"
    ServiceArea.delete().where(ServiceArea.id == last.id).execute()
    before = dump()
    for command in (["cases"], ["users", "list"], ["audit", "verify"]):
        result = CliRunner().invoke(main, [*command, "--db", outside.target(db_path)])
        assert dump() == before, command
        assert not ServiceArea.select().where(ServiceArea.id == last.id).exists(), command
    assert result.exit_code == 1, result.output
    assert f"service area {last.id}, as entry" in result.output
    assert "is gone" in result.output
