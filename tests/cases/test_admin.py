"""The Django admin: cases read-only with their timeline inline."""

import pytest
from django.urls import reverse

from .ledger_builders import make_case

pytestmark = pytest.mark.django_db


def test_the_admin_lists_and_opens_cases_read_only(client_for, admin_user, household):
    case = make_case(household)
    client = client_for(admin_user)

    listing = client.get(reverse("admin:cases_case_changelist"))
    change = client.get(reverse("admin:cases_case_change", args=[case.pk]))

    assert listing.status_code == 200
    assert change.status_code == 200
    page = change.content.decode()
    assert "立案" in page  # the opened event, inline
    assert 'name="status"' not in page  # no editable status
    assert client.get(reverse("admin:cases_case_add")).status_code == 403


def test_posting_the_change_form_changes_nothing(client_for, admin_user, household):
    case = make_case(household)

    client_for(admin_user).post(
        reverse("admin:cases_case_change", args=[case.pk]), {"status": "verified"}
    )

    case.refresh_from_db()
    assert case.status == "open"
