"""``IntegrationTestCase`` and ``IntegrationTransactionTestCase``: Django's test cases with the kit."""

from __future__ import annotations

from typing import Any

from django.test import TestCase, TransactionTestCase

from django_integration_kit import _defaults, conf
from django_integration_kit.client import AsyncKitClient, KitClient, set_enforce_csrf
from django_integration_kit.kit import KitMethods


class _KitTestMixin(KitMethods):
    client_class: Any = KitClient
    async_client_class: Any = AsyncKitClient

    @classmethod
    def setUpClass(cls) -> None:
        defaults = _defaults.kit_defaults(cls)
        defaults.__enter__()
        cls.addClassCleanup(defaults.__exit__, None, None, None)  # type: ignore[attr-defined]
        super().setUpClass()  # type: ignore[misc]

    @classmethod
    def _pre_setup(cls) -> None:
        super()._pre_setup()  # type: ignore[misc]
        for client in (cls.client, getattr(cls, "async_client", None)):
            if client is not None:
                client.kit_owner = cls
                set_enforce_csrf(client, bool(conf.get_setting("ENFORCE_CSRF", cls)))
        _defaults.per_test_setup(cls)

    client: Any


class IntegrationTestCase(_KitTestMixin, TestCase):
    """``django.test.TestCase`` with the kit's client, helpers and safe, fast defaults."""


class IntegrationTransactionTestCase(_KitTestMixin, TransactionTestCase):
    """``django.test.TransactionTestCase`` with the kit: for code that commits for real."""
