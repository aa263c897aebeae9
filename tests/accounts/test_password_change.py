"""The password-change page: every user, Django's validators, other sessions end."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

URL = reverse("password_change")
NEW = "Yanggu-2020-new-pass"


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _change(client, new1=NEW, new2=None, old=DEMO_PASSWORD):
    return client.post(
        URL,
        {"old_password": old, "new_password1": new1, "new_password2": new2 or new1},
    )


@pytest.mark.parametrize(
    "username", ["staff_acheng", "chief_assistance", "chief_grassroots", "admin"]
)
def test_every_user_reaches_it_from_the_user_menu(personas, username):
    client = _session(personas[username])
    menu = client.get(reverse("dashboard")).content.decode()
    assert f'href="{URL}"' in menu and "修改密码" in menu

    page = client.get(URL)

    assert page.status_code == 200
    body = page.content.decode()
    for label in ("原密码", "新密码", "再次输入新密码", "确认修改"):
        assert label in body


def test_it_changes_the_password_and_keeps_this_session(personas):
    user = personas["staff_acheng"]
    client = _session(user)

    response = _change(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    user.refresh_from_db()
    assert user.check_password(NEW)
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    assert "您在其他电脑或浏览器上的登录已全部退出" in page.content.decode()


def test_it_ends_the_users_other_sessions(personas):
    user = personas["staff_acheng"]
    here, elsewhere = _session(user), _session(user)
    colleague = _session(personas["staff_qiji"])
    assert elsewhere.get(reverse("households:list")).status_code == 200

    _change(here)

    assert here.get(reverse("households:list")).status_code == 200
    response = elsewhere.get(reverse("households:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert colleague.get(reverse("households:list")).status_code == 200


@pytest.mark.parametrize(
    "weak, reason",
    [
        ("Ab3-short", "密码太短，至少需要 10 个字符"),
        ("password123", "这个密码太常见了"),
        ("3715210000", "密码只包含数字"),
    ],
)
def test_it_refuses_a_weak_password_with_the_validators_reason(personas, weak, reason):
    user = personas["staff_acheng"]

    response = _change(_session(user), new1=weak)

    assert response.status_code == 200
    assert reason in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


def test_it_refuses_a_wrong_old_password(personas):
    user = personas["chief_policy"]

    response = _change(_session(user), old="not-my-password")

    assert "原密码不正确" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


def test_it_refuses_two_different_new_passwords(personas):
    response = _change(_session(personas["admin"]), new2=NEW + "x")
    assert "两次输入的新密码不一致" in response.content.decode()


def test_it_needs_a_login(db):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_allows_get_and_post_only(personas):
    assert _session(personas["staff_acheng"]).put(URL).status_code == 405
