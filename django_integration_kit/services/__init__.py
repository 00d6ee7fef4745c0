"""Stand-ins for the world outside the test: HTTP APIs, the clock, mail and the network.

Each name is imported from its module when first used, as in the package itself.
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING

from django_integration_kit._lazy import lazy_names as _lazy_names

if _TYPE_CHECKING:
    from django_integration_kit.services.http import UnmatchedRequestError, mock_http
    from django_integration_kit.services.mail import Outbox, capture_emails
    from django_integration_kit.services.network import (
        NetworkBlockedError,
        allow_network,
        block_network,
    )
    from django_integration_kit.services.time import Clock, frozen_time

__all__ = [
    "Clock",
    "NetworkBlockedError",
    "Outbox",
    "UnmatchedRequestError",
    "allow_network",
    "block_network",
    "capture_emails",
    "frozen_time",
    "mock_http",
]

_MODULES = {
    "Clock": "django_integration_kit.services.time",
    "NetworkBlockedError": "django_integration_kit.services.network",
    "Outbox": "django_integration_kit.services.mail",
    "UnmatchedRequestError": "django_integration_kit.services.http",
    "allow_network": "django_integration_kit.services.network",
    "block_network": "django_integration_kit.services.network",
    "capture_emails": "django_integration_kit.services.mail",
    "frozen_time": "django_integration_kit.services.time",
    "mock_http": "django_integration_kit.services.http",
}


__getattr__, __dir__ = _lazy_names(globals(), _MODULES)
