"""The command line in the user's words: dates typed as on screen (dd/mm/yyyy, or ISO), one
parser shared with the forms; a bad date, a missing option and a refusal each said plainly,
naming the option, every problem of a command's options at once. Usage errors exit 2, a
date option's day refused by the rules too (in the future: an input problem, as a date that
is no date); other refusals exit 1."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from crm_tui import clock
from crm_tui.domain.characters import control_problem, escaped, undecodable_problem
from crm_tui.domain.counting import counted
from crm_tui.domain.errors import (
    DatabaseBusy,
    DomainError,
    NotFound,
    NotKnown,
    Placeholder,
    Problems,
    ValidationError,
)
from crm_tui.domain.grounds import reason_problem
from crm_tui.domain.numbers import MOST_ID, read_whole
from crm_tui.domain.roles import Role
from crm_tui.domain.typed_dates import parse_date, parse_time, quoted, with_typed_dates
from crm_tui.domain.wording import customer_words

# ctx.meta key: each day given to a date option -> the text it was typed as.
_TYPED = "crm_tui.typed_days"


def _remember(ctx: click.Context | None, day: date, text: str) -> None:
    """So that a refusal quotes the day as it was typed ("3/12/2026", not "03/12/2026")."""
    if ctx is not None:
        ctx.find_root().meta.setdefault(_TYPED, {}).setdefault(day, text.strip())


def typed_days() -> dict[date, str]:
    """The days given to this command's date options, each as it was typed."""
    context = click.get_current_context(silent=True)
    return dict(context.find_root().meta.get(_TYPED, {})) if context else {}


def database_file(target: str, what: str, on_server: str | None = None) -> Path:
    """The file a database target names (a path or a `sqlite:///` URL). A server URL is typed
    wrong for a command that `what` ("backup and restore work") on a file: exit 2, saying
    `on_server` (what does it for a PostgreSQL database) when given. The URL's password is
    never said."""
    if target.startswith("sqlite:///"):
        return Path(target.removeprefix("sqlite:///")).expanduser()
    if "://" in target:
        from crm_tui.db.connection import POSTGRES_SCHEMES, shown

        if on_server and target.startswith(POSTGRES_SCHEMES):
            raise click.UsageError(f"{shown(target)}: {what} on a database file (SQLite), not "
                                   f"on a PostgreSQL database: {on_server}")
        raise click.UsageError(f"{shown(target)}: {what} on a database file; give its path")
    return Path(target).expanduser()


def said(message: str) -> str:
    """A message of the command line: dates as the user typed them (or dd/mm/yyyy)."""
    return with_typed_dates(message, typed_days())


class TypedDate(click.ParamType[datetime, Any]):
    """A date as the forms read it; the value is a datetime at midnight, as click.DateTime
    gave, so that callers take `.date()` as before. A day that has happened (an appeal's
    receipt) is refused in the future here, beside the command's other problems."""

    name = "dd/mm/yyyy"

    def __init__(self, *, past: bool = False) -> None:
        self.past = past

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            day = parse_date(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
        if self.past and day > clock.today():
            self.fail(f"{quoted(str(value).strip())} is in the future: give a day up to today",
                      param, ctx)
        _remember(ctx, day, str(value))
        return datetime.combine(day, datetime.min.time())


class TypedTime(click.ParamType[datetime, Any]):
    """A day and a time as the forms read them (28/11/2026 09:30)."""

    name = "dd/mm/yyyy hh:mm"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            when = parse_time(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
        _remember(ctx, when.date(), str(value).rpartition(" ")[0])
        return when


DATE = TypedDate()
PAST_DATE = TypedDate(past=True)
TIME = TypedTime()


class Whole(click.ParamType[int, Any]):
    """A whole number typed with the digits 0 to 9, within range (domain.numbers, the one
    reader of numbers): click's int read "٣" as 3 and passed 23 digits on to SQLite."""

    name = "integer"

    def __init__(self, *, least: int = 0, most: int = MOST_ID) -> None:
        self.least, self.most = least, most

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return read_whole(str(value), least=self.least, most=self.most)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


# A register number, a screening item, a nomination: what the lists number them by.
NUMBER = Whole(least=1)


def _plain(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


class Labelled(click.ParamType[str, Any]):
    """One of a set of values, typed as its code (under_consideration, new-matter) or as the
    screens name it (Under consideration), in any case; a label in two parts ("Nothing new —
    filed", "Appeal upheld: restrictions removed") also by either part; `also`: other names
    (name, code) the screens' words suggest ("upheld"). A wrong one is answered with the
    screens' names."""

    name = "choice"

    def __init__(self, choices: Iterable[tuple[str, str]],
                 also: Iterable[tuple[str, str]] = ()) -> None:
        self.choices = list(choices)  # (code, label)
        self.names = {_plain(name): code for code, label in self.choices
                      for name in (code, label)}
        # A part of a label, or another name, that could mean two of them means neither.
        parts: dict[str, set[str]] = {}
        for code, label in self.choices:
            for sep in (" — ", ": "):
                for part in label.split(sep, 1) if sep in label else ():
                    parts.setdefault(_plain(part), set()).add(code)
        for name, code in also:
            parts.setdefault(_plain(name), set()).add(code)
        for name, codes in parts.items():
            if len(codes) == 1:
                self.names.setdefault(name, next(iter(codes)))

    def _known(self, text: str) -> str | None:
        return self.names.get(_plain(text))

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        code = self._known(str(value))
        if code is None:
            self.fail(f"{quoted(value)} is not one of: "
                      + "; ".join(label for _, label in self.choices), param, ctx)
        return code


class WrittenFile(click.Path):
    """A file a command writes: its folder must exist (round 8: a mistyped
    `--ics /nonexistent/dir/x.ics` made /nonexistent/dir and wrote there, saying nothing)."""

    def __init__(self) -> None:
        super().__init__(dir_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        path = Path(os.fsdecode(super().convert(value, param, ctx)))
        folder = path.expanduser().parent
        if not folder.is_dir():
            self.fail(f"no folder {folder}: give a file in a folder that exists", param, ctx)
        return path


class WrittenFolder(click.Path):
    """A folder a command writes into: made if missing, but only inside a folder that exists
    (the option's help says so), so that a mistyped path is refused, not made."""

    MADE = " (made if missing, inside a folder that exists)"

    def __init__(self) -> None:
        super().__init__(file_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            # Found when tried (b16c F12): `backup ""` was read as the current folder.
            self.fail("is blank: give the folder to write into", param, ctx)
        path = Path(os.fsdecode(super().convert(value, param, ctx)))
        folder = path.expanduser()
        if not folder.is_dir() and not folder.parent.is_dir():
            self.fail(f"no folder {folder.parent}: give a folder that exists, or a new one "
                      "inside a folder that exists", param, ctx)
        return path


class ReadFile(click.Path):
    """A file (or, `folder_okay`, a folder) a command reads: one that is not there is told in
    our words beside the command's other problems (round 12: click's own "PATH: File
    '/tmp/x.csv' does not exist.", and only that)."""

    def __init__(self, *, folder_okay: bool = False) -> None:
        super().__init__(dir_okay=folder_okay, path_type=Path)
        self.folder_okay = folder_okay

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        path = Path(os.fsdecode(super().convert(value, param, ctx)))
        found = path.expanduser()
        if not found.exists():
            where = found.parent
            self.fail(f"no file {quoted(str(path))}"
                      + ("" if where.is_dir() else f" (no folder {where})")
                      + ": give a file that exists", param, ctx)
        if found.is_dir() and not self.folder_okay:
            self.fail(f"{quoted(str(path))} is a folder: give a file", param, ctx)
        return path


class Unreadable:
    """What an option typed but unreadable stands for among the values a check across options
    is given (it was given: "Give --to too" is told beside "--from: 31/02/2026 is not a
    date")."""


UNREADABLE = Unreadable()


def both(first: tuple[str, str], last: tuple[str, str], what: str) -> Check:
    """Two options (each as parameter name, option) given together or not at all: the one
    left out is asked for ("Give --to too: …"; `what`: what the pair gives)."""
    def check(values: dict[str, Any]) -> Iterable[tuple[str, str]]:
        start, end = _given(values.get(first[0])), _given(values.get(last[0]))
        if (start is None) != (end is None):
            yield "", f"Give {first[1] if start is None else last[1]} too: {what}"
    return check


def _option(param: click.Parameter | None) -> str:
    if param is None:
        return "a value"
    if isinstance(param, click.Option) and param.opts:
        return max(param.opts, key=len)
    return (param.name or "value").upper()


def choices_help(choices: Iterable[tuple[str, str]]) -> str:
    """An option's choices as typed, each with its meaning in the screens' words."""
    said = [f"{value} ({label[:1].lower() + label[1:]})" for value, label in choices]
    return ", ".join(said[:-1]) + f" or {said[-1]}" if len(said) > 1 else "".join(said)


ROLE_HELP = "the role: " + choices_help((r.value, r.label) for r in Role)
# What a command's argument is, said when it is missing ("Give REFERENCE: the case …").
ARGUMENTS = {
    "reference": "the case reference, like UPV-2026-0005",
    "case_reference": "the case reference, like UPV-2026-0005",
    "login": "the person's login, like tomasz.nowak (crm-tui users list shows them)",
    "nomination_id": "the nomination's number (crm-tui appeals nominations lists them)",
    "letter_id": "the letter's register number (crm-tui letters list shows them)",
    "item": "the screening item's number (crm-tui screening list shows them)",
    "customer": "the customer's reference, like C000007, or one of their cases'",
    "path": "the file to read",
    "file": "the PDF letter to check",
}


def _missing(error: click.MissingParameter) -> str:
    param = error.param
    what = getattr(param, "help", None) if param is not None else None
    if isinstance(param, click.Argument):
        what = ARGUMENTS.get(param.name or "")
    # How to type it, once: a date option's help gives no pattern (its metavar does).
    how = f" ({param.type.name})" if param is not None and isinstance(
        param.type, (TypedDate, TypedTime)) else ""
    if what and how:  # the help says it already ("when it reached the council (dd/mm/yyyy)")
        what = what.replace(how, "").strip()
    return f"Give {_option(param)}{how}" + (f": {what}" if what else "")


def _plainly(error: click.BadParameter) -> str:
    """click's "Missing option '--x'." or "Invalid value for '--x'", in plain words."""
    if isinstance(error, click.MissingParameter):
        return _missing(error)
    return f"{_option(error.param)}: {error.message}"


# A check across a command's options (a period's ends), given the values that were read:
# each problem as (the option's parameter name, what is wrong).
Check = Callable[[dict[str, Any]], Iterable[tuple[str, str]]]


def period(first: str, last: str) -> Check:
    """The period given by two date options runs forwards (when both are given)."""
    def check(values: dict[str, Any]) -> Iterable[tuple[str, str]]:
        start, end = values.get(first), values.get(last)
        if isinstance(start, datetime) and isinstance(end, datetime) and end < start:
            yield last, (f"the period would end on {end:%Y-%m-%d}, before it starts on "
                         f"{start:%Y-%m-%d}: give the earlier day first")
    return check


def not_blank(**kept: str) -> Check:
    """Options whose value, given, replaces what is recorded, and whose absence keeps it: a
    blank one (or only spaces and commas) is a mistake typed, not a way to erase the value
    (round 10: `--postcode ""` erased a customer's address, exit 0). `kept`: each option's
    parameter name -> what it records ("the postal address")."""
    def check(values: dict[str, Any]) -> Iterable[tuple[str, str]]:
        for name, what in kept.items():
            value = values.get(name)
            if isinstance(value, str) and not value.replace(",", " ").strip():
                yield name, (f"is blank: give {what}, or leave the option out to keep it as "
                             "it is (a blank erases nothing)")
    return check


def placeholder(*names: str, rule: Callable[[str], str | None] = reason_problem) -> Check:
    """Text options the service refuses when they stand for nothing ("n/a", "-": `rule`,
    the domain's own, reason_problem unless said), as a `service_checks` entry: told beside a
    problem typed that stops the command (round 10: `appeals decide --reason n/a` without
    --customer-reason named only the missing option)."""
    def check(values: dict[str, Any]) -> Iterable[tuple[str, str]]:
        for name in names:
            value = values.get(name)
            if isinstance(value, str) and (problem := rule(value)):
                yield name, problem
    return check


def customer_told(text: str) -> str | None:
    """What the letter's rules refuse in words for the customer (wording.customer_words,
    without the customer's names, which only the service knows), or None; blank is told by
    the command's own check."""
    if not text.strip():
        return None
    try:
        customer_words("customer_reason", text)
    except ValidationError as exc:
        return exc.message
    return None


def _case(actor: Any, value: Any) -> object:
    from crm_tui.services.core.case_steps import load_case

    return load_case(actor, str(value))


def _item(actor: Any, value: Any) -> object:
    from crm_tui.services.evidence.screening import item

    return item(actor, int(value))


def _letter(actor: Any, value: Any) -> object:
    from crm_tui.services.letters.copies import info

    return info(actor, int(value))


def _customer(actor: Any, value: Any) -> object:
    from crm_tui.services.core.scope import find_customer

    return find_customer(actor, str(value))


def _login(actor: Any, value: Any) -> object:
    from crm_tui.services.core.users import show

    return show(str(value))


# What a command's argument or option names (by its parameter name), looked up in the
# database when the command stops on another problem: one that names nothing is told with
# the rest (round 12: `letters export --case UPV-2026-9999 --kind foo` told --kind and --out,
# not the case; the case was told only once the rest was right).
LOOKED_UP: dict[str, Callable[[Any, Any], object]] = {
    "reference": _case, "case_reference": _case, "item": _item, "letter_id": _letter,
    "customer": _customer, "login": _login,
}


def _unknown(ctx: click.Context, values: dict[str, Any]) -> list[str]:
    """Each value typed that names nothing there is (a case, a screening item, a letter…), in
    the words the service refuses it with; nothing if the database cannot be opened or the
    actor is not known (the command tells that itself, once the rest is right)."""
    new: set[str] = getattr(ctx.command, "new", set())
    params = {p.name: p for p in ctx.command.get_params(ctx)
              if p.name in LOOKED_UP and p.name not in new}
    asked = {name: value for name in params
             if (value := _given(values.get(name))) is not None
             and not isinstance(value, Unreadable) and str(value).strip()}
    state = ctx.find_root().obj
    if not asked or not hasattr(state, "open"):
        return []
    try:
        state.open(_given(values.get("db")), reads_only=True)
        actor = state.actor(_given(values.get("user")))
    except (click.ClickException, DomainError):
        return []
    found = []
    for name, value in asked.items():
        try:
            LOOKED_UP[name](actor, value)
        except (NotFound, NotKnown) as exc:
            message = exc.message if isinstance(exc, NotKnown) else str(exc)
            found.append(f"{_option(params[name])}: {said(message)}")
        except (DomainError, ValueError):
            continue  # not seen by this actor, or the like: the command tells it
    return found


def typed_characters(values: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """Every option and argument, of every command, meets the one rule on characters
    typed text meets (domain/characters.py), before anything is written: bytes that are not
    UTF-8 (Python gives them as lone surrogates; issue 16: `--address $'1 High St\\xff'` and
    `--out $'/tmp/x-\\xff'` ended in a UnicodeEncodeError traceback when the audit entry was
    written), and control characters, bidirectional overrides and invisible marks (t16 F0:
    `sar --reason` took ESC and U+202E into the trail, and the app wrote them raw to the
    terminal). Here, once, rather than in each command: a text option added later meets it."""
    for name, value in values.items():
        for one in _flat(value):
            if isinstance(one, Path):
                problem = undecodable_problem(str(one), "give a path whose names are UTF-8") \
                    or control_problem(str(one))
            elif isinstance(one, str):
                problem = control_problem(one)
            else:
                continue
            if problem:
                yield name, problem
                break


def _flat(value: Any) -> Iterable[Any]:
    """An option's value, a tuple of them (`multiple`) or of pairs (`--tracking N=NUMBER`)
    given one by one."""
    if isinstance(value, (tuple, list)):
        for one in value:
            yield from _flat(one)
    else:
        yield value


class AllAtOnce(click.Command):
    """A command that tells every problem of its options at once, as a form shows every
    field's (click stops at the first): a bad date and a missing option in one message, and
    the checks across options (`checks=[period(...)]`) beside them."""

    def __init__(self, *args: Any, checks: Iterable[Check] = (),
                 told_by_service: Iterable[str] = (), service_checks: Iterable[Check] = (),
                 new: Iterable[str] = (), **kwargs: Any) -> None:
        """`told_by_service`: required text options whose service says "is required" beside
        its other refusals (the rules on the other options): given blank or left out, and
        nothing else wrong with what was typed, the command runs with "" so that every
        problem is told at once; told here with the rest when something else typed stops
        the command. `service_checks`: the service's own rules on the values typed (the same
        domain functions it asks), told here only when something typed stops the command
        before the service could tell them ("--to: 31/02/2027 is not a date" beside "--from:
        1/12/2026 is before today")."""
        super().__init__(*args, **kwargs)
        self.checks = [typed_characters, *checks]
        self.told_by_service = set(told_by_service)
        self.service_checks = list(service_checks)
        # Arguments that name something still to be made (`users add LOGIN`): not looked up.
        self.new = set(new)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = list(args)
        try:
            rest = super().parse_args(ctx, args)
        except click.BadParameter as first:
            others, values = _other_problems(self, ctx, given, first.param)
            found = [first, *others]
            for problem in found:  # typed, but not read: given, for the checks across them
                if problem.param is not None and problem.param.name and not isinstance(
                        problem, click.MissingParameter):
                    values.setdefault(problem.param.name, UNREADABLE)
            problems = [_plainly(p) for p in found] + self._blank(ctx, values) \
                + self._crossed(ctx, values)
            if all(isinstance(p, click.MissingParameter) and p.param is not None
                   and p.param.name in self.told_by_service for p in found) \
                    and len(problems) == len(found):
                # Only a reason left out: the service tells it beside the rules' refusals.
                ctx.params.update({p.name: _given(values.get(p.name))
                                   for p in self.params if p.name})
                for p in found:
                    if p.param is not None and p.param.name:
                        ctx.params[p.param.name] = ""
                return []
            # The command does not run: what its service would have told is told here.
            problems += self._blank(ctx, values, told_by_service=True) \
                + self._crossed(ctx, values, self.service_checks) + _unknown(ctx, values)
            if len(problems) == 1:
                raise
            raise _all(problems, ctx) from None
        problems = self._blank(ctx, ctx.params) + self._crossed(ctx, ctx.params)
        if problems:  # the command does not run: its service's rules are told here too
            problems += self._blank(ctx, ctx.params, told_by_service=True) \
                + self._crossed(ctx, ctx.params, self.service_checks) \
                + _unknown(ctx, ctx.params)
            raise _all(problems, ctx)
        return rest

    def _blank(self, ctx: click.Context, values: dict[str, Any], *,
               told_by_service: bool = False) -> list[str]:
        """A required text option given blank ("") is a problem with what was typed, as one
        left out is: told beside the others (unless its service tells it: `told_by_service`
        asks for those alone, when the service does not run)."""
        return [f"Give {_option(p)}: it cannot be left blank" + (f" ({p.help})" if isinstance(
                    p, click.Option) and p.help else "")
                for p in self.get_params(ctx)
                if isinstance(p, click.Option) and p.required and p.name
                and (p.name in self.told_by_service) == told_by_service
                and isinstance(values.get(p.name), str) and not values[p.name].strip()]

    def _crossed(self, ctx: click.Context, values: dict[str, Any],
                 checks: Iterable[Check] | None = None) -> list[str]:
        params = {p.name: p for p in self.get_params(ctx)}
        # A problem of no one option (name ""): said as it is ("Give --case REF or …").
        return [f"{_option(params.get(name))}: {said(message)}" if name else said(message)
                for check in (self.checks if checks is None else checks)
                for name, message in check(values)]


def _given(value: Any) -> Any:
    """A value read, or None for an option left out (click marks those with a sentinel)."""
    return None if type(value).__name__ == "Sentinel" else value


def left_out_value(value: Any) -> bool:
    """Whether a value read stands for an option left out (None, or click's sentinel)."""
    return _given(value) is None


def _all(problems: list[str], ctx: click.Context) -> click.UsageError:
    if len(problems) == 1:
        return click.UsageError(problems[0], ctx)
    return click.UsageError("\n".join([f"{counted(len(problems), 'problem')}:",
                                       *(f"  {p}" for p in problems)]), ctx)


def _other_problems(command: click.Command, ctx: click.Context, args: list[str],
                    first: click.Parameter | None
                    ) -> tuple[list[click.BadParameter], dict[str, Any]]:
    """Each other option's problem, each option read on its own from what was typed; and
    the values of those that were read (for the checks across options)."""
    opts, _, _ = command.make_parser(ctx).parse_args(args=list(args))
    found = []
    values: dict[str, Any] = {}
    for param in command.get_params(ctx):
        if param is first or param.name in ("help",):
            continue
        check = click.Context(command, parent=ctx.parent, info_name=ctx.info_name)
        try:
            value, _ = param.consume_value(check, opts)
            if param.name:
                values[param.name] = param.process_value(check, value)
        except click.BadParameter as exc:
            exc.param = exc.param or param
            found.append(exc)
        except click.ClickException:
            continue  # not a problem of the value typed: click says it once the rest is right
    return found, values


class PlainGroup(AllAtOnce, click.Group):
    """The top group: click's own "Missing option '--x'." and "Invalid value for '--x'" are
    said again in plain words, naming the option (still a usage error, exit 2). Its commands
    and groups tell every problem of their options at once (AllAtOnce).

    Commands kept in modules of their own load when they are run (or listed): `lazy(name,
    "module:attribute")`, so that `crm-tui` opening the app does not import every command's
    services (issue 17: start-up)."""

    command_class = AllAtOnce
    group_class = type

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._lazy: dict[str, str] = {}
        self._own: dict[str, click.Command] = {}
        super().__init__(*args, **kwargs)

    @property  # type: ignore[override]
    def commands(self) -> dict[str, click.Command]:
        """Every command, those not loaded yet loaded first (a listing, a walk in a test)."""
        for name in list(self._lazy):
            self._load(name)
        return self._own

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._own = value

    def lazy(self, name: str, where: str) -> None:
        """The command `name` is `where` ("crm_tui.cli_audit:audit_group"), loaded when used."""
        self._lazy[name] = where

    def _load(self, name: str) -> None:
        module, attribute = self._lazy.pop(name).split(":")
        command = getattr(importlib.import_module(module), attribute)
        self.add_command(command, name)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        lazy, self._lazy = self._lazy, {}  # click's add_command reads `commands`
        try:
            super().add_command(cmd, name)
        finally:
            self._lazy = lazy

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self._lazy:
            self._load(cmd_name)
        return self._own.get(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self._own, *self._lazy})

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.BadParameter as exc:
            raise click.UsageError(_plainly(exc), exc.ctx) from None
        except DatabaseBusy as exc:  # any command: the wait for another person's save ran out
            raise click.ClickException(str(exc)) from None


# A field a service names that a command takes under another name: the person nominated is
# the LOGIN typed (round 8: "nominee: 'lee.okoro' is not a user" named no option).
FIELD_TYPED_AS = {"nominee": "login"}


def _refused_option(exc: ValidationError, context: click.Context | None
                    ) -> tuple[str, bool]:
    """One value refused, as the command line says it, and whether it is a problem with what
    was typed (exit 2: blank, a login no one has, a day typed that the rules refuse) rather
    than a refusal by the rules (exit 1)."""
    params = [p for p in (context.command.params if context else []) if p.name]
    # The option the field was given by: its own name, or its start ("received_on" was
    # typed as --received) or end (the reference, CASE_REFERENCE), or the one the command
    # takes it under (LOGIN for the nominee).
    field = FIELD_TYPED_AS.get(exc.field, exc.field)
    param = next((p for p in params if p.name in (exc.field, field)), None) or next(
        (p for p in params if exc.field.startswith(f"{p.name}_")
         or (p.name or "").endswith(f"_{exc.field}")), None)
    words = exc.field.replace("_", " ")
    named = _option(param) if param is not None else f"the {words}"
    message = said(exc.message)
    if message.startswith("is required"):
        return f"Give {named}: it cannot be left blank", True
    message = f"{_option(param) if param is not None else words}: {message}"
    typed = (param is not None and context is not None and param.name is not None
             and isinstance(param.type, (TypedDate, TypedTime))
             and context.get_parameter_source(param.name) is ParameterSource.COMMANDLINE)
    # A day typed that the rules refuse (in the future, before the decision) is a problem
    # with what was typed, as a day that is no date is: both exit 2.
    # A reason that stands for nothing ("n/a") is what was typed, as a blank one is.
    return message, typed or isinstance(exc, (NotKnown, Placeholder))


def refused(exc: Exception) -> click.ClickException:
    """A service's refusal as the command line says it: the option it is about named, dates
    as typed, "is required" said as what to give; several (Problems) all at once. A problem
    with what was typed exits 2, as click's own do; a refusal by the rules, 1."""
    if not isinstance(exc, ValidationError):
        return click.ClickException(said(str(exc)))
    context = click.get_current_context(silent=True)
    found = [_refused_option(one, context)
             for one in (exc.found if isinstance(exc, Problems) else [exc])]
    if len(found) == 1:
        message = found[0][0]
    else:
        message = "\n".join([f"{counted(len(found), 'problem')}:",
                              *(f"  {line}" for line, _ in found)])
    if any(typed for _, typed in found):
        return click.UsageError(message, context)
    return click.ClickException(message)


class EscapingStream:
    """The command line's output, with every control character in it written out
    (characters.escaped): stored text from before the rule that refuses them (a customer's
    name holding `\\x1b]0;…\\x07`) is shown, never obeyed by the terminal."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: Any) -> Any:
        return self._stream.write(escaped(text) if isinstance(text, str) else text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def escape_output() -> None:
    """From here on, the command's output and messages escape control characters."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, EscapingStream):
            setattr(sys, name, EscapingStream(stream))
