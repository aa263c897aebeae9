"""Page latency for bench/run.py: p50/p95 (ms) per page, printed one a line."""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from households.models import Household  # noqa: E402

REPEAT = 30


def measure(client, url, params=None):
    client.get(url, params or {})  # warm
    samples = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = client.get(url, params or {})
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main():
    staff = User.objects.get(username="staff_acheng")
    admin = User.objects.get(username="admin")
    household = Household.objects.filter(township=staff.township).first()
    name = household.members.first().name
    pages = {}
    client = Client()
    client.force_login(staff)
    pages["list(staff)"] = measure(client, reverse("households:list"))
    pages["search(staff)"] = measure(client, reverse("households:list"), {"q": name})
    pages["detail(staff)"] = measure(client, household.get_absolute_url())
    pages["dashboard(staff)"] = measure(client, reverse("dashboard"))
    client = Client()
    client.force_login(admin)
    pages["list(admin)"] = measure(client, reverse("households:list"))
    pages["search(admin)"] = measure(client, reverse("households:list"), {"q": name})
    pages["dashboard(admin)"] = measure(client, reverse("dashboard"))
    for page, (p50, p95) in pages.items():
        print(page, f"{p50:.1f}", f"{p95:.1f}")


if __name__ == "__main__":
    main()
