"""Fixtures of the background-job tests.

Tasks run at once, inside the request or the service call that enqueues
them (django_tasks' immediate backend): fast and deterministic.  The one
test of the real queue (test_worker.py) switches back to the database
backend and runs the worker in-process.
"""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from households.models import ImportBatch
from subsidies.models import Enrollment
from subsidies.parameters import parameter_set
from tests.factories import make_household, make_id_number, make_member

AS_OF = datetime.date(2020, 4, 15)
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _jobs_setup(settings, tmp_path):
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def standard(db):
    parameter_set(
        name="dibao_standard_rural",
        value_text="4560",
        effective_from=datetime.date(2020, 1, 1),
    )


def elderly_gap(township, number: int):
    """A dibao household whose elder lacks the elderly subsidy."""
    household = make_household(
        township,
        household_no=f"37152100{township.pk:02d}{number:04d}",
        poverty_type="dibao",
        income_per_capita=Decimal("6000"),
    )
    elder = make_member(household, name="赵老汉", birth=datetime.date(1950, 1, 1))
    Enrollment.objects.create(
        member=elder,
        benefit_id="dibao",
        scope="individual",
        start=datetime.date(2020, 1, 1),
    )
    return household


@pytest.fixture
def acheng_gaps(standard, acheng):
    """Five 阿城镇 households, each with one ELDERLY_SUBSIDY_MISSING gap."""
    return [elderly_gap(acheng, n) for n in range(1, 6)]


@pytest.fixture
def qiji_gap(standard, qiji):
    return elderly_gap(qiji, 1)


def roster(count: int) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["村（居）", "户编号", "姓名", "证件号码", "与户主关系"])
    for n in range(1, count + 1):
        sheet.append(["西街村", f"AC{n:04d}", f"户主{n}", make_id_number(), "户主"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def preview(client_for, staff_acheng):
    """Three households uploaded in the browser, previewed, not yet imported."""
    client = client_for(staff_acheng)
    client.post(
        reverse("households:import_list"),
        {
            "kind": "household_roster",
            "file": SimpleUploadedFile("西街村花名册.xlsx", roster(3)),
        },
    )
    batch = ImportBatch.objects.get(original_name="西街村花名册.xlsx")
    assert batch.status == ImportBatch.Status.PREVIEWED
    return batch
