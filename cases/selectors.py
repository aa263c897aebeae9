"""The dashboard's reads: a few aggregate queries over the user's scope.

Kept in one small module so the case counts can later be switched to the
progress-report queries (cases/reports.py) without touching the view.
"""

from __future__ import annotations

import datetime
import hashlib

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Section
from checklists.models import Campaign, HouseholdCheck
from checklists.selectors import inspection_progress, progress_total
from households.models import Household

from . import charts
from .models import DUE_SOON_DAYS, Case, CaseEvent

Status = Case.Status
OPENING_EVENTS = (CaseEvent.Kind.OPENED, CaseEvent.Kind.REOPENED)
CLOSING_EVENTS = (CaseEvent.Kind.VERIFIED, CaseEvent.Kind.DISMISSED)
CHART_DAYS = 90
# The dashboard's numbers are reused for at most this long (see cached_dashboard).
DASHBOARD_CACHE_SECONDS = 60
# Column headings of the dashboard's section table: the statuses, short.
SHORT_STATUS_LABELS = {
    Status.OPEN: "待整改",
    Status.SUBMITTED: "待核实",
    Status.VERIFIED: "已核实",
    Status.RETURNED: "已退回",
    Status.DISMISSED: "不适用",
}


def dashboard_cases(user):
    """The cases a user's dashboard counts: a chief's own section's."""
    cases = Case.objects.visible_to(user)
    if user.is_section_chief:
        cases = cases.filter(section=user.section)
    return cases


def case_summary(cases, *, today: datetime.date) -> dict:
    """Counts by status, overdue, due soon and the rectification rate.

    One query.  The rate is (verified + dismissed) / opened, in percent.
    """
    active = Q(status__in=Case.ACTIVE_STATUSES)
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    counts = cases.order_by().aggregate(
        opened=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in Status.values},
        overdue=Count("pk", filter=active & Q(due_date__lt=today)),
        due_soon=Count(
            "pk", filter=active & Q(due_date__gte=today, due_date__lte=soon)
        ),
    )
    closed = counts[Status.VERIFIED] + counts[Status.DISMISSED]
    counts["closed"] = closed
    counts["todo"] = counts[Status.OPEN] + counts[Status.RETURNED]
    counts["rate"] = (
        round(100 * closed / counts["opened"], 1) if counts["opened"] else None
    )
    return counts


def cases_by_section(cases) -> list[dict]:
    """One row per section with cases: counts per status and the total. One query."""
    grid: dict[str, dict[str, int]] = {}
    for row in cases.order_by().values("section", "status").annotate(n=Count("pk")):
        grid.setdefault(row["section"], {})[row["status"]] = row["n"]
    rows = []
    for code, label in Section.choices:
        if code not in grid:
            continue
        by_status = grid[code]
        rows.append(
            {
                "section": code,
                "label": label,
                "counts": [by_status.get(status, 0) for status in Status.values],
                "total": sum(by_status.values()),
            }
        )
    return rows


def opened_closed_series(
    cases, *, start: datetime.date, end: datetime.date
) -> list[tuple[datetime.date, int, int]]:
    """Per day from ``start`` to ``end``: cumulative opened and closed cases.

    Counted from the timeline (opened and reopened vs verified and
    dismissed events), everything before ``start`` in the first point.
    One query.
    """
    rows = (
        CaseEvent.objects.filter(
            case__in=cases, kind__in=OPENING_EVENTS + CLOSING_EVENTS
        )
        .annotate(day=TruncDate("created_at"))
        .values("day", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    opened: dict[datetime.date, int] = {}
    closed: dict[datetime.date, int] = {}
    for row in rows:
        day = max(row["day"], start)
        target = opened if row["kind"] in OPENING_EVENTS else closed
        target[day] = target.get(day, 0) + row["n"]
    series, total_opened, total_closed = [], 0, 0
    day = start
    while day <= end:
        total_opened += opened.get(day, 0)
        total_closed += closed.get(day, 0)
        series.append((day, total_opened, total_closed))
        day += datetime.timedelta(days=1)
    return series


def chart_window(
    campaign: Campaign | None, *, today: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The campaign's start (when it has begun) to today; else the last 90 days."""
    if campaign is not None and campaign.inspection_start <= today:
        start = max(campaign.inspection_start, today - datetime.timedelta(days=365))
    else:
        start = today - datetime.timedelta(days=CHART_DAYS)
    return start, today


def dashboard(user, *, today: datetime.date, campaign: Campaign | None) -> dict:
    """Everything the dashboard shows for ``user``: five queries."""
    cases = dashboard_cases(user)
    start, end = chart_window(campaign, today=today)
    progress = inspection_progress(
        user,
        campaign,
        township_id=user.township_id if user.is_township_staff else None,
    )
    series = opened_closed_series(cases, start=start, end=end)
    return {
        "summary": case_summary(cases, today=today),
        "by_section": cases_by_section(cases),
        "statuses": [SHORT_STATUS_LABELS[status] for status in Status.values],
        "progress": progress,
        "progress_total": progress_total(progress),
        "chart": charts.line_chart(
            [day for day, _, _ in series],
            [
                ("累计立案", "opened", [o for _, o, _ in series]),
                ("累计销号", "closed", [c for _, _, c in series]),
            ],
        ),
        "computed_at": timezone.localtime(),
        "days_left": (campaign.due_date - today).days if campaign else None,
        "report_days_left": (campaign.report_due - today).days if campaign else None,
    }


def _watermark(campaign: Campaign | None) -> tuple:
    """What moves when the dashboard's numbers do: three index lookups.

    Every change of a case writes a timeline event; confirming an inspection
    sets its time; a new household takes a new id.
    """
    inspected = None
    if campaign is not None:
        inspected = HouseholdCheck.objects.filter(campaign=campaign).aggregate(
            at=Max("inspected_at")
        )["at"]
    return (
        CaseEvent.objects.aggregate(id=Max("pk"))["id"],
        Household.objects.aggregate(id=Max("pk"))["id"],
        inspected.timestamp() if inspected else None,
    )


def cached_dashboard(user, *, today: datetime.date, campaign: Campaign | None) -> dict:
    """:func:`dashboard`, shared for a minute by users of the same scope.

    The dashboard's 5 aggregates read every case and household in scope
    (0.3–0.4 s at 60,000 households, docs/operations.md finding e); the
    landing page of every user must not repeat them on every visit.  The
    key holds the scope (role, township, section), the day, the campaign's
    dates and :func:`_watermark`, so any case action, confirmed inspection
    or new household shows at once, in every process; other edits (a
    household removed, an inspection withdrawn) show within
    ``DASHBOARD_CACHE_SECONDS``.
    """
    scope = "admin" if user.is_bureau_admin else user.role
    campaign_key = (
        (campaign.pk, campaign.inspection_start, campaign.due_date, campaign.report_due)
        if campaign
        else None
    )
    parts = (scope, user.township_id, user.section, today, campaign_key)
    digest = hashlib.sha256(repr(parts + _watermark(campaign)).encode()).hexdigest()
    key = f"dashboard:{digest}"
    context = cache.get(key)
    if context is None:
        context = dashboard(user, today=today, campaign=campaign)
        cache.set(key, context, DASHBOARD_CACHE_SECONDS)
    return context
