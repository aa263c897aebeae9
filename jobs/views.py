"""后台任务 in the browser: start, watch, cancel, collect the result.

Two buttons on the progress page start a job (``rule_run_start``,
``report_export_start``); the import preview sends a large batch to
``roster_import_start``.  Each job has a page with a progress bar that a static script
(static/js/job-progress.js) keeps up to date from ``job_status`` — the state
is in the database, so a reload or another browser shows the same.

A job is its requester's and the bureau admin's: anybody else gets 404,
as for a record outside their area.  The township a job is asked for goes
through ``Township.objects.visible_to``: township staff get their own
township whatever the form says, and another township is a 404.
"""

from __future__ import annotations

import datetime
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.models import AuditEvent
from accounts.services import audit_request
from households.models import ImportBatch, Township

from . import services
from .models import Job

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_ERROR = "日期格式不正确，请按 YYYY-MM-DD 填写，例如 2020-05-31"


def _get_job(request, pk) -> Job:
    return get_object_or_404(
        Job.objects.visible_to(request.user).select_related("requested_by", "township"),
        pk=pk,
    )


def _township(request) -> Township | None:
    """The township asked for, within the user's area (404 outside it)."""
    user = request.user
    requested = request.POST.get("township", "").strip()
    if user.is_township_staff:
        requested = requested or str(user.township_id)
    if not requested:
        return None
    if not requested.isdigit():
        raise Http404("没有该乡镇（街道）")
    return get_object_or_404(Township.objects.visible_to(user), pk=int(requested))


def _as_of(request) -> datetime.date | None:
    text = request.POST.get("as_of", "").strip()
    if not text:
        return timezone.localdate()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _back(request):
    """Back to the page the button was on (the progress page by default)."""
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("cases:progress")


def _start(request, request_job, started: str):
    township = _township(request)
    as_of = _as_of(request)
    if as_of is None:
        messages.error(request, DATE_ERROR)
        return _back(request)
    job = request_job(user=request.user, township=township, as_of=as_of)
    messages.info(request, started)
    return redirect(job)


@require_POST
def rule_run_start(request):
    """运行规则核查: the scope's current households, for a date."""
    return _start(
        request,
        services.job_request_rule_run,
        "规则核查已提交到后台运行，可以离开本页，稍后在“我的后台任务”查看结果。",
    )


@require_POST
def report_export_start(request):
    """后台导出Excel: the progress workbook, written by a worker."""
    return _start(
        request,
        services.job_request_report_export,
        "报表已提交到后台生成，完成后在本页下载。",
    )


@require_POST
def roster_import_start(request, pk):
    """确认导入 of a large previewed batch: committed by a worker.

    The import pages send a batch here when it is larger than
    ``JOBS_IMPORT_BACKGROUND_ABOVE``; the same people may do it as on the
    import pages (township staff and the admin; chiefs get 403), on the
    batches they see (another township's batch is a 404).
    """
    user = request.user
    if not (user.is_township_staff or user.is_bureau_admin):
        raise PermissionDenied("只有乡镇经办人员和管理员可以导入名册")
    batch = get_object_or_404(ImportBatch.objects.visible_to(user), pk=pk)
    try:
        job = services.job_request_roster_import(
            user=user,
            batch=batch,
            skip_invalid=request.POST.get("skip_invalid") == "1",
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("households:import_detail", pk=batch.pk)
    messages.info(
        request,
        "名册较大，已提交到后台导入：可以离开本页，导入完成后在这里或“我的后台任务”查看结果。",
    )
    return redirect(job)


@require_GET
def job_list(request):
    """我的后台任务: the user's jobs; the admin may look at everyone's."""
    user = request.user
    show_all = user.is_bureau_admin and request.GET.get("all") == "1"
    jobs = Job.objects.visible_to(user).select_related("requested_by", "township")
    if not show_all:
        jobs = jobs.filter(requested_by=user)
    page = Paginator(jobs.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "jobs/list.html",
        {
            "page": page,
            "show_all": show_all,
            "query": "all=1" if show_all else "",
            "has_active": _has_active(page),
        },
    )


def _has_active(page) -> bool:
    return any(job.is_active for job in page)


@require_GET
def job_detail(request, pk):
    job = _get_job(request, pk)
    follow_up = None
    follow_up_id = (job.result or {}).get("rule_run_job")
    if follow_up_id:
        follow_up = Job.objects.visible_to(request.user).filter(pk=follow_up_id).first()
    return render(
        request,
        "jobs/detail.html",
        {
            "job": job,
            "follow_up": follow_up,
            "stale": job.status == Job.Status.RUNNING
            and timezone.now() - job.updated_at > services.STALE_AFTER,
        },
    )


def status_payload(job: Job) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "active": job.is_active,
        "cancel_requested": job.cancel_requested,
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": job.percent,
        "message": job.message,
        "updated_at": timezone.localtime(job.updated_at).isoformat(),
    }


@never_cache
@require_GET
def job_status(request, pk):
    """The job's state as JSON, for the progress bar."""
    return JsonResponse(status_payload(_get_job(request, pk)))


@require_POST
def job_cancel(request, pk):
    job = _get_job(request, pk)
    try:
        job = services.job_cancel(job=job, user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(job)
    if job.status == Job.Status.CANCELLED:
        messages.info(request, job.message)
    else:
        messages.info(
            request,
            "已请求取消：任务会在当前步骤结束后停止，结束后本页说明已完成和未完成的部分。",
        )
    return redirect(job)


@never_cache
@require_GET
def job_file(request, pk):
    """The exported workbook, for the job's requester (and the admin)."""
    job = _get_job(request, pk)
    if job.status != Job.Status.SUCCEEDED or not job.result_file:
        raise Http404("该任务没有可下载的文件")
    try:
        handle = job.result_file.open("rb")
    except OSError:
        raise Http404("文件已不存在，请重新导出") from None
    name = (job.result or {}).get("file_name") or f"报表任务{job.pk}.xlsx"
    audit_request(
        request,
        action=AuditEvent.Action.REPORT_EXPORT,
        target=name,
        target_url=reverse("jobs:detail", args=[job.pk]),
        township=job.township,
        scope=f"{job.scope_label}，统计截止 {job.parameters.get('as_of', '')}",
    )
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX)
