"""What a log sheet is read from: a file saved on disk, read up to its limit, whatever size it
gives. A device or a pipe is refused before anything is read (b15b 15: `import log-sheet` of
/dev/zero read until killed, 6.6 GB in ten seconds)."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import ContactLogEntry
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.evidence.log_sheet_csv import LogSheetProblem, read_log_sheet
from tests import builders, outside

NOT_ON_DISK = "is not a file saved on disk"


def test_a_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    pipe = tmp_path / "contacts.csv"
    os.mkfifo(pipe)
    said: list[str] = []

    def read() -> None:
        try:
            read_log_sheet(pipe)
        except LogSheetProblem as exc:
            said.append(str(exc))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():  # waiting on the pipe: end it (an empty write side), then fail
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(10)
        pytest.fail("the pipe was opened and read, waiting for a writer")
    assert said and NOT_ON_DISK in said[0], said


def test_a_device_is_refused_at_once(tmp_path: Path) -> None:
    with pytest.raises(LogSheetProblem, match=NOT_ON_DISK):
        read_log_sheet(Path("/dev/zero"))


def test_the_command_line_refuses_a_device(actors: dict[Role, Actor], db_path: Path,
                                           acting_as: Any) -> None:
    acting_as("officer")
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    before = ContactLogEntry.select().count()
    result = CliRunner().invoke(main, ["import", "log-sheet", ref, "/dev/zero", "--db",
                                       outside.target(db_path)])
    assert result.exit_code == 1, result.output
    assert f"zero {NOT_ON_DISK}" in result.output, result.output
    assert ContactLogEntry.select().count() == before


ROW = "01/10/2026 09:10,Email,From customer,Housing Services,Aisha Karim,5,Same gutter,\n"


def test_a_sheet_separated_by_semicolons_is_told_so(tmp_path: Path) -> None:
    """b15b 13: every column named was said to be missing."""
    sheet = tmp_path / "semi.csv"
    sheet.write_text("when;channel;direction;service_area;officer;duration_minutes;summary;"
                     "categories\n" + ROW.replace(",", ";"), encoding="utf-8")
    with pytest.raises(LogSheetProblem) as refused:
        read_log_sheet(sheet)
    said = str(refused.value)
    assert said.startswith('semi.csv: line 1: the columns are separated by ";", not by ","'), \
        said
    assert "missing" not in said


def test_a_header_in_words_is_read_as_its_columns(tmp_path: Path) -> None:
    sheet = tmp_path / "words.csv"
    sheet.write_text("When,Channel,Direction,Service Area,Officer,Duration Minutes,Summary,"
                     "Categories\n" + ROW, encoding="utf-8")
    [(line, contact)] = read_log_sheet(sheet)
    assert line == 2 and contact.service_area == "Housing Services"
    assert contact.duration_minutes == 5 and contact.officer_name == "Aisha Karim"


def test_a_sheet_too_large_is_refused_naming_the_limit(tmp_path: Path) -> None:
    """b16c F12: "huge.csv is too large for one log sheet" did not say how large it may be."""
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:
        handle.truncate(20_000_001)
    with pytest.raises(LogSheetProblem, match=r"too large for one log sheet \(at most 20 MB\)"):
        read_log_sheet(huge)
