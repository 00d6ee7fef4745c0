"""The network guard. No test here may send a packet off this machine.

Hosts are under .example / .invalid or in the documentation ranges (192.0.2.0/24,
2001:db8::/32). Two safety nets stand behind the guard: an audit hook, on for every test of
this module, raises ``NetworkLeak`` before any socket call that would leave the machine (so a
hole in the guard fails the test instead of reaching the network), and where a test needs a
remote name to resolve, spies put in place before the guard answer with made-up results.
"""

import _socket
import asyncio
import errno
import http.server
import ipaddress
import smtplib
import socket
import sys
import threading
import unittest
import urllib.request
import warnings

import pytest
import requests
import requests_mock
import urllib3
from django.core import mail
from django.core.signals import got_request_exception
from django.db import connections
from django.test import Client, SimpleTestCase

from django_integration_kit import (
    IntegrationTestCase,
    _defaults,
    allow_network,
    block_network,
)
from django_integration_kit.services import network
from django_integration_kit.services.network import NetworkBlockedError

BASE = "is blocked: tests may only reach this machine and the configured databases and caches."


def mock_advice(target):
    return f'Mock the call with mock_http(), or let it through with allow_network("{target}").'


def mail_advice(target):
    return (
        "Capture the mail with capture_emails() or Django's locmem email backend, or let it "
        f'through with allow_network("{target}").'
    )


def other_advice(target):
    return (
        f'Mock the library that makes the call, or let it through with allow_network("{target}").'
    )


def blocked(what, advice):
    return f"{what} {BASE} {advice}"


# --- the safety net ------------------------------------------------------------------------------


class NetworkLeak(BaseException):  # noqa: N818 - not an error to handle: a hole in the guard
    """Raised by the audit hook before a socket call that would leave the machine. A
    BaseException, so no ``except Exception`` in the code under test can swallow it."""


SAFETY = {"on": False}
LOCAL_NAMES = {"", "localhost", socket.gethostname().lower()}
with open("/etc/hosts", encoding="utf-8") as _hosts:
    for _line in _hosts:
        LOCAL_NAMES.update(n.lower() for n in _line.split("#", 1)[0].split()[1:])


def _stays_here(host):
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode()
    host = str(host).strip("[]").rstrip(".").lower()
    if host in LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        try:
            address = ipaddress.ip_address(socket.inet_ntoa(socket.inet_aton(host)))
        except OSError:
            return False
    return address.is_loopback or address.is_unspecified


def _audit(event, args):
    if not SAFETY["on"] or not event.startswith("socket."):
        return
    if event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"):
        host = args[0]
    elif event == "socket.getnameinfo":
        host = args[0][0]
    elif event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        sock, address = args
        if sock.family not in (socket.AF_INET, socket.AF_INET6) or not address:
            return
        host = address[0]
    else:
        return
    if not _stays_here(host):
        raise NetworkLeak(f"{event}{args!r} would have left this machine")


sys.addaudithook(_audit)


@pytest.fixture(autouse=True)
def safety_net():
    SAFETY["on"] = True
    try:
        yield
    finally:
        SAFETY["on"] = False


def test_the_safety_net_catches_what_would_leave():
    # Outside any guard, the hook stops the call itself, before the system call.
    with pytest.raises(NetworkLeak):
        socket.getaddrinfo("api.example", 443)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock, pytest.raises(NetworkLeak):
        sock.sendto(b"x", ("192.0.2.1", 9))


# --- spies, for names that must seem to resolve ---------------------------------------------------

MODULE_FUNCTIONS = ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr")
SPIED = {
    "socket": (socket, (*MODULE_FUNCTIONS, "getnameinfo", "create_connection")),
    "_socket": (_socket, (*MODULE_FUNCTIONS, "getnameinfo")),
}
METHODS = ("connect", "connect_ex", "sendto", "sendmsg")


class Spies:
    """Stand-ins for the functions that reach the network; they record calls and answer with
    made-up results (``answers`` maps a name to its address), so nothing leaves even if the
    guard lets a call through."""

    def __init__(self, monkeypatch):
        self.calls = []
        self.answers = {"localhost": "127.0.0.1", socket.gethostname().lower(): "127.0.0.1"}
        for prefix, (module, names) in SPIED.items():
            for name in names:
                monkeypatch.setattr(module, name, self._spy(f"{prefix}.{name}"))
        for name in METHODS:
            monkeypatch.setattr(socket.socket, name, self._method_spy(name))

    def _spy(self, name):
        def spy(host, *args, **kwargs):
            # The guard asks what this machine's own name resolves to: not a call to record.
            if name != "_socket.getaddrinfo" or host != socket.gethostname():
                self.calls.append((name, host))
            return self._answer(name.split(".")[1], host)

        return spy

    def _answer(self, name, host):
        key = host.decode() if isinstance(host, bytes) else str(host)
        address = self.answers.get(key.lower(), "192.0.2.1")
        if name == "getaddrinfo":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, 443))]
        if name in ("gethostbyname_ex", "gethostbyaddr"):
            return (key, [], [address])
        if name == "getnameinfo":
            return (key[0], "443")
        return address

    def _method_spy(self, name):
        def spy(sock, *args):
            self.calls.append((name, args[-1]))
            return 0

        return spy

    def names(self):
        return [name for name, _ in self.calls]


@pytest.fixture
def spies(monkeypatch):
    return Spies(monkeypatch)


@pytest.fixture
def tcp_socket():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    yield sock
    sock.close()


@pytest.fixture
def closed_port():
    """A loopback port nothing listens on: a connection there is refused, by this machine."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- every way out: the guard's table ------------------------------------------------------------


def _udp(call):
    def run():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            call(sock)

    return run


def _raw(call, kind=socket.SOCK_STREAM):
    def run():
        sock = _socket.socket(socket.AF_INET, kind)
        try:
            call(sock)
        finally:
            sock.close()

    return run


def _tcp(address, family=socket.AF_INET, method="connect"):
    def run():
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            getattr(sock, method)(address)

    return run


def _in_asyncio(make):
    def run():
        async def main():
            return await make(asyncio.get_running_loop())

        return asyncio.run(main())

    return run


def _udp_endpoint(loop):
    return loop.create_datagram_endpoint(asyncio.DatagramProtocol, remote_addr=("192.0.2.1", 8125))


def _django_smtp():
    from django.core.mail.backends.smtp import EmailBackend

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Django 6.1 prefers MAILERS; the backend is the same
        backend = EmailBackend(
            host="smtp.example",
            port=587,
            username="",
            password="",
            use_tls=False,
            use_ssl=False,
            ssl_keyfile="",
            ssl_certfile="",
            timeout=2,
        )
    backend.send_messages([mail.EmailMessage("Hi", "Body", "a@site.example", ["b@site.example"])])


# (call, target, run); each is refused with NetworkBlockedError and this message, and nothing
# reaches the network.
BLOCKED = [
    (
        "socket.getaddrinfo",
        "api.example:443",
        lambda: socket.getaddrinfo("api.example", 443),
        blocked("Name lookup of api.example:443", mock_advice("api.example:443")),
    ),
    (
        "_socket.getaddrinfo",
        "api.example:443",
        lambda: _socket.getaddrinfo("api.example", 443),
        blocked("Name lookup of api.example:443", mock_advice("api.example:443")),
    ),
    (
        "socket.getaddrinfo",
        "192.0.2.1:5432 (an address)",
        lambda: socket.getaddrinfo("192.0.2.1", 5432),
        blocked("Connection to 192.0.2.1:5432", other_advice("192.0.2.1:5432")),
    ),
    (
        "socket.gethostbyname",
        "api.example",
        lambda: socket.gethostbyname("API.Example."),
        blocked("Name lookup of api.example", other_advice("api.example")),
    ),
    (
        "socket.gethostbyname_ex",
        "api.example",
        lambda: socket.gethostbyname_ex("api.example"),
        blocked("Name lookup of api.example", other_advice("api.example")),
    ),
    (
        "_socket.gethostbyname",
        "api.example",
        lambda: _socket.gethostbyname("api.example"),
        blocked("Name lookup of api.example", other_advice("api.example")),
    ),
    (
        "_socket.gethostbyname_ex",
        "api.example",
        lambda: _socket.gethostbyname_ex("api.example"),
        blocked("Name lookup of api.example", other_advice("api.example")),
    ),
    (
        "socket.gethostbyaddr",
        "192.0.2.1",
        lambda: socket.gethostbyaddr("192.0.2.1"),
        blocked("Reverse lookup of 192.0.2.1", other_advice("192.0.2.1")),
    ),
    (
        "socket.gethostbyaddr",
        "api.example",
        lambda: socket.gethostbyaddr("api.example"),
        blocked("Name lookup of api.example", other_advice("api.example")),
    ),
    (
        "_socket.gethostbyaddr",
        "2001:db8::1",
        lambda: _socket.gethostbyaddr("2001:db8::1"),
        blocked("Reverse lookup of [2001:db8::1]", other_advice("[2001:db8::1]")),
    ),
    (
        "socket.getfqdn",
        "192.0.2.1",
        lambda: socket.getfqdn("192.0.2.1"),
        blocked("Reverse lookup of 192.0.2.1", other_advice("192.0.2.1")),
    ),
    (
        "socket.getfqdn",
        "api.example",
        lambda: socket.getfqdn("api.example"),
        blocked("Name lookup of api.example", other_advice("api.example")),
    ),
    (
        "socket.getnameinfo",
        "192.0.2.1:443",
        lambda: socket.getnameinfo(("192.0.2.1", 443), 0),
        blocked("Reverse lookup of 192.0.2.1", other_advice("192.0.2.1")),
    ),
    (
        "socket.getnameinfo",
        "api.example:443 (a name: the C code resolves it)",
        lambda: socket.getnameinfo(("api.example", 443), 0),
        blocked("Reverse lookup of api.example", other_advice("api.example")),
    ),
    (
        "_socket.getnameinfo",
        "192.0.2.1:443",
        lambda: _socket.getnameinfo(("192.0.2.1", 443), socket.NI_NAMEREQD),
        blocked("Reverse lookup of 192.0.2.1", other_advice("192.0.2.1")),
    ),
    (
        "socket.create_connection",
        "api.invalid:8080",
        lambda: socket.create_connection(("api.invalid", 8080), timeout=1),
        blocked("Connection to api.invalid:8080", mock_advice("api.invalid:8080")),
    ),
    (
        "socket.create_connection",
        "redis.example:6379",
        lambda: socket.create_connection(("redis.example", 6379), timeout=1),
        blocked("Connection to redis.example:6379", other_advice("redis.example:6379")),
    ),
    (
        "socket.socket.connect",
        "192.0.2.1:80",
        _tcp(("192.0.2.1", 80)),
        blocked("Connection to 192.0.2.1:80", mock_advice("192.0.2.1:80")),
    ),
    (
        "socket.socket.connect",
        "api.example:443 (a name: the C code resolves it)",
        _tcp(("api.example", 443)),
        blocked("Connection to api.example:443", mock_advice("api.example:443")),
    ),
    (
        "socket.socket.connect_ex",
        "192.0.2.1:80",
        _tcp(("192.0.2.1", 80), method="connect_ex"),
        blocked("Connection to 192.0.2.1:80", mock_advice("192.0.2.1:80")),
    ),
    (
        "socket.socket.connect",
        "[2001:db8::1]:443",
        _tcp(("2001:db8::1", 443, 0, 0), family=socket.AF_INET6),
        blocked("Connection to [2001:db8::1]:443", mock_advice("[2001:db8::1]:443")),
    ),
    (
        "socket.socket.sendto (UDP)",
        "192.0.2.1:8125",
        _udp(lambda sock: sock.sendto(b"metric:1|c", ("192.0.2.1", 8125))),
        blocked("Connection to 192.0.2.1:8125", other_advice("192.0.2.1:8125")),
    ),
    (
        "socket.socket.sendto (UDP, with flags)",
        "statsd.example:8125",
        _udp(lambda sock: sock.sendto(b"metric:1|c", 0, ("statsd.example", 8125))),
        blocked("Connection to statsd.example:8125", other_advice("statsd.example:8125")),
    ),
    (
        "socket.socket.sendmsg (UDP)",
        "192.0.2.1:53",
        _udp(lambda sock: sock.sendmsg([b"query"], [], 0, ("192.0.2.1", 53))),
        blocked("Connection to 192.0.2.1:53", other_advice("192.0.2.1:53")),
    ),
    (
        "_socket.socket.connect",
        "192.0.2.1:80",
        _raw(lambda sock: sock.connect(("192.0.2.1", 80))),
        blocked("Connection to 192.0.2.1:80", mock_advice("192.0.2.1:80")),
    ),
    (
        "_socket.socket.connect_ex",
        "192.0.2.1:80",
        _raw(lambda sock: sock.connect_ex(("192.0.2.1", 80))),
        blocked("Connection to 192.0.2.1:80", mock_advice("192.0.2.1:80")),
    ),
    (
        "_socket.socket.sendto",
        "192.0.2.1:8125",
        _raw(lambda sock: sock.sendto(b"x", ("192.0.2.1", 8125)), socket.SOCK_DGRAM),
        blocked("Connection to 192.0.2.1:8125", other_advice("192.0.2.1:8125")),
    ),
    (
        "_socket.socket.sendmsg",
        "192.0.2.1:8125",
        _raw(lambda sock: sock.sendmsg([b"x"], [], 0, ("192.0.2.1", 8125)), socket.SOCK_DGRAM),
        blocked("Connection to 192.0.2.1:8125", other_advice("192.0.2.1:8125")),
    ),
    (
        "asyncio loop.create_connection",
        "api.invalid:443",
        _in_asyncio(lambda loop: loop.create_connection(asyncio.Protocol, "api.invalid", 443)),
        blocked("Name lookup of api.invalid:443", mock_advice("api.invalid:443")),
    ),
    (
        "asyncio loop.create_connection",
        "192.0.2.1:443",
        _in_asyncio(lambda loop: loop.create_connection(asyncio.Protocol, "192.0.2.1", 443)),
        blocked("Connection to 192.0.2.1:443", mock_advice("192.0.2.1:443")),
    ),
    (
        "asyncio.open_connection",
        "api.example:443",
        _in_asyncio(lambda loop: asyncio.open_connection("api.example", 443)),
        blocked("Name lookup of api.example:443", mock_advice("api.example:443")),
    ),
    (
        "asyncio loop.getaddrinfo",
        "api.invalid:80",
        _in_asyncio(lambda loop: loop.getaddrinfo("api.invalid", 80)),
        blocked("Name lookup of api.invalid:80", mock_advice("api.invalid:80")),
    ),
    (
        "asyncio loop.getnameinfo",
        "192.0.2.1:80",
        _in_asyncio(lambda loop: loop.getnameinfo(("192.0.2.1", 80))),
        blocked("Reverse lookup of 192.0.2.1", other_advice("192.0.2.1")),
    ),
    (
        "asyncio loop.create_datagram_endpoint",
        "192.0.2.1:8125",
        _in_asyncio(_udp_endpoint),
        blocked("Connection to 192.0.2.1:8125", other_advice("192.0.2.1:8125")),
    ),
    (
        "requests.get",
        "api.example:443",
        lambda: requests.get("https://api.example/v1/rates", timeout=1),
        blocked("Name lookup of api.example:443", mock_advice("api.example:443")),
    ),
    (
        "requests.get",
        "api.example:9000",
        lambda: requests.get("http://api.example:9000/v1/rates", timeout=1),
        blocked("Name lookup of api.example:9000", mock_advice("api.example:9000")),
    ),
    (
        "urllib.request.urlopen",
        "api.example:80",
        lambda: urllib.request.urlopen("http://api.example/", timeout=1),
        blocked("Connection to api.example:80", other_advice("api.example:80")),
    ),
    (
        "smtplib.SMTP",
        "smtp.example:587",
        lambda: smtplib.SMTP("smtp.example", 587, timeout=1),
        blocked("Connection to smtp.example:587", mail_advice("smtp.example:587")),
    ),
    (
        "Django's SMTP email backend",
        "smtp.example:587",
        _django_smtp,
        blocked("Connection to smtp.example:587", mail_advice("smtp.example:587")),
    ),
]


def _send_mail_locmem():
    # The Message-ID asks socket.getfqdn() for this machine's name.
    from django.core.mail.backends.locmem import EmailBackend

    mail.utils.DNS_NAME.__dict__.pop("_fqdn", None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Django 6.1 prefers MAILERS; the backend is the same
        backend = EmailBackend()
    backend.send_messages([mail.EmailMessage("Hi", "Body", "a@site.example", ["b@site.example"])])


def _asyncio_refused(port):
    async def main():
        await asyncio.open_connection("127.0.0.1", port)

    return lambda: asyncio.run(main())


def _udp_to_loopback(port):
    return _udp(lambda sock: sock.sendto(b"metric:1|c", ("127.0.0.1", port)))


# (call, target, run, what the real call does): each reaches its target (loopback or this
# machine) and behaves as it would without the guard.
def allowed_cases(port):
    hostname = socket.gethostname()
    return [
        ("socket.getaddrinfo", "localhost", lambda: socket.getaddrinfo("localhost", 80), None),
        ("socket.getaddrinfo", "LocalHost", lambda: socket.getaddrinfo("LocalHost", 80), None),
        ("socket.getaddrinfo", "127.1", lambda: socket.getaddrinfo("127.1", 80), None),
        ("socket.getaddrinfo", "::1", lambda: socket.getaddrinfo("::1", 80), None),
        (
            "socket.getaddrinfo",
            f"{hostname} (this machine's name)",
            lambda: socket.getaddrinfo(hostname, 80),
            None,
        ),
        ("_socket.getaddrinfo", "127.0.0.1", lambda: _socket.getaddrinfo("127.0.0.1", 80), None),
        ("socket.gethostbyname", "localhost", lambda: socket.gethostbyname("localhost"), None),
        (
            "socket.gethostbyname_ex",
            "localhost",
            lambda: socket.gethostbyname_ex("localhost"),
            None,
        ),
        ("socket.gethostbyaddr", "127.0.0.1", lambda: socket.gethostbyaddr("127.0.0.1"), None),
        ("socket.getfqdn", "(this machine)", lambda: socket.getfqdn(), None),
        ("socket.getfqdn", "127.0.0.1", lambda: socket.getfqdn("127.0.0.1"), None),
        (
            "socket.getnameinfo",
            "127.0.0.1:80",
            lambda: socket.getnameinfo(("127.0.0.1", 80), 0),
            None,
        ),
        (
            "socket.create_connection",
            f"localhost:{port}",
            lambda: socket.create_connection(("localhost", port), timeout=2).close(),
            ConnectionRefusedError,
        ),
        (
            "socket.socket.connect",
            f"127.0.0.1:{port}",
            _tcp(("127.0.0.1", port)),
            ConnectionRefusedError,
        ),
        (
            "socket.socket.connect",
            f"127.1:{port}",
            _tcp(("127.1", port)),
            ConnectionRefusedError,
        ),
        (
            "socket.socket.connect_ex",
            f"127.0.0.1:{port}",
            _tcp(("127.0.0.1", port), method="connect_ex"),
            None,
        ),
        (
            "socket.socket.sendto (UDP)",
            f"127.0.0.1:{port}",
            _udp_to_loopback(port),
            None,
        ),
        (
            "_socket.socket.connect",
            f"127.0.0.1:{port}",
            _raw(lambda sock: sock.connect(("127.0.0.1", port))),
            ConnectionRefusedError,
        ),
        (
            "asyncio.open_connection",
            f"127.0.0.1:{port}",
            _asyncio_refused(port),
            ConnectionRefusedError,
        ),
        ("Django's locmem email backend", "(Message-ID)", _send_mail_locmem, None),
    ]


def outcome(run):
    """'blocked', 'allowed' or 'allowed (ConnectionRefusedError)', and the error if any."""
    try:
        with block_network():
            run()
    except NetworkBlockedError as error:
        return "blocked", error
    except OSError as error:
        return f"allowed ({type(error).__name__})", error
    return "allowed", None


@pytest.mark.parametrize(("call", "target", "run", "message"), BLOCKED, ids=lambda v: None)
def test_every_way_out_is_blocked_before_it_leaves(call, target, run, message):
    result, error = outcome(run)

    assert result == "blocked"
    assert str(error) == message


def test_what_stays_on_this_machine_is_allowed(closed_port):
    for call, target, run, error in allowed_cases(closed_port):
        result, _ = outcome(run)
        expected = "allowed" if error is None else f"allowed ({error.__name__})"
        assert result == expected, (call, target)


def guard_table(port):
    """The guard's table, call -> blocked/allowed, from running each call under the guard."""
    rows = [(call, target, outcome(run)[0]) for call, target, run, _ in BLOCKED]
    rows += [(call, target, outcome(run)[0]) for call, target, run, _ in allowed_cases(port)]
    return rows


def test_a_host_given_as_bytes_is_read_as_ascii():
    with block_network():
        with pytest.raises(NetworkBlockedError) as name:
            socket.getaddrinfo(b"API.example", 443)
        with pytest.raises(NetworkBlockedError) as not_ascii:
            socket.getaddrinfo("café.example".encode(), 443)

    assert str(name.value) == blocked(
        "Name lookup of api.example:443", mock_advice("api.example:443")
    )
    assert not_ascii.value.host == "caf\ufffd\ufffd.example"


def test_the_error_names_the_call_host_and_port():
    with block_network(), pytest.raises(NetworkBlockedError) as excinfo:
        socket.getaddrinfo("api.example", 443)

    error = excinfo.value
    assert (error.host, error.port, error.call) == ("api.example", 443, "socket.getaddrinfo")
    assert isinstance(error, RuntimeError)
    assert not isinstance(error, OSError)


def test_the_advice_fits_the_protocol():
    cases = {
        ("api.example", 80): mock_advice("api.example:80"),
        ("api.example", 8443): mock_advice("api.example:8443"),
        ("smtp.example", 25): mail_advice("smtp.example:25"),
        ("smtp.example", 465): mail_advice("smtp.example:465"),
        ("smtp.example", 2525): mail_advice("smtp.example:2525"),
        ("db.example", 5432): other_advice("db.example:5432"),
        ("2001:db8::5", 6379): other_advice("[2001:db8::5]:6379"),
    }
    with block_network():
        for (host, port), advice in cases.items():
            with pytest.raises(NetworkBlockedError) as excinfo:
                socket.create_connection((host, port))
            assert excinfo.value.advice == advice


# (run, the NetworkBlockedError's call): what each guard names as the blocked function.
CALLS = [
    (lambda: socket.getaddrinfo("api.example", 443), "socket.getaddrinfo"),
    (lambda: socket.getaddrinfo("192.0.2.1", 5432), "socket.getaddrinfo"),
    (lambda: _socket.getaddrinfo("api.example", 443), "socket.getaddrinfo"),
    (lambda: socket.gethostbyname("api.example"), "socket.gethostbyname"),
    (lambda: _socket.gethostbyname_ex("api.example"), "socket.gethostbyname_ex"),
    (lambda: socket.gethostbyaddr("192.0.2.1"), "socket.gethostbyaddr"),
    (lambda: _socket.gethostbyaddr("api.example"), "socket.gethostbyaddr"),
    (lambda: socket.getnameinfo(("192.0.2.1", 443), 0), "socket.getnameinfo"),
    (lambda: _socket.getnameinfo(("192.0.2.1", 443), 0), "socket.getnameinfo"),
    (lambda: socket.create_connection(("api.example", 443)), "socket.create_connection"),
    (_tcp(("192.0.2.1", 80)), "socket.socket.connect"),
    (_tcp(("api.example", 443)), "socket.socket.connect"),
    (_tcp(("192.0.2.1", 80), method="connect_ex"), "socket.socket.connect_ex"),
    (_udp(lambda sock: sock.sendto(b"x", ("192.0.2.1", 8125))), "socket.socket.sendto"),
    (_udp(lambda sock: sock.sendmsg([b"x"], [], 0, ("192.0.2.1", 53))), "socket.socket.sendmsg"),
    (_raw(lambda sock: sock.connect(("192.0.2.1", 80))), "_socket.socket.connect"),
    (_raw(lambda sock: sock.connect_ex(("192.0.2.1", 80))), "_socket.socket.connect_ex"),
    (
        _raw(lambda sock: sock.sendto(b"x", ("192.0.2.1", 8125)), socket.SOCK_DGRAM),
        "_socket.socket.sendto",
    ),
    (
        _raw(lambda sock: sock.sendmsg([b"x"], [], 0, ("192.0.2.1", 53)), socket.SOCK_DGRAM),
        "_socket.socket.sendmsg",
    ),
]


@pytest.mark.parametrize(("run", "call"), CALLS, ids=[call for _, call in CALLS])
def test_the_error_names_the_function_that_was_called(run, call):
    result, error = outcome(run)

    assert result == "blocked"
    assert error.call == call


def test_the_error_can_be_raised_by_hand():
    # As a test double does, to fail the way the guard would.
    error = NetworkBlockedError("api.example", 443)

    assert (error.host, error.port, error.call) == ("api.example", 443, "")
    assert error.what == "Connection to api.example:443"
    assert error.advice == mock_advice("api.example:443")
    assert str(error) == blocked("Connection to api.example:443", mock_advice("api.example:443"))
    assert NetworkBlockedError("db.example").advice == other_advice("db.example")
    assert NetworkBlockedError("").what == "Connection to (no host)"


def test_smtplib_gets_the_mail_advice_on_any_port():
    # A development mail server (MailHog, smtp4dev) listens on 1025, no SMTP port.
    with block_network(), pytest.raises(NetworkBlockedError) as excinfo:
        smtplib.SMTP("smtp.example", 1025, timeout=1)

    assert str(excinfo.value) == blocked(
        "Connection to smtp.example:1025", mail_advice("smtp.example:1025")
    )


def test_http_clients_that_mock_http_does_not_answer_get_the_other_advice():
    # urllib3 on its own (as boto3 and others use it): mock_http() answers only requests.
    with block_network(), pytest.raises(NetworkBlockedError) as excinfo:
        urllib3.PoolManager().request("GET", "https://api.example/v1/rates", retries=False)

    assert str(excinfo.value) == blocked(
        "Name lookup of api.example:443", other_advice("api.example:443")
    )


def test_a_port_given_as_a_string_counts_as_that_port(spies):
    with block_network():
        with pytest.raises(NetworkBlockedError) as excinfo:
            socket.getaddrinfo("api.example", "443")
        with allow_network("api.example:443"):
            socket.getaddrinfo("api.example", "443")

    assert str(excinfo.value) == blocked(
        "Name lookup of api.example:443", mock_advice("api.example:443")
    )
    assert spies.calls == [("socket.getaddrinfo", "api.example")]


@pytest.mark.parametrize("port", [None, 0, ""])
def test_a_lookup_without_a_port_names_the_host_alone(port):
    with block_network(), pytest.raises(NetworkBlockedError) as excinfo:
        socket.getaddrinfo("api.example", port)

    assert str(excinfo.value) == blocked("Name lookup of api.example", other_advice("api.example"))


# --- what else is let through --------------------------------------------------------------------


@pytest.fixture
def local_http_server():
    class Hello(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"hello from loopback")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Hello)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join()


def test_loopback_still_works(local_http_server):
    port = local_http_server
    with block_network():
        response = requests.get(f"http://127.0.0.1:{port}/", timeout=5)
        with socket.create_connection(("localhost", port), timeout=5) as sock:
            sock.sendall(b"GET / HTTP/1.0\r\n\r\n")
            reply = sock.recv(100)

    assert response.text == "hello from loopback"
    assert reply.startswith(b"HTTP/1.0 200")


def test_a_loopback_udp_datagram_arrives():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
        server.bind(("127.0.0.1", 0))
        with block_network(), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
            client.sendmsg([b"metric:", b"1|c"], [], 0, server.getsockname())
            assert server.recv(20) == b"metric:1|c"


def test_datagrams_to_loopback_arrive_by_every_call():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
        server.bind(("127.0.0.1", 0))
        address = server.getsockname()
        with block_network(), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
            client.sendto(b"sendto", address)
            client.sendto(b"with flags", 0, address)
            _raw(lambda sock: sock.sendto(b"raw sendto", address), socket.SOCK_DGRAM)()
            client.connect(address)
            client.sendmsg([b"connected ", b"sendmsg"])
            received = [server.recv(20) for _ in range(4)]

    assert received == [b"sendto", b"with flags", b"raw sendto", b"connected sendmsg"]


def test_connections_to_loopback_keep_their_arguments(local_http_server, closed_port):
    port = local_http_server
    with block_network():
        # create_connection(address, timeout, source_address), by position and by name.
        with socket.create_connection(("127.0.0.1", port), 3, ("127.0.0.1", 0)) as sock:
            assert sock.gettimeout() == 3
        with socket.create_connection(("localhost", port), timeout=4) as sock:
            assert sock.gettimeout() == 4
        results = []
        _raw(lambda sock: results.append(sock.connect_ex(("127.0.0.1", closed_port))))()

    assert results == [errno.ECONNREFUSED]


def test_lookups_on_this_machine_keep_their_arguments():
    def lookups():
        return [
            socket.getaddrinfo("127.0.0.1", 8080, family=socket.AF_INET, type=socket.SOCK_STREAM),
            socket.getaddrinfo("localhost", 8125, socket.AF_INET, socket.SOCK_DGRAM),
            _socket.getaddrinfo("127.0.0.1", "http", socket.AF_INET, socket.SOCK_STREAM),
        ]

    unguarded = lookups()
    with block_network():
        blocked_results = lookups()
        with allow_network():
            allowed_results = lookups()

    assert blocked_results == allowed_results == unguarded
    assert unguarded[0] == [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 8080))]


def test_a_malformed_call_gets_the_socket_modules_own_error(tcp_socket):
    with block_network():
        with pytest.raises(TypeError) as address:
            tcp_socket.connect(("127.0.0.1",))
        with pytest.raises(TypeError) as arguments:
            socket.getnameinfo(("127.0.0.1", 80), 0, "one too many")

    assert str(address.value) == "AF_INET address must be a pair (host, port)"
    assert str(arguments.value) == "getnameinfo() takes exactly 2 arguments (3 given)"


@pytest.mark.skipif(not hasattr(socket, "AF_NETLINK"), reason="Linux only")
def test_sockets_of_other_families_pass():
    # A netlink address is (process id, groups): numbers, never a host.
    with (
        socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE) as sock,
        block_network(),
    ):
        sock.connect((12345, 0))


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "LOCALHOST.",
        "127.0.0.1",
        "127.8.9.10",
        "127.1",
        "::1",
        "::ffff:127.0.0.1",
        "0x7f.1",
        "",
        None,
        b"localhost",
    ],
)
def test_loopback_names_and_addresses_are_allowed(spies, host):
    with block_network():
        socket.getaddrinfo(host, 80)

    assert spies.calls == [("socket.getaddrinfo", host)]


def test_names_under_localhost_pass_when_they_resolve_to_loopback(spies):
    spies.answers["app.localhost"] = "127.0.0.1"
    spies.answers["evil.localhost"] = "192.0.2.66"
    with block_network():
        socket.getaddrinfo("app.localhost", 80)
        with pytest.raises(NetworkBlockedError) as excinfo:
            socket.getaddrinfo("evil.localhost", 80)

    assert str(excinfo.value) == blocked(
        "Name lookup of evil.localhost:80", mock_advice("evil.localhost:80")
    )
    # Asked of the system's resolver (answered from /etc/hosts) once each, to decide.
    assert spies.calls == [
        ("_socket.getaddrinfo", "app.localhost"),
        ("socket.getaddrinfo", "app.localhost"),
        ("_socket.getaddrinfo", "evil.localhost"),
    ]


def test_a_local_name_is_resolved_once_per_block(spies):
    spies.answers["app.localhost"] = "127.0.0.1"
    with block_network():
        for host in ("App.Localhost.", "app.localhost", "App.Localhost."):
            socket.getaddrinfo(host, 80)

    assert spies.names() == ["_socket.getaddrinfo"] + ["socket.getaddrinfo"] * 3


def test_a_local_name_that_does_not_resolve_fails_with_the_resolvers_own_error(monkeypatch):
    def unknown(host, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)
    monkeypatch.setattr(_socket, "getaddrinfo", unknown)
    with block_network(), pytest.raises(socket.gaierror):
        socket.getaddrinfo("gone.localhost", 80)


def test_names_in_etc_hosts_pass_by_what_they_resolve_to(spies, monkeypatch, tmp_path):
    hosts = tmp_path / "hosts"
    hosts.write_bytes(
        b"127.0.0.1 localhost\n"
        b"127.0.1.1 devbox.test  # was stage.test # until May\n"
        b"10.9.8.7 intra.test\n"
        b"127.0.2.1 caf\xe9.test  # not UTF-8: read all the same\n"
    )
    monkeypatch.setattr(network, "_HOSTS_FILE", str(hosts))
    spies.answers.update(
        {"devbox.test": "127.0.1.1", "intra.test": "10.9.8.7", "stage.test": "127.0.0.1"}
    )
    with block_network():
        socket.gethostbyname("devbox.test")
        with pytest.raises(NetworkBlockedError) as excinfo:
            socket.gethostbyname("intra.test")
        for elsewhere in ("elsewhere.test", "stage.test"):  # not in the file: never resolved
            with pytest.raises(NetworkBlockedError):
                socket.gethostbyname(elsewhere)

    assert str(excinfo.value) == blocked("Name lookup of intra.test", other_advice("intra.test"))
    assert ("_socket.getaddrinfo", "elsewhere.test") not in spies.calls
    assert ("_socket.getaddrinfo", "stage.test") not in spies.calls


def test_this_machines_own_name_and_addresses_pass(spies, monkeypatch):
    # In a container the host name resolves to the container's address, not to loopback:
    # Django's Message-ID (socket.getfqdn()) must still work.
    monkeypatch.setattr(socket, "gethostname", lambda: "kit-box")
    spies.answers["kit-box"] = "172.17.0.2"
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, block_network():
        socket.getfqdn()
        socket.gethostbyaddr("172.17.0.2")
        sock.connect(("172.17.0.2", 8000))
        with pytest.raises(NetworkBlockedError):
            sock.connect(("172.17.0.3", 8000))

    assert ("socket.gethostbyaddr", "kit-box") in spies.calls
    assert ("connect", ("172.17.0.2", 8000)) in spies.calls


def test_without_a_host_name_that_resolves_this_machine_is_loopback(monkeypatch, tcp_socket):
    def no_host_name():
        raise OSError("no host name")

    monkeypatch.setattr(socket, "gethostname", no_host_name)
    with block_network(), pytest.raises(NetworkBlockedError):
        tcp_socket.connect(("192.0.2.1", 80))

    resolve = _socket.getaddrinfo

    def resolver(host, *args, **kwargs):
        if host == "kit-box":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "gethostname", lambda: "kit-box")
    monkeypatch.setattr(_socket, "getaddrinfo", resolver)
    with block_network(), pytest.raises(NetworkBlockedError):
        tcp_socket.connect(("192.0.2.1", 80))


def test_what_is_this_machine_is_worked_out_once_per_block(spies, monkeypatch, tmp_path):
    asked = []
    monkeypatch.setattr(socket, "gethostname", lambda: asked.append("host name") or "kit-box")
    answers = {"kit-box": "172.17.0.2", "devbox.test": "127.0.1.1", "db.test": "127.0.1.2"}

    def resolver(host, port, *args, **kwargs):
        asked.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], 0))]

    monkeypatch.setattr(_socket, "getaddrinfo", resolver)
    hosts = tmp_path / "hosts"
    hosts.write_text("127.0.1.1 devbox.test\n127.0.1.2 db.test\n")
    monkeypatch.setattr(network, "_HOSTS_FILE", str(hosts))
    with block_network():
        socket.gethostbyaddr("172.17.0.2")
        socket.gethostbyaddr("172.17.0.2")
        socket.gethostbyname("devbox.test")
        hosts.write_text("")
        socket.gethostbyname("db.test")  # as the file was when the block began
    with block_network(), pytest.raises(NetworkBlockedError):
        socket.gethostbyname("db.test")

    assert asked == ["host name", "kit-box", "devbox.test", "db.test", "host name"]


def test_django_mail_gets_its_message_id_under_the_guard():
    mail.utils.DNS_NAME.__dict__.pop("_fqdn", None)
    with block_network():
        mail.send_mail("Hi", "Body", "a@site.example", ["b@site.example"])

    assert mail.outbox[-1].message()["Message-ID"]


def test_a_getnameinfo_of_no_host_fails_as_it_would_without_the_guard():
    with block_network(), pytest.raises(socket.gaierror):
        socket.getnameinfo(("", 80), 0)


def test_a_numeric_getnameinfo_needs_no_lookup_and_passes(spies):
    with block_network():
        socket.getnameinfo(("192.0.2.1", 80), socket.NI_NUMERICHOST | socket.NI_NUMERICSERV)

    assert spies.calls == [("socket.getnameinfo", ("192.0.2.1", 80))]


def test_unix_sockets_are_allowed(tmp_path):
    path = str(tmp_path / "kit.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(path)
        server.listen(1)
        with block_network(), socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(path)
            connection, _ = server.accept()
            client.sendall(b"ping")
            assert connection.recv(4) == b"ping"
            connection.close()


def test_requests_mock_keeps_working():
    with block_network(), requests_mock.Mocker() as mocker:
        mocker.get("https://api.example/v1/rates", json={"EUR": 1})
        response = requests.get("https://api.example/v1/rates", timeout=1)

    assert response.json() == {"EUR": 1}


@pytest.mark.django_db
def test_the_database_keeps_working():
    # A fresh connection, so the guard sees it opened (PostgreSQL and MariaDB over TCP).
    connection = connections.create_connection("default")
    try:
        with block_network():
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                assert cursor.fetchone() == (1,)
    finally:
        connection.close()
        if connection.connection is not None:
            # SQLite's in-memory test database ignores close(); the default connection keeps
            # the database alive, so this one can go (or it warns when collected, later on).
            connection.connection.close()


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_database_hosts_and_what_they_resolve_to_are_allowed(spies, settings):
    settings.DATABASES = {
        **settings.DATABASES,
        "replica": {"ENGINE": "django.db.backends.postgresql", "HOST": "db.example,192.0.2.20"},
        "socket": {"ENGINE": "django.db.backends.postgresql", "HOST": "/run/postgresql"},
    }
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        with block_network():
            socket.getaddrinfo("db.example", 5432)
            sock.connect(("192.0.2.1", 5432))  # what db.example resolved to
            sock.connect(("192.0.2.20", 5432))
            with pytest.raises(NetworkBlockedError):
                sock.connect(("192.0.2.99", 5432))
            with pytest.raises(NetworkBlockedError):
                socket.getaddrinfo("/run/postgresql", 5432)  # a directory, not a host
        with block_network(), pytest.raises(NetworkBlockedError):
            # Resolved addresses are forgotten once the guard ends.
            sock.connect(("192.0.2.1", 5432))

    assert spies.calls == [
        ("socket.getaddrinfo", "db.example"),
        ("connect", ("192.0.2.1", 5432)),
        ("connect", ("192.0.2.20", 5432)),
    ]


def test_network_cache_hosts_are_allowed_and_local_caches_are_not_hosts(spies, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "named": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "snowflake.example",
        },
        "redis": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": ["redis://:secret@cache.example:6379/0", "rediss://[2001:db8::7]:6380"],
        },
        "memcached": {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": "mc1.example:11211,mc2.example:11211;unix:/tmp/memcached.sock",
        },
    }
    with block_network():
        for host in ("cache.example", "2001:db8::7", "mc1.example", "mc2.example"):
            socket.getaddrinfo(host, 6379)
        for host in ("snowflake.example", "unix"):
            with pytest.raises(NetworkBlockedError):
                socket.getaddrinfo(host, 80)

    assert spies.names() == ["socket.getaddrinfo"] * 4


# --- allow_network(): everything, or some hosts --------------------------------------------------


def test_allow_network_lets_calls_through_inside_a_blocked_region(spies):
    with block_network():
        with allow_network():
            socket.getaddrinfo("api.example", 443)
            with block_network(), pytest.raises(NetworkBlockedError):
                socket.getaddrinfo("api.example", 443)
            socket.gethostbyname("api.example")
        with pytest.raises(NetworkBlockedError):
            socket.getaddrinfo("api.example", 443)

    assert spies.calls == [
        ("socket.getaddrinfo", "api.example"),
        ("socket.gethostbyname", "api.example"),
    ]


def test_allow_network_with_targets_lets_only_those_through(spies, tcp_socket):
    spies.answers.update({"redis.example": "192.0.2.30", "db.example": "192.0.2.40"})
    with block_network(), allow_network("redis.example:6379", "DB.example:5432"):
        socket.getaddrinfo("redis.example", 6379)
        tcp_socket.connect(("192.0.2.30", 6379))  # what redis.example resolved to
        socket.create_connection(("db.example", 5432))
        with pytest.raises(NetworkBlockedError) as wrong_port:
            tcp_socket.connect(("192.0.2.30", 6380))
        with pytest.raises(NetworkBlockedError):
            socket.getaddrinfo("redis.example", 80)
        with pytest.raises(NetworkBlockedError) as other_host:
            socket.getaddrinfo("api.example", 443)

    assert str(wrong_port.value) == blocked(
        "Connection to 192.0.2.30:6380", other_advice("192.0.2.30:6380")
    )
    assert str(other_host.value) == blocked(
        "Name lookup of api.example:443", mock_advice("api.example:443")
    )
    assert spies.calls == [
        ("socket.getaddrinfo", "redis.example"),
        ("connect", ("192.0.2.30", 6379)),
        ("socket.create_connection", ("db.example", 5432)),
    ]


def test_allow_network_takes_addresses_bare_hosts_and_ipv6(spies, tcp_socket):
    with (
        socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock6,
        block_network(),
        allow_network("192.0.2.7:6379", "api.example", "[2001:db8::9]:443", "[2001:db8::a]"),
    ):
        tcp_socket.connect(("192.0.2.7", 6379))
        socket.getaddrinfo("api.example", 8443)
        sock6.connect(("2001:db8::9", 443, 0, 0))
        sock6.connect(("2001:db8::a", 5432, 0, 0))
        with pytest.raises(NetworkBlockedError):
            tcp_socket.connect(("192.0.2.7", 6380))
        with pytest.raises(NetworkBlockedError):
            sock6.connect(("2001:db8::9", 80, 0, 0))

    assert spies.names() == ["connect", "socket.getaddrinfo", "connect", "connect"]


def test_allowed_hosts_match_however_they_are_written(spies, tcp_socket):
    with (
        socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock6,
        block_network(),
        allow_network("xmpp.invalid:5222", "[2001:DB8:0:0::b]:443"),
    ):
        socket.getaddrinfo("XMPP.Invalid.", 5222)
        sock6.connect(("2001:db8::b", 443, 0, 0))

    assert spies.names() == ["socket.getaddrinfo", "connect"]


def test_a_bare_host_lets_what_it_resolves_to_through_on_every_port(spies, tcp_socket):
    spies.answers["api.example"] = "192.0.2.50"
    with block_network(), allow_network("api.example"):
        socket.getaddrinfo("api.example", 443)
        tcp_socket.connect(("192.0.2.50", 8443))

    assert spies.calls == [
        ("socket.getaddrinfo", "api.example"),
        ("connect", ("192.0.2.50", 8443)),
    ]


def test_allow_network_lets_connections_and_datagrams_through(spies, tcp_socket):
    with (
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp,
        block_network(),
        allow_network(),
    ):
        socket.create_connection(("api.example", 443))
        tcp_socket.connect(("192.0.2.1", 443))
        tcp_socket.connect_ex(("192.0.2.1", 443))
        udp.sendto(b"metric:1|c", ("192.0.2.1", 8125))
        udp.sendmsg([b"metric:1|c"], [], 0, ("192.0.2.1", 8125))
        socket.gethostbyname("localhost")
        _socket.gethostbyname_ex("api.example")
        socket.gethostbyaddr("192.0.2.1")
        _socket.getnameinfo(("192.0.2.1", 443), 0)

    assert spies.calls == [
        ("socket.create_connection", ("api.example", 443)),
        ("connect", ("192.0.2.1", 443)),
        ("connect_ex", ("192.0.2.1", 443)),
        ("sendto", ("192.0.2.1", 8125)),
        ("sendmsg", ("192.0.2.1", 8125)),
        ("socket.gethostbyname", "localhost"),
        ("_socket.gethostbyname_ex", "api.example"),
        ("socket.gethostbyaddr", "192.0.2.1"),
        ("_socket.getnameinfo", ("192.0.2.1", 443)),
    ]


def test_what_an_allowed_name_resolves_to_passes_by_every_lookup(spies, tcp_socket):
    spies.answers.update({"api.example": "192.0.2.50", "cdn.example": "192.0.2.60"})
    with block_network(), allow_network("api.example:443", "cdn.example:443"):
        assert socket.gethostbyname("api.example") == "192.0.2.50"
        assert socket.gethostbyname_ex("cdn.example") == ("cdn.example", [], ["192.0.2.60"])
        tcp_socket.connect(("192.0.2.50", 443))
        tcp_socket.connect(("192.0.2.60", 443))
        with pytest.raises(NetworkBlockedError):
            tcp_socket.connect(("192.0.2.60", 80))

    assert spies.names() == [
        "socket.gethostbyname",
        "socket.gethostbyname_ex",
        "connect",
        "connect",
    ]


def test_allow_network_lets_a_raw_sockets_datagram_out():
    # No spy can stand in for _socket.socket's own methods: the safety net stops it instead.
    send = _raw(lambda sock: sock.sendto(b"metric:1|c", ("192.0.2.1", 8125)), socket.SOCK_DGRAM)
    with block_network(), allow_network(), pytest.raises(NetworkLeak):
        send()


def test_an_allowance_ends_with_its_block(spies, tcp_socket):
    with block_network():
        with allow_network("192.0.2.7:6379"):
            tcp_socket.connect(("192.0.2.7", 6379))
        with pytest.raises(NetworkBlockedError):
            tcp_socket.connect(("192.0.2.7", 6379))
        with allow_network("192.0.2.7:6379"), block_network(), pytest.raises(NetworkBlockedError):
            # A block inside an allowance is a fresh block.
            tcp_socket.connect(("192.0.2.7", 6379))


@pytest.mark.parametrize("target", ["redis.example:http", "[::1", ":6379", "a:b:c:", "[db]x]"])
def test_allow_network_refuses_a_target_it_cannot_read(target):
    with pytest.raises(ValueError) as excinfo:
        allow_network(target)

    assert str(excinfo.value) == (
        "allow_network() takes 'host:port' or 'host' (an IPv6 address in brackets: "
        f"'[::1]:6379'), not {target!r}."
    )


# --- swallowed errors fail the test --------------------------------------------------------------

# Code under test that survives any failure, in a module that is not a test's.
SWALLOWING_SOURCE = """
import socket

def fetch_rates():
    try:
        return socket.getaddrinfo("api.example", 443)
    except Exception:
        return None
"""
SWALLOWING = compile(SWALLOWING_SOURCE, "weather/client.py", "exec")


def load(code, module):
    namespace = {"__name__": module}
    exec(code, namespace)
    return namespace


@pytest.fixture
def fetch_rates():
    return load(SWALLOWING, "weather.client")["fetch_rates"]


SWALLOWED = (
    "Name lookup of api.example:443 was blocked (socket.getaddrinfo), and "
    "weather.client.fetch_rates() caught the NetworkBlockedError and went on, so the test ran "
    'without it. Mock the call with mock_http(), or let it through with allow_network("api.example:443").'
)


def test_a_blocked_call_the_code_swallowed_fails_the_block(fetch_rates):
    with pytest.raises(AssertionError) as excinfo, block_network():
        assert fetch_rates() is None

    assert str(excinfo.value) == SWALLOWED


def test_a_swallowed_call_is_reported_once_and_next_to_the_tests_own_failure(fetch_rates):
    with pytest.raises(KeyError), block_network():
        with pytest.raises(AssertionError) as inner, block_network():
            fetch_rates()
        assert str(inner.value) == SWALLOWED
        # The outer block does not report it again: the test's own error stays the news.
        raise KeyError("the test's own failure")


def test_a_swallowed_call_explains_an_unrelated_failure(fetch_rates):
    with pytest.raises(AssertionError) as excinfo, block_network():
        rates = fetch_rates()
        raise LookupError(f"no rates: {rates}")

    assert str(excinfo.value) == SWALLOWED
    assert isinstance(excinfo.value.__context__, LookupError)


# Code under test that turns the blocked call into an error of its own.
WRAPPING = compile(
    """
import socket

def fetch_rates():
    try:
        return socket.getaddrinfo("api.example", 443)
    except Exception as error:
        raise LookupError("rates unavailable") from error

def fetch_rates_implicitly():
    try:
        return socket.getaddrinfo("api.example", 443)
    except Exception:
        raise LookupError("rates unavailable")
""",
    "weather/client.py",
    "exec",
)


def test_a_blocked_call_the_test_failed_with_is_not_reported_again():
    with pytest.raises(NetworkBlockedError), block_network():
        socket.getaddrinfo("api.example", 443)

    wrapping = load(WRAPPING, "weather.client")
    for fetch in (wrapping["fetch_rates"], wrapping["fetch_rates_implicitly"]):
        with pytest.raises(LookupError), block_network():
            fetch()


def test_a_swallowed_call_is_reported_next_to_the_blocked_call_the_test_failed_with(
    fetch_rates,
):
    with pytest.raises(AssertionError) as excinfo, block_network():
        try:
            socket.getaddrinfo("api.example", 443)
        except NetworkBlockedError as error:
            failure = error
        fetch_rates()
        raise failure

    assert str(excinfo.value) == SWALLOWED


def test_every_swallowed_call_is_reported_by_the_block_it_was_made_in(fetch_rates):
    with pytest.raises(AssertionError) as outer, block_network():
        fetch_rates()
        with pytest.raises(AssertionError) as inner, block_network():
            fetch_rates()
            fetch_rates()
        with block_network():
            pass  # nothing was swallowed in this one
        inner_block_done = True

    assert inner_block_done
    assert str(inner.value) == f"{SWALLOWED}\n{SWALLOWED}"
    assert str(outer.value) == SWALLOWED


@pytest.mark.skipif(sys.version_info < (3, 11), reason="Python 3.10 code has no co_qualname")
def test_the_report_names_the_method_that_caught():
    code = compile(
        "import socket\n"
        "class RatesClient:\n"
        "    def fetch(self):\n"
        "        try:\n"
        "            return socket.getaddrinfo('api.example', 443)\n"
        "        except Exception:\n"
        "            return None\n",
        "weather/client.py",
        "exec",
    )
    client = load(code, "weather.client")["RatesClient"]()
    with pytest.raises(AssertionError) as excinfo, block_network():
        client.fetch()

    assert str(excinfo.value) == SWALLOWED.replace("fetch_rates()", "RatesClient.fetch()")


@pytest.mark.parametrize(
    "path",
    [
        "weather/test_rates.py",
        "weather/rates_test.py",
        "weather/tests.py",
        "weather/conftest.py",
        "weather/tests/helpers.py",
    ],
)
def test_a_call_that_test_code_caught_is_not_reported(path):
    # The test's own code checked for it (a helper that expects the call to be blocked).
    fetch_rates = load(compile(SWALLOWING_SOURCE, path, "exec"), "weather.checks")["fetch_rates"]
    with block_network():
        assert fetch_rates() is None


@pytest.mark.django_db
def test_one_a_view_let_out_to_djangos_handler_is_not_reported(fetch_rates):
    # The weather page asks its API with requests; the view lets the error out, and Django's
    # handler answers 500 with it. A swallowed call in the same block is still reported.
    client = Client(raise_request_exception=False)
    with pytest.raises(AssertionError) as excinfo, block_network():
        fetch_rates()
        response = client.get("/weather/?city=Atlantis")

    assert response.status_code == 500
    assert str(excinfo.value) == SWALLOWED
    with block_network():
        assert client.get("/weather/?city=Atlantis").status_code == 500


@pytest.mark.django_db
def test_djangos_handler_is_watched_only_while_a_blocked_call_is_on_record(fetch_rates):
    # The test client connects and disconnects its own receiver of got_request_exception at
    # every request: one more in the list would cost every request a step.
    def watching():
        return [key for key, *_ in got_request_exception.receivers if key[0] == network.__name__]

    client = Client(raise_request_exception=False)
    with block_network():
        assert client.get("/").status_code == 200
        assert watching() == []
        assert client.get("/weather/?city=Atlantis").status_code == 500
        assert len(watching()) == 1
    assert watching() == []

    with pytest.raises(AssertionError), block_network():
        fetch_rates()
        assert len(watching()) == 1
    assert watching() == []


def test_the_decorators_report_a_swallowed_call(fetch_rates):
    @block_network()
    def sync_test():
        fetch_rates()

    @block_network()
    async def async_test():
        fetch_rates()

    for run in (sync_test, lambda: asyncio.run(async_test())):
        with pytest.raises(AssertionError) as excinfo:
            run()
        assert str(excinfo.value) == SWALLOWED


def run_tests(case):
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(case).run(result)
    return result


def outcomes(reported):
    """(test name, last line of the traceback) for each failure or error, by test name."""
    return sorted((test.id().rsplit(".", 1)[1], text.splitlines()[-1]) for test, text in reported)


def test_the_class_decorator_fails_the_test_that_swallowed(fetch_rates):
    @block_network()
    class Decorated(SimpleTestCase):
        def test_swallows(self):
            fetch_rates()

        def test_checks_for_it(self):
            with self.assertRaises(NetworkBlockedError):
                socket.getaddrinfo("api.example", 443)

        def test_fails_on_its_own(self):
            fetch_rates()
            self.fail("its own failure")

    result = run_tests(Decorated)

    # A test that fails on its own is told about the swallowed call too: often its cause.
    assert result.errors == []
    assert outcomes(result.failures) == [
        ("test_fails_on_its_own", f"AssertionError: {SWALLOWED}"),
        ("test_fails_on_its_own", "AssertionError: its own failure"),
        ("test_swallows", f"AssertionError: {SWALLOWED}"),
    ]


def test_check_test_leaves_out_the_blocked_call_the_test_failed_with(fetch_rates):
    fetch_or_fail = load(WRAPPING, "weather.client")["fetch_rates"]
    with block_network():
        network.start_test()
        with pytest.raises(LookupError) as failure:
            fetch_or_fail()
        network.check_test(failure.value)

        network.start_test()
        fetch_rates()
        with pytest.raises(AssertionError) as excinfo:
            network.check_test(failure.value)

    assert str(excinfo.value) == SWALLOWED


class WiredTestCase(IntegrationTestCase):
    """What the kit's test cases do once per-test teardown is wired (see check_test())."""

    def _callTestMethod(self, method):  # noqa: N802 - unittest's name
        try:
            super()._callTestMethod(method)
        except BaseException as error:
            self.kit_failure = error
            raise

    def _callTearDown(self):  # noqa: N802 - unittest's name
        super()._callTearDown()
        _defaults.per_test_teardown(type(self), getattr(self, "kit_failure", None))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "base",
    [
        WiredTestCase,
        IntegrationTestCase,
    ],
)
def test_kit_test_cases_fail_the_test_that_swallowed(base, fetch_rates):
    class Kit(base):
        def test_a_swallows(self):
            fetch_rates()

        def test_b_checks_for_it(self):
            with self.assertRaises(NetworkBlockedError):
                socket.getaddrinfo("api.example", 443)

        def test_c_fails_on_its_own(self):
            fetch_rates()
            self.fail("its own failure")

        def test_d_fails_with_it(self):
            socket.getaddrinfo("api.example", 443)

        def test_e_fails_with_it_wrapped(self):
            try:
                fetch_rates.__globals__["socket"].getaddrinfo("api.example", 443)
            except NetworkBlockedError as error:
                raise LookupError("rates unavailable") from error

    result = run_tests(Kit)

    assert outcomes(result.failures) == [
        ("test_a_swallows", f"AssertionError: {SWALLOWED}"),
        ("test_c_fails_on_its_own", f"AssertionError: {SWALLOWED}"),
        ("test_c_fails_on_its_own", "AssertionError: its own failure"),
    ]
    assert outcomes(result.errors) == [
        (
            "test_d_fails_with_it",
            "django_integration_kit.services.network.NetworkBlockedError: "
            + blocked("Name lookup of api.example:443", mock_advice("api.example:443")),
        ),
        ("test_e_fails_with_it_wrapped", "LookupError: rates unavailable"),
    ]


# --- switching it on and off, and leaving socket as it was ---------------------------------------


def _patched_sites():
    return {
        **{f"socket.{n}": getattr(socket, n) for n in SPIED["socket"][1]},
        **{f"_socket.{n}": getattr(_socket, n) for n in SPIED["_socket"][1]},
        **{f"socket.socket.{n}": socket.socket.__dict__.get(n) for n in METHODS},
        "_socket.socket": _socket.socket,
    }


def test_every_patched_function_is_restored_even_when_the_block_raises():
    before = _patched_sites()
    with pytest.raises(ValueError), block_network():
        during = _patched_sites()
        raise ValueError("boom")

    assert _patched_sites() == before
    assert {key for key in before if during[key] is before[key]} == set()
    assert not set(METHODS) & set(socket.socket.__dict__)


def test_the_socket_module_is_untouched_after_use_and_failures(fetch_rates):
    before = _patched_sites()
    with block_network(), allow_network("api.example:443"):
        pass
    with pytest.raises(AssertionError), block_network():
        fetch_rates()  # the swallowed-call report raises at exit

    assert _patched_sites() == before
    assert network._stack == network._log == []


def test_a_guard_that_another_patch_put_back_stays_a_guard(monkeypatch, tcp_socket):
    monkeypatch.setattr(socket, "getaddrinfo", socket.getaddrinfo)  # the real one, at teardown
    with pytest.MonkeyPatch.context() as other, block_network():
        # Patched over the guard, so undoing it puts the guard back after the block.
        other.setattr(socket, "getaddrinfo", lambda *args, **kwargs: [])
    guard = socket.getaddrinfo

    with block_network():
        assert socket.getaddrinfo is guard
        with pytest.raises(NetworkBlockedError):
            socket.getaddrinfo("api.example", 443)
        with pytest.raises(NetworkBlockedError):
            tcp_socket.connect(("192.0.2.1", 80))
        # The real function is still the one it calls, not the guard itself.
        assert socket.getaddrinfo("127.0.0.1", 80, socket.AF_INET, socket.SOCK_STREAM) == [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 80))
        ]
    # The methods it put on socket.socket come off again: they were inherited before.
    assert not set(METHODS) & set(socket.socket.__dict__)


def test_a_patch_made_inside_the_block_outlives_it_and_the_rest_is_put_back(monkeypatch):
    real = _patched_sites()
    monkeypatch.setattr(socket, "getaddrinfo", socket.getaddrinfo)  # the real one, at teardown

    def fake(*args, **kwargs):
        return []

    with block_network():
        socket.getaddrinfo = fake
    after = _patched_sites()

    assert socket.getaddrinfo is fake
    assert {key: value for key, value in after.items() if value is not real[key]} == {
        "socket.getaddrinfo": fake
    }
    assert not set(METHODS) & set(socket.socket.__dict__)


def test_a_method_set_on_the_socket_class_before_the_block_is_put_back(monkeypatch):
    def connect(self, address):
        raise AssertionError("not this one")

    monkeypatch.setattr(socket.socket, "connect", connect, raising=False)
    with block_network():
        assert socket.socket.__dict__["connect"] is not connect
    assert socket.socket.__dict__["connect"] is connect


def test_guards_kept_installed_between_tests_stay_guards_that_call_the_real_functions(spies):
    guard = network._SITES["socket.getaddrinfo"][2]
    network.block_for_test(keep_installed=True)(None)
    try:
        assert socket.getaddrinfo is guard
        close = network.block_for_test(keep_installed=True)  # every guard is still in place
        assert socket.getaddrinfo is guard
        with pytest.raises(NetworkBlockedError):
            socket.getaddrinfo("api.example", 443)
        close(None)
        socket.getaddrinfo("api.example", 443)  # passes, to the function the guard replaced
    finally:
        network.release_guards()

    assert spies.calls == [("socket.getaddrinfo", "api.example")]
    assert socket.getaddrinfo.__name__ == "spy"


def test_patches_made_over_kept_guards_are_what_the_guards_put_back(spies):
    def connect(self, address):
        raise AssertionError("not this one")

    def getaddrinfo(*args, **kwargs):
        return []

    network.block_for_test(keep_installed=True)(None)
    try:
        # Between two tests, a patch of a module function and of a socket method over the guards.
        socket.getaddrinfo = getaddrinfo
        socket.socket.connect = connect
        close = network.block_for_test(keep_installed=True)
        assert socket.getaddrinfo is not getaddrinfo
        assert socket.socket.__dict__["connect"] is not connect
        close(None)
    finally:
        network.release_guards()
        assert socket.getaddrinfo is getaddrinfo
        assert socket.socket.__dict__["connect"] is connect
        # The spies' monkeypatch puts the real ones back at teardown.


def test_regions_that_end_out_of_order_leave_the_right_ones_in_force(spies):
    outer, inner = block_network(), allow_network()
    outer.__enter__()
    inner.__enter__()
    outer.__exit__(None, None, None)
    socket.getaddrinfo("api.example", 443)  # the allow_network() region is still open
    inner.__exit__(None, None, None)

    assert spies.calls == [("socket.getaddrinfo", "api.example")]
    assert socket.getaddrinfo.__name__ == "spy"  # the spy again, not a guard


def test_the_same_instance_nests(spies):
    guard = block_network()
    with guard:
        with guard, pytest.raises(NetworkBlockedError):
            socket.getaddrinfo("api.example", 443)
        with pytest.raises(NetworkBlockedError):
            socket.getaddrinfo("api.example", 443)
    socket.getaddrinfo("api.example", 443)

    assert spies.calls == [("socket.getaddrinfo", "api.example")]


def test_threads_are_guarded_too():
    errors = []

    def lookup():
        try:
            socket.getaddrinfo("api.example", 443)
        except NetworkBlockedError as error:
            errors.append(error)

    with block_network():
        thread = threading.Thread(target=lookup)
        thread.start()
        thread.join()

    assert [error.host for error in errors] == ["api.example"]


def test_decorates_functions_and_coroutine_functions():
    @block_network()
    def sync_lookup():
        socket.getaddrinfo("api.example", 443)

    @block_network()
    async def async_lookup():
        socket.getaddrinfo("api.example", 443)

    with pytest.raises(NetworkBlockedError):
        sync_lookup()
    with pytest.raises(NetworkBlockedError):
        asyncio.run(async_lookup())


def test_decorates_a_test_case_class(spies):
    @block_network()
    class Decorated(SimpleTestCase):
        def test_lookup_is_blocked(self):
            with self.assertRaises(NetworkBlockedError):
                socket.getaddrinfo("api.example", 443)

        @allow_network()
        def test_allowed_here(self):
            socket.getaddrinfo("api.example", 443)

    result = run_tests(Decorated)

    assert result.errors == result.failures == []
    assert spies.calls == [("socket.getaddrinfo", "api.example")]


# --- on by default in the kit's test cases -------------------------------------------------------


def run_kit_test_case(case):
    result = run_tests(case)
    assert result.errors == result.failures == []
    return result


@pytest.mark.django_db
def test_kit_test_cases_block_the_network():
    class Blocked(IntegrationTestCase):
        def test_lookup(self):
            with self.assertRaises(NetworkBlockedError):
                socket.getaddrinfo("api.example", 443)

    run_kit_test_case(Blocked)


@pytest.mark.django_db
def test_kit_test_cases_can_opt_out(spies):
    class OptedOut(IntegrationTestCase):
        block_network = False

        def test_lookup(self):
            socket.getaddrinfo("api.example", 443)

    run_kit_test_case(OptedOut)

    assert spies.calls == [("socket.getaddrinfo", "api.example")]
