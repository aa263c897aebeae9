"""What a worker does for each kind of job, with progress and cancellation.

:func:`execute` is the body of the one task (``jobs.tasks.run_job``): it
claims the job (a job cancelled while it waited is skipped), runs the kind's
runner and records how it ended.  Runners report progress through a
:class:`JobContext`, and check for a cancel request between their steps.

Progress is written outside the work's transactions, so the job page sees
it while the work goes on.  That is why a rule run commits chunk by chunk
rather than in one transaction like ``evaluate_rules``: each chunk
(``JOBS_RULE_RUN_CHUNK`` households) is evaluated and synchronised into the
ledger in its own transaction, so every household's outcomes and cases
always agree, a cancel keeps the chunks that are done and rolls back none
of them half-way, and — on SQLite, where one writer holds the database at a
time — the pages' own writes (and the cancel button) get their turn
between chunks.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.db.utils import InterfaceError, OperationalError
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from cases.reports import (
    build_progress_report,
    report_filename,
    write_progress_workbook,
)
from cases.sync import ledger_sync
from checklists.evaluation import evaluate
from households.models import Household, ImportBatch

from .models import Job
from .services import rule_run_after_import

logger = logging.getLogger(__name__)

Status = Job.Status
CONNECTION_LOST = "数据库连接中断，当前步骤没有写入任何数据。请稍后重新发起任务。"
UNEXPECTED = "任务运行出错，当前步骤没有写入任何数据。技术信息已记入系统日志，请联系县民政局管理员。"
KIND_WORDS = {
    "missing": "应享未享",
    "inconsistent": "不一致",
    "review": "需核实",
    "data_quality": "数据质量",
}
# One key for every rule run's chunk transaction (PostgreSQL advisory lock):
# two workers never synchronise the same households' cases at once.
RULE_RUN_LOCK = 371521_0001


class JobCancelled(Exception):
    """Raised by a runner (through the context) when a cancel was asked for."""

    def __init__(self, message: str = "", result: dict | None = None):
        super().__init__(message)
        self.message = message or "已取消：当前步骤已回滚，没有写入任何数据。"
        self.result = result or {}


class JobFailed(Exception):
    """A foreseen failure with a Chinese message for the user."""

    def __init__(self, message: str, result: dict | None = None):
        super().__init__(message)
        self.message = message
        self.result = result or {}


@dataclass
class Outcome:
    message: str
    result: dict = field(default_factory=dict)


class JobContext:
    """The running job as its runner sees it."""

    def __init__(self, job: Job):
        self.job = job

    def progress(self, done: int, total: int, message: str | None = None) -> None:
        """Record how far the job has got (one ``UPDATE``, committed at once)."""
        fields = {
            "progress_done": max(0, done),
            "progress_total": max(0, total, done),
            "updated_at": timezone.now(),
        }
        if message is not None:
            fields["message"] = message[:500]
        Job.objects.filter(pk=self.job.pk).update(**fields)

    def cancel_requested(self) -> bool:
        return Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists()

    def check_cancel(self, message: str = "", result: dict | None = None) -> None:
        if self.cancel_requested():
            raise JobCancelled(message, result)


# -- the rule run ---------------------------------------------------------------


def _lock_rule_runs() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RULE_RUN_LOCK])


def run_rule_run(ctx: JobContext) -> Outcome:
    """Evaluate every current household of the scope and sync the ledger."""
    job = ctx.job
    as_of = datetime.date.fromisoformat(job.parameters["as_of"])
    households = Household.objects.current()
    if job.township_id is not None:
        households = households.filter(township_id=job.township_id)
    total = households.count()
    ctx.progress(0, total, f"正在核查：共 {total} 户")
    ids = households.order_by("pk").values_list("pk", flat=True)
    size = max(1, settings.JOBS_RULE_RUN_CHUNK)
    done, last = 0, None
    kinds: Counter = Counter()
    ledger: Counter = Counter()

    def summary() -> dict:
        return {
            "as_of": as_of.isoformat(),
            "households_total": total,
            "households_evaluated": done,
            "findings": {kind: kinds.get(kind, 0) for kind in KIND_WORDS},
            "findings_total": sum(kinds.values()),
            "ledger": {
                key: ledger.get(key, 0)
                for key in ("opened", "reopened", "auto_rectified", "unchanged")
            },
        }

    while True:
        page = ids if last is None else ids.filter(pk__gt=last)
        chunk = list(page[:size])
        if not chunk:
            break
        ctx.check_cancel(
            f"已取消：已核查 {done} 户（这些户的核查结果和问题台账已更新），"
            f"其余 {max(total - done, 0)} 户未核查。",
            summary(),
        )
        with transaction.atomic():
            _lock_rule_runs()
            # Keyset chunks: the range selects exactly these households.
            scope = households.filter(pk__range=(chunk[0], chunk[-1]))
            result = evaluate(as_of=as_of, households=scope)
            counts = ledger_sync(
                household_ids=result.household_ids,
                findings=result.findings,
                as_of=as_of,
            )
        done += result.households_evaluated
        kinds.update(result.count_by_kind())
        ledger.update(counts)
        last = chunk[-1]
        ctx.progress(done, total, f"已核查 {done} 户，共 {total} 户")
    found = summary()
    by_kind = "，".join(
        f"{word} {found['findings'][kind]} 条" for kind, word in KIND_WORDS.items()
    )
    led = found["ledger"]
    return Outcome(
        message=(
            f"规则核查完成：{job.scope_label}，基准日 {as_of:%Y-%m-%d}，"
            f"核查 {done} 户，发现问题 {found['findings_total']} 条（{by_kind}）；"
            f"问题台账新增 {led['opened']} 条，重新打开 {led['reopened']} 条，"
            f"自动提交核实 {led['auto_rectified']} 条。"
        ),
        result=found,
    )


# -- the report export ----------------------------------------------------------


def run_report_export(ctx: JobContext) -> Outcome:
    """Write the progress workbook and keep it for the requester's download."""
    job = ctx.job
    user = job.requested_by
    as_of = datetime.date.fromisoformat(job.parameters["as_of"])
    ctx.progress(0, 3, "正在统计报表数据")
    report = build_progress_report(as_of=as_of, township=job.township, user=user)
    ctx.check_cancel("已取消：报表尚未生成，没有保存任何文件。")
    ctx.progress(1, 3, "正在生成Excel工作簿")
    generated_by = f"{user}（{user.get_role_display() or '管理员'}）"
    name = report_filename(report)
    with tempfile.TemporaryFile() as handle:
        write_progress_workbook(handle, report, generated_by=generated_by)
        ctx.check_cancel("已取消：报表已生成但没有保存。")
        ctx.progress(2, 3, "正在保存文件")
        handle.seek(0)
        job.result_file.save(f"报表任务{job.pk}.xlsx", File(handle), save=False)
    Job.objects.filter(pk=job.pk).update(result_file=job.result_file.name)
    total = report.total
    return Outcome(
        message=(
            f"报表已生成：{report.scope_label}，统计截止 {report.as_of:%Y-%m-%d}，"
            f"登记 {total.households} 户 {total.persons} 人，"
            f"问题台账 {total.ledger.opened} 条（未销号 {total.ledger.pending} 条）。"
        ),
        result={
            "file_name": name,
            "as_of": report.as_of.isoformat(),
            "scope": report.scope_label,
            "households": total.households,
            "persons": total.persons,
            "evaluated": total.evaluated,
            "cases": total.ledger.opened,
            "cases_pending": total.ledger.pending,
        },
    )


# -- the roster import ----------------------------------------------------------


def _stored_bytes(batch: ImportBatch) -> bytes | None:
    if not batch.file:
        return None
    try:
        with batch.file.open("rb") as stored:
            return stored.read(settings.IMPORT_MAX_BYTES + 1)
    except OSError:
        return None


def _import_message(kind, summary: dict) -> str:
    counts = summary.get("counts") or {}
    unit = kind.unit
    text = (
        f"导入完成：新增 {counts.get('created', 0)} {unit}、"
        f"更新 {counts.get('updated', 0)} {unit}、"
        f"无变化 {counts.get('unchanged', 0)} {unit}。"
    )
    if counts.get("skipped"):
        text += f"有错误的 {counts['skipped']} {unit}已跳过，未导入。"
    return text


def run_roster_import(ctx: JobContext) -> Outcome:
    """Commit a previewed batch, as the browser's confirm would, in the back.

    The whole import is one transaction: a cancel asked for while it runs
    rolls it back entirely.  A large import leaves the re-check of its
    households to a rule run, which is queued for its township at once.
    """
    # The browser's import pages own the roster kinds and the stored
    # summary; loaded on use like they load the benefit service.
    from households.import_views import KINDS, preview_summary

    job = ctx.job
    user = job.requested_by
    batch_id = job.parameters["batch_id"]
    skip = bool(job.parameters.get("skip_invalid"))
    ctx.progress(0, 2, "正在读取、校验并写入名册")
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        batch_url = reverse("households:import_detail", args=[batch.pk])
        base = {"batch_id": batch.pk, "batch_url": batch_url}
        if batch.status != ImportBatch.Status.PREVIEWED:
            raise JobFailed("该批次已经处理过（已导入或已取消），不能再次导入。", base)
        data = _stored_bytes(batch)
        if data is None:
            raise JobFailed("找不到本批次保存的原始文件，无法导入。请重新上传。", base)
        kind = KINDS[batch.kind]
        service = import_string(kind.service)
        result = service(
            source=data,
            name=batch.original_name,
            township=batch.township,
            actor=user,
            dry_run=False,
            skip_invalid=skip,
            batch=batch,
        )
        batch.summary = preview_summary(result, kind)
        if result.file_error:
            batch.status = ImportBatch.Status.REJECTED
        batch.save(update_fields=["summary", "status"])
        ctx.check_cancel("已取消：导入已回滚，没有写入任何数据。", base)
    summary = batch.summary
    base["counts"] = summary.get("counts") or {}
    base["written"] = bool(result.written)
    if result.file_error:
        raise JobFailed(
            "文件无法导入，没有写入任何数据：" + result.errors[0].message, base
        )
    if not result.written:
        raise JobFailed(
            f"重新检查时发现 {len(result.errors)} 处错误，没有导入任何数据。"
            "请在导入批次页查看错误，改正后重新上传，或选择跳过有错误的部分。",
            base,
        )
    ctx.progress(1, 2, "导入已写入，正在安排规则核查")
    message = _import_message(kind, summary)
    follow_up = rule_run_after_import(result=result, user=user, township=batch.township)
    if follow_up is not None:
        base["rule_run_job"] = follow_up.pk
        message += "涉及的户较多，已在后台安排规则核查，完成后问题台账随之更新。"
    return Outcome(message=message, result=base)


RUNNERS: dict[str, Callable[[JobContext], Outcome]] = {
    Job.Kind.RULE_RUN: run_rule_run,
    Job.Kind.REPORT_EXPORT: run_report_export,
    Job.Kind.ROSTER_IMPORT: run_roster_import,
}


# -- the task's body ------------------------------------------------------------


def _claim(job_id: int) -> Job | None:
    """Mark a queued job running; None when it was cancelled (or is gone)."""
    with transaction.atomic():
        job = (
            Job.objects.select_for_update(of=("self",))
            .select_related("requested_by", "township")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.status != Status.QUEUED:
            return None
        job.status = Status.RUNNING
        job.started_at = timezone.now()
        job.message = "正在运行"
        job.save(update_fields=["status", "started_at", "message", "updated_at"])
        return job


def _finish(
    job: Job, status: str, message: str, result: dict, *, complete: bool = False
) -> None:
    fields = {}
    if complete:
        fields["progress_done"] = F("progress_total")
    Job.objects.filter(pk=job.pk).update(
        status=status,
        message=message[:500],
        result=result,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
        **fields,
    )


def _failure_message(exc: BaseException) -> str:
    if isinstance(exc, (OperationalError, InterfaceError)):
        return CONNECTION_LOST
    if isinstance(exc, (ValidationError, PermissionDenied)):
        text = "；".join(getattr(exc, "messages", None) or [str(exc)])
        return f"任务没有完成：{text}"
    return UNEXPECTED


def _kept(job: Job) -> str:
    """What a failed rule run keeps: the chunks it finished, each complete."""
    if job.kind != Job.Kind.RULE_RUN:
        return ""
    done = Job.objects.filter(pk=job.pk).values_list("progress_done", flat=True)
    done = next(iter(done), 0)
    if not done:
        return ""
    return f"此前已核查的 {done} 户结果已保存，重新发起核查即可补齐其余各户。"


def execute(job_id: int) -> str:
    """Run one job to its end and record the end; returns the final status."""
    job = _claim(job_id)
    if job is None:
        return "skipped"
    ctx = JobContext(job)
    try:
        outcome = RUNNERS[job.kind](ctx)
    except JobCancelled as exc:
        _finish(job, Status.CANCELLED, exc.message, exc.result)
        return Status.CANCELLED
    except JobFailed as exc:
        _finish(job, Status.FAILED, exc.message, exc.result)
        return Status.FAILED
    except Exception as exc:
        # The queue records the traceback; the user gets a Chinese reason.
        if not connection.in_atomic_block:
            # A lost connection is replaced before the failure is written.
            close_old_connections()
        try:
            _finish(job, Status.FAILED, _failure_message(exc) + _kept(job), {})
        except Exception:
            logger.exception("job %s: could not record the failure", job.pk)
        raise
    _finish(job, Status.SUCCEEDED, outcome.message, outcome.result, complete=True)
    return Status.SUCCEEDED
