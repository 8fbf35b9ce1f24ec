"""Configuration: one TOML file in the user config folder, validated on load.

A bad value stops the app with a message naming the key and the file, so that it never
runs half-configured. Every key has a sensible default; the file need not exist.
"""

from __future__ import annotations

import grp
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from crm_tui.domain.characters import control_problem

APP_NAME = "crm-tui"
# The council's separate procedure for customers who have shown a propensity for violence,
# abusive or threatening behaviour, as the policy names it.
SAFE_WORKING_PROCEDURE = ("Safe Working Procedure- Incident List "
                          "(http://staffinfo.southampton.gov.uk/health-safety/safety-information/)")
DEADLINE_KINDS = ("reply_by", "appeal", "review", "referral_response")


class ConfigError(Exception):
    """The configuration file has a bad value; the message names key and file."""


@dataclass(frozen=True)
class Council:
    name: str = "Northmere City Council"
    department: str = "Complaints Resolution Team, Legal and Business Operations"
    address: tuple[str, ...] = ("Civic Centre", "Harbour Road", "Northmere", "NM1 1AA")
    telephone: str = "01632 960000"
    email: str = "complaints.review@northmere.example.gov.uk"
    website: str = "www.northmere.example.gov.uk"


@dataclass(frozen=True)
class Config:
    council: Council = field(default_factory=Council)
    service_areas: tuple[str, ...] = (
        "Housing Services", "Council Tax and Benefits", "Planning and Building Control",
        "Waste and Recycling", "Adult Social Care", "Highways and Parking",
    )
    review_period_months: int = 12
    appeal_period_days: int = 28
    appeal_decision_days: int = 28
    reply_by_days: int = 14
    retention_years: int = 6
    working_day_deadlines: tuple[str, ...] = ("reply_by", "appeal")
    # Post filed without reply is read within this many working days of arriving; older
    # unread items show on the home screen and in the calendar.
    screening_working_days: int = 2
    letters_folder: str = ""
    evidence_folder: str = ""
    exports_folder: str = ""
    evidence_max_mb: int = 50
    # A database shared by a team: what the app writes is this group's too (never everyone's).
    team_group: str = ""
    # How long a save waits for another person's save to the same database file to finish
    # (a large import's one commit) before it says so and saves nothing.
    busy_timeout_seconds: int = 30
    # The copies a restore keeps of what it replaced are deleted this many days after it
    # (by `retention run`): they hold whatever was there, destroyed files' data included.
    restore_copies_days: int = 30
    # Shown wherever a risk to staff is recorded: text, a link, or both.
    safe_working_procedure: str = SAFE_WORKING_PROCEDURE
    # Letters: the council's return line above the envelope window (never in it); marks in
    # the left margin where the sheet is folded for a DL envelope; a trusted RFC 3161
    # timestamping service for every signature ("" for none).
    return_line: bool = True
    fold_marks: bool = False
    timestamp_url: str = ""
    # Print packs ("Post today"): where they go, the group of the print room that reads them
    # (never everyone), and whether the printer prints on both sides of the sheet, so that
    # each letter starts on a sheet of its own.
    print_folder: str = ""
    print_group: str = ""
    print_duplex: bool = True
    # Encryption at rest (README, "Security and privacy"): a database made from now on is
    # encrypted with SQLCipher and its evidence store sealed; `crm-tui encryption encrypt`
    # encrypts one made before. Its key is kept in the OS keyring.
    encrypt_database: bool = False
    source: Path | None = None

    def evidence_path(self) -> Path:
        return Path(self.evidence_folder).expanduser() if self.evidence_folder \
            else data_dir() / "evidence"

    def exports_path(self) -> Path:
        """Where evidence bundles are written."""
        return Path(self.exports_folder).expanduser() if self.exports_folder \
            else data_dir() / "exports"

    def print_path(self) -> Path:
        """Where print packs are written."""
        return Path(self.print_folder).expanduser() if self.print_folder \
            else data_dir() / "print"

    def letters_path(self) -> Path:
        return Path(self.letters_folder).expanduser() if self.letters_folder \
            else data_dir() / "letters"


def config_dir() -> Path:
    return Path(os.environ.get("CRM_TUI_CONFIG_DIR") or platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    return Path(os.environ.get("CRM_TUI_DATA_DIR") or platformdirs.user_data_dir(APP_NAME))


def server_folder(url: str, kind: str, name: str) -> Path:
    """A folder of a PostgreSQL database's own (a demo's or a benchmark's evidence, signing
    keys, letters), which has no folder beside it as a file has: in the user data folder,
    named after the server, the port and the database (`demo-db.example-5432-crm-letters`)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    named = "-".join(part for part in (parts.hostname or "local", str(parts.port or ""),
                                       parts.path.strip("/")) if part)
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in named)
    return data_dir() / f"{kind}-{safe}-{name}"


def default_config_path() -> Path:
    return config_dir() / "config.toml"


def default_database_path() -> Path:
    return data_dir() / "crm.sqlite3"


def demo_database_path() -> Path:
    return data_dir() / "demo.sqlite3"


def _as_typed(value: Any) -> str:
    """A value of the file as it was written there (text in double quotes, true/false as
    TOML writes them), never Python's repr ('abc', True)."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return f"[{', '.join(_as_typed(v) for v in value)}]"
    return "a table" if isinstance(value, dict) else str(value)


def _int(where: str, key: str, value: Any, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ConfigError(f"{where}: \"{key}\" must be a whole number from {low} to {high}, "
                          f"not {_as_typed(value)}")
    return value


def _text(where: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: \"{key}\" must be non-empty text, not {_as_typed(value)}")
    return _printable(where, key, value.strip())


def _printable(where: str, key: str, value: str) -> str:
    """A text value holds no NUL, escape, C0/C1 control, bidi override or invisible mark: the
    council's name went into the app's title bar and every PDF with them (b16e F5). The
    rule every typed text meets (domain/characters.py)."""
    problem = control_problem(value)
    if problem:
        raise ConfigError(f"{where}: \"{key}\" {problem}")
    return value


def _flag(where: str, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: \"{key}\" must be true or false, not {_as_typed(value)}")
    return value


def _url(where: str, key: str, value: Any) -> str:
    url = _text(where, key, value)
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"{where}: \"{key}\" must be an http:// or https:// address, not "
                          f"{_as_typed(value)}")
    return url


def _texts(where: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: \"{key}\" must be a list of non-empty text")
    return tuple(_printable(where, key, v.strip()) for v in value)


def _council(where: str, raw: Any) -> Council:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: '[council]' must be a table")
    known = {f.name for f in fields(Council)}
    for key in raw:
        if key not in known:
            raise ConfigError(f"{where}: unknown key \"council.{key}\" (known: "
                              f"{', '.join(sorted(known))})")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "address":
            values[key] = _texts(where, "council.address", value)
        else:
            values[key] = _text(where, f"council.{key}", value)
    return Council(**values)


def _group(where: str, key: str, value: Any) -> str:
    group = _text(where, key, value)
    try:
        grp.getgrnam(group)
    except KeyError:
        raise ConfigError(f"{where}: \"{key}\": there is no group \"{group}\" on this "
                          "computer") from None
    return group


def parse(raw: dict[str, Any], where: str) -> Config:
    """Validate a parsed TOML document; `where` names the file in messages."""
    known = {f.name for f in fields(Config)} - {"source"}
    for key in raw:
        if key not in known:
            raise ConfigError(f"{where}: unknown key \"{key}\" (known: {', '.join(sorted(known))})")
    values: dict[str, Any] = {}
    if "council" in raw:
        values["council"] = _council(where, raw["council"])
    if "service_areas" in raw:
        areas = _texts(where, "service_areas", raw["service_areas"])
        if not areas:
            raise ConfigError(f"{where}: 'service_areas' must name at least one service area")
        # Log sheets and files name an area in any case: two differing only by case would
        # be one area read two ways.
        seen: dict[str, str] = {}
        for area in areas:
            if area.casefold() in seen:
                raise ConfigError(f"{where}: \"service_areas\" lists \"{seen[area.casefold()]}\" "
                                  f"and \"{area}\", which differ only by case: list each "
                                  "area once")
            seen[area.casefold()] = area
        values["service_areas"] = areas
    limits = {"review_period_months": (1, 12), "appeal_period_days": (1, 365),
              "reply_by_days": (1, 90),
              "appeal_decision_days": (1, 365), "retention_years": (1, 50),
              "evidence_max_mb": (1, 2048), "screening_working_days": (1, 30),
              "busy_timeout_seconds": (1, 600), "restore_copies_days": (1, 365)}
    for key, (low, high) in limits.items():
        if key in raw:
            values[key] = _int(where, key, raw[key], low, high)
    if "working_day_deadlines" in raw:
        kinds = raw["working_day_deadlines"]
        if not isinstance(kinds, list) or any(k not in DEADLINE_KINDS for k in kinds):
            raise ConfigError(f"{where}: 'working_day_deadlines' may list only: "
                              f"{', '.join(DEADLINE_KINDS)}")
        values["working_day_deadlines"] = tuple(kinds)
    for key in ("letters_folder", "evidence_folder", "exports_folder", "print_folder",
                "safe_working_procedure"):
        if key in raw:
            values[key] = _text(where, key, raw[key])
    for key in ("return_line", "fold_marks", "print_duplex", "encrypt_database"):
        if key in raw:
            values[key] = _flag(where, key, raw[key])
    if "timestamp_url" in raw:
        values["timestamp_url"] = _url(where, "timestamp_url", raw["timestamp_url"])
    for key in ("team_group", "print_group"):
        if key in raw:
            values[key] = _group(where, key, raw[key])
    return Config(**values)


def load(path: Path | None = None) -> Config:
    """Load the configuration file, or the defaults when there is none."""
    path = path or default_config_path()
    if not path.exists():
        return Config()
    # Imported here: with no configuration file (the usual case) Python's TOML parser is
    # never wanted, and importing it cost some 7 ms of processor time at start (issue 17).
    import tomllib

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror}") from exc
    config = parse(raw, str(path))
    return Config(**{**{f.name: getattr(config, f.name) for f in fields(Config)},
                     "source": path})
