"""Template filters of the progress page."""

from django import template

register = template.Library()


@register.filter
def percent(value, digits=1):
    """A ratio (0.25) as a percentage ("25.0%"); "—" when undefined."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"
