"""Two people correct the same enrollment: the second save is refused."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from subsidies.services import enrollment_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def dibao(head, staff_acheng):
    return enrollment_start(
        member=head,
        benefit="dibao",
        scope="individual",
        start=datetime.date(2019, 1, 1),
        amount=380,
        actor=staff_acheng,
    )


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(page, **changes) -> dict:
    """The values the edit page shows, with the editor's changes."""
    body = page.content.decode()
    version = re.search(r'name="version" value="(\d+)"', body)
    assert version, "the enrollment form carries no version"
    values = {
        "version": version.group(1),
        "scope": "individual",
        "care_mode": "",
        "status": "active",
        "start": "2019-01-01",
        "end": "",
        "end_reason": "",
        "amount": "380",
        "note": "",
    }
    return values | changes


def test_it_refuses_the_second_save_and_shows_what_changed(
    dibao, staff_acheng, admin_user
):
    url = reverse("subsidies:enrollment_edit", args=[dibao.pk])
    first, second = _logged_in(staff_acheng), _logged_in(admin_user)
    first_form, second_form = first.get(url), second.get(url)

    saved = first.post(url, _form(first_form, amount="420"))
    refused = second.post(url, _form(second_form, note="2020年复核"))

    assert saved.status_code == 302
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "已被他人修改" in body and f"（{staff_acheng}于 " in body
    assert "月标准（元）（现为“420.00”）" in body
    assert "2020年复核" in body  # the second editor's input is kept
    dibao.refresh_from_db()
    assert (dibao.amount, dibao.note, dibao.version) == (420, "", 2)


def test_the_form_carries_the_current_version(dibao, staff_acheng):
    client = _logged_in(staff_acheng)
    url = reverse("subsidies:enrollment_edit", args=[dibao.pk])
    client.post(url, _form(client.get(url), amount="400"))
    assert _form(client.get(url))["version"] == "2"
