"""When a visit is overdue: the pure rule and the same rule in SQL."""

import datetime

import pytest

from care import services
from care.models import ElderlyPerson
from care.visits import birth_cutoff, is_overdue, visit_due, visit_status
from households import idnumbers
from tests.factories import make_id_number

D = datetime.date
REGISTERED = D(2020, 3, 1)


@pytest.mark.parametrize(
    ("last_visit", "on", "interval", "overdue"),
    [
        (None, D(2020, 3, 1), 30, False),  # registered today
        (None, D(2020, 3, 31), 30, False),  # due today
        (None, D(2020, 4, 1), 30, True),  # never visited, a day late
        (D(2020, 4, 1), D(2020, 5, 1), 30, False),  # exactly the interval
        (D(2020, 4, 1), D(2020, 5, 2), 30, True),
        (D(2020, 4, 1), D(2020, 5, 2), 31, False),  # a longer interval
        (D(2020, 4, 1), D(2020, 4, 12), 10, True),  # a shorter one
    ],
)
def test_it_is_overdue_the_day_after_the_interval(last_visit, on, interval, overdue):
    assert (
        is_overdue(
            last_visit=last_visit,
            registered_on=REGISTERED,
            interval_days=interval,
            on=on,
        )
        is overdue
    )


def test_it_counts_from_the_last_visit_or_the_registration():
    assert visit_due(last_visit=None, registered_on=REGISTERED, interval_days=30) == D(
        2020, 3, 31
    )
    assert visit_due(
        last_visit=D(2020, 4, 20), registered_on=REGISTERED, interval_days=30
    ) == D(2020, 5, 20)


@pytest.mark.parametrize(
    ("on", "label"),
    [
        (D(2020, 3, 21), "10 天后到期"),
        (D(2020, 3, 31), "今日到期"),
        (D(2020, 4, 3), "逾期 3 天"),
    ],
)
def test_it_labels_the_status_in_chinese(on, label):
    status = visit_status(
        last_visit=None, registered_on=REGISTERED, interval_days=30, on=on
    )
    assert status.label == label


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (D(1940, 5, 15), D(2020, 5, 15), 80),
        (D(1940, 5, 16), D(2020, 5, 15), 79),
        (D(1940, 2, 29), D(2020, 2, 28), 79),  # leap year: birthday tomorrow
        (D(1940, 2, 29), D(2020, 2, 29), 80),
        (D(1940, 2, 29), D(2021, 2, 28), 80),  # counts on Mar-1 in common years
        (D(1940, 2, 29), D(2021, 3, 1), 81),
        (D(1939, 2, 28), D(2020, 2, 29), 81),
        (D(1939, 3, 1), D(2020, 2, 29), 80),
    ],
)
def test_the_birth_cutoff_agrees_with_the_age_in_full_years(born, on, age):
    assert idnumbers.age_on(born, on) == age
    for years in (age, age + 1):
        assert (born <= birth_cutoff(on, years)) is (age >= years)


@pytest.mark.django_db
@pytest.mark.parametrize("interval", [10, 30, 45])
def test_the_queryset_and_the_rule_agree(village, interval):
    """``overdue()`` in SQL flags exactly the people ``is_overdue`` flags."""
    on = D(2020, 5, 15)
    people = []
    for n, (registered, visits) in enumerate(
        [
            (D(2020, 1, 1), []),
            (D(2020, 4, 20), []),
            (D(2020, 1, 1), [D(2020, 4, 1)]),
            (D(2020, 1, 1), [D(2020, 2, 1), D(2020, 5, 10)]),
            (D(2020, 1, 1), [D(2020, 4, 15)]),
            (D(2020, 1, 1), [D(2020, 5, 20)]),  # a visit after ``on`` is ignored
        ]
    ):
        person = services.elderly_register(
            village=village,
            name=f"老人{n}",
            id_number=make_id_number(D(1940, 1, 1)),
            registered_on=registered,
        )
        for day in visits:
            person.visits.create(visit_date=day, visitor="李干部", situation="好")
        people.append((person, registered, [d for d in visits if d <= on]))
    expected = {
        person.pk
        for person, registered, visits in people
        if is_overdue(
            last_visit=max(visits, default=None),
            registered_on=registered,
            interval_days=interval,
            on=on,
        )
    }
    found = set(
        ElderlyPerson.objects.overdue(on, interval).values_list("pk", flat=True)
    )
    assert found == expected
    assert 0 < len(expected) < len(people)
