"""Forms of the ledger pages: the workflow actions and the queue filters."""

from django import forms

from accounts.models import Section
from households.forms import BootstrapMixin
from households.models import Township, Village
from subsidies.rules.catalogue import RULES

from .models import Case


def note_widget():
    return forms.Textarea(attrs={"rows": 3})


class VersionedForm(BootstrapMixin, forms.Form):
    """Carries the case version the page showed: a stale page is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SubmitForm(VersionedForm):
    resolution = forms.ChoiceField(
        label="整改方式",
        choices=[
            (Case.Resolution.RECTIFIED, "已整改（已纳入保障或已纠正）"),
            (Case.Resolution.NOT_APPLICABLE, "不适用（经核实不符合条件，需说明理由）"),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        initial=Case.Resolution.RECTIFIED,
    )
    note = forms.CharField(
        label="整改说明",
        required=False,
        max_length=2000,
        widget=note_widget(),
        help_text="写明采取的措施（如已于某日纳入低保）；选择“不适用”时必须说明理由",
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("resolution") == Case.Resolution.NOT_APPLICABLE
            and not data.get("note", "").strip()
        ):
            self.add_error("note", "选择“不适用”时必须说明理由")
        return data


class VerifyForm(VersionedForm):
    note = forms.CharField(
        label="核实意见", required=False, max_length=2000, widget=note_widget()
    )


class ReturnForm(VersionedForm):
    reason = forms.CharField(label="退回理由", max_length=2000, widget=note_widget())


class DismissForm(VersionedForm):
    note = forms.CharField(
        label="核实意见", required=False, max_length=2000, widget=note_widget()
    )


class CommentForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label="备注", max_length=2000, widget=note_widget())


class EvidenceForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label="材料文件",
        help_text="PDF、JPG 或 PNG，不超过 10 MB（如审批表、告知书、照片）",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
            }
        ),
    )
    note = forms.CharField(label="材料说明", required=False, max_length=500)


class BulkReviewForm(BootstrapMixin, forms.Form):
    ACTIONS = [("verify", "核实销号"), ("return", "退回")]

    action = forms.ChoiceField(label="操作", choices=ACTIONS)
    cases = forms.TypedMultipleChoiceField(
        label="问题",
        coerce=int,
        choices=(),
        error_messages={"required": "请先勾选问题"},
    )
    note = forms.CharField(label="意见（退回时必填）", required=False, max_length=2000)

    def __init__(self, *args, case_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(pk, pk) for pk in case_ids]

    def clean(self):
        data = super().clean()
        if data.get("action") == "return" and not data.get("note", "").strip():
            self.add_error("note", "退回时必须填写理由")
        return data


STATUS_CHOICES = [("", "全部状态"), *Case.Status.choices]
DUE_CHOICES = [
    ("", "不限"),
    ("overdue", "已逾期"),
    ("due_soon", "7日内到期"),
    ("none", "无整改期限"),
]


class QueueFilterForm(BootstrapMixin, forms.Form):
    """The queue's filters; every field optional, unknown values ignored."""

    township = forms.ModelChoiceField(
        label="乡镇（街道）",
        queryset=Township.objects.none(),
        required=False,
        empty_label="全部乡镇（街道）",
    )
    village = forms.ModelChoiceField(
        label="村（居）",
        queryset=Village.objects.none(),
        required=False,
        empty_label="全部村（居）",
    )
    section = forms.ChoiceField(
        label="责任科室",
        choices=[("", "全部科室"), *Section.choices],
        required=False,
    )
    rule = forms.ChoiceField(label="问题类型", required=False)
    status = forms.ChoiceField(label="状态", choices=STATUS_CHOICES, required=False)
    due = forms.ChoiceField(label="整改期限", choices=DUE_CHOICES, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Township.objects.visible_to(user)
        villages = Village.objects.visible_to(user).select_related("township")
        township_id = self.data.get("township") or (
            user.township_id if user.is_township_staff else None
        )
        if township_id and str(township_id).isdigit():
            villages = villages.filter(township_id=township_id)
        else:
            villages = villages.none()
        self.fields["village"].queryset = villages
        self.fields["rule"].choices = [("", "全部问题类型")] + [
            (rule.code, rule.title) for rule in RULES if rule.section
        ]
        if user.is_township_staff:
            del self.fields["township"]
