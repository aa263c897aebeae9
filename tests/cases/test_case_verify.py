"""case_verify: a chief of the section closes a submitted case (→ verified)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.services import case_verify

from .ledger_builders import make_case

pytestmark = pytest.mark.django_db


def test_it_verifies_when_the_finding_no_longer_holds(household, chief_elderly):
    case = make_case(
        household, status="submitted", resolution="rectified", finding_holds=False
    )

    case_verify(case=case, user=chief_elderly, note="已核实发放记录")

    case.refresh_from_db()
    assert case.status == "verified"
    assert case.closed_at is not None
    assert case.version == 2
    event = case.events.latest("pk")
    assert (event.kind, event.actor, event.status_after, event.note) == (
        "verified",
        chief_elderly,
        "verified",
        "已核实发放记录",
    )


def test_it_verifies_an_automatic_rectification(household, chief_elderly):
    case = make_case(
        household, status="submitted", resolution="auto", finding_holds=False
    )

    case_verify(case=case, user=chief_elderly)

    case.refresh_from_db()
    assert case.status == "verified"


def test_it_refuses_while_the_latest_check_still_finds_the_problem(
    household, chief_elderly
):
    case = make_case(household, status="submitted", resolution="rectified")

    with pytest.raises(ValidationError) as exc:
        case_verify(case=case, user=chief_elderly)

    assert "仍发现该问题" in str(exc.value)
    case.refresh_from_db()
    assert case.status == "submitted"


@pytest.mark.parametrize("status", ["open", "returned", "verified", "dismissed"])
def test_it_refuses_cases_that_are_not_submitted(household, chief_elderly, status):
    case = make_case(household, status=status, finding_holds=False)

    with pytest.raises(ValidationError):
        case_verify(case=case, user=chief_elderly)

    case.refresh_from_db()
    assert case.status == status


def test_it_lets_the_admin_verify_any_section(household, admin_user):
    case = make_case(household, status="submitted", finding_holds=False)

    case_verify(case=case, user=admin_user)

    case.refresh_from_db()
    assert case.status == "verified"


@pytest.mark.parametrize(
    "persona", ["staff_acheng", "staff_qiji", "chief_assistance", "chief_affairs"]
)
def test_it_refuses_township_staff_and_chiefs_of_other_sections(
    household, personas, persona
):
    case = make_case(household, status="submitted", finding_holds=False)

    with pytest.raises(PermissionDenied):
        case_verify(case=case, user=personas[persona])

    case.refresh_from_db()
    assert case.status == "submitted"
