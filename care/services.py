"""Writes on the care registers.  Views, the admin, commands and imports
call these.

Every write checks that the actor may edit the township (staff their own,
the admin any; section chiefs read only), validates with ``full_clean``,
and records history with who and through what (``source``: "表单",
"命令行", "关爱名册导入批次#3", "演示数据").
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from households import idnumbers
from households.models import Member, Township, Village
from subsidies.models import Enrollment

from .models import (
    CareServiceItem,
    CharityDrive,
    Child,
    ChildCategory,
    ChildDirector,
    ChildSupervisor,
    ChildVisit,
    ElderlyPerson,
    ElderlyVisit,
    Institution,
    InstitutionResident,
    SocialOrganization,
    VillageWorkPoint,
)

FORM = "表单"
ELDERLY_MIN_AGE = 60  # 农村留守老年人: 60 周岁以上
CHILD_MAX_AGE = 18  # 儿童: 未满 18 周岁

ELDERLY_FIELDS = (
    "address",
    "living_situation",
    "self_care",
    "phone",
    "contact_name",
    "contact_relation",
    "contact_phone",
    "helper_name",
    "helper_phone",
    "note",
)
CHILD_FIELDS = (
    "category",
    "difficulty_type",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
    "school",
    "address",
    "note",
)


class EditConflict(ValidationError):
    """The record changed since the editor loaded it."""

    def __init__(self):
        super().__init__(
            "保存未成功：在您编辑期间，其他人已修改了此记录。请查看最新内容后重新修改。"
        )


def check_can_edit(actor, township_id: int | None) -> None:
    """Staff write in their own township, the admin anywhere."""
    if actor is not None and not actor.can_edit_township(township_id):
        raise PermissionDenied("您没有修改该乡镇（街道）关爱服务数据的权限")


def save_recorded(
    instance, *, actor, source: str, fields: list[str] | None = None
) -> None:
    instance._change_reason = source
    if actor is not None:
        instance._history_user = actor
    instance.full_clean()
    if fields is None:
        instance.save()
    else:
        instance.save(update_fields=fields)


def _apply(instance, values: dict) -> list[str]:
    changed = [
        name for name, value in values.items() if getattr(instance, name) != value
    ]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


# People ---------------------------------------------------------------------


def resolve_identity(
    *,
    id_number: str,
    name: str,
    township: Township,
    on: datetime.date,
    min_age: int | None = None,
    max_age: int | None = None,
) -> dict:
    """Validate a person's ID number and link the registry member, if any.

    Returns ``id_number`` (normalised), ``sex``, ``birth_date`` and
    ``member`` (None for a person not in a registered household).  A member
    of another township's household, or a name that differs from the
    registry's, is refused; so is an age outside the register's range.
    """
    try:
        parsed = idnumbers.parse(id_number)
    except idnumbers.IdNumberError as exc:
        raise ValidationError({"id_number": exc.message}) from None
    number = parsed.number
    born = parsed.birth_date
    age = idnumbers.age_on(born, on)
    if age < 0:
        raise ValidationError(
            {"id_number": "身份证号码中的出生日期晚于登记日期，请核对"}
        )
    if min_age is not None and age < min_age:
        raise ValidationError(
            {
                "id_number": f"此人登记时 {age} 周岁，未满 {min_age} 周岁，不属于农村留守老年人"
            }
        )
    if max_age is not None and age >= max_age:
        raise ValidationError(
            {
                "id_number": f"此人登记时已满 {age} 周岁，儿童台账只登记未满 {max_age} 周岁的儿童"
            }
        )
    member = (
        Member.objects.current()
        .filter(id_number=number, household__removed=False)
        .select_related("household__township")
        .first()
    )
    if member is not None:
        if member.household.township_id != township.pk:
            raise ValidationError(
                {
                    "id_number": f"此人是{member.household.township.name}建档立卡户的成员，"
                    "请由该乡镇（街道）登记"
                }
            )
        if "".join(name.split()) != member.name:
            raise ValidationError(
                {
                    "name": f"该身份证号码在建档立卡户中登记的姓名为“{member.name}”，"
                    "与填写的姓名不一致，请核对"
                }
            )
    return {
        "id_number": number,
        "sex": parsed.sex,
        "birth_date": born,
        "member": member,
    }


def _check_village(village: Village, township: Township) -> None:
    if village.township_id != township.pk:
        raise ValidationError({"village": "村（居）必须属于所选的乡镇（街道）"})


def _check_unique(model, id_number: str, *, exclude_pk=None) -> None:
    query = model.objects.current().filter(id_number=id_number)
    if exclude_pk is not None:
        query = query.exclude(pk=exclude_pk)
    other = query.select_related("township").first()
    if other is not None:
        where = other.township.name
        raise ValidationError(
            {
                "id_number": f"此人已在{where}的{model._meta.verbose_name}台账中，不能重复登记"
            }
        )


def _active_services(services: Iterable[CareServiceItem] | None):
    if services is None:
        return None
    return [item for item in services if item is not None]


@transaction.atomic
def elderly_register(
    *,
    village: Village,
    name: str,
    id_number: str,
    actor=None,
    source: str = FORM,
    registered_on: datetime.date | None = None,
    services: Iterable[CareServiceItem] | None = None,
    **fields,
) -> ElderlyPerson:
    """Put a left-behind elderly person (60 or over) on the register."""
    township = village.township
    check_can_edit(actor, township.pk)
    registered_on = registered_on or timezone.localdate()
    identity = resolve_identity(
        id_number=id_number,
        name=name,
        township=township,
        on=registered_on,
        min_age=ELDERLY_MIN_AGE,
    )
    _check_unique(ElderlyPerson, identity["id_number"])
    unknown = set(fields) - set(ELDERLY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    person = ElderlyPerson(
        township=township,
        village=village,
        name="".join(name.split()),
        registered_on=registered_on,
        **identity,
        **fields,
    )
    save_recorded(person, actor=actor, source=source)
    items = _active_services(services)
    if items:
        person.services.set(items)
    return person


@transaction.atomic
def elderly_update(
    *,
    person: ElderlyPerson,
    actor=None,
    source: str = FORM,
    expected_version: int | None = None,
    services: Iterable[CareServiceItem] | None = None,
    **values,
) -> list[str]:
    """Update the given fields (and the services); return what changed."""
    person = ElderlyPerson.objects.select_for_update().get(pk=person.pk)
    check_can_edit(actor, person.township_id)
    if expected_version is not None and person.version != expected_version:
        raise EditConflict()
    unknown = set(values) - {*ELDERLY_FIELDS, "village", "registered_on"}
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if "village" in values:
        _check_village(values["village"], person.township)
    changed = _apply(person, values)
    if changed:
        person.version += 1
        save_recorded(
            person,
            actor=actor,
            source=source,
            fields=[*changed, "version", "updated_at"],
        )
    items = _active_services(services)
    if items is not None:
        before = set(person.services.values_list("pk", flat=True))
        if before != {item.pk for item in items}:
            person._change_reason = source
            if actor is not None:
                person._history_user = actor
            person.services.set(items)
            changed.append("services")
    return changed


def _remove(model, pk: int, *, reason: str, actor, source: str) -> None:
    """Soft-delete one register entry with its reason (history keeps it)."""
    person = model.objects.select_for_update().get(pk=pk)
    check_can_edit(actor, person.township_id)
    if not reason.strip():
        raise ValidationError({"reason": "请填写移出台账的原因"})
    person.removed = True
    person.removed_reason = reason.strip()
    person.version += 1
    save_recorded(
        person,
        actor=actor,
        source=source,
        fields=["removed", "removed_reason", "version", "updated_at"],
    )


@transaction.atomic
def elderly_remove(
    *, person: ElderlyPerson, reason: str, actor=None, source: str = FORM
) -> None:
    """Take a person off the register (moved, died, family returned …)."""
    _remove(ElderlyPerson, person.pk, reason=reason, actor=actor, source=source)


_VISIT_TEXT = ("visitor", "situation", "needs", "follow_up")


def _visit(model, *, person, actor, source: str, **values):
    """Record a visit of ``model`` (elderly or child) after the checks."""
    for name in _VISIT_TEXT:
        values[name] = values[name].strip()
    check_can_edit(actor, person.township_id)
    if person.removed:
        raise ValidationError("此人已移出台账，不能再登记探访")
    visit_date = values.get("visit_date")
    if visit_date is not None and visit_date > timezone.localdate():
        raise ValidationError({"visit_date": "探访日期不能晚于今天"})
    if (
        visit_date is not None
        and visit_date < person.registered_on - datetime.timedelta(days=366)
    ):
        raise ValidationError({"visit_date": "探访日期早于登记日期一年以上，请核对"})
    visit = model(person=person, recorded_by=actor, **values)
    save_recorded(visit, actor=actor, source=source)
    return visit


@transaction.atomic
def elderly_visit_record(
    *,
    person: ElderlyPerson,
    visit_date: datetime.date,
    visitor: str,
    situation: str,
    method: str = "home",
    needs: str = "",
    follow_up: str = "",
    actor=None,
    source: str = FORM,
) -> ElderlyVisit:
    """Record a visit (定期探访) to a left-behind elderly person."""
    return _visit(
        ElderlyVisit,
        person=person,
        actor=actor,
        source=source,
        visit_date=visit_date,
        visitor=visitor,
        situation=situation,
        method=method,
        needs=needs,
        follow_up=follow_up,
    )


def _check_category(values: dict) -> None:
    category = values.get("category")
    difficulty = values.get("difficulty_type", "")
    if category == ChildCategory.IN_DIFFICULTY and not difficulty:
        raise ValidationError({"difficulty_type": "困境儿童请选择困境类型"})
    if category == ChildCategory.LEFT_BEHIND and difficulty:
        values["difficulty_type"] = ""


@transaction.atomic
def child_register(
    *,
    village: Village,
    name: str,
    id_number: str,
    category: str,
    actor=None,
    source: str = FORM,
    registered_on: datetime.date | None = None,
    **fields,
) -> Child:
    """Put a left-behind child or a child in difficulty on the register."""
    township = village.township
    check_can_edit(actor, township.pk)
    registered_on = registered_on or timezone.localdate()
    identity = resolve_identity(
        id_number=id_number,
        name=name,
        township=township,
        on=registered_on,
        max_age=CHILD_MAX_AGE,
    )
    _check_unique(Child, identity["id_number"])
    unknown = set(fields) - set(CHILD_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    values = {"category": category, **fields}
    _check_category(values)
    child = Child(
        township=township,
        village=village,
        name="".join(name.split()),
        registered_on=registered_on,
        **identity,
        **values,
    )
    save_recorded(child, actor=actor, source=source)
    return child


@transaction.atomic
def child_update(
    *,
    child: Child,
    actor=None,
    source: str = FORM,
    expected_version: int | None = None,
    **values,
) -> list[str]:
    child = Child.objects.select_for_update().get(pk=child.pk)
    check_can_edit(actor, child.township_id)
    if expected_version is not None and child.version != expected_version:
        raise EditConflict()
    unknown = set(values) - {*CHILD_FIELDS, "village", "registered_on"}
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if "village" in values:
        _check_village(values["village"], child.township)
    merged = {
        "category": values.get("category", child.category),
        "difficulty_type": values.get("difficulty_type", child.difficulty_type),
    }
    _check_category(merged)
    values.update(merged)
    changed = _apply(child, values)
    if changed:
        child.version += 1
        save_recorded(
            child,
            actor=actor,
            source=source,
            fields=[*changed, "version", "updated_at"],
        )
    return changed


@transaction.atomic
def child_remove(*, child: Child, reason: str, actor=None, source: str = FORM) -> None:
    """Take a child off the register (parents returned, turned 18, moved …)."""
    _remove(Child, child.pk, reason=reason, actor=actor, source=source)


@transaction.atomic
def child_visit_record(
    *,
    child: Child,
    visit_date: datetime.date,
    visitor: str,
    situation: str,
    method: str = "home",
    needs: str = "",
    follow_up: str = "",
    actor=None,
    source: str = FORM,
) -> ChildVisit:
    """Record an inspection visit (巡查探访) to a child."""
    return _visit(
        ChildVisit,
        person=child,
        actor=actor,
        source=source,
        visit_date=visit_date,
        visitor=visitor,
        situation=situation,
        method=method,
        needs=needs,
        follow_up=follow_up,
    )


# Child supervisors and directors -------------------------------------------


@transaction.atomic
def child_supervisor_add(
    *,
    township: Township,
    name: str,
    phone: str,
    staffing: str = "part_time",
    appointed_on: datetime.date | None = None,
    actor=None,
    source: str = FORM,
) -> ChildSupervisor:
    check_can_edit(actor, township.pk)
    supervisor = ChildSupervisor(
        township=township,
        name="".join(name.split()),
        phone=phone.strip(),
        staffing=staffing,
        appointed_on=appointed_on,
    )
    save_recorded(supervisor, actor=actor, source=source)
    return supervisor


@transaction.atomic
def child_supervisor_retire(
    *, supervisor: ChildSupervisor, actor=None, source: str = FORM
) -> None:
    """The supervisor left the post; the history keeps the record."""
    supervisor = ChildSupervisor.objects.select_for_update().get(pk=supervisor.pk)
    check_can_edit(actor, supervisor.township_id)
    supervisor.active = False
    save_recorded(supervisor, actor=actor, source=source, fields=["active"])


@transaction.atomic
def child_director_set(
    *,
    village: Village,
    name: str,
    phone: str,
    staffing: str = "part_time",
    appointed_on: datetime.date | None = None,
    actor=None,
    source: str = FORM,
) -> ChildDirector:
    """Appoint (or correct) the village's child director."""
    check_can_edit(actor, village.township_id)
    director = ChildDirector.objects.select_for_update().filter(village=village).first()
    if director is None:
        director = ChildDirector(village=village)
    director.name = "".join(name.split())
    director.phone = phone.strip()
    director.staffing = staffing
    director.appointed_on = appointed_on
    save_recorded(director, actor=actor, source=source)
    return director


@transaction.atomic
def child_director_clear(*, village: Village, actor=None, source: str = FORM) -> None:
    """The village has no child director any more."""
    check_can_edit(actor, village.township_id)
    director = ChildDirector.objects.filter(village=village).first()
    if director is not None:
        director._change_reason = source
        if actor is not None:
            director._history_user = actor
        director.delete()


# Institutions ---------------------------------------------------------------

INSTITUTION_FIELDS = (
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
)


@transaction.atomic
def institution_create(
    *, township: Township, actor=None, source: str = FORM, **values
) -> Institution:
    check_can_edit(actor, township.pk)
    unknown = set(values) - set(INSTITUTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    village = values.get("village")
    if village is not None:
        _check_village(village, township)
    institution = Institution(township=township, **values)
    save_recorded(institution, actor=actor, source=source)
    return institution


@transaction.atomic
def institution_update(
    *, institution: Institution, actor=None, source: str = FORM, **values
) -> list[str]:
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    check_can_edit(actor, institution.township_id)
    unknown = set(values) - set(INSTITUTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    village = values.get("village")
    if village is not None:
        _check_village(village, institution.township)
    changed = _apply(institution, values)
    if changed:
        save_recorded(
            institution, actor=actor, source=source, fields=[*changed, "updated_at"]
        )
    return changed


def centralized_tekun(on: datetime.date):
    """Active tekun enrollments in centralized care at ``on``."""
    return Enrollment.objects.active_on(on).filter(
        benefit_id="tekun", care_mode=Enrollment.CareMode.CENTRALIZED
    )


@transaction.atomic
def institution_resident_add(
    *,
    institution: Institution,
    member: Member,
    admitted_on: datetime.date | None = None,
    actor=None,
    source: str = FORM,
) -> InstitutionResident:
    """Link a centralized-care tekun person to the home that houses them."""
    check_can_edit(actor, institution.township_id)
    member = Member.objects.select_related("household").get(pk=member.pk)
    if member.household.township_id != institution.township_id:
        raise ValidationError(
            {"member": "只能登记本乡镇（街道）建档立卡户中的特困人员"}
        )
    if member.removed or member.deceased:
        raise ValidationError({"member": "此人已移除或已死亡"})
    today = timezone.localdate()
    if not centralized_tekun(today).filter(member=member).exists():
        raise ValidationError(
            {
                "member": f"{member.name}没有在保的集中供养特困人员记录。"
                "请先在该成员的救助/补贴中登记特困供养（集中供养）"
            }
        )
    existing = InstitutionResident.objects.filter(member=member).first()
    if existing is not None:
        raise ValidationError(
            {"member": f"{member.name}已登记在{existing.institution}"}
        )
    if institution.status != Institution.Status.OPERATING:
        raise ValidationError({"member": "该机构尚未运营，不能登记入住人员"})
    resident = InstitutionResident(
        institution=institution, member=member, admitted_on=admitted_on
    )
    save_recorded(resident, actor=actor, source=source)
    return resident


@transaction.atomic
def institution_resident_remove(
    *, resident: InstitutionResident, actor=None, source: str = FORM
) -> None:
    check_can_edit(actor, resident.institution.township_id)
    resident._change_reason = source
    if actor is not None:
        resident._history_user = actor
    resident.delete()


# Villages and townships -------------------------------------------------------

WORK_POINT_FIELDS = (
    "poor_village",
    "council_established",
    "council_updated",
    "rules_in_place",
    "rules_updated",
    "disclosure_in_place",
    "disclosure_updated",
    "note",
)


@transaction.atomic
def village_work_point_set(
    *, village: Village, actor=None, source: str = FORM, **values
) -> VillageWorkPoint:
    """Record a village's council, rules and disclosure (work points 八, 九)."""
    check_can_edit(actor, village.township_id)
    unknown = set(values) - set(WORK_POINT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    today = timezone.localdate()
    for field in ("council_updated", "rules_updated", "disclosure_updated"):
        day = values.get(field)
        if day is not None and day > today:
            raise ValidationError({field: "日期不能晚于今天"})
    point = VillageWorkPoint.objects.select_for_update().filter(village=village).first()
    if point is None:
        point = VillageWorkPoint(village=village)
    if not _apply(point, values) and point.pk:
        return point
    save_recorded(point, actor=actor, source=source)
    return point


@transaction.atomic
def charity_drive_set(
    *,
    township: Township,
    year: int,
    amount: Decimal,
    donors: int | None = None,
    note: str = "",
    actor=None,
    source: str = FORM,
) -> CharityDrive:
    """Record (or correct) a township's 慈心一日捐 sum for a year."""
    check_can_edit(actor, township.pk)
    drive = (
        CharityDrive.objects.select_for_update()
        .filter(township=township, year=year)
        .first()
    )
    if drive is None:
        drive = CharityDrive(township=township, year=year)
    drive.amount = amount
    drive.donors = donors
    drive.note = note.strip()
    save_recorded(drive, actor=actor, source=source)
    return drive


ORGANIZATION_FIELDS = ("name", "kind", "activity", "contact_name", "phone", "active")


@transaction.atomic
def social_organization_create(
    *, township: Township, actor=None, source: str = FORM, **values
) -> SocialOrganization:
    check_can_edit(actor, township.pk)
    unknown = set(values) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    organization = SocialOrganization(township=township, **values)
    save_recorded(organization, actor=actor, source=source)
    return organization


@transaction.atomic
def social_organization_update(
    *, organization: SocialOrganization, actor=None, source: str = FORM, **values
) -> list[str]:
    organization = SocialOrganization.objects.select_for_update().get(
        pk=organization.pk
    )
    check_can_edit(actor, organization.township_id)
    unknown = set(values) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    changed = _apply(organization, values)
    if changed:
        save_recorded(organization, actor=actor, source=source, fields=changed)
    return changed
