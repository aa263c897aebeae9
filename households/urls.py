from django.urls import path

from . import import_views, views

app_name = "households"

urlpatterns = [
    path("", views.household_list, name="list"),
    path("new/", views.household_create, name="create"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/edit/", views.household_edit, name="edit"),
    path("<int:pk>/history/", views.household_history_view, name="history"),
    path("<int:pk>/remove/", views.household_remove, name="remove"),
    path(
        "members/<int:pk>/reveal-id/",
        views.member_reveal_id,
        name="member_reveal_id",
    ),
    path("<int:pk>/members/new/", views.member_add, name="member_add"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("imports/", import_views.import_list, name="import_list"),
    path(
        "imports/template/<str:kind>/",
        import_views.import_template,
        name="import_template",
    ),
    path("imports/<int:pk>/", import_views.import_detail, name="import_detail"),
    path(
        "imports/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"
    ),
    path("imports/<int:pk>/cancel/", import_views.import_cancel, name="import_cancel"),
    path("imports/<int:pk>/file/", import_views.import_file, name="import_file"),
    path("imports/<int:pk>/errors/", import_views.import_errors, name="import_errors"),
]
