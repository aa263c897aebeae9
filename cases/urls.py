from django.urls import path

from . import report_views, views

app_name = "cases"

urlpatterns = [
    path("progress/", report_views.progress, name="progress"),
    path("progress/download/", report_views.report_download, name="report_download"),
    path("", views.queue, name="queue"),
    path("bulk-review/", views.bulk_review, name="bulk_review"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/return/", views.return_case, name="return"),
    path("<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path(
        "<int:pk>/evidence/<int:event_id>/",
        views.evidence_download,
        name="evidence",
    ),
]
