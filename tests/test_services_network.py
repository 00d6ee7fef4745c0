"""The network guard. No test here may send a packet off this machine: every call that could
leave goes to a spy put in place before the guard, and hosts are under .example / .invalid."""

import asyncio
import http.server
import socket
import threading
import unittest

import pytest
import requests
import requests_mock
from django.db import connections
from django.test import SimpleTestCase

from django_integration_kit import IntegrationTestCase, allow_network, block_network
from django_integration_kit.services.network import NetworkBlockedError

HINT = (
    "is blocked: tests may only reach this machine and the configured databases and caches. "
    "Mock the call with mock_http(), or wrap the code in allow_network() to let it through."
)
REAL = {
    "getaddrinfo": socket.getaddrinfo,
    "gethostbyname": socket.gethostbyname,
    "gethostbyname_ex": socket.gethostbyname_ex,
    "create_connection": socket.create_connection,
}
REAL_METHODS = {name: getattr(socket.socket, name) for name in ("connect", "connect_ex", "sendto")}


class Spies:
    """Stand-ins for the functions that reach the network; they record calls and answer with
    made-up results, so nothing leaves even if the guard lets a call through."""

    def __init__(self, monkeypatch):
        self.calls = []
        self.answers = {}
        for name in REAL:
            monkeypatch.setattr(socket, name, self._spy(name))
        for name in REAL_METHODS:
            monkeypatch.setattr(socket.socket, name, self._method_spy(name))

    def _spy(self, name):
        def spy(host, *args, **kwargs):
            self.calls.append((name, host))
            return self.answers.get((name, host), _fake_answer(name, host))

        return spy

    def _method_spy(self, name):
        def spy(sock, *args):
            self.calls.append((name, args[-1]))
            return 0

        return spy

    def names(self):
        return [name for name, _ in self.calls]


def _fake_answer(name, host):
    address = "192.0.2.1"
    if name == "getaddrinfo":
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, 443))]
    if name == "gethostbyname_ex":
        return (host, [], [address])
    return address


@pytest.fixture
def spies(monkeypatch):
    return Spies(monkeypatch)


@pytest.fixture
def tcp_socket():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    yield sock
    sock.close()


# --- what is refused, and how ------------------------------------------------------------------


def test_a_name_lookup_is_refused_before_any_dns_query(spies):
    with block_network(), pytest.raises(NetworkBlockedError) as excinfo:
        socket.getaddrinfo("api.example", 443)

    assert spies.calls == []
    assert str(excinfo.value) == f"Name lookup of api.example:443 {HINT}"
    assert (excinfo.value.host, excinfo.value.port) == ("api.example", 443)
    assert isinstance(excinfo.value, RuntimeError)


@pytest.mark.parametrize("name", ["gethostbyname", "gethostbyname_ex"])
def test_the_other_name_lookups_are_refused(spies, name):
    with block_network(), pytest.raises(NetworkBlockedError) as excinfo:
        getattr(socket, name)("API.Example.")

    assert spies.calls == []
    assert str(excinfo.value) == f"Name lookup of api.example {HINT}"


def test_a_connection_is_refused_with_host_and_port(spies, tcp_socket):
    with block_network():
        with pytest.raises(NetworkBlockedError) as excinfo:
            tcp_socket.connect(("192.0.2.1", 80))
        with pytest.raises(NetworkBlockedError):
            tcp_socket.connect_ex(("192.0.2.1", 80))

    assert spies.calls == []
    assert str(excinfo.value) == f"Connection to 192.0.2.1:80 {HINT}"


def test_an_ipv6_connection_names_the_address_in_brackets(spies):
    with (
        socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock,
        block_network(),
        pytest.raises(NetworkBlockedError) as excinfo,
    ):
        sock.connect(("2001:db8::1", 443, 0, 0))

    assert spies.calls == []
    assert str(excinfo.value) == f"Connection to [2001:db8::1]:443 {HINT}"


def test_create_connection_is_refused_before_its_lookup(spies):
    with block_network(), pytest.raises(NetworkBlockedError) as excinfo:
        socket.create_connection(("api.invalid", 8080), timeout=1)

    assert spies.calls == []
    assert str(excinfo.value) == f"Connection to api.invalid:8080 {HINT}"


def test_a_udp_datagram_is_refused(spies):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock, block_network():
        with pytest.raises(NetworkBlockedError):
            sock.sendto(b"metric:1|c", ("192.0.2.1", 8125))
        with pytest.raises(NetworkBlockedError):
            sock.sendto(b"metric:1|c", 0, ("statsd.example", 8125))

    assert spies.calls == []


def test_requests_gets_the_error_itself_not_a_connection_error(spies):
    # A RuntimeError passes through the `except OSError` of urllib3 and of the project's own
    # error handling, so an unmocked call fails the test instead of being swallowed.
    with block_network(), pytest.raises(NetworkBlockedError) as excinfo:
        requests.get("https://api.example/v1/rates", timeout=1)

    assert spies.calls == []
    assert str(excinfo.value) == f"Name lookup of api.example:443 {HINT}"


def test_an_asyncio_connection_is_refused(spies):
    async def connect():
        await asyncio.open_connection("api.example", 443)

    with block_network(), pytest.raises(NetworkBlockedError):
        asyncio.run(connect())

    assert spies.calls == []


# --- what is let through -----------------------------------------------------------------------


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


@pytest.mark.parametrize(
    "host", ["localhost", "LOCALHOST.", "127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1", ""]
)
def test_loopback_names_and_addresses_are_allowed(spies, host):
    with block_network():
        socket.getaddrinfo(host, 80)

    assert spies.calls == [("getaddrinfo", host)]


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
        with block_network(), pytest.raises(NetworkBlockedError):
            # Resolved addresses are forgotten once the guard ends.
            sock.connect(("192.0.2.1", 5432))

    assert spies.calls == [
        ("getaddrinfo", "db.example"),
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
            "LOCATION": "mc1.example:11211;mc2.example:11211,unix:/tmp/memcached.sock",
        },
    }
    with block_network():
        for host in ("cache.example", "2001:db8::7", "mc1.example", "mc2.example"):
            socket.getaddrinfo(host, 6379)
        with pytest.raises(NetworkBlockedError):
            socket.getaddrinfo("snowflake.example", 80)

    assert spies.names() == ["getaddrinfo"] * 4


# --- switching it on and off -------------------------------------------------------------------


def test_allow_network_lets_calls_through_inside_a_blocked_region(spies):
    with block_network():
        with allow_network():
            socket.getaddrinfo("api.example", 443)
            with block_network(), pytest.raises(NetworkBlockedError):
                socket.getaddrinfo("api.example", 443)
            socket.gethostbyname("api.example")
        with pytest.raises(NetworkBlockedError):
            socket.getaddrinfo("api.example", 443)

    assert spies.calls == [("getaddrinfo", "api.example"), ("gethostbyname", "api.example")]


def test_everything_is_restored_after_the_block(spies):
    before = {name: getattr(socket, name) for name in REAL}
    methods_before = {name: socket.socket.__dict__.get(name) for name in REAL_METHODS}

    with pytest.raises(ValueError), block_network():
        raise ValueError("boom")

    assert {name: getattr(socket, name) for name in REAL} == before
    assert {name: socket.socket.__dict__.get(name) for name in REAL_METHODS} == methods_before


def test_the_socket_module_is_untouched_after_use():
    with block_network(), allow_network():
        pass

    assert {name: getattr(socket, name) for name in REAL} == REAL
    assert {name: getattr(socket.socket, name) for name in REAL_METHODS} == REAL_METHODS
    assert not {"connect", "connect_ex", "sendto"} & set(socket.socket.__dict__)


def test_regions_that_end_out_of_order_leave_the_right_ones_in_force(spies):
    outer, inner = block_network(), allow_network()
    outer.__enter__()
    inner.__enter__()
    outer.__exit__(None, None, None)
    socket.getaddrinfo("api.example", 443)  # the allow_network() region is still open
    inner.__exit__(None, None, None)

    assert spies.calls == [("getaddrinfo", "api.example")]
    assert socket.getaddrinfo is not REAL["getaddrinfo"]  # the spy again, not a guard
    assert socket.getaddrinfo.__name__ == "spy"


def test_decorates_functions_and_coroutine_functions(spies):
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

    assert spies.calls == []


def test_decorates_a_test_case_class(spies):
    @block_network()
    class Decorated(SimpleTestCase):
        def test_lookup_is_blocked(self):
            with self.assertRaises(NetworkBlockedError):
                socket.getaddrinfo("api.example", 443)

        @allow_network()
        def test_allowed_here(self):
            socket.getaddrinfo("api.example", 443)

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Decorated).run(result)

    assert result.errors == result.failures == []
    assert spies.calls == [("getaddrinfo", "api.example")]


# --- on by default in the kit's test cases -----------------------------------------------------


def run_kit_test_case(case):
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(case).run(result)
    assert result.errors == result.failures == []
    return result


@pytest.mark.django_db
def test_kit_test_cases_block_the_network(spies):
    class Blocked(IntegrationTestCase):
        def test_lookup(self):
            with self.assertRaises(NetworkBlockedError):
                socket.getaddrinfo("api.example", 443)

    run_kit_test_case(Blocked)

    assert spies.calls == []


@pytest.mark.django_db
def test_kit_test_cases_can_opt_out(spies):
    class OptedOut(IntegrationTestCase):
        block_network = False

        def test_lookup(self):
            socket.getaddrinfo("api.example", 443)

    run_kit_test_case(OptedOut)

    assert spies.calls == [("getaddrinfo", "api.example")]
