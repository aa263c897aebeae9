"""Candidates for centralized care, workforce flags and the tracker numbers."""

import datetime
from decimal import Decimal

import pytest

from care import services
from care.selectors import (
    care_params,
    centralized_candidates,
    overdue_summary,
    work_point_tracker,
    workforce,
)
from households.models import Member
from subsidies.parameters import parameter_set
from tests.care.conftest import on_dibao, on_tekun
from tests.factories import make_member, make_village

pytestmark = pytest.mark.django_db
D = datetime.date
ON = D(2020, 5, 15)


def _candidates(on=ON):
    return set(
        centralized_candidates(Member.objects.all(), care_params(on)).values_list(
            "name", flat=True
        )
    )


def test_it_suggests_old_people_who_cannot_self_care_and_severely_disabled_adults(
    household,
):
    people = {
        "八十失能": {"birth": D(1940, 5, 15), "self_care": "partial"},
        "七十九失能": {"birth": D(1940, 5, 16), "self_care": "none"},
        "八十自理": {"birth": D(1935, 1, 1), "self_care": "full"},
        "八十未知": {"birth": D(1935, 1, 1)},
        "重残成人": {
            "birth": D(1980, 1, 1),
            "disability_category": "physical",
            "disability_grade": 1,
        },
        "三级残疾": {
            "birth": D(1930, 1, 1),
            "disability_category": "physical",
            "disability_grade": 3,
        },
        "重残儿童": {
            "birth": D(2010, 1, 1),
            "disability_category": "mental",
            "disability_grade": 2,
        },
    }
    for name, fields in people.items():
        on_dibao(make_member(household, name=name, relation="other", **fields))
    assert _candidates() == {"八十失能", "重残成人"}


def test_it_needs_an_active_dibao_and_leaves_out_the_housed_and_the_deceased(
    village, household, acheng
):
    old = {"birth": D(1930, 1, 1), "self_care": "none", "relation": "other"}
    not_on_dibao = make_member(household, name="无低保", **old)
    ended = on_dibao(make_member(household, name="低保已停", **old))
    ended.status, ended.end = "ended", D(2020, 1, 1)
    ended.save()
    dead = make_member(household, name="已故", deceased=True, **old)
    on_dibao(dead)
    housed = make_member(household, name="已入住", **old)
    on_dibao(housed)
    on_tekun(housed)
    home = services.institution_create(
        township=acheng, kind="nursing_home", name="敬老院", beds=10
    )
    services.institution_resident_add(institution=home, member=housed)
    assert not_on_dibao and _candidates() == set()


def test_the_age_is_the_dated_advanced_age_parameter(household):
    on_dibao(
        make_member(household, name="七十六", birth=D(1944, 1, 1), self_care="none")
    )
    assert _candidates() == set()
    parameter_set(name="advanced_age", value_text="75", effective_from=D(2020, 5, 1))
    assert _candidates() == {"七十六"}
    assert _candidates(D(2020, 4, 30)) == set()


def test_the_overdue_summary_follows_the_interval_and_the_scope(
    elder, qiji_elder, child, staff_acheng, chief_elderly, chief_affairs, today
):
    later = today + datetime.timedelta(days=31)
    assert overdue_summary(staff_acheng, today).elderly == 0
    summary = overdue_summary(staff_acheng, later)
    assert (summary.elderly, summary.children, summary.children_visible) == (1, 1, True)
    county = overdue_summary(chief_elderly, later)
    assert (county.elderly, county.children_visible) == (2, False)
    assert overdue_summary(chief_affairs, later).children == 1
    parameter_set(name="visit_interval_days", value_text="60", effective_from=today)
    assert overdue_summary(staff_acheng, later).elderly == 0


def test_workforce_flags_townships_without_supervisors_and_villages_without_directors(
    acheng, village, admin_user
):
    other = make_village(acheng, "西关村")
    services.child_director_set(village=village, name="张主任", phone="1")
    rows = {row.township.name: row for row in workforce(admin_user)}
    assert len(rows) == 18
    row = rows["阿城镇"]
    assert not row.has_supervisor
    assert row.villages_without_director == [other]
    services.child_supervisor_add(township=acheng, name="李督导", phone="2")
    assert workforce(admin_user, acheng)[0].has_supervisor


def test_the_tracker_counts_each_work_point_per_township(
    acheng,
    qiji,
    village,
    qiji_village,
    elder,
    qiji_elder,
    child,
    today,
    django_assert_max_num_queries,
):
    make_village(acheng, "西关村")
    services.child_supervisor_add(township=acheng, name="李督导", phone="1")
    services.child_director_set(village=village, name="张主任", phone="2")
    services.village_work_point_set(
        village=village, council_established=True, rules_in_place=True
    )
    services.institution_create(
        township=acheng,
        kind="nursing_home",
        name="敬老院",
        status="operating",
        beds=60,
        residents=30,
    )
    services.institution_create(
        township=acheng,
        kind="happiness_home",
        name="幸福院",
        status="building",
        beds=20,
    )
    services.charity_drive_set(
        township=acheng, year=today.year, amount=Decimal("12345.60")
    )
    services.charity_drive_set(township=acheng, year=today.year - 1, amount=Decimal(99))
    services.social_organization_create(
        township=acheng, name="志愿者协会", kind="association", activity="帮扶"
    )
    with django_assert_max_num_queries(11):
        tracker = work_point_tracker(as_of=today, township_ids=[acheng.pk, qiji.pk])
    row, other = tracker.rows
    assert (row.name, other.name) == ("阿城镇", "七级镇")
    assert (row.elderly, row.elderly_overdue, row.elderly_without_contact) == (1, 0, 0)
    assert (row.left_behind_children, row.supervisors, other.supervisors) == (1, 1, 0)
    assert (row.villages, row.villages_with_director, row.director_rate) == (2, 1, 0.5)
    assert (row.council_rate, row.rules_rate, row.disclosure_rate) == (0.5, 0.5, 0.0)
    assert (row.nursing_homes, row.happiness_homes, row.institutions_operating) == (
        1,
        1,
        1,
    )
    assert (row.beds, row.residents) == (60, 30)
    assert row.charity_amount == Decimal("12345.60") and row.social_organizations == 1
    total = tracker.total
    assert (total.name, total.elderly, total.townships_without_supervisor) == (
        "全县合计",
        2,
        1,
    )
    texts = {p.point.numeral: p.indicator for p in tracker.points}
    assert len(tracker.points) == 9
    assert "留守老年人 2 人" in texts["四"]
    assert "12,345.60 元" in texts["七"]
    assert "未配备儿童督导员的乡镇（街道）1 个" in texts["五"]

    later = work_point_tracker(
        as_of=today + datetime.timedelta(days=40), township_ids=[acheng.pk]
    )
    assert later.rows[0].elderly_overdue == 1 and later.rows[0].children_overdue == 1
    assert later.total.name == "合计"
