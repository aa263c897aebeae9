"""Template helpers of the care pages, and the dashboard's care card."""

from django import template
from django.utils import timezone

from care.models import sees_children as _sees_children
from care.selectors import format_yuan, overdue_summary

register = template.Library()


@register.filter
def sees_children(user) -> bool:
    """Whether ``user`` may see children's records (work point 五)."""
    return _sees_children(user)


@register.filter
def percent(value) -> str:
    """A ratio as a whole percentage; "—" when there is nothing to divide."""
    if value is None:
        return "—"
    return f"{value:.0%}"


@register.filter
def yuan(amount) -> str:
    """An amount in yuan with thousands grouped: 82,800 or 82,800.50."""
    if amount is None or amount == "":
        return "—"
    return format_yuan(amount)


@register.inclusion_tag("care/_dashboard_card.html", takes_context=True)
def care_dashboard_card(context):
    """Overdue visits in the user's scope, for the dashboard (two queries
    and the parameters: three with children)."""
    user = context["request"].user
    summary = overdue_summary(user, timezone.localdate())
    return {"summary": summary, "user": user}
