from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from households.models import Township

from .models import AuditEvent


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确，请重新输入（注意区分大小写）。",
        "inactive": "该账号已停用，请联系县民政局管理员。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].widget.attrs.update(
            {"class": "form-control", "autocomplete": "username", "autofocus": True}
        )
        self.fields["password"].widget.attrs.update(
            {"class": "form-control", "autocomplete": "current-password"}
        )
        self.fields["username"].widget = forms.TextInput(
            attrs=self.fields["username"].widget.attrs
        )


class PortalPasswordChangeForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "原密码不正确，请重新输入。",
        "password_mismatch": "两次输入的新密码不一致。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "old_password": "原密码",
            "new_password1": "新密码",
            "new_password2": "再次输入新密码",
        }
        for name, field in self.fields.items():
            field.label = labels[name]
            field.widget.attrs["class"] = "form-control"
        self.fields["new_password1"].help_text = "".join(
            password_validation.password_validators_help_texts()
        )
        self.fields["new_password2"].help_text = ""


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label="操作",
        required=False,
        choices=[("", "全部操作"), *AuditEvent.Action.choices],
    )
    township = forms.ModelChoiceField(
        label="乡镇（街道）",
        queryset=Township.objects.all(),
        required=False,
        empty_label="全部乡镇（街道）",
    )
    user = forms.CharField(label="操作人用户名", required=False, max_length=150)
    since = forms.DateField(
        label="起始日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label="截止日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
