"""The self-inspection: campaigns, household checks and stored outcomes."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from households.models import Household, Member


class CampaignQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True).first()


class Campaign(models.Model):
    """A self-inspection and rectification campaign (自查整改活动)."""

    name = models.CharField("名称", max_length=100)
    inspection_start = models.DateField("排查开始日期")
    inspection_end = models.DateField("排查结束日期")
    due_date = models.DateField("整改期限")
    report_due = models.DateField("报告截止日期")
    is_current = models.BooleanField("当前活动", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "自查整改活动"
        verbose_name_plural = "自查整改活动"
        ordering = ["-inspection_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="one_current_campaign",
            ),
            models.CheckConstraint(
                condition=Q(inspection_start__lte=models.F("inspection_end")),
                name="campaign_period_ordered",
            ),
        ]

    def __str__(self):
        return self.name


class HouseholdCheckQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(household__in=Household.objects.visible_to(user))


class HouseholdCheck(models.Model):
    """Inspecting one household against every policy in one campaign (排查)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="活动", on_delete=models.CASCADE, related_name="checks"
    )
    household = models.ForeignKey(
        Household, verbose_name="户", on_delete=models.CASCADE, related_name="checks"
    )
    outcomes = models.JSONField(
        "各项政策结果",
        default=dict,
        blank=True,
        help_text="policy → covered / missing / partial / not_eligible",
    )
    evaluated_on = models.DateField("规则核查日期", null=True, blank=True)
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="排查人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    inspected_at = models.DateTimeField("排查确认时间", null=True, blank=True)
    note = models.CharField("排查说明", max_length=500, blank=True)

    objects = HouseholdCheckQuerySet.as_manager()

    class Meta:
        verbose_name = "入户排查"
        verbose_name_plural = "入户排查"
        indexes = [
            # The dashboard's freshness check: latest confirmation per campaign.
            models.Index(
                fields=["campaign", "inspected_at"], name="check_campaign_inspected_idx"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "household"], name="one_check_per_campaign"
            )
        ]

    def __str__(self):
        return f"{self.campaign} · {self.household}"


class Outcome(models.TextChoices):
    COVERED = "covered", "已享受"
    MISSING = "missing", "应享未享"
    PARTIAL = "partial", "部分落实"
    NOT_ELIGIBLE = "not_eligible", "不符合条件"


class Policy(models.TextChoices):
    DIBAO = "dibao", "低保"
    TEKUN = "tekun", "特困供养"
    TEMPORARY_ASSISTANCE = "temporary_assistance", "临时救助"
    DISABILITY_LIVING = "disability_living", "残疾人生活补贴"
    DISABILITY_NURSING = "disability_nursing", "重度残疾人护理补贴"
    ELDERLY = "elderly", "困难老年人补贴"


class HouseholdEvaluationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(household__in=Household.objects.visible_to(user))


class HouseholdEvaluation(models.Model):
    """One rule run over one household for one as-of date: its findings.

    Reports "as of a date" read, per household, the latest evaluation whose
    ``as_of`` is on or before that date.  A re-run for the same date
    replaces the earlier one.
    """

    household = models.ForeignKey(
        Household,
        verbose_name="户",
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    as_of = models.DateField("核查基准日")
    evaluated_at = models.DateTimeField("运行时间", auto_now=True)
    findings = models.JSONField("发现的问题", default=list, blank=True)
    data_quality_count = models.PositiveIntegerField("数据质量问题数", default=0)

    objects = HouseholdEvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = "规则核查记录"
        verbose_name_plural = "规则核查记录"
        constraints = [
            models.UniqueConstraint(
                fields=["household", "as_of"], name="one_evaluation_per_date"
            )
        ]
        indexes = [models.Index(fields=["as_of"], name="evaluation_as_of_idx")]

    def __str__(self):
        return f"{self.household_id} @ {self.as_of}"


class PolicyOutcomeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(household__in=Household.objects.visible_to(user))


class PolicyOutcome(models.Model):
    """One member's outcome for one policy at one as-of date (the matrix).

    Stored only for cells that say something: covered, missing, partial, or
    any outcome with rules behind it.  An in-scope member without a row in
    an evaluation is 不符合条件 (``Outcome.NOT_ELIGIBLE``) for that policy —
    nine cells in ten at county scale, which the first rule run no longer
    writes (docs/benchmarks.md).
    """

    evaluation = models.ForeignKey(
        HouseholdEvaluation,
        verbose_name="核查记录",
        on_delete=models.CASCADE,
        related_name="outcomes",
    )
    # No single-column indexes: (household, as_of) and the unique (member,
    # policy, as_of) below start with these columns and serve their lookups.
    household = models.ForeignKey(
        Household,
        verbose_name="户",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    member = models.ForeignKey(
        Member,
        verbose_name="成员",
        on_delete=models.CASCADE,
        related_name="policy_outcomes",
        db_index=False,
    )
    policy = models.CharField("政策", max_length=30, choices=Policy.choices)
    outcome = models.CharField("结果", max_length=20, choices=Outcome.choices)
    as_of = models.DateField("核查基准日")
    rules = models.JSONField("触发规则", default=list, blank=True)

    objects = PolicyOutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = "政策落实结果"
        verbose_name_plural = "政策落实结果"
        constraints = [
            models.UniqueConstraint(
                fields=["member", "policy", "as_of"], name="one_outcome_per_date"
            )
        ]
        indexes = [
            models.Index(fields=["as_of", "policy"], name="outcome_as_of_idx"),
            models.Index(
                fields=["household", "as_of"], name="outcome_household_as_of_idx"
            ),
        ]

    def __str__(self):
        return f"{self.member_id} {self.policy} {self.outcome} @ {self.as_of}"
