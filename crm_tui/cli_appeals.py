"""`crm-tui appeals`: show, lodge and decide appeals, and the Service Director's nominations of
officers to decide them. The same services as the app's case file, with the same refusals;
decisions are confirmed with the acting person's own passphrase. Registered on the main
command group by `crm_tui.cli`."""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from crm_tui import clock
from crm_tui.cli_words import (
    DATE,
    NUMBER,
    PAST_DATE,
    Labelled,
    PlainGroup,
    ReadFile,
    choices_help,
    customer_told,
    left_out_value,
    period,
    placeholder,
    refused,
)
from crm_tui.domain.errors import DomainError
from crm_tui.domain.grounds import grounds_problem
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.typed_dates import in_prose

if TYPE_CHECKING:
    from crm_tui.cli import Context
    from crm_tui.services.reviews.appeals import AppealView

DB_HELP = "database file or URL (default: $CRM_TUI_DB, else the user data folder)"
USER_HELP = "act as this user (demo databases only)"
CONFIRM_HELP = ("a file holding your personal key's passphrase, to confirm this (else the "
                "keyring's, else you are asked)")
passphrase_option = click.option("--passphrase-file", type=ReadFile(), help=CONFIRM_HELP)


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@click.group("appeals", cls=PlainGroup)
def appeals_group() -> None:
    """Appeals, and the officers nominated to decide them."""


@appeals_group.command("show")
@click.argument("reference")
@click.option("--db", help=DB_HELP)
@click.option("--user", help=USER_HELP)
@click.pass_obj
def appeals_show(state: Context, reference: str, db: str | None, user: str | None) -> None:
    """The appeal on a case: the grounds, the decision appealed against, who may decide it
    (the Service Director, and the nominations covering the case today); or, with none open,
    whether one can be recorded."""
    from crm_tui.services.reviews import appeals

    state.open(db, reads_only=True)
    try:
        view = appeals.view(state.actor(user), reference)
    except DomainError as exc:
        raise refused(exc) from exc
    a = view.open or view.latest
    if a is None:
        click.echo(f"{view.reference}: no appeal recorded.")
    else:
        status = (f"{AppealOutcome(a.outcome).label.lower()}, on "
                  f"{in_prose(a.decided_at, full_month=True)} by "
                  f"{a.decided_by}"
                  + (f", {a.nominated}" if a.nominated else "")
                  if a.outcome and a.decided_at is not None else "awaiting a decision, due by "
                  f"{in_prose(a.due_on, full_month=True)}")
        click.echo(f"{view.reference}: appeal received {in_prose(a.received_on, full_month=True)} "
                   f"against the decision of {in_prose(a.decision_on, full_month=True)} by "
                   f"{a.decision_by}: {status}")
        if a.late_after is not None:
            click.echo(f"  {_late_words(a.late_after)}")
        click.echo(f"  Grounds: {a.grounds}")
        if a.reason:
            click.echo(f"  Reasons: {a.reason}")
    if view.open is None:
        click.echo(f"An appeal can be recorded now (by the Complaints Resolution Team), "
                   f"against {view.against}" if not view.not_lodgeable else
                   f"No appeal can be recorded now: {view.not_lodgeable}")
        return
    if kept := _review_kept(view):
        click.echo(kept)
    click.echo("May decide: the Service Director (" + ", ".join(view.service_directors) + ")")
    for n in view.nominations:
        click.echo(f"  or nominated: {n.line}")
    click.echo("  — never someone who took part in the decision appealed against.")


@appeals_group.command("lodge", told_by_service=("grounds",),
                        service_checks=[placeholder("grounds", rule=grounds_problem)])
@click.argument("reference")
@click.option("--received", "received", type=PAST_DATE, required=True,
              help="when the appeal reached the council")
@click.option("--grounds", required=True, help="the customer's grounds, in their words")
@click.option("--db", help=DB_HELP)
@click.option("--user", help=USER_HELP)
@click.pass_obj
def appeals_lodge(state: Context, reference: str, received: datetime, grounds: str,
                  db: str | None, user: str | None) -> None:
    """Record an appeal received: while a restriction is in force, or within the appeal period
    of the decision."""
    from crm_tui.services.reviews import appeals

    state.open(db)
    try:
        summary = appeals.lodge_appeal(state.actor(user), reference, received.date(), grounds)
    except DomainError as exc:
        raise refused(exc) from exc
    click.echo(f"{summary.reference}: appeal recorded; decision due by "
               f"{in_prose(summary.next_action_due, full_month=True)}"
               if summary.next_action_due else
               f"{summary.reference}: appeal recorded")
    lodged = appeals.view(state.actor(user), reference).open
    if lodged is not None and lodged.late_after is not None:
        click.echo(_late_words(lodged.late_after))


def _review_kept(view: AppealView) -> str:
    """What an amendment does with the review of the restrictions appealed against, as the
    app's amend form does (readiness.amended_review; v16 4: left blank it was counted a year
    from the amended start)."""
    due, ends = view.review_due, view.restrictions_end
    if view.open is None or due is None or due <= clock.today() \
            or (ends is not None and ends <= clock.today()):
        return ""
    return (f"Upheld in part (amended, in the app), the restrictions keep their review, due "
            f"by {in_prose(due, full_month=True)} (by their end, if that is sooner; counted "
            "from their start, if they start after it), unless a sooner one is set: a later "
            "review is stricter, and goes through a review.")


def _late_words(deadline: date) -> str:
    """As the app says it under the date received (ui.appeals.late_note; v15l F16: the
    command line never said an appeal was late)."""
    return (f"Late: received after the appeal deadline the customer was given "
            f"({in_prose(deadline, full_month=True)}). It is recorded as a late appeal, and "
            "whoever decides it is told.")


def _amended_in_the_app(values: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """An amendment confirms the restrictions its decider read (appeals.decide_appeal's
    `read`), set out in the builder; this command shows them to no one, so it always ended
    in "preview them first", which it cannot do (v15k U, noticed): say where it is decided,
    with the command's other problems."""
    if values.get("outcome") == AppealOutcome.AMENDED.value:
        yield "outcome", ("amended is decided in the app, where you read the restrictions "
                            "set out in the builder before deciding: open the case, press A "
                            "and choose \"upheld in part\" (confirmed and removed can be "
                            "decided here)")


@appeals_group.command("decide", checks=[_amended_in_the_app],
                        service_checks=[
    placeholder("reason"), placeholder("customer_reason", rule=customer_told)])
@click.argument("reference")
@click.option("--outcome", type=Labelled(((o.value, o.label) for o in AppealOutcome), also=(
                  ("not upheld", "confirmed"), ("upheld in part", "amended"),
                  ("upheld", "removed"))), required=True,
              help="what the appeal decided: " + choices_help(
                  (o.value, o.label) for o in AppealOutcome) + "; as the code or the label "
                   "(amended is decided in the app: the case, A)")
@click.option("--reason", required=True, help="the reasons: the internal record")
@click.option("--customer-reason", required=True,
              help="the reasons as the customer is told them: written to them (\"You…\"), "
                   "plain English, whole sentences")
@passphrase_option
@click.option("--db", help=DB_HELP)
@click.option("--user", help=USER_HELP)
@click.pass_obj
def appeals_decide(state: Context, reference: str, outcome: str, reason: str,
                   customer_reason: str, passphrase_file: Path | None, db: str | None,
                   user: str | None) -> None:
    """Decide an appeal: confirmed or removed (amended, the restrictions set out in the
    builder replacing those in force, is decided in the app: case, A). The Service Director,
    or an officer they nominated for the case or the day, who took no part in the decision."""
    from crm_tui.cli import _confirmed
    from crm_tui.services.reviews import appeals

    state.open(db)
    actor = state.actor(user)
    summary = _confirmed(lambda: appeals.decide_appeal(actor, reference, AppealOutcome(outcome),
                                                       reason,
                                                       customer_reason=customer_reason),
                         passphrase_file)
    # The command told must work as typed: --out is required, and the signer is the decider,
    # not whoever the default user is (v15j Q2).
    export = ["crm-tui", "letters", "export", "--case", summary.reference, "--kind",
              "appeal_outcome", *(["--db", db] if db else []),
              *(["--user", actor.login] if user else []), "--out", "FOLDER"]
    click.echo(f"{summary.reference}: {AppealOutcome(outcome).label.lower()}; the case "
               f"{summary.state.in_words} now. The outcome letter is signed by {actor.name}: "
               f"{shlex.join(export)}, FOLDER being where to write it.")


def _nomination_start(values: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """The service's rule on the first day (domain.nominations.start_problem), told beside a
    problem typed that stops the command."""
    from crm_tui.domain.nominations import start_problem

    start = values.get("valid_from")
    if isinstance(start, datetime):
        problem = start_problem(start.date(), clock.today())
        if problem:
            yield problem


def _nomination_covers(values: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """What a nomination covers, said as missing: a case, or a period's two days (a day
    typed that is no date is not missing: it is told as it is)."""
    reference = values.get("reference")
    if isinstance(reference, str) and reference.strip():
        return
    left_out = [name for name in ("valid_from", "valid_until")
                if name in values and left_out_value(values[name])]
    if len(left_out) == 2:
        yield "", ("Give --case REF (the appeal on one case) or --from and --to (a period of a "
                   "year at most): what the nomination covers")
    elif left_out:
        yield "", (f"Give {'--from' if left_out[0] == 'valid_from' else '--to'} too: the "
                   "period's first and last days")


@appeals_group.command("nominate", told_by_service=("reason",),
                        checks=[period("valid_from", "valid_until"), _nomination_covers],
                        service_checks=[_nomination_start, placeholder("reason")])
@click.argument("login")
@click.option("--case", "reference", help="for the appeal on this case")
@click.option("--from", "valid_from", type=DATE, help="for a period: its first day")
@click.option("--to", "valid_until", type=DATE, help="for a period: its last day")
@click.option("--reason", required=True, help="why (recorded in the audit trail)")
@passphrase_option
@click.option("--db", help=DB_HELP)
@click.option("--user", help=USER_HELP)
@click.pass_obj
def appeals_nominate(state: Context, login: str, reference: str | None,
                     valid_from: datetime | None, valid_until: datetime | None, reason: str,
                     passphrase_file: Path | None, db: str | None, user: str | None) -> None:
    """The Service Director nominates LOGIN to decide appeals: on one case (--case) or from
    one date to another (--from, --to; a year at most)."""
    from crm_tui.cli import _confirmed
    from crm_tui.services.reviews import nominations

    state.open(db)
    actor = state.actor(user)
    made = _confirmed(lambda: nominations.nominate(
        actor, login, reason, case_reference=reference, valid_from=_day(valid_from),
        valid_until=_day(valid_until)), passphrase_file)
    click.echo(f"Nomination {made.id}: {made.line}")


@appeals_group.command("nominations")
@click.option("--case", "reference", help="only those covering this case")
@click.option("--current", is_flag=True, help="leave out revoked and ended ones")
@click.option("--db", help=DB_HELP)
@click.option("--user", help=USER_HELP)
@click.pass_obj
def appeals_nominations(state: Context, reference: str | None, current: bool, db: str | None,
                        user: str | None) -> None:
    """The nominations of officers to decide appeals: who, for what, by whom, when, why."""
    from crm_tui.services.reviews import nominations

    state.open(db, reads_only=True)
    try:
        rows = nominations.list_nominations(state.actor(user), reference, current_only=current)
    except DomainError as exc:
        raise refused(exc) from exc
    if not rows:
        click.echo("No nominations: appeals are decided by the Service Director.")
    today = clock.today()
    for n in rows:
        click.echo(f"{n.id:>4}  {n.line} [{n.status(today)}]")
        click.echo(f"      Reason: {n.reason}")
        if n.revoked_at is not None:
            click.echo(f"      Revoked by {n.revoked_by}: {n.revoke_reason}")


@appeals_group.command("revoke-nomination", service_checks=[placeholder("reason")])
@click.argument("nomination_id", type=NUMBER)
@click.option("--reason", required=True, help="why (recorded in the audit trail)")
@passphrase_option
@click.option("--db", help=DB_HELP)
@click.option("--user", help=USER_HELP)
@click.pass_obj
def appeals_revoke(state: Context, nomination_id: int, reason: str,
                   passphrase_file: Path | None, db: str | None, user: str | None) -> None:
    """The Service Director revokes a nomination: from now it covers nothing."""
    from crm_tui.cli import _confirmed
    from crm_tui.services.reviews import nominations

    state.open(db)
    actor = state.actor(user)
    done = _confirmed(lambda: nominations.revoke(actor, nomination_id, reason),
                      passphrase_file)
    click.echo(f"Nomination {done.id} revoked: {done.nominee} no longer decides "
               f"{done.covers}.")
