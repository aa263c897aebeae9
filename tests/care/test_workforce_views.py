"""Child supervisors and village child directors: the page and its forms."""

import pytest
from django.urls import reverse

from care import services
from care.models import ChildDirector, ChildSupervisor
from tests.factories import make_village

pytestmark = pytest.mark.django_db
URL = reverse("care:workforce")


def test_the_county_view_flags_townships_and_villages_without_staff(
    client_for, chief_affairs, acheng, village, django_assert_max_num_queries
):
    make_village(acheng, "西关村")
    services.child_director_set(village=village, name="张主任", phone="1")
    client = client_for(chief_affairs)
    with django_assert_max_num_queries(11):
        body = client.get(URL).content.decode()
    assert "18 个乡镇（街道）未配备儿童督导员" in body
    assert "1 个村（居）未配备儿童主任" in body


def test_staff_see_their_villages_and_appoint_staff(
    client_for, staff_acheng, acheng, village
):
    client = client_for(staff_acheng)
    body = client.get(URL).content.decode()
    assert "东关村" in body and "未配备儿童主任" in body and "未配备儿童督导员" in body
    response = client.post(
        reverse("care:supervisor_add", args=[acheng.pk]),
        {"name": "李督导", "phone": "13000000000", "staffing": "full_time"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("care:director_set", args=[village.pk]),
        {"name": "张主任", "phone": "13100000000", "staffing": "part_time"},
    )
    assert response.status_code == 302
    body = client.get(response.url).content.decode()
    assert "李督导" in body and "张主任" in body and "未配备儿童" not in body
    supervisor = ChildSupervisor.objects.get()
    client.post(reverse("care:supervisor_retire", args=[supervisor.pk]))
    client.post(reverse("care:director_clear", args=[village.pk]))
    assert not ChildSupervisor.objects.filter(active=True).exists()
    assert not ChildDirector.objects.exists()


def test_a_form_error_is_shown(client_for, staff_acheng, village):
    response = client_for(staff_acheng).post(
        reverse("care:director_set", args=[village.pk]), {"name": "", "phone": ""}
    )
    assert (
        response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    )
