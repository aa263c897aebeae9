from django.urls import path

from . import views

app_name = "care"

urlpatterns = [
    path("", views.tracker, name="tracker"),
    # 四: left-behind elderly people
    path("elderly/", views.elderly_list, name="elderly_list"),
    path("elderly/new/", views.elderly_create, name="elderly_create"),
    path("elderly/<int:pk>/", views.elderly_detail, name="elderly_detail"),
    path("elderly/<int:pk>/edit/", views.elderly_edit, name="elderly_edit"),
    path("elderly/<int:pk>/remove/", views.elderly_remove, name="elderly_remove"),
    path(
        "elderly/<int:pk>/visits/new/",
        views.elderly_visit_add,
        name="elderly_visit_add",
    ),
    path("visits/due/", views.visits_due, name="visits_due"),
    path("candidates/", views.candidates, name="candidates"),
    # 五: children
    path("children/", views.child_list, name="child_list"),
    path("children/new/", views.child_create, name="child_create"),
    path("children/<int:pk>/", views.child_detail, name="child_detail"),
    path("children/<int:pk>/edit/", views.child_edit, name="child_edit"),
    path("children/<int:pk>/remove/", views.child_remove, name="child_remove"),
    path(
        "children/<int:pk>/visits/new/", views.child_visit_add, name="child_visit_add"
    ),
    path("workforce/", views.workforce_view, name="workforce"),
    path(
        "townships/<int:pk>/supervisors/new/",
        views.supervisor_add,
        name="supervisor_add",
    ),
    path(
        "supervisors/<int:pk>/retire/",
        views.supervisor_retire,
        name="supervisor_retire",
    ),
    path("villages/<int:pk>/director/", views.director_set, name="director_set"),
    path(
        "villages/<int:pk>/director/clear/",
        views.director_clear,
        name="director_clear",
    ),
    # 六: institutions
    path("institutions/", views.institution_list, name="institution_list"),
    path("institutions/new/", views.institution_create, name="institution_create"),
    path("institutions/<int:pk>/", views.institution_detail, name="institution_detail"),
    path(
        "institutions/<int:pk>/edit/",
        views.institution_edit,
        name="institution_edit",
    ),
    path(
        "institutions/<int:pk>/residents/new/",
        views.resident_add,
        name="resident_add",
    ),
    path("residents/<int:pk>/remove/", views.resident_remove, name="resident_remove"),
    # 八, 九: villages
    path("villages/", views.village_points, name="village_points"),
    path(
        "villages/<int:pk>/edit/",
        views.village_point_edit,
        name="village_point_edit",
    ),
    # 七: charity and social organisations
    path("social/", views.social, name="social"),
    path("townships/<int:pk>/charity/", views.charity_set, name="charity_set"),
    path(
        "townships/<int:pk>/organizations/new/",
        views.organization_create,
        name="organization_create",
    ),
    path(
        "organizations/<int:pk>/edit/",
        views.organization_edit,
        name="organization_edit",
    ),
    # Roster imports
    path("imports/", views.import_list, name="import_list"),
    path("imports/<str:kind>/new/", views.import_upload, name="import_upload"),
    path(
        "imports/<str:kind>/template.xlsx",
        views.import_template,
        name="import_template",
    ),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
]
