"""Issue 15 AO1, AO2 at the command line: the demo's UPV-2025-0003, its invitation to comment
signed on 23 November 2026 giving 11 December, left unposted. On the suite's day (28 November)
it leaves the customer less than the reply-by period (17 December): `letters post --letter N`
refuses it saying to write it again from W (it posted it), and `cases` gives the next action
as to sign it again, due on the day the new one gives (it said "Customer's comments due 11 Dec
2026")."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Case, Letter

CASE = "UPV-2025-0003"


def _run(demo: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--user", "ceri.hughes", "--db", str(demo)])
    return result.exit_code, result.output


def test_letters_post_refuses_it_and_cases_asks_for_it_again(demo: Path) -> None:
    case = Case.get(Case.reference == CASE)
    letter = Letter.get((Letter.case == case) & (Letter.kind == "invitation"))
    Letter.update(posted_on=None, posted_at=None, post_class="", posted_by=None,
                  print_pack="").where(Letter.id == letter.id).execute()
    code, out = _run(demo, "letters", "post", "--letter", str(letter.id))
    said = " ".join(out.split())
    assert code != 0, out
    assert ("it gives 11 December 2026 as the last day for comments, less than the 14 working "
            "days the customer is given to comment from 28 November 2026") in said, said
    assert "write the invitation to comment again from the case's letters (W)" in said, said
    assert Letter.get_by_id(letter.id).posted_on is None
    code, out = _run(demo, "cases")
    assert code == 0, out
    line = next(row for row in out.splitlines() if row.startswith(CASE))
    # Due today: each day it waits moves the customer's day for comments on (issue 15 AS3:
    # due on the day the new one gives, it read as if there were until then to sign).
    assert line.endswith("Sign the invitation to comment 28 Nov 2026"), line
