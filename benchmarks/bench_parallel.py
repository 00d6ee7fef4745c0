"""Running a suite on more than one core: Django's ``--parallel`` against pytest-xdist.

Run: ``python benchmarks/bench_parallel.py`` (needs pytest-django and pytest-xdist);
``--sizes 500 2000`` sets the suites' sizes, ``--rounds 3`` how often each run repeats,
``--kinds`` which ones to run, ``--postgres`` adds ``--keepdb`` and ``--reuse-db`` on the
PostgreSQL server that ``KIT_DB_HOST`` (default 127.0.0.1) names, with its own test database.

Each suite is generated into a temporary folder: N small tests of the test project (a GET of
the home page and a row written, in classes of 10, modules of 50), as ``django.test.TestCase``
or as the kit's ``IntegrationTestCase`` (``--flavours``). Each run starts a fresh interpreter:
``python -m django test`` serial and ``--parallel 2``, ``python -m pytest`` serial and
``-n 2``. Runs of one size alternate round by round, so a change in the machine's load hits
all alike. Prints the median wall time of each, its speed-up over serial, the CPU time of the
run and its children, and the load average while it ran, as Markdown.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import ROOT

PER_MODULE = 50
PER_CLASS = 10
HEADERS = {
    "raw": "from django.test import TestCase as Base",
    "kit": "from django_integration_kit import IntegrationTestCase as Base",
}
LABELS = {"raw": "TestCase", "kit": "IntegrationTestCase"}
TEST = """
    def test_{n}(self):
        Permission.objects.filter(codename="add_user").exists()
        Group.objects.create(name="group-{n}")
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
"""
SETTINGS = """from config.settings import *  # noqa: F403

# A test database of its own, so a run never meets another suite's on a shared server.
DATABASES["default"]["TEST"] = {"NAME": "test_bench_parallel"}  # noqa: F405
"""
PYTEST_INI = """[pytest]
DJANGO_SETTINGS_MODULE = bench_settings
django_find_project = false
addopts = -p no:cacheprovider -p no:randomly
"""


def write_suite(folder: Path, tests: int, flavour: str) -> None:
    """A package ``synth`` of ``tests`` tests in ``folder``, with settings and a pytest.ini."""
    package = folder / "synth"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (folder / "bench_settings.py").write_text(SETTINGS)
    (folder / "pytest.ini").write_text(PYTEST_INI)
    for module in range(0, tests, PER_MODULE):
        lines = [
            "from django.contrib.auth.models import Group, Permission",
            HEADERS[flavour],
        ]
        for first in range(module, min(module + PER_MODULE, tests), PER_CLASS):
            lines.append(f"\n\nclass Test{first}(Base):")
            lines.extend(TEST.format(n=n) for n in range(first, min(first + PER_CLASS, tests)))
        (package / f"test_m{module}.py").write_text("\n".join(lines) + "\n")


KINDS = {
    "django": ["-m", "django", "test", "synth", "--noinput"],
    "django-parallel": ["-m", "django", "test", "synth", "--noinput", "--parallel", "2"],
    "pytest": ["-m", "pytest", "-q", "synth"],
    "pytest-xdist": ["-m", "pytest", "-q", "-n", "2", "synth"],
    "django-keepdb": ["-m", "django", "test", "synth", "--noinput", "--keepdb"],
    "pytest-reuse-db": ["-m", "pytest", "-q", "--reuse-db", "synth"],
    "pytest-create-db": ["-m", "pytest", "-q", "--create-db", "synth"],
}
DEFAULT_KINDS = ["django", "django-parallel", "pytest", "pytest-xdist"]
POSTGRES_KINDS = ["django", "django-keepdb", "pytest-create-db", "pytest-reuse-db"]


def run(folder: Path, kind: str, database: str, flavour: str) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (the run and its children) and the 1-minute load average."""
    command = KINDS[kind]
    if flavour == "raw" and command[1] == "pytest":
        # A project without the kit has no kit plugin either.
        command = [*command, "-p", "no:django_integration_kit"]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT / "testproject"), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "KIT_DB": database,
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *command], cwd=folder, env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"{kind} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, os.getloadavg()[0]


def measure(
    tests: int, flavour: str, kinds: list[str], rounds: int, database: str
) -> dict[str, list[tuple[float, float, float]]]:
    samples: dict[str, list[tuple[float, float, float]]] = {kind: [] for kind in kinds}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_suite(folder, tests, flavour)
        if any(kind in ("django-keepdb", "pytest-reuse-db") for kind in kinds):
            # The runs that keep the test database find it made, as a second run would.
            for kind in ("django-keepdb", "pytest-reuse-db"):
                if kind in kinds:
                    run(folder, kind, database, flavour)
        for number in range(rounds):
            order = kinds if number % 2 == 0 else kinds[::-1]
            for kind in order:
                samples[kind].append(run(folder, kind, database, flavour))
                wall, cpu, load = samples[kind][-1]
                print(
                    f"  {tests} {flavour} {kind}: {wall:.1f} s, CPU {cpu:.1f} s, load {load:.1f}"
                )
    return samples


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--flavours", nargs="+", default=["raw", "kit"], choices=HEADERS)
    parser.add_argument("--kinds", nargs="+", choices=KINDS)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    database = "postgres" if args.postgres else "sqlite"
    kinds = args.kinds or (POSTGRES_KINDS if args.postgres else DEFAULT_KINDS)
    results = {
        (tests, flavour): measure(tests, flavour, kinds, args.rounds, database)
        for tests in args.sizes
        for flavour in args.flavours
    }
    print(
        f"\nPython {platform.python_version()}, {os.cpu_count()} cores, {database}; median of "
        f"{args.rounds} runs, each in a fresh interpreter.\n"
    )
    print("| tests | base class | run | wall | x serial | CPU | load |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for (tests, flavour), samples in results.items():
        serial = {
            kind: statistics.median(wall for wall, _, _ in samples[base])
            for kind, base in _serial_of(kinds).items()
        }
        for kind in kinds:
            wall = statistics.median(wall for wall, _, _ in samples[kind])
            cpu = statistics.median(cpu for _, cpu, _ in samples[kind])
            loads = [load for _, _, load in samples[kind]]
            speed = f"{serial[kind] / wall:.2f}x" if kind in serial else ""
            print(
                f"| {tests} | {LABELS[flavour]} | `{' '.join(KINDS[kind][1:])}` | "
                f"{wall:.1f} s | {speed} | {cpu:.1f} s | {min(loads):.1f}-{max(loads):.1f} |"
            )


def _serial_of(kinds: list[str]) -> dict[str, str]:
    """Each run beside the serial run of the same runner, which its speed-up is over."""
    pairs = {
        "django-parallel": "django",
        "django-keepdb": "django",
        "pytest-xdist": "pytest",
        "pytest-reuse-db": "pytest-create-db" if "pytest-create-db" in kinds else "pytest",
    }
    return {kind: base for kind, base in pairs.items() if kind in kinds and base in kinds}


if __name__ == "__main__":
    main()
