"""Browser forms for the registry; the services do the writing."""

from django import forms

from . import idnumbers
from .models import Household, Member, Township, Village


class BootstrapMixin:
    """Give every widget Bootstrap's classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            else:
                widget.attrs.setdefault("class", "form-control")

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                css = widget.attrs.get("class", "")
                if "is-invalid" not in css:
                    widget.attrs["class"] = f"{css} is-invalid".strip()


class HouseholdForm(BootstrapMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    new_village = forms.CharField(
        label="或新增村（居）",
        max_length=50,
        required=False,
        help_text="列表中没有时填写，如“东关村”“城东社区”",
    )

    class Meta:
        model = Household
        fields = [
            "household_no",
            "village",
            "poverty_type",
            "poverty_status",
            "income_per_capita",
            "employment_costs",
            "rigid_expenses",
            "address",
            "phone",
        ]
        widgets = {
            "income_per_capita": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
            "employment_costs": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
            "rigid_expenses": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        }

    def __init__(self, *args, user, township: Township | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.township = township
        villages = Village.objects.visible_to(user).select_related("township")
        if township is not None:
            villages = villages.filter(township=township)
        self.fields["village"].queryset = villages
        self.fields["village"].required = False
        self.fields["village"].label_from_instance = lambda v: (
            v.name if township else f"{v.township.short_name} · {v.name}"
        )
        self.fields["poverty_type"].required = False
        self.fields["poverty_status"].required = False
        if self.instance.pk:
            self.fields["household_no"].disabled = True
            self.fields["version"].initial = self.instance.version
        if township is None:
            self.fields.pop("new_village")

    def clean_household_no(self):
        value = "".join(self.cleaned_data["household_no"].split())
        if not value:
            raise forms.ValidationError("请填写户编号")
        return value

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("village") and not cleaned.get("new_village"):
            self.add_error("village", "请选择村（居），或在下方填写新增的村（居）名称")
        return cleaned


class MemberForm(BootstrapMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Member
        fields = [
            "name",
            "id_number",
            "relation",
            "ethnicity",
            "health",
            "disability_category",
            "disability_grade",
            "disability_cert_no",
            "labor_capacity",
            "self_care",
            "employment",
            "supporter_status",
            "willing_centralized",
            "phone",
            "deceased",
            "note",
        ]
        widgets = {"id_number": forms.TextInput(attrs={"autocomplete": "off"})}
        help_texts = {
            "id_number": "18位，最后一位可为X；性别和出生日期由号码自动得出",
            "supporter_status": "有无有履行能力的配偶、子女、父母（含不在本户的）",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"].max_length = 40
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            # The page shows the masked number; the full one only after the
            # recorded "show" action.  Left as shown, the number is kept.
            self.initial["id_number"] = self.instance.masked_id
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = (
                "为保护隐私只显示部分号码；保持不变即不修改，"
                "如需更正请输入完整的18位新号码"
            )

    def clean_id_number(self):
        value = self.cleaned_data["id_number"]
        if self.instance.pk and value.strip() in ("", self.instance.masked_id):
            return self.instance.id_number
        try:
            return idnumbers.parse(value).number
        except idnumbers.IdNumberError as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean(self):
        cleaned = super().clean()
        category = cleaned.get("disability_category")
        grade = cleaned.get("disability_grade")
        if bool(category) != bool(grade):
            self.add_error(
                "disability_grade" if category else "disability_category",
                "残疾类别和残疾等级需同时填写",
            )
        cert = "".join((cleaned.get("disability_cert_no") or "").split()).upper()
        cleaned["disability_cert_no"] = cert
        if cert and len(cert) != 20:
            self.add_error(
                "disability_cert_no", "残疾人证号应为20位（身份证号码+类别+等级）"
            )
        return cleaned

    def _post_clean(self):
        # Uniqueness and the rest are the service's job, with a clearer message.
        pass


class HouseholdFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": "姓名、身份证号码（或末4位）、户编号",
                "title": "一两个字查找姓名的开头或结尾（姓氏、名字），三个字及以上查找姓名中任意位置",
            }
        ),
    )
    township = forms.ModelChoiceField(
        label="乡镇（街道）",
        queryset=Township.objects.none(),
        required=False,
        empty_label="全部乡镇",
    )
    village = forms.ModelChoiceField(
        label="村（居）",
        queryset=Village.objects.none(),
        required=False,
        empty_label="全部村（居）",
    )
    poverty_type = forms.ChoiceField(label="贫困户属性", required=False)
    poverty_status = forms.ChoiceField(label="脱贫状态", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .choices import PovertyStatus, PovertyType

        self.fields["poverty_type"].choices = [("", "全部属性"), *PovertyType.choices]
        self.fields["poverty_status"].choices = [
            ("", "全部状态"),
            *PovertyStatus.choices,
        ]
        villages = Village.objects.visible_to(user).select_related("township")
        if user.is_township_staff:
            self.fields.pop("township")
        else:
            self.fields["township"].queryset = Township.objects.visible_to(user)
            township_id = self.data.get("township")
            if township_id and str(township_id).isdigit():
                villages = villages.filter(township_id=township_id)
        self.fields["village"].queryset = villages
