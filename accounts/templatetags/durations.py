"""``{{ delta|minutes }}``: a timedelta as whole minutes (the lockout page)."""

import datetime

from django import template

register = template.Library()


@register.filter
def minutes(value) -> int | str:
    if isinstance(value, datetime.timedelta):
        return max(1, round(value.total_seconds() / 60))
    return ""
