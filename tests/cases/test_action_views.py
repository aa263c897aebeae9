"""The workflow's POST views: submit, verify, return, dismiss, comment."""

import pytest
from django.urls import reverse

from .ledger_builders import make_case

pytestmark = pytest.mark.django_db


def post(client, name, case, data=None):
    return client.post(reverse(f"cases:{name}", args=[case.pk]), data or {})


def test_staff_submit_and_are_sent_back_to_the_case(
    client_for, staff_acheng, household
):
    case = make_case(household)
    client = client_for(staff_acheng)

    response = post(
        client,
        "submit",
        case,
        {"resolution": "rectified", "note": "已纳入", "version": case.version},
    )

    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    case.refresh_from_db()
    assert case.status == "submitted"
    page = client.get(response["Location"]).content.decode()
    assert "已提交整改" in page


def test_a_missing_justification_shows_the_page_again(
    client_for, staff_acheng, household
):
    case = make_case(household)

    response = post(
        client_for(staff_acheng),
        "submit",
        case,
        {"resolution": "not_applicable", "note": "", "version": case.version},
    )

    assert response.status_code == 400
    assert "必须说明理由" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "open"


def test_a_stale_page_is_refused(client_for, staff_acheng, household):
    case = make_case(household)

    response = post(
        client_for(staff_acheng),
        "submit",
        case,
        {"resolution": "rectified", "version": case.version - 1},
    )

    assert response.status_code == 400
    assert "刚被他人更新" in response.content.decode()


def test_a_chief_verifies(client_for, chief_elderly, household):
    case = make_case(household, status="submitted", finding_holds=False)

    response = post(
        client_for(chief_elderly), "verify", case, {"note": "", "version": case.version}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "verified"


def test_verifying_while_the_finding_holds_explains_why_not(
    client_for, chief_elderly, household
):
    case = make_case(household, status="submitted")

    response = post(client_for(chief_elderly), "verify", case, {"note": ""})

    assert response.status_code == 400
    assert "仍发现该问题" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "submitted"


def test_a_chief_returns_with_a_reason(client_for, chief_elderly, household):
    case = make_case(household, status="submitted")

    response = post(client_for(chief_elderly), "return", case, {"reason": "请补充材料"})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "returned"
    assert case.events.latest("pk").note == "请补充材料"


def test_returning_without_a_reason_is_refused(client_for, chief_elderly, household):
    case = make_case(household, status="submitted")

    response = post(client_for(chief_elderly), "return", case, {"reason": ""})

    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == "submitted"


def test_a_chief_dismisses_does_not_apply(client_for, chief_elderly, household):
    case = make_case(household, status="submitted", resolution="not_applicable")

    response = post(client_for(chief_elderly), "dismiss", case, {"note": "同意"})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "dismissed"


def test_dismissing_a_rectified_submission_is_refused(
    client_for, chief_elderly, household
):
    case = make_case(household, status="submitted", resolution="rectified")

    response = post(client_for(chief_elderly), "dismiss", case, {"note": ""})

    assert response.status_code == 400
    assert "不适用" in response.content.decode()


def test_staff_comment(client_for, staff_acheng, household):
    case = make_case(household)

    response = post(client_for(staff_acheng), "comment", case, {"note": "已入户"})

    assert response.status_code == 302
    assert case.events.latest("pk").note == "已入户"


def test_an_empty_comment_is_refused(client_for, staff_acheng, household):
    case = make_case(household)

    response = post(client_for(staff_acheng), "comment", case, {"note": ""})

    assert response.status_code == 400
    assert case.events.count() == 1


@pytest.mark.parametrize(
    ("name", "status", "data"),
    [
        ("verify", "submitted", {}),
        ("return", "submitted", {"reason": "x"}),
        ("dismiss", "submitted", {}),
    ],
)
def test_township_staff_never_review(
    client_for, staff_acheng, household, name, status, data
):
    case = make_case(
        household, status=status, resolution="not_applicable", finding_holds=False
    )

    assert post(client_for(staff_acheng), name, case, data).status_code == 403
    case.refresh_from_db()
    assert case.status == status


@pytest.mark.parametrize("name", ["submit", "verify", "return", "dismiss", "comment"])
def test_outsiders_get_404(client_for, staff_qiji, household, name):
    case = make_case(household, status="submitted", finding_holds=False)

    assert post(client_for(staff_qiji), name, case, {"note": "x"}).status_code == 404


@pytest.mark.parametrize("name", ["submit", "verify", "return", "dismiss", "comment"])
def test_get_is_not_allowed(client_for, admin_user, household, name):
    case = make_case(household)

    response = client_for(admin_user).get(reverse(f"cases:{name}", args=[case.pk]))

    assert response.status_code == 405
