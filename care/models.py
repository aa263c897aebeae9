"""Care services: work points 四 to 九 of the 2020 notice.

Left-behind elderly people and their visits (四), left-behind and
vulnerable children, their inspection visits, child supervisors and
directors (五), elderly-care institutions (六), township charity drives and
social organisations (七), and per-village work points: red-white councils
(八), village rules and affairs disclosure (九).

Scoping has one choke point per model, ``visible_to(user)``, composed from
``Township.objects.visible_to``.  Children's records are narrower still:
only the staff of the child's township, the chiefs of 社会事务科 and the
bureau admin see them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from accounts.models import Section
from households import idnumbers
from households.choices import SelfCare, Sex
from households.models import Member, Township, Village


def township_scope(queryset, user, path: str = "township"):
    """``queryset`` limited to the townships ``user`` may see."""
    if not user.is_authenticated:
        return queryset.none()
    if user.sees_all_townships:
        return queryset
    return queryset.filter(**{f"{path}__in": Township.objects.visible_to(user)})


def sees_children(user) -> bool:
    """Children's records: township staff, 社会事务科 chiefs, the admin."""
    if not user.is_authenticated:
        return False
    if user.is_bureau_admin or user.is_township_staff:
        return True
    return user.is_section_chief and user.section == Section.SOCIAL_AFFAIRS


class LivingSituation(models.TextChoices):
    ALONE = "alone", "独居"
    WITH_SPOUSE = "with_spouse", "与配偶同住"
    WITH_GRANDCHILDREN = "with_grandchildren", "与（外）孙子女同住"
    OTHER = "other", "其他"


class ChildCategory(models.TextChoices):
    LEFT_BEHIND = "left_behind", "农村留守儿童"
    IN_DIFFICULTY = "in_difficulty", "困境儿童"


class DifficultyType(models.TextChoices):
    POVERTY = "poverty", "家庭贫困"
    DISABILITY = "disability", "自身残疾"
    GUARDIANSHIP = "guardianship", "监护缺失或监护不当"
    UNSUPPORTED = "unsupported", "事实无人抚养"
    OTHER = "other", "其他"


class VisitMethod(models.TextChoices):
    HOME = "home", "入户探访"
    PHONE = "phone", "电话联系"
    OTHER = "other", "其他方式"


class Staffing(models.TextChoices):
    FULL_TIME = "full_time", "专职"
    PART_TIME = "part_time", "兼职"


# People -------------------------------------------------------------------


class CareServiceItem(models.Model):
    """One item of the care-service list (关爱服务内容清单), kept by the admin."""

    name = models.CharField("服务内容", max_length=50, unique=True)
    description = models.CharField("说明", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "关爱服务内容"
        verbose_name_plural = "关爱服务内容清单"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class CaredPersonQuerySet(models.QuerySet):
    """Reads shared by the elderly and children registers."""

    visit_model: type[models.Model]

    def current(self):
        return self.filter(removed=False)

    def with_last_visit(self, on: datetime.date):
        """Annotate ``last_visit`` (on or before ``on``) and ``visit_anchor``.

        ``visit_anchor`` is the last visit, or the registration date for a
        person never visited: the next visit is due ``visit_interval_days``
        after it.
        """
        last = (
            self.visit_model.objects.filter(person=OuterRef("pk"), visit_date__lte=on)
            .order_by("-visit_date")
            .values("visit_date")[:1]
        )
        return self.annotate(
            last_visit=Subquery(last),
            visit_anchor=Coalesce(Subquery(last), F("registered_on")),
        )

    def overdue(self, on: datetime.date, interval_days: int):
        """Current people with no visit within ``interval_days`` up to ``on``.

        The same test as :func:`care.visits.is_overdue`: overdue when the
        anchor plus the interval lies before ``on``.
        """
        cutoff = on - datetime.timedelta(days=interval_days)
        return (
            self.current()
            .filter(registered_on__lte=on)
            .with_last_visit(on)
            .filter(visit_anchor__lt=cutoff)
        )


class CaredPerson(models.Model):
    """Fields of a person on a care register, linked to a member or not."""

    township = models.ForeignKey(
        Township,
        verbose_name="乡镇（街道）",
        on_delete=models.PROTECT,
        related_name="+",
    )
    village = models.ForeignKey(
        Village, verbose_name="村（居）", on_delete=models.PROTECT, related_name="+"
    )
    # Members are removed softly; should one be deleted for good, the
    # record stays on the register as a standalone person.
    member = models.ForeignKey(
        Member,
        verbose_name="建档立卡户成员",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="身份证号码与建档立卡户成员一致时自动关联",
    )
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("公民身份号码", max_length=18, db_index=True)
    sex = models.CharField("性别", max_length=10, choices=Sex.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    address = models.CharField("住址", max_length=200, blank=True)
    registered_on = models.DateField("登记日期")
    note = models.CharField("备注", max_length=500, blank=True)
    removed = models.BooleanField("已移出台账", default=False)
    removed_reason = models.CharField("移出原因", max_length=200, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.name}（{self.masked_id}）"

    @property
    def masked_id(self) -> str:
        return idnumbers.mask(self.id_number)

    def age_on(self, on: datetime.date) -> int | None:
        if self.birth_date is None:
            return None
        return idnumbers.age_on(self.birth_date, on)


class ElderlyQuerySet(CaredPersonQuerySet):
    def visible_to(self, user):
        return township_scope(self, user)


class ElderlyPerson(CaredPerson):
    """A left-behind elderly person (农村留守老年人), work point 四."""

    living_situation = models.CharField(
        "居住情况", max_length=30, choices=LivingSituation.choices, blank=True
    )
    self_care = models.CharField(
        "生活自理能力", max_length=10, choices=SelfCare.choices, blank=True
    )
    phone = models.CharField("本人电话", max_length=40, blank=True)
    contact_name = models.CharField("联络人", max_length=50, blank=True)
    contact_relation = models.CharField("联络人与老人关系", max_length=20, blank=True)
    contact_phone = models.CharField("联络人电话", max_length=40, blank=True)
    helper_name = models.CharField("帮扶联系人", max_length=50, blank=True)
    helper_phone = models.CharField("帮扶联系人电话", max_length=40, blank=True)
    services = models.ManyToManyField(
        CareServiceItem, verbose_name="关爱服务内容", blank=True, related_name="+"
    )

    history = HistoricalRecords(
        excluded_fields=["updated_at", "version"], m2m_fields=[services]
    )
    objects = ElderlyQuerySet.as_manager()

    class Meta:
        verbose_name = "农村留守老年人"
        verbose_name_plural = "农村留守老年人"
        ordering = ["village_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(removed=False),
                name="elderly_id_number_unique_when_current",
                violation_error_message="此人已在留守老年人台账中，不能重复登记",
            )
        ]
        indexes = [
            models.Index(fields=["township", "removed"], name="elderly_area_idx")
        ]

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("care:elderly_detail", args=[self.pk])

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_name and self.contact_phone)


class ChildQuerySet(CaredPersonQuerySet):
    def visible_to(self, user):
        """Only the child's township staff, 社会事务科 chiefs and the admin."""
        if not sees_children(user):
            return self.none()
        return township_scope(self, user)


class Child(CaredPerson):
    """A left-behind child or a child in difficulty, work point 五."""

    category = models.CharField(
        "儿童类别", max_length=20, choices=ChildCategory.choices
    )
    difficulty_type = models.CharField(
        "困境类型",
        max_length=20,
        choices=DifficultyType.choices,
        blank=True,
        help_text="仅困境儿童填写",
    )
    guardian_name = models.CharField("监护人", max_length=50, blank=True)
    guardian_relation = models.CharField("监护人与儿童关系", max_length=20, blank=True)
    guardian_phone = models.CharField("监护人电话", max_length=40, blank=True)
    school = models.CharField("就读学校", max_length=100, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])
    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name = "农村留守儿童和困境儿童"
        verbose_name_plural = "农村留守儿童和困境儿童"
        ordering = ["village_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(removed=False),
                name="child_id_number_unique_when_current",
                violation_error_message="此儿童已在台账中，不能重复登记",
            ),
            models.CheckConstraint(
                condition=Q(category="left_behind", difficulty_type="")
                | (Q(category="in_difficulty") & ~Q(difficulty_type="")),
                name="child_difficulty_type_matches_category",
                violation_error_message="困境儿童须选择困境类型，留守儿童不填困境类型",
            ),
        ]
        indexes = [models.Index(fields=["township", "removed"], name="child_area_idx")]

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("care:child_detail", args=[self.pk])

    @property
    def category_label(self) -> str:
        if self.category == ChildCategory.IN_DIFFICULTY and self.difficulty_type:
            return f"困境儿童（{self.get_difficulty_type_display()}）"
        return self.get_category_display()


class Visit(models.Model):
    """A visit (探访 / 巡查探访): when, how, by whom, what was found."""

    visit_date = models.DateField("探访日期")
    method = models.CharField(
        "探访方式", max_length=10, choices=VisitMethod.choices, default=VisitMethod.HOME
    )
    visitor = models.CharField("探访人", max_length=50)
    situation = models.TextField("基本情况")
    needs = models.TextField("需求", blank=True)
    follow_up = models.TextField("后续跟进", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.person.name} {self.visit_date:%Y-%m-%d} {self.visitor}"


class ElderlyVisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(person__in=ElderlyPerson.objects.visible_to(user))


class ElderlyVisit(Visit):
    person = models.ForeignKey(
        ElderlyPerson,
        verbose_name="留守老年人",
        on_delete=models.PROTECT,
        related_name="visits",
    )

    history = HistoricalRecords()
    objects = ElderlyVisitQuerySet.as_manager()

    class Meta:
        verbose_name = "留守老年人探访记录"
        verbose_name_plural = "留守老年人探访记录"
        ordering = ["-visit_date", "-pk"]
        indexes = [
            models.Index(fields=["person", "visit_date"], name="elderly_visit_idx")
        ]


class ChildVisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(person__in=Child.objects.visible_to(user))


class ChildVisit(Visit):
    person = models.ForeignKey(
        Child, verbose_name="儿童", on_delete=models.PROTECT, related_name="visits"
    )

    history = HistoricalRecords()
    objects = ChildVisitQuerySet.as_manager()

    class Meta:
        verbose_name = "儿童巡查探访记录"
        verbose_name_plural = "儿童巡查探访记录"
        ordering = ["-visit_date", "-pk"]
        indexes = [
            models.Index(fields=["person", "visit_date"], name="child_visit_idx")
        ]


ElderlyQuerySet.visit_model = ElderlyVisit
ChildQuerySet.visit_model = ChildVisit


# Child-protection workforce -------------------------------------------------


class TownshipScopedQuerySet(models.QuerySet):
    scope_path = "township"

    def visible_to(self, user):
        return township_scope(self, user, self.scope_path)


class VillageScopedQuerySet(TownshipScopedQuerySet):
    scope_path = "village__township"


class ChildSupervisor(models.Model):
    """A child supervisor (儿童督导员) of a township."""

    township = models.ForeignKey(
        Township,
        verbose_name="乡镇（街道）",
        on_delete=models.PROTECT,
        related_name="child_supervisors",
    )
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=40)
    staffing = models.CharField(
        "专兼职", max_length=10, choices=Staffing.choices, default=Staffing.PART_TIME
    )
    appointed_on = models.DateField("任职日期", null=True, blank=True)
    active = models.BooleanField("在岗", default=True)

    history = HistoricalRecords()
    objects = TownshipScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "儿童督导员"
        verbose_name_plural = "儿童督导员"
        ordering = ["township__order", "name"]

    def __str__(self):
        return f"{self.township} {self.name}"


class ChildDirector(models.Model):
    """The child director (儿童主任) of a village."""

    village = models.OneToOneField(
        Village,
        verbose_name="村（居）",
        on_delete=models.PROTECT,
        related_name="child_director",
    )
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=40)
    staffing = models.CharField(
        "专兼职", max_length=10, choices=Staffing.choices, default=Staffing.PART_TIME
    )
    appointed_on = models.DateField("任职日期", null=True, blank=True)

    history = HistoricalRecords()
    objects = VillageScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "儿童主任"
        verbose_name_plural = "儿童主任"
        ordering = ["village__township__order", "village__name"]

    def __str__(self):
        return f"{self.village} {self.name}"


# Institutions (work point 六) -------------------------------------------------


class Institution(models.Model):
    """A nursing home (敬老院) or a rural happiness home (农村幸福院)."""

    class Kind(models.TextChoices):
        NURSING_HOME = "nursing_home", "敬老院"
        HAPPINESS_HOME = "happiness_home", "农村幸福院"

    class Status(models.TextChoices):
        PLANNED = "planned", "规划中"
        BUILDING = "building", "在建"
        RENOVATING = "renovating", "改造中"
        OPERATING = "operating", "运营中"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    name = models.CharField("名称", max_length=100)
    township = models.ForeignKey(
        Township,
        verbose_name="乡镇（街道）",
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    village = models.ForeignKey(
        Village,
        verbose_name="所在村（居）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="institutions",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.OPERATING
    )
    beds = models.PositiveIntegerField("床位数（张）", default=0)
    residents = models.PositiveIntegerField("在院（入住）人数", default=0)
    manager = models.CharField("负责人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = TownshipScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "养老服务机构"
        verbose_name_plural = "养老服务机构"
        ordering = ["township__order", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "name"],
                name="institution_unique_in_township",
                violation_error_message="本乡镇（街道）已有同名机构",
            ),
            models.CheckConstraint(
                condition=Q(residents__lte=F("beds")) | Q(beds=0),
                name="institution_residents_within_beds",
                violation_error_message="在院人数不能超过床位数",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("care:institution_detail", args=[self.pk])


class ResidentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(institution__in=Institution.objects.visible_to(user))


class InstitutionResident(models.Model):
    """A centralized-care tekun person (集中供养特困人员) and the home that
    houses them."""

    institution = models.ForeignKey(
        Institution,
        verbose_name="供养机构",
        on_delete=models.PROTECT,
        related_name="tekun_residents",
    )
    member = models.OneToOneField(
        Member,
        verbose_name="特困人员",
        on_delete=models.CASCADE,
        related_name="care_placement",
    )
    admitted_on = models.DateField("入住日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = HistoricalRecords()
    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = "集中供养特困人员"
        verbose_name_plural = "集中供养特困人员"
        ordering = ["institution_id", "member__name"]

    def __str__(self):
        return f"{self.member.name} @ {self.institution}"


# Villages and townships (work points 七 to 九) -------------------------------


class VillageWorkPoint(models.Model):
    """A village's red-white council, village rules and affairs disclosure."""

    village = models.OneToOneField(
        Village,
        verbose_name="村（居）",
        on_delete=models.PROTECT,
        related_name="work_point",
    )
    poor_village = models.BooleanField("贫困村", default=False)
    council_established = models.BooleanField("已建立红白理事会", default=False)
    council_updated = models.DateField(
        "红白理事会成立或换届日期", null=True, blank=True
    )
    rules_in_place = models.BooleanField("已制定村规民约", default=False)
    rules_updated = models.DateField("村规民约最近修订日期", null=True, blank=True)
    disclosure_in_place = models.BooleanField("已落实村务公开", default=False)
    disclosure_updated = models.DateField("最近一次村务公开日期", null=True, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = VillageScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "村级工作要点"
        verbose_name_plural = "村级工作要点"
        ordering = ["village__township__order", "village__name"]

    def __str__(self):
        return str(self.village)


class CharityDrive(models.Model):
    """A township's 慈心一日捐 sum for one year."""

    township = models.ForeignKey(
        Township,
        verbose_name="乡镇（街道）",
        on_delete=models.PROTECT,
        related_name="charity_drives",
    )
    year = models.PositiveSmallIntegerField("年度")
    amount = models.DecimalField("募集金额（元）", max_digits=12, decimal_places=2)
    donors = models.PositiveIntegerField("参与人数", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    history = HistoricalRecords()
    objects = TownshipScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "慈心一日捐"
        verbose_name_plural = "慈心一日捐"
        ordering = ["township__order", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "year"],
                name="charity_drive_one_per_year",
                violation_error_message="该年度的慈心一日捐已登记",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="charity_drive_amount_not_negative",
                violation_error_message="金额不能为负数",
            ),
        ]

    def __str__(self):
        return f"{self.township} {self.year}年"


class SocialOrganization(models.Model):
    """A social organisation active in poverty work in a township."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", "社会团体"
        SERVICE = "service", "社会服务机构（民办非企业单位）"
        FOUNDATION = "foundation", "基金会"
        OTHER = "other", "其他"

    township = models.ForeignKey(
        Township,
        verbose_name="乡镇（街道）",
        on_delete=models.PROTECT,
        related_name="social_organizations",
    )
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    activity = models.CharField("参与扶贫的内容", max_length=300)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    active = models.BooleanField("仍在开展", default=True)

    history = HistoricalRecords()
    objects = TownshipScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "参与扶贫的社会组织"
        verbose_name_plural = "参与扶贫的社会组织"
        ordering = ["township__order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "name"],
                name="organization_unique_in_township",
                violation_error_message="本乡镇（街道）已登记同名社会组织",
            )
        ]

    def __str__(self):
        return self.name


# Imports ----------------------------------------------------------------------


class CareImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Batches of the townships the user sees; children's only for those
        who see children."""
        query = self
        if not sees_children(user):
            query = query.exclude(kind=CareImportBatch.Kind.CHILDREN)
        if not user.is_authenticated:
            return query.none()
        if user.sees_all_townships:
            return query
        return query.filter(township_id=user.township_id)


class CareImportBatch(models.Model):
    """One uploaded care roster: the file, who sent it, what it did."""

    class Kind(models.TextChoices):
        ELDERLY = "elderly", "农村留守老年人名册"
        CHILDREN = "children", "农村留守儿童和困境儿童名册"

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "待确认"
        COMMITTED = "committed", "已导入"
        REJECTED = "rejected", "有错误未导入"
        CANCELLED = "cancelled", "已取消"

    kind = models.CharField("名册类型", max_length=20, choices=Kind.choices)
    township = models.ForeignKey(
        Township,
        verbose_name="乡镇（街道）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.FileField("原始文件", upload_to="care-imports/%Y/%m/", blank=True)
    original_name = models.CharField("文件名", max_length=255)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.PREVIEWED
    )
    skip_invalid = models.BooleanField("跳过有错误的行", default=False)
    summary = models.JSONField("结果", default=dict, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    committed_at = models.DateTimeField("导入时间", null=True, blank=True)

    objects = CareImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = "关爱名册导入批次"
        verbose_name_plural = "关爱名册导入批次"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} {self.original_name}"

    @property
    def source_label(self) -> str:
        return f"关爱名册导入批次#{self.pk}"
