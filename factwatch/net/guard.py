"""SSRF guard: which URLs and addresses factwatch may connect to.

Three checks, from cheapest to strongest:

1. `url_problem` looks only at the URL (scheme, host, IP literals in any
   spelling) and does no I/O, so the CLI can use it on its arguments.
2. `resolution_problem` resolves the host and checks every address, which
   gives a clear message before anything is sent.
3. `GuardedAdapter` checks the address each socket is *actually* connected
   to, right after the TCP connect and before any byte is sent.  This is
   the check that defeats DNS rebinding and redirects to internal hosts,
   because no later lookup can change what the socket is talking to.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

ALLOWED_SCHEMES = ("http", "https")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Metadata services that do not live on a link-local address; always refused.
_METADATA = {
    ipaddress.ip_address("fd00:ec2::254"),  # AWS IMDS over IPv6
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Hosts like "2852039166", "0xa9fe.0xa9fe" or "127.1": legacy IPv4 spellings
# that getaddrinfo accepts and ipaddress does not.
_LEGACY_IPV4 = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}\.?$", re.I)
_BAD_HOST_CHARS = re.compile(r"[\s<>%{}|\\^`\"'/?#@]")


class ForbiddenAddress(Exception):
    """A socket reached an address factwatch must not talk to.

    Deliberately not an OSError: urllib3 wraps OSErrors into retries and
    connection errors, and this must reach the fetcher unchanged.
    """


def redact_url(url: str) -> str:
    """The URL without user:password, safe for logs and error messages."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable URL>"
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address tunnels to, if any."""
    if ip.version != 6:
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_refusal(ip: IPAddress, allow_private: bool) -> str | None:
    """'169.254.169.254 is a link-local address', or None when `ip` is allowed."""
    shown = _embedded_ipv4(ip) or ip
    problem = address_problem(shown, allow_private)
    return f"{shown} is {problem}" if problem else None


def address_problem(ip: IPAddress, allow_private: bool) -> str | None:
    """Why factwatch must not connect to `ip` ("a link-local address"), or None."""
    inner = _embedded_ipv4(ip)
    if inner is not None:
        return address_problem(inner, allow_private)
    if ip in _METADATA:
        return "a cloud metadata address"
    if ip.is_link_local:
        return "a link-local address"
    if allow_private:
        return None
    for kind, flag in (("a loopback", ip.is_loopback), ("an unspecified", ip.is_unspecified),
                       ("a multicast", ip.is_multicast), ("a private network", ip.is_private),
                       ("a reserved", ip.is_reserved)):
        if flag:
            return f"{kind} address"
    if not ip.is_global:
        return "not a public address"
    return None


def parse_ip(host: str) -> IPAddress | None:
    """`host` as an IP address if it is one in any spelling, else None (no I/O)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _LEGACY_IPV4.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
        except OSError:
            return None
    return None


def url_problem(url: str, allow_private: bool) -> str | None:
    """Why `url` is refused, judged from the text alone, or None."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        parts.port  # noqa: B018 -- raises ValueError on a bad port
    except ValueError:
        return "not a valid URL"
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        return f"only http and https URLs are fetched, not {scheme + ':' if scheme else 'this'}"
    if not host:
        return "the URL has no host"
    ip = parse_ip(host)
    if ip is not None:
        return address_refusal(ip, allow_private)
    if _BAD_HOST_CHARS.search(host):
        return "not a valid URL"
    if not allow_private and (host == "localhost" or host.endswith(".localhost")):
        return f"{host} is a loopback address"
    return None


def resolution_problem(host: str, port: int, allow_private: bool) -> str | None:
    """Why `host` is refused after resolving it, or None; raises socket.gaierror."""
    ip = parse_ip(host)
    if ip is not None:
        return address_refusal(ip, allow_private)
    for *_, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        resolved = ipaddress.ip_address(sockaddr[0])
        problem = address_problem(resolved, allow_private)
        if problem:
            return f"{host} resolves to {resolved}, {problem}"
    return None


class _PeerCheck:
    """Mixin for urllib3 connections: refuse a socket whose peer is forbidden."""

    allow_private = False

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # type: ignore[misc]
        try:
            peer = ipaddress.ip_address(sock.getpeername()[0])
        except (OSError, ValueError):
            sock.close()
            raise ForbiddenAddress("could not tell which address the connection reached") from None
        refusal = address_refusal(peer, self.allow_private)
        if refusal:
            sock.close()
            raise ForbiddenAddress(refusal)
        return sock


@lru_cache(maxsize=2)
def _guarded_pools(allow_private: bool) -> dict[str, type[HTTPConnectionPool]]:
    """Connection pool classes whose connections check their peer address."""
    attrs = {"allow_private": allow_private}
    http_conn = type("GuardedHTTPConnection", (_PeerCheck, HTTPConnection), attrs)
    https_conn = type("GuardedHTTPSConnection", (_PeerCheck, HTTPSConnection), attrs)
    return {
        "http": type("GuardedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
        "https": type("GuardedHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
    }


class GuardedAdapter(HTTPAdapter):
    """A requests adapter that never retries and checks every connected address."""

    def __init__(self, allow_private: bool, pool_maxsize: int = 10) -> None:
        self.allow_private = allow_private
        # max_retries=0: retries belong to Prefect, in exactly one layer.
        super().__init__(max_retries=0, pool_maxsize=pool_maxsize)

    def init_poolmanager(self, *args, **kwargs) -> None:
        """Build the pool manager, then swap in the guarded pool classes."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _guarded_pools(self.allow_private)

    def proxy_manager_for(self, *args, **kwargs):
        """Refuse proxies: through one, the peer check would see only the proxy."""
        raise ForbiddenAddress("proxies are not supported by the address guard")
