"""case_return: a chief of the section sends a submitted case back (→ returned)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.services import case_return, case_submit

from .ledger_builders import make_case

pytestmark = pytest.mark.django_db


def test_it_returns_a_submitted_case_with_the_reason(household, chief_elderly):
    case = make_case(household, status="submitted", resolution="rectified")

    case_return(case=case, user=chief_elderly, reason="未见补贴发放记录，请补充")

    case.refresh_from_db()
    assert (case.status, case.resolution, case.version) == ("returned", "", 2)
    event = case.events.latest("pk")
    assert (event.kind, event.actor, event.note) == (
        "returned",
        chief_elderly,
        "未见补贴发放记录，请补充",
    )


def test_a_returned_case_can_be_submitted_again(household, chief_elderly, staff_acheng):
    case = make_case(household, status="submitted", resolution="not_applicable")
    case_return(case=case, user=chief_elderly, reason="理由不充分")

    case_submit(case=case, user=staff_acheng, resolution="rectified")

    case.refresh_from_db()
    assert case.status == "submitted"
    assert list(case.events.values_list("kind", flat=True)) == [
        "opened",
        "returned",
        "submitted",
    ]


def test_it_needs_a_reason(household, chief_elderly):
    case = make_case(household, status="submitted")

    with pytest.raises(ValidationError) as exc:
        case_return(case=case, user=chief_elderly, reason="  ")

    assert "必须说明理由" in str(exc.value)


@pytest.mark.parametrize("status", ["open", "returned", "verified", "dismissed"])
def test_it_refuses_cases_that_are_not_submitted(household, chief_elderly, status):
    case = make_case(household, status=status)

    with pytest.raises(ValidationError):
        case_return(case=case, user=chief_elderly, reason="请核实")


def test_it_lets_the_admin_return(household, admin_user):
    case = make_case(household, status="submitted")

    case_return(case=case, user=admin_user, reason="请核实")

    case.refresh_from_db()
    assert case.status == "returned"


@pytest.mark.parametrize("persona", ["staff_acheng", "staff_qiji", "chief_assistance"])
def test_it_refuses_staff_and_chiefs_of_other_sections(household, personas, persona):
    case = make_case(household, status="submitted")

    with pytest.raises(PermissionDenied):
        case_return(case=case, user=personas[persona], reason="请核实")
