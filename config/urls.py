from django.contrib import admin
from django.urls import include, path

from cases import views as case_views

admin.site.site_header = "阳谷县民政兜底保障自查整改平台 · 管理"
admin.site.site_title = "管理后台"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("", case_views.dashboard, name="dashboard"),
    path("", include("accounts.urls")),
    path("households/", include("households.urls")),
    path("subsidies/", include("subsidies.urls")),
    path("checklists/", include("checklists.urls")),
    path("cases/", include("cases.urls")),
    path("care/", include("care.urls")),
    path("jobs/", include("jobs.urls")),
    path("admin/", admin.site.urls),
]
