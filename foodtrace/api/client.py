"""Who is asking: the client address the app's rate limits count by, and the
rule that decides when ``X-Forwarded-For`` is believed.

``X-Forwarded-For`` is honoured only when the connection comes from an
address in ``FOODTRACE_TRUSTED_PROXIES`` (IPs or CIDRs; default none). Then
the client is the right-most address of the header that is not itself a
trusted proxy (each proxy appends the address it saw, so everything left of
that can be made up by the client). ``foodtrace serve`` passes the same list
to uvicorn (``uvicorn_proxy_options``), which rewrites the connection's
address by the same rule; applying the rule again here gives the same
answer, so it also holds under the test client or another ASGI server.
"""

from __future__ import annotations

from functools import lru_cache
import ipaddress

from fastapi import Request

from foodtrace.config import Settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=64)
def _networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in trusted)


def _host(value: str) -> str:
    """An address of ``X-Forwarded-For`` without a port ("1.2.3.4:80", "[::1]:80")."""
    value = value.strip()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        return value.split(":", 1)[0]
    return value


def is_trusted(host: str | None, trusted: tuple[str, ...]) -> bool:
    """Whether ``host`` is one of the ``trusted`` proxies (IPs or CIDRs)."""
    if not host or not trusted:
        return False
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(ip in net for net in _networks(trusted))


def forwarded_client(peer: str, forwarded_for: list[str], trusted: tuple[str, ...]) -> str:
    """The client behind ``peer`` (the connection's address) given the ``X-Forwarded-For``
    values: ``peer`` itself unless it is a trusted proxy."""
    if not is_trusted(peer, trusted):
        return peer
    hops = [_host(h) for value in forwarded_for for h in value.split(",") if h.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop, trusted):
            return hop
    return hops[0] if hops else peer  # every hop a trusted proxy: the first one is the client


def client_address(request: Request) -> str:
    """The address of the client making ``request``, by the rule above; "unknown" without one."""
    peer = request.client.host if request.client else "unknown"
    settings: Settings | None = getattr(request.app.state, "settings", None)
    trusted = tuple(settings.trusted_proxy_list()) if settings else ()
    if not trusted:
        return peer
    return forwarded_client(peer, request.headers.getlist("x-forwarded-for"), trusted)


def uvicorn_proxy_options(settings: Settings) -> dict:
    """uvicorn's ``proxy_headers`` / ``forwarded_allow_ips`` for these settings: off unless
    proxies are configured (uvicorn's own default would trust loopback)."""
    trusted = settings.trusted_proxy_list()
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted}


__all__ = ["client_address", "forwarded_client", "is_trusted", "uvicorn_proxy_options"]
