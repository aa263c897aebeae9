"""Registering children, their visits, supervisors and directors (services)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from care import services
from care.models import ChildDirector, ChildSupervisor
from tests.factories import make_id_number, make_village

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_child_in_difficulty_needs_its_sub_type(village):
    with pytest.raises(ValidationError, match="困境类型"):
        services.child_register(
            village=village,
            name="小明",
            id_number=make_id_number(D(2012, 1, 1)),
            category="in_difficulty",
        )
    child = services.child_register(
        village=village,
        name="小明",
        id_number=make_id_number(D(2012, 1, 1)),
        category="in_difficulty",
        difficulty_type="disability",
    )
    assert child.category_label == "困境儿童（自身残疾）"


def test_a_left_behind_child_carries_no_sub_type(village, child):
    services.child_update(child=child, difficulty_type="poverty")
    child.refresh_from_db()
    assert child.difficulty_type == ""
    services.child_update(
        child=child, category="in_difficulty", difficulty_type="poverty"
    )
    child.refresh_from_db()
    assert (child.category, child.difficulty_type) == ("in_difficulty", "poverty")


def test_it_registers_children_under_18_only(village):
    with pytest.raises(ValidationError, match="未满 18 周岁"):
        services.child_register(
            village=village,
            name="大明",
            id_number=make_id_number(D(2000, 1, 1)),
            category="left_behind",
            registered_on=D(2020, 5, 1),
        )


def test_a_child_visit_is_kept_with_history(child, staff_acheng, today):
    visit = services.child_visit_record(
        child=child,
        visit_date=today,
        visitor="儿童主任",
        situation="在校表现良好",
        actor=staff_acheng,
    )
    assert visit.history.get().history_user == staff_acheng


def test_supervisors_and_directors_belong_to_their_township(
    acheng, village, staff_acheng, staff_qiji
):
    supervisor = services.child_supervisor_add(
        township=acheng, name="李 督导", phone="130", actor=staff_acheng
    )
    assert supervisor.name == "李督导" and supervisor.active
    with pytest.raises(PermissionDenied):
        services.child_supervisor_add(
            township=acheng, name="外人", phone="1", actor=staff_qiji
        )
    services.child_supervisor_retire(supervisor=supervisor, actor=staff_acheng)
    assert not ChildSupervisor.objects.get().active

    services.child_director_set(village=village, name="张主任", phone="131")
    services.child_director_set(village=village, name="王主任", phone="132")
    director = ChildDirector.objects.get()
    assert director.name == "王主任"
    assert director.history.count() == 2
    with pytest.raises(PermissionDenied):
        services.child_director_clear(
            village=make_village("阿城镇", "西关村"), actor=staff_qiji
        )
    services.child_director_clear(village=village, actor=staff_acheng)
    assert not ChildDirector.objects.exists()
