from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("rule-run/", views.rule_run_start, name="rule_run_start"),
    path("report-export/", views.report_export_start, name="report_export_start"),
    path("imports/<int:pk>/", views.roster_import_start, name="roster_import_start"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/status/", views.job_status, name="status"),
    path("<int:pk>/cancel/", views.job_cancel, name="cancel"),
    path("<int:pk>/file/", views.job_file, name="file"),
]
