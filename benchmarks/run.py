"""The published benchmark: the kit next to raw Django, django-test-plus and django-webtest.

Run from the repository root in an environment with the kit, django-test-plus, django-webtest
(with WebTest) and time-machine installed: ``tox -e bench`` or ``python benchmarks/run.py``.
It times the same flows in one process, contenders interleaved round by round (medians), then
runs a suite of login + GET tests in each style with Django's test runner, prints Markdown
tables and writes them to ``benchmarks/results.md``. About four minutes on two cores.

``--full`` runs the PBKDF2-per-test suites at full size too (over ten minutes);
``--profile`` prints a cProfile of each kit operation instead of benchmarking.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import os
import platform
import pstats
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from _setup import setup_django

HERE = Path(__file__).resolve().parent
GOAL = 1.2
ROUNDS = 15
SUITE_TESTS = 200
SUITE_RUNS = 3
SHORT_SUITE = 10
# An operation is repeated in a round until it has run about this long...
ROUND_SECONDS = 0.08
# ...and one slower than this (it hashes with PBKDF2) runs once, in every SLOW_EVERY-th round.
SLOW = 0.25
SLOW_EVERY = 5
# A first call slower than this is not repeated to time a second one: it hashes with PBKDF2.
WARM_UP_LIMIT = 1.0
PACKAGES = (
    "django-integration-kit",
    "django-test-plus",
    "django-webtest",
    "WebTest",
    "freezegun",
    "time-machine",
    "model-bakery",
    "selectolax",
)
# What --profile lists: the kit's code and what it brings in, not Django's.
PROFILED = r"django_integration_kit|model_bakery|selectolax|freezegun"
NEEDED = {
    "test_plus": "django-test-plus",
    "django_webtest": "django-webtest",
    "webtest": "WebTest",
    "time_machine": "time-machine",
}


@dataclass
class Figure:
    """A median wall time and a median CPU time, in seconds."""

    wall: float
    cpu: float

    def on(self, basis: str) -> float:
        return self.cpu if basis == "CPU" else self.wall


@dataclass
class Row:
    """One contender's line in a table, before the verdicts are drawn."""

    label: str
    how: str
    kind: str
    figure: Figure | None
    as_run: str = ""
    extrapolated: bool = False
    spread: Figure | None = None  # max - min over the runs, where there are only a few


@dataclass
class Table:
    title: str
    rows: list[Row]
    notes: Sequence[str]
    suite: bool = False
    baseline: str = "best raw"


_loads: list[float] = []


def _note_load() -> None:
    _loads.append(os.getloadavg()[0])


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; write and print the results."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--full", action="store_true", help="run every suite at full size")
    parser.add_argument("--profile", action="store_true", help="profile the kit's operations")
    parser.add_argument("--output", type=Path, default=HERE / "results.md")
    args = parser.parse_args(argv)
    _check_installed()
    setup_django()
    import _inprocess
    import _suites

    scenarios = [_inprocess.with_rollback(s) for s in _inprocess.scenarios()]
    if args.profile:
        _profile(scenarios)
        return 0
    started = time.perf_counter()
    tables = []
    for scenario in scenarios:
        print(f"{scenario.title} ...", flush=True)
        results = _measure(scenario)
        rows = [Row(c.label, c.how, c.kind, results.get(c.label)) for c in scenario.contenders]
        tables.append(Table(scenario.title, rows, scenario.notes, baseline=scenario.baseline))
    print(f"5. the {SUITE_TESTS}-test suites ...", flush=True)
    suites = _suites.run_suites(SUITE_TESTS, SUITE_RUNS, SHORT_SUITE, args.full, _note_load)
    tables.append(_suite_table(suites))
    _note_load()
    report = _report(tables, (time.perf_counter() - started) / 60)
    kept = _other_sections(args.output, len(tables))
    if kept:
        report = report.rstrip("\n") + "\n\n" + kept
    args.output.write_text(report)
    print()
    print(report)
    return 0


def _other_sections(results: Path, generated: int) -> str:
    """The sections of ``results`` that other scripts of benchmarks/ wrote (numbered after this
    run's ``generated`` tables), to keep them when this run rewrites the file."""
    if not results.exists():
        return ""
    text = results.read_text()
    for match in re.finditer(r"^## (\d+)\.", text, re.MULTILINE):
        if int(match[1]) > generated:
            return text[match.start() :]
    return ""


def _check_installed() -> None:
    missing = []
    for module, dist in NEEDED.items():
        try:
            __import__(module)
        except ImportError:
            missing.append(dist)
    if missing:
        raise SystemExit(
            f"The benchmark needs {', '.join(missing)}; run it with `tox -e bench`, or install "
            "them next to the kit: pip install django-test-plus django-webtest webtest "
            "time-machine."
        )


# Timing


def _seconds(op: Callable[[], None], times: int) -> Figure:
    """Wall and CPU seconds per call of ``op`` over ``times`` calls."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(times):
        op()
    return Figure((time.perf_counter() - wall) / times, (time.process_time() - cpu) / times)


def _plan(contender: Any) -> tuple[int, int]:
    """How many operations a round of ``contender`` runs, and in which rounds it takes part."""
    with contender.context():
        took = _seconds(contender.op, 1).wall  # the first call compiles templates, imports...
        if took < WARM_UP_LIMIT:
            took = _seconds(contender.op, 1).wall
    if took >= SLOW:
        return 1, SLOW_EVERY
    return max(1, min(5000, round(ROUND_SECONDS / took))), 1


def _measure(scenario: Any) -> dict[str, Figure]:
    """Median wall and CPU seconds per operation of each contender, over interleaved rounds."""
    _note_load()
    timed = [c for c in scenario.contenders if c.op is not None]
    plans = {c.label: _plan(c) for c in timed}
    samples: dict[str, list[Figure]] = {c.label: [] for c in timed}
    for round_number in range(ROUNDS):
        for contender in timed:
            times, every = plans[contender.label]
            if round_number % every == 0:
                with contender.context():
                    samples[contender.label].append(_seconds(contender.op, times))
    _note_load()
    return {
        label: Figure(
            statistics.median(f.wall for f in values), statistics.median(f.cpu for f in values)
        )
        for label, values in samples.items()
    }


def _profile(scenarios: list[Any]) -> None:
    for scenario in scenarios:
        for contender in scenario.contenders:
            if contender.kind != "kit":
                continue
            times = max(_plan(contender)[0] * 5, 50)
            profile = cProfile.Profile()
            with contender.context():
                profile.enable()
                for _ in range(times):
                    contender.op()
                profile.disable()
            stats = pstats.Stats(profile)
            per_op = stats.total_tt / times * 1e3  # type: ignore[attr-defined]
            print(f"\n=== {scenario.title}: kit, {times} operations, {per_op:.3f} ms each ===")
            print("The kit's own functions and its dependencies (cumulative, all operations):")
            stats.sort_stats("cumulative").print_stats(PROFILED, 30)


def _median_figure(walls: list[float], cpus: list[float]) -> Figure:
    return Figure(statistics.median(walls), statistics.median(cpus))


def _suite_row(result: Any) -> Row:
    walls = result.walls
    parts = (
        f"{statistics.median(walls):.2f} s ({min(walls):.2f}-{max(walls):.2f}), "
        f"{result.ran} tests; CPU: {statistics.median(result.fixed_cpus):.2f} s fixed + "
        f"{statistics.median(result.per_test_cpus) * 1e3:.1f} ms a test"
    )
    spread = Figure(
        max(result.suite_walls) - min(result.suite_walls),
        max(result.suite_cpus) - min(result.suite_cpus),
    )
    return Row(
        result.style.label,
        result.style.how,
        result.style.kind,
        _median_figure(result.suite_walls, result.suite_cpus),
        parts,
        result.extrapolated,
        spread,
    )


def _suite_table(results: list[Any]) -> Table:
    rows = [_suite_row(r) for r in results]
    notes = [
        "Each suite is one class whose setUpTestData makes a user with a usable password; "
        "each test logs that user in, GETs /dashboard/ and asserts on the page. Each style "
        f"runs {SUITE_RUNS} times, styles alternating, under `python -m django test` in a fresh "
        "interpreter, with the test project's settings, which keep Django's default PBKDF2 "
        "hasher. Times are the whole process: interpreter, Django, test database, tests.",
        "django-test-plus and django-webtest do not change the hasher: test-plus's login() "
        "checks the password with PBKDF2 in every test, as raw Django's client.login() does; "
        "webtest's `user=` logs in without a password, so it pays PBKDF2 once, in "
        "setUpTestData. The kit and the raw MD5 row hash with MD5.",
        "'as run': the median wall time and its range over the runs, for the number of tests "
        "run; then the median CPU time split into the fixed part (interpreter, Django, test "
        "database, setUpTestData) and the tests' part, per test.",
    ]
    if any(r.extrapolated for r in results):
        notes.append(
            f"(est.): a style that checks a PBKDF2 password in every test takes 1-2 s a test "
            f"here, so it ran {SHORT_SUITE} tests a run; its {SUITE_TESTS}-test figure is the "
            f"run's fixed part (interpreter, Django, test database, setUpTestData) plus "
            f"{SUITE_TESTS // SHORT_SUITE} times the part its tests took. "
            f"`python benchmarks/run.py --full` runs all {SUITE_TESTS}."
        )
    title = f"5. a {SUITE_TESTS}-test suite (login + GET + assertion), time per suite"
    return Table(title, rows, notes, suite=True)


# Reporting


def _ms(seconds: float) -> str:
    ms = seconds * 1e3
    if ms >= 100:
        return f"{ms:,.0f} ms"
    if ms >= 10:
        return f"{ms:.1f} ms"
    if ms >= 1:
        return f"{ms:.2f} ms"
    return f"{ms:.4f} ms"


def _time(seconds: float, suite: bool) -> str:
    return f"{seconds:.2f} s" if suite else _ms(seconds)


def _times(ratio: float) -> str:
    return f"{ratio:.2f}x" if ratio < 10 else f"{ratio:.0f}x"


def _verdict(row: Row, table: Table, basis: str) -> str:
    """The goal column: for the kit, whether it met both goals; for the others, the kit's lead."""
    measured = [r for r in table.rows if r.figure is not None]
    best = min((r.figure.on(basis) for r in measured if r.kind == "raw"), default=0.0)
    kit = next(r.figure.on(basis) for r in measured if r.kind == "kit")
    if row.figure is None or row.kind == "raw":
        return ""
    figure = row.figure.on(basis)
    if row.kind != "kit":
        return (
            f"kit {_times(figure / kit)} faster"
            if figure > kit
            else f"kit {_times(kit / figure)} slower"
        )
    problems = []
    if figure > GOAL * best:
        problems.append(f"**over: {figure / best:.2f}x > {GOAL}x**")
    for other in measured:
        if other.kind == "other" and other.figure is not None and other.figure.on(basis) <= figure:
            problems.append(f"**behind {other.label}**" + _within_spread(row, other, basis))
    return "; ".join(problems) or "met"


def _within_spread(row: Row, other: Row, basis: str) -> str:
    """A remark when two rows differ by less than their runs' own spread: not a finding."""
    if row.spread is None or other.spread is None or not row.figure or not other.figure:
        return ""
    gap = row.figure.on(basis) - other.figure.on(basis)
    if gap < max(row.spread.on(basis), other.spread.on(basis)):
        return " (by less than the runs' spread)"
    return ""


def _markdown(table: Table, basis: str) -> tuple[str, list[str]]:
    """The table as Markdown, and the kit rows' verdicts that missed a goal."""
    measured = [r.figure for r in table.rows if r.figure is not None and r.kind == "raw"]
    best_wall = min(f.wall for f in measured)
    best_cpu = min(f.cpu for f in measured)
    best = min((r for r in table.rows if r.kind == "raw"), key=lambda r: r.figure.on(basis))
    unit = "per suite" if table.suite else "per op"
    head = ["contender", "what it does"]
    if table.suite:
        head.append("as run")
    head += [
        f"median wall {unit}",
        f"median CPU {unit}",
        f"x {table.baseline}, wall / CPU",
        "goal",
    ]
    lines = [f"## {table.title}", "", "| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    missed = []
    for row in table.rows:
        label = f"**{row.label}**" if row.kind == "kit" else row.label
        if row is best and row.label != table.baseline:
            label += f" ({table.baseline})"
        cells = [label, row.how]
        if row.figure is None:
            cells += ["n/a"] * (len(head) - 3) + [""]
        else:
            est = " (est.)" if row.extrapolated else ""
            if table.suite:
                cells.append(row.as_run)
            verdict = _verdict(row, table, basis)
            cells += [
                _time(row.figure.wall, table.suite) + est,
                _time(row.figure.cpu, table.suite) + est,
                f"{row.figure.wall / best_wall:.2f}x / {row.figure.cpu / best_cpu:.2f}x",
                verdict,
            ]
            if row.kind == "kit" and verdict != "met":
                missed.append(f"{table.title.split('.')[0]}: {verdict.replace('**', '')}")
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", *(f"{note}\n" for note in table.notes)]
    return "\n".join(lines).rstrip() + "\n", missed


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _basis() -> tuple[str, str]:
    """Which time the verdicts use, and why: CPU time when other work shared the cores."""
    cores = os.cpu_count() or 1
    busiest = max(_loads, default=0.0)
    span = f"{min(_loads, default=0.0):.1f}-{busiest:.1f} on {cores} cores"
    if busiest > cores:
        return "CPU", (
            f"The machine was busy with other work during the run (1-minute load average "
            f"{span}), so wall times are inflated at random; every flow here is CPU-bound "
            "(in-memory SQLite, no I/O), so the verdicts use CPU time, which is close to what "
            "the wall time would be on an idle core. Both are shown. CPU time is steadier, not "
            "immune: a shared core also runs slower, so compare rows within a table, not runs."
        )
    return "wall", f"Load average {span}: the verdicts use wall time (CPU time shown beside)."


def _report(tables: list[Table], minutes: float) -> str:
    import django
    from django.contrib.auth.hashers import get_hasher

    basis, why = _basis()
    hasher = get_hasher("default")
    iterations = getattr(hasher, "iterations", "?")
    today = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    packages = ", ".join(f"{name} {_version(name)}" for name in PACKAGES)
    sections, missed = [], []
    for table in tables:
        text, misses = _markdown(table, basis)
        sections.append(text)
        missed += misses
    summary = (
        "every kit row meets both goals."
        if not missed
        else "kit rows over goal: " + "; ".join(missed) + "."
    )
    head = [
        "# Benchmark: the kit against raw Django, django-test-plus and django-webtest",
        "",
        f"Generated by `python benchmarks/run.py` (`tox -e bench`) on {today}; "
        f"the run took {minutes:.1f} min.",
        "",
        f"- Machine: {_cpu_model()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.machine()}",
        f"- Python {platform.python_version()}, Django {django.get_version()}, SQLite "
        "(in-memory test database)",
        f"- Packages: {packages}",
        f"- Settings: the test project's `config.settings`, Django's default hasher "
        f"({hasher.algorithm}, {iterations} iterations). The kit's rows run under its test "
        "cases' defaults (MD5 hashing first, network blocked); django-webtest's under its "
        "middleware and auth backend, added with override_settings in the benchmark only.",
        f"- Method: one process; each round runs every contender in turn (an operation "
        f"repeated for ~{ROUND_SECONDS * 1e3:.0f} ms, or once in every {SLOW_EVERY}th round "
        f"when it takes over {SLOW * 1e3:.0f} ms), {ROUNDS} rounds, median per operation. "
        "Each operation starts from a fresh client and runs in a rolled-back transaction, "
        "as a test does.",
        f"- {why}",
        "",
        f"Goals: every kit row <= {GOAL}x the best raw-Django figure, and ahead of "
        "django-test-plus and django-webtest on every row they can do.",
        "",
        f"Summary ({basis} time): {summary}",
        "",
    ]
    return "\n".join(head) + "\n" + "\n".join(sections)


if __name__ == "__main__":
    sys.exit(main())
