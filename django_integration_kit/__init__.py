"""Short, fast, trustworthy Django integration tests."""

from django_integration_kit.assertions import (
    assert_contains,
    assert_form_error,
    assert_max_queries,
    assert_message,
    assert_not_contains,
    assert_redirects,
    assert_template_used,
    submit_form,
)
from django_integration_kit.builders import load_fixture, make, make_recipe, make_user, prepare
from django_integration_kit.client import AsyncKitClient, KitClient
from django_integration_kit.crawl import CrawlSummary, assert_pages_ok
from django_integration_kit.flows import (
    assert_login_required,
    login,
    login_as,
    logout,
    signup,
)
from django_integration_kit.forms import add_formset_rows
from django_integration_kit.kit import Kit
from django_integration_kit.pages import assert_html, follow, texts_of
from django_integration_kit.services.http import UnmatchedRequestError, mock_http
from django_integration_kit.services.mail import Outbox, capture_emails
from django_integration_kit.services.network import (
    NetworkBlockedError,
    allow_network,
    block_network,
)
from django_integration_kit.services.time import Clock, Freezer, frozen_time
from django_integration_kit.testcases import IntegrationTestCase, IntegrationTransactionTestCase

__all__ = [
    "AsyncKitClient",
    "Clock",
    "CrawlSummary",
    "Freezer",
    "IntegrationTestCase",
    "IntegrationTransactionTestCase",
    "Kit",
    "KitClient",
    "NetworkBlockedError",
    "Outbox",
    "UnmatchedRequestError",
    "add_formset_rows",
    "allow_network",
    "assert_contains",
    "assert_form_error",
    "assert_html",
    "assert_login_required",
    "assert_max_queries",
    "assert_message",
    "assert_not_contains",
    "assert_pages_ok",
    "assert_redirects",
    "assert_template_used",
    "block_network",
    "capture_emails",
    "follow",
    "frozen_time",
    "load_fixture",
    "login",
    "login_as",
    "logout",
    "make",
    "make_recipe",
    "make_user",
    "mock_http",
    "prepare",
    "signup",
    "submit_form",
    "texts_of",
]
