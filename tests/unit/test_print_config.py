"""The print pack's configuration: the folder, the print room's group (which must exist, as
the team group must) and whether the printer prints on both sides."""

from __future__ import annotations

import grp
import os
from pathlib import Path

import pytest

from crm_tui.config import Config, ConfigError, data_dir, parse


def test_the_defaults_print_both_sides_into_the_data_folder() -> None:
    config = Config()
    assert config.print_duplex is True and config.print_group == ""
    assert config.print_path() == data_dir() / "print"


def test_the_print_keys_are_read(tmp_path: Path) -> None:
    group = grp.getgrgid(os.getegid()).gr_name
    config = parse({"print_folder": str(tmp_path / "room"), "print_group": group,
                    "print_duplex": False}, "config.toml")
    assert (config.print_path(), config.print_group, config.print_duplex) == (
        tmp_path / "room", group, False)


@pytest.mark.parametrize(("raw", "message"), [
    ({"print_group": "no-such-print-room"}, '"print_group": there is no group'),
    ({"print_group": ""}, '"print_group" must be non-empty text'),
    ({"print_duplex": "yes"}, '"print_duplex" must be true or false'),
    ({"print_folder": 3}, '"print_folder" must be non-empty text'),
])
def test_a_bad_print_key_stops_the_app_naming_it(raw: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse(raw, "config.toml")
