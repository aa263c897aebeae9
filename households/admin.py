from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Household, ImportBatch, Member, Township, Village


def _is_bureau_admin(request) -> bool:
    # The role grants the admin pages, not Django's per-model permissions.
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_bureau_admin)


class BureauAdminPermissions:
    def has_module_permission(self, request):
        return _is_bureau_admin(request)

    def has_view_permission(self, request, obj=None):
        return _is_bureau_admin(request)

    def has_add_permission(self, request, *args):
        return _is_bureau_admin(request)

    def has_change_permission(self, request, obj=None):
        return _is_bureau_admin(request)

    def has_delete_permission(self, request, obj=None):
        return _is_bureau_admin(request)


class ReadOnlyRegistryMixin(BureauAdminPermissions):
    """People's data is edited in the portal's pages, which go through the
    services (ID validation, history with the channel, the re-check); the
    admin site shows it and its history only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Township)
class TownshipAdmin(BureauAdminPermissions, admin.ModelAdmin):
    list_display = ["name", "short_name", "aliases", "order"]
    ordering = ["order"]


@admin.register(Village)
class VillageAdmin(BureauAdminPermissions, admin.ModelAdmin):
    list_display = ["name", "township", "kind"]
    list_filter = ["township", "kind"]
    search_fields = ["name"]


class MemberInline(admin.TabularInline):
    model = Member
    fields = ["name", "relation", "masked_id", "health", "deceased", "removed"]
    readonly_fields = ["name", "relation", "masked_id", "health", "deceased", "removed"]
    extra = 0
    can_delete = False
    show_change_link = True

    @admin.display(description="身份证号码")
    def masked_id(self, obj):
        return obj.masked_id


@admin.register(Household)
class HouseholdAdmin(ReadOnlyRegistryMixin, SimpleHistoryAdmin):
    list_display = [
        "household_no",
        "township",
        "village",
        "poverty_type",
        "poverty_status",
        "removed",
    ]
    list_filter = ["township", "poverty_type", "poverty_status", "removed"]
    search_fields = ["household_no"]
    list_select_related = ["township", "village"]
    raw_id_fields = ["village"]
    inlines = [MemberInline]


@admin.register(Member)
class MemberAdmin(ReadOnlyRegistryMixin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "masked_id",
        "household",
        "relation",
        "health",
        "deceased",
        "removed",
    ]
    list_filter = ["relation", "health", "deceased", "removed", "household__township"]
    search_fields = ["name", "=id_number", "household__household_no"]
    list_select_related = ["household"]
    raw_id_fields = ["household"]
    # The full number shows only on the portal's recorded "show" action.
    exclude = ["id_number"]
    readonly_fields = ["masked_id"]

    @admin.display(description="身份证号码")
    def masked_id(self, obj):
        return obj.masked_id


@admin.register(ImportBatch)
class ImportBatchAdmin(BureauAdminPermissions, admin.ModelAdmin):
    list_display = [
        "pk",
        "kind",
        "township",
        "uploaded_by",
        "original_name",
        "status",
        "created_at",
    ]
    list_filter = ["kind", "status", "township"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request):
        return False
