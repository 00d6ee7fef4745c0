"""Run a flow written once as a generator of steps, with any driver: a sync or an async test
client, or a browser.

A flow yields steps (:class:`Request`, :class:`Submit`, :class:`ClientCall`,
:class:`SessionUser`) and receives their answers; what it does between steps (parsing, the ORM)
runs synchronously. With an ``AsyncClient`` those parts run through ``sync_to_async``, so one
flow serves every client. A driver that is not a Django test client (the browser's) answers
the steps itself through its ``kit_perform(step)`` method.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django_integration_kit import _frames, _report
from django_integration_kit.client import watch

_frames.hide(globals())

T = TypeVar("T")


@dataclass(frozen=True)
class Request:
    """A request a flow wants made: ``client.<method>(path, data, headers=headers)``.

    With ``csrf_header``, the request carries the CSRF cookie's value in Django's CSRF header,
    as a page's JavaScript would.
    """

    method: str
    path: str
    data: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    csrf_header: bool = False


@dataclass(frozen=True)
class Submit:
    """A form a flow wants submitted: a test client sends ``request`` (what a browser would
    send); a browser types ``data`` into the form and clicks ``button``."""

    request: Request
    form: Any
    data: Mapping[str, Any]
    payload: Mapping[str, Any]
    button: Any = None
    flow: str = "submit_form"
    given_secrets: tuple[str, ...] = ()

    @property
    def secrets(self) -> list[str]:
        """What a message about this submission must mask: the given secrets, and the values
        typed into password fields or fields named as secrets. Worked out only for a message."""
        found = [*self.given_secrets, *_report.form_secrets(self.payload, [self.form])]
        return list(dict.fromkeys(found))


@dataclass(frozen=True)
class ClientCall:
    """A client method a flow wants called, such as ``force_login``; async clients get ``a<name>``."""

    name: str
    args: tuple[Any, ...] = ()


@dataclass(frozen=True)
class SessionUser:
    """Ask for the id (a string) of the user logged in to the driver's session, or None.

    ``response`` is the latest answer, whose request's session may already hold it.
    """

    response: Any = None


Step = Request | Submit | ClientCall | SessionUser
Steps = Generator[Step, Any, T]


def is_async_client(client: Any) -> bool:
    """Whether ``client``'s requests are coroutines (Django's ``AsyncClient`` and subclasses)."""
    return inspect.iscoroutinefunction(getattr(client, "get", None))


def session_user_id(client: Any, response: Any = None) -> str | None:
    """The id of the user logged in to a test client's session, or None; read from the session
    ``response``'s request already loaded where it can, so it costs no query."""
    from django.conf import settings
    from django.contrib.auth import SESSION_KEY

    request = getattr(response, "wsgi_request", None) or getattr(response, "asgi_request", None)
    session = getattr(request, "session", None)
    if session is not None:
        user_id = session.get(SESSION_KEY)
        return None if user_id is None else str(user_id)
    # Reading client.session would create a session; read the store behind the cookie instead.
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return stored_user_id(cookie.value if cookie is not None else None)


def stored_user_id(session_key: str | None) -> str | None:
    """The id of the user logged in to the stored session ``session_key``, or None."""
    if not session_key:
        return None
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import SESSION_KEY

    user_id = import_module(settings.SESSION_ENGINE).SessionStore(session_key).get(SESSION_KEY)
    return None if user_id is None else str(user_id)


def csrf_header_name() -> str:
    """The HTTP header Django reads a CSRF token from, as a client sends it (``X-CSRFToken``)."""
    from django.conf import settings

    return settings.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-")


def _csrf_headers(client: Any) -> dict[str, str]:
    from django.conf import settings

    token = client.cookies.get(settings.CSRF_COOKIE_NAME)
    if token is None or not token.value:
        return {}
    return {csrf_header_name(): token.value}


def single(step: Step) -> Steps[Any]:
    """A flow of one step, answered with that step's answer."""
    return (yield step)


def _request_call(client: Any, step: Request) -> tuple[Any, tuple[Any, ...], dict[str, Any]]:
    headers = {**_csrf_headers(client), **step.headers} if step.csrf_header else step.headers
    args = (step.path,) if step.data is None else (step.path, step.data)
    return getattr(client, step.method), args, ({"headers": headers} if headers else {})


def _advance(steps: Steps[T], value: Any) -> tuple[bool, Any]:
    # StopIteration must not cross sync_to_async, so the end of the flow becomes a flag.
    try:
        return False, steps.send(value)
    except StopIteration as stop:
        return True, stop.value


def _perform_sync(client: Any, step: Step) -> Any:
    if isinstance(step, Submit):
        step = step.request
    if isinstance(step, Request):
        method, args, kwargs = _request_call(client, step)
        return method(*args, **kwargs)
    if isinstance(step, ClientCall):
        return getattr(client, step.name)(*step.args)
    return session_user_id(client, step.response)


def run_sync(client: Any, steps: Steps[T]) -> T:
    perform = getattr(client, "kit_perform", None)
    try:
        done, step = _advance(steps, None)
        while not done:
            value = perform(step) if perform is not None else _perform_sync(client, step)
            done, step = _advance(steps, value)
        return step  # type: ignore[no-any-return]
    finally:
        # A request that raised leaves the flow suspended; closing it runs its cleanups now.
        steps.close()


async def _perform_async(client: Any, step: Step) -> Any:
    from asgiref.sync import sync_to_async

    if isinstance(step, Submit):
        step = step.request
    if isinstance(step, Request):
        method, args, kwargs = _request_call(client, step)
        return await method(*args, **kwargs)
    if isinstance(step, ClientCall):
        return await getattr(client, f"a{step.name}")(*step.args)
    return await sync_to_async(session_user_id)(client, step.response)


async def run_async(client: Any, steps: Steps[T]) -> T:
    from asgiref.sync import sync_to_async

    advance = sync_to_async(_advance)
    try:
        with _report.masked_errors():
            done, step = await advance(steps, None)
            while not done:
                done, step = await advance(steps, await _perform_async(client, step))
            return step  # type: ignore[no-any-return]
    finally:
        steps.close()


def run(client: Any, make_steps: Callable[[], Steps[T]]) -> Any:
    """The flow's result with a sync client or a driver; an awaitable of it with an async client.

    The errors the flow raises are masked (:func:`_report.mask`), the client's cookies too.
    """
    watch(client)
    if is_async_client(client):
        return run_async(client, make_steps())
    with _report.masked_errors():
        return run_sync(client, make_steps())
