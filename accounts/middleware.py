"""Every page needs a login, except the login page and static files."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

PUBLIC_PREFIXES = ("/login/", "/static/", "/favicon.ico", "/healthz")


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if request.user.is_authenticated or path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        if path.startswith("/admin/"):
            return redirect_to_login(
                request.get_full_path(), reverse(settings.LOGIN_URL)
            )
        return redirect_to_login(request.get_full_path())
