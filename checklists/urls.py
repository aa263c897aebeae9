from django.urls import path

from . import coverage, views

app_name = "checklists"

urlpatterns = [
    path("", views.progress, name="progress"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/new/", views.campaign_add, name="campaign_add"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path(
        "campaigns/<int:pk>/make-current/",
        views.campaign_make_current,
        name="campaign_make_current",
    ),
    path("households/<int:pk>/", views.household, name="household"),
    path("households/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("households/<int:pk>/sheet/", views.sheet, name="sheet"),
    path(
        "households/<int:pk>/coverage/",
        coverage.coverage_panel,
        name="coverage_panel",
    ),
]
