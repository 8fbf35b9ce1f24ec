"""Documents attached to a case: stored under their content hash, linked once per case, and
checked later against the store."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import cast

from crm_tui import clock
from crm_tui.db import dialect, server_roles
from crm_tui.db.models import Case, EvidenceItem, EvidenceLink, Restriction, database_proxy
from crm_tui.domain.categories import BehaviourCategory, from_mask
from crm_tui.domain.counting import counted
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.restrictions import named
from crm_tui.domain.roles import Actor
from crm_tui.domain.typed_dates import quoted
from crm_tui.services.core import audit, scope
from crm_tui.services.core.audit_records import attaching_entry, documents_disagreement
from crm_tui.services.core.case_steps import load_case, load_case_for_change
from crm_tui.services.core.database import atomic
from crm_tui.services.core.draft_names import draft_places
from crm_tui.services.core.evidence_store import EvidenceStore, StoredFile, evidence_store
from crm_tui.services.core.exports import write_export
from crm_tui.services.core.leftovers import RUNS, abandoned_exports, running
from crm_tui.services.core.restriction_status import status_words
from crm_tui.services.core.validation import bounded_text
from crm_tui.services.evidence.document_text import DocumentText, read_document


def attach(actor: Actor, case: Case, stored: StoredFile, description: str = "") -> EvidenceItem:
    """Link a stored file to the case (inside the caller's transaction), once per case;
    returns the case's record of it (the one already there, for the same content)."""
    existing: EvidenceItem | None = EvidenceItem.get_or_none(
        (EvidenceItem.case == case) & (EvidenceItem.sha256 == stored.sha256))
    if existing is not None:
        return existing  # the same document is linked to a case once
    if not evidence_store().holds(stored.sha256):
        # Removed meanwhile by another start's sweep (it was no record's yet): checked under
        # the write lock the sweep takes, so no record ever points to a missing file.
        raise ValidationError(stored.original_name, "left the evidence store while it was "
                              "being recorded; nothing was saved: try again")
    item: EvidenceItem = EvidenceItem.create(
        case=case, original_name=stored.original_name, media_type=stored.media_type,
        size=stored.size, sha256=stored.sha256, description=description,
        added_by=actor.user_id, added_at=clock.now())
    audit.record(actor, "attach_evidence", case.reference,
                 payload={"name": stored.original_name, "sha256": stored.sha256,
                          "document": item.id})
    return item


@dataclass(frozen=True)
class VerifyReport:
    checked: int
    missing: list[tuple[str, str, str]]  # (case reference, file name, sha256)
    changed: list[tuple[str, str, str]]
    # Files in the store that no record points to (a destroyed file's documents left behind,
    # an import killed after its copy and before its commit), and copies cut short
    # (`.incoming-*`): listed, never deleted, since only a person can tell what they are.
    orphans: list[Path] = field(default_factory=list)
    partial: list[Path] = field(default_factory=list)
    # Orphans an entry of the audit trail attached to a live case (its number): a record
    # changed or deleted by hand; never removed by a start.
    attached: dict[Path, int] = field(default_factory=dict)
    # Where a document is not the one the audit entry that attached it recorded (its file
    # rewritten and its record's hash changed to match): audit verify's words for it.
    trail: str = ""

    @property
    def foreign(self) -> list[Path]:
        """Orphans the store did not name (not a SHA-256 under its first two letters: a
        folder or file put there by hand, or an export written there before that was
        refused): no start removes them; a person must."""
        return [p for p in self.orphans if not _store_named(p)]

    @property
    def ok(self) -> bool:
        return not (self.missing or self.changed or self.orphans or self.partial
                    or self.trail)


def attach_document(actor: Actor, reference: str, path: Path, description: str = "") -> str:
    """Copy a file into the evidence store and link it to the case; returns its SHA-256.
    The same content attached twice is stored once and linked once per case."""
    store = evidence_store()
    with running(store):
        stored = store.store(path)
        try:
            with atomic():
                require(actor, Capability.LOG_CONTACTS)
                case = load_case_for_change(actor, reference)
                attach(actor, case, stored, bounded_text("description", description, 2_000))
        except BaseException:
            if not EvidenceItem.select().where(EvidenceItem.sha256 == stored.sha256).exists():
                store.discard(stored)
            raise
    return stored.sha256


def verify_store(actor: Actor) -> VerifyReport:
    """Check every stored document of the cases the actor may see against its hash; lists
    the missing and the changed, and the files in the store no record points to (orphans,
    named by their hash only) and partial copies (the store's, and those of exports cut
    short in the app's own folders)."""
    store = evidence_store()
    missing, changed = [], []
    checked = 0
    query = (EvidenceItem.select(EvidenceItem.sha256, EvidenceItem.original_name,
                                 Case.reference.alias("case_reference"))
             .join(Case).where(scope.visible(actor)).order_by(EvidenceItem.id).dicts())
    rows = cast(list[dict[str, object]], list(query))
    for item in rows:
        checked += 1
        state = store.verify(str(item["sha256"]))
        row = (str(item["case_reference"]), str(item["original_name"]), str(item["sha256"]))
        if state == "missing":
            missing.append(row)
        elif state == "changed":
            changed.append(row)
    orphans, partial = _leftovers(store)
    # And the partial files of exports cut short in the app's own folders (letters, exports,
    # signing keys): personal data no record knows of, until the next start removes them.
    attached = {path: seq for path in orphans
                if (seq := attaching_entry(path.name)) is not None}
    seen = {str(row[0]) for row in scope.references(actor).tuples().iterator()}
    disagreement = documents_disagreement(seen)
    return VerifyReport(checked, missing, changed, orphans, partial + abandoned_exports(),
                        attached, disagreement[1] if disagreement else "")


def _store_named(path: Path) -> bool:
    name = path.name
    return (len(name) == 64 and all(c in "0123456789abcdef" for c in name)
            and path.parent.name == name[:2] and not path.is_symlink())


def _leftovers(store: EvidenceStore) -> tuple[list[Path], list[Path]]:
    """Files in the store that are not a record's document: (orphans, partial copies)."""
    if not store.root.is_dir():
        return [], []
    # Of every area's cases: on a server, a manager's login reads its own area's records
    # alone (row-level security), and the server's function (server_roles) reads past it.
    held = None if dialect.is_sqlite() else server_roles.evidence_held(database_proxy.obj)
    if held is None:
        held = {str(row[0]) for row in
                EvidenceItem.select(EvidenceItem.sha256).distinct().tuples().iterator()}
    orphans: list[Path] = []
    partial: list[Path] = []
    for entry in sorted(store.root.iterdir()):
        if entry.name == RUNS:
            continue  # the runs at work (leftovers.running), not documents
        if entry.name.startswith(".incoming-"):
            partial.append(entry)
        elif entry.is_dir() and not entry.is_symlink():
            orphans += [f for f in sorted(entry.iterdir())
                        if f.name not in held or store.path_for(f.name) != f]
        else:
            orphans.append(entry)
    return orphans, partial


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    original_name: str
    media_type: str
    size: int
    sha256: str
    description: str
    added_by: str
    added_at: str
    categories: tuple[BehaviourCategory, ...] = ()
    links: tuple[str, ...] = ()  # "referral", "Named officer only restriction"
    added: datetime | None = None  # added_at as a time, for a page to write in full


def list_documents(actor: Actor, reference: str) -> list[DocumentInfo]:
    """The documents attached to a case, oldest first."""
    from crm_tui.db.models import User

    case = load_case(actor, reference)
    query = (EvidenceItem.select(EvidenceItem, User.name.alias("adder"))
             .join(User, on=(EvidenceItem.added_by == User.id))
             .where(EvidenceItem.case == case).order_by(EvidenceItem.added_at, EvidenceItem.id))
    found: dict[int, list[int | None]] = {}  # document: its restrictions (None: referral)
    # Named by kind, never by the row's number (b15e F10: "restriction 11" read as a kind).
    rows = {int(r.id): r for r in Restriction.select(Restriction.id, Restriction.kind,
                                                      Restriction.status, Restriction.starts_on)
            .where(Restriction.case == case)}
    for link in EvidenceLink.select().where((EvidenceLink.case == case)
                                            & EvidenceLink.document.is_null(False)):
        found.setdefault(int(link.document_id or 0), []).append(
            None if link.referral_id is not None else int(link.restriction_id or 0))
    places = draft_places(int(case.id))
    links = {doc: _linked_names(linked, rows, places) for doc, linked in found.items()}
    return [DocumentInfo(e.id, e.original_name, e.media_type, e.size, e.sha256, e.description,
                         str(getattr(e, "adder", "")), f"{e.added_at:%d %b %y %H:%M}",
                         from_mask(e.categories), tuple(links.get(e.id, [])), e.added_at)
            for e in query.objects()]


def _linked_names(linked: list[int | None], rows: dict[int, Restriction],
                  places: dict[int, int]) -> list[str]:
    """What one document is linked to, each by its kind; two of one kind told apart as the
    evidence viewer's link list does, by their `#` in the builder and whether in force, ended
    or a draft (v22 C7: "…times restriction, …times restriction")."""
    today = clock.today()
    kinds = Counter(str(rows[r].kind) for r in linked if r is not None and r in rows)
    names = []
    for r in linked:
        if r is None:
            names.append("referral")
        elif r not in rows:
            names.append("a restriction")
        elif kinds[str(rows[r].kind)] > 1:
            names.append(f"{named(rows[r].kind, article=False, place=places.get(r))} "
                         f"({status_words(str(rows[r].status), rows[r].starts_on, today)})")
        else:
            names.append(named(rows[r].kind, article=False))
    return names


def read(actor: Actor, reference: str, document_id: int) -> DocumentText:
    """A stored document's readable content, after checking that it is still the same file."""
    case = load_case(actor, reference)
    item = EvidenceItem.get_or_none((EvidenceItem.id == document_id)
                                    & (EvidenceItem.case == case))
    if item is None:
        raise DomainError(f"no document {document_id} on {case.reference}")
    store = evidence_store()
    state = store.verify(item.sha256)
    if state != "ok":
        return DocumentText("other", "", notes=[f"The stored copy is {state}: it no longer "
                                                 "matches the file that was attached. Run "
                                                 "crm-tui evidence verify."])
    # Through the store: a sealed (encrypted) copy is opened there, never read from its path.
    return read_document(store.read_bytes(item.sha256), item.media_type, item.original_name)


@dataclass(frozen=True)
class SearchHit:
    document_id: int
    original_name: str
    matches: int
    snippet: str


@dataclass
class SearchResult:
    """A search of a case's documents: where the words were found, how many documents were
    searched, and those that could not be searched in full (pages past the reading limit,
    an email with too many parts, a damaged or unreadable file, an image): the words may be
    in them all the same, so a search that finds nothing is not "none of the evidence says
    this" (found when tried: "Found in 0 of 31 documents" with a 20,000-page PDF unread)."""

    hits: list[SearchHit] = field(default_factory=list)
    searched: int = 0
    not_in_full: list[str] = field(default_factory=list)

    def said(self) -> str:
        found = (f"Found in {self.searched_in()}"
                 + (": " + "; ".join(f"{h.original_name} ({h.matches})" for h in self.hits)
                    if self.hits else ""))
        if not self.not_in_full:
            return found
        return (f"{found}. {counted(len(self.not_in_full), 'document')} could not be searched "
                f"in full (view each file itself): {', '.join(self.not_in_full)}")

    def searched_in(self) -> str:
        return f"{len(self.hits)} of {counted(self.searched, 'document')}"


def search(actor: Actor, reference: str, words: str) -> SearchResult:
    """Where the words appear in the case's documents (all of them, any case), with the
    number of matches and the first passage; and the documents that could not be read in
    full, in which the words may be all the same."""
    terms = [w.lower() for w in words.split() if w.strip()]
    if not terms:
        return SearchResult()
    result = SearchResult()
    for info in list_documents(actor, reference):
        # read() says a damaged document in its notes, never raises for one: one broken
        # document never breaks the search of the rest of the case.
        doc = read(actor, reference, info.id)
        result.searched += 1
        if not doc.in_full:
            result.not_in_full.append(info.original_name)
        body = _searchable(doc)
        lowered = body.lower()
        if not all(term in lowered for term in terms):
            continue
        count = sum(lowered.count(term) for term in terms)
        first = min(lowered.find(term) for term in terms)
        start = max(first - 40, 0)
        snippet = " ".join(body[start:first + 80].split())
        result.hits.append(SearchHit(info.id, info.original_name, count, snippet))
    return result


def _searchable(doc: DocumentText) -> str:
    headers = "\n".join(f"{name}: {value}" for name, value in doc.headers)
    text = doc.body if doc.words is None else doc.words
    return f"{headers}\n{text}\n{' '.join(doc.attachments)}"


def copy_out(actor: Actor, reference: str, which: str, folder: Path) -> Path:
    """Write a plain copy of one of the case's documents into `folder`, to open in the
    program that shows it (an image, an office document): with an encrypted store, the
    stored copy itself cannot be opened. `which`: the document's name as attached, or the
    start of its SHA-256 (8 characters at least). Refused if the stored copy no longer
    matches its hash."""
    case = load_case(actor, reference)
    items = list(EvidenceItem.select().where(EvidenceItem.case == case))
    wanted = which.strip()
    found = [i for i in items if i.original_name == wanted] or (
        [i for i in items if len(wanted) >= 8 and i.sha256.startswith(wanted.lower())])
    if not found:
        raise DomainError(f"no document {quoted(wanted)} on {case.reference} (give its name as "
                          "attached, or the start of its SHA-256)")
    if len(found) > 1:
        raise DomainError(f"{counted(len(found), 'document')} on {case.reference} are called "
                          f"{quoted(wanted)}: give the start of the SHA-256 of the one you want")
    item = found[0]
    store = evidence_store()
    state = store.verify(item.sha256)
    if state != "ok":
        raise DomainError(f"the stored copy of {item.original_name} is {state}: it no longer "
                          "matches the file that was attached (crm-tui evidence verify)")
    name = re.sub(r"[^\w.\- ]", "_", Path(item.original_name).name)[:120] or "document"

    def produce(path: Path) -> None:
        with path.open("wb") as writer:
            for chunk in store.chunks(item.sha256):
                writer.write(chunk)

    def record(target: Path) -> None:
        # An export of personal data like the others: a destruction of the file finds it
        # (services.core.erasure) by its path.
        audit.record(actor, "export_evidence_copy", case.reference, payload={
            "document": int(item.id), "sha256": item.sha256, "file": target.name,
            "path": str(target.absolute())})

    return write_export(folder / f"{case.reference}-{item.sha256[:8]}-{name}", produce, record)
