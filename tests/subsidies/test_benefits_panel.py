"""The benefits panel on the household page, and its selector."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from subsidies.models import Enrollment, TemporaryGrant
from subsidies.selectors import household_benefits
from tests.factories import make_member

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def benefits(family, dibao):
    household, head, wife, son = family
    Enrollment.objects.create(
        member=wife,
        benefit_id="tekun",
        care_mode="dispersed",
        status="pending",
        start=D(2020, 3, 1),
    )
    TemporaryGrant.objects.create(
        member=wife, date=D(2020, 3, 10), amount=800, grant_type="emergency"
    )
    return household


def test_it_loads_a_household_in_three_queries(benefits, django_assert_num_queries):
    with django_assert_num_queries(3):
        members = household_benefits(benefits)
        rows = [
            (m.name, [e.benefit.short_name for e in m.enrollments.all()])
            for m in members
        ]
        grants = [g.amount for m in members for g in m.grants.all()]
    assert rows == [("王大山", ["低保"]), ("李秀英", ["特困供养"]), ("王小军", [])]
    assert grants == [800]


def test_it_renders_a_row_per_benefit_with_actions_for_editors(benefits):
    html = render_to_string(
        "subsidies/_benefits_panel.html",
        {
            "household": benefits,
            "members": household_benefits(benefits),
            "can_edit": True,
            "today": D(2020, 4, 15),
        },
    )
    assert "单人保" in html and "在保" in html and "2019-01-01" in html
    assert "分散供养" in html and "待审批" in html
    assert "临时救助" in html and "一次性 800" in html
    assert "暂无救助/补贴记录" in html  # the son
    dibao = Enrollment.objects.get(benefit_id="dibao")
    for name in ("enrollment_edit", "enrollment_end", "enrollment_extend"):
        assert reverse(f"subsidies:{name}", args=[dibao.pk]) in html
    assert reverse("subsidies:dibao_household", args=[benefits.pk]) in html


def test_it_shows_no_actions_to_readers(benefits):
    html = render_to_string(
        "subsidies/_benefits_panel.html",
        {
            "household": benefits,
            "members": household_benefits(benefits),
            "can_edit": False,
        },
    )
    assert "在保" in html
    assert "/subsidies/" not in html


def test_it_is_on_the_household_page(
    client_for, staff_acheng, chief_assistance, benefits
):
    url = benefits.get_absolute_url()
    body = client_for(staff_acheng).get(url).content.decode()
    assert 'id="benefits"' in body
    assert reverse("subsidies:dibao_household", args=[benefits.pk]) in body
    body = client_for(chief_assistance).get(url).content.decode()
    assert 'id="benefits"' in body and "单人保" in body
    assert reverse("subsidies:dibao_household", args=[benefits.pk]) not in body


def test_it_adds_no_query_per_member_to_the_household_page(
    client_for, staff_acheng, benefits, django_assert_max_num_queries
):
    client = client_for(staff_acheng)
    url = benefits.get_absolute_url()
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(8):
        member = make_member(benefits, name=f"成员{n}", relation="other")
        Enrollment.objects.create(member=member, benefit_id="elderly", status="active")
        TemporaryGrant.objects.create(member=member, date=D(2020, 3, 1), amount=100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(url).content.decode()
    panel = body.split('id="benefits"', 1)[1]
    assert all(f"成员{n}" in panel for n in range(8))
