"""Writes on users: one place for the CLI, the admin and the demo."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from households.models import Township
from households.townships import find_township

from .models import AuditEvent, Section, User
from .network import client_ip

ROLE_NAMES = {label: value for value, label in User.Role.choices} | {
    "局领导": User.Role.BUREAU_ADMIN,
    "管理员": User.Role.BUREAU_ADMIN,
}
SECTION_NAMES = {label: value for value, label in Section.choices}


def resolve_role(text: str) -> str:
    if text in User.Role.values:
        return text
    if text in ROLE_NAMES:
        return ROLE_NAMES[text]
    choices = "、".join(f"{v}（{lbl}）" for v, lbl in User.Role.choices)
    raise ValidationError(f"未知角色“{text}”，可选：{choices}")


def resolve_section(text: str) -> str:
    if text in Section.values:
        return text
    if text in SECTION_NAMES:
        return SECTION_NAMES[text]
    choices = "、".join(f"{v}（{lbl}）" for v, lbl in Section.choices)
    raise ValidationError(f"未知科室“{text}”，可选：{choices}")


def resolve_township(text: str) -> Township:
    township = find_township(text)
    if township is None:
        raise ValidationError(
            f"未知乡镇（街道）“{text}”，请填写本县18个乡镇（街道）之一"
        )
    return township


@transaction.atomic
def user_save(
    *,
    username: str,
    role: str,
    password: str,
    township: str | None = None,
    section: str | None = None,
    full_name: str = "",
) -> tuple[User, bool]:
    """Create or update a user; raise ValidationError with a Chinese reason."""
    role = resolve_role(role)
    township_obj = resolve_township(township) if township else None
    section_code = resolve_section(section) if section else ""
    if role == User.Role.TOWNSHIP_STAFF and township_obj is None:
        raise ValidationError("乡镇经办人员必须指定所属乡镇（街道）（--township）")
    if role == User.Role.SECTION_CHIEF and not section_code:
        raise ValidationError("科室负责人必须指定所属科室（--section）")
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username)
    user.role = role
    user.township = township_obj if role == User.Role.TOWNSHIP_STAFF else None
    user.section = section_code if role == User.Role.SECTION_CHIEF else ""
    user.is_staff = role == User.Role.BUREAU_ADMIN
    if full_name:
        user.first_name = full_name
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError("密码不符合要求：" + "；".join(exc.messages)) from exc
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user, created


@transaction.atomic
def audit_event_record(
    *,
    user,
    action: str,
    target: str,
    township: Township | None = None,
    scope: str = "",
    target_url: str = "",
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one row to the audit log (who, when, what, which area, where from)."""
    event = AuditEvent(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        target=target[:300],
        target_url=target_url[:300],
        township=township,
        scope=scope[:200],
        ip_address=ip_address,
    )
    event.full_clean()
    event.save()
    return event


def audit_request(
    request,
    *,
    action: str,
    target: str,
    township: Township | None = None,
    scope: str = "",
    target_url: str = "",
) -> AuditEvent:
    """:func:`audit_event_record` for the user and address of ``request``."""
    return audit_event_record(
        user=request.user,
        action=action,
        target=target,
        township=township,
        scope=scope or (township.name if township is not None else "全县"),
        target_url=target_url,
        ip_address=client_ip(request),
    )
