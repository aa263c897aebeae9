"""The registry: townships, villages, registered poor households, members.

Area scoping has one choke point: ``visible_to(user)`` on each queryset.
Every other model's scope is composed from ``Household``'s.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from . import idnumbers
from .choices import (
    DisabilityCategory,
    DisabilityGrade,
    Employment,
    Health,
    LaborCapacity,
    PovertyStatus,
    PovertyType,
    Relation,
    SelfCare,
    Sex,
    SupporterStatus,
    VillageKind,
    Willingness,
)


def _sees_all(user) -> bool:
    return bool(user.is_authenticated and not user.is_township_staff)


class TownshipQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if _sees_all(user):
            return self
        return self.filter(pk=user.township_id)


class Township(models.Model):
    """A township-level unit (乡镇/街道) of the county; the 18 ship as data."""

    name = models.CharField("名称", max_length=30, unique=True)
    short_name = models.CharField("简称", max_length=30, unique=True)
    aliases = models.JSONField("别名", default=list, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    objects = TownshipQuerySet.as_manager()

    class Meta:
        verbose_name = "乡镇（街道）"
        verbose_name_plural = "乡镇（街道）"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def names(self) -> list[str]:
        return [self.name, self.short_name, *self.aliases]


class VillageQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(township__in=Township.objects.visible_to(user))


class Village(models.Model):
    township = models.ForeignKey(
        Township,
        verbose_name="乡镇（街道）",
        on_delete=models.PROTECT,
        related_name="villages",
    )
    name = models.CharField("村（居）", max_length=50)
    kind = models.CharField(
        "类型", max_length=10, choices=VillageKind.choices, default=VillageKind.VILLAGE
    )

    objects = VillageQuerySet.as_manager()

    class Meta:
        verbose_name = "村（居）"
        verbose_name_plural = "村（居）"
        ordering = ["township__order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "name"], name="village_unique_in_township"
            )
        ]

    def __str__(self):
        return self.name

    @staticmethod
    def kind_for_name(name: str) -> str:
        """社区 and 居委会 are urban communities; everything else a village."""
        if name.endswith(("社区", "居委会")):
            return VillageKind.COMMUNITY
        return VillageKind.VILLAGE


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see their township's batches; the county sees every batch."""
        if not user.is_authenticated:
            return self.none()
        if _sees_all(user):
            return self
        return self.filter(township_id=user.township_id)


class ImportBatch(models.Model):
    """One uploaded workbook: what it was, who sent it, what it did."""

    class Kind(models.TextChoices):
        HOUSEHOLD_ROSTER = "household_roster", "建档立卡户花名册"
        BENEFIT_ROSTER = "benefit_roster", "救助/补贴名册"

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "待确认"
        COMMITTED = "committed", "已导入"
        REJECTED = "rejected", "有错误未导入"
        CANCELLED = "cancelled", "已取消"

    kind = models.CharField("名册类型", max_length=30, choices=Kind.choices)
    township = models.ForeignKey(
        Township,
        verbose_name="乡镇（街道）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_batches",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_batches",
    )
    file = models.FileField("原始文件", upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField("文件名", max_length=255)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.PREVIEWED
    )
    skip_invalid = models.BooleanField("跳过有错误的户", default=False)
    summary = models.JSONField("结果", default=dict, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    committed_at = models.DateTimeField("导入时间", null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} {self.original_name}"

    @property
    def source_label(self) -> str:
        return f"导入批次#{self.pk}"


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one area-scoping choke point: every other scope builds on it."""
        if not user.is_authenticated:
            return self.none()
        if _sees_all(user):
            return self
        return self.filter(township_id=user.township_id)

    def current(self):
        return self.filter(removed=False)


class Household(models.Model):
    """A registered poor household (建档立卡贫困户)."""

    household_no = models.CharField("户编号", max_length=40, unique=True)
    township = models.ForeignKey(
        Township,
        verbose_name="乡镇（街道）",
        on_delete=models.PROTECT,
        related_name="households",
    )
    village = models.ForeignKey(
        Village,
        verbose_name="村（居）",
        on_delete=models.PROTECT,
        related_name="households",
    )
    poverty_type = models.CharField(
        "贫困户属性", max_length=10, choices=PovertyType.choices, blank=True
    )
    poverty_status = models.CharField(
        "脱贫状态", max_length=30, choices=PovertyStatus.choices, blank=True
    )
    income_per_capita = models.DecimalField(
        "家庭年人均纯收入（元）",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    employment_costs = models.DecimalField(
        "就业成本（元/年）",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="交通费、培训费等必要就业成本，全户全年合计",
    )
    rigid_expenses = models.DecimalField(
        "刚性支出（元/年）",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="因病、因残等刚性支出，全户全年合计",
    )
    address = models.CharField("住址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    removed = models.BooleanField("已删除", default=False)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])
    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = "建档立卡贫困户"
        verbose_name_plural = "建档立卡贫困户"
        ordering = ["household_no"]
        indexes = [
            models.Index(fields=["township", "village"], name="household_area_idx"),
            models.Index(fields=["poverty_type"], name="household_type_idx"),
            models.Index(fields=["poverty_status"], name="household_status_idx"),
            # The few soft-deleted households, which scoped case lists exclude.
            models.Index(
                fields=["id"], condition=Q(removed=True), name="household_removed_idx"
            ),
        ]

    def __str__(self):
        return self.household_no

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("households:detail", args=[self.pk])


class MemberQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(household__in=Household.objects.visible_to(user))

    def current(self):
        return self.filter(removed=False)


class Member(models.Model):
    """A person in a registered household, identified by the ID number."""

    household = models.ForeignKey(
        Household, verbose_name="户", on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField(
        "公民身份号码", max_length=18, validators=[], db_index=True
    )
    relation = models.CharField("与户主关系", max_length=20, choices=Relation.choices)
    sex = models.CharField("性别", max_length=10, choices=Sex.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    ethnicity = models.CharField("民族", max_length=20, blank=True)
    health = models.CharField(
        "健康状况", max_length=20, choices=Health.choices, blank=True
    )
    disability_category = models.CharField(
        "残疾类别", max_length=20, choices=DisabilityCategory.choices, blank=True
    )
    disability_grade = models.PositiveSmallIntegerField(
        "残疾等级", choices=DisabilityGrade.choices, null=True, blank=True
    )
    disability_cert_no = models.CharField("残疾人证号", max_length=20, blank=True)
    labor_capacity = models.CharField(
        "劳动能力", max_length=20, choices=LaborCapacity.choices, blank=True
    )
    self_care = models.CharField(
        "生活自理能力", max_length=10, choices=SelfCare.choices, blank=True
    )
    employment = models.CharField(
        "就业状况", max_length=20, choices=Employment.choices, blank=True
    )
    phone = models.CharField("联系电话", max_length=40, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    supporter_status = models.CharField(
        "法定义务人情况",
        max_length=10,
        choices=SupporterStatus.choices,
        default=SupporterStatus.UNKNOWN,
    )
    willing_centralized = models.CharField(
        "集中供养意愿",
        max_length=10,
        choices=Willingness.choices,
        default=Willingness.UNKNOWN,
    )
    deceased = models.BooleanField("已死亡", default=False)
    removed = models.BooleanField("已移除", default=False)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])
    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = "家庭成员"
        verbose_name_plural = "家庭成员"
        ordering = ["household_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(removed=False),
                name="member_id_number_unique_when_current",
            )
        ]
        indexes = [models.Index(fields=["name"], name="member_name_idx")]

    def __str__(self):
        return f"{self.name}（{self.masked_id}）"

    @property
    def masked_id(self) -> str:
        return idnumbers.mask(self.id_number)

    def age_on(self, on) -> int | None:
        if self.birth_date is None:
            return None
        return idnumbers.age_on(self.birth_date, on)
