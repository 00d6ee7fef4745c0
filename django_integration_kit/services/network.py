"""``block_network`` and ``allow_network``: tests reach this machine and its databases only."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from django.test.utils import TestContextDecorator

from django_integration_kit import _frames

_frames.hide(globals())

__all__ = ["NetworkBlockedError", "allow_network", "block_network"]

# Django's cache backends that keep their data on this machine: their LOCATION is a name or a
# path, never a host.
_LOCAL_CACHES = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.filebased.FileBasedCache",
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)
_INET_FAMILIES = (socket.AF_INET, socket.AF_INET6)
_INHERITED = object()


class NetworkBlockedError(RuntimeError):
    """A test tried to reach a host off this machine while the network was blocked.

    A ``RuntimeError`` rather than an ``OSError`` on purpose: code that survives network
    failures (``except OSError``, ``except requests.RequestException``, retries, fallbacks)
    would swallow an ``OSError``, and the test would pass without the call ever being mocked.
    """

    def __init__(self, host: str, port: int | str | None = None, *, lookup: bool = False) -> None:
        self.host = host
        self.port = port
        target = _host_port(host, port)
        what = f"Name lookup of {target}" if lookup else f"Connection to {target}"
        super().__init__(
            f"{what} is blocked: tests may only reach this machine and the configured "
            "databases and caches. Mock the call with mock_http(), or wrap the code in "
            "allow_network() to let it through."
        )


class _NetworkSwitch(TestContextDecorator):
    blocks: bool

    def __init__(self) -> None:
        super().__init__()
        # A stack, so the same instance can be entered again while it is active.
        self._tokens: list[object] = []

    def enable(self) -> None:
        token = object()
        _push(token, self.blocks)
        self._tokens.append(token)

    def disable(self) -> None:
        _pop(self._tokens.pop())


class block_network(_NetworkSwitch):
    """Refuse every connection and name lookup to hosts other than loopback, ``localhost``
    and the hosts of ``settings.DATABASES`` and network ``settings.CACHES`` (Unix sockets
    pass) with :class:`NetworkBlockedError`, before any packet or DNS query leaves."""

    blocks = True


class allow_network(_NetworkSwitch):
    """Let connections through again inside a :func:`block_network` region (or a kit test)."""

    blocks = False


_lock = threading.RLock()
# (token, blocks) for each active block_network()/allow_network(); the innermost one decides.
_stack: list[tuple[object, bool]] = []
# Addresses the allowed host names resolved to, so connecting to them passes too.
_resolved: set[str] = set()
_real: dict[str, Callable[..., Any]] = {}
_saved: dict[str, Any] = {}


def _push(token: object, blocks: bool) -> None:
    with _lock:
        if not _stack:
            _install()
        _stack.append((token, blocks))


def _pop(token: object) -> None:
    with _lock:
        # By identity, so regions that end out of order still leave the right ones in force.
        _stack[:] = [entry for entry in _stack if entry[0] is not token]
        if not _stack:
            _uninstall()
            _resolved.clear()


def _blocked() -> bool:
    return bool(_stack) and _stack[-1][1]


def _install() -> None:
    # A guard still in place from an earlier, overlapping patch must never become "the real
    # function", or it would call itself.
    for name, guard in _MODULE_GUARDS.items():
        if getattr(socket, name) is not guard:
            _real[name] = _saved[name] = getattr(socket, name)
            setattr(socket, name, guard)
    for name, guard in _METHOD_GUARDS.items():
        if socket.socket.__dict__.get(name) is not guard:
            _real[name] = getattr(socket.socket, name)
            _saved[name] = socket.socket.__dict__.get(name, _INHERITED)
            setattr(socket.socket, name, guard)


def _uninstall() -> None:
    # Whatever patched socket after the kit keeps its patch; the guards then pass through.
    for name, guard in _MODULE_GUARDS.items():
        if getattr(socket, name) is guard:
            setattr(socket, name, _saved[name])
    for name, guard in _METHOD_GUARDS.items():
        if socket.socket.__dict__.get(name) is guard:
            if _saved[name] is _INHERITED:
                delattr(socket.socket, name)
            else:
                setattr(socket.socket, name, _saved[name])


def _guarded_getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
    if not _blocked():
        return _real["getaddrinfo"](host, port, *args, **kwargs)
    _refuse_unless_allowed(host, port, lookup=True)
    result = _real["getaddrinfo"](host, port, *args, **kwargs)
    _remember(str(info[4][0]) for info in result)
    return result


def _guarded_gethostbyname(host: Any) -> Any:
    if not _blocked():
        return _real["gethostbyname"](host)
    _refuse_unless_allowed(host, None, lookup=True)
    address = _real["gethostbyname"](host)
    _remember([address])
    return address


def _guarded_gethostbyname_ex(host: Any) -> Any:
    if not _blocked():
        return _real["gethostbyname_ex"](host)
    _refuse_unless_allowed(host, None, lookup=True)
    result = _real["gethostbyname_ex"](host)
    _remember(result[2])
    return result


def _guarded_create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
    if _blocked() and isinstance(address, tuple):
        _refuse_unless_allowed(address[0], address[1])
    return _real["create_connection"](address, *args, **kwargs)


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    _check_socket_address(self, address)
    return _real["connect"](self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> Any:
    _check_socket_address(self, address)
    return _real["connect_ex"](self, address)


def _guarded_sendto(self: socket.socket, data: Any, *args: Any) -> Any:
    # sendto(data, address) or sendto(data, flags, address): UDP needs no connect() to leave.
    if args:
        _check_socket_address(self, args[-1])
    return _real["sendto"](self, data, *args)


_MODULE_GUARDS: dict[str, Callable[..., Any]] = {
    "getaddrinfo": _guarded_getaddrinfo,
    "gethostbyname": _guarded_gethostbyname,
    "gethostbyname_ex": _guarded_gethostbyname_ex,
    "create_connection": _guarded_create_connection,
}
_METHOD_GUARDS: dict[str, Callable[..., Any]] = {
    "connect": _guarded_connect,
    "connect_ex": _guarded_connect_ex,
    "sendto": _guarded_sendto,
}


def _check_socket_address(sock: socket.socket, address: Any) -> None:
    # Unix and other local families carry a path or a number, never a remote host.
    if _blocked() and sock.family in _INET_FAMILIES and isinstance(address, tuple):
        _refuse_unless_allowed(address[0], address[1])


def _refuse_unless_allowed(host: Any, port: Any, *, lookup: bool = False) -> None:
    name = _canonical(host)
    if not _is_allowed(name):
        raise NetworkBlockedError(name, port, lookup=lookup)


def _remember(addresses: Iterable[str]) -> None:
    _resolved.update(_canonical(address) for address in addresses)


def _canonical(host: Any) -> str:
    if host is None:
        return ""
    if isinstance(host, (bytes, bytearray)):
        host = bytes(host).decode("ascii", errors="replace")
    name = str(host).strip().strip("[]").rstrip(".").lower()
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        return name


def _is_allowed(name: str) -> bool:
    if name in ("", "localhost") or name in _resolved:
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return name in _configured_hosts()
    mapped = getattr(address, "ipv4_mapped", None)
    # The unspecified address (0.0.0.0, ::) means this machine when connected to.
    if address.is_loopback or address.is_unspecified or (mapped and mapped.is_loopback):
        return True
    return name in _configured_hosts()


def _configured_hosts() -> set[str]:
    """The hosts of ``settings.DATABASES`` and of the network caches in ``settings.CACHES``."""
    from django.conf import settings

    if not settings.configured:
        return set()
    hosts: set[str] = set()
    for database in settings.DATABASES.values():
        # libpq takes a comma-separated list of hosts; a leading "/" is a Unix socket directory.
        for host in str(database.get("HOST") or "").split(","):
            if host.strip() and not host.strip().startswith("/"):
                hosts.add(_canonical(host))
    for cache in settings.CACHES.values():
        if cache.get("BACKEND") in _LOCAL_CACHES:
            continue
        for location in _locations(cache.get("LOCATION")):
            cache_host = _location_host(location)
            if cache_host:
                hosts.add(_canonical(cache_host))
    return hosts


def _locations(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        # Memcached has long taken "host:port;host:port" (or commas) in one string.
        return [part for part in value.replace(",", ";").split(";") if part.strip()]
    return [str(part) for part in value]


def _location_host(location: str) -> str | None:
    location = location.strip()
    if location.startswith(("/", "unix:")):
        return None
    url = location if "://" in location else f"//{location}"
    return urlsplit(url).hostname


def _host_port(host: str, port: Any) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{port}" if port not in (None, "", 0) else (shown or "(no host)")
