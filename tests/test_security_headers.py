"""Response headers: CSP without inline script, frame denial, referrer
policy, no MIME sniffing — and, under the production settings, HSTS, the
redirect to HTTPS and secure cookies.

The production values are read from config/settings.py in a subprocess
with the production environment (DEBUG=False), then applied here, so the
test checks what the settings module really produces.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "False",
    "SECRET_KEY": "p" * 30 + "7Yw!-3#r" * 5,
    "ALLOWED_HOSTS": "portal.example.gov.cn",
    "DATABASE_URL": "sqlite:///:memory:",
}
TRANSPORT_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
    "TRUSTED_PROXY_COUNT",
]


@pytest.fixture(scope="module")
def production():
    """The transport settings config/settings.py gives with DEBUG=False."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {TRANSPORT_SETTINGS!r}}}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    env |= PRODUCTION_ENV | {"DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    if values["SECURE_PROXY_SSL_HEADER"]:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def _script_src(policy: str) -> list[str]:
    for directive in policy.split(";"):
        parts = directive.split()
        if parts and parts[0] == "script-src":
            return parts[1:]
    raise AssertionError(f"no script-src in {policy!r}")


def _assert_page_headers(response):
    policy = response["Content-Security-Policy"]
    script_src = _script_src(policy)
    assert script_src == ["'self'"], policy
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["dashboard", "households:list", "cases:queue"])
def test_every_page_has_the_security_headers(client_for, staff_acheng, url_name):
    response = client_for(staff_acheng).get(reverse(url_name))
    assert response.status_code == 200
    _assert_page_headers(response)


@pytest.mark.django_db
def test_the_login_page_has_them_too(client):
    _assert_page_headers(client.get(reverse("login")))


def test_production_settings_turn_transport_security_on(production):
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert production["TRUSTED_PROXY_COUNT"] == 1


@pytest.mark.django_db
def test_under_production_settings_it_sends_hsts_and_secure_cookies(
    production, personas
):
    https = {"HTTP_X_FORWARDED_PROTO": "https"}
    with override_settings(**production):
        client = Client()
        plain = client.get(reverse("login"))
        page = client.get(reverse("login"), **https)
        signed_in = client.post(
            reverse("login"),
            {"username": "staff_acheng", "password": DEMO_PASSWORD},
            **https,
        )

    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    assert page.status_code == 200
    _assert_page_headers(page)
    assert page["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert signed_in.status_code == 302
    session = signed_in.cookies["sessionid"]
    assert session["secure"] is True and session["httponly"] is True
    assert session["samesite"] == "Lax"


@pytest.mark.django_db
def test_without_tls_settings_there_is_no_hsts(client):
    """Development over plain HTTP: HSTS would lock the browser out."""
    assert "Strict-Transport-Security" not in client.get(reverse("login"))
