"""case_dismiss: a chief accepts "does not apply" (→ dismissed, final)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.services import case_dismiss, case_return, case_submit, case_verify

from .ledger_builders import make_case

pytestmark = pytest.mark.django_db


def test_it_dismisses_a_does_not_apply_submission(household, chief_elderly):
    case = make_case(household, status="submitted", resolution="not_applicable")

    case_dismiss(case=case, user=chief_elderly, note="同意")

    case.refresh_from_db()
    assert case.status == "dismissed"
    assert case.closed_at is not None
    event = case.events.latest("pk")
    assert (event.kind, event.actor, event.status_after) == (
        "dismissed",
        chief_elderly,
        "dismissed",
    )


def test_it_dismisses_even_while_the_finding_holds(household, chief_elderly):
    case = make_case(
        household, status="submitted", resolution="not_applicable", finding_holds=True
    )

    case_dismiss(case=case, user=chief_elderly)

    case.refresh_from_db()
    assert case.status == "dismissed"


@pytest.mark.parametrize("resolution", ["rectified", "auto"])
def test_it_refuses_other_resolutions(household, chief_elderly, resolution):
    case = make_case(household, status="submitted", resolution=resolution)

    with pytest.raises(ValidationError):
        case_dismiss(case=case, user=chief_elderly)


@pytest.mark.parametrize("status", ["open", "returned", "verified", "dismissed"])
def test_it_refuses_cases_that_are_not_submitted(household, chief_elderly, status):
    case = make_case(household, status=status, resolution="not_applicable")

    with pytest.raises(ValidationError):
        case_dismiss(case=case, user=chief_elderly)


def test_a_dismissed_case_is_final(household, chief_elderly, staff_acheng):
    case = make_case(household, status="dismissed", finding_holds=False)

    with pytest.raises(ValidationError):
        case_submit(case=case, user=staff_acheng, resolution="rectified")
    with pytest.raises(ValidationError):
        case_verify(case=case, user=chief_elderly)
    with pytest.raises(ValidationError):
        case_return(case=case, user=chief_elderly, reason="重新整改")


@pytest.mark.parametrize("persona", ["staff_acheng", "chief_affairs"])
def test_it_refuses_staff_and_chiefs_of_other_sections(household, personas, persona):
    case = make_case(household, status="submitted", resolution="not_applicable")

    with pytest.raises(PermissionDenied):
        case_dismiss(case=case, user=personas[persona])
