"""Django admin for campaigns and household checks.

Campaign saves go through :func:`checklists.services.campaign_save`, so
making one current un-marks the other here too.  Checks are written by the
rule runs and the inspection confirmations: read-only in the admin.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance

from households.admin import BureauAdminPermissions

from . import services
from .models import Campaign, HouseholdCheck


class CampaignAdminForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "inspection_start",
            "inspection_end",
            "due_date",
            "report_due",
            "is_current",
        ]

    def _post_clean(self):
        # Model validation would refuse a second current campaign before the
        # service gets to un-mark the first: check fields and dates only.
        self.instance = construct_instance(self, self.instance, self._meta.fields)
        try:
            self.instance.full_clean(validate_constraints=False)
            services.check_campaign_dates(
                inspection_start=self.instance.inspection_start,
                inspection_end=self.instance.inspection_end,
                due_date=self.instance.due_date,
                report_due=self.instance.report_due,
            )
        except ValidationError as exc:
            self._update_errors(exc)


@admin.register(Campaign)
class CampaignAdmin(BureauAdminPermissions, admin.ModelAdmin):
    form = CampaignAdminForm
    list_display = [
        "name",
        "inspection_start",
        "inspection_end",
        "due_date",
        "report_due",
        "is_current",
    ]
    fields = [
        "name",
        "inspection_start",
        "inspection_end",
        "due_date",
        "report_due",
        "is_current",
    ]

    def has_delete_permission(self, request, obj=None):
        # Deleting a campaign would delete its inspection records.
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.campaign_save(
            campaign=obj if change else None,
            name=data["name"],
            inspection_start=data["inspection_start"],
            inspection_end=data["inspection_end"],
            due_date=data["due_date"],
            report_due=data["report_due"],
            is_current=data["is_current"],
        )
        obj.pk = saved.pk


@admin.register(HouseholdCheck)
class HouseholdCheckAdmin(BureauAdminPermissions, admin.ModelAdmin):
    list_display = [
        "campaign",
        "household",
        "evaluated_on",
        "inspected_by",
        "inspected_at",
    ]
    list_filter = ["campaign", "household__township"]
    search_fields = ["household__household_no"]
    list_select_related = ["campaign", "household", "inspected_by"]
    readonly_fields = [
        "campaign",
        "household",
        "outcomes",
        "evaluated_on",
        "inspected_by",
        "inspected_at",
        "note",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
