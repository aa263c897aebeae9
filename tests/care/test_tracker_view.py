"""The work-point tracker page, the visit queue and the candidates page."""

import datetime

import pytest
from django.urls import reverse

from care.models import ElderlyPerson
from tests.care.conftest import on_dibao
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_the_tracker_lists_the_nine_points_and_every_township(
    client_for, chief_elderly, elder, django_assert_max_num_queries
):
    client = client_for(chief_elderly)
    with django_assert_max_num_queries(18):
        body = client.get(reverse("care:tracker")).content.decode()
    for title in (
        "加强老年人关爱服务",
        "推进乡村殡葬改革",
        "加强农村群众性自治组织建设",
    ):
        assert title in body
    assert "基层政权建设和区划地名科" in body
    assert body.count("<tr>") >= 9 + 18 + 1
    assert "全县合计" in body


def test_staff_see_their_township_only(client_for, staff_acheng, elder, qiji_elder):
    body = client_for(staff_acheng).get(reverse("care:tracker")).content.decode()
    assert "阿城镇" in body and "七级镇" not in body and "全县合计" not in body


def test_the_visit_queue_orders_the_most_overdue_first(
    client_for, staff_acheng, elder, village, today, django_assert_max_num_queries
):
    from care import services
    from tests.factories import make_id_number

    later = services.elderly_register(
        village=village,
        name="李大娘",
        id_number=make_id_number(datetime.date(1941, 1, 1)),
    )
    ElderlyPerson.objects.filter(pk=elder.pk).update(
        registered_on=today - datetime.timedelta(days=50)
    )
    ElderlyPerson.objects.filter(pk=later.pk).update(
        registered_on=today - datetime.timedelta(days=33)
    )
    client = client_for(staff_acheng)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("care:visits_due")).content.decode()
    assert body.index("王老汉") < body.index("李大娘")
    assert "逾期 20 天" in body and "逾期 3 天" in body


def test_the_candidates_page_shows_reasons_and_willingness(
    client_for, chief_assistance, household, django_assert_max_num_queries
):
    for n in range(6):
        on_dibao(
            make_member(
                household,
                name=f"候选{n}",
                relation="other",
                birth=datetime.date(1930, 1, 1),
                self_care="none",
                willing_centralized="yes" if n % 2 else "unknown",
            )
        )
    client = client_for(chief_assistance)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("care:candidates")).content.decode()
    assert body.count("高龄失能（") == 6 and "全失能" in body
    body = client.get(reverse("care:candidates"), {"willing": "yes"}).content.decode()
    assert body.count("高龄失能（") == 3
