"""The admin site: the care-service list is the admin's to edit; the
registers are shown read-only (they are edited in the care pages, which go
through the services: ID validation, scope, history with the channel)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from households.admin import BureauAdminPermissions, ReadOnlyRegistryMixin

from .models import (
    CareImportBatch,
    CareServiceItem,
    CharityDrive,
    Child,
    ChildDirector,
    ChildSupervisor,
    ElderlyPerson,
    Institution,
    SocialOrganization,
    VillageWorkPoint,
)


@admin.register(CareServiceItem)
class CareServiceItemAdmin(BureauAdminPermissions, admin.ModelAdmin):
    list_display = ["name", "description", "order", "active"]
    list_editable = ["order", "active"]
    search_fields = ["name"]


class _MaskedIdMixin:
    @admin.display(description="身份证号码")
    def masked_id(self, obj):
        return obj.masked_id


@admin.register(ElderlyPerson)
class ElderlyPersonAdmin(ReadOnlyRegistryMixin, _MaskedIdMixin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "masked_id",
        "township",
        "village",
        "registered_on",
        "removed",
    ]
    list_filter = ["township", "removed", "living_situation"]
    search_fields = ["name", "=id_number"]
    list_select_related = ["township", "village"]
    exclude = ["id_number"]
    readonly_fields = ["masked_id"]


@admin.register(Child)
class ChildAdmin(ReadOnlyRegistryMixin, _MaskedIdMixin, SimpleHistoryAdmin):
    list_display = ["name", "masked_id", "category", "township", "village", "removed"]
    list_filter = ["township", "category", "removed"]
    search_fields = ["name", "=id_number"]
    list_select_related = ["township", "village"]
    exclude = ["id_number"]
    readonly_fields = ["masked_id"]


@admin.register(ChildSupervisor)
class ChildSupervisorAdmin(ReadOnlyRegistryMixin, SimpleHistoryAdmin):
    list_display = ["name", "township", "phone", "staffing", "active"]
    list_filter = ["township", "active"]


@admin.register(ChildDirector)
class ChildDirectorAdmin(ReadOnlyRegistryMixin, SimpleHistoryAdmin):
    list_display = ["name", "village", "phone", "staffing"]
    list_select_related = ["village"]


@admin.register(Institution)
class InstitutionAdmin(ReadOnlyRegistryMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "township", "status", "beds", "residents"]
    list_filter = ["kind", "status", "township"]


@admin.register(VillageWorkPoint)
class VillageWorkPointAdmin(ReadOnlyRegistryMixin, SimpleHistoryAdmin):
    list_display = [
        "village",
        "council_established",
        "rules_in_place",
        "disclosure_in_place",
    ]
    list_select_related = ["village"]


@admin.register(CharityDrive)
class CharityDriveAdmin(ReadOnlyRegistryMixin, SimpleHistoryAdmin):
    list_display = ["township", "year", "amount", "donors"]
    list_filter = ["year"]


@admin.register(SocialOrganization)
class SocialOrganizationAdmin(ReadOnlyRegistryMixin, SimpleHistoryAdmin):
    list_display = ["name", "township", "kind", "active"]
    list_filter = ["kind", "active"]


@admin.register(CareImportBatch)
class CareImportBatchAdmin(ReadOnlyRegistryMixin, admin.ModelAdmin):
    list_display = ["pk", "kind", "original_name", "township", "uploaded_by", "status"]
    list_filter = ["kind", "status"]
