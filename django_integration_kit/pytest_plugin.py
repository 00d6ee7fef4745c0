"""pytest fixtures for the kit, on top of pytest-django: ``kit``, ``kit_client`` and friends.

Registered by the ``pytest11`` entry point. Tests that use none of these fixtures run exactly
as they would without the kit.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from django_integration_kit import _defaults
from django_integration_kit.client import KitClient
from django_integration_kit.kit import Kit


@pytest.fixture
def kit_client() -> KitClient:
    """The kit's test client alone: Django's client with a request history."""
    return KitClient()


@pytest.fixture
def kit(request: pytest.FixtureRequest, kit_client: KitClient) -> Iterator[Kit]:
    """Every helper of the kit bound to ``kit_client``, with database access and safe defaults."""
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        request.getfixturevalue("db")
    with _defaults.kit_defaults():
        _defaults.per_test_setup()
        yield Kit(kit_client)
