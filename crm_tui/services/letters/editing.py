"""The signer's edits to a prepared letter before it is signed.

The person who will sign a draft letter reads it and may reword its free-text paragraphs: the
words recorded for the customer (a decision's reasons, a restriction's reasons, the concerns of
a local resolution, an appeal's reasons, a proposal's reasons). Each edit overrides one field
for this one letter, keyed "{table}:{id}:{field}" (e.g. "decision:12:customer_reason"), and is
kept as JSON in the draft's `Letter.edits`; the record it came from is not changed. An issued
letter never changes. The audit trail keeps a hash of the text before and after, not the text:
the letter itself is the record of what the customer was told. The checker runs again on the
edited letter, and its problems are shown before signing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from crm_tui.db.models import (
    Case,
    Letter,
    User,
)
from crm_tui.domain.errors import NotFound, RequirementMissing, ValidationError
from crm_tui.domain.letters import LetterKind, require_signer
from crm_tui.domain.roles import Actor
from crm_tui.domain.typed_dates import quoted
from crm_tui.letters import checker
from crm_tui.letters.content import Letter as LetterContent
from crm_tui.letters.content import text
from crm_tui.services.core import audit, scope, stale
from crm_tui.services.core.database import atomic
from crm_tui.services.core.database_facts import demo_user
from crm_tui.services.core.told import told
from crm_tui.services.letters import letter_content

DRAFT, ISSUED = "draft", "issued"


@dataclass(frozen=True)
class EditableField:
    key: str  # "{table}:{id}:{field}"
    label: str  # what it is, as the dialog lists it
    original: str  # as recorded
    text: str  # as the letter will say it: the edit, or the original

    @property
    def edited(self) -> bool:
        return self.text != self.original


@dataclass(frozen=True)
class EditingView:
    letter_id: int
    reference: str
    kind: LetterKind
    fields: list[EditableField]
    body: str  # the letter's text with the edits
    problems: list[str]  # what the checker finds in the edited letter
    version: int = 0  # the letter as read: an edit is saved against it (core.stale)


# -- what may be edited (the shared key scheme) ---------------------------------------------
def key(table: str, row_id: int, field: str) -> str:
    return f"{table}:{row_id}:{field}"


def fields_for(case: Case, kind: LetterKind) -> list[tuple[str, str, str]]:
    """(key, label, recorded text) of each customer-facing field the letter of this kind
    prints: the composition's own list, so that an edit lands where the letter says it."""
    return letter_content.editable(case, kind)


# -- the draft and its edits ------------------------------------------------------------------
def _draft(actor: Actor, letter_id: int) -> Letter:
    row: Letter | None = Letter.select().join(Case).where(
        (Letter.id == letter_id) & scope.visible(actor)).first()
    if row is None:
        raise NotFound(f"no letter {letter_id}")
    if row.status == ISSUED and row.signed_at is not None:
        # Signed elsewhere while its editor was open (b16f F2): who, and when.
        signer = User.get_or_none(User.id == row.signed_by_id)
        raise RequirementMissing(
            f"{signer.name if signer else 'Someone else'} signed and issued this "
            f"letter{stale.at_time(row.signed_at)} since you opened it: an issued letter "
            "never changes. Nothing was saved.")
    if row.status != DRAFT:
        raise RequirementMissing("only a prepared letter waiting to be signed can be edited: "
                                 "an issued letter never changes")
    return row


def edits_of(row: Letter) -> dict[str, str]:
    """The edits kept on a letter (key: text); {} for none."""
    if not row.edits:
        return {}
    loaded = json.loads(row.edits)
    return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}


def _fields(case: Case, kind: LetterKind, edits: dict[str, str]) -> list[EditableField]:
    return [EditableField(k, label, original, edits.get(k, original))
            for k, label, original in fields_for(case, kind)]



def _edited_letter(actor: Actor, row: Letter,
                   fields: list[EditableField]) -> tuple[LetterContent | None, list[str]]:
    kind = LetterKind(row.kind)
    try:
        content = letter_content.compose(
            actor, row.case, kind, demo=demo_user() is not None,
            edits={f.key: f.text for f in fields if f.edited})
    except RequirementMissing as exc:
        return None, [str(exc)]
    return content, checker.missing(content)


def view(actor: Actor, letter_id: int) -> EditingView:
    """A prepared letter as its signer edits it: the fields they may reword, the text with
    the edits, and what the checker finds in it."""
    row = _draft(actor, letter_id)
    kind = LetterKind(row.kind)
    fields = _fields(row.case, kind, edits_of(row))
    content, problems = _edited_letter(actor, row, fields)
    return EditingView(int(row.id), row.case.reference, kind, fields,
                       text(content) if content is not None else "", problems,
                       int(row.version))


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def edit(actor: Actor, letter_id: int, field_key: str, new_text: str, *,
         read_version: int | None = None) -> EditingView:
    """Reword one field of a prepared letter, for this letter only. Only its signer may (for
    an appeal outcome, the person who decided the appeal). The words are checked as any words
    for the customer are; giving back the recorded words removes the edit. Returns the letter
    as it now reads, with the checker's findings. `read_version`: the version the edit was
    made from; refused (StaleEdit, saying what changed) if the letter was edited or prepared
    again by someone else since."""
    from crm_tui.services.letters.issuing import appeal_signer

    with atomic():
        row = _draft(actor, letter_id)
        kind = LetterKind(row.kind)
        require_signer(actor, kind, appeal_signer(actor, row.case.reference)
                       if kind is LetterKind.APPEAL_OUTCOME else None)
        edits = edits_of(row)
        known = {f.key: f for f in _fields(row.case, kind, edits)}
        if field_key not in known:
            raise ValidationError("field", f"this letter has no field {quoted(field_key)} to edit")
        words = told(row.case, field_key, new_text)
        before = known[field_key].text
        stale.require_current(
            f"letter (register number {row.id})", read_version, int(row.version),
            row.case.reference, ("edit_letter", "prepare_letter"),
            lambda p: p.get("letter") == row.id,
            {known[field_key].label: before} if before != words else {})
        if words == known[field_key].original:
            edits.pop(field_key, None)
        else:
            edits[field_key] = words
        Letter.update(edits=json.dumps(edits, sort_keys=True) if edits else "").where(
            Letter.id == row.id).execute()
        stale.bump(Letter, int(row.id))
        if words != before:
            audit.record(actor, "edit_letter", row.case.reference, payload={
                "letter": int(row.id), "kind": kind.value, "field": field_key,
                "before_sha256": _digest(before), "after_sha256": _digest(words),
                "reverted": field_key not in edits})
    return view(actor, letter_id)


def draft_for(actor: Actor, reference: str, kind: LetterKind) -> int | None:
    """The register number of the case's prepared letter of this kind, if there is one."""
    row = Letter.select().join(Case).where(
        (Case.reference == reference.strip().upper()) & (Letter.kind == kind.value)
        & (Letter.status == DRAFT) & scope.visible(actor)).first()
    return int(row.id) if row is not None else None

