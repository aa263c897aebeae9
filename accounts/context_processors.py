"""Values every page's layout needs: the county and the current campaign."""

from django.conf import settings


def portal(request):
    from checklists.models import Campaign

    context = {"county_name": settings.COUNTY_NAME}
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        context["current_campaign"] = Campaign.objects.current()
    return context
