import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User

PASSWORD = "Qz7-contract-check!"


@pytest.mark.django_db
def test_it_creates_township_staff_from_a_suffix_free_township_name():
    call_command(
        "add_user",
        "wang",
        "--role",
        "township_staff",
        "--township",
        "阿城",
        "--password",
        PASSWORD,
    )
    user = User.objects.get(username="wang")
    assert user.role == "township_staff"
    assert user.township.name == "阿城镇"
    assert not user.is_staff
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_it_accepts_aliases_and_chinese_role_names():
    call_command(
        "add_user",
        "li",
        "--role",
        "乡镇经办人员",
        "--township",
        "闫楼镇",
        "--password",
        PASSWORD,
    )
    assert User.objects.get(username="li").township.name == "阎楼镇"


@pytest.mark.django_db
def test_it_updates_an_existing_user():
    call_command(
        "add_user",
        "zhao",
        "--role",
        "township_staff",
        "--township",
        "七级镇",
        "--password",
        PASSWORD,
    )
    call_command(
        "add_user",
        "zhao",
        "--role",
        "section_chief",
        "--section",
        "社会救助科",
        "--password",
        PASSWORD,
    )
    user = User.objects.get(username="zhao")
    assert (user.role, user.section, user.township) == (
        "section_chief",
        "social_assistance",
        None,
    )


@pytest.mark.django_db
def test_it_makes_only_the_bureau_admin_staff_for_django_admin():
    call_command("add_user", "boss", "--role", "bureau_admin", "--password", PASSWORD)
    assert User.objects.get(username="boss").is_staff


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, reason",
    [
        (["--role", "no_such_role"], "未知角色"),
        (["--role", "township_staff"], "必须指定所属乡镇"),
        (["--role", "township_staff", "--township", "不存在镇"], "未知乡镇"),
        (["--role", "section_chief"], "必须指定所属科室"),
        (["--role", "section_chief", "--section", "财务科"], "未知科室"),
    ],
)
def test_it_refuses_bad_options_with_a_chinese_reason(args, reason):
    with pytest.raises(CommandError, match=reason):
        call_command("add_user", "bad", *args, "--password", PASSWORD)
    assert not User.objects.filter(username="bad").exists()


@pytest.mark.django_db
def test_it_refuses_a_weak_password():
    with pytest.raises(CommandError, match="密码不符合要求"):
        call_command(
            "add_user", "weak", "--role", "bureau_admin", "--password", "12345678"
        )
