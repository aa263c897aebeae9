from django.urls import path

from . import views

app_name = "subsidies"

urlpatterns = [
    path(
        "members/<int:member_pk>/enrollments/new/",
        views.enrollment_add,
        name="enrollment_add",
    ),
    path("enrollments/<int:pk>/edit/", views.enrollment_edit, name="enrollment_edit"),
    path("enrollments/<int:pk>/end/", views.enrollment_end, name="enrollment_end"),
    path(
        "enrollments/<int:pk>/extend/",
        views.enrollment_extend,
        name="enrollment_extend",
    ),
    path(
        "enrollments/<int:pk>/review/",
        views.enrollment_review,
        name="enrollment_review",
    ),
    path(
        "households/<int:household_pk>/dibao/",
        views.dibao_household,
        name="dibao_household",
    ),
    path("members/<int:member_pk>/grants/new/", views.grant_add, name="grant_add"),
    path("parameters/", views.parameters, name="parameters"),
    path(
        "parameters/<str:name>/new/",
        views.parameter_add,
        name="parameter_add",
    ),
]
