"""Bulk review: a chief verifies or returns several cases, the note on each."""

import pytest
from django.urls import reverse

from tests.factories import make_member

from .ledger_builders import make_case

pytestmark = pytest.mark.django_db
URL = reverse("cases:bulk_review")


@pytest.fixture
def submitted(household):
    """Three submitted elderly-subsidy cases, two of them rectified in the data."""
    return [
        make_case(
            household,
            member=make_member(household, name=f"老人{i}"),
            status="submitted",
            finding_holds=i == 2,
        )
        for i in range(3)
    ]


def test_it_verifies_each_case_and_reports_the_refused(
    client_for, chief_elderly, submitted
):
    client = client_for(chief_elderly)

    response = client.post(
        URL,
        {
            "action": "verify",
            "cases": [c.pk for c in submitted],
            "note": "已核对发放名册",
            "next": reverse("cases:queue") + "?tab=submitted",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("cases:queue") + "?tab=submitted"
    statuses = []
    for case in submitted:
        case.refresh_from_db()
        statuses.append(case.status)
    assert statuses == ["verified", "verified", "submitted"]
    assert submitted[0].events.latest("pk").note == "已核对发放名册"
    page = response.content.decode()
    assert "已核实销号 2 件问题" in page
    assert f"#{submitted[2].pk}" in page and "仍发现该问题" in page


def test_it_returns_each_case_with_the_reason(client_for, chief_elderly, submitted):
    client_for(chief_elderly).post(
        URL,
        {"action": "return", "cases": [c.pk for c in submitted], "note": "请补充材料"},
    )

    for case in submitted:
        case.refresh_from_db()
        assert case.status == "returned"
        assert case.events.latest("pk").note == "请补充材料"


def test_returning_needs_a_reason(client_for, chief_elderly, submitted):
    response = client_for(chief_elderly).post(
        URL, {"action": "return", "cases": [submitted[0].pk], "note": ""}, follow=True
    )

    assert "退回时必须填写理由" in response.content.decode()
    submitted[0].refresh_from_db()
    assert submitted[0].status == "submitted"


def test_nothing_selected_is_explained(client_for, chief_elderly, submitted):
    response = client_for(chief_elderly).post(
        URL, {"action": "verify", "note": ""}, follow=True
    )

    assert "请先勾选问题" in response.content.decode()


def test_cases_of_another_section_are_refused_one_by_one(
    client_for, chief_assistance, submitted
):
    response = client_for(chief_assistance).post(
        URL, {"action": "verify", "cases": [submitted[0].pk]}, follow=True
    )

    submitted[0].refresh_from_db()
    assert submitted[0].status == "submitted"
    assert "1 件未能核实销号" in response.content.decode()


def test_an_outside_redirect_target_is_ignored(client_for, chief_elderly, submitted):
    response = client_for(chief_elderly).post(
        URL,
        {
            "action": "verify",
            "cases": [submitted[0].pk],
            "next": "https://evil.example/",
        },
    )

    assert response["Location"] == reverse("cases:queue")


def test_township_staff_are_refused(client_for, staff_acheng, submitted):
    response = client_for(staff_acheng).post(
        URL, {"action": "verify", "cases": [submitted[0].pk]}
    )

    assert response.status_code == 403


def test_it_refuses_get(client_for, chief_elderly):
    assert client_for(chief_elderly).get(URL).status_code == 405
