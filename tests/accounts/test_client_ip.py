"""accounts.network.client_ip: the address login throttling and the audit use."""

import pytest
from django.test import RequestFactory

from accounts.network import client_ip

factory = RequestFactory()


def _request(remote="127.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return factory.get("/", **extra)


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("10.0.0.5", "1.2.3.4")) == "10.0.0.5"


@pytest.mark.parametrize(
    "forwarded, expected",
    [
        ("10.20.30.40", "10.20.30.40"),
        ("6.6.6.6, 10.20.30.40", "10.20.30.40"),  # a forged first entry
        (" 10.20.30.40 ", "10.20.30.40"),
        ("2001:db8::1", "2001:db8::1"),
        ("not-an-address", "127.0.0.1"),
        ("", "127.0.0.1"),
    ],
)
def test_behind_one_proxy_the_last_forwarded_address_counts(
    settings, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("127.0.0.1", forwarded)) == expected


def test_behind_two_proxies_the_second_to_last_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = _request("127.0.0.1", "6.6.6.6, 10.20.30.40, 172.16.0.2")
    assert client_ip(request) == "10.20.30.40"


def test_a_missing_remote_address_gives_none(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("")) is None
