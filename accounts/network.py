"""The client's address, for login throttling and the audit log.

Behind the TLS proxy (nginx) every request comes from the proxy's address,
so the real client is the last address the trusted proxies appended to
``X-Forwarded-For``.  Without a trusted proxy the header is ignored: a
client could write anything there and escape the login throttle.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's IP address, trusting ``TRUSTED_PROXY_COUNT`` proxies."""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    if count <= 0:
        return remote
    forwarded = [
        part
        for part in (request.META.get("HTTP_X_FORWARDED_FOR", "") or "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        return remote
    return _valid(forwarded[-count]) or remote
