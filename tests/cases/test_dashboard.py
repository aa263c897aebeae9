"""The dashboard: the user's scope at a glance, in a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from checklists.demo import seed_campaign
from checklists.services import campaign_save, household_check_confirm
from tests.factories import make_household, make_member

from .ledger_builders import make_case

pytestmark = pytest.mark.django_db
URL = reverse("dashboard")


@pytest.fixture
def cases(household, qiji_household):
    return [
        make_case(household, status="open"),
        make_case(household, rule="TEKUN_MISSING", status="verified"),
        make_case(household, rule="POVERTY_TYPE_MISMATCH", status="submitted"),
        make_case(qiji_household, status="returned"),
        make_case(qiji_household, rule="TEKUN_MISSING", status="dismissed"),
    ]


def test_staff_see_their_townships_numbers(client_for, staff_acheng, cases):
    response = client_for(staff_acheng).get(URL)

    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary["opened"], summary["todo"], summary["submitted"]) == (3, 1, 1)
    assert (summary["closed"], summary["rate"]) == (1, 33.3)
    # make_case's due date (2020-05-31) has passed: open and submitted are overdue.
    assert summary["overdue"] == 2
    page = response.content.decode()
    assert "阿城镇" in page and "村（居）" in page


def test_a_chief_sees_the_sections_numbers_county_wide(
    client_for, chief_elderly, cases
):
    summary = client_for(chief_elderly).get(URL).context["summary"]

    assert (summary["opened"], summary["todo"]) == (2, 2)
    assert summary["rate"] == 0


def test_the_admin_sees_everything_by_section(client_for, admin_user, cases):
    response = client_for(admin_user).get(URL)

    summary = response.context["summary"]
    assert (summary["opened"], summary["closed"], summary["rate"]) == (5, 2, 40.0)
    rows = {row["section"]: row["total"] for row in response.context["by_section"]}
    assert rows == {"social_assistance": 3, "charity_elderly": 2}
    assert len(response.context["progress"]) == 18


def test_it_counts_days_left_and_inspection_progress(
    client_for, staff_acheng, household, acheng
):
    today = timezone.localdate()
    campaign = campaign_save(
        name="测试活动",
        inspection_start=today - datetime.timedelta(days=10),
        inspection_end=today + datetime.timedelta(days=20),
        due_date=today + datetime.timedelta(days=20),
        report_due=today + datetime.timedelta(days=50),
        is_current=True,
    )
    make_household(acheng)
    household_check_confirm(household=household, campaign=campaign, user=staff_acheng)

    response = client_for(staff_acheng).get(URL)

    assert response.context["days_left"] == 20
    assert response.context["report_days_left"] == 50
    total = response.context["progress_total"]
    assert (total.inspected, total.total, total.percent) == (1, 2, 50)
    assert "20 天" in response.content.decode()


def test_without_a_campaign_it_says_so(client_for, staff_acheng):
    page = client_for(staff_acheng).get(URL).content.decode()

    assert "未设置当前活动" in page
    assert "尚未设置当前自查整改活动" in page  # the banner of base.html


def test_it_draws_opened_and_closed_as_svg(client_for, admin_user, cases):
    seed_campaign(timezone.localdate())

    page = client_for(admin_user).get(URL).content.decode()

    assert "<svg" in page and "<polyline" in page
    assert "累计立案：5 件" in page


def test_an_empty_ledger_shows_an_empty_chart_state(client_for, admin_user):
    page = client_for(admin_user).get(URL).content.decode()

    assert "<polyline" not in page
    assert "还没有立案或销号" in page


def _queries(client, household, count):
    for _ in range(count):
        make_case(household, member=make_member(household), status="submitted")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_cases(
    client_for, admin_user, household, django_assert_max_num_queries
):
    seed_campaign(timezone.localdate())
    client = client_for(admin_user)

    assert _queries(client, household, 2) == _queries(client, household, 25)
    # 12 for the ledger and progress, 3 for the care card (care_dashboard_card).
    with django_assert_max_num_queries(15):
        client.get(URL)


def test_it_refuses_post(client_for, staff_acheng):
    assert client_for(staff_acheng).post(URL).status_code == 405


def _summary(client):
    return client.get(URL).context["summary"]


def test_a_repeat_visit_reuses_the_numbers_of_the_scope(
    client_for, staff_acheng, staff_qiji, cases
):
    client = client_for(staff_acheng)
    with CaptureQueriesContext(connection) as first:
        client.get(URL)
    with CaptureQueriesContext(connection) as second:
        assert _summary(client)["opened"] == 3
    assert len(second) < len(first) - 3
    # Another township's staff member does not get those numbers.
    assert _summary(client_for(staff_qiji))["opened"] == 2


def test_a_case_action_shows_at_once(client_for, staff_acheng, cases):
    from cases import services

    client = client_for(staff_acheng)
    assert _summary(client)["submitted"] == 1
    services.case_submit(
        case=cases[0], user=staff_acheng, resolution="rectified", note="已纳入"
    )
    assert _summary(client)["submitted"] == 2


def test_a_confirmed_inspection_shows_at_once(client_for, staff_acheng, household):
    campaign = seed_campaign(timezone.localdate())
    client = client_for(staff_acheng)
    assert client.get(URL).context["progress_total"].inspected == 0
    household_check_confirm(household=household, campaign=campaign, user=staff_acheng)
    assert client.get(URL).context["progress_total"].inspected == 1


def test_a_new_household_counts_at_once(client_for, staff_acheng, household):
    seed_campaign(timezone.localdate())
    client = client_for(staff_acheng)
    total = client.get(URL).context["progress_total"].total
    make_household("阿城镇")
    assert client.get(URL).context["progress_total"].total == total + 1
