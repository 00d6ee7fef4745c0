"""What one outermost freeze (enter + exit) costs: the kit's ``frozen_time`` vs freezegun's.

Run from the repository root: ``python benchmarks/bench_frozen_time.py``. It sets Django up
with the test project's settings and loads the contrib apps, the admin, every app's URLs and
views and the kit's dependencies, as a test run has by the time its tests freeze the clock,
then times both in the same process.
"""

from __future__ import annotations

import os
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 7
WHEN = "2026-01-01T09:00:00Z"


def setup_django() -> None:
    sys.path[:0] = [str(ROOT / "testproject"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import django.contrib.admin.views.main  # noqa: F401
    import django.contrib.auth.views  # noqa: F401
    import django.contrib.sessions.backends.db  # noqa: F401
    import django.test  # noqa: F401
    import model_bakery.baker  # noqa: F401
    import requests_mock  # noqa: F401
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports every app's views)


def first_call_microseconds(enter_and_exit: Callable[[], None]) -> float:
    start = timeit.default_timer()
    enter_and_exit()
    return (timeit.default_timer() - start) * 1e6


def per_call_microseconds(enter_and_exit: Callable[[], None], number: int) -> float:
    """The best of ROUNDS runs of ``number`` calls, in microseconds per call."""
    timings = timeit.repeat(enter_and_exit, number=number, repeat=ROUNDS)
    return min(timings) / number * 1e6


def main() -> None:
    setup_django()
    import freezegun

    from django_integration_kit import frozen_time

    def kit() -> None:
        with frozen_time(WHEN):
            pass

    def plain_freezegun() -> None:
        with freezegun.freeze_time(WHEN):
            pass

    # Each one's first freeze scans every loaded module; later ones use their caches.
    kit_first = first_call_microseconds(kit)
    freezegun_first = first_call_microseconds(plain_freezegun)
    kit_us = per_call_microseconds(kit, 500)
    freezegun_us = per_call_microseconds(plain_freezegun, 20)

    print(
        f"Python {sys.version.split()[0]}, Django {_django_version()}, {len(sys.modules)} modules"
    )
    print(f"{'enter+exit, microseconds':28}{'freezegun':>12}{'kit':>12}{'ratio':>10}")
    for label, theirs, ours in (
        ("every freeze (best of 7)", freezegun_us, kit_us),
        ("first freeze in a process", freezegun_first, kit_first),
    ):
        print(f"{label:28}{theirs:12.1f}{ours:12.1f}{theirs / ours:9.1f}x")


def _django_version() -> str:
    import django

    return django.get_version()


if __name__ == "__main__":
    main()
