"""Reading a CSV log sheet: dates as the screens show them (28/11/2026 09:30) or ISO, and
channels, directions and behaviours by the labels the screens show ("Web form", "From
customer", "Repeat complaints") or by their codes, in any case. A file that is not sound CSV
is refused with its line, never guessed at: an unclosed quote, a closed quote that swallowed
the lines after it, a field over csv's size limit, a line with too many or too few fields."""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from collections.abc import Collection, Iterator
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import TypeVar

from crm_tui import clock
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.contact import Channel, Direction, officer_name_problem, read_minutes
from crm_tui.domain.counting import counted
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.typed_dates import (
    TIME_EXAMPLE,
    digits_problem,
    quoted,
    quoted_cut,
    too_early,
)
from crm_tui.services.core.validation import bounded_text
from crm_tui.services.evidence.contact_input import MAX_OFFICER, MAX_SUMMARY, ContactInput

CSV_COLUMNS = ("when", "channel", "direction", "service_area", "officer",
               "duration_minutes", "summary", "categories")
MAX_CSV_BYTES = 20_000_000
WHEN_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
DATE_ONLY = ("%d/%m/%Y", "%Y-%m-%d")
# A time whose minutes are one digit ("9:5"): 09:05 or 09:50? strptime reads it as 09:05.
ONE_DIGIT_MINUTES = re.compile(r"\d:(\d)(?!\d)")
QUOTE_HINT = 'a quote inside a field is written twice ("")'

E = TypeVar("E", bound=Enum)
# csv's limit on one field, as the README gives it: a field longer than this is refused as not
# sound CSV, with its line and column, whatever the column (v15h H1: 140,000 characters in
# `categories` passed, as csv's own limit is lifted below, and were quoted whole).
FIELD_LIMIT = 131_072
# csv's own limit is process-wide: lifted once, here, to the file's own limit, never raised
# and put back around a read (two imports on two threads put it back under each other), so
# that a field past FIELD_LIMIT is named with its column and its line's neighbours are read
# on; FIELD_LIMIT is checked on each field read (_too_long).
csv.field_size_limit(max(csv.field_size_limit(), MAX_CSV_BYTES))
# A bad value quoted in a message, so many characters of it; the rest cut with "…" and
# counted (v15h H1: a 140,000-character category was quoted whole, 140 KB on the command line
# and 1,750 lines in the dialog). Every column's, as a date's is (DATE_SHOWN).
VALUE_SHOWN = 40


def _shown(value: str) -> str:
    return quoted_cut(value, VALUE_SHOWN)


SHOWN_PROBLEMS = 20  # listed one by one; the rest counted ("and 3 more")
# Checking stops once this many problems are found: a sheet of 150,000 bad lines (3 MB, well
# inside the size limit) took 36 s and 1.3 GB to refuse when every problem was kept (found
# when tried). Past this many, the sheet is not one to put right line by line.
MAX_PROBLEMS = 1_000


class LogSheetProblem(DomainError):
    """A CSV log sheet could not be imported; names the line and the column. `problems`:
    every one found (this one first), so that a person can put them all right at once."""

    def __init__(self, file: Path, line: int | None, column: str, message: str,
                 others: list[LogSheetProblem] | None = None,
                 stopped_at: int | None = None) -> None:
        self.file, self.line, self.column, self.message = file, line, column, message
        self.problems: list[LogSheetProblem] = [self, *(others or [])]
        # The line checking stopped at, MAX_PROBLEMS having been found (None: all checked).
        self.stopped_at = stopped_at
        super().__init__(self._said())

    def _where(self) -> str:
        if self.column == "file":  # the file itself: its message says where, if anywhere
            return f"the file {self.message}"
        # A problem of the file's make-up at a line ("a quote opened … is never closed")
        # names no column: the line alone.
        where = ", ".join([*([f"line {self.line}"] if self.line else []),
                           *([self.column] if self.column else [])])
        return f"{where}: {self.message}" if where else self.message

    def _said(self) -> str:
        if len(self.problems) == 1:
            if self.column == "file":  # a sentence naming the file (round 10: not "line 2,
                return f"{self.file.name} {self.message}"  # file: is not UTF-8")
            return f"{self.file.name}: {self._where()}"
        shown = self.problems[:SHOWN_PROBLEMS]
        more = len(self.problems) - len(shown)
        how_many = counted(len(self.problems), 'problem', grouped=True)
        if self.stopped_at is not None:
            how_many = (f"at least {how_many} (checking stopped at line "
                        f"{self.stopped_at:,}: the lines after it were not checked)")
        return "\n".join([f"{self.file.name}: {how_many}; nothing was imported:",
                           *(f"  {p._where()}" for p in shown),
                           *([f"  and {more:,} more"] if more else [])])


def all_at_once(found: list[LogSheetProblem],
                stopped_at: int | None = None) -> LogSheetProblem | None:
    """Every problem found, as one refusal (None if there were none). `stopped_at`: the line
    checking stopped at, with MAX_PROBLEMS found."""
    if not found:
        return None
    first = found[0]
    return LogSheetProblem(first.file, first.line, first.column, first.message, found[1:],
                           stopped_at)


def _column(name: str) -> str:
    """A heading as the header names it: "Service Area", "service_area" and "SERVICE_AREA"
    are one column, as the values' labels are read in any case."""
    return "_".join(name.replace("_", " ").split()).casefold()


def _key(text: str) -> str:
    """'Web form', 'web_form' and 'WEB FORM' are one answer."""
    return " ".join(text.replace("_", " ").split()).casefold()


def _names(members: list[tuple[E, list[str]]]) -> dict[str, E]:
    return {_key(name): member for member, names in members for name in names}


CHANNELS = _names([(c, [c.value, c.label]) for c in Channel])
DIRECTIONS = _names([(d, [d.value, d.label, d.label.replace(" customer", " the customer")])
                     for d in Direction])
CATEGORIES = _names([(c, [c.name, c.label]) for c in BehaviourCategory])


def parse_when(text: str) -> datetime:
    """A contact's date and time as typed (digits 0-9, not before EARLIEST); ValueError says
    what was wrong, in words."""
    wrong = digits_problem(text)
    if wrong:
        raise ValueError(wrong)
    if ONE_DIGIT_MINUTES.search(text):
        # Found when tried (b16c F12): "01/11/2026 9:5" was taken as 09:05 without a word.
        raise ValueError(f"{_shown(text)} gives the minutes as one digit: type them as two "
                         f"(like {TIME_EXAMPLE})")
    for fmt in WHEN_FORMATS:
        try:
            when = datetime.strptime(text, fmt)
        except ValueError:
            continue
        early = too_early(when.date(), text)
        if early:
            raise ValueError(early)
        return when
    for fmt in DATE_ONLY:
        try:
            datetime.strptime(text, fmt)
        except ValueError:
            continue
        # Midnight would be a time nobody recorded, counted as "outside 08:00-18:00".
        raise ValueError(f"{quoted(text)} has no time of day: give it as {text} 09:30")
    # The example said once: an ISO one beside it read as the same twice once the command
    # line turned its dates into dd/mm/yyyy.
    raise ValueError(f"{_shown(text)} is not a date and time: type it like {TIME_EXAMPLE}")


def _records(file: Path, text: str) -> Iterator[tuple[int, list[str] | LogSheetProblem]]:
    """(first line of the record, its fields or what was wrong with it), strictly: csv's own
    leniency is what merged lines into one field unnoticed. csv's limit on a field is lifted
    to the file's size so that a field past FIELD_LIMIT is named, with its column, by
    _too_long with the rest. A quote closed in the middle of a field spoils only its own
    line, and the reading goes on at the next, so that every line's problems are told at
    once; a quote never closed (or a field past the limit) leaves nothing sound to read."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            said = _csv_problem(str(exc), start)
            yield start, LogSheetProblem(file, start, "", said)
            if not _recoverable(str(exc)):
                return
        else:
            yield start, row
        start = reader.line_num + 1


def _recoverable(error: str) -> bool:
    return "field larger than field limit" not in error and "unexpected end of data" not in error


def _csv_problem(error: str, start: int) -> str:
    if "field larger than field limit" in error:
        return (f"a field is longer than {csv.field_size_limit():,} characters, the most one "
                f"field may hold; a quote opened on line {start} and never closed does this "
                f"({QUOTE_HINT})")
    if "unexpected end of data" in error:
        return f"a quote opened on line {start} is never closed ({QUOTE_HINT})"
    if "expected after '\"'" in error:
        return ("a quoted value ends in the middle of a field: put the whole field in quotes, "
                "or double a quote inside it")
    # csv's other words ("line contains NUL") are no help to a person: say what to check.
    return f"this line cannot be read as CSV; check its quotes ({QUOTE_HINT})"


def _too_long(file: Path, start: int, header: list[str], row: list[str]) -> list[LogSheetProblem]:
    """Each field of the line past FIELD_LIMIT, named by its column (by its place in the line
    when the header has none there): the line is not sound CSV, and is checked no further."""
    return [LogSheetProblem(
        file, start, header[number] if number < len(header) else f"field {number + 1}",
        f"is {counted(len(value), 'character', grouped=True)} long, more than the "
        f"{FIELD_LIMIT:,} one field of a CSV file may hold, so the line is not sound CSV"
        + _ran_on(start, value))
        for number, value in enumerate(row) if len(value) > FIELD_LIMIT]


def _ran_on(start: int, value: str) -> str:
    """The likely cause, where a quote is involved: only a quoted field holds a line break
    (v15i N3: the quote was blamed in a file with no quote at all)."""
    if "\n" not in value and "\r" not in value:
        return ""
    return (f"; a quote opened on line {start} and closed only lines later does this "
            f"({QUOTE_HINT})")


def _looks_like_a_contact(line: str) -> bool:
    first, _, rest = line.partition(",")
    try:
        parse_when(first.strip().strip('"'))
    except ValueError:
        return False
    return rest.count(",") >= 2


def _swallowed(file: Path, start: int, header: list[str], row: list[str]) -> None:
    """Refuse a quoted field that ran on over lines that are contacts of their own."""
    for column, value in zip(header, row, strict=False):
        lines = value.splitlines()
        for offset, line in enumerate(lines[1:], start=1):
            if _looks_like_a_contact(line):
                raise LogSheetProblem(
                    file, start, column,
                    f"a quote opened on line {start} runs on past line {start + offset}, "
                    f"which looks like a contact of its own; close the quote on line "
                    f"{start} ({QUOTE_HINT})")


def _choice(found: dict[str, E], text: str) -> E:
    try:
        return found[_key(text)]
    except KeyError:
        raise ValueError(text) from None


def _known(members: list[str]) -> str:
    return "; ".join(members)


def _area_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _parse_line(file: Path, line: int, raw: dict[str, str],
                areas: Collection[str] = ()) -> ContactInput:
    """The line's contact; or every problem of the line at once (a person puts a line right
    in one go, not one field per import)."""
    def field(name: str) -> str:
        return (raw.get(name) or "").strip()

    problems: list[LogSheetProblem] = []

    def problem(column: str, message: str) -> None:
        problems.append(LogSheetProblem(file, line, column, message))

    def within(column: str, limit: int) -> None:
        # The save's own limit, told here with the rest (t15c F4: a 6,000-character summary
        # was told only once every other line was put right).
        try:
            bounded_text(column, field(column), limit)
        except ValidationError as exc:
            problem(column, exc.message)

    at = datetime.min
    try:
        at = parse_when(field("when"))
    except ValueError as exc:
        problem("when", str(exc))
    else:
        if at > clock.now():
            problem("when", f"{_shown(field('when'))} is in the future")
    channel, direction = Channel.TELEPHONE, Direction.INBOUND  # read only if no problem
    try:
        channel = _choice(CHANNELS, field("channel"))
    except ValueError:
        problem("channel", f"{_shown(field('channel'))} is not one of: "
                f"{_known([c.label for c in Channel])}")
    try:
        direction = _choice(DIRECTIONS, field("direction"))
    except ValueError:
        problem("direction", f"{_shown(field('direction'))} is not one of: From customer "
                "(inbound); To customer (outbound)")
    # Who dealt with it and what it was about: a contact no one can answer for, or about
    # nothing said, is no evidence of anything.
    if areas and _area_key(field("service_area")) not in {_area_key(a) for a in areas}:
        problem("service_area", f"{_shown(field('service_area'))} is not one of: "
                f"{'; '.join(sorted(areas))}")
    if not field("officer"):
        problem("officer", "is blank: give the officer who dealt with the contact")
    elif named := officer_name_problem(field("officer")):
        problem("officer", named)
    else:
        within("officer", MAX_OFFICER)
    duration = 0  # the problems in the columns' order
    try:
        duration = read_minutes(field("duration_minutes"))
    except ValueError as exc:
        problem("duration_minutes", str(exc))
    if not field("summary"):
        problem("summary", "is blank: say in a few words what the contact was about")
    else:
        within("summary", MAX_SUMMARY)
    categories = []
    for name in (n for n in field("categories").split(";") if n.strip()):
        try:
            categories.append(_choice(CATEGORIES, name))
        except ValueError:
            problem("categories", f"{_shown(name.strip())} is not a behaviour category; "
                    "known (separate several with ;): "
                    f"{_known([c.label for c in BehaviourCategory])}")
    checked = all_at_once(problems)
    if checked is not None:
        raise checked
    return ContactInput(at=at, channel=channel, direction=direction,
                        service_area=field("service_area"), officer_name=field("officer"),
                        summary=field("summary"), duration_minutes=duration,
                        categories=tuple(dict.fromkeys(categories)))


def _text(file: Path) -> str:
    """The sheet's text, read up to one byte past the limit, never trusting the size the
    file gives: a device or a pipe (/dev/zero) gives none and never ends, and was read until
    the machine ran out of memory (b15b: 6.6 GB in ten seconds). Only a regular file is
    read; a pipe is not even opened, as opening one waits for a writer."""
    try:
        if not stat.S_ISREG(file.stat().st_mode):
            raise LogSheetProblem(file, None, "file", "is not a file saved on disk (a device, "
                                  "a pipe or a folder): give the CSV file itself")
        with file.open("rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped meanwhile
                raise LogSheetProblem(file, None, "file", "is not a file saved on disk")
            data = handle.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise LogSheetProblem(file, None, "file", f"cannot be read: {exc.strerror}") from None
    if len(data) > MAX_CSV_BYTES:
        # The limit said, as every other refusal says its own (b16c F12).
        raise LogSheetProblem(file, None, "file", "is too large for one log sheet (at most "
                              f"{MAX_CSV_BYTES // 1_000_000} MB)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise LogSheetProblem(file, line, "file", f"is not UTF-8 text (line {line}): save it as "
                              "UTF-8 CSV and import it again") from None


def read_log_sheet(file: Path, areas: Collection[str] = ()) -> list[tuple[int, ContactInput]]:
    """Parse a CSV log sheet; raises LogSheetProblem naming every problem of every line (the
    first SHOWN_PROBLEMS of them one by one). `areas`: the service areas a line may name
    (as the screens spell them, in any case), checked with the rest when given."""
    text = _text(file)
    if not text.strip():
        raise LogSheetProblem(file, None, "file", "is empty: a log sheet starts with its header "
                              f"line ({', '.join(CSV_COLUMNS)}), then one line per contact")
    records = _records(file, text)
    _, first = next(records, (1, []))
    if isinstance(first, LogSheetProblem):
        raise first
    header = [_column(name) for name in first]
    too_long = all_at_once(_too_long(file, 1, [], first))
    if too_long is not None:  # (a header's field: by its place, as it names no column)
        raise too_long
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing and len(first) == 1 and \
            {_column(name) for name in first[0].split(";")} >= set(CSV_COLUMNS):
        # What a spreadsheet saves as "CSV" in many places: every column is there, only
        # separated by ";" (the separator of several behaviours within one field here).
        raise LogSheetProblem(file, 1, "", 'the columns are separated by ";", not by ",": '
                              'save the sheet as "CSV UTF-8 (comma delimited)" and import it '
                              "again")
    unclear = _header_problems(file, first, header)
    if missing:
        unclear.append(LogSheetProblem(file, 1, ", ".join(missing), "columns missing from the "
                                       f"header (expected: {', '.join(CSV_COLUMNS)})"))
    refused = all_at_once(unclear)
    if refused is not None:
        raise refused
    entries: list[tuple[int, ContactInput]] = []
    found: list[LogSheetProblem] = []
    stopped_at: int | None = None
    for start, row in records:
        if len(found) >= MAX_PROBLEMS:
            stopped_at = start
            break
        if isinstance(row, LogSheetProblem):  # the line is not sound CSV
            found.append(row)
            continue
        if not any(value.strip() for value in row):
            continue  # a blank line between contacts
        if unsound := _too_long(file, start, header, row):
            found.extend(unsound[:MAX_PROBLEMS - len(found)])
            continue
        try:
            entries.append((start, _checked_line(file, start, header, row, areas)))
        except LogSheetProblem as exc:
            # Every problem of the line; each kept without the traceback of its raising,
            # which holds the line's frames (most of the memory of a sheet of bad lines).
            for problem in exc.problems:
                problem.__traceback__ = None
            room = MAX_PROBLEMS - len(found)
            found.extend(exc.problems[:room])
            if len(exc.problems) > room:
                stopped_at = start  # past the cap within this line
                break
    problems = all_at_once(found, stopped_at)
    if problems is not None:
        raise problems
    if not entries:
        raise LogSheetProblem(file, None, "file", "has its header and no contacts after it")
    return entries


def _header_problems(file: Path, typed: list[str], header: list[str]) -> list[LogSheetProblem]:
    """A column named twice, or one a log sheet does not have: refused, never guessed at
    (found when tried, b16d F2: with two `when` columns the contact was dated from the last
    without a word, as a referral file's key given twice is refused; and a `notes` column an
    officer added was dropped with all it held)."""
    problems: list[LogSheetProblem] = []
    first_at: dict[str, int] = {}
    for number, (name, column) in enumerate(zip(typed, header, strict=True), start=1):
        # (A column with no name: most often a comma left at the end of the header.)
        said = quoted_cut(name.strip(), 40) if name.strip() else "with no name"
        if column in first_at:
            problems.append(LogSheetProblem(
                file, 1, "", f"the column {said} is in the header twice (columns "
                f"{first_at[column]} and {number}): which of the two is meant is for the sheet "
                "to say, not guessed at; keep one of them and import it again"))
        elif column not in CSV_COLUMNS:
            problems.append(LogSheetProblem(
                file, 1, "", f"the column {said} (column {number}) is not one a log sheet has, "
                "and what it holds would be lost: remove it, or put what it holds in the "
                f"summary (the columns: {', '.join(CSV_COLUMNS)})"))
        first_at.setdefault(column, number)
    return problems


def _checked_line(file: Path, start: int, header: list[str], row: list[str],
                  areas: Collection[str]) -> ContactInput:
    _swallowed(file, start, header, row)
    if len(row) != len(header):
        raise LogSheetProblem(file, start, "", f"the row has {counted(len(row), 'field')} "
                              f"where the header has {len(header)}; a field with a comma in it "
                              f"goes in double quotes ({QUOTE_HINT})")
    return _parse_line(file, start, dict(zip(header, row, strict=True)), areas)
