"""Benefits people receive, temporary grants, and dated policy parameters."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from households.models import Household, Member


class Benefit(models.TextChoices):
    DIBAO = "dibao", "最低生活保障（低保）"
    TEKUN = "tekun", "特困人员救助供养"
    TEMPORARY_ASSISTANCE = "temporary_assistance", "临时救助"
    DISABILITY_LIVING = "disability_living", "困难残疾人生活补贴"
    DISABILITY_NURSING = "disability_nursing", "重度残疾人护理补贴"
    ELDERLY = "elderly", "困难老年人补贴"


class BenefitType(models.Model):
    """The benefit catalogue; ``code`` is the glossary code and the key."""

    code = models.CharField(
        "代码", max_length=30, primary_key=True, choices=Benefit.choices
    )
    name = models.CharField("名称", max_length=50)
    short_name = models.CharField("简称", max_length=20)
    section = models.CharField("责任科室", max_length=30)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "救助/补贴项目"
        verbose_name_plural = "救助/补贴项目"
        ordering = ["order"]

    def __str__(self):
        return self.name


class EnrollmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(member__household__in=Household.objects.visible_to(user))

    def active_on(self, day):
        """Active at ``day`` (policy-rules.md, Notation: enrollment status)."""
        return self.filter(
            Q(status__in=[Enrollment.Status.ACTIVE, Enrollment.Status.EXTENSION]),
            Q(start__isnull=True) | Q(start__lte=day),
            Q(end__isnull=True) | Q(end__gte=day),
        )


class Enrollment(models.Model):
    """One member's enrollment in one benefit (whole-household dibao too)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        ACTIVE = "active", "在保"
        EXTENSION = "extension", "延保"
        SUSPENDED = "suspended", "暂停"
        ENDED = "ended", "停保"

    class Scope(models.TextChoices):
        HOUSEHOLD = "household", "整户保"
        INDIVIDUAL = "individual", "单人保"

    class CareMode(models.TextChoices):
        DISPERSED = "dispersed", "分散供养"
        CENTRALIZED = "centralized", "集中供养"

    class EndReason(models.TextChoices):
        EMPLOYMENT = "employment", "就业"
        IMPROVED = "improved", "收入提高/改善"
        DEATH = "death", "死亡"
        MOVED = "moved", "迁出"
        OTHER = "other", "其他"

    class ReviewDecision(models.TextChoices):
        CONTINUE = "continue", "继续享受"
        EXTEND = "extend", "延保"
        END = "end", "停保"

    member = models.ForeignKey(
        Member,
        verbose_name="成员",
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    benefit = models.ForeignKey(
        BenefitType,
        verbose_name="项目",
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    scope = models.CharField(
        "保障方式", max_length=20, choices=Scope.choices, blank=True
    )
    care_mode = models.CharField(
        "供养方式", max_length=20, choices=CareMode.choices, blank=True
    )
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    start = models.DateField("开始日期", null=True, blank=True)
    end = models.DateField("结束日期", null=True, blank=True)
    end_reason = models.CharField(
        "停保原因", max_length=20, choices=EndReason.choices, blank=True
    )
    amount = models.DecimalField(
        "月标准（元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    review_date = models.DateField("复核日期", null=True, blank=True)
    review_decision = models.CharField(
        "复核结论", max_length=20, choices=ReviewDecision.choices, blank=True
    )
    note = models.CharField("备注", max_length=500, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])
    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = "救助/补贴享受记录"
        verbose_name_plural = "救助/补贴享受记录"
        ordering = ["member_id", "benefit__order", "-start"]
        indexes = [
            models.Index(fields=["benefit", "status"], name="enrollment_benefit_idx"),
        ]

    def __str__(self):
        return f"{self.member.name} {self.benefit_id} {self.get_status_display()}"

    def is_active_on(self, day) -> bool:
        return (
            self.status in (self.Status.ACTIVE, self.Status.EXTENSION)
            and (self.start is None or self.start <= day)
            and (self.end is None or self.end >= day)
        )


class TemporaryGrantQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(member__household__in=Household.objects.visible_to(user))


class TemporaryGrant(models.Model):
    """A one-off temporary-assistance payment (临时救助)."""

    class GrantType(models.TextChoices):
        EMERGENCY = "emergency", "急难型"
        EXPENDITURE = "expenditure", "支出型"

    member = models.ForeignKey(
        Member, verbose_name="成员", on_delete=models.PROTECT, related_name="grants"
    )
    date = models.DateField("救助日期")
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2)
    grant_type = models.CharField(
        "救助类型", max_length=20, choices=GrantType.choices, blank=True
    )
    reason = models.CharField("救助事由", max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    history = HistoricalRecords()
    objects = TemporaryGrantQuerySet.as_manager()

    class Meta:
        verbose_name = "临时救助"
        verbose_name_plural = "临时救助"
        ordering = ["-date"]

    def __str__(self):
        return f"{self.member.name} {self.date} {self.amount}元"


class PolicyParameterQuerySet(models.QuerySet):
    def in_force(self, name: str, day):
        return (
            self.filter(name=name, effective_from__lte=day)
            .order_by("-effective_from")
            .first()
        )


class PolicyParameter(models.Model):
    """A dated value: holds from ``effective_from`` until the next one."""

    name = models.CharField("参数", max_length=50)
    value = models.JSONField("取值")
    effective_from = models.DateField("生效日期")
    is_placeholder = models.BooleanField(
        "示例值", default=False, help_text="演示数据中的占位值，不是本县正式标准"
    )
    note = models.CharField("说明", max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="设置人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    history = HistoricalRecords()
    objects = PolicyParameterQuerySet.as_manager()

    class Meta:
        verbose_name = "政策参数"
        verbose_name_plural = "政策参数"
        ordering = ["name", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "effective_from"], name="parameter_unique_per_date"
            )
        ]

    def __str__(self):
        return f"{self.name} = {self.value}（{self.effective_from}起）"
