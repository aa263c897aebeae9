"""enrollment_update: explicit changes, one history row per real change."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from subsidies.services import enrollment_update

pytestmark = pytest.mark.django_db


def test_it_changes_the_given_fields_and_bumps_the_version(
    dibao, staff_acheng, rechecked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_update(
            enrollment=dibao,
            actor=staff_acheng,
            amount=Decimal("420.00"),
            note="2020年提标",
        )
    dibao.refresh_from_db()
    assert (dibao.amount, dibao.note, dibao.version) == (Decimal(420), "2020年提标", 2)
    latest = dibao.history.latest()
    assert latest.history_type == "~"
    assert latest.history_change_reason == "表单"
    assert rechecked == [[dibao.member.household_id]]


def test_it_writes_nothing_when_nothing_changes(
    dibao, staff_acheng, rechecked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_update(enrollment=dibao, actor=staff_acheng, amount=Decimal(380))
    assert dibao.version == 1
    assert rechecked == []


def test_it_refuses_a_stale_form(dibao, staff_acheng):
    with pytest.raises(ValidationError, match="已被他人修改"):
        enrollment_update(
            enrollment=dibao, actor=staff_acheng, expected_version=0, note="x"
        )


def test_it_validates_the_result(dibao, staff_acheng):
    with pytest.raises(ValidationError) as exc:
        enrollment_update(
            enrollment=dibao, actor=staff_acheng, end=datetime.date(2018, 1, 1)
        )
    assert "不能早于开始日期" in exc.value.message_dict["end"][0]


def test_it_refuses_fields_that_are_not_updatable(dibao, staff_acheng):
    with pytest.raises(TypeError):
        enrollment_update(enrollment=dibao, actor=staff_acheng, member_id=1)


def test_it_refuses_a_chief(dibao, chief_assistance):
    with pytest.raises(PermissionDenied):
        enrollment_update(enrollment=dibao, actor=chief_assistance, note="x")
