"""Export a case's evidence as one PDF bundle: what the evidence shows over a period, the
matters, the documents with their hashes and the log sheet, for the Head of Service, an appeal
or the Ombudsman. The export itself is recorded in the audit trail."""

from __future__ import annotations

from pathlib import Path

from crm_tui import clock
from crm_tui.db.models import Case, Consultation, Decision, User
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.dates import month_named
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.outcomes import ConsultationView
from crm_tui.domain.roles import Actor
from crm_tui.domain.typed_dates import in_prose
from crm_tui.letters.bundle import (
    BundleContact,
    BundleContent,
    BundleDecision,
    BundleDocument,
    render_bundle,
)
from crm_tui.services.core import audit, team_seal
from crm_tui.services.core.case_steps import load_case, summarise
from crm_tui.services.core.database import reading
from crm_tui.services.core.evidence_store import require_whole
from crm_tui.services.core.exports import write_export
from crm_tui.services.evidence import analysis, charts, documents, log_sheet, matters
from crm_tui.services.evidence.analysis import Period
from crm_tui.services.evidence.log_sheet import ContactFilter, ContactRow


def _added(d: documents.DocumentInfo) -> str:
    """When a document was added, as letters write a day ("5 Dec 2026 10:15", not the
    table's "05 Dec 26")."""
    return f"{in_prose(d.added)} {d.added:%H:%M}" if d.added else d.added_at

def _all_contacts(actor: Actor, reference: str, f: ContactFilter) -> list[ContactRow]:
    rows: list[ContactRow] = []
    after = None
    while True:
        got = log_sheet.page(actor, reference, f, after, size=2_000)
        rows += got.rows
        if got.next_after is None:
            return rows
        after = got.next_after


def _labels(categories: tuple[BehaviourCategory, ...]) -> str:
    return ", ".join(c.label for c in categories)


def _decisions(case: Case) -> list[BundleDecision]:
    """Every decision on the case, oldest first, with the view it went on."""
    found = []
    for d in (Decision.select().where(Decision.case == case)
              .order_by(Decision.decided_at, Decision.id)):
        view = ""
        c = Consultation.get_or_none(Consultation.id == d.consultation_id) \
            if d.consultation_id is not None else None
        if c is not None:
            head = User.get_by_id(c.consultee_id)
            view = (f"{ConsultationView(c.view).label} ({head.name}, "
                    f"{in_prose(c.consulted_on)}): {c.view_text}")
        decider = User.get_by_id(d.decided_by_id)
        found.append(BundleDecision(d.decided_at, Action(d.action).label, decider.name,
                                    d.reason, view, d.against_view_reason))
    return found


def bundle_content(actor: Actor, reference: str, council: str,
                   period: Period | None = None) -> BundleContent:
    """Everything the bundle shows, gathered in one read."""
    row = load_case(actor, reference)
    # The bundle names each contact's service area as fact, to a panel or the Ombudsman.
    team_seal.require_areas_as_left("The evidence bundle")
    case = summarise(row)
    figures = analysis.analyse(actor, reference, period)
    p = figures.period
    rows = _all_contacts(actor, reference, figures.base)
    docs = documents.list_documents(actor, reference)
    return BundleContent(
        council=council, reference=case.reference,
        customer=f"{case.customer_name} ({case.customer_reference})",
        state=case.state.label,
        period=f"{p.label}, {in_prose(p.start, full_month=True)} to "
               f"{in_prose(p.end, full_month=True)}",
        prepared_by=f"{actor.name}, {actor.role.label}", prepared_at=clock.now(),
        totals=[(f.label, f.count) for f in figures.figures() if f.section == "Totals"],
        breakdowns=[("By channel", [(c.label, n) for c, n in figures.by_channel]),
                    ("By service area", figures.by_service_area),
                    ("By officer", figures.by_officer),
                    ("Repeats on closed matters",
                     [(title, n) for _, title, n in figures.repeats_by_matter])],
        per_week=figures.per_week, matrix_months=[month_named(m) for m in figures.matrix_months],
        week_chart=charts.weekly(figures.per_week, columns=160, labels_at_most=12),
        mixes=[(m.title, m.bars, m.count_ticks) for m in (charts.channel_mix(figures),
                                            charts.behaviour_mix(figures))],
        empty_period=charts.empty_sentence(p) if figures.total == 0 else "",
        matrix=[(c.label, figures.matrix[c]) for c in BehaviourCategory],
        matters=[(m.title, (f"closed {in_prose(m.closed_on)}: {m.outcome}" if m.closed_on
                            else "open"), m.contacts)
                 for m in matters.list_matters(actor, reference)],
        documents=[BundleDocument(d.original_name, d.media_type, d.size, d.sha256, d.added_by,
                                  _added(d), d.description, _labels(d.categories),
                                  ", ".join(d.links)) for d in docs],
        contacts=[BundleContact(r.at, r.channel.label, r.direction.label, r.service_area,
                                r.officer, r.duration_minutes, r.summary,
                                _labels(r.categories), r.matter, r.repeat)
                  for r in reversed(rows)],  # oldest first reads as a chronology
        decisions=_decisions(row),
    )


def export_bundle(actor: Actor, reference: str, folder: Path, council: str,
                  period: Period | None = None) -> Path:
    """Write the bundle into `folder` (readable by the user only); returns the file. It is
    read in one snapshot and rendered holding no lock (a large bundle takes a while); only
    its audit entry is written under the lock, and a bundle whose entry is refused is
    removed."""
    with reading():
        content = bundle_content(actor, reference, council, period)
    # Each document's file read against the SHA-256 the bundle vouches for, as the subject
    # access answer does (t16 F5: a rewritten document went in with its old hash).
    require_whole(((d.name, d.sha256) for d in content.documents), "no bundle")
    name = f"evidence-bundle-{content.reference}-{clock.now():%Y%m%d-%H%M%S}.pdf"

    def record(target: Path) -> None:
        audit.record(actor, "export_evidence_bundle", content.reference,
                     payload={"file": target.name, "path": str(target.absolute()),
                              "contacts": len(content.contacts),
                              "documents": len(content.documents)})

    # Under a name no other bundle has (two made in the same second), announced before it is
    # written: killed before its audit entry, the next start deletes it.
    return write_export(folder / name, lambda path: render_bundle(content, path), record)
