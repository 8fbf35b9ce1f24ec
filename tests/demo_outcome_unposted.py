"""A demo case whose appeal, upheld in part, amended its restrictions to ones starting on a
later day (1 February 2027), its outcome letter signed and not posted (v15k S): set up in a
test through the services, as the tester did in the app (A as Gareth Bell, "upheld in part")."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from crm_tui.db.connection import open_database
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.roles import Role
from crm_tui.services.core import confirmation
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing
from crm_tui.services.restrictions import builder, decisions
from crm_tui.services.reviews import appeals
from tests import builders

APPEALED = "UPV-2025-0005"  # restricted in the demo
STARTS = date(2027, 2, 1)
WHY = "Threats to staff by telephone and email continued under a named-officer restriction"


def outcome_signed_not_posted(out: Path, db: Path | None = None, *, then: str = "sign",
                              told: str = builders.TOLD,
                              terms: DecisionTerms | None = None) -> int:
    """The appeal lodged and decided on the (frozen) day, amending the restrictions to start
    on STARTS, and its outcome letter signed (not posted). Returns the letter's number.
    `db`: the copy of the demo to open (else the one open already). `then`: "prepare", the
    letter is only prepared (its number is a draft's); "nothing", not even that (0). `told`:
    why, as the customer is told. `terms`: the amendment's dates (else from STARTS, to 1
    November 2027, reviewed after the policy's period)."""
    if db is not None:
        open_database(db)
    actors = {Role.OFFICER: resolve_actor("tomasz.nowak"), Role.CRM: resolve_actor("ceri.hughes")}
    director = resolve_actor("gareth.bell")
    appeals.lodge_appeal(actors[Role.OFFICER], APPEALED, builders.TODAY, "It is unfair")
    # The restriction in force, the same again (not stricter), to start later.
    same = replace(builders.LETTER_ONLY, kind=RestrictionKind.BLOCK_ELECTRONIC,
                   parameters={"why_nothing_less": WHY})
    drafted = builders.draft(actors, APPEALED, same, by=Role.CRM)
    with confirmation.given(DEMO_PASSPHRASE):
        builder.justify(actors[Role.CRM], APPEALED, drafted, "Letters are sent in large print")
        appeals.decide_appeal(director, APPEALED, AppealOutcome.AMENDED, "Upheld in part",
                              terms or DecisionTerms(starts_on=STARTS,
                                                     ends_on=date(2027, 11, 1)),
                              builders.read(APPEALED), customer_reason=told)
    if then == "nothing":
        return 0
    if then == "prepare":  # prepared only, waiting to be signed
        return issuing.prepare(director, APPEALED, LetterKind.APPEAL_OUTCOME)
    signed = issuing.sign_and_export(director, APPEALED, LetterKind.APPEAL_OUTCOME, out,
                                     DEMO_PASSPHRASE)
    return signed.letter_id


def varied_after_outcome(out: Path, db: Path | None = None) -> tuple[int, int]:
    """The outcome letter signed (outcome_signed_not_posted), then the restrictions varied to
    start on 3 February 2027 and the variation's letter signed: the outcome letter is then
    superseded by it. Returns the two letters' numbers (outcome, variation)."""
    signed = outcome_signed_not_posted(out / "outcome", db)
    crm = resolve_actor("ceri.hughes")
    with confirmation.given(DEMO_PASSPHRASE):
        builder.redraft_in_force(crm, APPEALED)
        decisions.vary_restrictions(crm, APPEALED, "Start them later", DecisionTerms(
            starts_on=date(2027, 2, 3), ends_on=date(2027, 11, 1)),
            read=builders.read(APPEALED), customer_reason=builders.TOLD)
    varied = issuing.sign_and_export(crm, APPEALED, LetterKind.EXTENSION_DECISION,
                                     out / "varied", DEMO_PASSPHRASE).letter_id
    return signed, varied


def variation_unposted(out: Path, db: Path | None = None) -> int:
    """The appeal decided (outcome_signed_not_posted, its letter not even prepared), then the
    restrictions varied (shorter: from STARTS to 1 October 2027) and the variation's letter
    signed on the (frozen) day, 28 November 2026, into `out`, and not posted: its number.
    `db`: the copy of the demo to open (else the one open already)."""
    outcome_signed_not_posted(out, db, then="nothing")
    crm = resolve_actor("ceri.hughes")
    with confirmation.given(DEMO_PASSPHRASE):
        builder.redraft_in_force(crm, APPEALED)
        decisions.vary_restrictions(crm, APPEALED, "Shorter", DecisionTerms(
            starts_on=STARTS, ends_on=date(2027, 10, 1)), read=builders.read(APPEALED),
            customer_reason=builders.TOLD)
    return issuing.sign_and_export(crm, APPEALED, LetterKind.EXTENSION_DECISION, out,
                                   DEMO_PASSPHRASE).letter_id


def varied_and_signed(out: Path, step: int = 0, starts: date = builders.TODAY,
                      db: Path | None = None) -> int:
    """The restrictions varied (lighter: to start `step` days after `starts`, to end `step`
    days before 1 November 2027) and the variation's letter signed, not posted: its number.
    `db`: the copy of the demo to open (else the one open already)."""
    if db is not None:
        open_database(db)
    crm = resolve_actor("ceri.hughes")
    with confirmation.given(DEMO_PASSPHRASE):
        builder.redraft_in_force(crm, APPEALED)
        decisions.vary_restrictions(crm, APPEALED, "Worded afresh", DecisionTerms(
            starts_on=starts + timedelta(days=step),
            ends_on=date(2027, 11, 1) - timedelta(days=step)),
            read=builders.read(APPEALED), customer_reason=builders.TOLD)
    return issuing.sign_and_export(crm, APPEALED, LetterKind.EXTENSION_DECISION,
                                   out / f"varied-{step}", DEMO_PASSPHRASE).letter_id
