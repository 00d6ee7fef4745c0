"""Set up Django with the test project's settings and a test database, for benchmark scripts."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    """Configure the test project, create its test database and a test environment."""
    sys.path[:0] = [str(ROOT / "testproject"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)


def interleave(
    cases: dict[str, Callable[[], None]],
    rounds: int,
    per_round: int,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, float]:
    """Median seconds per call of each case, run in interleaved rounds so drift hits all alike.

    ``clock=time.process_time`` counts this process's CPU time, steady on a busy machine."""
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, case in cases.items():
            start = clock()
            for _ in range(per_round):
                case()
            samples[name].append((clock() - start) / per_round)
    return {name: statistics.median(values) for name, values in samples.items()}


def row(label: str, kit: float, raw: float, goal: float) -> str:
    ratio = kit / raw
    verdict = "ok" if ratio <= goal else "over goal"
    return (
        f"| {label} | {kit * 1e3:.3f} ms | {raw * 1e3:.3f} ms | {ratio:.2f}x | "
        f"<= {goal:.2f}x | {verdict} |"
    )


class _Rollback(Exception):
    pass


def in_rollback(func: Callable[[], None]) -> Callable[[], None]:
    """Run ``func`` in a transaction that is rolled back, as each test of a TestCase is."""

    def run() -> None:
        from django.db import transaction

        try:
            with transaction.atomic():
                func()
                raise _Rollback
        except _Rollback:
            pass

    return run
