from django.apps import apps
from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from accounts.admin import BureauAdminReadOnly

from .models import Job


@admin.register(Job)
class JobAdmin(BureauAdminReadOnly, admin.ModelAdmin):
    """Read-only: jobs are written by their services and the worker."""

    list_display = [
        "pk",
        "kind",
        "status",
        "township",
        "requested_by",
        "progress_done",
        "progress_total",
        "created_at",
        "finished_at",
    ]
    list_filter = ["kind", "status"]
    list_select_related = ["township", "requested_by"]
    readonly_fields = [f.name for f in Job._meta.fields]


# The queue underneath the jobs (django_tasks_db), for the bureau admin
# alone like the rest of the site: a failed task's traceback is here.
apps.get_app_config("django_tasks_database").verbose_name = "后台任务队列"
DBTaskResult._meta.verbose_name = DBTaskResult._meta.verbose_name_plural = "队列记录"
admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class QueueAdmin(BureauAdminReadOnly, DBTaskResultAdmin):
    pass
