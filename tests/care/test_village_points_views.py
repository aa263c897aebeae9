"""Village work points (八, 九): the list with flags and the staff's form."""

import pytest
from django.urls import reverse

from care import services
from care.models import VillageWorkPoint
from tests.factories import make_village

pytestmark = pytest.mark.django_db
URL = reverse("care:village_points")


def test_the_list_flags_villages_without_a_council(
    client_for, personas, acheng, village, django_assert_max_num_queries
):
    other = make_village(acheng, "西关村")
    services.village_work_point_set(village=village, council_established=True)
    for n in range(6):
        services.village_work_point_set(
            village=make_village(acheng, f"无会{n}村"), rules_in_place=True
        )
    client = client_for(personas["chief_grassroots"])
    with django_assert_max_num_queries(12):
        body = client.get(URL, {"township": acheng.pk, "flag": "no_council"}).content
    assert other.name in body.decode() and "东关村" not in body.decode()
    assert body.decode().count("未落实") >= 7 * 2


def test_staff_record_their_villages_work_points(
    client_for, staff_acheng, village, today
):
    client = client_for(staff_acheng)
    url = reverse("care:village_point_edit", args=[village.pk])
    response = client.post(
        url,
        {
            "council_established": "on",
            "council_updated": "2020-03-01",
            "rules_in_place": "on",
            "rules_updated": "2019-12-01",
            "disclosure_updated": (today.replace(year=today.year + 1)).isoformat(),
        },
    )
    assert (
        response.status_code == 200 and "日期不能晚于今天" in response.content.decode()
    )
    response = client.post(
        url,
        {
            "council_established": "on",
            "council_updated": "2020-03-01",
            "rules_in_place": "on",
        },
    )
    assert response.status_code == 302
    point = VillageWorkPoint.objects.get()
    assert point.council_established and point.rules_in_place
    assert not point.disclosure_in_place
    assert point.history.get().history_user == staff_acheng
