"""Moving a whole database from an SQLite file to a PostgreSQL server (`crm-tui migrate-db`).

Every table is copied row for row, keeping every id, so that the audit trail's hashes and the
seals over each case's records hold on the other side; the letters are rows (their signed PDFs
are kept in the register, `letter_file`); the evidence documents are files, named by their
SHA-256, copied into the server database's evidence store and read back to their hash (opened
from their seals when the file was encrypted: a server database has no key of the app's, its
disks are encrypted by the server's own means). The search documents of the cases are copied
into PostgreSQL's own (`tsvector`); the contact log's is computed by the server as each row
arrives. Each table's id sequence is set past the ids copied.

All of it is one transaction on the server: the schema made by the same migrations, the rows,
the entry saying who moved it, the trail verified there. Any failure (an error, a kill, the
connection lost) leaves the server database as empty as it was; the evidence files copied
before it are removed again (one a kill left is content-addressed, and harmless).

Refused before anything is written: a source that is not a crm-tui database, or is at another
migration than this version's; a target that is not PostgreSQL, or that holds any table; a
person who is neither the Complaints Resolution Manager nor a user administrator; an
evidence store that is not whole. Nothing said here, or shown while it runs, holds personal
data: tables are named, rows counted.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from peewee import AutoField, BlobField, Database
from peewee import sort_models as _sort_models  # type: ignore[attr-defined]

from crm_tui.config import server_folder
from crm_tui.db import connection, dialect, peek, postgres
from crm_tui.db.connection import migration_runner, shown
from crm_tui.db.models import ALL_MODELS, BaseModel, EvidenceItem, Setting, database_proxy
from crm_tui.domain.counting import counted
from crm_tui.domain.errors import DomainError
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.roles import Actor
from crm_tui.private_files import secure_file, secure_folder
from crm_tui.services.core import audit, database_facts, settings
from crm_tui.services.core.database_facts import EVIDENCE_KEY, SIGNING_KEY
from crm_tui.services.core.evidence_store import EvidenceStore, evidence_store

ACTION = "database migrated"
BATCH = 5000
# The SQLite tables that are not the models': the migration runner's own (the target's is
# made by its migrations) and FTS5's search tables with their shadow tables (copied as search
# documents, or computed by the server).
NOT_COPIED = ("schema_migration", "case_search", "contact_search", "sqlite_")


class MoveRefused(DomainError):
    """The move was refused before anything was written, saying why."""


class MoveFailed(DomainError):
    """The move failed part-way: the server database was left empty (rolled back)."""


class Progress(Protocol):
    """What the move says as it goes: each table with its rows, then each batch copied."""

    def begin(self, tables: list[tuple[str, int]]) -> None: ...

    def table(self, name: str, rows: int) -> None: ...

    def copied(self, rows: int) -> None: ...

    def end(self) -> None: ...


class Quiet:
    def begin(self, tables: list[tuple[str, int]]) -> None:
        pass

    def table(self, name: str, rows: int) -> None:
        pass

    def copied(self, rows: int) -> None:
        pass

    def end(self) -> None:
        pass


@dataclass(frozen=True)
class Moved:
    source: str
    target: str  # shown: never a password
    tables: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    audit_entries: int = 0
    evidence_folder: Path | None = None
    schema: str = ""

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def _models() -> list[type[BaseModel]]:
    """The models in an order in which each row's references are copied before it."""
    ordered: list[type[BaseModel]] = _sort_models(ALL_MODELS)
    return ordered


def check_target(url: str) -> None:
    """Refuse a target that is not a PostgreSQL database, or one holding any table."""
    if not peek.is_server(url):
        raise MoveRefused(f"{shown(url)} is not a PostgreSQL database: --to takes "
                          "postgresql://host/dbname (the database made empty by the server's "
                          "administrator)")
    try:
        found = peek.server_settings(url)
    except peek.NotCrmDatabase as exc:
        raise MoveRefused(f"{exc}: crm-tui migrate-db moves a database only into an empty "
                          "one; nothing was written") from exc
    except connection.DatabaseError as exc:
        raise MoveRefused(f"{exc}; nothing was written") from exc
    if found is not None:
        raise MoveRefused(f"the database at {shown(url)} is not empty (it holds a crm-tui "
                          "database already): crm-tui migrate-db moves a database only into "
                          "an empty one, so that nothing there is written over; nothing was "
                          "written. Ask the server's administrator for a new, empty database")


def check_source(path: Path) -> None:
    """Refuse a file that is not a crm-tui database at this version's migration."""
    if not path.is_file():
        raise MoveRefused(f"there is no database file at {path}; nothing was written")
    try:
        found = peek.file_settings(path)
    except peek.NotCrmDatabase as exc:
        raise MoveRefused(f"{exc}; nothing was written") from exc
    if found is None:
        raise MoveRefused(f"{path} holds no crm-tui database (it is empty); nothing was "
                          "written")
    applied = peek.applied_migrations(path)
    known = {m.name for m in migration_runner(_unbound()).migrations()}
    newer = sorted(applied - known)
    if newer:
        raise MoveRefused(f"the database at {path} was written by a newer version of crm-tui "
                          f"(schema {newer[-1]}): move it with that version; nothing was "
                          "written")
    missing = sorted(known - applied)
    if missing:
        at = max(applied) if applied else "none"
        raise MoveRefused(f"the database at {path} is at an older schema ({at}, this crm-tui's "
                          f"is {max(known)}): open it once with this version to bring it up to "
                          f"date (crm-tui audit verify --db {path}), then move it; nothing was "
                          "written")


def _unbound() -> Database:
    from peewee import SqliteDatabase

    return SqliteDatabase(":memory:")


def _execute(db: Database, sql: str) -> Any:
    return db.execute_sql(sql)  # type: ignore[no-untyped-call]


def _source_tables(source: Database) -> set[str]:
    rows = _execute(source, "SELECT name FROM sqlite_master WHERE type = 'table'")
    return {str(name) for (name,) in rows if not str(name).startswith(NOT_COPIED)}


@dataclass
class _Evidence:
    """The source's evidence store and where its documents go on the server's side."""

    source: EvidenceStore
    target: EvidenceStore
    own: bool  # the target's folder is named in its settings (a demo's, or --evidence-to)
    hashes: list[str]
    written: list[Path] = field(default_factory=list)


def _evidence(url: str, into: Path | None, demo: bool) -> _Evidence:
    """Read while the source is bound: its store (opened with its key, if encrypted), and the
    server's: `into`, else a folder of its own for a database that had one (a demo's), else
    the configured evidence folder, as for any database."""
    source = evidence_store()
    query: Any = EvidenceItem.select(EvidenceItem.sha256).tuples()
    hashes = sorted({str(row[0]) for row in query})
    own_row = Setting.get_or_none(Setting.key == EVIDENCE_KEY)
    if into is not None:
        root, own = into.expanduser().absolute(), True
    elif own_row is not None and own_row.value:
        root, own = server_folder(url, "demo" if demo else "server", "evidence"), True
    else:
        root, own = settings.current().evidence_path(), False
    same = _same(root, source.root)
    if same and source.key is not None:
        raise MoveRefused(f"the evidence files in {source.root} are encrypted with the "
                          "database's key, which a server database does not use: give "
                          "--evidence-to a folder for the server's copies; nothing was "
                          "written")
    problems = [sha for sha in hashes if source.verify(sha) != "ok"]
    if problems:
        raise MoveRefused(f"the evidence store is not whole ({counted(len(problems), 'document')} "
                          "missing or changed): crm-tui evidence verify lists them; put them "
                          "back from a backup, then move the database; nothing was written")
    return _Evidence(source, EvidenceStore(root, source.max_bytes, None), own, hashes)


def _same(one: Path, other: Path) -> bool:
    try:
        return one.expanduser().resolve() == other.expanduser().resolve()
    except OSError:
        return False


def _copy_documents(evidence: _Evidence) -> None:
    """Each document into the target store, plain, read back to its SHA-256."""
    if _same(evidence.target.root, evidence.source.root):
        return  # the same folder, the same plain files: nothing to copy
    for sha in evidence.hashes:
        target = evidence.target.path_for(sha)
        if target.exists():
            if evidence.target.verify(sha) != "ok":
                raise MoveFailed(f"{target} is there already, and is not the document its "
                                 "name says: the evidence folder given is not the server "
                                 "database's own")
            continue
        secure_folder(target.parent)
        partial = target.parent / f".incoming-migrate-{os.getpid()}-{sha}"
        digest = hashlib.sha256()
        try:
            with partial.open("wb") as writer:
                secure_file(partial)
                for chunk in evidence.source.chunks(sha):
                    digest.update(chunk)
                    writer.write(chunk)
                writer.flush()
                os.fsync(writer.fileno())
            if digest.hexdigest() != sha:
                raise MoveFailed("a document changed while it was copied; try again")
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        evidence.written.append(target)
        secure_file(target, read_only=True)


def _copy_demo_letters(source_path: Path, url: str, evidence: _Evidence) -> None:
    """A demo's letters folder (beside its file) into the one a demo on the server has: the
    register's copies, for people to read (the register itself is rows, copied)."""
    folder = source_path.with_name(f"{source_path.stem}-letters")
    if not folder.is_dir():
        return
    into = server_folder(url, "demo", "letters")
    for file in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
        target = into / file.relative_to(folder)
        if target.exists():
            continue
        secure_folder(into)
        secure_folder(target.parent)
        target.write_bytes(file.read_bytes())
        secure_file(target)
        evidence.written.append(target)


def _remove_written(evidence: _Evidence | None) -> None:
    for path in evidence.written if evidence is not None else ():
        with contextlib.suppress(OSError):
            path.chmod(0o600)
            path.unlink()


def _copy_text(value: Any) -> str:
    """A value in COPY's text format: NULL as \\N, booleans as t/f, dates and times as
    PostgreSQL reads them, and the characters COPY gives meaning to escaped."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return (str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def _copy_table(model: type[BaseModel], source: Database, target: Database,
                progress: Progress) -> int:
    """Every row of `model`'s table, in id order, read through the model's fields (SQLite's
    0/1 read as booleans, its text as dates) and sent in batches: with COPY (one INSERT a
    batch took 40 s for 100,000 contacts), or as INSERTs for a table holding bytes (the
    letters' signed PDFs)."""
    fields = list(model._meta.sorted_fields)
    query = model.select(*fields).order_by(model._meta.primary_key).tuples()
    copying = not any(isinstance(f, BlobField) for f in fields)
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    sql = f'COPY "{model._meta.table_name}" ({columns}) FROM STDIN'
    copied = 0
    batch: list[tuple[Any, ...]] = []

    def send() -> None:
        if copying:
            text = "".join("\t".join(_copy_text(value) for value in row) + "\n"
                           for row in batch)
            target.cursor().copy_expert(  # type: ignore[no-untyped-call]
                sql, io.StringIO(text))
        else:
            model.insert_many(batch, fields).execute(target)
        progress.copied(len(batch))

    for row in query.iterator(source):
        batch.append(row)
        if len(batch) >= BATCH:
            send()
            copied += len(batch)
            batch = []
    if batch:
        send()
        copied += len(batch)
    return copied


def _set_sequences(target: Database, models: Iterable[type[BaseModel]]) -> None:
    """Each table's id sequence past the ids copied: the next row made there takes the next
    number, never one copied."""
    for model in models:
        key = model._meta.primary_key
        if not isinstance(key, AutoField):
            continue
        table = model._meta.table_name
        # The names as parameters: the server quotes them (the sequence's table as an
        # identifier, so quoted again inside the text).
        target.execute_sql(  # type: ignore[no-untyped-call]
            "SELECT setval(pg_get_serial_sequence(%s, %s), "
            f"COALESCE((SELECT max(\"{key.column_name}\") FROM \"{table}\"), 0) + 1, false)",
            (f'"{table}"', key.column_name))


def _copy_search(source: Database, target: Database) -> None:
    """The cases' search documents (the contact log's is computed by the server)."""
    rows = _execute(source, "SELECT rowid, body FROM case_search ORDER BY rowid")
    for case_id, body in rows:
        postgres.index_case(target, int(case_id), str(body))


def _own_folders(target: Database, evidence: _Evidence, signing: Path | None) -> None:
    """The server database's own folders, by absolute path (a server has no folder beside
    it): its evidence store when it has one of its own, the signing keys' the file had."""
    for key, folder in ((EVIDENCE_KEY, evidence.target.root if evidence.own else None),
                        (SIGNING_KEY, signing)):
        if folder is None:
            Setting.delete().where(Setting.key == key).execute(target)
        else:
            (Setting.insert(key=key, value=str(folder.absolute()))
             .on_conflict(conflict_target=[Setting.key], preserve=[Setting.value])
             .execute(target))


# A hook for the tests: called after each step (a table's name, or "evidence" once the
# documents are copied), to fail part-way.
after_table: Callable[[str], None] = lambda name: None  # noqa: E731


def migrate(actor: Actor, source_path: Path, url: str, *, busy_timeout: float,
            evidence_to: Path | None = None, progress: Progress | None = None) -> Moved:
    """Move the database at `source_path` (open, bound to the models, `actor` established
    from it) into the empty PostgreSQL database at `url`, in one transaction there. The
    models are left bound to the server database. The file is read in one read transaction,
    so that the copy is the file as it was at one moment, whoever writes to it meanwhile."""
    require(actor, Capability.MIGRATE_DATABASE)
    check_target(url)
    source = database_proxy.obj
    assert source is not None
    with dialect.read_transaction(source):
        return _migrate(actor, source, source_path, url, busy_timeout, evidence_to,
                        progress or Quiet())


def _migrate(actor: Actor, source: Database, source_path: Path, url: str,
             busy_timeout: float, evidence_to: Path | None, progress: Progress) -> Moved:
    models = _models()
    names = {m._meta.table_name for m in models}
    unknown = sorted(_source_tables(source) - names)
    if unknown:
        raise MoveRefused(f"the database at {source_path} holds tables this crm-tui does not "
                          f"know ({', '.join(unknown)}); nothing was written")
    demo = database_facts.demo_user() is not None
    signing = database_facts.signing_folder()
    evidence = _evidence(url, evidence_to, demo)
    counts = [(m._meta.table_name, int(m.select().count())) for m in models]
    schema = connection.schema_version(source)
    target = connection._server_database(url, busy_timeout)
    tables: dict[str, int] = {}
    try:
        target.connect()
        database_proxy.initialize(target)
        with target.atomic():
            postgres.take_write_lock(target)
            # Looked at again in the transaction: someone who opened the database since the
            # first look (their app made its tables) is never written over.
            if _execute(target, "SELECT 1 FROM information_schema.tables WHERE table_schema "
                                "= current_schema() AND table_type = 'BASE TABLE' LIMIT 1"
                        ).fetchone() is not None:
                raise MoveRefused(f"the database at {shown(url)} is not empty any more (its "
                                  "tables were made while the move began); nothing was written")
            connection.upgrade(target)
            # What the migrations put in (a mark or two) gives way to the file's own rows.
            for model in reversed(models):
                model.delete().execute(target)
            progress.begin(counts)
            for model, (name, rows) in zip(models, counts, strict=True):
                progress.table(name, rows)
                tables[name] = _copy_table(model, source, target, progress)
                after_table(name)
            _copy_search(source, target)
            _set_sequences(target, models)
            # The planner's statistics of the tables just filled, so that the first queries
            # there (the trail's check below, the team's first screens) are planned for the
            # rows copied, not for empty tables. ANALYZE, unlike VACUUM, runs inside the
            # transaction.
            _execute(target, "ANALYZE")
            _own_folders(target, evidence, signing)
            _copy_documents(evidence)
            if demo:
                _copy_demo_letters(source_path, url, evidence)
            after_table("evidence")
            progress.end()
            audit.record(actor, ACTION, payload={
                "from": str(source_path), "rows": sum(tables.values()),
                "tables": len(tables), "documents": len(evidence.hashes),
                "schema": schema, "demo": demo})
            verified = audit.verify()
            if not verified.ok:
                raise MoveFailed(f"the audit trail does not verify on the server "
                                 f"(entry {verified.first_bad_seq}: {verified.problem})")
    except BaseException as exc:
        _remove_written(evidence)
        database_proxy.initialize(source)
        with contextlib.suppress(Exception):
            target.close()
        if isinstance(exc, DomainError | KeyboardInterrupt | SystemExit):
            raise
        raise MoveFailed(f"{connection._reason(exc)}") from exc
    return Moved(str(source_path), shown(url), tables, len(evidence.hashes),
                 verified.checked, evidence.target.root, schema)


__all__ = ["ACTION", "MoveFailed", "MoveRefused", "Moved", "Progress", "check_source",
           "check_target", "migrate"]
