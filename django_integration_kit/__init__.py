"""Short, fast, trustworthy Django integration tests.

Importing the package imports nothing else, Django included: each name is imported from its
module when first used (PEP 562), so installing the kit costs nothing where it is not used.
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING

from django_integration_kit._lazy import lazy_names as _lazy_names

if _TYPE_CHECKING:
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
    from django_integration_kit.testcases import (
        IntegrationTestCase,
        IntegrationTransactionTestCase,
    )

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

# Where each public name lives, for __getattr__.
_MODULES = {
    "AsyncKitClient": "django_integration_kit.client",
    "Clock": "django_integration_kit.services.time",
    "CrawlSummary": "django_integration_kit.crawl",
    "Freezer": "django_integration_kit.services.time",
    "IntegrationTestCase": "django_integration_kit.testcases",
    "IntegrationTransactionTestCase": "django_integration_kit.testcases",
    "Kit": "django_integration_kit.kit",
    "KitClient": "django_integration_kit.client",
    "NetworkBlockedError": "django_integration_kit.services.network",
    "Outbox": "django_integration_kit.services.mail",
    "UnmatchedRequestError": "django_integration_kit.services.http",
    "add_formset_rows": "django_integration_kit.forms",
    "allow_network": "django_integration_kit.services.network",
    "assert_contains": "django_integration_kit.assertions",
    "assert_form_error": "django_integration_kit.assertions",
    "assert_html": "django_integration_kit.pages",
    "assert_login_required": "django_integration_kit.flows",
    "assert_max_queries": "django_integration_kit.assertions",
    "assert_message": "django_integration_kit.assertions",
    "assert_not_contains": "django_integration_kit.assertions",
    "assert_pages_ok": "django_integration_kit.crawl",
    "assert_redirects": "django_integration_kit.assertions",
    "assert_template_used": "django_integration_kit.assertions",
    "block_network": "django_integration_kit.services.network",
    "capture_emails": "django_integration_kit.services.mail",
    "follow": "django_integration_kit.pages",
    "frozen_time": "django_integration_kit.services.time",
    "load_fixture": "django_integration_kit.builders",
    "login": "django_integration_kit.flows",
    "login_as": "django_integration_kit.flows",
    "logout": "django_integration_kit.flows",
    "make": "django_integration_kit.builders",
    "make_recipe": "django_integration_kit.builders",
    "make_user": "django_integration_kit.builders",
    "mock_http": "django_integration_kit.services.http",
    "prepare": "django_integration_kit.builders",
    "signup": "django_integration_kit.flows",
    "submit_form": "django_integration_kit.assertions",
    "texts_of": "django_integration_kit.pages",
}


__getattr__, __dir__ = _lazy_names(globals(), _MODULES)
