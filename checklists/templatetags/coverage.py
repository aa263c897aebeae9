"""``{% coverage_panel household %}``: the coverage panel on the household page.

A template tag, so the households app's Python never imports checklists:
the household page loads this library, and the panel reads its as-of date
from the request's ``as_of`` parameter (the panel's date control).
"""

from django import template

from checklists.coverage import TEMPLATE, panel_for_request

register = template.Library()


@register.inclusion_tag(TEMPLATE, takes_context=True)
def coverage_panel(context, household):
    return {
        "panel": panel_for_request(context["request"], household),
        "with_script": True,
    }
