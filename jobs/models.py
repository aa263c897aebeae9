"""Background jobs: a full rule run, a report export, a roster import.

A :class:`Job` is what the user sees (who asked, for which area, how far it
has got, what came out); the queue underneath is Django's tasks API
(``django_tasks`` with the database backend, docs/jobs.md).  The task
writes the job's progress as it goes, so the job page survives a reload
and any worker host can run any job.
"""

from django.conf import settings
from django.db import models


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A job is its requester's; the bureau admin sees every job."""
        if not user.is_authenticated:
            return self.none()
        if user.is_bureau_admin:
            return self
        return self.filter(requested_by=user)

    def active(self):
        return self.filter(status__in=Job.ACTIVE)


class Job(models.Model):
    class Kind(models.TextChoices):
        RULE_RUN = "rule_run", "规则核查"
        REPORT_EXPORT = "report_export", "导出进度报表"
        ROSTER_IMPORT = "roster_import", "名册导入"

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "运行中"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "失败"
        CANCELLED = "cancelled", "已取消"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField("任务类型", max_length=20, choices=Kind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jobs",
    )
    township = models.ForeignKey(
        "households.Township",
        verbose_name="乡镇（街道）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="空表示全县",
    )
    parameters = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    progress_done = models.PositiveIntegerField("已完成", default=0)
    progress_total = models.PositiveIntegerField("总量", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    result_file = models.FileField("结果文件", upload_to="jobs/%Y/%m/", blank=True)
    cancel_requested = models.BooleanField("已请求取消", default=False)
    task_id = models.CharField("队列任务编号", max_length=64, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    updated_at = models.DateTimeField("最近更新", auto_now=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["requested_by", "-created_at"], name="job_requester_idx"
            ),
            models.Index(fields=["status", "kind"], name="job_status_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}（{self.scope_label}）"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("jobs:detail", args=[self.pk])

    @property
    def scope_label(self) -> str:
        if self.township_id is None:
            return f"{settings.COUNTY_NAME}全县"
        return self.township.name

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def duration_label(self) -> str:
        """How long the job ran, e.g. 2 分 05 秒 (empty until it ended)."""
        if self.started_at is None or self.finished_at is None:
            return ""
        seconds = max(0, round((self.finished_at - self.started_at).total_seconds()))
        minutes, seconds = divmod(seconds, 60)
        return f"{minutes} 分 {seconds:02d} 秒" if minutes else f"{seconds} 秒"

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)
