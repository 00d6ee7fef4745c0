"""pytest fixtures for the kit, on top of pytest-django: ``kit``, ``kit_client``, ``http_mock``,
``frozen`` and ``emails``.

Registered by the ``pytest11`` entry point. Tests that use none of these fixtures run exactly
as they would without the kit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, Protocol

import pytest

from django_integration_kit import _defaults
from django_integration_kit.client import KitClient
from django_integration_kit.kit import Kit

if TYPE_CHECKING:
    from django_integration_kit.services.mail import Outbox
    from django_integration_kit.services.time import Clock

__all__ = ["Freezer", "Kit", "emails", "frozen", "http_mock", "kit", "kit_client"]


class Freezer(Protocol):
    """The ``frozen`` fixture's type: call it to freeze time until the test ends."""

    def __call__(self, when: dt.datetime | dt.date | str, *, tick: bool = False) -> Clock: ...


@pytest.fixture
def kit_client() -> KitClient:
    """The kit's test client alone: Django's client with a request history."""
    return KitClient()


@pytest.fixture
def kit(db: None, kit_client: KitClient) -> Iterator[Kit]:
    """Every helper of the kit bound to ``kit_client``, with database access and safe defaults.

    Ask for ``transactional_db`` beside it for code that commits for real.
    """
    # ``db`` is a parameter, not a getfixturevalue() call: pytest-django decides at collection
    # which test databases to create, from the fixtures each test names.
    with _defaults.kit_defaults():
        _defaults.per_test_setup()
        yield Kit(kit_client)


@pytest.fixture
def http_mock() -> Iterator[Any]:
    """``mock_http()`` entered for the test: a strict ``requests_mock.Mocker``."""
    from django_integration_kit.services.http import mock_http

    with mock_http() as mocker:
        yield mocker


@pytest.fixture
def frozen() -> Iterator[Freezer]:
    """A function: ``clock = frozen(when)`` freezes time from that call to the end of the test."""
    from django_integration_kit.services.time import frozen_time

    with ExitStack() as stack:

        def freeze(when: dt.datetime | dt.date | str, *, tick: bool = False) -> Clock:
            return stack.enter_context(frozen_time(when, tick=tick))

        yield freeze


@pytest.fixture
def emails() -> Iterator[Outbox]:
    """``capture_emails()`` entered for the test: the outbox of what the test sent."""
    from django_integration_kit.services.mail import capture_emails

    with capture_emails() as outbox:
        yield outbox
