"""Login throttling (django-axes): a username is locked from one address.

An office shares one address behind its router: one colleague mistyping a
password must not lock out the others, and the person locked out can still
sign in from another address.  The lock ends after the cool-off.
"""

import contextlib
import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

OFFICE = "10.20.30.40"
HOME = "10.99.0.7"


def _login(username, password, address, client=None):
    client = client or Client()
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


@contextlib.contextmanager
def _clock(moment):
    """Django's and axes' idea of now, moved to ``moment``."""
    with (
        mock.patch("django.utils.timezone.now", return_value=moment),
        mock.patch("axes.handlers.proxy.now", return_value=moment),
        mock.patch("axes.attempts.now", return_value=moment),
    ):
        yield


def _fail_until_locked(username, address):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _login(username, "wrong-password", address)
    return response


def test_it_locks_a_username_from_one_address_with_a_chinese_page(personas):
    last = _fail_until_locked("staff_acheng", OFFICE)

    locked = _login("staff_acheng", DEMO_PASSWORD, OFFICE)

    assert last.status_code == 429
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "登录已暂时锁定" in body
    assert f"连续 {settings.AXES_FAILURE_LIMIT} 次输错密码" in body
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    assert f"{minutes} 分钟" in body
    assert "同一办公室的其他同事不受影响" in body


def test_the_failures_before_the_limit_say_the_password_is_wrong(personas):
    response = _login("staff_acheng", "wrong-password", OFFICE)
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_colleagues_behind_the_same_address_still_sign_in(personas):
    _fail_until_locked("staff_acheng", OFFICE)

    response = _login("staff_qiji", DEMO_PASSWORD, OFFICE)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_the_same_username_signs_in_from_another_address(personas):
    _fail_until_locked("staff_acheng", OFFICE)

    response = _login("staff_acheng", DEMO_PASSWORD, HOME)

    assert response.status_code == 302


def _cool_off() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)


def test_the_lock_ends_after_the_cool_off(personas):
    _fail_until_locked("staff_acheng", OFFICE)

    with _clock(timezone.now() + _cool_off() + datetime.timedelta(minutes=1)):
        response = _login("staff_acheng", DEMO_PASSWORD, OFFICE)

    assert response.status_code == 302


def test_the_lock_holds_until_the_cool_off_ends(personas):
    _fail_until_locked("staff_acheng", OFFICE)

    with _clock(timezone.now() + _cool_off() - datetime.timedelta(minutes=1)):
        response = _login("staff_acheng", DEMO_PASSWORD, OFFICE)

    assert response.status_code == 429


def test_trying_again_while_locked_restarts_the_cool_off(personas):
    """As the lockout page says: a retry during the lock counts again."""
    start = timezone.now()
    _fail_until_locked("staff_acheng", OFFICE)
    with _clock(start + _cool_off() - datetime.timedelta(minutes=1)):
        _login("staff_acheng", DEMO_PASSWORD, OFFICE)

    with _clock(start + _cool_off() + datetime.timedelta(minutes=1)):
        response = _login("staff_acheng", DEMO_PASSWORD, OFFICE)

    assert response.status_code == 429
    assert "锁定期间再次尝试会重新计时" in response.content.decode()


def test_a_success_before_the_limit_resets_the_count(personas):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login("staff_acheng", "wrong-password", OFFICE)
    assert _login("staff_acheng", DEMO_PASSWORD, OFFICE).status_code == 302

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login("staff_acheng", "wrong-password", OFFICE)

    assert _login("staff_acheng", DEMO_PASSWORD, OFFICE).status_code == 302


def test_behind_the_proxy_each_client_address_counts_apart(personas, settings):
    """nginx appends the client's address; a forged first entry is ignored."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "127.0.0.1"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(
            reverse("login"),
            {"username": "staff_acheng", "password": "wrong-password"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=OFFICE,
        )

    def attempt(forwarded):
        return Client().post(
            reverse("login"),
            {"username": "staff_acheng", "password": DEMO_PASSWORD},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    assert attempt(OFFICE).status_code == 429
    assert attempt(f"{HOME}, {OFFICE}").status_code == 429  # forged entry
    assert attempt(HOME).status_code == 302
