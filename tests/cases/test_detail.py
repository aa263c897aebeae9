"""The case page: household, masked member ID, rule, timeline, allowed forms only."""

import datetime

import pytest
from django.urls import reverse

from cases.services import case_comment
from checklists.demo import seed_campaign

from .ledger_builders import make_case

pytestmark = pytest.mark.django_db
ACTIONS = ("submit", "verify", "return", "dismiss", "comment", "evidence_upload")


def url(case):
    return reverse("cases:detail", args=[case.pk])


def test_it_shows_the_case_to_township_staff_with_the_submit_form(
    client_for, staff_acheng, household, elder
):
    case = make_case(household, member=elder)
    case_comment(case=case, user=staff_acheng, note="已联系村委会")

    response = client_for(staff_acheng).get(url(case))

    assert response.status_code == 200
    page = response.content.decode()
    assert "未落实困难老年人补贴" in page  # the rule's Chinese title
    assert case.message in page
    assert household.household_no in page
    assert "赵老汉" in page
    assert elder.masked_id in page
    assert elder.id_number not in page
    assert "困难老年人补贴" in page and "慈善事业和养老服务科" in page
    assert "已联系村委会" in page and "立案" in page
    assert reverse("cases:submit", args=[case.pk]) in page
    assert reverse("cases:verify", args=[case.pk]) not in page
    assert reverse("cases:return", args=[case.pk]) not in page
    # The shortcut to record the missing benefit for the member.
    assert reverse("subsidies:enrollment_add", args=[elder.pk]) in page


def test_a_chief_of_the_section_sees_verify_return_and_dismiss(
    client_for, chief_elderly, household
):
    case = make_case(
        household, status="submitted", resolution="not_applicable", finding_holds=False
    )

    page = client_for(chief_elderly).get(url(case)).content.decode()

    for name in ("verify", "return", "dismiss", "comment", "evidence_upload"):
        assert reverse(f"cases:{name}", args=[case.pk]) in page
    assert reverse("cases:submit", args=[case.pk]) not in page


def test_while_the_finding_holds_the_chief_gets_no_verify_form(
    client_for, chief_elderly, household
):
    case = make_case(household, status="submitted", resolution="rectified")

    page = client_for(chief_elderly).get(url(case)).content.decode()

    assert reverse("cases:verify", args=[case.pk]) not in page
    assert "暂不能核实销号" in page
    assert reverse("cases:return", args=[case.pk]) in page


def test_a_chief_of_another_section_reads_without_forms(
    client_for, chief_assistance, household
):
    case = make_case(household, status="submitted", finding_holds=False)

    response = client_for(chief_assistance).get(url(case))

    assert response.status_code == 200
    page = response.content.decode()
    assert "只读" in page
    for name in ACTIONS:
        assert reverse(f"cases:{name}", args=[case.pk]) not in page
    assert "/enrollments/new/" not in page


def test_it_shows_the_due_date_and_overdue(client_for, staff_acheng, household):
    seed_campaign(datetime.date(2020, 4, 1))
    case = make_case(household)

    page = client_for(staff_acheng).get(url(case)).content.decode()

    assert "2020-05-31" in page
    assert "已逾期" in page


def test_it_is_404_outside_the_township(client_for, staff_qiji, household):
    case = make_case(household)

    assert client_for(staff_qiji).get(url(case)).status_code == 404


def test_it_is_404_for_an_unknown_case(client_for, admin_user):
    assert client_for(admin_user).get("/cases/999999/").status_code == 404


def test_it_refuses_post(client_for, staff_acheng, household):
    case = make_case(household)

    assert client_for(staff_acheng).post(url(case)).status_code == 405


def test_it_needs_a_login(client, household):
    case = make_case(household)

    response = client.get(url(case))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
