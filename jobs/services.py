"""Writes on jobs: asking for one, cancelling one.

Every request creates a :class:`~jobs.models.Job` and enqueues the one task,
:func:`jobs.tasks.run_job`, in the same transaction: a job that was not
committed is never run, and a committed job is always in the queue.  The
scope is checked here as well as in the views (the services are the
faces' common ground): township staff work in their own township only.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from checklists.recheck import inline_limit
from households.models import ImportBatch, Township

from .models import Job

Kind = Job.Kind
Status = Job.Status

# A running job whose progress has not moved for this long is taken to have
# lost its worker (a killed process, a restarted host): cancelling it marks
# it cancelled at once instead of waiting for a flag nobody reads.
STALE_AFTER = datetime.timedelta(minutes=15)


def _check_township(user, township: Township | None) -> None:
    if user.is_township_staff and (township is None or township.pk != user.township_id):
        raise PermissionDenied("乡镇经办人员只能为本乡镇（街道）发起后台任务")


def _enqueue(job: Job) -> Job:
    # Imported here: the task module imports the runners, which import
    # every app; the models and services load before the apps are ready.
    from .tasks import run_job

    task_result = run_job.enqueue(job.pk)
    job.task_id = str(task_result.id)
    # Only this column: with the immediate backend (tests) the task has
    # already run and written the job's other columns.
    Job.objects.filter(pk=job.pk).update(task_id=job.task_id)
    job.refresh_from_db()
    return job


def _create(*, kind: str, user, township, parameters: dict, message: str) -> Job:
    job = Job(
        kind=kind,
        requested_by=user,
        township=township,
        parameters=parameters,
        message=message,
    )
    job.full_clean()
    job.save()
    return job


@transaction.atomic
def job_request_rule_run(
    *, user, township: Township | None = None, as_of: datetime.date | None = None
) -> Job:
    """A full rule run (evaluate + ledger sync) for a township or the county.

    The same user asking again for the same scope and date while the first
    request still waits in the queue gets that job back, not a second one.
    """
    _check_township(user, township)
    as_of = as_of or timezone.localdate()
    waiting = (
        Job.objects.filter(
            kind=Kind.RULE_RUN,
            requested_by=user,
            township=township,
            status=Status.QUEUED,
            parameters__as_of=as_of.isoformat(),
        )
        .order_by("pk")
        .first()
    )
    if waiting is not None:
        return waiting
    job = _create(
        kind=Kind.RULE_RUN,
        user=user,
        township=township,
        parameters={"as_of": as_of.isoformat()},
        message="排队等待运行",
    )
    return _enqueue(job)


@transaction.atomic
def job_request_report_export(
    *, user, township: Township | None = None, as_of: datetime.date | None = None
) -> Job:
    """The progress workbook, written by a worker and kept for download."""
    _check_township(user, township)
    as_of = as_of or timezone.localdate()
    job = _create(
        kind=Kind.REPORT_EXPORT,
        user=user,
        township=township,
        parameters={"as_of": as_of.isoformat()},
        message="排队等待运行",
    )
    return _enqueue(job)


@transaction.atomic
def job_request_roster_import(
    *, user, batch: ImportBatch, skip_invalid: bool = False
) -> Job:
    """Commit a previewed import batch in the background.

    The batch's own checks (it is still 待确认, the file is there, the data
    are re-validated) run in the task, exactly as the browser's confirm
    would run them.
    """
    if not (user.is_township_staff or user.is_bureau_admin):
        raise PermissionDenied("只有乡镇经办人员和管理员可以导入名册")
    if user.is_township_staff and batch.township_id != user.township_id:
        raise PermissionDenied("乡镇经办人员只能导入本乡镇（街道）的名册")
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise ValidationError("该批次已经处理过（已导入或已取消），不能再次导入。")
    running = Job.objects.active().filter(
        kind=Kind.ROSTER_IMPORT, parameters__batch_id=batch.pk
    )
    if running.exists():
        raise ValidationError("该批次已经在后台导入中，请在“我的后台任务”查看进度。")
    job = _create(
        kind=Kind.ROSTER_IMPORT,
        user=user,
        township=batch.township,
        parameters={
            "batch_id": batch.pk,
            "skip_invalid": bool(skip_invalid),
            "file_name": batch.original_name,
        },
        message="排队等待运行",
    )
    return _enqueue(job)


def import_runs_in_background(summary: dict) -> bool:
    """Whether a previewed batch is big enough to be committed by a job.

    ``summary`` is the batch's stored preview; its ``counts`` are households
    (household roster) or rows (benefit roster).
    """
    counts = (summary or {}).get("counts") or {}
    size = sum(counts.get(key, 0) for key in ("created", "updated", "unchanged"))
    return size > settings.JOBS_IMPORT_BACKGROUND_ABOVE


def import_skipped_recheck(result) -> bool:
    """Whether a committed import left its households to the full rule run.

    ``checklists.recheck.household_changed`` re-checks at most
    ``RECHECK_INLINE_MAX_HOUSEHOLDS`` households at once; a benefit import
    says so in ``rechecked``, a household import by its counts (the
    households it created or changed are the ones it re-checks).
    """
    if not getattr(result, "written", False):
        return False
    if hasattr(result, "rechecked"):
        return bool(result.households_changed) and not result.rechecked
    households = result.households
    return households.created + households.updated > inline_limit()


def rule_run_after_import(*, result, user, township: Township | None) -> Job | None:
    """Queue a rule run for ``township`` when an import skipped the re-check.

    The hook the import faces call after a committed import: a large import
    is not re-checked inline, so its township (the county when the bureau
    admin imported without choosing one) gets a full rule run in the
    background.  Returns the job, or None when the inline re-check ran.
    """
    if user is None or not import_skipped_recheck(result):
        return None
    return job_request_rule_run(user=user, township=township)


@transaction.atomic
def job_cancel(*, job: Job, user) -> Job:
    """Cancel a job: at once while it waits, at the next step while it runs.

    A running task checks the flag between its steps and stops there: a
    rule run keeps the chunks it finished (each complete), an import is
    rolled back whole, an export keeps no file.  A job whose worker is gone
    (no progress for ``STALE_AFTER``) is cancelled at once.
    """
    job = Job.objects.select_for_update().get(pk=job.pk)
    now = timezone.now()
    if job.status == Status.QUEUED:
        job.status = Status.CANCELLED
        job.cancel_requested = True
        job.finished_at = now
        job.message = "已取消：任务尚未开始运行，没有做任何改动。"
    elif job.status == Status.RUNNING and now - job.updated_at > STALE_AFTER:
        job.status = Status.CANCELLED
        job.cancel_requested = True
        job.finished_at = now
        job.message = (
            "已取消：任务长时间没有进展，后台工作进程可能已停止。"
            "已完成的步骤各自完整，未完成的步骤没有写入数据。"
        )
    elif job.status == Status.RUNNING:
        job.cancel_requested = True
    else:
        raise ValidationError("任务已经结束，不能取消。")
    job.save(update_fields=["status", "cancel_requested", "finished_at", "message"])
    return job
