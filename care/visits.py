"""When a visit is due (定期探访): pure date arithmetic, no ORM.

A person on a care register is to be visited within ``visit_interval_days``
(a dated parameter, default 30) of the last visit, or of the registration
for a person never visited.  The visit is overdue from the day after that
due date.  ``CaredPersonQuerySet.overdue`` is the same test in SQL.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class VisitStatus:
    """Where a person stands at ``on``: due date, overdue, days late."""

    last_visit: datetime.date | None
    due: datetime.date
    on: datetime.date

    @property
    def overdue(self) -> bool:
        return self.due < self.on

    @property
    def days_overdue(self) -> int:
        return max((self.on - self.due).days, 0)

    @property
    def days_left(self) -> int:
        return max((self.due - self.on).days, 0)

    @property
    def label(self) -> str:
        if self.overdue:
            return f"逾期 {self.days_overdue} 天"
        if self.days_left == 0:
            return "今日到期"
        return f"{self.days_left} 天后到期"


def visit_due(
    *,
    last_visit: datetime.date | None,
    registered_on: datetime.date,
    interval_days: int,
) -> datetime.date:
    """The last day by which the next visit is due."""
    anchor = last_visit or registered_on
    return anchor + datetime.timedelta(days=interval_days)


def visit_status(
    *,
    last_visit: datetime.date | None,
    registered_on: datetime.date,
    interval_days: int,
    on: datetime.date,
) -> VisitStatus:
    due = visit_due(
        last_visit=last_visit, registered_on=registered_on, interval_days=interval_days
    )
    return VisitStatus(last_visit=last_visit, due=due, on=on)


def is_overdue(
    *,
    last_visit: datetime.date | None,
    registered_on: datetime.date,
    interval_days: int,
    on: datetime.date,
) -> bool:
    return visit_status(
        last_visit=last_visit,
        registered_on=registered_on,
        interval_days=interval_days,
        on=on,
    ).overdue


def birth_cutoff(on: datetime.date, age: int) -> datetime.date:
    """The latest birth date of a person aged ``age`` or more at ``on``.

    Full years (周岁) as ``idnumbers.age_on`` counts them: a Feb-29 birthday
    counts on Mar-1 in other years, so on Feb-28 of a common year the
    cutoff is Feb-28.
    """
    year = on.year - age
    try:
        return on.replace(year=year)
    except ValueError:  # on is Feb-29 and ``year`` is a common year
        return datetime.date(year, 2, 28)
