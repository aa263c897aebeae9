"""enrollment_end: stop a benefit (停保) on a date for a reason."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from subsidies.services import enrollment_end

pytestmark = pytest.mark.django_db
D = datetime.date


def test_it_ends_with_date_reason_and_history(
    dibao, staff_acheng, rechecked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_end(
            enrollment=dibao, end=D(2020, 3, 31), end_reason="death", actor=staff_acheng
        )
    dibao.refresh_from_db()
    assert (dibao.status, dibao.end, dibao.end_reason) == (
        "ended",
        D(2020, 3, 31),
        "death",
    )
    assert dibao.history.latest().history_change_reason == "表单"
    assert rechecked == [[dibao.member.household_id]]


def test_it_refuses_to_end_twice(dibao, staff_acheng):
    enrollment_end(
        enrollment=dibao, end=D(2020, 3, 31), end_reason="moved", actor=staff_acheng
    )
    with pytest.raises(ValidationError, match="已停保"):
        enrollment_end(
            enrollment=dibao, end=D(2020, 4, 30), end_reason="moved", actor=staff_acheng
        )


def test_it_refuses_an_end_before_the_start(dibao, staff_acheng):
    with pytest.raises(ValidationError) as exc:
        enrollment_end(
            enrollment=dibao,
            end=D(2018, 12, 31),
            end_reason="moved",
            actor=staff_acheng,
        )
    assert "不能早于开始日期" in exc.value.message_dict["end"][0]


def test_it_needs_a_reason(dibao, staff_acheng):
    with pytest.raises(ValidationError) as exc:
        enrollment_end(
            enrollment=dibao, end=D(2020, 3, 31), end_reason="", actor=staff_acheng
        )
    assert "停保原因" in exc.value.message_dict["end_reason"][0]


def test_it_refuses_staff_of_another_township(dibao, staff_qiji):
    with pytest.raises(PermissionDenied):
        enrollment_end(
            enrollment=dibao, end=D(2020, 3, 31), end_reason="moved", actor=staff_qiji
        )
