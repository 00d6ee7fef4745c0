"""Run a flow written once as a generator of requests, with a sync or an async test client.

A flow yields :class:`Request` objects and receives the responses; what it does between
requests (parsing, the ORM) runs synchronously. With an ``AsyncClient`` those parts run through
``sync_to_async``, so one flow serves both clients.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Request:
    """A request a flow wants made: ``client.<method>(path, data, headers=headers)``."""

    method: str
    path: str
    data: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ClientCall:
    """A client method a flow wants called, such as ``force_login``; async clients get ``a<name>``."""

    name: str
    args: tuple[Any, ...] = ()


Steps = Generator["Request | ClientCall", Any, T]


def is_async_client(client: Any) -> bool:
    """Whether ``client``'s requests are coroutines (Django's ``AsyncClient`` and subclasses)."""
    return inspect.iscoroutinefunction(getattr(client, "get", None))


def _request_args(step: Request) -> tuple[tuple[Any, ...], dict[str, Any]]:
    args = (step.path,) if step.data is None else (step.path, step.data)
    return args, ({"headers": step.headers} if step.headers else {})


def _advance(steps: Steps[T], value: Any) -> tuple[bool, Any]:
    # StopIteration must not cross sync_to_async, so the end of the flow becomes a flag.
    try:
        return False, steps.send(value)
    except StopIteration as stop:
        return True, stop.value


def run_sync(client: Any, steps: Steps[T]) -> T:
    try:
        done, step = _advance(steps, None)
        while not done:
            if isinstance(step, ClientCall):
                value = getattr(client, step.name)(*step.args)
            else:
                args, kwargs = _request_args(step)
                value = getattr(client, step.method)(*args, **kwargs)
            done, step = _advance(steps, value)
        return step  # type: ignore[no-any-return]
    finally:
        # A request that raised leaves the flow suspended; closing it runs its cleanups now.
        steps.close()


async def run_async(client: Any, steps: Steps[T]) -> T:
    from asgiref.sync import sync_to_async

    advance = sync_to_async(_advance)
    try:
        done, step = await advance(steps, None)
        while not done:
            if isinstance(step, ClientCall):
                value = await getattr(client, f"a{step.name}")(*step.args)
            else:
                args, kwargs = _request_args(step)
                value = await getattr(client, step.method)(*args, **kwargs)
            done, step = await advance(steps, value)
        return step  # type: ignore[no-any-return]
    finally:
        steps.close()


def run(client: Any, make_steps: Callable[[], Steps[T]]) -> Any:
    """The flow's result with a sync client; an awaitable of it with an async client."""
    if is_async_client(client):
        return run_async(client, make_steps())
    return run_sync(client, make_steps())
