"""The issue ledger (问题台账): one case per open finding, append-only events."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Section
from checklists.models import Campaign
from households.models import Household, Member, Township

# A case is "due soon" within this many days of its due date.
DUE_SOON_DAYS = 7


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see their township's cases; chiefs and the admin see all.

        Cases of a removed (soft-deleted) household leave the ledger with it,
        as the household leaves the registry's lists.
        """
        # "Not one of the few removed households" rather than a join on
        # household.removed: the join read all 60,000 households on every
        # page (the navigation's case count, 30–60 ms; docs/benchmarks.md).
        removed = Household.objects.filter(removed=True).values("pk")
        return self.filter(township__in=Township.objects.visible_to(user)).exclude(
            household__in=removed
        )

    def actionable_by(self, user):
        """Cases the user may review: own section for chiefs, all for admin."""
        if user.is_bureau_admin:
            return self
        if user.is_section_chief:
            return self.filter(section=user.section)
        return self.none()

    def active(self):
        """Not closed: open, returned or submitted."""
        return self.filter(status__in=Case.ACTIVE_STATUSES)

    def overdue(self, today):
        """Active past the due date."""
        return self.active().filter(due_date__lt=today)

    def due_soon(self, today):
        """Active and due within :data:`DUE_SOON_DAYS` days (today included)."""
        return self.active().filter(
            due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
        )


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "待整改"
        SUBMITTED = "submitted", "已提交（待核实）"
        VERIFIED = "verified", "已核实（销号）"
        RETURNED = "returned", "已退回"
        DISMISSED = "dismissed", "不适用（销号）"

    ACTIVE_STATUSES = ("open", "returned", "submitted")
    CLOSED_STATUSES = ("verified", "dismissed")

    class Resolution(models.TextChoices):
        RECTIFIED = "rectified", "已整改"
        NOT_APPLICABLE = "not_applicable", "不适用"
        AUTO = "auto", "系统复核已不存在问题"

    class Kind(models.TextChoices):
        MISSING = "missing", "应享未享"
        INCONSISTENT = "inconsistent", "不一致"
        REVIEW = "review", "需人工核实"

    rule = models.CharField("规则", max_length=50)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    section = models.CharField("责任科室", max_length=30, choices=Section.choices)
    policy = models.CharField("政策", max_length=30, blank=True)
    household = models.ForeignKey(
        Household, verbose_name="户", on_delete=models.PROTECT, related_name="cases"
    )
    member = models.ForeignKey(
        Member,
        verbose_name="成员",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    township = models.ForeignKey(
        Township,
        verbose_name="乡镇（街道）",
        on_delete=models.PROTECT,
        related_name="cases",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="活动",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    due_date = models.DateField("整改期限", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.OPEN
    )
    resolution = models.CharField(
        "整改方式", max_length=20, choices=Resolution.choices, blank=True
    )
    message = models.TextField("问题描述")
    finding_holds = models.BooleanField("最近一次核查仍存在", default=True)
    last_checked_on = models.DateField("最近核查基准日", null=True, blank=True)
    opened_at = models.DateTimeField("立案时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "台账问题"
        verbose_name_plural = "问题台账"
        ordering = ["due_date", "-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "household", "member"],
                condition=Q(member__isnull=False),
                name="one_case_per_member_rule",
            ),
            models.UniqueConstraint(
                fields=["rule", "household"],
                condition=Q(member__isnull=True),
                name="one_case_per_household_rule",
            ),
        ]
        indexes = [
            models.Index(fields=["township", "status"], name="case_township_idx"),
            models.Index(fields=["section", "status"], name="case_section_idx"),
            # A township's to-do (open and returned) in the queue's order: the
            # queue's first page and the navigation count read 50 entries of
            # it instead of sorting thousands of cases (docs/benchmarks.md).
            models.Index(
                fields=["township", "due_date", "household", "id"],
                condition=Q(status__in=["open", "returned"]),
                name="case_todo_order_idx",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.rule}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("cases:detail", args=[self.pk])


class CaseEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(case__in=Case.objects.visible_to(user))


class CaseEvent(models.Model):
    """An append-only entry on a case's timeline."""

    class Kind(models.TextChoices):
        OPENED = "opened", "立案"
        COMMENT = "comment", "备注"
        EVIDENCE = "evidence", "上传材料"
        SUBMITTED = "submitted", "提交整改"
        AUTO_RECTIFIED = "auto_rectified", "系统复核：问题已消除"
        VERIFIED = "verified", "核实销号"
        RETURNED = "returned", "退回"
        DISMISSED = "dismissed", "不适用销号"
        REOPENED = "reopened", "问题再次出现"

    case = models.ForeignKey(
        Case, verbose_name="问题", on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField("事件", max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="空表示系统自动操作",
    )
    status_after = models.CharField(
        "操作后状态", max_length=20, choices=Case.Status.choices
    )
    note = models.TextField("说明", blank=True)
    file = models.FileField("材料", upload_to="evidence/%Y/%m/", blank=True)
    file_name = models.CharField("文件名", max_length=255, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = "台账记录"
        verbose_name_plural = "台账记录"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.case_id} {self.kind}"
