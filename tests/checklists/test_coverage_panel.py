"""The coverage panel: on the household page and as a fragment (as-of control)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from checklists.models import HouseholdEvaluation, PolicyOutcome
from households.models import Member
from subsidies.models import Enrollment
from subsidies.parameters import parameter_set
from tests.factories import make_household, make_member

AS_OF = datetime.date(2020, 4, 15)


@pytest.fixture
def household(db, acheng):
    """An elderly head on dibao without the elderly subsidy, a working son."""
    parameter_set(
        name="dibao_standard_rural",
        value_text="4560",
        effective_from=datetime.date(2020, 1, 1),
    )
    household = make_household(
        acheng, poverty_type="dibao", income_per_capita=Decimal("6000")
    )
    head = make_member(household, name="赵老汉", birth=datetime.date(1950, 1, 1))
    make_member(
        household,
        name="赵小",
        relation="son",
        birth=datetime.date(1980, 6, 1),
        employment="migrant_work",
    )
    Enrollment.objects.create(
        member=head,
        benefit_id="dibao",
        scope="individual",
        start=datetime.date(2020, 3, 1),
    )
    return household


def _fragment(household, **query):
    return reverse("checklists:coverage_panel", args=[household.pk]), query


def test_it_shows_each_members_outcomes_on_the_household_page(
    client_for, staff_acheng, household, django_assert_max_num_queries
):
    client = client_for(staff_acheng)
    url = reverse("households:detail", args=[household.pk])
    with django_assert_max_num_queries(40):
        response = client.get(url, {"as_of": AS_OF.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="coverage"' in html
    assert "兜底政策落实情况" in html
    panel = response.context["panel"]
    assert panel.as_of == AS_OF
    rows = {row.name: {c.policy: c for c in row.cells} for row in panel.rows}
    assert rows["赵老汉"]["elderly"].outcome == "missing"
    assert rows["赵老汉"]["dibao"].outcome == "covered"
    assert rows["赵小"]["elderly"].outcome == "not_eligible"
    reasons = " ".join(rows["赵老汉"]["elderly"].reasons)
    assert "未落实困难老年人补贴" in reasons and "70岁" in reasons
    assert "在保（单人保），2020-03-01起" in rows["赵老汉"]["dibao"].reasons
    assert "应享未享" in html and "已享受" in html and "不符合条件" in html
    assert "checklists/coverage.js" in html


def test_it_computes_another_date_live_without_storing(
    client_for, staff_acheng, household
):
    client = client_for(staff_acheng)
    url, query = _fragment(household, as_of="2020-02-01")
    response = client.get(url, query)
    assert response.status_code == 200
    panel = response.context["panel"]
    assert panel.as_of == datetime.date(2020, 2, 1)
    assert not panel.is_today
    # Before the dibao started, the elderly subsidy was not yet due.
    head = next(row for row in panel.rows if row.name == "赵老汉")
    assert {c.policy: c.outcome for c in head.cells}["elderly"] == "not_eligible"
    assert "仅供查看，不保存" in response.content.decode()
    assert "checklists/coverage.js" not in response.content.decode()
    assert not HouseholdEvaluation.objects.exists()
    assert not PolicyOutcome.objects.exists()


def test_it_defaults_to_today_and_explains_a_bad_date(
    client_for, staff_acheng, household
):
    client = client_for(staff_acheng)
    url, _ = _fragment(household)
    assert client.get(url).context["panel"].as_of == timezone.localdate()
    response = client.get(url, {"as_of": "2020-13-45"})
    assert response.status_code == 200
    panel = response.context["panel"]
    assert panel.as_of == timezone.localdate()
    assert "日期“2020-13-45”无效" in panel.date_error


def test_it_lists_data_quality_findings_for_staff_to_fix(
    client_for, staff_acheng, household
):
    son = household.members.get(name="赵小")
    Member.objects.filter(pk=son.pk).update(
        health="disabled", disability_category="physical"
    )
    response = client_for(staff_acheng).get(*_fragment(household, as_of="2020-04-15"))
    items = response.context["panel"].data_quality
    assert [(i.title, i.who) for i in items] == [("残疾信息登记不完整", "赵小")]
    assert "数据质量" in response.content.decode()


def test_it_explains_a_household_out_of_scope(client_for, staff_acheng, acheng):
    household = make_household(acheng, poverty_status="lifted")
    make_member(household)
    response = client_for(staff_acheng).get(*_fragment(household))
    assert response.status_code == 200
    assert not response.context["panel"].in_scope
    assert "不在兜底保障政策排查范围内" in response.content.decode()


def test_it_lets_a_section_chief_read_the_panel(client_for, chief_elderly, household):
    response = client_for(chief_elderly).get(*_fragment(household))
    assert response.status_code == 200


def test_it_answers_404_to_another_townships_staff(client_for, staff_qiji, household):
    client = client_for(staff_qiji)
    assert client.get(*_fragment(household)).status_code == 404
    detail = reverse("households:detail", args=[household.pk])
    assert client.get(detail).status_code == 404


def test_it_answers_404_for_a_removed_household(client_for, staff_acheng, household):
    household.removed = True
    household.save()
    assert client_for(staff_acheng).get(*_fragment(household)).status_code == 404


def test_it_only_accepts_get(client_for, staff_acheng, household):
    url, _ = _fragment(household)
    assert client_for(staff_acheng).post(url).status_code == 405


def test_it_runs_in_a_constant_number_of_queries(
    client_for,
    staff_acheng,
    household,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    client = client_for(staff_acheng)
    # Session, user, household, facts (four), parameters, duplicates, the
    # layout's context processors and the session save.
    with django_assert_max_num_queries(15) as two:
        client.get(*_fragment(household))
    for index in range(8):
        make_member(household, name=f"成员{index}", relation="daughter")
    with django_assert_num_queries(len(two)):
        response = client.get(*_fragment(household))
    assert len(response.context["panel"].rows) == 10
