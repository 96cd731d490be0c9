"""The client's network address, read in one place, for every limit, lockout and log line.

A request's socket address (REMOTE_ADDR) is the client, unless it is one of the proxies in
TRUSTED_PROXIES: then the client is the right-most address in X-Forwarded-For that is not a
trusted proxy. Anyone can write X-Forwarded-For, and a proxy only appends to it, so only the
hops our own proxies added are believed; an entry that is not an address is never believed.
"""

import ipaddress
from collections.abc import Mapping
from functools import lru_cache

from asgiref.local import Local
from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
# What logs show outside a request (a command, a worker starting).
NO_CLIENT = "-"

current = Local()


@lru_cache(maxsize=8)
def networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """TRUSTED_PROXIES as networks ("10.0.0.5" is the network of that one address)."""
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def parsed(hop: str) -> Address | None:
    """An address as a proxy writes it ("203.0.113.7", "2001:db8::1", with a port some load
    balancers add: "203.0.113.7:51234", "[2001:db8::1]:51234"); None for anything else."""
    hop = hop.strip()
    if hop.startswith("["):
        hop = hop[1:].partition("]")[0]
    elif hop.count(":") == 1:
        hop = hop.partition(":")[0]
    try:
        address = ipaddress.ip_address(hop)
    except ValueError:
        return None
    # An IPv4 client reaching an IPv6 socket is still that IPv4 client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def client_address_in(meta: Mapping[str, str]) -> str:
    """The client's address in a WSGI environ (a request's META); "" when the socket has none."""
    trusted = networks(tuple(settings.TRUSTED_PROXIES))
    socket = parsed(meta.get("REMOTE_ADDR", ""))
    if socket is None:
        return meta.get("REMOTE_ADDR", "").strip()
    client = socket
    hops = meta.get("HTTP_X_FORWARDED_FOR", "").split(",")
    # Right to left: each trusted hop vouches for the address to its left, and no further.
    while any(client in network for network in trusted) and hops:
        hop = parsed(hops.pop())
        if hop is None:
            break  # written by someone we do not trust: the last trusted hop is all we know
        client = hop
    return str(client)


def client_address(request) -> str:
    """The client's address of a Django or REST framework request (AXES_CLIENT_IP_CALLABLE)."""
    return client_address_in(request.META)


class ClientAddressMiddleware:
    """Puts the client's address on the request and on every log line written while serving it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_address = current.address = client_address(request)
        return self.get_response(request)


@receiver(request_finished)
def forget_client_address(**kwargs):
    """After the response is sent (Django logs a failed request after the middleware ran)."""
    try:
        del current.address
    except AttributeError:
        pass


class ClientAddressFilter:
    """Gives each log record `client_address`: the current request's client, or "-"."""

    def filter(self, record) -> bool:
        record.client_address = getattr(current, "address", "") or NO_CLIENT
        return True
