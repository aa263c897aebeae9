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
