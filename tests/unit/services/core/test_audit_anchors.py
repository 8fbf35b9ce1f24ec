"""`audit anchor --to FILE` keeps the head outside the database on a schedule; `audit verify
--since-anchor FILE|SEQ:HASH` proves the trail passes through every anchor kept and says how
many entries were written after the last (issue 16: entries appended after the last anchor
passed without a word)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from crm_tui.cli import main
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit
from tests import builders, outside


@pytest.fixture
def trail(actors: dict[Role, Actor], db_path: Path) -> Path:
    builders.at_state(actors, CaseState.NEW)
    return db_path


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_anchors_kept_in_a_file_and_the_entries_after_the_last(
        trail: Path, actors: dict[Role, Actor], tmp_path: Path) -> None:
    kept = tmp_path / "elsewhere" / "anchors.txt"
    kept.parent.mkdir()
    first = _run("audit", "anchor", "--to", str(kept), "--db", outside.target(trail))
    assert first.exit_code == 0, first.output
    seq = int(first.output.split(":")[0])
    assert kept.read_text() == f"{first.output.strip()}  28 Nov 2026 10:00\n"
    same = _run("audit", "verify", "--since-anchor", str(kept), "--db", outside.target(trail))
    assert same.exit_code == 0, same.output
    assert "passes through 1 anchor" in same.output
    assert f"0 entries were written after the last anchor (entry {seq})." in same.output
    for n in range(3):
        audit.record(actors[Role.CRM], "note", "", f"written after the anchor {n}")
    later = _run("audit", "verify", "--since-anchor", str(kept), "--db", outside.target(trail))
    assert later.exit_code == 0
    assert (f"3 entries were written after the last anchor (entry {seq}): they rest on the "
            "database alone") in later.output
    # The next scheduled anchor: the file holds both, and the trail passes through both.
    kept.write_text(kept.read_text() + "# a comment the council's records added\n")
    assert _run("audit", "anchor", "--to", str(kept), "--db", outside.target(trail)).exit_code == 0
    both = _run("audit", "verify", "--since-anchor", str(kept), "--db", outside.target(trail))
    assert "passes through 2 anchors" in both.output
    assert f"0 entries were written after the last anchor (entry {seq + 3})" in both.output
    one = _run("audit", "verify", "--since-anchor", first.output.strip(),
               "--db", outside.target(trail))
    assert one.exit_code == 0 and "3 entries were written after" in one.output


def test_an_anchor_the_trail_no_longer_passes_through_fails(trail: Path,
                                                            tmp_path: Path) -> None:
    kept = tmp_path / "anchors.txt"
    head = _run("audit", "anchor", "--db", outside.target(trail)).output.strip()
    seq, _, _ = head.partition(":")
    kept.write_text(f"{seq}:{'ab' * 32}  1 Nov 2026 06:00\n")
    result = _run("audit", "verify", "--since-anchor", str(kept), "--db", outside.target(trail))
    assert result.exit_code == 1 and "REWRITTEN" in result.output
    assert f"entry {seq} is not the entry that was anchored" in result.output


@pytest.mark.parametrize(("content", "said"), [
    (None, "no anchor file at"),
    ("", "holds no anchor yet"),
    ("12:abc\n", "line 1 is not an anchor"),
])
def test_an_anchor_file_that_is_not_one_is_refused(trail: Path, tmp_path: Path,
                                                   content: str | None, said: str) -> None:
    kept = tmp_path / "anchors.txt"
    if content is not None:
        kept.write_text(content)
    result = _run("audit", "verify", "--since-anchor", str(kept), "--db", outside.target(trail))
    assert result.exit_code == 2 and said in result.output
    assert "intact" not in result.output
