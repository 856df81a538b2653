"""Transport: explicit timeouts, connect-only retries, failover across server addresses, and
the environment's proxies and CA file.

A request moves to the next address only when the connection could not be opened, i.e. when
nothing was sent. Every other failure is raised to the client, which decides whether the
outcome is unknown.

Addresses may carry a path prefix (``https://lb/powerjob``): requests are built on the first
address, and moving one to another address swaps its origin *and* its prefix.

With ``trust_env`` (the default), ``HTTP_PROXY`` / ``HTTPS_PROXY`` / ``ALL_PROXY`` and
``NO_PROXY`` choose a forward proxy per address, and ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` the
CAs trusted when no ``ca_bundle`` is set, as curl and httpx read them.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import ssl
import threading
from collections.abc import Mapping, Sequence

import httpx

from pulumi_powerjob.errors import ConfigurationError
from pulumi_powerjob.settings import ConnectionSettings

log = logging.getLogger(__name__)

# Errors raised before any byte of the request reached the server (ProxyError: the egress
# proxy refused to open the tunnel to it).
NOTHING_SENT: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.ProxyError,
)


def prefix_of(address: httpx.URL) -> str:
    """The path prefix of a base address, without a trailing slash (``""`` for none)."""
    return address.path.rstrip("/")


class FailoverTransport(httpx.BaseTransport):
    """Sends to the address that last worked; on a connect failure, to the next one.

    ``inner`` is one transport for every address, or one per address (each address may go
    through its own proxy).
    """

    def __init__(
        self,
        addresses: Sequence[str],
        inner: httpx.BaseTransport | Sequence[httpx.BaseTransport],
    ) -> None:
        self._origins = [httpx.URL(a) for a in addresses]
        self._inner = [inner] * len(addresses) if isinstance(inner, httpx.BaseTransport) else inner
        if len(self._inner) != len(self._origins):
            raise ValueError("one transport for all addresses, or one per address")
        self._current = 0
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            start = self._current
        rest = self._rest_of(request.url)
        last: Exception | None = None
        for step in range(len(self._origins)):
            index = (start + step) % len(self._origins)
            origin = self._origins[index]
            request.url = request.url.copy_with(
                scheme=origin.scheme,
                host=origin.host,
                port=origin.port,
                path=prefix_of(origin) + rest,
            )
            try:
                response = self._inner[index].handle_request(request)
            except NOTHING_SENT as exc:
                log.debug("connect to %s failed; trying the next address", origin)
                last = exc
                continue
            with self._lock:
                self._current = index
            return response
        assert last is not None
        raise last

    def _rest_of(self, url: httpx.URL) -> str:
        """The path after the prefix of the address ``url`` was built on (or last sent to)."""
        for origin in sorted(self._origins, key=lambda o: -len(prefix_of(o))):
            prefix = prefix_of(origin)
            same = (url.scheme, url.host, url.port) == (origin.scheme, origin.host, origin.port)
            if same and (url.path == prefix or url.path.startswith(prefix + "/")):
                return url.path[len(prefix) :]
        return url.path

    def close(self) -> None:
        for inner in {id(t): t for t in self._inner}.values():
            inner.close()


def timeouts(settings: ConnectionSettings) -> httpx.Timeout:
    """The client's timeouts: connect and pool from ``connect_timeout``, the rest from read."""
    return httpx.Timeout(
        connect=settings.connect_timeout,
        read=settings.read_timeout,
        write=settings.read_timeout,
        pool=settings.connect_timeout,
    )


def proxy_for(address: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The forward proxy the environment names for ``address`` (``None``: go direct).

    ``<scheme>_proxy`` then ``all_proxy`` (lower case wins over upper case), unless
    ``no_proxy`` lists the host: ``*``, a name or ``.domain`` suffix, an IP or CIDR block,
    each optionally with ``:port``.
    """
    env = os.environ if environ is None else environ
    proxies: dict[str, str] = {}
    for name, value in sorted(env.items(), key=lambda kv: kv[0].islower()):
        if value and name.lower().endswith("_proxy"):
            proxies[name.lower()[: -len("_proxy")]] = value
    url = httpx.URL(address)
    proxy = proxies.get(url.scheme) or proxies.get("all")
    if not proxy or _bypassed(url, proxies.get("no", "")):
        return None
    return proxy if "://" in proxy else "http://" + proxy


def _bypassed(url: httpx.URL, no_proxy: str) -> bool:
    host = url.host.lower()
    port = url.port or (443 if url.scheme == "https" else 80)
    for raw in no_proxy.split(","):
        entry = raw.strip().lower()
        if entry == "*":
            return True
        name, _, only_port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
        if not name or (only_port and only_port != str(port)):
            continue
        name = name.removeprefix("*").lstrip(".")
        if host == name or host.endswith("." + name) or _in_block(host, name):
            return True
    return False


def _in_block(host: str, block: str) -> bool:
    if "/" not in block:
        return False
    try:
        return ipaddress.ip_address(host) in ipaddress.ip_network(block, strict=False)
    except ValueError:
        return False


def _verify(settings: ConnectionSettings) -> ssl.SSLContext | bool:
    if not any(a.startswith("https://") for a in settings.addresses):
        # no TLS anywhere (redirects are not followed): skip building an SSL context, ~30 ms
        return False
    if settings.ca_bundle:
        try:
            return ssl.create_default_context(cafile=settings.ca_bundle)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigurationError(
                f"{settings.setting('caBundle')}: cannot read {settings.ca_bundle!r} as PEM "
                f"CA certificates ({exc})"
            ) from None
    if not settings.verify:
        return False
    # SSL_CERT_FILE / SSL_CERT_DIR when trust_env, else the certifi bundle
    return httpx.create_ssl_context(verify=True, trust_env=settings.trust_env)


def build_transport(settings: ConnectionSettings) -> httpx.BaseTransport:
    """The default transport: TLS verified (or a CA bundle), connect retries, failover, and
    the environment's proxies unless ``trust_env`` is off."""
    verify = _verify(settings)
    routes = [proxy_for(a) if settings.trust_env else None for a in settings.addresses]
    transports: dict[str | None, httpx.BaseTransport] = {}
    for proxy in dict.fromkeys(routes):
        try:
            transports[proxy] = httpx.HTTPTransport(
                verify=verify,
                retries=settings.connect_retries,
                trust_env=settings.trust_env,
                proxy=proxy,
            )
        except (ValueError, ImportError) as exc:
            raise ConfigurationError(
                f"the proxy the environment names for {settings.addresses[routes.index(proxy)]} "
                f"cannot be used ({type(exc).__name__}); {settings.setting('trustEnv')} false "
                "ignores the environment"
            ) from None
    if len(settings.addresses) == 1:
        return transports[routes[0]]
    return FailoverTransport(settings.addresses, [transports[r] for r in routes])
