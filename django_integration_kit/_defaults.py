"""The safe, fast defaults the kit's test cases and fixtures switch on."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.auth import hashers as auth_hashers
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.utils.functional import empty

from django_integration_kit import _frames, conf
from django_integration_kit.client import set_enforce_csrf
from django_integration_kit.services import network

_frames.hide(globals())

FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
_HASHERS = "PASSWORD_HASHERS"
_UNSET = object()
# LazySettings' cache of the settings read so far, and its _wrapped. Read straight from its
# __dict__ (the same dict for good): each attribute of LazySettings goes through a Python
# __getattribute__.
_lazy = vars(settings)


def use_fast_hasher() -> Callable[[], None]:
    """Hash with MD5 first while keeping the project's hashers to check existing hashes; return
    the function that puts the project's hashers back exactly."""
    # The object override_settings() would wrap: the project's settings, or the override in
    # force. Setting the one name on it leaves every other setting LazySettings has cached.
    holder = _lazy["_wrapped"]
    if holder is empty:
        # Reading a setting configures them, or says why it cannot.
        getattr(settings, _HASHERS)
        holder = _lazy["_wrapped"]
    hashers = getattr(holder, _HASHERS)
    own = vars(holder)
    saved = own.get(_HASHERS, _UNSET)
    fast = [FAST_HASHER, *(hasher for hasher in hashers if hasher != FAST_HASHER)]
    own[_HASHERS] = _lazy[_HASHERS] = fast
    _forget_hashers()

    def restore() -> None:
        if saved is _UNSET:
            # The override in force had inherited them from the settings it wraps.
            own.pop(_HASHERS, None)
        else:
            own[_HASHERS] = saved
        # An override's record of a setting deleted during the test.
        deleted = own.get("_deleted")
        if deleted:
            deleted.discard(_HASHERS)
        _lazy.pop(_HASHERS, None)
        _forget_hashers()

    return restore


def _forget_hashers() -> None:
    # What Django's receiver of setting_changed does for this setting. Sending the signal, as
    # override_settings() does, would cost more than all the rest: some twenty receivers, each
    # waiting for another setting.
    auth_hashers.get_hashers.cache_clear()  # type: ignore[attr-defined]
    auth_hashers.get_hashers_by_algorithm.cache_clear()  # type: ignore[attr-defined]


@contextmanager
def fast_password_hasher() -> Iterator[None]:
    """Hash with MD5 first while keeping the project's hashers to check existing hashes."""
    restore = use_fast_hasher()
    try:
        yield
    finally:
        restore()


# The caches cleared last, and the store of them they came from, which Django replaces when
# override_settings() changes CACHES.
_known_caches: tuple[object, list[Any]] | None = None


def clear_caches() -> None:
    """Empty every configured cache so nothing leaks in from an earlier test."""
    global _known_caches
    known = _known_caches
    # Fetching each cache from Django's per-context store costs more than clearing it; what the
    # same store gave last time is still the right cache, and clears the same data.
    store = caches._connections  # type: ignore[attr-defined]
    if known is None or known[0] is not store:
        known = _known_caches = (store, caches.all(initialized_only=False))
    for cache in known[1]:
        # An empty local-memory cache (most tests') has nothing to clear: its clear() would
        # only take and drop its lock.
        if type(cache) is not LocMemCache or cache._cache:  # type: ignore[attr-defined]
            cache.clear()


def switch_on(
    owner: object | None = None, *, keep_guards: bool = False
) -> Callable[[BaseException | None], None]:
    """Switch on the defaults ``owner`` (a test class) has not opted out of; return the
    function that switches them off (given the error the test failed with, if known).

    ``keep_guards`` leaves the network guards installed, letting calls through, afterwards."""
    if isinstance(owner, type):
        conf.check_attributes(owner)
    restore_hashers = (
        use_fast_hasher() if conf.get_setting("FAST_PASSWORD_HASHER", owner) else None
    )
    try:
        unblock = (
            network.block_for_test(keep_installed=keep_guards)
            if conf.get_setting("BLOCK_NETWORK", owner)
            else None
        )
    except BaseException:
        if restore_hashers is not None:
            restore_hashers()
        raise
    if isinstance(owner, type):
        # Its tests' settings are read at the first of them, and kept until it ends.
        _plans[owner] = None

    def switch_off(failure: BaseException | None = None) -> None:
        _plans.pop(owner, None)
        try:
            if unblock is not None:
                unblock(failure)
        finally:
            if restore_hashers is not None:
                restore_hashers()

    return switch_off


@contextmanager
def kit_defaults(owner: object | None = None) -> Iterator[None]:
    """Switch on the defaults ``owner`` (a test class) has not opted out of; undo them on exit."""
    switch_off = switch_on(owner)
    try:
        yield
    except BaseException as error:
        switch_off(error)
        raise
    switch_off(None)


# What each test of a class whose defaults are on gets, (ENFORCE_CSRF, CLEAR_CACHES,
# BLOCK_NETWORK), read at its first test: after setUpClass, so a class-level override_settings
# counts, as it did when every test read them. None until then.
_plans: dict[object, tuple[bool, bool, bool] | None] = {}


def _read_plan(owner: object | None) -> tuple[bool, bool, bool]:
    # Only where _plans holds none yet: each test looks there first, without a call.
    plan = (
        bool(conf.get_setting("ENFORCE_CSRF", owner)),
        bool(conf.get_setting("CLEAR_CACHES", owner)),
        bool(conf.get_setting("BLOCK_NETWORK", owner)),
    )
    if owner in _plans:
        _plans[owner] = plan
    return plan


def per_test_setup(owner: object | None = None, clients: Iterable[Any] = ()) -> None:
    """What runs before each test: ``clients`` check CSRF tokens where the settings ask,
    caches are cleared, and blocked calls are counted afresh."""
    enforce_csrf, clear, _ = _plans.get(owner) or _read_plan(owner)
    network.start_test()
    if enforce_csrf:
        for client in clients:
            set_enforce_csrf(client, True)
    if clear:
        clear_caches()


def per_test_teardown(owner: object | None = None, failure: BaseException | None = None) -> None:
    """What runs after each test: a blocked network call that the code caught and went on from
    fails it. ``failure``, the error the test failed with if known, is not repeated."""
    if (_plans.get(owner) or _read_plan(owner))[2]:
        network.check_test(failure)
