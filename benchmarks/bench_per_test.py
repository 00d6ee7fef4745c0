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
- Interleaved CPU (``--interleaved``): both suites of a pair run in one process, in blocks of a
  module (50 tests) taking turns kit, raw, raw, kit, ..., so that a machine whose speed drifts
  (a shared virtual machine's does, by 20% from one run to the next) slows both alike. Each
  block's CPU time runs from the start of its module to the start of the next; the first two
  blocks are left out as warm-up, and so is the last, and so is the time of the collector's
  full collections (each lands in one block, by the allocation count). A round is one such
  process; the table gives the median of the rounds' ratios, with a 95% interval for it (the
  order statistics the binomial distribution allows, no assumption about the spread). The raw
  tests then run with the kit installed (its plugin's per-test hook and its imports), as in a
  project that uses both.
- Simulated (``--simulate``): the instruction runs also simulate the caches and the branch
  predictor (callgrind's ``--cache-sim`` and ``--branch-sim``, with this machine's level-1 and
  level-2 caches as the two levels), so that what the CPU time pays beyond the instructions
  (misses, mispredicts) is counted per test too, deterministically.

``--before DIR`` also runs the kit's suites with another checkout's package
(``DIR/django_integration_kit``, for instance ``git worktree add DIR main``), to measure a change
against the code before it. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import math
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

# Interleaved runs: the CPU time at the start of each module, written out at exit.
_BLOCKS = """\
import atexit
import gc
import json
import os
import time

MARKS = []
# CPU seconds in full collections so far, and when the one under way began.
FULL = [0.0, 0.0, 0]


def _time_full_collections(phase, info):
    if info["generation"] == 2:
        if phase == "start":
            FULL[1] = time.process_time()
        else:
            FULL[0] += time.process_time() - FULL[1]
            FULL[2] += 1


gc.callbacks.append(_time_full_collections)


def mark(module):
    MARKS.append((module.rsplit("_", 1)[-1], time.process_time(), FULL[0], FULL[2]))


@atexit.register
def _write():
    if os.environ.get("KIT_BENCH_BLOCKS"):
        with open(os.environ["KIT_BENCH_BLOCKS"], "w") as out:
            json.dump(MARKS, out)
"""

# Marks the start of each module in a pytest run (a Django run's modules mark their own).
_CONFTEST_MODULES = """\
import bench_blocks

_MODULE = [None]


def pytest_runtest_logstart(nodeid, location):
    module = nodeid.split("::")[0].removesuffix(".py")
    if module != _MODULE[0]:
        _MODULE[0] = module
        bench_blocks.mark(module)
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

_CASE_MODULE_MARK = """
import bench_blocks


def setUpModule():
    bench_blocks.mark(__name__)
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
        (where / "conftest.py").write_text(_CONFTEST + "\n\n" + _CONFTEST_MODULES)
        (where / "bench_blocks.py").write_text(_BLOCKS)
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

    def mixed_package(self, kit: Flavour, raw: Flavour, tests: int) -> str:
        """A package of ``tests`` tests of each flavour, a module each in turn: kit, raw, raw,
        kit, kit, raw, ... (a drift in speed then costs each the same); each module's name
        ends with its flavour's."""
        name = f"mixed_{kit.name}_{tests}"
        folder = self.where / name
        if not folder.exists():
            folder.mkdir()
            (folder / "__init__.py").write_text("")
            for block, first in enumerate(range(0, 2 * tests, PER_MODULE)):
                flavour = kit if block % 4 in (0, 3) else raw
                count = min(PER_MODULE, 2 * tests - first)
                source = flavour.module(first, count)
                if flavour.runner == "django":
                    source = _CASE_MODULE_MARK + source
                (folder / f"test_{first:04d}_{flavour.name.rsplit('_', 1)[1]}.py").write_text(
                    source
                )
        return name

    def command(self, flavour: Flavour, tests: int, package: str | None = None) -> list[str]:
        mixed = package is not None
        package = package or self.package(flavour, tests)
        if flavour.runner == "pytest":
            command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", package]
            if flavour.name.endswith("_raw") and not mixed:
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

    def interleaved(
        self, contender: Contender, raw: Flavour, tests: int
    ) -> dict[str, list[float]]:
        """One interleaved run of ``contender``'s flavour against ``raw``: the CPU seconds a
        test took in each kept block, by flavour ("kit", "raw")."""
        package = self.mixed_package(contender.flavour, raw, tests)
        blocks = self.where / f"blocks-{package}.json"
        env = self.environment(contender.source, 2 * tests, self.where / "marks-mixed.json")
        env["KIT_BENCH_BLOCKS"] = str(blocks)
        # The first run compiles the modules, as a run before has for a developer.
        key = (package, contender.source, tests)
        for _ in range(1 if key in self._warm else 2):
            self._warm.add(key)
            blocks.unlink(missing_ok=True)
            done = subprocess.run(
                self.command(contender.flavour, tests, package),
                cwd=self.where,
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise RuntimeError(
                    f"The interleaved {contender.label} suite of {tests} failed "
                    f"(exit {done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
                )
        marks = json.loads(blocks.read_text())
        if len(marks) != -(-2 * tests // PER_MODULE):
            raise RuntimeError(f"The interleaved suite marked {len(marks)} modules.")
        # A block runs from its module's start to the next's; the last has no end mark.
        # A full collection (tens of milliseconds here) lands in whichever block reaches the
        # collector's threshold, the same one in every round: its time is left out of the
        # blocks and told apart, as the count and seconds of them ("full").
        kept: dict[str, list[float]] = {"kit": [], "raw": [], "full": [0, 0.0]}
        for (label, start, full_start, count_start), (_, end, full_end, count_end) in zip(
            marks[2:-1], marks[3:], strict=True
        ):
            kept[label].append((end - start - (full_end - full_start)) / PER_MODULE)
            kept["full"][0] += count_end - count_start
            kept["full"][1] += full_end - full_start
        return kept

    def events(
        self, contender: Contender, tests: int, simulate: tuple[str, ...] = ()
    ) -> dict[str, int]:
        """What callgrind counted over one run: instructions ("Ir"), and with ``simulate`` (its
        cache and branch simulation options) the misses and mispredicts too."""
        source = "before" if contender.source else "this"
        out = self.where / f"callgrind-{contender.flavour.name}-{source}-{tests}.out"
        stderr = self.run(
            contender,
            tests,
            ("valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *simulate),
        )
        out.unlink()
        names = re.search(r"Events\s*: ([\w ]+)", stderr)
        found = re.search(r"Collected : ([\d ]+)", stderr)
        if names is None or found is None:
            raise RuntimeError(f"No instruction count from callgrind:\n{stderr[-2000:]}")
        return dict(zip(names.group(1).split(), map(int, found.group(1).split()), strict=True))


def simulation_options() -> tuple[str, ...]:
    """callgrind's cache and branch simulation, its two cache levels this machine's first two
    (from sysfs): valgrind's own guess in a virtual machine can be far off (a 512 MiB LL)."""
    found = {}
    for index in Path("/sys/devices/system/cpu/cpu0/cache").glob("index*"):
        read = {
            name: (index / name).read_text().strip()
            for name in ("level", "type", "size", "ways_of_associativity", "coherency_line_size")
        }
        key = {("1", "Data"): "D1", ("1", "Instruction"): "I1", ("2", "Unified"): "LL"}.get(
            (read["level"], read["type"])
        )
        if key:
            size = int(read["size"].removesuffix("K")) * 1024
            found[key] = (
                f"--{key}={size},{read['ways_of_associativity']},{read['coherency_line_size']}"
            )
    return ("--cache-sim=yes", "--branch-sim=yes", *sorted(found.values()))


# The simulated events shown, each a sum of callgrind's: level-1 misses (instructions and
# data), last-level ones, and mispredicted branches (conditional and indirect).
_SIMULATED = {
    "L1 misses": ("I1mr", "D1mr", "D1mw"),
    "LL misses": ("ILmr", "DLmr", "DLmw"),
    "mispredicts": ("Bcm", "Bim"),
}


def cycle_estimate(counts: dict[str, float]) -> float:
    """KCachegrind's cycle estimate from simulated events: Ir + 10 Bm + 10 L1m + 100 LLm."""
    sums = {name: sum(counts[event] for event in events) for name, events in _SIMULATED.items()}
    return (
        counts["Ir"] + 10 * sums["mispredicts"] + 10 * sums["L1 misses"] + 100 * sums["LL misses"]
    )


def events_per_test(
    suites: Suites,
    contenders: list[Contender],
    sizes: list[int],
    jobs: int,
    simulate: tuple[str, ...] = (),
) -> dict[Contender, dict[int, dict[str, float]]]:
    """callgrind's events a test costs, by contender and suite size: the run of N tests less
    the run of one. ``jobs`` runs go at once: a count does not depend on the load."""
    runs = [(contender, tests) for contender in contenders for tests in (1, *sizes)]
    for contender, tests in runs:
        suites.warm(contender, tests)
    with ThreadPoolExecutor(jobs) as pool:
        counts = dict(
            zip(runs, pool.map(lambda run: suites.events(*run, simulate), runs), strict=True)
        )
    result: dict[Contender, dict[int, dict[str, float]]] = {}
    for contender in contenders:
        one = counts[contender, 1]
        result[contender] = {
            n: {event: (counts[contender, n][event] - one[event]) / (n - 1) for event in one}
            for n in sizes
        }
        for n in sizes:
            print(
                f"  {contender.label}, {n} tests: {result[contender][n]['Ir'] / 1e6:.3f} M",
                file=sys.stderr,
            )
    return result


def _simulated_rows(
    counts: dict[Contender, dict[int, dict[str, float]]], raw: Contender, sizes: list[int]
) -> list[str]:
    """Markdown rows of the simulated events a test, each with its ratio to raw's."""
    lines = []
    for tests in sizes:
        for contender, by_size in counts.items():
            mine, theirs = by_size[tests], counts[raw][tests]
            cells = [contender.label, str(tests)]
            for events in (("Ir",), *_SIMULATED.values()):
                value = sum(mine[event] for event in events)
                ratio = value / sum(theirs[event] for event in events)
                cells.append(f"{value / 1e3:,.1f} k ({ratio:.3f}x)")
            estimate = cycle_estimate(mine)
            cells.append(f"{estimate / 1e6:.3f} M ({estimate / cycle_estimate(theirs):.3f}x)")
            lines.append("| " + " | ".join(cells) + " |")
    return lines


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


def interleaved_per_test(
    suites: Suites, contenders: list[Contender], raw: Flavour, tests: int, rounds: int
) -> dict[Contender, list[tuple[float, float]]]:
    """CPU seconds a test costs, the kit's and raw's in the same process, in each round of
    each kit contender, the contenders alternating."""
    samples: dict[Contender, list[tuple[float, float]]] = {c: [] for c in contenders}
    for number in range(rounds):
        for contender in contenders if number % 2 == 0 else contenders[::-1]:
            blocks = suites.interleaved(contender, raw, tests)
            samples[contender].append(
                (statistics.fmean(blocks["kit"]), statistics.fmean(blocks["raw"]))
            )
            kit, own_raw = samples[contender][-1]
            print(
                f"  interleaved round {number + 1}/{rounds}, {tests} tests of each: "
                f"{contender.label} {kit * 1e3:.3f} ms against raw {own_raw * 1e3:.3f} ms "
                f"({kit / own_raw:.3f}x); full collections left out: {blocks['full'][0]:.0f}, "
                f"{blocks['full'][1] * 1e3:.0f} ms",
                file=sys.stderr,
            )
    return samples


def _as_separate_runs(
    interleaved: dict[Contender, list[tuple[float, float]]], raw: Contender
) -> dict[Contender, list[tuple[float, float]]]:
    """Interleaved samples in the shape of :func:`cpu_per_test`'s (no system time told apart):
    raw's those of the run with this tree's kit, and each kit's scaled to them, so that each
    round's ratio is the kit's to the raw tests of its own process."""
    this_tree = next(c for c in interleaved if c.source is None)
    raws = [own_raw for _, own_raw in interleaved[this_tree]]
    samples = {
        c: [
            (kit / own_raw * shared, 0.0)
            for (kit, own_raw), shared in zip(runs, raws, strict=True)
        ]
        for c, runs in interleaved.items()
    }
    samples[raw] = [(shared, 0.0) for shared in raws]
    return samples


def median_interval(values: list[float], confidence: float = 0.95) -> tuple[float, float]:
    """A distribution-free interval for the median of ``values``: the order statistics that
    the binomial distribution puts the median between with at least ``confidence``."""
    ordered, n = sorted(values), len(values)
    tail = (1 - confidence) / 2
    # The largest k with P(Binomial(n, 1/2) < k) <= tail: [x(k), x(n - k + 1)], from 1.
    k, below = 0, 0.0
    while k < n // 2 and below + math.comb(n, k) / 2**n <= tail:
        below += math.comb(n, k) / 2**n
        k += 1
    if k == 0:
        return ordered[0], ordered[-1]
    return ordered[k - 1], ordered[n - k]


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
    parser.add_argument(
        "--interleaved",
        action="store_true",
        help="time the CPU with kit and raw tests taking turns in one process",
    )
    parser.add_argument("--jobs", type=int, default=JOBS, help="callgrind runs at once")
    parser.add_argument(
        "--simulate",
        action="store_true",
        help="callgrind's cache and branch simulation too (a few times slower)",
    )
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
    simulate = simulation_options() if args.simulate else ()
    simulated = [
        "| suite | tests | instructions a test | L1 misses | LL misses | mispredicts | "
        "cycle estimate |",
        "| --- | --- | --- | --- | --- | --- | --- |",
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
                events = events_per_test(suites, contenders, args.sizes, args.jobs, simulate)
                counts = {c: {n: e["Ir"] for n, e in v.items()} for c, v in events.items()}
                simulated += _simulated_rows(events, raw, args.sizes) if simulate else []
            for tests in args.sizes:
                samples = {}
                if args.interleaved and not args.no_cpu:
                    samples = _as_separate_runs(
                        interleaved_per_test(suites, kits, raw_flavour, tests, args.rounds), raw
                    )
                elif not args.no_cpu:
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
                        each = [k / r for k, r in zip(cpu[contender], cpu[raw], strict=True)]
                        if args.interleaved:
                            # Each round's ratio is to the raw tests of its own process.
                            medians[contender] = statistics.median(each) * medians[raw]
                        cells.append(_cells(medians, contender, raw, "ms"))
                        system = statistics.median(run[1] for run in samples[contender])
                        cells.append(f"{system * 1e3:.3f} ms")
                        shown = ", ".join(f"{ratio:.2f}" for ratio in each)
                        if args.interleaved and contender != raw:
                            low, high = median_interval(each)
                            shown += f" (median {statistics.median(each):.3f}x, "
                            shown += f"95% interval {low:.3f}-{high:.3f}x)"
                        cells.append(shown)
                    else:
                        cells += [" | ", "", ""]
                    is_kit = contender in kits
                    cells.append(f"<= {GOALS[pair]:.2f}x" if is_kit else "")
                    lines.append("| " + " | ".join(cells) + " |")
    print("\n".join(lines))
    if simulate:
        print(f"\nSimulated by callgrind ({' '.join(simulate)}), a test:\n")
        print("\n".join(simulated))
    print(f"\n({time.perf_counter() - started:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
