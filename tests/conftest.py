"""Personas (style.md) and shared fixtures for the whole suite."""

import os

import pytest
from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile(
    "ci", deadline=None, max_examples=60, derandomize=True
)
hypothesis_settings.register_profile("dev", deadline=None, max_examples=100)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")

PERSONA_NAMES = [
    "staff_acheng",
    "staff_qiji",
    "chief_assistance",
    "chief_affairs",
    "chief_elderly",
    "chief_policy",
    "chief_grassroots",
    "admin",
]


@pytest.fixture
def personas(db):
    """All eight demo personas, by username."""
    from accounts.demo import create_personas

    return {user.username: user for user in create_personas()}


@pytest.fixture
def staff_acheng(personas):
    return personas["staff_acheng"]


@pytest.fixture
def staff_qiji(personas):
    return personas["staff_qiji"]


@pytest.fixture
def chief_assistance(personas):
    return personas["chief_assistance"]


@pytest.fixture
def chief_affairs(personas):
    return personas["chief_affairs"]


@pytest.fixture
def chief_elderly(personas):
    return personas["chief_elderly"]


@pytest.fixture
def admin_user(personas):
    return personas["admin"]


@pytest.fixture
def acheng(db):
    from households.models import Township

    return Township.objects.get(name="阿城镇")


@pytest.fixture
def qiji(db):
    from households.models import Township

    return Township.objects.get(name="七级镇")


@pytest.fixture
def client_for(client):
    """``client_for(user)``: a test client logged in as ``user``."""

    def login(user):
        client.force_login(user)
        return client

    return login


def pytest_configure(config):
    from django.conf import settings

    # Hashing eight personas' passwords per test with PBKDF2 is slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# ---------------------------------------------------------------- browser
# One Chromium for the whole session, shared by every browser test: two
# Playwright instances in one process collide.  Tests use ``page`` and
# ``login``; they are transactional (the live server is another thread).

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    import shutil

    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing: run `make setup` as root")
        pytest.skip("Chromium is not installed (make setup installs it)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def reference_data(transactional_db):
    """The rows the data migrations ship (townships, benefit catalogue).

    A transactional test flushes every table when it ends, so the next one
    would find no township; running the migrations' data functions again
    restores them.
    """
    import importlib

    from django.apps import apps as django_apps

    for module in (
        "households.migrations.0002_townships",
        "subsidies.migrations.0002_benefit_types",
    ):
        importlib.import_module(module).create(django_apps, None)


@pytest.fixture
def page(browser, live_server, reference_data):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


@pytest.fixture
def login(page, live_server):
    """``login(username)``: sign in through the real login form."""
    from accounts.demo import DEMO_PASSWORD

    def do_login(username):
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    return do_login


@pytest.fixture(autouse=True, scope="session")
def media_root(tmp_path_factory):
    """Uploads and evidence written by tests go to a temporary folder.

    Session-wide, so files made by module-scoped fixtures stay readable.
    """
    from django.conf import settings

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True, scope="session")
def _memory_cache(django_db_setup):
    """Tests use an in-memory cache: the database cache (the default, see
    tests/test_cache.py) would need the database in tests that have none.
    Set after the test database is migrated, so that migrate still makes the
    default cache's table."""
    from django.test import override_settings

    memory = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with override_settings(CACHES=memory):
        yield


@pytest.fixture(autouse=True)
def _empty_cache(_memory_cache):
    """Each test starts with an empty cache (the dashboard keeps its numbers
    there; row ids repeat across tests once a transaction rolls back)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
