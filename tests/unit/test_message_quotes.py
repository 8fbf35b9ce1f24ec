"""Messages quote what was typed one way: through typed_dates.quoted() (words in double
quotes, a date or number as typed), never in single quotes nor as Python's repr ({x!r})."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from crm_tui.domain.typed_dates import quoted

PACKAGE = Path(__file__).resolve().parents[2] / "crm_tui"
# Not messages: SQLite's blob literal (the database key given to SQLCipher).
NOT_MESSAGES = {"x'{raw.hex()}'"}


def _single_quoted(node: ast.JoinedStr) -> bool:
    """An f-string with '{value}' in its text, other than a Textual action string
    (why_not('{name}'): the quotes are Python's, read by Textual, never shown)."""
    parts = node.values
    for i, part in enumerate(parts[1:-1], start=1):
        before, after = parts[i - 1], parts[i + 1]
        if (isinstance(part, ast.FormattedValue) and isinstance(before, ast.Constant)
                and isinstance(after, ast.Constant) and str(before.value).endswith("'")
                and str(after.value).startswith("'")
                and not (str(before.value).endswith("('") and str(after.value).startswith("')"))):
            return True
    return False


def _repr_shown(node: ast.JoinedStr) -> bool:
    return any(isinstance(p, ast.FormattedValue) and p.conversion == ord("r") for p in node.values)


def _percent_quoted(node: ast.BinOp) -> bool:
    return (isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant)
            and isinstance(node.left.value, str)
            and ("'%s'" in node.left.value or "%r" in node.left.value))


def _wrong_quotes(path: Path, root: Path = PACKAGE.parent) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        wrong = ((isinstance(node, ast.JoinedStr) and (_single_quoted(node) or _repr_shown(node))
                 and ast.unparse(node)[2:-1] not in NOT_MESSAGES)
                 or (isinstance(node, ast.BinOp) and _percent_quoted(node)))
        if wrong:
            found.append(f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}: "
                         f"{ast.unparse(node)[:100]}")
    return found


def test_no_message_quotes_a_value_in_single_quotes_or_as_repr() -> None:
    found = [hit for path in sorted(PACKAGE.rglob("*.py")) for hit in _wrong_quotes(path)]
    assert found == [], "quote typed values through quoted():\n" + "\n".join(found)


def test_the_scan_sees_both_forms(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("a = f\"no case '{ref}'\"\nb = f'no user {login!r}'\n"
                   "c = f\"why_not('{name}')\"\nd = \"no case '%s'\" % ref\n", encoding="utf-8")
    assert len(_wrong_quotes(bad, tmp_path)) == 3


@pytest.mark.parametrize(("typed", "said"), [("Fax", '"Fax"'), ("UPV-0001", '"UPV-0001"'),
                                             ("3/12/2026", '"3/12/2026"')])
def test_quoted_is_the_one_way(typed: str, said: str) -> None:
    assert quoted(typed) == said
