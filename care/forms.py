"""Browser forms for the care pages; the services do the writing."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone

from households.forms import BootstrapMixin
from households.models import Member, Township, Village

from .models import (
    CareServiceItem,
    Child,
    ChildCategory,
    ChildDirector,
    ChildSupervisor,
    DifficultyType,
    ElderlyPerson,
    ElderlyVisit,
    Institution,
    SocialOrganization,
    VillageWorkPoint,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _blank(choices, label="—"):
    return [("", label), *choices]


def _villages(township: Township):
    return Village.objects.filter(township=township).order_by("name")


class _Filter(BootstrapMixin, forms.Form):
    """Search box, township (for the county-wide roles) and village."""

    q = forms.CharField(
        label="搜索",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "姓名或身份证号码"}),
    )
    township = forms.ModelChoiceField(
        label="乡镇（街道）", queryset=Township.objects.none(), required=False
    )
    village = forms.ModelChoiceField(
        label="村（居）", queryset=Village.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        townships = Township.objects.visible_to(user).order_by("order")
        if user.is_township_staff:
            del self.fields["township"]
            villages = Village.objects.filter(township=user.township)
        else:
            self.fields["township"].queryset = townships
            self.fields["township"].empty_label = "全部乡镇（街道）"
            chosen = self.data.get("township") if self.is_bound else None
            if chosen and str(chosen).isdigit():
                villages = Village.objects.filter(
                    township__in=townships, township_id=int(chosen)
                )
            else:
                villages = Village.objects.none()
        self.fields["village"].queryset = villages.order_by("name")
        self.fields["village"].empty_label = "全部村（居）"

    def apply(self, queryset):
        """The people matching the filter (an invalid filter: all)."""
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        text = "".join((data.get("q") or "").split())
        if text:
            number = text.upper()
            queryset = queryset.filter(
                Q(name__contains=text)
                | Q(id_number__startswith=number)
                | Q(id_number__endswith=number)
            )
        if data.get("township"):
            queryset = queryset.filter(township=data["township"])
        if data.get("village"):
            queryset = queryset.filter(village=data["village"])
        return queryset


class ElderlyFilterForm(_Filter):
    STATUS_CHOICES = [
        ("", "全部"),
        ("overdue", "探访逾期"),
        ("no_contact", "未明确联络人"),
        ("no_helper", "未明确帮扶联系人"),
        ("removed", "已移出台账"),
    ]
    status = forms.ChoiceField(label="状态", choices=STATUS_CHOICES, required=False)


class ChildFilterForm(_Filter):
    category = forms.ChoiceField(
        label="儿童类别", choices=_blank(ChildCategory.choices, "全部"), required=False
    )
    STATUS_CHOICES = [
        ("", "全部"),
        ("overdue", "巡查探访逾期"),
        ("no_guardian", "未登记监护人"),
        ("removed", "已移出台账"),
    ]
    status = forms.ChoiceField(label="状态", choices=STATUS_CHOICES, required=False)


class _PersonForm(BootstrapMixin, forms.ModelForm):
    """The register's fields; identity (name, ID number) only when new."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, township: Township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = _villages(township)
        self.fields["village"].empty_label = "请选择村（居）"
        if self.instance.pk:
            for name in ("name", "id_number"):
                self.fields.pop(name, None)
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["registered_on"].initial = timezone.localdate()
            self.fields[
                "id_number"
            ].help_text = "与建档立卡户成员一致时自动关联；性别和出生日期按号码记录"

    def service_values(self) -> dict:
        """cleaned_data minus what the service takes separately."""
        data = dict(self.cleaned_data)
        for name in ("version", "name", "id_number", "services"):
            data.pop(name, None)
        return data


class ElderlyForm(_PersonForm):
    services = forms.ModelMultipleChoiceField(
        label="关爱服务内容",
        queryset=CareServiceItem.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ElderlyPerson
        fields = [
            "village",
            "name",
            "id_number",
            "registered_on",
            "living_situation",
            "self_care",
            "phone",
            "address",
            "contact_name",
            "contact_relation",
            "contact_phone",
            "helper_name",
            "helper_phone",
            "services",
            "note",
        ]
        widgets = {"registered_on": DateInput()}
        help_texts = {
            "contact_name": "子女或亲属等负责日常联络的人",
            "helper_name": "村干部、党员、志愿者等结对帮扶人",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].widget.attrs = {}
        self.fields["living_situation"].choices = _blank(
            self.fields["living_situation"].choices[1:]
        )


class ChildForm(_PersonForm):
    class Meta:
        model = Child
        fields = [
            "village",
            "name",
            "id_number",
            "registered_on",
            "category",
            "difficulty_type",
            "guardian_name",
            "guardian_relation",
            "guardian_phone",
            "school",
            "address",
            "note",
        ]
        widgets = {"registered_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _blank(ChildCategory.choices, "请选择")
        self.fields["difficulty_type"].choices = _blank(DifficultyType.choices)


class VisitForm(BootstrapMixin, forms.ModelForm):
    """A visit's fields (the same for elderly people and children)."""

    class Meta:
        model = ElderlyVisit
        fields = ["visit_date", "method", "visitor", "situation", "needs", "follow_up"]
        widgets = {
            "visit_date": DateInput(),
            "situation": forms.Textarea(attrs={"rows": 3}),
            "needs": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "situation": "身体、生活、居住、安全等情况",
            "needs": "本人提出或发现的需求",
            "follow_up": "需要落实的事项、转介的部门",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit_date"].initial = timezone.localdate()
        if user is not None:
            self.fields["visitor"].initial = user.get_full_name() or user.username


class RemoveForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label="移出原因",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "如：子女返乡照料、迁出、死亡"}),
    )


class SupervisorForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ChildSupervisor
        fields = ["name", "phone", "staffing", "appointed_on"]
        widgets = {"appointed_on": DateInput()}


class DirectorForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ChildDirector
        fields = ["name", "phone", "staffing", "appointed_on"]
        widgets = {"appointed_on": DateInput()}


class InstitutionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Institution
        fields = [
            "kind",
            "name",
            "village",
            "address",
            "status",
            "beds",
            "residents",
            "manager",
            "phone",
            "note",
        ]
        help_texts = {"village": "农村幸福院填写所在村（居）；区域性敬老院可不填"}

    def __init__(self, *args, township: Township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = _villages(township)
        self.fields["village"].empty_label = "—"
        self.fields["kind"].choices = _blank(Institution.Kind.choices, "请选择")


class ResidentForm(BootstrapMixin, forms.Form):
    member = forms.ModelChoiceField(
        label="集中供养特困人员", queryset=Member.objects.none()
    )
    admitted_on = forms.DateField(label="入住日期", required=False, widget=DateInput())

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = candidates
        self.fields["member"].empty_label = "请选择"
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.name}（{m.masked_id}，{m.household.village.name}）"
        )


class VillageWorkPointForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = VillageWorkPoint
        fields = [
            "poor_village",
            "council_established",
            "council_updated",
            "rules_in_place",
            "rules_updated",
            "disclosure_in_place",
            "disclosure_updated",
            "note",
        ]
        widgets = {
            "council_updated": DateInput(),
            "rules_updated": DateInput(),
            "disclosure_updated": DateInput(),
        }


class CharityDriveForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    amount = forms.DecimalField(
        label="募集金额（元）",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
    )
    donors = forms.IntegerField(label="参与人数", min_value=0, required=False)
    note = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class OrganizationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = SocialOrganization
        fields = ["name", "kind", "activity", "contact_name", "phone", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _blank(SocialOrganization.Kind.choices, "请选择")


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label="名册文件（.xlsx）",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    township = forms.ModelChoiceField(
        label="导入到乡镇（街道）",
        queryset=Township.objects.order_by("order"),
        required=False,
        empty_label="按名册中的“乡镇（街道）”列",
    )
    skip_invalid = forms.BooleanField(
        label="跳过有错误的行，导入其余各行",
        required=False,
        help_text="默认：有任何错误则全部不导入",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_township_staff:
            del self.fields["township"]
