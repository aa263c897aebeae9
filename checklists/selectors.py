"""Reads across households and checks: inspection progress (排查进度)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from households.models import Township, Village

from .models import Campaign


@dataclass(frozen=True)
class ProgressRow:
    id: int
    name: str
    total: int
    inspected: int

    @property
    def percent(self) -> int:
        return round(100 * self.inspected / self.total) if self.total else 0


def _annotated(queryset, campaign: Campaign | None):
    current = Q(households__removed=False)
    annotations = {"total": Count("households", filter=current, distinct=True)}
    if campaign is not None:
        annotations["inspected"] = Count(
            "households__checks",
            filter=current
            & Q(
                households__checks__campaign=campaign,
                households__checks__inspected_at__isnull=False,
            ),
            distinct=True,
        )
    return queryset.annotate(**annotations)


def inspection_progress(
    user, campaign: Campaign | None, *, township_id: int | None = None
) -> list[ProgressRow]:
    """Inspected / total current households per township, or per village.

    Every township in the user's scope (every village of ``township_id``
    when given), zeros included.  One query.  With no campaign nothing
    counts as inspected.
    """
    # Meta.ordering does not apply to queries with GROUP BY: order here.
    if township_id is None:
        places = Township.objects.visible_to(user).order_by("order", "name")
    else:
        places = (
            Village.objects.visible_to(user)
            .filter(township_id=township_id)
            .order_by("name")
        )
    return [
        ProgressRow(
            id=place.pk,
            name=place.name,
            total=place.total,
            inspected=getattr(place, "inspected", 0),
        )
        for place in _annotated(places, campaign)
    ]


def progress_total(rows: list[ProgressRow]) -> ProgressRow:
    """The sum row (合计) of :func:`inspection_progress`."""
    return ProgressRow(
        id=0,
        name="合计",
        total=sum(row.total for row in rows),
        inspected=sum(row.inspected for row in rows),
    )
