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


class AuditEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The audit log is the bureau admin's alone."""
        if user.is_authenticated and user.is_bureau_admin:
            return self
        return self.none()


class AuditEvent(models.Model):
    """One access to people's data worth answering for later.

    Append-only: every full ID-number view, every export or download of
    people's data and every removal of a household is one row, written by
    :func:`accounts.services.audit_event_record` and never changed.
    """

    class Action(models.TextChoices):
        ID_REVEAL = "id_reveal", "查看完整身份证号码"
        REPORT_EXPORT = "report_export", "导出进度报表"
        EVIDENCE_DOWNLOAD = "evidence_download", "下载整改材料"
        IMPORT_FILE_DOWNLOAD = "import_file_download", "下载导入文件或错误清单"
        HOUSEHOLD_REMOVE = "household_remove", "删除建档立卡户"

    user = models.ForeignKey(
        "accounts.User",
        verbose_name="操作人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    action = models.CharField("操作", max_length=30, choices=Action.choices)
    target = models.CharField("对象", max_length=300)
    target_url = models.CharField("链接", max_length=300, blank=True)
    township = models.ForeignKey(
        "households.Township",
        verbose_name="乡镇（街道）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="空表示全县",
    )
    scope = models.CharField("范围", max_length=200, blank=True)
    ip_address = models.GenericIPAddressField("IP地址", null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "访问审计记录"
        verbose_name_plural = "访问审计记录"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["action", "created_at"], name="audit_action_idx"),
        ]

    def __str__(self):
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()}"
        )
