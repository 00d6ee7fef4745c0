"""Stand-ins for the world outside the test: HTTP APIs, the clock, mail and the network."""

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
