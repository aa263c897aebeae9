"""Django's password validators guard every way a password is set."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from accounts.services import user_save

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "weak, reason",
    [
        ("Ab3-short", "密码太短，至少需要 10 个字符"),
        ("password123", "这个密码太常见了"),
        ("3715210000", "密码只包含数字"),
    ],
)
def test_add_user_refuses_a_weak_password(weak, reason):
    with pytest.raises(CommandError, match=reason):
        call_command("add_user", "wang", "--role", "bureau_admin", "--password", weak)
    assert not User.objects.filter(username="wang").exists()


def test_user_save_refuses_a_weak_password_for_an_existing_user(personas):
    with pytest.raises(ValidationError, match="密码不符合要求"):
        user_save(
            username="staff_acheng",
            role="township_staff",
            township="阿城镇",
            password="1234567890",
        )
    personas["staff_acheng"].refresh_from_db()
    assert not personas["staff_acheng"].check_password("1234567890")


def test_the_admin_site_refuses_a_weak_password(client_for, admin_user):
    response = client_for(admin_user).post(
        "/admin/accounts/user/add/",
        {
            "username": "newstaff",
            "password1": "12345678",
            "password2": "12345678",
            "usable_password": "true",
            "role": "bureau_admin",
        },
    )
    assert response.status_code == 200
    assert "密码太短，至少需要 10 个字符" in response.content.decode()
    assert not User.objects.filter(username="newstaff").exists()
