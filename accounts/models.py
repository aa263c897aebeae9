"""Portal users: a role, and the township or section the role is tied to."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Section(models.TextChoices):
    """Bureau sections (责任科室), glossary codes."""

    SOCIAL_ASSISTANCE = "social_assistance", "社会救助科"
    SOCIAL_AFFAIRS = "social_affairs", "社会事务科"
    CHARITY_ELDERLY = "charity_elderly", "慈善事业和养老服务科"
    POLICY_SOCIAL_WORK = "policy_social_work", "政策法规和社会工作科"
    GRASSROOTS = "grassroots", "基层政权建设和区划地名科"


class User(AbstractUser):
    class Role(models.TextChoices):
        TOWNSHIP_STAFF = "township_staff", "乡镇经办人员"
        SECTION_CHIEF = "section_chief", "科室负责人"
        BUREAU_ADMIN = "bureau_admin", "局领导/管理员"

    role = models.CharField("角色", max_length=20, choices=Role.choices)
    township = models.ForeignKey(
        "households.Township",
        verbose_name="乡镇（街道）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    section = models.CharField(
        "科室", max_length=30, choices=Section.choices, blank=True
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="township_staff")
                | models.Q(township__isnull=False),
                name="staff_has_township",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="section_chief") | ~models.Q(section=""),
                name="chief_has_section",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_township_staff(self) -> bool:
        return self.role == self.Role.TOWNSHIP_STAFF

    @property
    def is_section_chief(self) -> bool:
        return self.role == self.Role.SECTION_CHIEF

    @property
    def is_bureau_admin(self) -> bool:
        return self.role == self.Role.BUREAU_ADMIN or self.is_superuser

    @property
    def sees_all_townships(self) -> bool:
        return not self.is_township_staff

    def can_edit_township(self, township_id: int | None) -> bool:
        """Registry writes: staff in their own township, the admin anywhere."""
        if self.is_bureau_admin:
            return True
        return self.is_township_staff and township_id == self.township_id

    def can_act_for_section(self, section: str | None) -> bool:
        """Ledger reviews: chiefs of the section, the admin for all."""
        if self.is_bureau_admin:
            return True
        return self.is_section_chief and bool(section) and section == self.section
