"""The review queues: staff's to-do, chiefs' submissions, filters, pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_household, make_member, make_village

from .ledger_builders import make_case

pytestmark = pytest.mark.django_db
URL = reverse("cases:queue")


def numbers(response):
    """The case ids listed on the page."""
    return [row["case"].pk for row in response.context["rows"]]


@pytest.fixture
def mixed(household, qiji_household):
    """Cases of two townships and two sections in every status."""
    today = timezone.localdate()
    return {
        "open": make_case(household, due_date=today + datetime.timedelta(days=30)),
        "returned": make_case(household, rule="TEKUN_MISSING", status="returned"),
        "soon": make_case(
            household,
            rule="POVERTY_TYPE_MISMATCH",
            due_date=today + datetime.timedelta(days=3),
        ),
        "submitted": make_case(
            household, rule="DIBAO_WHOLE_HOUSEHOLD_MISSING", status="submitted"
        ),
        "verified": make_case(
            household, rule="DISABILITY_LIVING_SUBSIDY_MISSING", status="verified"
        ),
        "qiji_open": make_case(qiji_household),
        "qiji_submitted": make_case(
            qiji_household, rule="TEKUN_MISSING", status="submitted"
        ),
        "qiji_elderly_returned": make_case(
            qiji_household, member=make_member(qiji_household), status="returned"
        ),
    }


def test_staff_start_on_their_townships_to_do(client_for, staff_acheng, mixed):
    response = client_for(staff_acheng).get(URL)

    assert response.status_code == 200
    assert response.context["tab"] == "todo"
    assert set(numbers(response)) == {
        mixed["open"].pk,
        mixed["returned"].pk,
        mixed["soon"].pk,
    }
    page = response.content.decode()
    assert "待整改" in page and "即将到期" in page
    assert 'name="cases"' not in page  # no bulk review for staff


def test_staff_see_what_is_due_soon(client_for, staff_acheng, mixed):
    response = client_for(staff_acheng).get(URL, {"tab": "due_soon"})

    assert numbers(response) == [mixed["soon"].pk]


def test_staff_see_their_overdue_and_submitted(client_for, staff_acheng, mixed):
    client = client_for(staff_acheng)

    overdue = client.get(URL, {"tab": "overdue"})
    submitted = client.get(URL, {"tab": "submitted"})

    # make_case's default due date, 2020-05-31, has passed.
    assert set(numbers(overdue)) == {mixed["returned"].pk, mixed["submitted"].pk}
    assert numbers(submitted) == [mixed["submitted"].pk]


def test_a_chief_starts_on_the_sections_submissions_across_townships(
    client_for, chief_assistance, mixed
):
    response = client_for(chief_assistance).get(URL)

    assert response.context["tab"] == "submitted"
    assert set(numbers(response)) == {
        mixed["submitted"].pk,
        mixed["qiji_submitted"].pk,
    }
    page = response.content.decode()
    assert f'value="{mixed["submitted"].pk}"' in page  # a bulk checkbox
    assert reverse("cases:bulk_review") in page


def test_a_chief_sees_the_sections_overdue_cases(client_for, chief_elderly, mixed):
    response = client_for(chief_elderly).get(URL, {"tab": "overdue"})

    assert set(numbers(response)) == {
        mixed["qiji_open"].pk,
        mixed["qiji_elderly_returned"].pk,
    }


def test_a_chief_can_read_every_section_on_the_all_tab(
    client_for, chief_elderly, mixed
):
    response = client_for(chief_elderly).get(URL, {"tab": "all"})

    assert set(numbers(response)) == {case.pk for case in mixed.values()}
    assert 'name="cases"' not in response.content.decode()


def test_the_admin_reviews_every_section(client_for, admin_user, mixed):
    response = client_for(admin_user).get(URL)

    assert set(numbers(response)) == {
        mixed["submitted"].pk,
        mixed["qiji_submitted"].pk,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "verified"}, ["verified"]),
        ({"rule": "TEKUN_MISSING"}, ["returned", "qiji_submitted"]),
        (
            {"section": "charity_elderly"},
            ["open", "qiji_open", "qiji_elderly_returned"],
        ),
        ({"due": "due_soon"}, ["soon"]),
        ({"due": "none"}, []),
    ],
)
def test_the_filters(client_for, admin_user, mixed, params, expected):
    response = client_for(admin_user).get(URL, {"tab": "all", **params})

    assert set(numbers(response)) == {mixed[name].pk for name in expected}


def test_the_township_and_village_filters(client_for, admin_user, mixed, acheng, qiji):
    client = client_for(admin_user)
    other_village = make_village(acheng, "西关村")
    elsewhere = make_case(make_household(acheng, village=other_village))

    by_township = client.get(URL, {"tab": "all", "township": qiji.pk})
    by_village = client.get(
        URL, {"tab": "all", "township": acheng.pk, "village": other_village.pk}
    )

    assert set(numbers(by_township)) == {
        mixed["qiji_open"].pk,
        mixed["qiji_submitted"].pk,
        mixed["qiji_elderly_returned"].pk,
    }
    assert numbers(by_village) == [elsewhere.pk]


def test_staff_cannot_filter_their_way_into_another_township(
    client_for, staff_acheng, mixed, qiji
):
    response = client_for(staff_acheng).get(URL, {"tab": "all", "township": qiji.pk})

    assert mixed["qiji_open"].pk not in numbers(response)


def test_an_empty_queue_says_so(client_for, chief_affairs, mixed):
    response = client_for(chief_affairs).get(URL)

    assert numbers(response) == []
    assert "没有等待核实的问题" in response.content.decode()


def test_it_pages_fifty_cases_at_a_time(client_for, staff_acheng, acheng):
    household = make_household(acheng)
    for i in range(51):
        make_case(household, member=make_member(household, name=f"成员{i}"))
    client = client_for(staff_acheng)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(numbers(first)) == 50
    assert len(numbers(second)) == 1
    assert "第 1 / 2 页" in first.content.decode()


def _queries(client, household, count):
    for _ in range(count):
        make_case(household, member=make_member(household), status="submitted")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"tab": "all"}).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_cases(
    client_for, chief_elderly, household, django_assert_max_num_queries
):
    client = client_for(chief_elderly)

    few = _queries(client, household, 2)
    many = _queries(client, household, 20)

    assert few == many
    with django_assert_max_num_queries(12):
        client.get(URL, {"tab": "all"})


def test_it_refuses_post(client_for, staff_acheng):
    assert client_for(staff_acheng).post(URL).status_code == 405
