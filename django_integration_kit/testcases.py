"""``IntegrationTestCase`` and ``IntegrationTransactionTestCase``: Django's test cases with the kit."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.test import SimpleTestCase, TestCase, TransactionTestCase

from django_integration_kit import _defaults, _frames, _report, conf
from django_integration_kit.client import AsyncKitClient, KitClient, set_enforce_csrf
from django_integration_kit.kit import KitMethods

_frames.hide(globals())


def _telling(assertion: Callable[..., Any]) -> Callable[..., Any]:
    """``assertion`` (a method of Django's ``SimpleTestCase`` taking a response), with the
    response's story added to its failure."""

    @functools.wraps(assertion)
    def telling(self: SimpleTestCase, response: Any = None, *args: Any, **kwargs: Any) -> Any:
        if response is None or isinstance(response, str):
            # assertTemplateUsed as a context manager checks at its exit, with no response.
            return assertion(self, response, *args, **kwargs)
        try:
            return assertion(self, response, *args, **kwargs)
        except AssertionError as error:
            raise AssertionError(_report.assertion_story(str(error), response)) from None

    return telling


class _KitChecks(KitMethods, SimpleTestCase):
    """The kit's helpers as methods, and what every kit test case checks: Django's response
    assertions whose failures also tell the response's story (the client's requests up to it,
    its form errors, what was submitted, secrets masked, and the page), and a blocked network
    call the test's code caught and went on from.

    Django's message stays first. A passing assertion only pays for a ``try``.
    """

    client: Any

    assertRedirects = _telling(SimpleTestCase.assertRedirects)
    assertContains = _telling(SimpleTestCase.assertContains)
    assertNotContains = _telling(SimpleTestCase.assertNotContains)
    assertTemplateUsed = _telling(SimpleTestCase.assertTemplateUsed)

    def assertFormError(self, form: Any, *args: Any, **kwargs: Any) -> None:
        try:
            super().assertFormError(form, *args, **kwargs)
        except AssertionError as error:
            story = _report.assertion_story(str(error), client=self.client, form=form)
            raise AssertionError(story) from None

    def _callTearDown(self) -> None:
        super()._callTearDown()  # type: ignore[misc]
        # Here rather than in _post_teardown, which unittest files as an error, not a failure.
        # A blocked call the test failed with reached unittest's runner, so it is not repeated.
        _defaults.per_test_teardown(type(self))


class _KitTestMixin(_KitChecks):
    client_class: Any = KitClient
    async_client_class: Any = AsyncKitClient

    @classmethod
    def setUpClass(cls) -> None:
        cls.addClassCleanup(_defaults.switch_on(cls), None)
        super().setUpClass()

    @classmethod
    def _pre_setup(cls) -> None:
        super()._pre_setup()  # type: ignore[misc]
        enforce = bool(conf.get_setting("ENFORCE_CSRF", cls))
        for client in (cls.client, getattr(cls, "async_client", None)):
            if client is not None:
                client.kit_owner = cls
                set_enforce_csrf(client, enforce)
        _defaults.per_test_setup(cls)

    client: Any


class IntegrationTestCase(_KitTestMixin, TestCase):
    """``django.test.TestCase`` with the kit's client, helpers and safe, fast defaults."""


class IntegrationTransactionTestCase(_KitTestMixin, TransactionTestCase):
    """``django.test.TransactionTestCase`` with the kit: for code that commits for real."""
