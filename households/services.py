"""Writes on the registry.  Views, the admin, commands and imports call these.

Every write records history with who and through what (``source``), bumps
the record's ``version`` (a second editor working from a stale copy is
refused, never silently overwritten) and schedules the household's re-check.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from checklists.recheck import household_changed

from . import idnumbers
from .models import Household, Member, Township, Village

FORM = "表单"


class EditConflict(ValidationError):
    """The record changed since the editor loaded it.

    The message says who saved in between, when, and the current value of
    every field where the refused form differs from the record now, so the
    editor sees what changed without losing their own input.
    """

    def __init__(self, instance, changed_fields: list[str]):
        parts = [
            f"{_field_label(instance, name)}（现为{_field_display(instance, name)}）"
            for name in changed_fields
        ]
        detail = "、".join(parts)
        super().__init__(
            f"保存未成功：在您编辑期间，此记录已被他人修改{_last_change(instance)}。"
            f"与您提交的内容不同的有：{detail}。"
            "请刷新页面查看最新内容后重新修改。"
        )
        self.changed_fields = changed_fields


def _field_label(instance, name: str) -> str:
    return str(instance._meta.get_field(name).verbose_name)


def _field_display(instance, name: str) -> str:
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if value is None or value == "":
        return "空"
    if name == "id_number":
        text = idnumbers.mask(value)
    elif field.choices:
        text = str(dict(field.flatchoices).get(value, value))
    elif isinstance(value, bool):
        text = "是" if value else "否"
    else:
        text = str(value)
    return f"“{text}”"


def _last_change(instance) -> str:
    """Who saved last and when, e.g. （张三于 04-01 10:23 保存）, from history."""
    history = getattr(instance, "history", None)
    record = history.select_related("history_user").first() if history else None
    if record is None:
        return ""
    who = str(record.history_user) if record.history_user else "系统"
    when = timezone.localtime(record.history_date)
    return f"（{who}于 {when:%m-%d %H:%M} 保存）"


def _check_can_edit(actor, township_id: int | None) -> None:
    if actor is not None and not actor.can_edit_township(township_id):
        raise PermissionDenied("您没有修改该乡镇（街道）数据的权限")


def _save(instance, *, actor, source: str, fields=None) -> None:
    instance._change_reason = source
    if actor is not None:
        instance._history_user = actor
    instance.full_clean()
    if fields is None:
        instance.save()
    else:
        instance.save(update_fields=[*fields, "version", "updated_at"])


def _apply(instance, values: dict, expected_version: int | None) -> list[str]:
    """Assign ``values``; refuse when ``expected_version`` is stale."""
    if expected_version is not None and instance.version != expected_version:
        # ``instance`` was just read under the row lock: it is current.
        changed = [name for name in values if getattr(instance, name) != values[name]]
        if changed:
            raise EditConflict(instance, changed)
        # The record already holds exactly what was submitted: nothing is lost.
    changed = [
        name for name, value in values.items() if getattr(instance, name) != value
    ]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def village_get_or_create(*, township: Township, name: str) -> Village:
    name = "".join(name.split())
    if not name:
        raise ValidationError("请填写村（居）名称")
    village, _ = Village.objects.get_or_create(
        township=township, name=name, defaults={"kind": Village.kind_for_name(name)}
    )
    return village


@transaction.atomic
def household_create(
    *,
    household_no: str,
    village: Village,
    actor=None,
    source: str = FORM,
    poverty_type: str = "",
    poverty_status: str = "",
    income_per_capita: Decimal | None = None,
    employment_costs: Decimal | None = None,
    rigid_expenses: Decimal | None = None,
    address: str = "",
    phone: str = "",
) -> Household:
    _check_can_edit(actor, village.township_id)
    household = Household(
        household_no=household_no.strip(),
        township_id=village.township_id,
        village=village,
        poverty_type=poverty_type,
        poverty_status=poverty_status,
        income_per_capita=income_per_capita,
        employment_costs=employment_costs,
        rigid_expenses=rigid_expenses,
        address=address,
        phone=phone,
    )
    _save(household, actor=actor, source=source)
    household_changed([household.pk])
    return household


@transaction.atomic
def household_update(
    *,
    household: Household,
    actor=None,
    source: str = FORM,
    expected_version: int | None = None,
    **values,
) -> list[str]:
    """Update the given fields; return the names of those that changed."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    _check_can_edit(actor, household.township_id)
    if "village" in values and values["village"].township_id != household.township_id:
        raise ValidationError("村（居）必须属于本户所在的乡镇（街道）")
    changed = _apply(household, values, expected_version)
    if changed:
        household.version += 1
        _save(household, actor=actor, source=source, fields=changed)
        household_changed([household.pk])
    return changed


@transaction.atomic
def household_remove(*, household: Household, actor=None, source: str = FORM) -> None:
    """Soft-delete a household and its members; history keeps everything."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    _check_can_edit(actor, household.township_id)
    for member in household.members.filter(removed=False):
        member.removed = True
        member.version += 1
        _save(member, actor=actor, source=source, fields=["removed"])
    household.removed = True
    household.version += 1
    _save(household, actor=actor, source=source, fields=["removed"])
    household_changed([household.pk])


def _identity(id_number: str) -> dict:
    """Normalise and validate; derive sex and birth date from the number."""
    try:
        parsed = idnumbers.parse(id_number)
    except idnumbers.IdNumberError as exc:
        raise ValidationError({"id_number": exc.message}) from exc
    return {
        "id_number": parsed.number,
        "sex": parsed.sex,
        "birth_date": parsed.birth_date,
    }


def _check_id_free(id_number: str, *, exclude_pk: int | None = None) -> None:
    other = (
        Member.objects.filter(id_number=id_number, removed=False)
        .exclude(pk=exclude_pk)
        .select_related("household")
        .first()
    )
    if other is not None:
        raise ValidationError(
            {
                "id_number": f"该身份证号码已登记在户 {other.household.household_no}"
                f"（{other.name}），同一人不能重复登记"
            }
        )


@transaction.atomic
def member_create(
    *,
    household: Household,
    name: str,
    id_number: str,
    relation: str,
    actor=None,
    source: str = FORM,
    **fields,
) -> Member:
    _check_can_edit(actor, household.township_id)
    identity = _identity(id_number)
    _check_id_free(identity["id_number"])
    member = Member(
        household=household,
        name="".join(name.split()),
        relation=relation,
        **identity,
        **fields,
    )
    _save(member, actor=actor, source=source)
    household_changed([household.pk])
    return member


@transaction.atomic
def member_update(
    *,
    member: Member,
    actor=None,
    source: str = FORM,
    expected_version: int | None = None,
    **values,
) -> list[str]:
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_can_edit(actor, member.household.township_id)
    if "name" in values:
        values["name"] = "".join(values["name"].split())
    if "id_number" in values:
        identity = _identity(values["id_number"])
        if identity["id_number"] != member.id_number:
            _check_id_free(identity["id_number"], exclude_pk=member.pk)
        values.update(identity)
    changed = _apply(member, values, expected_version)
    if changed:
        member.version += 1
        _save(member, actor=actor, source=source, fields=changed)
        household_changed([member.household_id])
    return changed


@transaction.atomic
def member_remove(*, member: Member, actor=None, source: str = FORM) -> None:
    """Soft-delete: the member leaves lists and rules, history stays."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_can_edit(actor, member.household.township_id)
    member.removed = True
    member.version += 1
    _save(member, actor=actor, source=source, fields=["removed"])
    household_changed([member.household_id])
