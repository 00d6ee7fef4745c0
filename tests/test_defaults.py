"""The defaults switched on and off around each test: the fast hasher and the network guard."""

import socket

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password, get_hasher, get_hashers, make_password
from django.core.cache.backends.locmem import LocMemCache
from django.test import override_settings

from django_integration_kit import _defaults
from django_integration_kit.services import network
from django_integration_kit.services.network import NetworkBlockedError

MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"
PBKDF2_SHA1 = "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher"

# Code under test that survives any failure, in a module that is not a test's.
SWALLOWING = compile(
    "import socket\n"
    "def fetch_rates():\n"
    "    try:\n"
    "        return socket.getaddrinfo('api.example', 443)\n"
    "    except Exception:\n"
    "        return None\n",
    "weather/client.py",
    "exec",
)


@pytest.fixture
def fetch_rates():
    namespace = {"__name__": "weather.client"}
    exec(SWALLOWING, namespace)
    return namespace["fetch_rates"]


def hasher_state():
    """Everything the hashers are known by: the setting, and what Django's caches give."""
    return (
        settings.PASSWORD_HASHERS,
        [type(hasher) for hasher in get_hashers()],
        type(get_hasher()),
        type(get_hasher("pbkdf2_sha256")),
    )


def test_the_fast_hasher_comes_first_and_the_projects_hashers_still_check():
    project = list(settings.PASSWORD_HASHERS)
    # One iteration: a hash of the project's own hasher, checked in no time.
    old_hash = get_hasher("pbkdf2_sha256").encode("Kit-pass-123", "salt", iterations=1)

    with _defaults.fast_password_hasher():
        assert [MD5, *project] == settings.PASSWORD_HASHERS
        assert get_hasher().algorithm == "md5"
        assert make_password("Kit-pass-123").startswith("md5$")
        assert check_password("Kit-pass-123", old_hash)


def test_the_hashers_are_back_exactly_after_the_block():
    before = hasher_state()
    project = settings.PASSWORD_HASHERS

    with _defaults.fast_password_hasher():
        md5_hash = make_password("Kit-pass-123")

    assert hasher_state() == before
    # The very list of the project's settings, not a copy that looks the same.
    assert settings.PASSWORD_HASHERS is project
    assert get_hasher().algorithm == "pbkdf2_sha256"
    # MD5 is not among the project's hashers: what it hashed no longer checks.
    assert not check_password("Kit-pass-123", md5_hash)


def test_the_hashers_are_back_when_the_block_raises():
    before = hasher_state()

    with pytest.raises(ValueError, match="boom"), _defaults.fast_password_hasher():
        assert get_hasher().algorithm == "md5"
        raise ValueError("boom")

    assert hasher_state() == before


def test_the_fast_hasher_inside_an_override_of_the_hashers_keeps_it():
    with override_settings(PASSWORD_HASHERS=[PBKDF2_SHA1]):
        with _defaults.fast_password_hasher():
            assert settings.PASSWORD_HASHERS == [MD5, PBKDF2_SHA1]
            assert get_hasher().algorithm == "md5"
        assert settings.PASSWORD_HASHERS == [PBKDF2_SHA1]
        assert get_hasher().algorithm == "pbkdf2_sha1"
    assert get_hasher().algorithm == "pbkdf2_sha256"


def test_an_override_that_inherits_the_hashers_still_inherits_them_after():
    with override_settings(DEBUG=True):
        holder = settings._wrapped
        with _defaults.fast_password_hasher():
            assert settings.PASSWORD_HASHERS[0] == MD5
        assert "PASSWORD_HASHERS" not in vars(holder)
        assert not settings.is_overridden("PASSWORD_HASHERS")
    assert settings.PASSWORD_HASHERS[0] != MD5


def test_an_override_entered_inside_the_block_sees_the_fast_hasher_and_leaves_it():
    with _defaults.fast_password_hasher():
        with override_settings(PASSWORD_HASHERS=[PBKDF2_SHA1]):
            assert get_hasher().algorithm == "pbkdf2_sha1"
        assert get_hasher().algorithm == "md5"
    assert get_hasher().algorithm == "pbkdf2_sha256"


def test_switching_the_hasher_leaves_the_other_settings_read_so_far_cached():
    # override_settings() would empty LazySettings' cache: each setting read again after it.
    assert settings.DEBUG is False

    with _defaults.fast_password_hasher():
        assert "DEBUG" in vars(settings)

    assert "DEBUG" in vars(settings)


def test_a_test_that_changes_the_fast_list_leaves_the_project_list_alone():
    project = list(settings.PASSWORD_HASHERS)

    with _defaults.fast_password_hasher():
        settings.PASSWORD_HASHERS.append(PBKDF2_SHA1)

    assert project == settings.PASSWORD_HASHERS


def test_kit_defaults_block_the_network_and_open_it_again():
    real = socket.getaddrinfo

    with _defaults.kit_defaults(), pytest.raises(NetworkBlockedError):
        socket.getaddrinfo("api.example", 443)

    assert socket.getaddrinfo is real
    assert network._stack == []


def test_kit_defaults_put_everything_back_when_the_block_raises():
    before, real = hasher_state(), socket.getaddrinfo

    with pytest.raises(KeyError), _defaults.kit_defaults():
        assert get_hasher().algorithm == "md5"
        raise KeyError("boom")

    assert hasher_state() == before
    assert socket.getaddrinfo is real
    assert network._stack == []


def test_a_swallowed_blocked_call_fails_the_block_and_the_hashers_are_back(fetch_rates):
    before, real = hasher_state(), socket.getaddrinfo

    with (
        pytest.raises(AssertionError, match="caught the NetworkBlockedError"),
        _defaults.kit_defaults(),
    ):
        fetch_rates()

    assert hasher_state() == before
    assert socket.getaddrinfo is real


def test_a_blocked_call_the_block_fails_with_is_not_reported_again():
    with pytest.raises(NetworkBlockedError), _defaults.kit_defaults():
        socket.getaddrinfo("api.example", 443)


def test_the_hashers_are_back_when_the_guard_cannot_be_switched_on(monkeypatch):
    before = hasher_state()

    def broken(**kwargs):
        raise RuntimeError("no guard")

    monkeypatch.setattr(network, "block_for_test", broken)

    with pytest.raises(RuntimeError, match="no guard"):
        _defaults.switch_on()

    assert hasher_state() == before


def test_switch_on_honours_the_settings_it_reads():
    before, real = hasher_state(), socket.getaddrinfo

    with override_settings(
        INTEGRATION_KIT={"FAST_PASSWORD_HASHER": False, "BLOCK_NETWORK": False}
    ):
        switch_off = _defaults.switch_on()
        try:
            assert get_hasher().algorithm == "pbkdf2_sha256"
            assert socket.getaddrinfo is real
        finally:
            switch_off()

    assert hasher_state() == before


def test_check_test_reports_what_was_swallowed_since_the_test_started_once(fetch_rates):
    with _defaults.kit_defaults():
        network.start_test()
        network.check_test()  # nothing blocked yet
        fetch_rates()
        with pytest.raises(AssertionError, match=r"weather\.client\.fetch_rates\(\) caught"):
            network.check_test()
        network.start_test()
        network.check_test()  # nothing since
    # The end of the block does not report it again either.


def test_a_hasher_setting_deleted_inside_an_override_is_back_after():
    before = hasher_state()

    with override_settings(DEBUG=True):
        restore = _defaults.use_fast_hasher()
        del settings.PASSWORD_HASHERS
        restore()
        assert hasher_state() == before

    assert hasher_state() == before


def test_guards_kept_installed_let_calls_through_until_released():
    real = socket.getaddrinfo
    network.block_for_test(keep_installed=True)(None)
    try:
        assert socket.getaddrinfo is not real
        assert socket.getaddrinfo("127.0.0.1", 80, socket.AF_INET, socket.SOCK_STREAM)
        close = network.block_for_test(keep_installed=True)
        with pytest.raises(NetworkBlockedError):
            socket.getaddrinfo("api.example", 443)
        close(None)
    finally:
        network.release_guards()

    assert socket.getaddrinfo is real
    assert network._stack == []


def test_releasing_the_guards_inside_a_region_leaves_them_until_it_ends():
    real = socket.getaddrinfo
    close = network.block_for_test(keep_installed=True)
    network.release_guards()
    with pytest.raises(NetworkBlockedError):
        socket.getaddrinfo("api.example", 443)
    close(None)

    assert socket.getaddrinfo is real


def _locmem(location):
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": location}


class _CountingCache(LocMemCache):
    """A local-memory cache whose clear() may do more than empty it: it is always called."""

    cleared = 0

    def clear(self):
        type(self).cleared += 1
        super().clear()


def test_clear_caches_calls_clear_on_an_empty_cache_unless_it_is_djangos_local_memory_one():
    from django.core.cache import caches

    counting = {"BACKEND": f"{__name__}._CountingCache", "LOCATION": "kit-count"}
    with override_settings(CACHES={"default": _locmem("kit-empty"), "counting": counting}):
        _defaults.clear_caches()
        assert _CountingCache.cleared == 1
        # An empty LocMemCache is skipped, a filled one still emptied, expiry times and all.
        caches["default"].set("leak", 1, timeout=60)
        _defaults.clear_caches()
        assert caches["default"].get("leak") is None
        assert not caches["default"]._expire_info
        assert _CountingCache.cleared == 2


def test_clear_caches_empties_every_configured_cache_as_the_settings_change():
    from django.core.cache import caches

    caches["default"].set("leak", 1)
    _defaults.clear_caches()
    assert caches["default"].get("leak") is None

    with override_settings(CACHES={"default": _locmem("kit-a"), "sessions": _locmem("kit-b")}):
        caches["default"].set("leak", 1)
        caches["sessions"].set("leak", 2)
        _defaults.clear_caches()
        assert (caches["default"].get("leak"), caches["sessions"].get("leak")) == (None, None)

    # Back to the project's caches, with the caches of the override forgotten.
    caches["default"].set("leak", 3)
    _defaults.clear_caches()
    assert caches["default"].get("leak") is None


def test_a_classs_tests_get_its_settings_as_read_at_its_first_test():
    from django.core.cache import cache

    class CheckoutTests:
        pass

    switch_off = _defaults.switch_on(CheckoutTests)
    try:
        # As a class-level override_settings does, after the defaults are switched on.
        with override_settings(INTEGRATION_KIT={"CLEAR_CACHES": False}):
            cache.set("basket", 1)
            _defaults.per_test_setup(CheckoutTests)
            assert cache.get("basket") == 1
        # Kept for the rest of the class.
        _defaults.per_test_setup(CheckoutTests)
        assert cache.get("basket") == 1
    finally:
        switch_off(None)

    # Read afresh once the class is over.
    _defaults.per_test_setup(CheckoutTests)
    assert cache.get("basket") is None


def test_tests_without_a_class_read_the_settings_every_time():
    from django.core.cache import cache

    with override_settings(INTEGRATION_KIT={"CLEAR_CACHES": False}):
        cache.set("basket", 1)
        _defaults.per_test_setup()
        assert cache.get("basket") == 1
    _defaults.per_test_setup()
    assert cache.get("basket") is None


def test_each_test_makes_the_clients_check_csrf_when_the_settings_ask():
    from django_integration_kit import KitClient

    client = KitClient()
    with override_settings(INTEGRATION_KIT={"ENFORCE_CSRF": True}):
        _defaults.per_test_setup(clients=(client,))

    assert client.handler.enforce_csrf_checks is True


def test_a_client_that_checks_csrf_itself_keeps_checking():
    from django_integration_kit import KitClient

    client = KitClient(enforce_csrf_checks=True)
    _defaults.per_test_setup(clients=(client,))

    assert client.handler.enforce_csrf_checks is True
