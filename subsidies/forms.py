"""Browser forms for benefits and parameters; the services do the writing."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from households.forms import BootstrapMixin

from .models import Benefit, BenefitType, Enrollment, TemporaryGrant
from .rules.params import (
    BOOL,
    CARE_MODE_LABELS,
    CARE_MODES,
    DECIMAL,
    INT,
    PER_CARE_MODE,
    ParameterSpec,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _blank_choice(choices, label="—"):
    return [("", label), *choices]


class EnrollmentForm(BootstrapMixin, forms.ModelForm):
    """Add or correct one member's enrollment (not temporary assistance)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Enrollment
        fields = [
            "benefit",
            "scope",
            "care_mode",
            "status",
            "start",
            "end",
            "end_reason",
            "amount",
            "note",
        ]
        labels = {
            "scope": "保障方式（仅低保）",
            "care_mode": "供养方式（仅特困供养）",
            "start": "开始日期",
            "amount": "月标准（元）",
        }
        help_texts = {
            "start": "待审批的申请填申请日期",
            "end": "在保的可不填",
            "end_reason": "仅停保时填写",
        }
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "amount": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        benefit = self.fields["benefit"]
        benefit.queryset = BenefitType.objects.exclude(
            code=Benefit.TEMPORARY_ASSISTANCE
        ).order_by("order")
        benefit.empty_label = "请选择项目"
        self.fields["scope"].choices = _blank_choice(Enrollment.Scope.choices)
        self.fields["care_mode"].choices = _blank_choice(Enrollment.CareMode.choices)
        self.fields["end_reason"].choices = _blank_choice(Enrollment.EndReason.choices)
        if self.instance.pk:
            benefit.disabled = True
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["start"].initial = timezone.localdate()


class EnrollmentEndForm(BootstrapMixin, forms.Form):
    end = forms.DateField(label="停保日期", widget=DateInput())
    end_reason = forms.ChoiceField(
        label="停保原因",
        choices=_blank_choice(Enrollment.EndReason.choices, "请选择"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end"].initial = timezone.localdate()


class EnrollmentExtendForm(BootstrapMixin, forms.Form):
    review_date = forms.DateField(
        label="复核日期", widget=DateInput(), help_text="决定延保的复核日期"
    )
    end_reason = forms.ChoiceField(
        label="不再符合低保条件的原因",
        choices=[
            (Enrollment.EndReason.EMPLOYMENT, "家庭成员就业"),
            (Enrollment.EndReason.IMPROVED, "家庭经济、生活状况改善"),
        ],
    )

    def __init__(self, *args, enrollment: Enrollment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_date"].initial = timezone.localdate()
        if enrollment.end_reason == Enrollment.EndReason.EMPLOYMENT:
            self.fields["end_reason"].initial = Enrollment.EndReason.EMPLOYMENT
        else:
            self.fields["end_reason"].initial = Enrollment.EndReason.IMPROVED


class EnrollmentReviewForm(BootstrapMixin, forms.Form):
    review_date = forms.DateField(label="复核日期", widget=DateInput())
    decision = forms.ChoiceField(
        label="复核结论",
        choices=_blank_choice(Enrollment.ReviewDecision.choices, "请选择"),
    )
    end_reason = forms.ChoiceField(
        label="停保原因",
        required=False,
        choices=_blank_choice(Enrollment.EndReason.choices),
        help_text="结论为停保或延保时填写",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_date"].initial = timezone.localdate()


class DibaoHouseholdForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        label="状态",
        choices=[
            (Enrollment.Status.ACTIVE, "在保（已审批）"),
            (Enrollment.Status.PENDING, "待审批（提出申请）"),
        ],
    )
    start = forms.DateField(
        label="开始日期", widget=DateInput(), help_text="待审批的申请填申请日期"
    )
    amount = forms.DecimalField(
        label="月标准（元/人）",
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].initial = timezone.localdate()


class GrantForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = TemporaryGrant
        fields = ["date", "amount", "grant_type", "reason"]
        widgets = {
            "date": DateInput(),
            "amount": forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["grant_type"].choices = _blank_choice(
            TemporaryGrant.GrantType.choices
        )


class ParameterValueForm(BootstrapMixin, forms.Form):
    """A new dated value of one parameter, with a widget fit for its domain.

    :meth:`value_text` gives the text ``parameter_set`` validates, so the
    page, the admin and the command accept exactly the same values.
    """

    effective_from = forms.DateField(label="生效日期", widget=DateInput())
    note = forms.CharField(label="说明（文件依据等）", max_length=300, required=False)

    def __init__(self, *args, spec: ParameterSpec, **kwargs):
        kwargs.setdefault("prefix", spec.name)
        super().__init__(*args, **kwargs)
        self.spec = spec
        fields = {}
        if spec.domain == PER_CARE_MODE:
            fields["mode"] = forms.ChoiceField(
                label="供养方式",
                choices=[(mode, CARE_MODE_LABELS[mode]) for mode in CARE_MODES],
            )
            fields["value"] = forms.ChoiceField(label="取值", choices=spec.choices)
        elif spec.domain == BOOL:
            fields["value"] = forms.ChoiceField(
                label="取值", choices=[("true", "是"), ("false", "否")]
            )
        elif spec.choices:
            fields["value"] = forms.ChoiceField(
                label="取值",
                choices=[(str(code), label) for code, label in spec.choices],
            )
        elif spec.domain == DECIMAL:
            fields["value"] = forms.DecimalField(
                label=f"取值（{spec.unit}）" if spec.unit else "取值",
                min_value=spec.minimum,
                max_value=spec.maximum,
                widget=forms.NumberInput(attrs={"step": "0.01"}),
            )
        elif spec.domain == INT:
            fields["value"] = forms.IntegerField(
                label=f"取值（{spec.unit}）" if spec.unit else "取值",
                min_value=spec.minimum,
                max_value=spec.maximum,
            )
        for name, field in reversed(fields.items()):
            self.fields = {name: field, **self.fields}
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)

    def value_text(self) -> str:
        data = self.cleaned_data
        if self.spec.domain == PER_CARE_MODE:
            return f"{data['mode']}={data['value']}"
        return str(data["value"])
