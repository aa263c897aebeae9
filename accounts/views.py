"""Account pages: the health probe, a user's own password, the audit log."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from .forms import AuditFilterForm, PortalPasswordChangeForm
from .models import AuditEvent

AUDIT_PAGE_SIZE = 50


def healthz(request):
    """Liveness probe for the load balancer; needs no login."""
    return HttpResponse("ok", content_type="text/plain")


@require_http_methods(["GET", "POST"])
def password_change(request):
    """Every user changes their own password here.

    The new password goes through Django's validators.  The session of this
    browser stays signed in (``update_session_auth_hash``); every other
    session of the user ends, because its stored hash no longer matches.
    """
    form = PortalPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(
            request, "密码已修改。您在其他电脑或浏览器上的登录已全部退出。"
        )
        return redirect("dashboard")
    return render(request, "registration/password_change.html", {"form": form})


@require_GET
def audit(request):
    """The bureau admin's view of the audit log, newest first."""
    if not request.user.is_bureau_admin:
        raise PermissionDenied("只有县民政局管理员可以查看访问审计记录")
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.visible_to(request.user).select_related(
        "user", "township"
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["township"]:
            events = events.filter(township=data["township"])
        if data["user"]:
            events = events.filter(user__username__icontains=data["user"])
        if data["since"]:
            events = events.filter(created_at__date__gte=data["since"])
        if data["until"]:
            events = events.filter(created_at__date__lte=data["until"])
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
