"""``mock_http``: outside HTTP APIs answered by requests-mock, strictly."""

from __future__ import annotations

import sys
from collections.abc import Hashable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from django.test.utils import TestContextDecorator

from django_integration_kit import _frames

if TYPE_CHECKING:
    import requests_mock

_frames.hide(globals())

__all__ = ["UnmatchedRequestError", "mock_http"]

_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


class UnmatchedRequestError(AssertionError):
    """A request inside :func:`mock_http` matched no registered route.

    An ``AssertionError``, not a ``requests`` exception: code that survives API failures
    (``except requests.RequestException``) must not turn a missing mock into a passing test.
    Caught inside the block all the same (``except Exception``), it fails the block at exit;
    one that a view let out to Django's request handler (which the test client raises in the
    test) does not.
    """


class mock_http(TestContextDecorator):
    """Answer ``requests`` calls from registered routes; yields a ``requests_mock.Mocker``.

    Matching is case-sensitive; ``json=`` routes answer with ``Content-Type: application/json``
    unless their headers name a Content-Type; an unmatched request raises
    :class:`UnmatchedRequestError` at once; with ``strict``, a route never called fails the
    block at exit, unless the block (or the decorated test) failed with an error of its own.
    A route is registered once per block: pass a list of responses for several calls. Works as
    a ``with`` block and as a function or ``TestCase`` class decorator (``kwarg_name`` /
    ``attr_name`` hand over the mocker); blocks nest, inner routes first.
    """

    def __init__(
        self, *, strict: bool = True, attr_name: str | None = None, kwarg_name: str | None = None
    ) -> None:
        super().__init__(attr_name=attr_name, kwarg_name=kwarg_name)
        self.strict = strict
        self._mockers: list[tuple[requests_mock.Mocker, Any]] = []

    def enable(self) -> requests_mock.Mocker:
        import requests_mock

        parent = _active[-1] if _active else None
        adapter = _adapter_class()(parent)
        # Nested blocks hand what they do not match to the enclosing block's routes.
        mocker = requests_mock.Mocker(
            adapter=adapter, case_sensitive=True, real_http=parent is not None
        )
        mocker.start()
        _active.append(adapter)
        self._mockers.append((mocker, adapter))
        return mocker

    def disable(self) -> None:
        self._finish(failed=False)

    def __enter__(self) -> requests_mock.Mocker:  # type: ignore[override]
        return self.enable()

    def __exit__(self, exc_type: object, exc_value: object, traceback: object) -> None:
        self._finish(failed=exc_type is not None)

    def _finish(self, *, failed: bool) -> None:
        """End the innermost active block; check its routes unless what it wrapped ``failed``
        (that failure says more than a route the code never got to call)."""
        mocker, adapter = self._mockers.pop()
        mocker.stop()
        _active.remove(adapter)
        if failed:
            return
        problems = adapter.swallowed_messages()
        if self.strict:
            problems += adapter.uncalled_messages()
        if problems:
            raise AssertionError("\n".join(problems))


# The adapters of the mock_http() blocks now active, innermost last.
_active: list[Any] = []


@cache
def _adapter_class() -> type:
    # requests and requests-mock load on first use, not when the kit is imported.
    from requests_mock.adapter import Adapter
    from requests_mock.exceptions import NoMockAddress

    class _KitAdapter(Adapter):
        def __init__(self, parent: Any) -> None:
            super().__init__(case_sensitive=True)
            self.parent = parent
            self.routes: list[tuple[str, Any]] = []
            self.keys: dict[Hashable, str] = {}
            # (request, error) for each unmatched request no one has seen fail yet.
            self.unmatched: list[tuple[str, UnmatchedRequestError]] = []

        def register_uri(
            self, method: Any, url: Any, response_list: Any = None, **kwargs: Any
        ) -> Any:
            key = _route_key(method, url, kwargs)
            route = _describe_route(method, url, kwargs)
            for response in [kwargs, *(response_list or [])]:
                if isinstance(response, Mapping):
                    _check_status_code(route, response.get("status_code", 200))
            if key in self.keys:
                raise ValueError(
                    f"{route} is already mocked in this mock_http() block. Register a route "
                    "once; to answer several calls differently, give it a list of responses: "
                    "http.get(url, [{'json': ...}, {'status_code': 503}])."
                )
            if response_list:
                response_list = [_with_json_content_type(r) for r in response_list]
            else:
                kwargs = _with_json_content_type(kwargs)
            matcher = super().register_uri(method, url, response_list, **kwargs)
            self.keys[key] = route
            self.routes.append((route, matcher))
            return matcher

        def send(self, request: Any, **kwargs: Any) -> Any:  # type: ignore[override]
            try:
                return super().send(request, **kwargs)
            except NoMockAddress:
                if self.parent is not None:
                    raise  # the enclosing block's routes get their turn
            request_line = f"{request.method} {_mask_url(request.url)}"
            error = UnmatchedRequestError(_unmatched_message(request.method, request.url))
            for adapter in _active:
                adapter.unmatched.append((request_line, error))
            raise error

        def swallowed_messages(self) -> list[str]:
            return [
                f"{line} matched no mocked route, and its UnmatchedRequestError was caught "
                "inside the block. Register the route in the mock_http() block."
                for line, _ in self.unmatched
            ]

        def uncalled_messages(self) -> list[str]:
            uncalled = [route for route, matcher in self.routes if not matcher.called]
            if not uncalled:
                return []
            lines = "".join(f"\n  {route}" for route in uncalled)
            were = "route was" if len(uncalled) == 1 else "routes were"
            return [
                f"{len(uncalled)} mocked {were} never called:{lines}\n"
                "Remove what the code does not call, or use mock_http(strict=False) where "
                "a call is optional."
            ]

    from django.core.signals import got_request_exception

    got_request_exception.connect(_escaped_the_view, weak=False, dispatch_uid=__name__)
    return _KitAdapter


def _escaped_the_view(sender: Any, **kwargs: Any) -> None:
    """An UnmatchedRequestError that a view let out reached Django's request handler: the test
    client raises it in the test (or answers 500), so the code did not swallow it."""
    error = sys.exc_info()[1]
    if isinstance(error, UnmatchedRequestError):
        for adapter in _active:
            adapter.unmatched = [(line, e) for line, e in adapter.unmatched if e is not error]


def _check_status_code(route: str, status_code: object) -> None:
    # requests-mock answers a str status_code as it is: the code's "== 404" is then silently
    # false, and response.ok raises a TypeError far from the mock.
    if isinstance(status_code, bool) or not isinstance(status_code, int):
        hint = (
            f" Pass status_code={int(status_code)}."
            if isinstance(status_code, str) and status_code.isdigit()
            else ""
        )
        raise TypeError(
            f"The route {route} takes status_code= an int HTTP status such as 200 or 404, not "
            f"{type(status_code).__name__} {status_code!r}.{hint}"
        )
    if not 100 <= status_code <= 599:
        raise ValueError(
            f"The route {route} takes status_code= an HTTP status from 100 to 599, not "
            f"{status_code}."
        )


def _with_json_content_type(response: Mapping[str, Any]) -> dict[str, Any]:
    # Real clients (django-allauth's providers, for one) read the Content-Type to decide how
    # to parse a body; an API that answers JSON says so.
    response = dict(response)
    headers = response.get("headers") or {}
    if response.get("json") is not None and not any(
        str(name).lower() == "content-type" for name in headers
    ):
        response["headers"] = {**headers, "Content-Type": "application/json"}
    return response


def _route_key(method: Any, url: Any, options: Mapping[str, Any]) -> Hashable:
    method_key = method.upper() if isinstance(method, str) else ("ANY", id(method))
    if isinstance(url, str):
        parts = urlsplit(url)
        query = tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))
        url_key: Hashable = (
            parts.scheme.lower(),
            parts.netloc.lower(),
            parts.path or "/",
            query,
        )
    elif hasattr(url, "pattern"):
        url_key = ("regex", url.pattern, getattr(url, "flags", 0))
    else:
        url_key = ("other", id(url))
    headers = options.get("request_headers") or {}
    return (
        method_key,
        url_key,
        bool(options.get("complete_qs")),
        tuple(sorted((str(k).lower(), str(v)) for k, v in headers.items())),
        id(options.get("additional_matcher")),
    )


def _describe_route(method: Any, url: Any, options: Mapping[str, Any]) -> str:
    method_text = method.upper() if isinstance(method, str) else "ANY"
    if isinstance(url, str):
        url_text = _mask_url(url)
    elif hasattr(url, "pattern"):
        url_text = f"regex {url.pattern!r}"
    else:
        url_text = "any URL"
    notes = []
    if options.get("request_headers"):
        notes.append("headers " + ", ".join(options["request_headers"]))
    if options.get("complete_qs"):
        notes.append("complete query")
    if options.get("additional_matcher") is not None:
        notes.append("additional matcher")
    return f"{method_text} {url_text}" + (f" ({'; '.join(notes)})" if notes else "")


def _unmatched_message(method: str, url: str) -> str:
    masked = _mask_url(url)
    call = (
        f"http.{method.lower()}({masked!r}, json=...)"
        if method.upper() in _METHODS
        else f"http.register_uri({method!r}, {masked!r}, json=...)"
    )
    routes = [route for adapter in reversed(_active) for route, _ in adapter.routes]
    listing = (
        "Registered routes:" + "".join(f"\n  {route}" for route in routes)
        if routes
        else "No routes are registered."
    )
    return (
        f"{method} {masked} matches no route mocked by mock_http(). Register it in the "
        f"block, e.g. {call}.\n{listing}"
    )


def _mask_url(url: str) -> str:
    """``url`` as messages show it: the kit's masking rule (``_report.mask``)."""
    from django_integration_kit._report import mask

    return mask(url)
