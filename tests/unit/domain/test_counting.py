"""Counts read as people say them: one helper, and no "{n} things" left in the code that
would print "1 things"."""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

from crm_tui.domain.counting import counted, plural

PACKAGE = Path(__file__).resolve().parents[3] / "crm_tui"
# A count's name: what an f-string puts before a plural noun.
COUNTISH = re.compile(r"^(n|count|total|checked|cases|contacts|pages|days|size|reviewed|"
                      r"skipped|imported|posted|entries|letters|weeks|.*_count|.*_total|"
                      r"duration_minutes)$")
PLURAL_NEXT = re.compile(r"^ ([a-z]{3,}(?:s))\b")
NOT_NOUNS = {"has", "was", "its", "this", "plus", "always", "ones", "is"}


def test_one_and_many() -> None:
    assert counted(1, "contact") == "1 contact"
    assert counted(0, "contact") == "0 contacts"
    assert counted(2, "entry") == "2 entries"
    assert counted(3, "breach") == "3 breaches"
    assert counted(2, "day") == "2 days"
    assert counted(2, "person") == "2 people"
    assert counted(2, "criterion", "criteria") == "2 criteria"
    assert plural("week") == "weeks"


def _count_name(node: ast.expr) -> str:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len":
        return "len"
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def test_no_count_is_followed_by_a_fixed_plural() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            parts = node.values
            for value, after in itertools.pairwise(parts):
                if not (isinstance(value, ast.FormattedValue) and isinstance(after, ast.Constant)
                        and isinstance(after.value, str)):
                    continue
                name = _count_name(value.value)
                word = PLURAL_NEXT.match(after.value)
                if word and word[1] not in NOT_NOUNS and (name == "len"
                                                          or COUNTISH.match(name)):
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: "
                                 f"{{{name}}} {word[1]}")
    assert not found, "use counted(n, noun):\n" + "\n".join(found)


def test_each_appeal_outcome_has_one_label_saying_what_happened() -> None:
    from crm_tui.domain.outcomes import AppealOutcome

    assert AppealOutcome.REMOVED.label == "Appeal upheld: restrictions removed"
    assert len({o.label for o in AppealOutcome}) == len(AppealOutcome)
