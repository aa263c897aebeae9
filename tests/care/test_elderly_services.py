"""Registering left-behind elderly people and their visits (services)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from care import services
from care.models import ElderlyPerson
from tests.factories import make_household, make_id_number, make_member

pytestmark = pytest.mark.django_db
D = datetime.date


def wrong_check(number: str) -> str:
    return number[:17] + ("1" if number[17] != "1" else "2")


def test_it_links_a_registered_member_and_takes_identity_from_the_id(
    village, member, staff_acheng, items
):
    person = services.elderly_register(
        village=village,
        name="赵 老汉",
        id_number=member.id_number.lower(),
        actor=staff_acheng,
        services=items[:2],
        registered_on=D(2020, 5, 15),
    )
    assert person.member == member
    assert (person.name, person.sex, person.birth_date) == (
        "赵老汉",
        "male",
        D(1940, 1, 1),
    )
    assert list(person.services.all()) == items[:2]
    assert {h.history_change_reason for h in person.history.all()} == {"表单"}
    assert person.history.first().history_user == staff_acheng


def test_it_keeps_a_standalone_person_with_a_validated_id(village):
    number = make_id_number(D(1950, 2, 2), area="370000")
    person = services.elderly_register(
        village=village,
        name="钱大爷",
        id_number=f" '{number} ",
        registered_on=D(2020, 5, 1),
    )
    assert person.member is None and person.id_number == number


@pytest.mark.parametrize(
    ("id_number", "field", "text"),
    [
        (wrong_check(make_id_number(D(1940, 1, 1))), "id_number", "校验码"),
        ("3715211940", "id_number", "格式"),
        (make_id_number(D(1965, 1, 1)), "id_number", "未满 60 周岁"),
    ],
)
def test_it_refuses_bad_numbers_and_people_under_60(village, id_number, field, text):
    with pytest.raises(ValidationError) as caught:
        services.elderly_register(
            village=village,
            name="某人",
            id_number=id_number,
            registered_on=D(2020, 5, 1),
        )
    assert text in " ".join(caught.value.message_dict[field])


def test_it_refuses_a_member_of_another_township_and_a_different_name(
    village, qiji, member
):
    other = make_member(make_household(qiji), name="周七", birth=D(1944, 4, 4))
    with pytest.raises(ValidationError, match="七级镇"):
        services.elderly_register(
            village=village, name="周七", id_number=other.id_number
        )
    with pytest.raises(ValidationError, match="赵老汉"):
        services.elderly_register(
            village=village, name="赵大汉", id_number=member.id_number
        )


def test_it_refuses_the_same_person_twice_until_removed(village, elder):
    with pytest.raises(ValidationError, match="不能重复登记"):
        services.elderly_register(
            village=village, name=elder.name, id_number=elder.id_number
        )
    services.elderly_remove(person=elder, reason="子女返乡照料")
    again = services.elderly_register(
        village=village, name=elder.name, id_number=elder.id_number
    )
    assert again.pk != elder.pk
    assert ElderlyPerson.objects.current().count() == 1


def test_only_the_townships_staff_and_the_admin_may_write(
    village, elder, staff_qiji, chief_elderly, admin_user
):
    for outsider in (staff_qiji, chief_elderly):
        with pytest.raises(PermissionDenied):
            services.elderly_register(
                village=village,
                name="孙大爷",
                id_number=make_id_number(D(1945, 5, 5)),
                actor=outsider,
            )
        with pytest.raises(PermissionDenied):
            services.elderly_visit_record(
                person=elder,
                visit_date=D(2020, 5, 1),
                visitor="某人",
                situation="好",
                actor=outsider,
            )
    services.elderly_visit_record(
        person=elder,
        visit_date=elder.registered_on,
        visitor="局管理员",
        situation="好",
        actor=admin_user,
    )


def test_an_update_records_what_changed_and_refuses_a_stale_version(
    elder, staff_acheng, items
):
    changed = services.elderly_update(
        person=elder,
        actor=staff_acheng,
        expected_version=elder.version,
        helper_name="李干部",
        contact_name=elder.contact_name,
        services=items[:1],
    )
    assert changed == ["helper_name", "services"]
    elder.refresh_from_db()
    assert elder.version == 2 and elder.helper_name == "李干部"
    with pytest.raises(services.EditConflict):
        services.elderly_update(person=elder, expected_version=1, helper_name="王")
    assert services.elderly_update(person=elder, services=items[:1]) == []


def test_a_visit_cannot_be_in_the_future_or_for_a_removed_person(elder, today):
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.elderly_visit_record(
            person=elder,
            visit_date=today + datetime.timedelta(days=1),
            visitor="李",
            situation="好",
        )
    services.elderly_remove(person=elder, reason="迁出")
    elder.refresh_from_db()
    with pytest.raises(ValidationError, match="已移出台账"):
        services.elderly_visit_record(
            person=elder, visit_date=today, visitor="李", situation="好"
        )


def test_a_visit_is_recorded_with_who_and_the_channel(elder, staff_acheng, today):
    visit = services.elderly_visit_record(
        person=elder,
        visit_date=today,
        visitor=" 李干部 ",
        situation="身体好",
        needs="需要理发",
        actor=staff_acheng,
        source="表单",
    )
    assert visit.visitor == "李干部" and visit.recorded_by == staff_acheng
    assert visit.history.get().history_change_reason == "表单"
