from django.shortcuts import render

from households.models import Household, Member


def dashboard(request):
    """Landing page after login: the user's scope at a glance."""
    households = Household.objects.visible_to(request.user).current()
    context = {
        "household_count": households.count(),
        "member_count": Member.objects.visible_to(request.user).current().count(),
    }
    return render(request, "dashboard.html", context)
