"""Every helper of the kit bound to one client: the methods of the test cases and ``kit``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django_integration_kit import _frames, assertions, builders, crawl, flows, forms, pages
from django_integration_kit._urls import resolve_url
from django_integration_kit.services import http, mail
from django_integration_kit.services import time as clock

_frames.hide(globals())


class KitMethods:
    """The kit's helpers as methods on ``self.client``; mixed into the test cases."""

    client: Any

    @property
    def _driver(self) -> Any:
        # What the flows drive: the test client here, the browser in BrowserTestCase.
        return self.client

    @property
    def last_response(self) -> Any:
        """The latest response the client received."""
        return getattr(self._driver, "last_response", None)

    def url(self, target: str, *args: Any, **kwargs: Any) -> str:
        """The path of a URL name (strictly resolved) or a literal path."""
        return resolve_url(target, *args, **kwargs)

    def signup(self, *, url: str | None = None, **fields: Any) -> Any:
        """:func:`~django_integration_kit.signup` with this client: the new user."""
        return flows.signup(self._driver, url=url, **fields)

    def login(self, username: str, password: str, *, url: str | None = None) -> Any:
        """:func:`~django_integration_kit.login` with this client: the submission's response."""
        return flows.login(self._driver, username, password, url=url)

    def login_as(self, user: Any = None, **user_fields: Any) -> Any:
        """:func:`~django_integration_kit.login_as` with this client: the user."""
        return flows.login_as(self._driver, user, **user_fields)

    def logout(self) -> None:
        """:func:`~django_integration_kit.logout` with this client."""
        flows.logout(self._driver)

    def assert_login_required(
        self,
        target: str,
        *args: Any,
        method: str = "get",
        status: int | None = None,
        login_url: str | None = None,
        **kwargs: Any,
    ) -> None:
        """:func:`~django_integration_kit.assert_login_required` with this client."""
        flows.assert_login_required(
            self._driver,
            target,
            *args,
            method=method,
            status=status,
            login_url=login_url,
            **kwargs,
        )

    def submit_form(
        self,
        response: Any = None,
        selector: str | None = None,
        *,
        button: str | None = None,
        **data: Any,
    ) -> Any:
        """:func:`~django_integration_kit.submit_form` with this client; ``response`` defaults
        to :attr:`last_response`."""
        return forms.submit_form(self._driver, response, selector, button=button, **data)

    def follow(
        self,
        response: Any = None,
        *,
        text: str | re.Pattern[str] | None = None,
        selector: str | None = None,
        href: str | None = None,
    ) -> Any:
        """:func:`~django_integration_kit.follow` with this client; ``response`` defaults to
        :attr:`last_response`."""
        return pages.follow(self._driver, response, text=text, selector=selector, href=href)

    # They read a response, which needs no client.
    assert_html = staticmethod(pages.assert_html)
    texts_of = staticmethod(pages.texts_of)

    def assert_pages_ok(
        self,
        start: str | Sequence[str] = "/",
        *,
        max_pages: int = 200,
        exclude: Iterable[str | re.Pattern[str]] = (),
        max_queries: int | None = None,
    ) -> crawl.CrawlSummary:
        """:func:`~django_integration_kit.assert_pages_ok` as this client's user."""
        return crawl.assert_pages_ok(
            self._driver, start, max_pages=max_pages, exclude=exclude, max_queries=max_queries
        )

    # The builders need no client; static, so setUpTestData can call cls.make_user() too.
    make_user = staticmethod(builders.make_user)
    make = staticmethod(builders.make)
    prepare = staticmethod(builders.prepare)
    make_recipe = staticmethod(builders.make_recipe)
    load_fixture = staticmethod(builders.load_fixture)

    def assert_max_queries(
        self, n: int, *, using: str = "default"
    ) -> assertions.assert_max_queries:
        """:func:`~django_integration_kit.assert_max_queries`."""
        return assertions.assert_max_queries(n, using=using)

    def assert_message(self, response: Any, text: str, level: int | str | None = None) -> None:
        """:func:`~django_integration_kit.assert_message`."""
        assertions.assert_message(response, text, level)

    # Django's response assertions; the response names its client, so no binding is needed.
    assert_redirects = staticmethod(assertions.assert_redirects)
    assert_contains = staticmethod(assertions.assert_contains)
    assert_not_contains = staticmethod(assertions.assert_not_contains)
    assert_template_used = staticmethod(assertions.assert_template_used)

    def assert_form_error(
        self, form: Any, field: str | None, errors: list[str] | str, msg_prefix: str = ""
    ) -> None:
        """:func:`~django_integration_kit.assert_form_error`, with this client's requests in
        its failure."""
        assertions.assert_form_error(form, field, errors, msg_prefix, client=self.client)

    def capture_emails(self) -> mail.capture_emails:
        """:func:`~django_integration_kit.capture_emails`."""
        return mail.capture_emails()

    # Static, so setUpTestData can freeze the clock or mock an API too.
    @staticmethod
    def mock_http(*, strict: bool = True) -> http.mock_http:
        """:func:`~django_integration_kit.mock_http`."""
        return http.mock_http(strict=strict)

    @staticmethod
    def frozen_time(when: clock.When, *, tick: bool = False) -> clock.frozen_time:
        """:func:`~django_integration_kit.frozen_time`."""
        return clock.frozen_time(when, tick=tick)


class Kit(KitMethods):
    """The ``kit`` pytest fixture's type: every helper bound to ``client``."""

    def __init__(self, client: Any) -> None:
        self.client = client
