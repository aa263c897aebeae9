"""Template helpers for pages outside the jobs app (the import preview)."""

from django import template

from jobs.services import import_runs_in_background

register = template.Library()


@register.filter
def runs_in_background(summary) -> bool:
    """``batch.summary|runs_in_background``: confirm through a job?"""
    return import_runs_in_background(summary)
