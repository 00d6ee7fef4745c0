"""The kit's test client: Django's client that remembers what it did."""

from __future__ import annotations

import contextlib
import weakref
from collections import deque
from dataclasses import dataclass
from typing import Any

from django.test import AsyncClient, Client

from django_integration_kit import _frames

_frames.hide(globals())

HISTORY_SIZE = 20


@dataclass(frozen=True)
class Exchange:
    """One request the client made and the status it got back."""

    method: str
    path: str
    status_code: int
    location: str | None = None

    def __str__(self) -> str:
        arrow = f" -> {self.location}" if self.location else ""
        return f"{self.method} {self.path} {self.status_code}{arrow}"


def exchange_of(response: Any) -> Exchange:
    """Describe ``response`` (from any Django test client, sync or async) as an :class:`Exchange`."""
    recorded = getattr(response, "_kit_exchange", None)
    if isinstance(recorded, Exchange):
        return recorded
    exchange = _exchange(*_facts(response))
    # The flows, submit_form and the messages describe a response more than once; one that
    # takes no attributes is described each time.
    with contextlib.suppress(AttributeError):
        response._kit_exchange = exchange
    return exchange


def _facts(response: Any) -> tuple[Any, int, str | None]:
    """What an :class:`Exchange` of ``response`` is made from: its request (or, without one, its
    WSGI environ), its status and its redirect's ``Location``."""
    request = getattr(response, "wsgi_request", None) or getattr(response, "asgi_request", None)
    status = response.status_code
    return (
        request if request is not None else (getattr(response, "request", None) or {}),
        status,
        response.headers.get("Location") if 300 <= status < 400 else None,
    )


def _exchange(source: Any, status_code: int, location: str | None) -> Exchange:
    if isinstance(source, dict):
        query = source.get("QUERY_STRING", "")
        path = source.get("PATH_INFO", "?") + (f"?{query}" if query else "")
        method = source.get("REQUEST_METHOD", "GET")
    else:
        method, path = source.method or "GET", source.get_full_path()
    return Exchange(str(method).upper(), path, status_code, location)


# Clients whose cookies hold secrets (the session key, the CSRF secret) that every message
# must mask: the kit's clients, and any client a flow or form submission ran with. Plain weak
# references, pruned as they pile up: a WeakSet's add and its callback when the client goes
# cost more, and every test makes two clients.
_watched: list[weakref.ref[Any]] = []
_prune_at = 256


def watch(client: Any) -> None:
    """Mask the values of ``client``'s session and CSRF cookies in every message from now on."""
    global _prune_at
    try:
        _watched.append(weakref.ref(client))
    except TypeError:
        return  # It takes no weak reference (None, for one), so holds no cookies of ours.
    if len(_watched) >= _prune_at:
        _watched[:] = [weakref.ref(live) for live in watched()]
        _prune_at = max(256, 2 * len(_watched))


def watched() -> list[Any]:
    """The clients :func:`watch` was given that are still alive, each once."""
    # A client's plain weak reference is one object however often it is watched.
    alive = {id(ref): client for ref in _watched if (client := ref()) is not None}
    return list(alive.values())


class _HistoryMixin:
    kit_owner: object | None = None
    last_response: Any = None
    # What the Exchange of each response before the last is made from, newest last; made at
    # the second. Describing a response (its path escaped, a frozen dataclass) costs more than
    # the rest of recording it, and is only needed when something reads the history; the last
    # response is described from itself, so a test of one request records no facts at all.
    _answers: deque[tuple[Any, int, str | None]] | None = None

    @property
    def history(self) -> list[Exchange]:
        """The client's recent requests (up to ``HISTORY_SIZE``), oldest first."""
        history = [_exchange(*facts) for facts in self._answers or ()]
        last = self.last_response
        if last is not None:
            history.append(exchange_of(last))
        return history

    def _record(self, response: Any) -> Any:
        previous = self.last_response
        if previous is None:
            # From its first response on, its session and CSRF cookies are secrets every
            # message of the kit masks.
            watch(self)
        else:
            answers = self._answers
            if answers is None:
                answers = self._answers = deque(maxlen=HISTORY_SIZE - 1)
            answers.append(_facts(previous))
        self.last_response = response
        return response


class KitClient(_HistoryMixin, Client):
    """``django.test.Client`` that records its recent requests (``history``) and
    ``last_response``."""

    def request(self, **request: Any) -> Any:
        return self._record(super().request(**request))


class AsyncKitClient(_HistoryMixin, AsyncClient):
    """``django.test.AsyncClient`` that records its recent requests (``history``) and
    ``last_response``; it is built at its first use."""

    def __init__(self, enforce_csrf_checks: bool = False, *args: Any, **defaults: Any) -> None:
        # Django's test cases make an async client for every test, and most tests never use
        # it: building one (its handler, cookie jar, error stream) costs as much as a client.
        self._kit_pending = [enforce_csrf_checks, args, defaults]

    def __getattr__(self, name: str) -> Any:
        own = self.__dict__
        pending = own.get("_kit_pending")
        if pending is None or name.startswith("__"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        del own["_kit_pending"]
        # What the test set on the client before its first use stays set.
        assigned = dict(own)
        super().__init__(pending[0], *pending[1], **pending[2])
        own.update(assigned)
        return getattr(self, name)

    async def request(self, **request: Any) -> Any:
        return self._record(await super().request(**request))


def release(*clients: object) -> None:
    """Let go of each of ``clients``' last response and recorded requests at the end of its
    test."""
    # The response refers back to its client (Django's response.client): kept, the two, the
    # client's middleware chain and the request's objects wait for the garbage collector,
    # which then costs a small test more than the kit's client does. And Django's test cases
    # keep each class's last client as a class attribute for the rest of the run: with its
    # recorded requests (their sessions, users, URL matches), ~20 objects a class more to
    # carry and collect.
    for client in clients:
        own = getattr(client, "__dict__", None)
        # A client holds recorded requests only once it has had a response.
        if own is not None and "last_response" in own:
            del own["last_response"]
            own.pop("_answers", None)


def set_enforce_csrf(client: Client | AsyncClient, enforce: bool) -> None:
    """Make ``client`` check CSRF tokens the way a browser's server would."""
    pending = vars(client).get("_kit_pending")
    if pending is not None:
        pending[0] = enforce  # An AsyncKitClient not yet built is built so.
    else:
        client.handler.enforce_csrf_checks = enforce
