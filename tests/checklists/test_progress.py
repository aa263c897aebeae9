"""Inspection progress: inspected / total per township, village and household."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists.services import household_check_confirm
from tests.factories import make_household, make_village

pytestmark = pytest.mark.django_db
URL = reverse("checklists:progress")


@pytest.fixture
def inspected(campaign, household, staff_acheng, acheng, qiji):
    """阿城镇: 2 of 3 households inspected (one removed, not counted); 七级镇: 0 of 1."""
    other_village = make_village(acheng, "西关村")
    second = make_household(acheng, village=other_village)
    make_household(acheng, village=other_village)
    make_household(acheng, removed=True)
    make_household(qiji)
    for h in (household, second):
        household_check_confirm(household=h, campaign=campaign, user=staff_acheng)
    return second


def test_the_county_view_lists_every_township(client_for, chief_assistance, inspected):
    response = client_for(chief_assistance).get(URL)

    assert response.status_code == 200
    rows = {row.name: (row.inspected, row.total) for row in response.context["rows"]}
    assert len(rows) == 18
    assert rows["阿城镇"] == (2, 3)
    assert rows["七级镇"] == (0, 1)
    assert rows["大布乡"] == (0, 0)
    total = response.context["total"]
    assert (total.inspected, total.total) == (2, 4)


def test_a_township_lists_its_villages(client_for, admin_user, inspected, acheng):
    response = client_for(admin_user).get(URL, {"township": acheng.pk})

    rows = {row.name: (row.inspected, row.total) for row in response.context["rows"]}
    assert rows == {"东关村": (1, 1), "西关村": (1, 2)}


def test_staff_see_their_villages_whatever_they_ask(
    client_for, staff_acheng, inspected, qiji
):
    response = client_for(staff_acheng).get(URL, {"township": qiji.pk})

    assert {row.name for row in response.context["rows"]} == {"东关村", "西关村"}


def test_a_village_lists_its_households(client_for, staff_acheng, inspected, household):
    village = household.village

    response = client_for(staff_acheng).get(
        URL, {"township": village.township_id, "village": village.pk}
    )

    [row] = response.context["rows"]
    assert row["household"] == household
    assert row["check"].inspected_by == staff_acheng
    page = response.content.decode()
    assert "赵老汉" in page
    assert reverse("checklists:sheet", args=[household.pk]) in page


def test_a_village_of_another_township_is_404(
    client_for, staff_qiji, inspected, household
):
    village = household.village

    response = client_for(staff_qiji).get(
        URL, {"township": village.township_id, "village": village.pk}
    )

    assert response.status_code == 404


def test_without_a_campaign_nothing_counts_as_inspected(
    client_for, admin_user, household
):
    response = client_for(admin_user).get(URL)

    assert response.context["total"].inspected == 0
    assert "尚未设置当前自查整改活动" in response.content.decode()


def _queries(client, params, count, village):
    for _ in range(count):
        make_household(village.township, village=village)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("level", ["county", "township", "village"])
def test_the_number_of_queries_does_not_grow_with_households(
    client_for, admin_user, inspected, household, level, django_assert_max_num_queries
):
    village = household.village
    params = {
        "county": {},
        "township": {"township": village.township_id},
        "village": {"township": village.township_id, "village": village.pk},
    }[level]
    client = client_for(admin_user)

    assert _queries(client, params, 2, village) == _queries(client, params, 20, village)
    with django_assert_max_num_queries(14):
        client.get(URL, params)


def test_it_refuses_post(client_for, admin_user):
    assert client_for(admin_user).post(URL).status_code == 405
