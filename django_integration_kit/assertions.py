"""Assertions about what a request did: forms, queries, messages."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import cache, wraps
from inspect import iscoroutinefunction
from typing import TYPE_CHECKING, Any, TypeVar

from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext, TestContextDecorator

from django_integration_kit import _frames, _report
from django_integration_kit.forms import submit_form

if TYPE_CHECKING:
    from types import TracebackType

_frames.hide(globals())

__all__ = [
    "assert_contains",
    "assert_form_error",
    "assert_max_queries",
    "assert_message",
    "assert_not_contains",
    "assert_redirects",
    "assert_template_used",
    "submit_form",
]

F = TypeVar("F", bound=Callable[..., Any])

# SQLite and PostgreSQL double a quote inside a literal, MySQL/MariaDB escape it with "\\".
_STRING = re.compile(r"'(?:[^'\\]|''|\\.)*'")
_NUMBER = re.compile(r"(?<![\w$.])-?\d+(?:\.\d+)?(?![\w$])")
_IN_LIST = re.compile(r"\bIN \(\s*\?(?:\s*,\s*\?)*\s*\)", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_N_PLUS_ONE_VERBS = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")
# Numbers of up to 6 digits (ids, limits, counts, 0/1 flags) are shown; longer ones may be
# a card number, a phone number or a numeric token.
_SMALL_DIGITS = 6


class assert_max_queries(TestContextDecorator):
    """Fail when more than ``n`` queries run on ``using`` in the block, listing them all.

    Repeats of one shape (the same SQL with other values) are marked as a likely N+1.
    ``with assert_max_queries(n) as queries`` gives Django's ``CaptureQueriesContext``.
    """

    def __init__(self, n: int, *, using: str = "default") -> None:
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"assert_max_queries() needs a whole number of queries, not {n!r}.")
        if n < 0:
            raise ValueError(f"assert_max_queries() needs a limit of 0 or more queries, got {n}.")
        super().__init__()
        self.n = n
        self.using = using
        # A stack, so the same instance can be entered again while it is active.
        self._captures: list[CaptureQueriesContext] = []

    def enable(self) -> CaptureQueriesContext:
        from django.db import connections

        capture = CaptureQueriesContext(connections[self.using])
        capture.__enter__()
        self._captures.append(capture)
        return capture

    def disable(self) -> None:
        capture = self._captures.pop()
        capture.__exit__(None, None, None)
        _check_count(self.n, self.using, [q["sql"] for q in capture.captured_queries])

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.disable()
        else:
            # The block's own error is the news; a query count on top would hide it.
            self._captures.pop().__exit__(exc_type, exc_value, traceback)

    def decorate_callable(self, func: F) -> F:
        if not iscoroutinefunction(func):
            return super().decorate_callable(func)

        from asgiref.sync import sync_to_async

        # Connections belong to threads: capture on the one where the ORM's async calls run.
        @wraps(func)
        async def inner(*args: Any, **kwargs: Any) -> Any:
            await sync_to_async(self.enable)()
            try:
                result = await func(*args, **kwargs)
            except BaseException:
                await sync_to_async(self._captures.pop().__exit__)(None, None, None)
                raise
            await sync_to_async(self.disable)()
            return result

        return inner  # type: ignore[return-value]


def _queries(count: int) -> str:
    return "1 query" if count == 1 else f"{count} queries"


def _sql_shape(sql: str) -> str:
    """``sql`` with its literal values replaced by ``?``: equal for the same query, other values."""
    shape = _STRING.sub("?", sql)
    shape = _NUMBER.sub("?", shape)
    shape = _SPACE.sub(" ", shape).strip()
    return _IN_LIST.sub("IN (...)", shape)


def _masked_sql(sql: str) -> str:
    """``sql`` as a failure shows it: its shape with small numbers kept (ids, limits, flags),
    while every string and long number, which may be a session key, a password hash or a
    token, is masked."""
    sql = _STRING.sub(f"'{_report.MASK}'", sql)
    return _NUMBER.sub(
        lambda match: match.group() if _is_small(match.group()) else _report.MASK, sql
    )


def _is_small(number: str) -> bool:
    return sum(character.isdigit() for character in number) <= _SMALL_DIGITS


def _number_ranges(numbers: list[int]) -> str:
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(
        f"{run[0]}-{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs
    )


def _query_report(n: int, using: str, queries: list[str]) -> str:
    """The failure message of :func:`assert_max_queries`: every query, numbered and marked."""
    shapes = [_sql_shape(sql) for sql in queries]
    counts = Counter(shapes)
    width = len(str(len(queries)))
    lines = [f"Expected at most {_queries(n)} on database {using!r}, but {len(queries)} ran:"]
    for number, (sql, shape) in enumerate(zip(queries, shapes, strict=True), start=1):
        lines.append(f"  {number:>{width}}. {_masked_sql(sql)}{_mark(shape, counts[shape])}")
    repeated = [shape for shape in counts if counts[shape] > 1 and _is_n_plus_one(shape)]
    for shape in repeated:
        numbers = [i for i, s in enumerate(shapes, start=1) if s == shape]
        lines.append(
            f"Likely N+1: queries {_number_ranges(numbers)} run the same SQL with other "
            f"values: {shape}"
        )
    if repeated:
        lines.append(
            "Load the related rows up front with select_related() or prefetch_related() "
            "(or bulk_create()/update() for writes), or raise the limit if the queries are intended."
        )
    else:
        lines.append(f"Remove queries, or raise the limit to {len(queries)} if they are intended.")
    return _report.mask("\n".join(lines))


def _mark(shape: str, count: int) -> str:
    if count == 1:
        return ""
    return (
        f"  [repeated {count}x: likely N+1]" if _is_n_plus_one(shape) else f"  [repeated {count}x]"
    )


def _is_n_plus_one(shape: str) -> bool:
    return shape.lstrip("(").upper().startswith(_N_PLUS_ONE_VERBS)


def _check_count(n: int, using: str, queries: list[str]) -> None:
    if len(queries) > n:
        raise AssertionError(_query_report(n, using, queries))


def assert_message(response: Any, text: str, level: int | str | None = None) -> None:
    """Assert that the messages framework stored a message containing ``text`` (at ``level``).

    Reads the messages a response's request stored or showed, without consuming them for the
    pages the client requests next; works on a redirect and on a followed response alike.
    """
    wanted = None if level is None else _level_number(level)
    stored = _stored_messages(response)
    for message in stored:
        if text in str(message) and (wanted is None or message.level == wanted):
            return
    kind = "" if wanted is None else f"{_level_name(wanted)} "
    title = f"No {kind}message containing {text!r} was stored"
    if not stored:
        raise AssertionError(
            f"{title}; no messages were stored at all. Check that the view adds the message "
            "to this request, or to one it redirected from."
        )
    lines = [f"{title}. Messages stored:"]
    lines.extend(f"  {_level_name(message.level)}: {message}" for message in stored)
    raise AssertionError("\n".join(lines))


def _stored_messages(response: Any) -> list[Any]:
    context = getattr(response, "context", None)
    if context is not None:
        try:
            return list(context["messages"])
        except KeyError:
            pass
    request = getattr(response, "wsgi_request", None) or getattr(response, "asgi_request", None)
    storage = getattr(request, "_messages", None)
    if storage is not None:
        # The response is done, so reading the request's storage changes no cookie or session.
        return list(storage)
    client = getattr(response, "client", None)
    if client is not None:
        return _client_messages(client)
    raise TypeError(
        "assert_message() needs a response from a Django test client, "
        f"not {type(response).__name__}."
    )


def _client_messages(client: Any) -> list[Any]:
    """The messages waiting in ``client``'s cookies and session, read without consuming them."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.messages.storage import default_storage
    from django.http import HttpRequest

    request = HttpRequest()
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    session_cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    engine = import_module(settings.SESSION_ENGINE)
    request.session = engine.SessionStore(session_cookie.value if session_cookie else None)
    # Never calling storage.update() keeps the client's cookie and session as they are.
    return list(default_storage(request))


def _level_names() -> dict[str, int]:
    from django.contrib.messages import constants
    from django.contrib.messages.utils import get_level_tags

    names = {name.lower(): number for name, number in constants.DEFAULT_LEVELS.items()}
    names.update({tag.lower(): number for number, tag in get_level_tags().items() if tag})
    return names


def _level_number(level: int | str) -> int:
    if isinstance(level, int) and not isinstance(level, bool):
        return level
    names = _level_names()
    if isinstance(level, str) and level.lower() in names:
        return names[level.lower()]
    raise ValueError(
        f"Unknown message level {level!r}; use a constant like messages.SUCCESS or one of: "
        f"{', '.join(sorted(names))}."
    )


def _level_name(number: int) -> str:
    from django.contrib.messages import constants
    from django.contrib.messages.utils import get_level_tags

    for name, value in constants.DEFAULT_LEVELS.items():
        if value == number:
            return name
    return get_level_tags().get(number, "").upper() or f"LEVEL {number}"


# Django's response assertions, telling the story of the response when they fail


@cache
def _django() -> SimpleTestCase:
    # Django's assertions are TestCase methods; one case, never run, lends them to functions.
    return SimpleTestCase("run")


def assert_redirects(
    response: Any,
    expected_url: str,
    status_code: int = 302,
    target_status_code: int = 200,
    msg_prefix: str = "",
    fetch_redirect_response: bool = True,
) -> None:
    """Django's ``assertRedirects``; its failure also tells the response's story: the requests
    that led to it, the form errors, what was submitted (secrets masked) and the page."""
    try:
        _django().assertRedirects(
            response,
            expected_url,
            status_code,
            target_status_code,
            msg_prefix,
            fetch_redirect_response,
        )
    except AssertionError as error:
        raise AssertionError(_report.assertion_story(str(error), response)) from None


def assert_contains(
    response: Any,
    text: Any,
    count: int | None = None,
    status_code: int = 200,
    msg_prefix: str = "",
    html: bool = False,
) -> None:
    """Django's ``assertContains``, telling the response's story when it fails."""
    try:
        _django().assertContains(response, text, count, status_code, msg_prefix, html)
    except AssertionError as error:
        raise AssertionError(_report.assertion_story(str(error), response)) from None


def assert_not_contains(
    response: Any, text: Any, status_code: int = 200, msg_prefix: str = "", html: bool = False
) -> None:
    """Django's ``assertNotContains``, telling the response's story when it fails."""
    try:
        _django().assertNotContains(response, text, status_code, msg_prefix, html)
    except AssertionError as error:
        raise AssertionError(_report.assertion_story(str(error), response)) from None


def assert_template_used(
    response: Any, template_name: str, msg_prefix: str = "", count: int | None = None
) -> None:
    """Django's ``assertTemplateUsed`` on a response, telling its story when it fails."""
    try:
        _django().assertTemplateUsed(response, template_name, msg_prefix, count)
    except AssertionError as error:
        raise AssertionError(_report.assertion_story(str(error), response)) from None


def assert_form_error(
    form: Any,
    field: str | None,
    errors: list[str] | str,
    msg_prefix: str = "",
    *,
    client: Any = None,
) -> None:
    """Django's ``assertFormError``; its failure also lists the form's errors by field, what was
    submitted (secrets masked) and, given the ``client``, its requests and last page."""
    try:
        _django().assertFormError(form, field, errors, msg_prefix)
    except AssertionError as error:
        raise AssertionError(
            _report.assertion_story(str(error), client=client, form=form)
        ) from None
