"""The demo's invitation to comment waiting to be posted, in the tests that post it today.

The demo signed UPV-2025-0003's invitation on 23 November 2026, giving the customer until 11
December, and posted it that day. Made to wait for the suite's day (28 November) it could no
longer go: an invitation goes only while the day for comments it gives leaves the customer the
reply-by period from the day it goes (14 working days from 28 November: 17 December; issue 15
AO1). The tests that post it are about posting, not about that rule: they read it as the one
signed in its place would be, giving 17 December (what W writes on the suite's day)."""

from __future__ import annotations

from typing import Any

SIGNED = "by 11 December 2026"
AGAIN = "by 17 December 2026"


def as_if_signed_today(raw: Any) -> None:
    """On a database connection (peewee's or a raw one with execute_sql): the demo's
    invitation giving 11 December gives 17 December instead."""
    raw.execute_sql("UPDATE letter SET content = replace(content, ?, ?) "
                    "WHERE kind = 'invitation' AND content LIKE ?",
                    (SIGNED, AGAIN, f"%{SIGNED}%"))


# The demo's letters but its decisions' and its first invitation's, as though signed and not
# yet posted (the demo posts every letter it signs: Post today would find nothing to post).
WAITING_AGAIN = ("kind != 'decision' AND id NOT IN (SELECT id FROM letter "
                 "WHERE kind = 'invitation' ORDER BY id LIMIT 1)")


def unposted(raw: Any, where: str, params: tuple[Any, ...] = ()) -> None:
    """The letters `where` picks made signed and not yet posted."""
    raw.execute_sql("UPDATE letter SET posted_on = NULL, posted_at = NULL, post_class = '', "
                    f"tracking = '', posted_by_id = NULL, print_pack = '' WHERE {where}",
                    params)


def letters_waiting(db: Any) -> None:
    """In the demo file `db`, its letters waiting to be posted again (WAITING_AGAIN), the
    invitation among them as if signed today (it can go)."""
    from peewee import SqliteDatabase

    raw = SqliteDatabase(str(db))
    unposted(raw, WAITING_AGAIN)
    as_if_signed_today(raw)
    raw.close()


CASE = "UPV-2025-0003"  # the demo's case whose invitation to comment is posted on 23 November


def invitation_unposted(db: Any) -> None:
    """In the demo file `db`, CASE's invitation to comment (signed on 23 November 2026, giving
    11 December) signed and not yet posted: on the 23rd it can still go, from the 24th it can
    no longer go (issue 15 AO1)."""
    from peewee import SqliteDatabase

    raw = SqliteDatabase(str(db))
    unposted(raw, "kind = 'invitation' AND case_id = (SELECT id FROM \"case\" "
                  "WHERE reference = ?)", (CASE,))
    raw.close()
