"""Rate limits for public pages without an account (survey answers, certificate checks).

The count lives only in the cache (Redis in production, shared by the workers), under a keyed hash
of the client's address, in a fixed window that expires by itself: no address is ever written to
the database or kept after its window. The address is found as the sign-in rate limits find it
(allauth's adapter, behind the same trusted proxies); an IPv6 client counts by its /64 (one
household or office holds a whole /64)."""

import hashlib
import hmac
import ipaddress
import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied


def client_address(request) -> str | None:
    """The client's address, or None when it cannot be told."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


def address_bucket(address: str | None) -> str:
    """A keyed hash of the client's network (IPv4 address, IPv6 /64): never the address itself."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        network = "unknown"
    else:
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped  # "::ffff:192.0.2.1" is that IPv4 client, not a /64 of many
        network = (
            str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)
        )
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, network.encode(), hashlib.sha256).hexdigest()[:32]


def over_limit(scope: str, address: str | None, allowed: int, window: int) -> bool:
    """Count one request of `address` in `scope`; True once the window's allowance is spent
    (`allowed` <= 0: no limit)."""
    if allowed <= 0:
        return False
    slot = int(time.time() // window)
    key = f"mreza:rate:{scope}:{address_bucket(address)}:{slot}"
    if cache.add(key, 1, timeout=window + 5):
        return False
    try:
        return cache.incr(key) > allowed
    except ValueError:  # expired between add and incr: this is the window's first
        cache.add(key, 1, timeout=window + 5)
        return False
