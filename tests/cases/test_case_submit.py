"""case_submit: township staff submit a rectification (open/returned → submitted)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import CaseEvent
from cases.services import case_submit

from .ledger_builders import make_case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["open", "returned"])
def test_it_submits_an_open_or_returned_case_as_rectified(
    household, staff_acheng, status
):
    case = make_case(household, status=status)

    case = case_submit(
        case=case, user=staff_acheng, resolution="rectified", note="已于4月纳入"
    )

    case.refresh_from_db()
    assert case.status == "submitted"
    assert case.resolution == "rectified"
    assert case.version == 2
    assert case.closed_at is None
    event = case.events.latest("pk")
    assert (event.kind, event.actor, event.status_after, event.note) == (
        "submitted",
        staff_acheng,
        "submitted",
        "已于4月纳入",
    )


def test_it_submits_does_not_apply_with_a_justification(household, staff_acheng):
    case = make_case(household)

    case_submit(
        case=case,
        user=staff_acheng,
        resolution="not_applicable",
        note="经入户核实，该户已迁出本县",
    )

    case.refresh_from_db()
    assert (case.status, case.resolution) == ("submitted", "not_applicable")


def test_it_refuses_does_not_apply_without_a_justification(household, staff_acheng):
    case = make_case(household)

    with pytest.raises(ValidationError) as exc:
        case_submit(case=case, user=staff_acheng, resolution="not_applicable", note=" ")

    assert "必须说明理由" in str(exc.value)
    case.refresh_from_db()
    assert case.status == "open"
    assert case.events.count() == 1


def test_it_refuses_an_unknown_resolution(household, staff_acheng):
    case = make_case(household)

    with pytest.raises(ValidationError):
        case_submit(case=case, user=staff_acheng, resolution="auto")


@pytest.mark.parametrize("status", ["submitted", "verified", "dismissed"])
def test_it_refuses_to_submit_from_other_statuses(household, staff_acheng, status):
    case = make_case(household, status=status)

    with pytest.raises(ValidationError):
        case_submit(case=case, user=staff_acheng, resolution="rectified")

    case.refresh_from_db()
    assert case.status == status
    assert case.version == 1


def test_it_lets_the_admin_submit(household, admin_user):
    case = make_case(household)

    case_submit(case=case, user=admin_user, resolution="rectified")

    assert case.events.latest("pk").actor == admin_user


@pytest.mark.parametrize(
    "persona", ["staff_qiji", "chief_elderly", "chief_assistance", "chief_affairs"]
)
def test_it_refuses_staff_of_another_township_and_every_chief(
    household, personas, persona
):
    case = make_case(household)

    with pytest.raises(PermissionDenied):
        case_submit(case=case, user=personas[persona], resolution="rectified")

    assert not CaseEvent.objects.filter(kind="submitted").exists()


def test_it_refuses_a_stale_page(household, staff_acheng):
    case = make_case(household)

    with pytest.raises(ValidationError) as exc:
        case_submit(
            case=case, user=staff_acheng, resolution="rectified", expected_version=0
        )

    assert "刚被他人更新" in str(exc.value)
