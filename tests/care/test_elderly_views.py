"""The left-behind elderly pages: list, register, edit, remove, visit."""

import datetime

import pytest
from django.urls import reverse

from care import services
from care.models import ElderlyPerson, ElderlyVisit
from tests.factories import make_id_number

pytestmark = pytest.mark.django_db
D = datetime.date
LIST = reverse("care:elderly_list")


def _register(village, n, **fields):
    return services.elderly_register(
        village=village,
        name=f"老人{n}",
        id_number=make_id_number(D(1940, 1, 1)),
        **fields,
    )


def test_the_list_reads_in_a_constant_number_of_queries(
    client_for, staff_acheng, village, today, django_assert_max_num_queries
):
    for n in range(12):
        person = _register(
            village, n, registered_on=today - datetime.timedelta(days=n * 5)
        )
        person.visits.create(visit_date=today, visitor="李", situation="好")
    client = client_for(staff_acheng)
    with django_assert_max_num_queries(14):
        response = client.get(LIST)
    assert response.status_code == 200
    assert response.content.decode().count("老人") >= 12


def test_the_list_filters_overdue_people_and_missing_contacts(
    client_for, staff_acheng, village, today
):
    long_ago = today - datetime.timedelta(days=90)
    late = _register(
        village, 1, registered_on=long_ago, contact_name="甲", contact_phone="1"
    )
    _register(village, 2, registered_on=today, contact_name="乙", contact_phone="2")
    no_contact = _register(village, 3, registered_on=today)
    client = client_for(staff_acheng)

    body = client.get(LIST, {"status": "overdue"}).content.decode()
    assert late.name in body and "老人2" not in body and no_contact.name not in body
    assert "逾期 60 天" in body
    body = client.get(LIST, {"status": "no_contact"}).content.decode()
    assert no_contact.name in body and late.name not in body


def test_staff_register_a_member_of_a_registered_household(
    client_for, staff_acheng, village, member, items
):
    response = client_for(staff_acheng).post(
        reverse("care:elderly_create"),
        {
            "village": village.pk,
            "name": member.name,
            "id_number": member.id_number,
            "registered_on": "2020-05-01",
            "contact_name": "赵小",
            "contact_phone": "13900000000",
            "services": [items[0].pk, items[2].pk],
        },
    )
    person = ElderlyPerson.objects.get()
    assert response.status_code == 302 and response.url == person.get_absolute_url()
    assert person.member == member
    assert list(person.services.all()) == [items[0], items[2]]


def test_a_bad_id_number_lands_on_the_form(client_for, staff_acheng, village):
    response = client_for(staff_acheng).post(
        reverse("care:elderly_create"),
        {
            "village": village.pk,
            "name": "某人",
            "id_number": "12345",
            "registered_on": "2020-05-01",
        },
    )
    assert response.status_code == 200
    assert "身份证号码格式不正确" in response.content.decode()
    assert not ElderlyPerson.objects.exists()


def test_the_admin_picks_the_township_first(client_for, admin_user, village):
    url = reverse("care:elderly_create")
    body = client_for(admin_user).get(url).content.decode()
    assert "先选择乡镇（街道）" in body and f"?township={village.township_id}" in body
    body = client_for(admin_user).get(url, {"township": village.township_id}).content
    assert "东关村" in body.decode()


def test_staff_are_offered_their_own_villages_only(
    client_for, staff_acheng, village, qiji_village
):
    body = client_for(staff_acheng).get(reverse("care:elderly_create")).content.decode()
    assert "东关村" in body and "北街村" not in body


def test_editing_saves_the_fields_and_the_services(
    client_for, staff_acheng, elder, items
):
    response = client_for(staff_acheng).post(
        reverse("care:elderly_edit", args=[elder.pk]),
        {
            "version": elder.version,
            "village": elder.village_id,
            "registered_on": elder.registered_on.isoformat(),
            "contact_name": "王小",
            "contact_phone": "13800000000",
            "helper_name": "李干部",
            "services": [items[1].pk],
        },
    )
    assert response.status_code == 302
    elder.refresh_from_db()
    assert elder.helper_name == "李干部" and elder.version == 2
    assert list(elder.services.all()) == [items[1]]


def test_removing_needs_a_reason_and_keeps_the_record(client_for, staff_acheng, elder):
    client = client_for(staff_acheng)
    url = reverse("care:elderly_remove", args=[elder.pk])
    client.post(url, {"reason": ""})
    elder.refresh_from_db()
    assert not elder.removed
    client.post(url, {"reason": "子女返乡照料"})
    elder.refresh_from_db()
    assert elder.removed and elder.removed_reason == "子女返乡照料"
    detail = client.get(elder.get_absolute_url()).content.decode()
    assert "已移出台账" in detail and "登记探访" not in detail
    assert client.get(reverse("care:elderly_edit", args=[elder.pk])).status_code == 403


def test_recording_a_visit_clears_the_overdue_flag(
    client_for, staff_acheng, elder, today
):
    ElderlyPerson.objects.filter(pk=elder.pk).update(
        registered_on=today - datetime.timedelta(days=45)
    )
    client = client_for(staff_acheng)
    assert elder.name in client.get(reverse("care:visits_due")).content.decode()
    response = client.post(
        reverse("care:elderly_visit_add", args=[elder.pk]),
        {
            "visit_date": today.isoformat(),
            "method": "home",
            "visitor": "李干部",
            "situation": "身体健康，家中安全",
            "needs": "",
            "follow_up": "",
        },
    )
    assert response.status_code == 302
    visit = ElderlyVisit.objects.get()
    assert visit.recorded_by == staff_acheng
    assert visit.history.get().history_change_reason == "表单"
    assert "已登记对 王老汉 的探访" in client.get(response.url).content.decode()
    assert elder.name not in client.get(reverse("care:visits_due")).content.decode()


def test_the_detail_shows_contacts_services_and_visits(
    client_for, chief_elderly, elder, items, today, django_assert_max_num_queries
):
    services.elderly_update(person=elder, services=items[:2])
    for day in range(5):
        elder.visits.create(visit_date=today, visitor=f"探访人{day}", situation="好")
    client = client_for(chief_elderly)
    with django_assert_max_num_queries(14):
        body = client.get(elder.get_absolute_url()).content.decode()
    assert "王小" in body and items[0].name in body and "探访人4" in body
    assert "未明确帮扶联系人" in body
    assert "登记探访" not in body  # chiefs read only
