"""The children pages: list, register, edit, remove, inspection visits."""

import datetime

import pytest
from django.urls import reverse

from care import services
from care.models import Child, ChildVisit
from tests.factories import make_id_number

pytestmark = pytest.mark.django_db
D = datetime.date
LIST = reverse("care:child_list")


def test_the_list_reads_in_a_constant_number_of_queries(
    client_for,
    chief_affairs,
    village,
    qiji_village,
    today,
    django_assert_max_num_queries,
):
    for n in range(10):
        services.child_register(
            village=village if n % 2 else qiji_village,
            name=f"儿童{n}",
            id_number=make_id_number(D(2012, 1, 1)),
            category="left_behind",
        )
    client = client_for(chief_affairs)
    with django_assert_max_num_queries(14):
        body = client.get(LIST).content.decode()
    assert body.count("儿童") >= 10 and "阿城镇" in body and "七级镇" in body


def test_the_list_filters_by_category(client_for, staff_acheng, child, village):
    services.child_register(
        village=village,
        name="困境甲",
        id_number=make_id_number(D(2011, 1, 1)),
        category="in_difficulty",
        difficulty_type="guardianship",
    )
    body = client_for(staff_acheng).get(LIST, {"category": "in_difficulty"}).content
    assert "困境甲" in body.decode() and child.name not in body.decode()


def test_staff_register_a_child_in_difficulty(client_for, staff_acheng, village):
    data = {
        "village": village.pk,
        "name": "小红",
        "id_number": make_id_number(D(2013, 3, 3), male=False),
        "registered_on": "2020-05-01",
        "category": "in_difficulty",
        "guardian_name": "奶奶",
        "school": "东关小学",
    }
    client = client_for(staff_acheng)
    response = client.post(reverse("care:child_create"), data)
    assert (
        response.status_code == 200
        and "困境儿童须选择困境类型" in response.content.decode()
    )
    response = client.post(
        reverse("care:child_create"), {**data, "difficulty_type": "poverty"}
    )
    child = Child.objects.get()
    assert response.status_code == 302 and child.difficulty_type == "poverty"


def test_editing_and_removing_a_child(client_for, staff_acheng, child):
    client = client_for(staff_acheng)
    response = client.post(
        reverse("care:child_edit", args=[child.pk]),
        {
            "version": child.version,
            "village": child.village_id,
            "registered_on": child.registered_on.isoformat(),
            "category": "left_behind",
            "guardian_name": "王老汉",
            "guardian_phone": "13700000000",
            "school": "东关小学",
        },
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.school == "东关小学"
    client.post(reverse("care:child_remove", args=[child.pk]), {"reason": "父母返乡"})
    child.refresh_from_db()
    assert child.removed


def test_an_inspection_visit_is_recorded(client_for, staff_acheng, child, today):
    response = client_for(staff_acheng).post(
        reverse("care:child_visit_add", args=[child.pk]),
        {
            "visit_date": today.isoformat(),
            "method": "home",
            "visitor": "张主任",
            "situation": "在校表现良好",
        },
    )
    assert response.status_code == 302
    assert ChildVisit.objects.get().person == child


def test_the_detail_of_a_child_reads_in_few_queries(
    client_for, chief_affairs, child, today, django_assert_max_num_queries
):
    for n in range(4):
        child.visits.create(visit_date=today, visitor=f"主任{n}", situation="好")
    client = client_for(chief_affairs)
    with django_assert_max_num_queries(12):
        body = client.get(child.get_absolute_url()).content.decode()
    assert "主任3" in body and "登记巡查探访" not in body
