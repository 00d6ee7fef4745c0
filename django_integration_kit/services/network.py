"""``block_network`` and ``allow_network``: tests reach this machine and its databases only."""

from __future__ import annotations

import _socket
import collections
import functools
import ipaddress
import operator
import os
import socket
import sys
import threading
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any, TypeAlias
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
_HTTP_PORTS = frozenset({80, 443, 8000, 8080, 8443})
_SMTP_PORTS = frozenset({25, 465, 587, 2525})
# HTTP clients that mock_http() (requests-mock) does not answer for.
_OTHER_HTTP_CLIENTS = ("httpx", "httpcore", "aiohttp", "urllib.request", "http.client", "urllib3")
# Where a caught error counts as seen: the test runner (the test failed with it).
_RUNNER_MODULES = ("unittest", "_pytest", "pluggy")


class NetworkBlockedError(RuntimeError):
    """A test tried to reach a host off this machine while the network was blocked.

    A ``RuntimeError`` rather than an ``OSError`` on purpose: code that survives network
    failures (``except OSError``, ``except requests.RequestException``, retries, fallbacks)
    would swallow an ``OSError``, and the test would pass without the call ever being mocked.
    Code that catches it all the same (``except Exception``) fails the test when the guard
    ends.

    ``host`` and ``port`` name the target, ``call`` the blocked function
    (``"socket.getaddrinfo"``, ``"socket.socket.connect"``, ...), ``what`` the attempt
    (``"Connection to api.example:443"``) and ``advice`` what to do for its protocol.
    """

    def __init__(
        self,
        host: str,
        port: int | str | None = None,
        *,
        lookup: bool = False,
        reverse: bool = False,
        call: str = "",
        advice: str | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.call = call
        target = _host_port(host, port)
        if reverse:
            self.what = f"Reverse lookup of {target}"
        elif lookup and not _is_ip_literal(host):
            self.what = f"Name lookup of {target}"
        else:
            # An address needs no lookup: the caller is about to connect to it.
            self.what = f"Connection to {target}"
        self.advice = advice if advice is not None else _advice(host, port, via=None)
        super().__init__(
            f"{self.what} is blocked: tests may only reach this machine and the configured "
            f"databases and caches. {self.advice}"
        )


class _NetworkSwitch(TestContextDecorator):
    kind: str

    def __init__(self) -> None:
        super().__init__()
        # A stack, so the same instance can be entered again while it is active.
        self._regions: list[_Region] = []

    def enable(self) -> None:
        region = self._new_region()
        _push(region)
        self._regions.append(region)

    def disable(self) -> None:
        self._finish(None)

    def __exit__(self, exc_type: object, exc_value: object, traceback: object) -> None:
        self._finish(exc_value if isinstance(exc_value, BaseException) else None)

    def _finish(self, exc: BaseException | None) -> None:
        region = self._regions.pop()
        _pop(region)
        _report_swallowed(region.start, exc)

    def _new_region(self) -> _Region:
        return _Region(self.kind)


class block_network(_NetworkSwitch):
    """Refuse every connection, datagram and name lookup (forward or reverse) to hosts other
    than this machine (loopback addresses and the names that resolve to them) and the hosts of
    ``settings.DATABASES`` and network ``settings.CACHES`` (Unix sockets pass) with
    :class:`NetworkBlockedError`, before any packet or DNS query leaves.

    A blocked call that the code caught (``except Exception``) fails the block when it ends,
    naming the call."""

    kind = "block"


class allow_network(_NetworkSwitch):
    """Let connections through again inside a :func:`block_network` region (or a kit test).

    With targets (``"host:port"``, ``"[::1]:6379"``, or a bare ``"host"`` for any port), only
    those get through, and everything else stays blocked::

        with allow_network("redis.internal:6379", "db:5432"):
            ...
    """

    kind = "allow"

    def __init__(self, *targets: str) -> None:
        super().__init__()
        self.targets = frozenset(_parse_target(target) for target in targets)
        if targets:
            self.kind = "allow-some"

    def _new_region(self) -> _Region:
        return _Region(self.kind, self.targets)


class _Region:
    """One active block_network()/allow_network()."""

    def __init__(self, kind: str, targets: frozenset[tuple[str, int | None]] = frozenset()):
        self.kind = kind
        self.targets = targets
        # For allow_network("name:port"): the addresses the name resolved to, and their ports.
        self.resolved: dict[str, set[int | None]] = {}
        self.start = 0


class _Logged:
    __slots__ = ("error", "seq", "settled")

    def __init__(self, error: NetworkBlockedError, seq: int) -> None:
        self.error = error
        self.seq = seq
        self.settled = False


_Grants: TypeAlias = "list[tuple[_Region, set[int | None]]] | None"
# What _check_name() returns for a configured host: remember all it resolves to, any port.
_CONFIGURED: list[tuple[_Region, set[int | None]]] = []

_lock = threading.RLock()
_stack: list[_Region] = []
# None when calls pass; while blocked, the allow_network(targets) regions that still apply.
_state: tuple[_Region, ...] | None = None
# Addresses the allowed host names resolved to, so connecting to them passes too.
_resolved: set[str] = set()
# Per guard session (cleared when the last region ends): what is known to be this machine.
_local_hosts: dict[str, bool] = {}
_session: dict[str, Any] = {}
_real: dict[str, Any] = {}
_saved: dict[str, Any] = {}
# Every NetworkBlockedError raised while a region is active, to find the swallowed ones.
_log: list[_Logged] = []
_seq = [0]
_test_start = [0]
# While set, the guards stay in place when the last region ends, passing every call through,
# until release_guards(): the kit fixture installs them once a session, not once a test.
_keep_installed = [False]
# Whether _escaped_the_view receives Django's got_request_exception (while _log holds a call).
_watching_handler = [False]


def _push(region: _Region) -> None:
    with _lock:
        if not _stack:
            _install()
        region.start = _seq[0]
        _stack.append(region)
        _recompute()


def _pop(region: _Region) -> None:
    with _lock:
        # By identity, so regions that end out of order still leave the right ones in force.
        _stack[:] = [entry for entry in _stack if entry is not region]
        _recompute()
        if not _stack:
            if not _keep_installed[0]:
                _uninstall()
            _resolved.clear()
            _local_hosts.clear()
            _session.clear()


def _recompute() -> None:
    global _state
    allowances: list[_Region] = []
    for region in reversed(_stack):
        if region.kind == "allow":
            break
        if region.kind == "block":
            _state = tuple(allowances)
            return
        allowances.append(region)
    _state = None


# --- installing the guards -----------------------------------------------------------------------


def _install() -> None:
    current = list(map(getattr, _OWNERS, _NAMES))
    # When every guard is still in place (kept between the kit fixture's tests), nothing to do.
    if current != _GUARDS:
        if any(map(operator.is_, current, _GUARDS)):
            _install_each(current)
        else:
            # None in place, as before every class of the kit's test cases: all at once.
            _real.update(zip(_KEYS, current, strict=True))
            _saved.update(zip(_KEYS, current, strict=True))
            for key, owner, name in _CLASS_SITES:
                _saved[key] = owner.__dict__.get(name, _INHERITED)
            _consume(map(setattr, _OWNERS, _NAMES, _GUARDS))


def _install_each(current: list[Any]) -> None:
    # A guard still in place from an earlier, overlapping patch must never become "the real
    # function", or it would call itself.
    for key, (owner, name, guard), now in zip(_KEYS, _SITES.values(), current, strict=True):
        if now is guard:
            continue
        _real[key] = now
        if isinstance(owner, type):
            _saved[key] = owner.__dict__.get(name, _INHERITED)
        else:
            _saved[key] = now
        setattr(owner, name, guard)


def _uninstall() -> None:
    # Every guard in place, as the kit left them: all put back at once (the first _install()
    # saved every site, and _saved is never cleared).
    if list(map(getattr, _OWNERS, _NAMES)) == _GUARDS:
        _consume(map(setattr, _MODULE_OWNERS, _MODULE_NAMES, map(_saved.get, _MODULE_KEYS)))
        for key, owner, name in _CLASS_SITES:
            _put_back(owner, name, _saved[key])
        return
    # Whatever patched socket after the kit keeps its patch; the guards then pass through.
    for key, (owner, name, guard) in _SITES.items():
        # A module's or the socket class's own entry: a method the class inherits is no guard.
        if owner.__dict__.get(name) is guard:
            _put_back(owner, name, _saved[key])


def _put_back(owner: Any, name: str, saved: Any) -> None:
    if saved is _INHERITED:
        delattr(owner, name)
    else:
        setattr(owner, name, saved)


def _watch_django_handler(on: bool) -> None:
    # Connected only while a blocked call is on record: Django's test client connects and
    # disconnects a receiver of its own to this signal at every request, and each one more
    # in its list costs every request of every test a step.
    if _watching_handler[0] is on:
        return
    try:
        from django.core.signals import got_request_exception
    except ImportError:  # pragma: no cover - Django is a dependency
        return
    if on:
        got_request_exception.connect(_escaped_the_view, weak=False, dispatch_uid=__name__)
    else:
        got_request_exception.disconnect(dispatch_uid=__name__)
    _watching_handler[0] = on


def _escaped_the_view(sender: Any, **kwargs: Any) -> None:
    """A blocked call that a view let out reached Django's request handler: the test client
    raises it in the test (or answers 500), so the code did not swallow it."""
    chain = _chain(sys.exc_info()[1])
    for entry in _log:
        if entry.error in chain:
            entry.settled = True


# --- the guards ------------------------------------------------------------------------------------


# Each guard takes its site's key and the call's name first; _sites() binds them with partial()
# rather than building closures at import, so that a mutation test reaches the guards' code.


def _guarded_getaddrinfo(
    key: str, call: str, host: Any, port: Any, *args: Any, **kwargs: Any
) -> Any:
    if _state is None:
        return _real[key](host, port, *args, **kwargs)
    grants = _check_name(host, port, call=call, lookup=True)
    result = _real[key](host, port, *args, **kwargs)
    _remember((str(info[4][0]) for info in result), grants)
    return result


def _guarded_gethostbyname(key: str, call: str, host: Any) -> Any:
    # gethostbyname() and gethostbyname_ex(): a name (or an address) in, addresses out.
    if _state is None:
        return _real[key](host)
    grants = _check_name(host, None, call=call, lookup=True)
    result = _real[key](host)
    _remember([result] if isinstance(result, str) else result[2], grants)
    return result


def _guarded_gethostbyaddr(key: str, call: str, host: Any) -> Any:
    # gethostbyaddr() (and so getfqdn()): an address is looked up backwards; a name forwards
    # first, then its address backwards.
    if _state is None:
        return _real[key](host)
    if _is_ip_literal(_canonical(host)):
        _check_address(host, None, call=call, reverse=True)
    else:
        _check_name(host, None, call=call, lookup=True)
    return _real[key](host)


def _guarded_getnameinfo(key: str, call: str, sockaddr: Any, flags: int, *args: Any) -> Any:
    # NI_NUMERICHOST asks for no lookup of the host; the service comes from /etc/services.
    if (
        _state is not None
        and not flags & socket.NI_NUMERICHOST
        and isinstance(sockaddr, tuple)
        and sockaddr
    ):
        _check_address(sockaddr[0], None, call=call, reverse=True)
    return _real[key](sockaddr, flags, *args)


def _guarded_create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
    if _state is not None and isinstance(address, tuple):
        _check_name(address[0], address[1], call="socket.create_connection")
    return _real["socket.create_connection"](address, *args, **kwargs)


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if _state is not None:
        _check_socket_address(self, address, "socket.socket.connect")
    return _real["socket.socket.connect"](self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> Any:
    if _state is not None:
        _check_socket_address(self, address, "socket.socket.connect_ex")
    return _real["socket.socket.connect_ex"](self, address)


def _guarded_sendto(self: socket.socket, data: Any, *args: Any) -> Any:
    # sendto(data, address) or sendto(data, flags, address): UDP needs no connect() to leave.
    if _state is not None and args:
        _check_socket_address(self, args[-1], "socket.socket.sendto")
    return _real["socket.socket.sendto"](self, data, *args)


def _guarded_sendmsg(self: socket.socket, buffers: Any, *args: Any) -> Any:
    # sendmsg(buffers, ancdata, flags, address): the address is optional and last.
    if _state is not None and len(args) >= 3 and args[2] is not None:
        _check_socket_address(self, args[2], "socket.socket.sendmsg")
    return _real["socket.socket.sendmsg"](self, buffers, *args)


class _GuardedCSocket(_socket.socket):
    """Stands in for ``_socket.socket`` while guarded: that type cannot be patched in place,
    and code that builds sockets from it directly would bypass ``socket.socket``'s guards."""

    def connect(self, address: Any) -> None:
        if _state is not None:
            _check_socket_address(self, address, "_socket.socket.connect")
        super().connect(address)

    def connect_ex(self, address: Any) -> int:
        if _state is not None:
            _check_socket_address(self, address, "_socket.socket.connect_ex")
        return super().connect_ex(address)

    def sendto(self, data: Any, *args: Any) -> int:
        if _state is not None and args:
            _check_socket_address(self, args[-1], "_socket.socket.sendto")
        return super().sendto(data, *args)

    if hasattr(_socket.socket, "sendmsg"):

        def sendmsg(self, buffers: Any, *args: Any) -> int:
            if _state is not None and len(args) >= 3 and args[2] is not None:
                _check_socket_address(self, args[2], "_socket.socket.sendmsg")
            return super().sendmsg(buffers, *args)


def _sites() -> dict[str, tuple[Any, str, Any]]:
    sites: dict[str, tuple[Any, str, Any]] = {}
    for module, prefix in ((socket, "socket"), (_socket, "_socket")):
        for name, guard in (
            ("getaddrinfo", _guarded_getaddrinfo),
            ("gethostbyname", _guarded_gethostbyname),
            ("gethostbyname_ex", _guarded_gethostbyname),
            ("gethostbyaddr", _guarded_gethostbyaddr),
            ("getnameinfo", _guarded_getnameinfo),
        ):
            key = f"{prefix}.{name}"
            sites[key] = (module, name, functools.partial(guard, key, f"socket.{name}"))
    sites["socket.create_connection"] = (socket, "create_connection", _guarded_create_connection)
    methods: dict[str, Callable[..., Any]] = {
        "connect": _guarded_connect,
        "connect_ex": _guarded_connect_ex,
        "sendto": _guarded_sendto,
    }
    if hasattr(socket.socket, "sendmsg"):
        methods["sendmsg"] = _guarded_sendmsg
    for name, guard in methods.items():
        sites[f"socket.socket.{name}"] = (socket.socket, name, guard)
    sites["_socket.socket"] = (_socket, "socket", _GuardedCSocket)
    return sites


_SITES = _sites()
# The sites as parallel sequences, to check, install and remove all the guards in one pass:
# installing them one by one cost each class of the kit's test cases ~1,200 bytecode
# instructions (benchmarks/results.md, section 9).
_KEYS = list(_SITES)
_OWNERS = [owner for owner, _, _ in _SITES.values()]
_NAMES = [name for _, name, _ in _SITES.values()]
_GUARDS = [guard for _, _, guard in _SITES.values()]
_MODULE_KEYS = [key for key, (owner, _, _) in _SITES.items() if not isinstance(owner, type)]
_MODULE_OWNERS = [_SITES[key][0] for key in _MODULE_KEYS]
_MODULE_NAMES = [_SITES[key][1] for key in _MODULE_KEYS]
_CLASS_SITES = [
    (key, owner, name) for key, (owner, name, _) in _SITES.items() if isinstance(owner, type)
]
_consume: Callable[[Iterable[Any]], None] = collections.deque(maxlen=0).extend


def _system_getaddrinfo(host: str) -> list[Any]:
    """The operating system's resolver (as it was before the guard), for names that are
    plausibly this machine's own."""
    resolve = _real.get("_socket.getaddrinfo", _socket.getaddrinfo)
    return list(resolve(host, None))


# --- deciding ------------------------------------------------------------------------------------


def _check_socket_address(sock: Any, address: Any, call: str) -> None:
    # Unix and other local families carry a path or a number, never a remote host.
    if sock.family in _INET_FAMILIES and isinstance(address, tuple) and address:
        host = address[0]
        port = address[1] if len(address) > 1 else None
        if not (isinstance(host, str) and _local_hosts.get(host) is True):
            _check_name(host, port, call=call)


def _check_name(host: Any, port: Any, *, call: str, lookup: bool = False) -> _Grants:
    """Raise unless ``host`` (a name or an address) may be reached on ``port``; return what
    to remember of the addresses it resolves to: the allow_network(targets) regions (and
    ports) that let it through, _CONFIGURED for a configured host, or None (nothing: this
    machine, or an address)."""
    if isinstance(host, str) and _local_hosts.get(host) is True:
        return None
    name = _canonical(host)
    if _is_ip_literal(name):
        _check_address(name, port, call=call, lookup=lookup)
        return None
    grants = _allowing(name, port)
    if grants is not None:
        return grants
    if name in ("", "localhost"):
        if isinstance(host, str):
            _local_hosts[host] = True
        return None
    if name in _configured_hosts():
        return _CONFIGURED
    if _plausibly_local(name) and _resolves_here(name):
        _local_hosts[name] = True
        if isinstance(host, str):
            _local_hosts[host] = True
        return None
    _refuse(name, port, call=call, lookup=lookup)
    return None  # pragma: no cover - _refuse raises


def _check_address(
    host: Any, port: Any, *, call: str, lookup: bool = False, reverse: bool = False
) -> None:
    address = _canonical(host)
    if _address_is_local(address):
        if isinstance(host, str):
            _local_hosts[host] = True
        return
    if (
        _allowing(address, port) is not None
        or address in _resolved
        or address in _configured_hosts()
    ):
        return
    _refuse(address, port, call=call, lookup=lookup, reverse=reverse)


def _refuse(
    host: str, port: Any, *, call: str, lookup: bool = False, reverse: bool = False
) -> None:
    advice = _advice(host, port, via=_calling_library())
    error = NetworkBlockedError(
        host, port, lookup=lookup, reverse=reverse, call=call, advice=advice
    )
    with _lock:
        _seq[0] += 1
        _log.append(_Logged(error, _seq[0]))
        _watch_django_handler(True)
    raise error


def _allowing(host: str, port: Any) -> _Grants:
    """The allow_network(targets) regions that let ``host`` through on ``port``, each with
    the ports its matching targets name (None: any), or None when none does."""
    if not _state:
        return None
    number = _port_number(port)
    grants: list[tuple[_Region, set[int | None]]] = []
    for region in _state:
        known = region.resolved.get(host)
        if known is not None and (None in known or number is None or number in known):
            grants.append((region, set()))  # resolved from an allowed name: known already
            continue
        ports = {
            target_port
            for target_host, target_port in region.targets
            if target_host == host
            and (target_port is None or number is None or target_port == number)
        }
        if ports:
            grants.append((region, ports))
    return grants or None


def _remember(addresses: Iterable[str], grants: _Grants) -> None:
    if grants is None:
        return
    canonical = [_canonical(address) for address in addresses]
    if grants is _CONFIGURED:
        # What a configured host resolves to is as reachable as the host.
        _resolved.update(canonical)
        return
    # Only for the ports (and the allow_network() regions) the name was allowed for.
    for region, ports in grants:
        for address in canonical:
            region.resolved.setdefault(address, set()).update(ports)


def _address_is_local(address: str) -> bool:
    if address == "":
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    # The unspecified address (0.0.0.0, ::) means this machine when connected to.
    if ip.is_loopback or ip.is_unspecified or (mapped is not None and mapped.is_loopback):
        return True
    return address in _own_addresses()


def _plausibly_local(name: str) -> bool:
    """Names the system answers for itself, from /etc/hosts: only these are ever resolved
    while blocked, so no DNS query leaves for any other."""
    return name.endswith(".localhost") or name == _own_name() or name in _hosts_file_names()


def _resolves_here(name: str) -> bool:
    try:
        infos = _system_getaddrinfo(name)
    except OSError:
        # Let the real call fail with the system's own error.
        return True
    return all(_address_is_local(_canonical(info[4][0])) for info in infos)


def _own_name() -> str:
    if "own_name" not in _session:
        try:
            _session["own_name"] = _canonical(socket.gethostname())
        except OSError:
            _session["own_name"] = "localhost"
    return str(_session["own_name"])


def _own_addresses() -> frozenset[str]:
    """What this machine's own host name resolves to: its own addresses, so connections and
    reverse lookups of them stay here."""
    if "own_addresses" not in _session:
        _session["own_addresses"] = frozenset()  # while resolving, nothing is known yet
        try:
            infos = _system_getaddrinfo(_own_name())
        except OSError:
            infos = []
        _session["own_addresses"] = frozenset(_canonical(info[4][0]) for info in infos)
    result: frozenset[str] = _session["own_addresses"]
    return result


_HOSTS_FILE = (
    os.path.join(
        os.environ.get("SYSTEMROOT", "C:\\Windows"), "System32", "drivers", "etc", "hosts"
    )
    if sys.platform == "win32"
    else "/etc/hosts"
)


def _hosts_file_names() -> frozenset[str]:
    if "hosts" not in _session:
        names: set[str] = set()
        try:
            with open(_HOSTS_FILE, encoding="utf-8", errors="replace") as hosts:
                for line in hosts:
                    names.update(_canonical(n) for n in line.split("#", 1)[0].split()[1:])
        except OSError:
            pass
        _session["hosts"] = frozenset(names)
    result: frozenset[str] = _session["hosts"]
    return result


def _canonical(host: Any) -> str:
    if host is None:
        return ""
    if isinstance(host, (bytes, bytearray)):
        host = bytes(host).decode("ascii", errors="replace")
    name = str(host).strip().strip("[]").rstrip(".").lower()
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        pass
    # The resolver reads "127.1" and "0x7f.1" as addresses, as inet_aton() does.
    if name and name[0].isdigit() and all(c in "0123456789abcdefx." for c in name):
        try:
            return socket.inet_ntoa(socket.inet_aton(name))
        except OSError:
            pass
    return name


def _is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _port_number(port: Any) -> int | None:
    if isinstance(port, int):
        return port or None
    if isinstance(port, (str, bytes)) and port.isdigit():
        return int(port) or None
    return None


def _parse_target(target: str) -> tuple[str, int | None]:
    text = target.strip()
    host, port = text, ""
    if text.startswith("["):
        host, bracket, rest = text[1:].partition("]")
        port = rest.removeprefix(":") if bracket and rest[:1] in ("", ":") else "?"
    elif text.count(":") == 1:
        host, port = text.split(":")
    if not host or (port and not port.isdigit()) or (":" in host and not _is_ip_literal(host)):
        raise ValueError(
            f"allow_network() takes 'host:port' or 'host' (an IPv6 address in brackets: "
            f"'[::1]:6379'), not {target!r}."
        )
    return _canonical(host), int(port) if port else None


# --- advice ----------------------------------------------------------------------------------------


def _calling_library() -> str | None:
    """The library on the stack that made the call, when the advice depends on it."""
    frame: FrameType | None = sys._getframe(2)
    found = None
    while frame is not None:
        module = str(frame.f_globals.get("__name__", ""))
        if module == "requests" or module.startswith("requests."):
            return "requests"
        if module == "smtplib":
            return "smtplib"
        for client in _OTHER_HTTP_CLIENTS:
            if module == client or module.startswith(client + "."):
                found = found or client
        frame = frame.f_back
    return found


def _advice(host: str, port: Any, *, via: str | None) -> str:
    number = _port_number(port)
    allow = f'allow_network("{_host_port(host, number)}")'
    if via == "smtplib" or number in _SMTP_PORTS:
        return (
            "Capture the mail with capture_emails() or Django's locmem email backend, or let "
            f"it through with {allow}."
        )
    if via == "requests" or (via is None and number in _HTTP_PORTS):
        return f"Mock the call with mock_http(), or let it through with {allow}."
    return f"Mock the library that makes the call, or let it through with {allow}."


def _host_port(host: str, port: Any) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{port}" if port not in (None, "", 0) else (shown or "(no host)")


# --- swallowed errors ------------------------------------------------------------------------------


def _chain(error: BaseException | None) -> list[BaseException]:
    chain: list[BaseException] = []
    while error is not None and error not in chain:
        chain.append(error)
        error = error.__cause__ or error.__context__
    return chain


def _catcher(error: BaseException) -> str | None:
    """Where code caught ``error`` and went on, or None when the test or its runner did (the
    test checked for it, or failed with it)."""
    tb = error.__traceback__
    if tb is None:
        return None  # assertRaises() keeps the error without its traceback
    frame = tb.tb_frame
    module = str(frame.f_globals.get("__name__", ""))
    if module.split(".")[0] in _RUNNER_MODULES or _is_test_file(frame.f_code.co_filename):
        return None
    qualname = getattr(frame.f_code, "co_qualname", frame.f_code.co_name)
    return f"{module}.{qualname}()"


def _is_test_file(path: str) -> bool:
    base = os.path.basename(path)
    parts = os.path.normpath(path).split(os.sep)
    return (
        base.startswith("test_")
        or base.endswith("_test.py")
        or base in ("tests.py", "conftest.py")
        or "tests" in parts[:-1]
    )


def _report_swallowed(start: int, exc: BaseException | None) -> None:
    """Fail with the blocked calls since ``start`` that code caught and went on from, but for
    those ``exc`` (what the region or test failed with) holds: they are in its traceback."""
    # Most regions and tests block nothing: then there is nothing to look for, nor to forget.
    if _seq[0] == start and not _log:
        return
    seen = _chain(exc)
    problems = []
    with _lock:
        for entry in _log:
            if entry.seq <= start or entry.settled:
                continue
            entry.settled = True
            if entry.error in seen:
                continue
            where = _catcher(entry.error)
            if where is not None:
                problems.append(_swallowed_message(entry.error, where))
        _log[:] = [entry for entry in _log if not entry.settled] if _stack else []
        if not _log:
            _watch_django_handler(False)
    if problems:
        raise AssertionError("\n".join(problems))


def _swallowed_message(error: NetworkBlockedError, where: str) -> str:
    return (
        f"{error.what} was blocked ({error.call}), and {where} caught the "
        f"NetworkBlockedError and went on, so the test ran without it. {error.advice}"
    )


def block_for_test(*, keep_installed: bool = False) -> Callable[[BaseException | None], None]:
    """Open a :func:`block_network` region for the kit's defaults; return what closes it,
    given the error the test failed with if known, as ``__exit__`` would be.

    ``keep_installed`` leaves the guards in place, letting calls through, once it is closed."""
    region = _Region("block")
    if keep_installed:
        _keep_installed[0] = True
    _push(region)

    def close(failure: BaseException | None = None) -> None:
        _pop(region)
        _report_swallowed(region.start, failure)

    return close


def release_guards() -> None:
    """Put the real socket functions back, once no region is left, after a session of
    ``block_for_test(keep_installed=True)``; nothing otherwise."""
    if not _keep_installed[0]:
        return
    with _lock:
        _keep_installed[0] = False
        if not _stack:
            _uninstall()


def start_test() -> None:
    """Mark the start of a test inside a longer region (the kit's class-level guard)."""
    _test_start[0] = _seq[0]


def check_test(failure: BaseException | None = None) -> None:
    """Fail with the blocked calls since :func:`start_test` that code caught and went on from.

    ``failure`` is the error the test failed with, if known: a blocked call in its chain
    (``raise ServiceDown from error``) is in its traceback already. One that the test failed
    with outright reached the test runner, and is never reported again."""
    # Most tests block nothing: with no blocked call on record there is nothing to report.
    if _log:
        _report_swallowed(_test_start[0], failure)


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
