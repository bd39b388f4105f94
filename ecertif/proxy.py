"""The real client behind the reverse proxies: one rule for rate limits, allauth and logs.

`TRUSTED_PROXY_COUNT` is the number of proxies we run in front of the application (1 for the
nginx of docker-compose.yml, 2 if a load balancer sits in front of it, 0 without a proxy).
Each trusted proxy appends the address it received the request from to X-Forwarded-For, so the
client is the entry that many positions from the right; anything further left was written by
the client itself and proves nothing.
"""

import ipaddress

from django.conf import settings


def client_ip_from(*, remote_addr, forwarded_for, trusted_proxies):
    """The client address from the TCP peer and X-Forwarded-For (also used by gunicorn's log)."""
    address = remote_addr or ""
    if trusted_proxies > 0 and forwarded_for:
        hops = [hop.strip() for hop in forwarded_for.split(",")]
        # Fewer hops than proxies: a request that did not go through all of them.
        if len(hops) >= trusted_proxies:
            address = hops[-trusted_proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return remote_addr or "unknown"


def client_ip(request):
    return client_ip_from(
        remote_addr=request.META.get("REMOTE_ADDR", ""),
        forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR", ""),
        trusted_proxies=settings.TRUSTED_PROXY_COUNT,
    )
