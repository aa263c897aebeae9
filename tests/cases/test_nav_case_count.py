"""The navigation bar's count: what waits for the user, in one query."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from cases.context_processors import nav_case_count
from tests.factories import make_member

from .ledger_builders import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(household, qiji_household):
    make_case(household, status="open")
    make_case(household, rule="TEKUN_MISSING", status="returned")
    make_case(household, rule="POVERTY_TYPE_MISMATCH", status="submitted")
    make_case(qiji_household, status="submitted")
    make_case(qiji_household, member=make_member(qiji_household), status="open")


def count_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return nav_case_count(request).get("nav_case_count")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("staff_acheng", 2),  # open + returned in 阿城镇
        ("staff_qiji", 1),
        ("chief_elderly", 1),  # submitted, own section
        ("chief_assistance", 1),
        ("chief_affairs", 0),
        ("admin", 2),  # every submitted case
    ],
)
def test_it_counts_what_waits_for_each_persona(
    personas, cases, persona, expected, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert count_for(personas[persona]) == expected


def test_it_does_nothing_for_anonymous_visitors(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert count_for(AnonymousUser()) is None


def test_the_badge_shows_in_the_navigation_bar(client_for, staff_acheng, cases):
    page = client_for(staff_acheng).get("/").content.decode()

    assert 'rounded-pill text-bg-warning">2</span>' in page
