"""case_comment: a note on the timeline by anyone who may act on the case."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.services import case_comment

from .ledger_builders import make_case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["staff_acheng", "chief_elderly", "admin"])
def test_it_appends_a_comment_without_changing_the_status(household, personas, persona):
    case = make_case(household, status="verified", finding_holds=False)

    event = case_comment(case=case, user=personas[persona], note="已电话回访")

    case.refresh_from_db()
    assert case.status == "verified"
    assert case.version == 2
    assert (event.kind, event.actor, event.status_after, event.note) == (
        "comment",
        personas[persona],
        "verified",
        "已电话回访",
    )


@pytest.mark.parametrize("persona", ["staff_qiji", "chief_assistance"])
def test_it_refuses_those_who_only_read(household, personas, persona):
    case = make_case(household)

    with pytest.raises(PermissionDenied):
        case_comment(case=case, user=personas[persona], note="看看")

    assert case.events.count() == 1


def test_it_refuses_an_empty_note(household, staff_acheng):
    case = make_case(household)

    with pytest.raises(ValidationError):
        case_comment(case=case, user=staff_acheng, note="   ")
