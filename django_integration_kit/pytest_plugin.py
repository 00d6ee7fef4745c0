"""pytest fixtures for the kit, on top of pytest-django: ``kit``, ``kit_client``, ``http_mock``,
``frozen`` and ``emails``.

Registered by the ``pytest11`` entry point. Tests that use none of these fixtures run exactly
as they would without the kit: loading the plugin imports no Django (nor the kit's services),
each fixture imports what it needs when a test asks for it.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Generator, Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import pytest

from django_integration_kit import _frames, _xdist_db

if TYPE_CHECKING:
    from django_integration_kit.client import KitClient
    from django_integration_kit.kit import Kit
    from django_integration_kit.services.mail import Outbox
    from django_integration_kit.services.time import Clock, Freezer

_frames.hide(globals())

__all__ = ["Freezer", "Kit", "emails", "frozen", "http_mock", "kit", "kit_client"]


def __getattr__(name: str) -> object:
    # The fixtures' types, importable from here as before, without importing Django up front.
    if name in ("Freezer", "Kit"):
        from django_integration_kit import Freezer, Kit

        return {"Freezer": Freezer, "Kit": Kit}[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@pytest.fixture
def kit_client(request: pytest.FixtureRequest) -> KitClient:
    """The kit's test client alone: Django's client with a request history (the ``kit``
    fixture's, in a test that asks for both)."""
    if "kit" in request.fixturenames:
        kit: Kit = request.getfixturevalue("kit")
        client: KitClient = kit.client
        return client
    from django_integration_kit.client import KitClient

    return KitClient()


@pytest.fixture
def kit(db: None) -> Iterator[Kit]:
    """Every helper of the kit bound to a fresh kit client, with database access and safe
    defaults.

    Ask for ``transactional_db`` beside it for code that commits for real.
    """
    from django_integration_kit import _defaults
    from django_integration_kit.client import KitClient, release
    from django_integration_kit.kit import Kit

    # ``db`` is a parameter, not a getfixturevalue() call: pytest-django decides at collection
    # which test databases to create, from the fixtures each test names. The client is not
    # ``kit_client``'s: a fixture more, or ``request``, costs each test more than all the kit's
    # defaults (benchmarks/results.md, section 9); ``kit_client`` takes this one instead.
    client = KitClient()
    switch_off = _defaults.switch_on(keep_guards=True)
    try:
        _defaults.per_test_setup(clients=(client,))
        yield Kit(client)
    finally:
        release(client)
        switch_off(None)


# The kit fixture leaves the network guards installed between its tests: installing them costs
# more than a small test. Any other test, and whatever runs after the session, gets the socket
# module as it was. Only a session that imported the guards can have kept them.
_NETWORK = "django_integration_kit.services.network"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    network = sys.modules.get(_NETWORK)
    if network is not None and "kit" not in getattr(item, "fixturenames", ()):
        network.release_guards()


def pytest_unconfigure(config: pytest.Config) -> None:
    network = sys.modules.get(_NETWORK)
    if network is not None:
        network.release_guards()


# The report of each test's call phase, for fixtures whose teardown depends on how it went:
# kept by a hook registered when the first such fixture is set up, so that a session which
# uses none pays nothing for it in every test.
_CALL_REPORT = pytest.StashKey[pytest.TestReport]()
_CALL_REPORTS = "django_integration_kit.call_reports"

NO_PYTEST_DJANGO = (
    "The kit fixture needs pytest-django, for its database access: pip install pytest-django "
    "and set DJANGO_SETTINGS_MODULE (in pytest's configuration, or with --ds). It is not "
    "installed, or disabled with -p no:django."
)


class _CallReports:
    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        if report.when == "call":
            item.stash[_CALL_REPORT] = report
        return report


def _keep_call_reports(config: pytest.Config) -> None:
    # A fixture's set-up comes before its test's call phase, whose report the hook then sees.
    if not config.pluginmanager.has_plugin(_CALL_REPORTS):
        config.pluginmanager.register(_CallReports(), _CALL_REPORTS)


def pytest_addoption(parser: pytest.Parser) -> None:
    _xdist_db.addoption(parser)


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.hasplugin("django"):
        config.pluginmanager.register(_WithoutPytestDjango(), "django_integration_kit.no_django")
    # --kit-clone-db: one migrated template, a clone per xdist worker (off unless asked for).
    _xdist_db.configure(config)


class _WithoutPytestDjango:
    """Stands in for pytest-django's ``db`` fixture where pytest-django is missing, so the
    ``kit`` fixture says what to install instead of "fixture 'db' not found"."""

    @pytest.fixture
    def db(self) -> None:
        pytest.fail(NO_PYTEST_DJANGO, pytrace=False)


@pytest.fixture
def http_mock(request: pytest.FixtureRequest) -> Iterator[Any]:
    """``mock_http()`` entered for the test: a strict ``requests_mock.Mocker``."""
    from django_integration_kit.services.http import mock_http

    _keep_call_reports(request.config)
    block = mock_http()
    mocker = block.enable()
    try:
        yield mocker
    finally:
        # A test that failed (or never ran) says more than a route it never got to call.
        report = request.node.stash.get(_CALL_REPORT, None)
        block._finish(failed=report is None or not report.passed)


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
