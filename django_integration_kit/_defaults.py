"""The safe, fast defaults the kit's test cases and fixtures switch on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from django_integration_kit import _frames, conf
from django_integration_kit.services import network
from django_integration_kit.services.network import block_network

_frames.hide(globals())

FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


@contextmanager
def fast_password_hasher() -> Iterator[None]:
    """Hash with MD5 first while keeping the project's hashers to check existing hashes."""
    from django.conf import settings
    from django.test import override_settings

    hashers = [FAST_HASHER, *(h for h in settings.PASSWORD_HASHERS if h != FAST_HASHER)]
    with override_settings(PASSWORD_HASHERS=hashers):
        yield


def clear_caches() -> None:
    """Empty every configured cache so nothing leaks in from an earlier test."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=False):
        cache.clear()


@contextmanager
def kit_defaults(owner: object | None = None) -> Iterator[None]:
    """Switch on the defaults ``owner`` (a test class) has not opted out of; undo them on exit."""
    if isinstance(owner, type):
        conf.check_attributes(owner)
    with ExitStack() as stack:
        if conf.get_setting("FAST_PASSWORD_HASHER", owner):
            stack.enter_context(fast_password_hasher())
        if conf.get_setting("BLOCK_NETWORK", owner):
            stack.enter_context(block_network())
        yield


def per_test_setup(owner: object | None = None) -> None:
    """What runs before each test: cleared caches, and a fresh count of blocked calls."""
    network.start_test()
    if conf.get_setting("CLEAR_CACHES", owner):
        clear_caches()


def per_test_teardown(owner: object | None = None, failure: BaseException | None = None) -> None:
    """What runs after each test: a blocked network call that the code caught and went on from
    fails it. ``failure``, the error the test failed with if known, is not repeated."""
    if conf.get_setting("BLOCK_NETWORK", owner):
        network.check_test(failure)
