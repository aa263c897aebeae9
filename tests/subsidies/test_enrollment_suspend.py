"""enrollment_suspend: pause a running benefit (暂停)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from subsidies.services import enrollment_suspend

pytestmark = pytest.mark.django_db


def test_it_suspends_a_running_enrollment(
    dibao, staff_acheng, rechecked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_suspend(enrollment=dibao, actor=staff_acheng, note="外出务工待核实")
    dibao.refresh_from_db()
    assert (dibao.status, dibao.note) == ("suspended", "外出务工待核实")
    assert dibao.history.latest().history_change_reason == "表单"
    assert rechecked == [[dibao.member.household_id]]


def test_it_refuses_an_application(dibao, staff_acheng):
    dibao.status = "pending"
    dibao.save()
    with pytest.raises(ValidationError, match="只有在保或延保"):
        enrollment_suspend(enrollment=dibao, actor=staff_acheng)


def test_it_refuses_a_chief(dibao, chief_assistance):
    with pytest.raises(PermissionDenied):
        enrollment_suspend(enrollment=dibao, actor=chief_assistance)
