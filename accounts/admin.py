from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "role", "township", "section", "is_active"]
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
                "fields": ["username", "password1", "password2", "role", "township", "section"],
            },
        )
    ]
    readonly_fields = ["last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        # Only the bureau admin may use the admin site (accounts.services too).
        obj.is_staff = obj.role == User.Role.BUREAU_ADMIN or obj.is_superuser
        super().save_model(request, obj, form, change)
