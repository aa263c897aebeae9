"""Forms of the self-inspection pages; the services do the writing."""

from django import forms

from households.forms import BootstrapMixin


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="活动名称", max_length=100)
    inspection_start = forms.DateField(label="排查开始日期", widget=date_input())
    inspection_end = forms.DateField(label="排查结束日期", widget=date_input())
    due_date = forms.DateField(
        label="整改期限",
        widget=date_input(),
        help_text="新发现的问题以此为整改期限；已有问题在下次规则核查时同步",
    )
    report_due = forms.DateField(label="报告截止日期", widget=date_input())
    is_current = forms.BooleanField(
        label="设为当前活动",
        required=False,
        help_text="同一时间只能有一个当前活动；勾选后原当前活动自动取消",
    )


class ConfirmCheckForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label="排查说明",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：已入户核实，家庭情况与登记一致",
    )
