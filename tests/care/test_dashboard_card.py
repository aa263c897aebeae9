"""The dashboard's care card: overdue visits in the user's scope."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from care.models import Child, ElderlyPerson

pytestmark = pytest.mark.django_db
CARD = Template("{% load care_tags %}{% care_dashboard_card %}")


def _render(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return CARD.render(Context({"request": request}))


def test_it_counts_overdue_visits_in_the_users_scope(
    elder,
    qiji_elder,
    child,
    staff_acheng,
    chief_elderly,
    chief_affairs,
    today,
    django_assert_max_num_queries,
):
    long_ago = today - datetime.timedelta(days=40)
    ElderlyPerson.objects.update(registered_on=long_ago)
    Child.objects.update(registered_on=long_ago)
    with django_assert_max_num_queries(3):
        html = _render(staff_acheng)
    assert "留守老年人探访逾期" in html and "1 人" in html
    assert "儿童巡查探访逾期" in html
    county = _render(chief_elderly)
    assert "2 人" in county and "儿童巡查探访逾期" not in county
    assert "儿童巡查探访逾期" in _render(chief_affairs)


def test_the_dashboard_shows_the_card(client_for, staff_acheng, elder):
    body = client_for(staff_acheng).get("/").content.decode()
    assert "关爱服务 · 探访提醒" in body and "留守老年人探访逾期" in body
