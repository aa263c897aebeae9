"""A session ends after SESSION_COOKIE_AGE without a request, not before.

Every request saves the session (SESSION_SAVE_EVERY_REQUEST), so the
expiry slides: a user working all day stays signed in, a browser left
open overnight is signed out.
"""

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

URL = reverse("households:list")


def _get_at(client, moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return client.get(URL)


def test_the_settings_expire_idle_sessions():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_activity_keeps_the_session_alive(personas):
    client = Client()
    client.force_login(personas["staff_acheng"])
    age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    start = timezone.now()

    for step in range(1, 4):
        # Each request comes a little before the previous one would expire.
        moment = start + step * (age - datetime.timedelta(minutes=5))
        assert _get_at(client, moment).status_code == 200, step


def test_an_idle_session_is_signed_out(personas):
    client = Client()
    client.force_login(personas["staff_acheng"])
    age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    last_request = timezone.now()
    assert _get_at(client, last_request).status_code == 200

    response = _get_at(client, last_request + age + datetime.timedelta(minutes=1))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
