"""``frozen_time``: Django's clock and Python's frozen at a moment, on freezegun, fast.

freezegun finds every ``from datetime import datetime`` (and ``from time import time``, ...)
in the loaded modules by calling ``dir()`` on each of them on every outermost freeze: 4-9 ms
with Django loaded. The kit pushes onto freezegun's own stacks and uses freezegun's fakes, so
both nest freely, but finds those bindings with a cached scan of the modules' ``__dict__``:

- The first freeze scans every loaded module once. Later freezes re-scan only the modules that
  were imported, replaced or gained or lost a global since (checked at C speed), and swap the
  cached bindings, checking each still holds the real object.
- Frozen: the same objects, in the same modules, as freezegun freezes (its default ignore
  list, ``freezegun.configure()`` included). Modules imported inside the block bind the fakes
  and get the real objects back on exit, as with freezegun.
- Unlike freezegun: a global rebound in place to a real ``datetime``/``time`` function without
  the module's number of globals changing is missed until the module changes size (freezegun
  misses rebinding in place too, it compares the set of names); names served only by a
  module ``__getattr__`` are not looked at (freezegun's ``dir()`` + ``getattr`` imports them),
  nor are objects in ``sys.modules`` that are not modules.
- The asyncio event loop reads the real monotonic clock (freezegun's ``real_asyncio=True``), so
  ``asyncio.sleep`` and timeouts do not hang under a frozen clock.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from django.test.utils import TestContextDecorator

from django_integration_kit import _frames

if TYPE_CHECKING:
    from typing import TypeAlias

_frames.hide(globals())

__all__ = ["Clock", "Freezer", "frozen_time"]

When: TypeAlias = "dt.datetime | dt.date | str"

_UTC = dt.timezone.utc
_ONE_SECOND = dt.timedelta(seconds=1)


class Clock:
    """The clock ``frozen_time`` yields: ``now()`` reads it, ``tick()`` and ``move_to()`` move it."""

    def __init__(self, when: dt.datetime, *, tick: bool = False) -> None:
        from freezegun.api import real_monotonic

        self._real_monotonic: Callable[[], float] = real_monotonic
        self._moment = when  # naive, in UTC, as freezegun's factories return it
        self._ticking = tick
        self._started = real_monotonic()
        # freezegun's stacks hold this exact object, so the clock's exit finds its own entry.
        self._factory: Callable[[], dt.datetime] = self._utc_naive

    def now(self) -> dt.datetime:
        """The clock's time: aware in UTC under ``USE_TZ`` (as ``timezone.now()``), else naive."""
        from django.conf import settings

        moment = self._utc_naive()
        if settings.configured and not settings.USE_TZ:
            return moment
        return moment.replace(tzinfo=_UTC)

    def tick(self, delta: dt.timedelta | float = _ONE_SECOND) -> None:
        """Move the clock forwards by ``delta``, a timedelta or a number of seconds."""
        self._moment += _as_timedelta(delta)

    def move_to(self, when: When) -> None:
        """Set the clock to ``when``: a datetime, a date or an ISO 8601 string, read as
        ``frozen_time`` reads it."""
        self._moment = _utc_naive(_as_datetime(when, "Clock.move_to()"))
        self._started = self._real_monotonic()

    def _utc_naive(self) -> dt.datetime:
        if self._ticking:
            return self._moment + dt.timedelta(seconds=self._real_monotonic() - self._started)
        return self._moment

    def __repr__(self) -> str:
        return f"<Clock {self._utc_naive().isoformat()}Z{' ticking' if self._ticking else ''}>"


class Freezer(Protocol):
    """The type of the pytest fixture ``frozen``: call it to freeze time until the test ends.

    ``def test_trial(frozen: Freezer) -> None: clock = frozen("2026-01-01")``
    """

    def __call__(self, when: When, *, tick: bool = False) -> Clock: ...


class frozen_time(TestContextDecorator):
    """Freeze ``timezone.now()``, ``datetime``, ``date`` and ``time.time()`` at ``when``.

    ``when`` is a datetime, a date or an ISO 8601 string. Aware ones are honoured; naive ones
    (and dates, as midnight) are read in Django's current time zone under ``USE_TZ = True``, as
    Django reads a naive datetime, and as UTC otherwise. Yields a :class:`Clock`; ``tick=True`` lets time run on from ``when``. Works as a
    ``with`` block and as a function or ``TestCase`` class decorator; ``kwarg_name`` /
    ``attr_name`` pass the clock to a decorated function / set it on the test case.
    """

    def __init__(
        self,
        when: When,
        *,
        tick: bool = False,
        attr_name: str | None = None,
        kwarg_name: str | None = None,
    ) -> None:
        super().__init__(attr_name=attr_name, kwarg_name=kwarg_name)
        # Read now, so a bad value fails where it is written; placed in a time zone on entry,
        # when the current time zone (timezone.override() included) is the one the test uses.
        self.when = _as_datetime(when, "frozen_time()")
        self.tick = tick
        self._clocks: list[Clock] = []

    def enable(self) -> Clock:
        clock = Clock(_utc_naive(self.when), tick=self.tick)
        _patcher().start(clock._factory, tick=self.tick)
        self._clocks.append(clock)
        return clock

    def disable(self) -> None:
        _patcher().stop(self._clocks.pop()._factory)

    def __enter__(self) -> Clock:  # type: ignore[override]
        return self.enable()

    def decorate_class(self, cls: Any) -> Any:
        # Each test starts at ``when``; setUpClass (and so setUpTestData) is frozen too, so
        # shared test data is stamped with the same clock the tests read.
        decorated: Any = super().decorate_class(cls)
        set_up_class = decorated.setUpClass.__func__

        def setUpClass(inner_cls: type) -> None:
            with self:
                set_up_class(inner_cls)

        decorated.setUpClass = classmethod(setUpClass)
        return decorated


def _as_timedelta(delta: object) -> dt.timedelta:
    if isinstance(delta, dt.timedelta):
        return delta
    if isinstance(delta, (int, float)) and not isinstance(delta, bool):
        return dt.timedelta(seconds=float(delta))
    raise TypeError(
        f"Clock.tick() takes a timedelta or a number of seconds, not {type(delta).__name__} "
        f"({delta!r})."
    )


def _as_datetime(when: object, caller: str) -> dt.datetime:
    """``when`` as a datetime, naive or aware as given; a date is its midnight, naive."""
    from freezegun.api import real_datetime

    if isinstance(when, str):
        return _parse_iso(when, caller)
    if isinstance(when, dt.datetime):
        return when
    if isinstance(when, dt.date):
        return real_datetime(when.year, when.month, when.day)
    raise TypeError(
        f"{caller} takes a datetime, a date or an ISO 8601 string, not "
        f"{type(when).__name__} ({when!r})."
    )


def _utc_naive(moment: dt.datetime) -> dt.datetime:
    """``moment`` as freezegun keeps time: a naive datetime in UTC."""
    from freezegun.api import real_datetime

    if moment.utcoffset() is None and _use_tz():
        from django.utils import timezone

        moment = moment.replace(tzinfo=timezone.get_current_timezone())
    if moment.utcoffset() is not None:
        moment = moment.astimezone(_UTC).replace(tzinfo=None)
    return real_datetime(*moment.timetuple()[:6], moment.microsecond)


def _use_tz() -> bool:
    from django.conf import settings

    return bool(settings.configured and settings.USE_TZ)


def _parse_iso(text: str, caller: str) -> dt.datetime:
    from django.utils.dateparse import parse_date, parse_datetime
    from freezegun.api import real_datetime

    problem = ""
    try:
        moment = parse_datetime(text.strip())
        if moment is not None:
            return moment
        day = parse_date(text.strip())
        if day is not None:
            return real_datetime(day.year, day.month, day.day)
    except ValueError as exc:
        problem = f" ({exc})"
    raise ValueError(
        f"{caller} cannot read {text!r} as a date or time{problem}. Pass a datetime, a date "
        "or an ISO 8601 string such as '2026-01-31' or '2026-01-31T09:30:00+01:00'."
    )


class _Patcher:
    """Swaps freezegun's fakes in for the real date and time objects, with a cached scan."""

    def __init__(self) -> None:
        import asyncio
        import copyreg
        import time
        import uuid

        import freezegun.api as api

        self.api = api
        self.copyreg, self.time, self.uuid = copyreg, time, uuid
        self.loop_class: Any = asyncio.BaseEventLoop
        self.real_loop_time = self.loop_class.__dict__["time"]
        real_monotonic = api.real_monotonic
        self.fake_loop_time: Callable[[object], float] = lambda loop: real_monotonic()
        time_fakes: list[tuple[str, Any, Any]] = [
            ("time", api.real_time, api.fake_time),
            ("monotonic", api.real_monotonic, api.fake_monotonic),
            ("perf_counter", api.real_perf_counter, api.fake_perf_counter),
            ("localtime", api.real_localtime, api.fake_localtime),
            ("gmtime", api.real_gmtime, api.fake_gmtime),
            ("strftime", api.real_strftime, api.fake_strftime),
            ("time_ns", api.real_time_ns, api.fake_time_ns),
            ("monotonic_ns", api.real_monotonic_ns, api.fake_monotonic_ns),
            ("perf_counter_ns", api.real_perf_counter_ns, api.fake_perf_counter_ns),
        ]
        self.time_fakes = time_fakes
        pairs: list[tuple[Any, Any]] = [
            (api.real_date, api.FakeDate),
            (api.real_datetime, api.FakeDatetime),
            *((real, fake) for _, real, fake in time_fakes),
        ]
        self.fake_of = {id(real): fake for real, fake in pairs}
        self.real_of = {id(fake): real for real, fake in pairs}
        self.fake_names = frozenset(fake.__name__ for _, fake in pairs)
        # The scan cache: per module name, (module, its number of globals, the names that held
        # a real date/time object); and the snapshot the fast check compares against.
        self.cache: dict[str, tuple[object, int, tuple[str, ...]]] = {}
        self.ignore: tuple[str, ...] = ()
        self.modules: list[Any] = []
        self.dicts: list[dict[str, Any]] = []
        self.sizes: list[int] = []
        self.bindings: list[tuple[dict[str, Any], str]] = []
        self.undo: list[tuple[dict[str, Any], str, object, object]] | None = None

    def start(self, factory: Callable[[], dt.datetime], *, tick: bool) -> None:
        api = self.api
        ignore = tuple(api.config.settings.default_ignore_list)
        api.freeze_factories.append(factory)
        api.tz_offsets.append(dt.timedelta(0))
        api.ignore_lists.append(ignore)
        api.tick_flags.append(tick)
        if len(api.freeze_factories) > 1:
            return  # an enclosing freeze (the kit's or freezegun's) has patched already
        try:
            self._patch(ignore)
        except BaseException:
            self._unpatch()
            self._pop(factory)
            raise

    def stop(self, factory: Callable[[], dt.datetime]) -> None:
        self._pop(factory)
        if not self.api.freeze_factories:
            self._unpatch()

    def _pop(self, factory: Callable[[], dt.datetime]) -> None:
        api = self.api
        index = max(i for i, f in enumerate(api.freeze_factories) if f is factory)
        for stack in (api.freeze_factories, api.tz_offsets, api.ignore_lists, api.tick_flags):
            del stack[index]

    def _patch(self, ignore: tuple[str, ...]) -> None:
        api, time, uuid = self.api, self.time, self.uuid
        bindings = self._bindings(ignore)
        self.undo = undo = []
        dt.datetime = api.FakeDatetime  # type: ignore[misc]
        dt.date = api.FakeDate  # type: ignore[misc]
        for name, _, fake in self.time_fakes:
            setattr(time, name, fake)
        if api.uuid_generate_time_attr:
            setattr(uuid, api.uuid_generate_time_attr, None)
        uuid._UuidCreate = None  # type: ignore[attr-defined]
        uuid._last_timestamp = None  # type: ignore[attr-defined]
        self.copyreg.dispatch_table[api.real_datetime] = api.pickle_fake_datetime
        self.copyreg.dispatch_table[api.real_date] = api.pickle_fake_date
        self.loop_class.time = self.fake_loop_time
        fake_of = self.fake_of
        for namespace, name in bindings:
            real = namespace.get(name)
            fake = fake_of.get(id(real))
            if fake is not None:
                namespace[name] = fake
                undo.append((namespace, name, real, fake))

    def _unpatch(self) -> None:
        api, time, uuid = self.api, self.time, self.uuid
        undo, self.undo = self.undo, None
        if undo is None:
            return  # freezegun itself patched, or nothing was
        for namespace, name, real, fake in undo:
            if namespace.get(name) is fake:
                namespace[name] = real
        dt.datetime = api.real_datetime  # type: ignore[misc]
        dt.date = api.real_date  # type: ignore[misc]
        for name, real, _ in self.time_fakes:
            setattr(time, name, real)
        if api.uuid_generate_time_attr:
            setattr(uuid, api.uuid_generate_time_attr, api.real_uuid_generate_time)
        uuid._UuidCreate = api.real_uuid_create  # type: ignore[attr-defined]
        uuid._last_timestamp = None  # type: ignore[attr-defined]
        self.copyreg.dispatch_table.pop(api.real_datetime, None)
        self.copyreg.dispatch_table.pop(api.real_date, None)
        self.loop_class.time = self.real_loop_time
        if list(sys.modules.values()) != self.modules:
            self._unfake_new_modules()

    def _bindings(self, ignore: tuple[str, ...]) -> list[tuple[dict[str, Any], str]]:
        """Where real date/time objects are bound: cached, re-scanned where modules changed."""
        if (
            ignore == self.ignore
            and list(sys.modules.values()) == self.modules
            and list(map(len, self.dicts)) == self.sizes
        ):
            return self.bindings
        if ignore != self.ignore:
            self.cache.clear()
            self.ignore = ignore
        modules: list[Any] = []
        dicts: list[dict[str, Any]] = []
        bindings: list[tuple[dict[str, Any], str]] = []
        for name, module in list(sys.modules.items()):
            modules.append(module)
            namespace = _namespace(module)
            if namespace is None:
                continue
            dicts.append(namespace)
            size = len(namespace)
            cached = self.cache.get(name)
            if cached is None or cached[0] is not module or cached[1] != size:
                names = () if self._skip(name, namespace) else self._real_names(namespace)
                cached = self.cache[name] = (module, size, names)
            if cached[2]:
                bindings.extend((namespace, attr) for attr in cached[2])
        self.modules, self.dicts, self.bindings = modules, dicts, bindings
        self.sizes = list(map(len, dicts))
        return bindings

    def _skip(self, name: str, namespace: dict[str, Any]) -> bool:
        # freezegun's own rules: its ignore list, six.moves, the datetime and time modules.
        return (
            name.startswith(self.ignore)
            or name.endswith(".six.moves")
            or name == "freezegun.api"
            or namespace.get("__name__") in (None, "datetime", "time")
        )

    def _real_names(self, namespace: dict[str, Any]) -> tuple[str, ...]:
        fake_of = self.fake_of
        # Most modules hold none; find that out at C speed before looking name by name.
        if fake_of.keys().isdisjoint(map(id, list(namespace.values()))):
            return ()
        return tuple(name for name, value in list(namespace.items()) if id(value) in fake_of)

    def _unfake_new_modules(self) -> None:
        # Modules imported inside the block bound the fakes; give them the real objects.
        known = set(map(id, self.modules))
        real_of, fake_names = self.real_of, self.fake_names
        for name, module in list(sys.modules.items()):
            namespace = _namespace(module)
            if id(module) in known or namespace is None or self._skip(name, namespace):
                continue
            for attr, value in list(namespace.items()):
                real = real_of.get(id(value))
                if real is not None and attr not in fake_names:
                    namespace[attr] = real


def _namespace(module: object) -> dict[str, Any] | None:
    if not isinstance(module, ModuleType):
        return None
    namespace = module.__dict__
    return namespace if type(namespace) is dict else None


_PATCHER: list[_Patcher] = []


def _patcher() -> _Patcher:
    if not _PATCHER:
        _PATCHER.append(_Patcher())
    return _PATCHER[0]
