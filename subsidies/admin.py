"""Django admin for the bureau admin: the same services as the pages.

Only the bureau admin reaches the Django admin (``is_staff``), so the
querysets are not area-scoped.  Saves go through the services, so the
history gets the channel "管理后台" and the ledger re-checks the household.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from simple_history.admin import SimpleHistoryAdmin

from households.admin import BureauAdminPermissions

from . import services
from .models import BenefitType, Enrollment, PolicyParameter, TemporaryGrant
from .parameters import display_value, parameter_set
from .rules.params import PARAMETER_SPECS, format_value, parse_value

ADMIN = "管理后台"


@admin.register(BenefitType)
class BenefitTypeAdmin(BureauAdminPermissions, admin.ModelAdmin):
    """The catalogue ships as data; codes are stable and never edited."""

    list_display = ["code", "name", "short_name", "section", "order"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EnrollmentAdminForm(forms.ModelForm):
    """Shows the services' refusals on the form instead of failing on save."""

    class Meta:
        model = Enrollment
        fields = [
            "member",
            "benefit",
            "scope",
            "care_mode",
            "status",
            "start",
            "end",
            "end_reason",
            "amount",
            "review_date",
            "review_decision",
            "note",
        ]

    def _post_clean(self):
        super()._post_clean()
        if self.errors or not hasattr(self.instance, "member"):
            return
        check_member = self.instance.pk is None or "status" in self.changed_data
        try:
            services.validate_enrollment(self.instance, check_member=check_member)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, messages in exc.message_dict.items():
                    target = field if field in self.fields else None
                    for message in messages:
                        self.add_error(target, message)
            else:
                self.add_error(None, exc)


@admin.register(Enrollment)
class EnrollmentAdmin(BureauAdminPermissions, SimpleHistoryAdmin):
    form = EnrollmentAdminForm
    list_display = [
        "member",
        "benefit",
        "scope",
        "care_mode",
        "status",
        "start",
        "end",
        "amount",
    ]
    list_filter = ["benefit", "status", "scope", "care_mode"]
    list_select_related = ["member", "benefit"]
    search_fields = [
        "member__name",
        "member__id_number",
        "member__household__household_no",
    ]
    raw_id_fields = ["member"]
    date_hierarchy = "start"
    fields = EnrollmentAdminForm.Meta.fields

    def get_readonly_fields(self, request, obj=None):
        return ["member", "benefit"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            stored = Enrollment.objects.get(pk=obj.pk)
            services.enrollment_update(
                enrollment=stored,
                actor=request.user,
                source=ADMIN,
                **{
                    name: form.cleaned_data.get(name)
                    for name in services.UPDATABLE_FIELDS
                },
            )
            obj.pk = stored.pk
        else:
            created = services.enrollment_start(
                member=obj.member,
                benefit=obj.benefit,
                scope=obj.scope,
                care_mode=obj.care_mode,
                status=obj.status,
                start=obj.start,
                end=obj.end,
                end_reason=obj.end_reason,
                amount=obj.amount,
                note=obj.note,
                actor=request.user,
                source=ADMIN,
            )
            if obj.review_date or obj.review_decision:
                services.enrollment_update(
                    enrollment=created,
                    actor=request.user,
                    source=ADMIN,
                    review_date=obj.review_date,
                    review_decision=obj.review_decision,
                )
            obj.pk = created.pk

    def delete_model(self, request, obj):
        services.enrollment_delete(enrollment=obj, actor=request.user, source=ADMIN)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("member"):
            self.delete_model(request, obj)


@admin.register(TemporaryGrant)
class TemporaryGrantAdmin(BureauAdminPermissions, SimpleHistoryAdmin):
    list_display = ["member", "date", "amount", "grant_type", "reason"]
    list_filter = ["grant_type"]
    list_select_related = ["member"]
    search_fields = ["member__name", "member__id_number"]
    raw_id_fields = ["member"]
    date_hierarchy = "date"

    def has_change_permission(self, request, obj=None):
        # A wrong grant is deleted and recorded again, like in the books.
        return False

    def save_model(self, request, obj, form, change):
        grant = services.grant_record(
            member=obj.member,
            date=obj.date,
            amount=obj.amount,
            grant_type=obj.grant_type,
            reason=obj.reason,
            actor=request.user,
            source=ADMIN,
        )
        obj.pk = grant.pk

    def delete_model(self, request, obj):
        services.grant_delete(grant=obj, actor=request.user, source=ADMIN)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("member"):
            self.delete_model(request, obj)


class PolicyParameterForm(forms.ModelForm):
    """The value is typed as text and validated like ``set_parameter``."""

    name = forms.ChoiceField(
        label="参数",
        choices=[
            (name, f"{spec.label}（{name}）") for name, spec in PARAMETER_SPECS.items()
        ],
    )
    value_text = forms.CharField(
        label="取值",
        help_text="与 set_parameter 命令相同的写法，例如 4560、true、grade1_2、dispersed=yes",
    )

    class Meta:
        model = PolicyParameter
        fields = ["name", "effective_from", "is_placeholder", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields.pop("name", None)
            value = self.instance.value
            if isinstance(value, dict):
                # Both care modes are stored; the text form sets one.
                value = "；".join(f"{mode}={choice}" for mode, choice in value.items())
            else:
                value = format_value(self.instance.name, value)
            self.fields["value_text"].initial = value

    def texts(self) -> list[str]:
        text = self.cleaned_data.get("value_text", "")
        return [
            part.strip() for part in text.replace(";", "；").split("；") if part.strip()
        ]

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name") or self.instance.name
        if name and cleaned.get("value_text"):
            for text in self.texts():
                try:
                    parse_value(name, text)
                except ValueError as exc:
                    self.add_error("value_text", str(exc))
        return cleaned

    def _post_clean(self):
        # Copy the fields only: ``value`` is not a form field, and
        # parameter_set validates and writes the row in save_model.
        self.instance = construct_instance(
            self, self.instance, self._meta.fields, self._meta.exclude
        )


@admin.register(PolicyParameter)
class PolicyParameterAdmin(BureauAdminPermissions, SimpleHistoryAdmin):
    form = PolicyParameterForm
    list_display = [
        "name",
        "label",
        "shown_value",
        "effective_from",
        "is_placeholder",
        "set_by",
    ]
    list_filter = ["name", "is_placeholder"]
    list_select_related = ["set_by"]
    readonly_fields = ["set_by", "created_at"]

    @admin.display(description="名称")
    def label(self, obj):
        spec = PARAMETER_SPECS.get(obj.name)
        return spec.label if spec else obj.name

    @admin.display(description="取值")
    def shown_value(self, obj):
        if obj.name not in PARAMETER_SPECS:
            return str(obj.value)
        return display_value(obj.name, obj.value)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["name", "effective_from", *self.readonly_fields]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        for text in form.texts():
            saved = parameter_set(
                name=obj.name,
                value_text=text,
                effective_from=obj.effective_from,
                actor=request.user,
                is_placeholder=form.cleaned_data.get("is_placeholder", False),
                note=form.cleaned_data.get("note", ""),
                source=ADMIN,
            )
        obj.pk, obj.value = saved.pk, saved.value
