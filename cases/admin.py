"""Django admin for the ledger: a read-only window on cases and events.

Cases come from the rule runs and change only through the workflow
services (the case pages), so the admin shows them and never edits them;
the timeline is append-only and read-only here too.
"""

from django.contrib import admin

from households.admin import BureauAdminPermissions

from .models import Case, CaseEvent


class CaseEventInline(BureauAdminPermissions, admin.TabularInline):
    model = CaseEvent
    fields = ["created_at", "kind", "actor", "status_after", "note", "file_name"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["created_at", "pk"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(BureauAdminPermissions, admin.ModelAdmin):
    list_display = [
        "pk",
        "rule",
        "kind",
        "section",
        "township",
        "household",
        "member",
        "status",
        "finding_holds",
        "due_date",
    ]
    list_filter = ["status", "section", "kind", "township", "finding_holds"]
    search_fields = ["rule", "household__household_no", "member__name", "message"]
    list_select_related = ["township", "household", "member"]
    inlines = [CaseEventInline]
    readonly_fields = [
        "rule",
        "kind",
        "section",
        "policy",
        "household",
        "member",
        "township",
        "campaign",
        "due_date",
        "status",
        "resolution",
        "message",
        "finding_holds",
        "last_checked_on",
        "opened_at",
        "updated_at",
        "closed_at",
        "version",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return Case.objects.visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
