"""A drafted restriction named as the builder lists it: by its kind, and where another draft
of the case shares that kind, by its place in the builder's list too ("the Named officer only
restriction (#2)", as its `#` column counts). domain.restrictions.named says how."""

from __future__ import annotations

from crm_tui.db.models import Restriction
from crm_tui.domain.restrictions import named, repeated_places
from crm_tui.services.core.restriction_status import DRAFT


def draft_places(case_id: int) -> dict[int, int]:
    """Restriction id → place in the builder's list (drafts by id, as builder_view orders
    them), for the drafts whose kind repeats on the case only."""
    rows = list(Restriction.select(Restriction.id, Restriction.kind)
                .where((Restriction.case == case_id) & (Restriction.status == DRAFT))
                .order_by(Restriction.id))
    places = repeated_places([str(row.kind) for row in rows])
    return {int(row.id): place for row, place in zip(rows, places, strict=True) if place}


def draft_named(case_id: int, row: Restriction, *, capital: bool = False,
                article: bool = True) -> str:
    """`row`, a restriction of case `case_id`, named as above (one in force or ended: by its
    kind alone)."""
    place = (draft_places(case_id).get(int(row.id))
             if row.status == DRAFT else None)
    return named(str(row.kind), capital=capital, article=article, place=place)
