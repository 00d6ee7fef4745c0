"""What the kit adds to each test: synthetic suites of small tests, the kit's way and raw.

Run: ``python benchmarks/bench_per_test.py`` (needs valgrind for the instruction counts).
Each test GETs the test project's home page and asserts on it, in four flavours: pytest-django's
``db`` and ``client`` fixtures against the kit's ``kit`` fixture (the raw run with the kit's
plugin disabled, ``-p no:django_integration_kit``), and Django's ``TestCase`` against
``IntegrationTestCase`` (classes of 10 tests, run by ``python -m django test``). Modules hold
50 tests. Every suite runs in a fresh interpreter.

- Instructions: each suite of N tests runs once under callgrind, and so does a suite of one
  test; ``(I(N) - I(1)) / (N - 1)`` is the cost of a test, free of start-up and the test
  database's creation.
- CPU: the suites of a pair run alternately, ``--rounds`` times each; each run notes its
  process's CPU time from the end of its first test to the start of its last, so start-up is
  left out; the table gives the median per test.

``--before DIR`` also runs the kit's suites with another checkout's package
(``DIR/django_integration_kit``, for instance ``git worktree add DIR main``), to measure a change
against the code before it. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from _setup import ROOT

SIZES = (500, 2000)
ROUNDS = 5
JOBS = 3
PER_MODULE = 50
PER_CLASS = 10
GOALS = {"pytest": 1.05, "testcase": 1.03}

_PYTEST_INI = """\
[pytest]
DJANGO_SETTINGS_MODULE = config.settings
django_find_project = false
addopts = -p no:cacheprovider -p no:xdist
"""

# Marks this run's CPU time at the end of its first test and the start of its last.
_CONFTEST = """\
import json
import os
import time

_RUN = {}


def pytest_collection_finish(session):
    _RUN.update(first=session.items[0].nodeid, last=session.items[-1].nodeid)
    _RUN["tests"] = len(session.items)


def pytest_runtest_logfinish(nodeid, location):
    if nodeid == _RUN["first"]:
        _RUN["cpu"], _RUN["sys"] = time.process_time(), os.times().system


def pytest_runtest_logstart(nodeid, location):
    if nodeid == _RUN["last"] and "cpu" in _RUN:
        marks = {
            "cpu": time.process_time() - _RUN["cpu"],
            "sys": os.times().system - _RUN["sys"],
            "tests": _RUN["tests"] - 2,
        }
        with open(os.environ["KIT_BENCH_MARKS"], "w") as out:
            json.dump(marks, out)
"""

_RUNNER = """\
import json
import os
import time
import unittest

from django.test.runner import DiscoverRunner


class _MarkingResult(unittest.TextTestResult):
    started = 0
    cpu = sys = 0.0

    def startTest(self, test):
        cls = _MarkingResult
        cls.started += 1
        if cls.started == 2:
            cls.cpu, cls.sys = time.process_time(), os.times().system
        elif cls.started == int(os.environ["KIT_BENCH_TESTS"]):
            marks = {
                "cpu": time.process_time() - cls.cpu,
                "sys": os.times().system - cls.sys,
                "tests": cls.started - 2,
            }
            with open(os.environ["KIT_BENCH_MARKS"], "w") as out:
                json.dump(marks, out)
        super().startTest(test)


class Runner(DiscoverRunner):
    def get_resultclass(self):
        return _MarkingResult
"""

_PYTEST_TEST = """
def test_{number:04d}({fixtures}):
    response = {client}.get("/")
    assert "Test project" in response.content.decode()
"""

_CASE_CLASS = """

class Suite{number:04d}(Base):"""

_CASE_TEST = """    def test_{number:04d}(self):
        response = self.client.get("/")
        self.assertContains(response, "Test project")
"""


@dataclass(frozen=True)
class Flavour:
    """One way of writing the suite."""

    name: str
    label: str
    runner: str  # "pytest" or "django"
    header: str = ""
    fixtures: str = ""
    client: str = ""

    def module(self, first: int, count: int) -> str:
        """The source of a module with tests ``first`` to ``first + count - 1``."""
        parts = [self.header]
        for number in range(first, first + count):
            if self.runner == "pytest":
                parts.append(
                    _PYTEST_TEST.format(number=number, fixtures=self.fixtures, client=self.client)
                )
            else:
                if (number - first) % PER_CLASS == 0:
                    parts.append(_CASE_CLASS.format(number=number))
                parts.append(_CASE_TEST.format(number=number))
        return "\n".join(parts) + "\n"


FLAVOURS = {
    "pytest_kit": Flavour(
        "pytest_kit", "kit fixture", "pytest", fixtures="kit", client="kit.client"
    ),
    "pytest_raw": Flavour(
        "pytest_raw", "pytest-django db + client", "pytest", fixtures="db, client", client="client"
    ),
    "testcase_kit": Flavour(
        "testcase_kit",
        "IntegrationTestCase",
        "django",
        header="from django_integration_kit import IntegrationTestCase as Base\n",
    ),
    "testcase_raw": Flavour(
        "testcase_raw",
        "django.test.TestCase",
        "django",
        header="from django.test import TestCase as Base\n",
    ),
}
PAIRS = {"pytest": ("pytest_kit", "pytest_raw"), "testcase": ("testcase_kit", "testcase_raw")}


@dataclass(frozen=True)
class Contender:
    """A flavour run with the package of ``source`` (None: the one this script belongs to)."""

    flavour: Flavour
    source: Path | None = None

    @property
    def label(self) -> str:
        if self.flavour.name.endswith("_raw"):
            return self.flavour.label
        return f"{self.flavour.label}, {'before' if self.source else 'this tree'}"


class Suites:
    """Generated suites in a temporary directory, one package per flavour and size."""

    def __init__(self, where: Path) -> None:
        self.where = where
        (where / "pytest.ini").write_text(_PYTEST_INI)
        (where / "conftest.py").write_text(_CONFTEST)
        (where / "bench_runner.py").write_text(_RUNNER)
        self._warm: set[tuple[str, Path | None, int]] = set()

    def package(self, flavour: Flavour, tests: int) -> str:
        name = f"suite_{flavour.name}_{tests}"
        folder = self.where / name
        if not folder.exists():
            folder.mkdir()
            (folder / "__init__.py").write_text("")
            for first in range(0, tests, PER_MODULE):
                count = min(PER_MODULE, tests - first)
                (folder / f"test_{first:04d}.py").write_text(flavour.module(first, count))
        return name

    def command(self, flavour: Flavour, tests: int) -> list[str]:
        package = self.package(flavour, tests)
        if flavour.runner == "pytest":
            command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", package]
            if flavour.name.endswith("_raw"):
                command[3:3] = ["-p", "no:django_integration_kit"]
            return command
        return [
            sys.executable, "-m", "django", "test", package, "--noinput", "--verbosity", "0",
            "--testrunner", "bench_runner.Runner",
        ]  # fmt: skip

    def environment(self, source: Path | None, tests: int, marks: Path) -> dict[str, str]:
        env = dict(os.environ)
        # A developer's interpreter reuses its compiled modules.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        paths = [str(self.where), str(ROOT / "testproject"), str(ROOT)]
        if source is not None:
            paths.insert(0, str(source))
        env.update(
            PYTHONPATH=os.pathsep.join(paths),
            DJANGO_SETTINGS_MODULE="config.settings",
            PYTHONHASHSEED="0",
            KIT_BENCH_TESTS=str(tests),
            KIT_BENCH_MARKS=str(marks),
        )
        return env

    def warm(self, contender: Contender, tests: int) -> None:
        """Run the suite once unmeasured: it compiles the modules (the suite's and the
        package's), as a run before has done for a developer."""
        key = (contender.flavour.name, contender.source, tests)
        if key not in self._warm:
            self._warm.add(key)
            self.run(contender, tests)

    def run(self, contender: Contender, tests: int, prefix: tuple[str, ...] = ()) -> str:
        """Run the suite (under ``prefix``, such as valgrind); return its stderr."""
        marks = self.where / f"marks-{contender.flavour.name}-{tests}.json"
        done = subprocess.run(
            [*prefix, *self.command(contender.flavour, tests)],
            cwd=self.where,
            env=self.environment(contender.source, tests, marks),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"The {contender.label} suite of {tests} failed (exit {done.returncode}):\n"
                f"{done.stdout[-3000:]}{done.stderr[-3000:]}"
            )
        return done.stderr

    def cpu_per_test(self, contender: Contender, tests: int) -> tuple[float, float]:
        """CPU seconds a test took in one run, and the part of them in the kernel."""
        marks_file = self.where / f"marks-{contender.flavour.name}-{tests}.json"
        marks_file.unlink(missing_ok=True)
        self.warm(contender, tests)
        self.run(contender, tests)
        marks = json.loads(marks_file.read_text())
        if marks["tests"] != tests - 2:
            raise RuntimeError(f"The {contender.label} suite timed {marks['tests']} tests.")
        return float(marks["cpu"]) / marks["tests"], float(marks["sys"]) / marks["tests"]

    def instructions(self, contender: Contender, tests: int) -> int:
        source = "before" if contender.source else "this"
        out = self.where / f"callgrind-{contender.flavour.name}-{source}-{tests}.out"
        stderr = self.run(
            contender, tests, ("valgrind", "--tool=callgrind", f"--callgrind-out-file={out}")
        )
        out.unlink()
        found = re.search(r"Collected : (\d+)", stderr)
        if found is None:
            raise RuntimeError(f"No instruction count from callgrind:\n{stderr[-2000:]}")
        return int(found.group(1))


def instructions_per_test(
    suites: Suites, contenders: list[Contender], sizes: list[int], jobs: int
) -> dict[Contender, dict[int, float]]:
    """Instructions a test costs, by contender and suite size: the run of N tests less the run
    of one. ``jobs`` runs go at once: an instruction count does not depend on the load."""
    runs = [(contender, tests) for contender in contenders for tests in (1, *sizes)]
    for contender, tests in runs:
        suites.warm(contender, tests)
    with ThreadPoolExecutor(jobs) as pool:
        counts = dict(
            zip(runs, pool.map(lambda run: suites.instructions(*run), runs), strict=True)
        )
    result: dict[Contender, dict[int, float]] = {}
    for contender in contenders:
        one = counts[contender, 1]
        result[contender] = {n: (counts[contender, n] - one) / (n - 1) for n in sizes}
        for n in sizes:
            print(
                f"  {contender.label}, {n} tests: {result[contender][n] / 1e6:.3f} M",
                file=sys.stderr,
            )
    return result


def cpu_per_test(
    suites: Suites, contenders: list[Contender], tests: int, rounds: int
) -> dict[Contender, list[tuple[float, float]]]:
    """CPU seconds (and system seconds) a test costs in each run of each contender, the runs
    alternating."""
    samples: dict[Contender, list[tuple[float, float]]] = {c: [] for c in contenders}
    for number in range(rounds):
        # Alternate which goes first, so a change of load mid-round hits all alike.
        for contender in contenders if number % 2 == 0 else contenders[::-1]:
            samples[contender].append(suites.cpu_per_test(contender, tests))
        print(
            f"  round {number + 1}/{rounds}, {tests} tests: "
            + ", ".join(f"{c.label} {samples[c][-1][0] * 1e3:.3f} ms" for c in contenders),
            file=sys.stderr,
        )
    return samples


def _cells(values: dict[Contender, float], contender: Contender, raw: Contender, unit: str) -> str:
    value, ratio = values[contender], values[contender] / values[raw]
    shown = f"{value / 1e6:.2f} M" if unit == "M" else f"{value * 1e3:.3f} ms"
    return f"{shown} | {ratio:.3f}x" if contender != raw else f"{shown} | 1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--pairs", nargs="+", choices=list(PAIRS), default=list(PAIRS))
    parser.add_argument("--no-instructions", action="store_true", help="skip callgrind")
    parser.add_argument("--no-cpu", action="store_true", help="skip the CPU rounds")
    parser.add_argument("--jobs", type=int, default=JOBS, help="callgrind runs at once")
    parser.add_argument(
        "--before", type=Path, help="a checkout whose package to measure too, as the before"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    lines = [
        "| suite | tests | instructions a test | x raw | CPU a test (median) | x raw | "
        "of it system | CPU x raw, each round | goal |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    with tempfile.TemporaryDirectory(prefix="kit-per-test-") as tmp:
        suites = Suites(Path(tmp))
        for pair in args.pairs:
            kit_flavour, raw_flavour = (FLAVOURS[name] for name in PAIRS[pair])
            raw = Contender(raw_flavour)
            kits = [Contender(kit_flavour, args.before.resolve())] if args.before else []
            kits.append(Contender(kit_flavour))
            contenders = [raw, *kits]
            counts = {}
            if not args.no_instructions:
                counts = instructions_per_test(suites, contenders, args.sizes, args.jobs)
            for tests in args.sizes:
                samples = {}
                if not args.no_cpu:
                    samples = cpu_per_test(suites, contenders, tests, args.rounds)
                for contender in contenders:
                    cells = [contender.label, str(tests)]
                    if counts:
                        by_size = {c: counts[c][tests] for c in contenders}
                        cells.append(_cells(by_size, contender, raw, "M"))
                    else:
                        cells.append(" | ")
                    if samples:
                        cpu = {c: [run[0] for run in v] for c, v in samples.items()}
                        medians = {c: statistics.median(v) for c, v in cpu.items()}
                        cells.append(_cells(medians, contender, raw, "ms"))
                        system = statistics.median(run[1] for run in samples[contender])
                        cells.append(f"{system * 1e3:.3f} ms")
                        each = [k / r for k, r in zip(cpu[contender], cpu[raw], strict=True)]
                        cells.append(", ".join(f"{ratio:.2f}" for ratio in each))
                    else:
                        cells += [" | ", "", ""]
                    is_kit = contender in kits
                    cells.append(f"<= {GOALS[pair]:.2f}x" if is_kit else "")
                    lines.append("| " + " | ".join(cells) + " |")
    print("\n".join(lines))
    print(f"\n({time.perf_counter() - started:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
