"""`crm-tui letters post` on the demo's issued letters, through the same service as the app:
a dry run changes nothing, a refused posting makes no pack, and the pack and the posting are
made as the team's officer."""

from __future__ import annotations

import stat
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from crm_tui.cli import main
from crm_tui.db.models import Case, Letter, LetterFile, database_proxy
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import next_step
from tests import dumps
from tests.demo_invitation_waiting import as_if_signed_today

# The demo's letters by case and kind (their ids follow the order the demo issued them in).
DECISION, OUTCOME = ("UPV-2025-0004", "decision"), ("UPV-2025-0002", "appeal_outcome")
LIFTED, INVITATION = ("UPV-2025-0001", "lifted"), ("UPV-2025-0003", "invitation")


def _id(letter: tuple[str, str]) -> int:
    reference, kind = letter
    return int(Letter.select(Letter.id).join(Case).where(
        (Case.reference == reference) & (Letter.kind == kind)).scalar())


def _good() -> dict[int, str]:
    return {_id(LIFTED): "AB123456785GB", _id(INVITATION): "EB000717595GB"}


@pytest.fixture
def demo(demo: Path) -> Path:
    """The demo, its letters waiting to be posted (the demo posted them when it signed them),
    but for those that give a date now past: the decisions (their appeal dates) and the appeal
    outcome (its review date), which cannot go out now."""
    Letter.update(posted_on=None, posted_at=None, post_class="", tracking="", posted_by=None,
                  print_pack="").where(Letter.id.in_([_id(LIFTED), _id(INVITATION)])).execute()
    as_if_signed_today(database_proxy)  # issue 15 AO1: one waiting since 23 November cannot go
    # Their cases' next actions as the app stores them with the change ("Post the letter
    # lifting the restrictions"): a dry run that opens the database changes nothing.
    next_step.store([LIFTED[0], INVITATION[0]])
    return demo


def _post(demo: Path, *args: str, user: str = "tomasz.nowak",
          config: Path | None = None) -> tuple[int, str]:
    configured = ["--config", str(config)] if config else []
    result = CliRunner().invoke(main, [*configured, "letters", "post", *args, "--user", user,
                                       "--db", str(demo)])
    return result.exit_code, result.output


def _dump() -> list[str]:
    return dumps.dump()


def test_a_dry_run_lists_what_would_go_and_changes_nothing(demo: Path, tmp_path: Path) -> None:
    before = _dump()
    code, out = _post(demo, "--dry-run")
    assert code == 0, out
    assert "Would post 2 letters first class on 28 Nov 2026, in a print pack in" in out
    assert all(ref in out for ref in ("UPV-2025-0001", "UPV-2025-0003"))
    assert "UPV-2025-0004" not in out  # posted already
    # A service area manager does not post letters: told so, and nothing promised (v15i M2).
    code, out = _post(demo, "--dry-run", user="hannah.okafor")
    assert code == 1 and "Would post" not in out and "UPV-2025-0002" not in out
    assert "Service area manager may not post letters" in out
    assert _dump() == before
    assert not (tmp_path / "data" / "print").exists()


def test_a_refused_posting_makes_no_pack(demo: Path, tmp_path: Path) -> None:
    lifted, decision, outcome = _id(LIFTED), _id(DECISION), _id(OUTCOME)
    before = _dump()
    code, out = _post(demo, "--class", "recorded", "--letter", str(lifted))
    assert code == 1 and "give its recorded-delivery number" in out
    code, out = _post(demo, "--class", "first", "--tracking", f"{lifted}={_good()[lifted]}")
    assert code == 1 and "only for letters sent by recorded delivery" in out
    code, out = _post(demo, "--tracking", "one=AB")
    assert code == 2 and "LETTER=NUMBER" in out
    code, out = _post(demo, "--posted-on", "2026-11-29")
    assert code == 2 and "in the future" in out
    code, out = _post(demo, user="gareth.bell")
    assert code == 1 and "may not post letters" in out
    code, out = _post(demo, "--letter", "99")
    assert code == 1 and "letter 99 is not waiting to be posted" in out
    assert _dump() == before
    # A letter that gives a date now past does not go out, by the command line either, and
    # the dry run says so beside it (found when tried: it listed it as going).
    Letter.update(posted_on=None, post_class="", posted_by=None).where(
        Letter.id.in_([decision, outcome])).execute()
    next_step.store([DECISION[0], OUTCOME[0]])  # as the app stores them with the change
    before = _dump()
    code, out = _post(demo, "--letter", str(decision))
    assert code == 1 and "gives 16 Jan 2026 as the last day to appeal" in out
    code, out = _post(demo, "--letter", str(outcome), "--dry-run")
    assert code == 1 and "it gives a date already past, 18 November 2026" in out
    assert "Would post" not in out  # v15i M2: nothing promised for a posting refused
    assert _dump() == before
    assert not (tmp_path / "data" / "print").exists()


def test_every_problem_of_a_posting_is_told_at_once(demo: Path, tmp_path: Path) -> None:
    # t15d F2: the command said one problem per run, and the day as "5 Dec 2026", not as typed.
    lifted, invitation = _id(LIFTED), _id(INVITATION)
    issued = {i: Letter.get_by_id(i).signed_at.date() for i in (lifted, invitation)}
    early = min(issued.values()) - timedelta(days=1)
    typed = f"{early.day}/{early.month}/{early.year}"  # no leading zeros: said back as typed
    before = _dump()
    code, out = _post(demo, "--class", "recorded", "--posted-on", typed,
                      "--tracking", f"{invitation}=12345")
    assert code == 2, out
    assert "Error: 3 problems:" in out, out
    lines = [line.strip() for line in out.splitlines()]
    assert (f"--tracking: letter {lifted} is sent by recorded delivery: give its "
            "recorded-delivery number") in lines
    assert any(line.startswith(f"--tracking: letter {invitation}: ") and "nine digits" in line
               for line in lines), out
    said = next(line for line in lines if line.startswith("--posted-on: "))
    assert said.startswith(f'--posted-on: "{typed}" is before these letters were issued: '), said
    for letter, day in issued.items():
        assert f"letter {letter} (" in said and in_prose(day) in said
    assert _dump() == before
    assert not (tmp_path / "data" / "print").exists()


def test_the_pack_is_made_and_the_posting_recorded(demo: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    folder = tmp_path / "print-room"
    config.write_text(f'print_folder = "{folder}"\nprint_duplex = false\n')
    lifted, invitation, good = _id(LIFTED), _id(INVITATION), _good()
    code, out = _post(demo, "--class", "recorded", "--letter", str(invitation), "--letter",
                      str(lifted), *(f"--tracking={n}={t}" for n, t in good.items()),
                      config=config)
    assert code == 0, out
    pack = folder / "print-pack-2026-11-28-01.pdf"
    assert f"Print pack: {pack} (" in out and " pages, 2 letters" in out
    assert (f"Posted: letter {lifted} (UPV-2025-0001) recorded delivery {good[lifted]} on "
            "28 Nov 2026" in out)
    assert stat.S_IMODE(pack.stat().st_mode) == 0o600  # no print group configured
    rows = {r.id: r for r in Letter.select()}
    pages = sum(len(PdfReader(BytesIO(bytes(LetterFile.get(LetterFile.letter == n).pdf)))
                    .pages) for n in (lifted, invitation))
    assert len(PdfReader(pack).pages) == pages  # each letter's own pages, no blanks
    assert (rows[lifted].tracking, rows[invitation].tracking) == (good[lifted],
                                                                  good[invitation])
    assert rows[lifted].print_pack == rows[invitation].print_pack == pack.name
    code, out = _post(demo, "--letter", str(lifted), config=config)
    assert code == 1 and f"letter {lifted} is not waiting to be posted" in out
    code, out = _post(demo, "--no-pack", "--class", "second", config=config)
    assert code == 0 and "No letters are waiting to be posted" in out
    assert sorted(p.name for p in folder.iterdir()) == [pack.name]


def test_a_letter_that_cannot_go_is_left_out_and_the_rest_are_posted(demo: Path,
                                                                   tmp_path: Path) -> None:
    # v15i M1: one letter waiting that could not go refused the whole run, blaming
    # --posted-on, which was not given; the dry run said the others would go.
    lifted, invitation, decision = _id(LIFTED), _id(INVITATION), _id(DECISION)
    Letter.update(posted_on=None, post_class="", posted_by=None).where(
        Letter.id == decision).execute()
    code, out = _post(demo, "--dry-run")
    assert code == 0, out
    assert "Would post 2 letters first class on 28 Nov 2026" in out
    # Never posted, the customer never told: written again (fixAB AB1).
    assert (f"Left out: it cannot go (the Complaints Resolution Manager writes the decision "
            f"letter again):  {decision:>3}  UPV-2025-0004") in out, out
    # Named, it is refused, said of the letter: no option left out is blamed.
    before = _dump()
    code, out = _post(demo, "--letter", str(decision), "--letter", str(lifted))
    assert code == 1, out
    assert (f"Error: --letter: today, 28/11/2026, is too late for letter {decision} "
            "(UPV-2025-0004): it gives 16 Jan 2026 as the last day to appeal") in out, out
    assert "--posted-on" not in out
    assert _dump() == before
    code, out = _post(demo)
    assert code == 0, out
    assert "--posted-on" not in out and "Error" not in out
    assert "Left out: it cannot go (the Complaints Resolution Manager writes the" in out
    for letter in (lifted, invitation):
        assert f"Posted: letter {letter} (" in out
    assert Letter.get_by_id(decision).posted_on is None
    assert {Letter.get_by_id(n).posted_on for n in (lifted, invitation)} == {
        Letter.get_by_id(lifted).posted_on} != {None}
    # Only the letter that cannot go is left: nothing to post, nothing refused.
    code, out = _post(demo)
    assert code == 0 and "Nothing to post: 1 letter waiting, left out (above)." in out, out
    assert "Left out: it cannot go" in out


@pytest.mark.parametrize("day", ["31/02/2026", "yesterday"])
def test_a_date_that_is_no_date_is_told_with_the_numbers_problems(demo: Path,
                                                                  day: str) -> None:
    # v15i M2: only "--posted-on: ... is not a date" was said; the number already recorded
    # for another letter and the mistyped one were told only once the date was put right.
    lifted, invitation, decision = _id(LIFTED), _id(INVITATION), _id(DECISION)
    Letter.update(tracking="AB123456785GB").where(Letter.id == decision).execute()
    before = _dump()
    code, out = _post(demo, "--dry-run", "--class", "recorded", "--letter", str(lifted),
                      "--letter", str(invitation), "--tracking", f"{lifted}=AB123456785GB",
                      "--tracking", f"{invitation}=XX1", "--posted-on", day)
    assert code == 2, out
    lines = [line.strip() for line in out.splitlines()]
    assert "Error: 3 problems:" in lines, out
    assert f'--posted-on: "{day}" is not a date: type it as dd/mm/yyyy' in lines
    assert (f"--tracking: letter {lifted}: AB123456785GB was already recorded for letter "
            f"{decision}") in lines
    assert any(line.startswith(f'--tracking: letter {invitation}: "XX1" is not a recorded-')
               for line in lines), out
    assert _dump() == before


def test_a_refused_dry_run_promises_nothing(demo: Path) -> None:
    # v15i M2: "Would post 2 letters … on 20 Nov 2026" was printed before the refusal.
    code, out = _post(demo, "--dry-run", "--posted-on", "20/11/2026")
    assert code == 2 and '--posted-on: "20/11/2026" is before' in out, out
    assert "Would post" not in out
