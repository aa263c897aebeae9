"""The navigation bar's case count: what waits for the user. One query."""

from .models import Case


def nav_case_count(request):
    """Staff: open and returned cases; chiefs: their section's submitted; admin: all submitted."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cases = Case.objects.visible_to(user)
    if user.is_township_staff:
        cases = cases.filter(status__in=[Case.Status.OPEN, Case.Status.RETURNED])
    else:
        cases = cases.filter(status=Case.Status.SUBMITTED)
        if user.is_section_chief:
            cases = cases.filter(section=user.section)
    return {"nav_case_count": cases.count()}
