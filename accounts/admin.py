from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group

from .models import AuditEvent, User


def is_bureau_admin(request) -> bool:
    """The admin site is the bureau admin's: the role grants it, not
    Django's per-model permissions (the role is the one source of rights)."""
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_bureau_admin)


class BureauAdminOnly:
    def has_module_permission(self, request):
        return is_bureau_admin(request)

    def has_view_permission(self, request, obj=None):
        return is_bureau_admin(request)

    def has_add_permission(self, request, *args):
        return is_bureau_admin(request)

    def has_change_permission(self, request, obj=None):
        return is_bureau_admin(request)

    def has_delete_permission(self, request, obj=None):
        return is_bureau_admin(request)


class BureauAdminReadOnly(BureauAdminOnly):
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class PortalUserAdmin(BureauAdminOnly, UserAdmin):
    list_display = [
        "username",
        "first_name",
        "role",
        "township",
        "section",
        "is_active",
    ]
    list_filter = ["role", "township", "section", "is_active"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["first_name", "email"]}),
        ("角色与范围", {"fields": ["role", "township", "section"]}),
        ("状态", {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "password1",
                    "password2",
                    "role",
                    "township",
                    "section",
                ],
            },
        )
    ]
    readonly_fields = ["last_login", "date_joined"]

    def has_delete_permission(self, request, obj=None):
        # Users are deactivated, never deleted: the ledger and the history
        # keep pointing at them.
        return False

    def save_model(self, request, obj, form, change):
        # Only the bureau admin may use the admin site (accounts.services too).
        obj.is_staff = obj.role == User.Role.BUREAU_ADMIN or obj.is_superuser
        super().save_model(request, obj, form, change)


@admin.register(AuditEvent)
class AuditEventAdmin(BureauAdminReadOnly, admin.ModelAdmin):
    list_display = ["created_at", "user", "action", "target", "scope", "ip_address"]
    list_filter = ["action", "township"]
    search_fields = ["user__username", "target", "ip_address"]
    list_select_related = ["user", "township"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "user",
        "action",
        "target",
        "target_url",
        "township",
        "scope",
        "ip_address",
    ]
    readonly_fields = fields


# Roles, not groups, grant rights in the portal: no group page.
admin.site.unregister(Group)

# Login throttling: the bureau admin sees attempts and lockouts and may
# delete a lockout to let a colleague in before the cool-off ends.  axes
# ships English names only; the admin site shows Chinese ones.
apps.get_app_config("axes").verbose_name = "登录限制"
for model, base, label in (
    (AccessAttempt, AccessAttemptAdmin, "登录失败计数（删除即解锁）"),
    (AccessLog, AccessLogAdmin, "登录记录"),
    (AccessFailureLog, AccessFailureLogAdmin, "登录失败记录"),
):
    model._meta.verbose_name = model._meta.verbose_name_plural = label
    admin.site.unregister(model)

    class ThrottleAdmin(BureauAdminReadOnly, base):
        def has_delete_permission(self, request, obj=None):
            return is_bureau_admin(request)

    admin.site.register(model, ThrottleAdmin)
