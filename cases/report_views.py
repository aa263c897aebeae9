"""The progress page (进度报表) and its Excel download.

Both read :func:`cases.reports.build_progress_report`, the one source of
numbers.  The township comes through ``Township.objects.visible_to(user)``:
chiefs and the admin get the county or pick a township; township staff get
their own township only, and asking for another one is a 404.
"""

from __future__ import annotations

import datetime
import re
import tempfile
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import AuditEvent
from accounts.services import audit_request
from households.models import Township

from .reports import build_progress_report, report_filename, write_progress_workbook
from .reports.labels import POLICIES, POLICY_LABELS, rule_title
from .reports.workbook import display_width

DATE_ERROR = "统计截止日期格式不正确，请按 YYYY-MM-DD 填写，例如 2020-05-31"


@dataclass(frozen=True)
class ReportScope:
    as_of: datetime.date
    township: Township | None
    date_error: str | None = None

    def query(self) -> str:
        params = {"as_of": f"{self.as_of:%Y-%m-%d}"}
        if self.township is not None:
            params["township"] = str(self.township.pk)
        return urlencode(params)


def _parse_date(text: str) -> datetime.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(text)
    return datetime.date.fromisoformat(text)


def _scope(request) -> ReportScope:
    """The township and as-of date asked for, checked against the user's area."""
    user = request.user
    requested = request.GET.get("township", "").strip()
    if user.is_township_staff:
        requested = requested or str(user.township_id)
    township = None
    if requested:
        if not requested.isdigit():
            raise Http404("没有该乡镇（街道）")
        township = get_object_or_404(
            Township.objects.visible_to(user), pk=int(requested)
        )
    as_of, error = timezone.localdate(), None
    text = request.GET.get("as_of", "").strip()
    if text:
        try:
            as_of = _parse_date(text)
        except ValueError:
            error = DATE_ERROR
    return ReportScope(as_of=as_of, township=township, date_error=error)


# The bar charts (one per policy): geometry here, drawing in the template.

CHART_WIDTH = 560
LABEL_WIDTH = 96
VALUE_WIDTH = 64
BAR_HEIGHT = 14
ROW_HEIGHT = 22
SEGMENTS = (
    ("covered", "已享受", "#198754"),
    ("partial", "部分落实", "#ffc107"),
    ("missing", "应享未享", "#dc3545"),
)


def bar_chart(label: str, items) -> dict:
    """Stacked horizontal bars of covered / partial / missing.

    ``items`` are (name, PolicyCounts) pairs, one bar each, scaled to the
    largest number of eligible persons.
    """
    items = list(items)
    # 12px text: about 6.5px per half-width column of the longest name.
    label_width = max(
        [LABEL_WIDTH, *(round(display_width(name) * 6.5) + 10 for name, _ in items)]
    )
    plot = CHART_WIDTH - label_width - VALUE_WIDTH
    largest = max((counts.eligible for _name, counts in items), default=0) or 1
    bars = []
    for i, (name, counts) in enumerate(items):
        y = 8 + i * ROW_HEIGHT
        x = float(label_width)
        segments = []
        for outcome, outcome_label, colour in SEGMENTS:
            value = getattr(counts, outcome)
            width = round(plot * value / largest, 1)
            if value:
                segments.append(
                    {
                        "x": round(x, 1),
                        "width": max(width, 1.5),
                        "colour": colour,
                        "label": outcome_label,
                        "value": value,
                    }
                )
            x += width
        bars.append(
            {
                "name": name,
                "y": y,
                "text_y": y + BAR_HEIGHT / 2,
                "value_x": round(x + 6, 1),
                "eligible": counts.eligible,
                "counts": counts,
                "segments": segments,
            }
        )
    return {
        "label": label,
        "width": CHART_WIDTH,
        "height": 16 + len(items) * ROW_HEIGHT,
        "label_x": label_width - 6,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
    }


@require_GET
def progress(request):
    """The progress report on screen: the same tables as the Excel."""
    scope = _scope(request)
    report = build_progress_report(
        as_of=scope.as_of, township=scope.township, user=request.user
    )
    if len(report.rows) > 1:
        # One chart per policy, a bar per township.
        charts = [
            bar_chart(
                POLICY_LABELS[p], ((row.name, row.policies[p]) for row in report.rows)
            )
            for p in POLICIES
        ]
    else:
        # One township: a single chart, a bar per policy.
        charts = [
            bar_chart(
                f"{report.scope_label}各项政策",
                ((POLICY_LABELS[p], report.total.policies[p]) for p in POLICIES),
            )
        ]
    townships = (
        list(Township.objects.visible_to(request.user).order_by("order", "name"))
        if request.user.sees_all_townships
        else []
    )
    data_quality = [
        {
            "rule": rule,
            "title": rule_title(rule),
            "count": report.total.data_quality.get(rule, 0),
        }
        for rule in report.data_quality_rules
    ]
    context = {
        "report": report,
        "scope": scope,
        "townships": townships,
        "policies": [
            {"code": p, "label": POLICY_LABELS[p], "counts": report.total.policies[p]}
            for p in POLICIES
        ],
        "charts": charts,
        "legend": SEGMENTS,
        "data_quality": data_quality,
        "download_url": f"{reverse('cases:report_download')}?{scope.query()}",
        "today": timezone.localdate(),
    }
    return render(request, "cases/progress.html", context)


@require_GET
def report_download(request):
    """The progress workbook for the scope, streamed with a Chinese file name."""
    scope = _scope(request)
    if scope.date_error:
        return HttpResponseBadRequest(
            scope.date_error, content_type="text/plain; charset=utf-8"
        )
    report = build_progress_report(
        as_of=scope.as_of, township=scope.township, user=request.user
    )
    user = request.user
    generated_by = f"{user}（{user.get_role_display() or '管理员'}）"
    # A temporary file, not memory: the ledger list can be long.  It is
    # deleted when the response closes it.
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    try:
        write_progress_workbook(handle, report, generated_by=generated_by)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    area = scope.township.name if scope.township is not None else "全县"
    audit_request(
        request,
        action=AuditEvent.Action.REPORT_EXPORT,
        target=report_filename(report),
        township=scope.township,
        scope=f"{area}，统计截止 {report.as_of:%Y-%m-%d}",
    )
    response = FileResponse(
        handle,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    # RFC 6266: an ASCII fallback, then the Chinese name percent-encoded.
    fallback = f"progress-report-{report.as_of:%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = (
        f'attachment; filename="{fallback}"; '
        f"filename*=UTF-8''{quote(report_filename(report))}"
    )
    return response
