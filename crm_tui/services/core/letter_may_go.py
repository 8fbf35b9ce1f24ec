"""Whether a signed letter can still go out on a day: the one rule the post run refuses on
(services.letters.posting) and the case's next action follows (next_step: a file waits for a
letter still to post, not for one that can no longer go). It cannot once a date it gives has
passed, an invitation to comment once it leaves too little time to comment, or a letter never
posted once the customer has moved from the address it is signed to."""

from __future__ import annotations

import json
from datetime import date

from crm_tui.db.models import AuditEntry, Customer, Letter
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.typed_dates import in_prose
from crm_tui.domain.wording import envelope_lines

# The audit entry of a change to the customer's postal address (services.intake.
# customer_details.set_contact).
CONTACT_CHANGED = "set_customer_contact"


def _envelope(lines: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """An address's lines as compared: spaces and capitals aside ("high st" corrected to
    "High St" is the same place)."""
    return tuple(" ".join(line.split()).casefold() for line in lines if line.strip())


def addressed_elsewhere(row: Letter) -> bool:
    """Whether the letter, as signed, is addressed to somewhere that is no longer the
    customer's postal address (their address and postcode as recorded now). A letter
    without its signed text kept (issued before it was) is not known to be."""
    if not row.content or row.case.customer_id is None:
        return False
    customer = Customer.get_or_none(Customer.id == row.case.customer_id)
    if customer is None:
        return False
    from crm_tui.letters import record  # the letters' record loads when asked

    now = envelope_lines(tuple(customer.address.split("\n")), customer.postcode)
    try:
        kept = record.loads(row.content)
    except RequirementMissing:
        return False  # a damaged row: said where the letter is read (letter_texts)
    return _envelope(kept.address) != _envelope(now)


def _address_changed_on(row: Letter) -> date | None:
    """The day of the change that moved the customer away from the address the letter was
    signed to (its audit entry), if the trail still says (an erased entry does not): the
    first change since the last one to that address, not the latest (v16 finding 1: a second
    change, on 3 December, rewrote the letter superseded by the first, on 28 November, as
    superseded "on 3 Dec 2026", after the letter signed in its place)."""
    away = moved_away(row)
    return away[0] if away is not None else None


def moved_away(row: Letter) -> tuple[date, int] | None:
    """The day of the change that moved the customer away from the letter's address
    (_address_changed_on) and its place in the audit trail (its seq: which came first of it
    and a decision taken the same day, superseded_letters._moved_first)."""
    customer = Customer.get_or_none(Customer.id == row.case.customer_id)
    if customer is None:
        return None
    from crm_tui.letters import record  # the letters' record loads when asked

    try:
        signed_to = _envelope(record.loads(row.content).address)
    except RequirementMissing:
        return None
    mark = json.dumps({"customer": str(customer.reference)}, ensure_ascii=False)[1:-1]
    away: tuple[date, int] | None = None
    for entry in (AuditEntry.select(AuditEntry.seq, AuditEntry.at, AuditEntry.payload)
                  .where((AuditEntry.action == CONTACT_CHANGED)
                         & AuditEntry.payload.contains(mark))
                  .order_by(AuditEntry.seq)):
        try:
            payload = json.loads(entry.payload)
            before, after = payload["before"], payload["after"]
            was = _envelope(envelope_lines(tuple(before["address"]), before["postcode"]))
            now = _envelope(envelope_lines(tuple(after["address"]), after["postcode"]))
            on = date.fromisoformat(str(entry.at)[:10])
        except (ValueError, KeyError, TypeError):
            continue
        if now == signed_to:
            away = None  # (back) at the letter's address
        elif was != now and away is None:
            away = on, int(entry.seq)
    return away


def address_changed_on(row: Letter) -> date | None:
    """The day the customer's postal address was last changed, if the trail still says."""
    return _address_changed_on(row)


def moved(row: Letter, on: date | None = None) -> str:
    """Why the letter, signed and never posted, can no longer go ("" if it can): it is addressed to
    where the customer no longer lives, their address having changed since it was signed (issue 15
    AG1: it was posted, and the print pack carried the old address). A signed letter never changes:
    it is superseded, and one the customer is owed is written again to the new address
    (superseded_letters.to_write_again). Posted on `on` (when given), before the day of the change,
    it went to the address of the day. A letter already posted when the address changes is left as
    it is: it went."""
    if row.status != "issued" or row.posted_on is not None or not addressed_elsewhere(row):
        return ""
    changed = _address_changed_on(row)
    if changed is None:
        return "the customer's address has changed since it was signed"
    if on is not None and on < changed:
        return ""
    return f"the customer's address changed on {in_prose(changed)}"


def cannot_go(row: Letter, posted_on: date, *, as_copy: bool = False) -> str:
    """Why the letter cannot go out on `posted_on`: it is addressed to where the customer no
    longer lives (moved), or a date it gives for something still to come (the last day to
    appeal, a reply-by date, the end of monitoring) has passed by then (gives_past).
    """
    gone = "" if as_copy else moved(row, posted_on)
    return gone or gives_past(row, posted_on, as_copy=as_copy)


def gives_past(row: Letter, posted_on: date, *, as_copy: bool = False) -> str:
    """Why the letter cannot go out on `posted_on` by its dates: a date it gives for something
    still to come (the last day to appeal, a reply-by date, the end of monitoring) has passed.
    Found when tried: only the appeal date was checked, and a letter saying "we will keep it
    until 12 January" was posted on 20 January. A marked copy of a letter (`as_copy`: the
    copy `row` would make) is read as of the day of the letter it copies, whose date it
    bears ("the restrictions start on …" is what was said then), but not after the last day
    to appeal it gives (v15i J2)."""
    if row.appeal_by is not None and posted_on > row.appeal_by:
        return (f"it gives {in_prose(row.appeal_by)} as the last day to appeal, before "
                f"{in_prose(posted_on)}")
    if not row.content:
        return ""
    from crm_tui.letters import checker, record  # the letters' checker loads when asked

    kept = record.loads(row.content)
    on = kept.written_on if as_copy or kept.copy_of is not None else posted_on
    passed = checker.past_dates(kept, on)
    if passed:
        return f"it gives {passed[0]}"
    if as_copy or kept.copy_of is not None or row.kind != "invitation":
        return ""
    return too_short_to_comment(checker.comments_by(kept), posted_on)


def too_short_to_comment(given: date | None, posted_on: date) -> str:
    """Why an invitation to comment giving `given` as the last day for comments cannot go out on
    `posted_on` ("" if it can): it leaves the customer less than the reply-by period (settings:
    reply_by_days, counted as every reply-by deadline is) from the day it goes, the least the
    council gives anyone to comment (issue 15 AO1: posted on the very day it gave, the customer
    could not comment in time). A signed letter never changes: the one the customer is owed is
    signed again, with a new day for comments (superseded_letters.to_write_again)."""
    if given is None:
        return ""
    from crm_tui.services.core import comments_in  # it asks this module what can go

    least = comments_in.period_from(posted_on)
    if given >= least:
        return ""
    return (f"it gives {in_prose(given, full_month=True)} as the last day for comments, "
            f"less than the {comments_in.period_words()} the customer is given to comment "
            f"from {in_prose(posted_on, full_month=True)}, the day it would go (at least "
            f"{in_prose(least, full_month=True)})")
