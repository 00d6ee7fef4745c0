"""``IntegrationTestCase`` and ``IntegrationTransactionTestCase``: Django's test cases with the kit."""

from __future__ import annotations

import functools
import types
import unittest
from collections.abc import Callable
from typing import Any, TypeVar

from django.test import SimpleTestCase, TestCase, TransactionTestCase

from django_integration_kit import _defaults, _frames, _report
from django_integration_kit.client import AsyncKitClient, KitClient, release
from django_integration_kit.kit import KitMethods
from django_integration_kit.services import network

_frames.hide(globals())

_Case = TypeVar("_Case", bound=type)


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


# The module whose tests the run is in, while the network guards stay in place between its
# kit test classes (letting every call through between them). Putting all sixteen in and taking
# them out again cost a class of ten small tests ~0.5% (benchmarks/results.md, section 9).
_guarded_module: list[str | None] = [None]


def _keep_guards_while_in(module: str) -> None:
    """Keep the network guards in place until the run leaves ``module`` (unittest's module
    cleanups: run when the next test is another module's, and at the end of the run)."""
    if _guarded_module[0] != module:
        _guarded_module[0] = module
        unittest.addModuleCleanup(_release_guards)


def _release_guards() -> None:
    _guarded_module[0] = None
    network.release_guards()


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
        _keep_guards_while_in(cls.__module__)
        cls.addClassCleanup(_defaults.switch_on(cls, keep_guards=True), None)
        super().setUpClass()

    @classmethod
    def _pre_setup(cls) -> None:
        super()._pre_setup()  # type: ignore[misc]
        client, async_client = cls.client, cls.async_client
        client.kit_owner = async_client.kit_owner = cls
        _defaults.per_test_setup(cls, (client, async_client))

    def _post_teardown(self) -> None:
        release(self.client, self.async_client)
        super()._post_teardown()  # type: ignore[misc]

    client: Any
    async_client: Any


def _flattened(case: _Case) -> _Case:
    """``case`` rebuilt on its Django test case alone, the kit's members in its own ``__dict__``.

    Django's ``_pre_setup()`` sets ``cls.client`` before every test, and Python then looks each
    name up again through the class's whole MRO: the three kit classes in it cost every test
    ~21 k instructions (benchmarks/results.md, section 9). A zero-argument ``super()`` in them
    starts after the rebuilt class, as it did after theirs.
    """
    django_case = case.__bases__[-1]
    namespace: dict[str, Any] = {}
    for klass in reversed(case.__mro__[: case.__mro__.index(django_case)]):
        namespace.update(vars(klass))
    del namespace["__dict__"], namespace["__weakref__"]
    cell = types.CellType()
    namespace = {name: _rebound(member, cell) for name, member in namespace.items()}
    cell.cell_contents = flat = type(case)(case.__name__, (django_case,), namespace)
    return flat


def _rebound(member: Any, cell: types.CellType) -> Any:
    """``member`` with the class its zero-argument ``super()`` refers to taken from ``cell``."""
    if isinstance(member, (classmethod, staticmethod)):
        return type(member)(_rebound(member.__func__, cell))
    if (
        not isinstance(member, types.FunctionType)
        or "__class__" not in member.__code__.co_freevars
    ):
        return member
    closure = list(member.__closure__ or ())
    closure[member.__code__.co_freevars.index("__class__")] = cell
    rebound = types.FunctionType(
        member.__code__, member.__globals__, member.__name__, member.__defaults__, tuple(closure)
    )
    rebound.__kwdefaults__ = member.__kwdefaults__
    return functools.update_wrapper(rebound, member)


@_flattened
class IntegrationTestCase(_KitTestMixin, TestCase):
    """``django.test.TestCase`` with the kit's client, helpers and safe, fast defaults."""


@_flattened
class IntegrationTransactionTestCase(_KitTestMixin, TransactionTestCase):
    """``django.test.TransactionTestCase`` with the kit: for code that commits for real."""
