"""enrollment_review: record a review (复核) and carry out its decision."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from subsidies.services import enrollment_review

pytestmark = pytest.mark.django_db
D = datetime.date


def test_it_records_a_decision_to_continue(dibao, staff_acheng):
    enrollment_review(
        enrollment=dibao,
        review_date=D(2020, 4, 10),
        decision="continue",
        actor=staff_acheng,
    )
    dibao.refresh_from_db()
    assert (dibao.status, dibao.review_date, dibao.review_decision) == (
        "active",
        D(2020, 4, 10),
        "continue",
    )
    assert dibao.history.latest().history_change_reason == "表单"


def test_it_ends_on_the_review_date_for_a_decision_to_end(dibao, staff_acheng):
    enrollment_review(
        enrollment=dibao,
        review_date=D(2020, 4, 10),
        decision="end",
        end_reason="moved",
        actor=staff_acheng,
    )
    dibao.refresh_from_db()
    assert (dibao.status, dibao.end, dibao.end_reason, dibao.review_decision) == (
        "ended",
        D(2020, 4, 10),
        "moved",
        "end",
    )


def test_it_needs_a_reason_to_end_a_running_enrollment(dibao, staff_acheng):
    with pytest.raises(ValidationError) as exc:
        enrollment_review(
            enrollment=dibao,
            review_date=D(2020, 4, 10),
            decision="end",
            actor=staff_acheng,
        )
    assert "停保原因" in exc.value.message_dict["end_reason"][0]


def test_it_only_records_the_decision_on_an_ended_enrollment(dibao, staff_acheng):
    """The exit review of a household lifted out of poverty."""
    dibao.status, dibao.end, dibao.end_reason = "ended", D(2020, 2, 29), "improved"
    dibao.save()
    enrollment_review(
        enrollment=dibao, review_date=D(2020, 4, 10), decision="end", actor=staff_acheng
    )
    dibao.refresh_from_db()
    assert (dibao.end, dibao.end_reason, dibao.review_decision) == (
        D(2020, 2, 29),
        "improved",
        "end",
    )


def test_it_grants_the_extension_for_a_decision_to_extend(dibao, staff_acheng):
    extension = enrollment_review(
        enrollment=dibao,
        review_date=D(2020, 3, 15),
        decision="extend",
        end_reason="employment",
        actor=staff_acheng,
    )
    assert (extension.status, extension.start) == ("extension", D(2020, 4, 1))


def test_it_refuses_an_unknown_decision(dibao, staff_acheng):
    with pytest.raises(ValidationError):
        enrollment_review(
            enrollment=dibao,
            review_date=D(2020, 4, 10),
            decision="maybe",
            actor=staff_acheng,
        )


def test_it_refuses_staff_of_another_township(dibao, staff_qiji):
    with pytest.raises(PermissionDenied):
        enrollment_review(
            enrollment=dibao,
            review_date=D(2020, 4, 10),
            decision="continue",
            actor=staff_qiji,
        )
