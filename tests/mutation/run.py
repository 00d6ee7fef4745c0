"""Mutation testing of the kit's core: mutmut, then every survivor rechecked by all four of
the suite's runners, then each module's score.

    python tests/mutation/run.py [--max-children N] [--fail-under 90]

(``tox -e mutation``.) mutmut (configured in pyproject.toml) mutates the core modules and
runs, for each mutant, the tests of the kit and of the test project that call the mutated
function, each in a process forked from one that has imported everything. Then, for every
survivor, in fresh interpreters:

- each other runner that calls the function: the email site's and the allauth site's pytest
  suites, the test project's ``manage.py test``, and the browser tests (in Chromium, where
  Playwright and a browser are installed; they skip elsewhere);
- when the function runs at import (which a forked process has done already), its tests;
- on a later run, the tests added since it last survived (mutmut retests a mutant only when
  its function changes).

A mutant is killed when any of them fails. ``tests/mutation/equivalent.txt`` lists the
survivors no test can kill, each with the reason; they leave the count. A module's score is
killed / (mutants - equivalent), and every core module must reach ``--fail-under``.
``mutmut show NAME`` prints a mutant's diff. What was checked is kept in ``mutants/``, so a
rerun checks only what changed.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = ROOT / "mutants"
EQUIVALENT = Path(__file__).with_name("equivalent.txt")
CHECKED = MUTANTS / "kit-rechecked.json"
PACKAGE = "django_integration_kit"
CORE = [
    "_report",
    "flows",
    "forms",
    "builders",
    "conf",
    "assertions",
    "services.http",
    "services.network",
    "services.time",
    "services.mail",
]
KILLED = {1, 3, 24, -24, 36, 152, 255}
SURVIVED = {0, 5, 33}
BROWSER_TESTS = ("tests/test_browser.py", "testproject/accounts/tests/test_browser.py")
# The runners besides mutmut's, as tests/run_suite.py runs them, and the browser tests.
EXTRA_RUNNERS = {
    "emailsite": ["pytest", "--ds=config.settings_emailsite", "tests/emailsite"],
    "allauth": ["pytest", "--ds=config.settings_allauth", "tests/allauth_site"],
    "manage.py test": ["manage", "test", "--noinput"],
    # Left out of mutmut's forked runs (tests/mutation/plugin.py): Playwright's driver and
    # Chromium do not survive a fork.
    "browser": ["pytest", *BROWSER_TESTS],
}
# The test project's own tests, which manage.py test runs: mutmut's pytest run has them too.
MANAGE_PY_TESTS = (
    "testproject/accounts/",
    "testproject/catalog/",
    "testproject/newsletter/",
    "testproject/trials/",
    "testproject/weather/",
)
PYTEST_OPTIONS = ["-q", "-x", "-p", "no:randomly", "-p", "no:xdist", "-p", "no:cacheprovider"]


def _module_of(mutant: str) -> str:
    return mutant.removeprefix(PACKAGE + ".").rsplit(".", 1)[0]


def _function_of(mutant: str) -> str:
    """The mangled name mutmut's stats use: ``package.module.x_function``."""
    return mutant.partition("__mutmut_")[0]


def _meta_path(module: str) -> Path:
    return MUTANTS / PACKAGE / (module.replace(".", "/") + ".py.meta")


def _verdicts() -> tuple[dict[str, int | None], dict[str, str]]:
    """mutmut's exit code for every core mutant, and each mutated function's hash."""
    codes: dict[str, int | None] = {}
    hashes: dict[str, str] = {}
    for module in CORE:
        if not _meta_path(module).exists():
            sys.exit(f"mutmut left no results for {module}; see its output above.")
        data = json.loads(_meta_path(module).read_text(encoding="utf-8"))
        codes.update(data["exit_code_by_key"])
        prefix = f"{PACKAGE}.{module}."
        hashes.update(
            {prefix + name: value for name, value in data["hash_by_function_name"].items()}
        )
    return codes, hashes


def _equivalents() -> dict[str, str]:
    """The listed equivalent mutants: name -> reason."""
    listed: dict[str, str] = {}
    for number, line in enumerate(EQUIVALENT.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, reason = line.partition(" ")
        if not reason.strip():
            sys.exit(
                f"{EQUIVALENT.name}:{number}: {name} has no reason; say why no test can kill it."
            )
        listed[name] = reason.strip()
    return listed


def _called_at_import() -> set[str]:
    """The core functions a module calls at import, as mangled names: in a forked process
    their mutants never ran."""
    found = set()
    for module in CORE:
        tree = ast.parse((ROOT / PACKAGE / (module.replace(".", "/") + ".py")).read_text())
        defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id in defined
                ):
                    found.add(f"{PACKAGE}.{module}.x_{call.func.id}")
    return found


def _env(mutant: str) -> dict[str, str]:
    return {
        **os.environ,
        "MUTANT_UNDER_TEST": mutant,
        "PYTHONPATH": os.pathsep.join([str(MUTANTS), os.environ.get("PYTHONPATH", "")]),
    }


def _command(runner: list[str], tests: list[str] | None = None) -> list[str]:
    kind, *args = runner
    if kind == "manage":
        return [sys.executable, "testproject/manage.py", *args, "--failfast"]
    return [sys.executable, "-m", "pytest", *PYTEST_OPTIONS, *args, *(tests or [])]


def _label(node_id: str) -> str:
    """The Django test label of a pytest node id of the test project's suite."""
    path, *names = node_id.split("::")
    return ".".join(
        [path.removeprefix("testproject/").removesuffix(".py").replace("/", "."), *names]
    )


def _mirror(module: str) -> str:
    """The test file of ``module``: the suite's tests mirror the package."""
    return f"tests/test_{module.replace('.', '_').lstrip('_')}.py"


def _record_calls() -> tuple[dict[str, set[str]], dict[str, dict[str, set[str]]]]:
    """Which mutated functions each extra runner calls, from one recorded run of each: in all,
    and (pytest runners) the tests that call each function."""
    called: dict[str, set[str]] = {}
    tests_calling: dict[str, dict[str, set[str]]] = {}
    for name, runner in EXTRA_RUNNERS.items():
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
            path = Path(out.name)
        kind, *args = runner
        if kind == "pytest":
            args = [*PYTEST_OPTIONS, *args]
        recorder = [sys.executable, str(Path(__file__).with_name("_record.py")), str(path), kind]
        done = subprocess.run(
            [*recorder, *args], cwd=MUTANTS, env=_env("stats"), capture_output=True, check=False
        )
        result = json.loads(path.read_text(encoding="utf-8") or "{}")
        path.unlink()
        if not result.get("passed"):
            print(done.stdout.decode()[-3000:], done.stderr.decode()[-3000:])
            sys.exit(f"The {name} runner fails on the unmutated code; fix that first.")
        called[name] = set(result["called"])
        tests_calling[name] = {}
        for test, functions in result.get("by_test", {}).items():
            for function in functions:
                tests_calling[name].setdefault(function, set()).add(test)
        print(f"  {name}: calls {len(called[name])} mutated functions", flush=True)
    return called, tests_calling


def _fails(mutant: str, command: list[str]) -> bool:
    try:
        done = subprocess.run(
            command, cwd=MUTANTS, env=_env(mutant), capture_output=True, timeout=900, check=False
        )
    except subprocess.TimeoutExpired:
        return True
    return done.returncode != 0


def _recheck(survivors: list[str], hashes: dict[str, str], jobs: int) -> dict[str, str]:
    """Run what has not yet been run against each survivor; return the killed ones -> by what."""
    stats = json.loads((MUTANTS / "mutmut-stats.json").read_text(encoding="utf-8"))
    tests_of = {k: set(v) for k, v in stats["tests_by_mangled_function_name"].items()}
    checked: dict[str, Any] = json.loads(CHECKED.read_text()) if CHECKED.exists() else {}
    at_import = _called_at_import()
    print(f"Rechecking {len(survivors)} survivors in fresh processes:", flush=True)
    called, tests_calling = _record_calls()

    def plan(mutant: str) -> list[tuple[str, list[str], list[str]]]:
        function = _function_of(mutant)
        tests = tests_of.get(function, set())
        if function in at_import:
            # No test calls it: the module's own tests are the ones that depend on it.
            tests = tests | {_mirror(_module_of(mutant))}
        record = checked.get(mutant)
        if record is None or record["hash"] != hashes.get(function):
            # mutmut has just run, forked, every test of the function against it.
            done = [] if function in at_import else sorted(tests)
            record = {"hash": hashes.get(function), "tests": done, "runners": []}
            checked[mutant] = record
        runs = []
        new = sorted(tests - set(record["tests"]))
        if new:
            runs.append(("pytest", _command(["pytest"], new), new))
        for name, runner in EXTRA_RUNNERS.items():
            if function not in called[name] or name in record["runners"]:
                continue
            if name == "manage.py test":
                # Django's runner, on the tests of the test project that reach the function.
                labels = sorted(_label(t) for t in tests if t.startswith(MANAGE_PY_TESTS))
                if not labels and function not in at_import:
                    continue
                runner = [*runner, *labels]
            elif runner[0] == "pytest" and tests_calling[name].get(function):
                # Only its tests that reach the function: the browser's take seconds each.
                options = [arg for arg in runner[1:] if arg.startswith("-")]
                runner = ["pytest", *options, *sorted(tests_calling[name][function])]
            runs.append((name, _command(runner), []))
        return runs

    def check(mutant: str) -> str | None:
        for name, command, tests in plan(mutant):
            if _fails(mutant, command):
                return name
            record = checked[mutant]
            if tests:
                record["tests"] = sorted(set(record["tests"]) | set(tests))
            else:
                record["runners"].append(name)
        return None

    kills: dict[str, str] = {}
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for done, (mutant, killer) in enumerate(
                zip(survivors, pool.map(check, survivors), strict=True), 1
            ):
                if killer:
                    kills[mutant] = killer
                    checked.pop(mutant, None)
                if done % 50 == 0 or done == len(survivors):
                    print(
                        f"  {done}/{len(survivors)}, {len(kills)} killed, "
                        f"{time.monotonic() - started:.0f} s",
                        flush=True,
                    )
    finally:
        CHECKED.write_text(json.dumps(checked), encoding="utf-8")
    return kills


def _mark_killed(kills: dict[str, str]) -> None:
    """Record the fresh processes' kills in mutmut's results, as mutmut's own."""
    for module in CORE:
        path = _meta_path(module)
        data = json.loads(path.read_text(encoding="utf-8"))
        mine = {name for name in data["exit_code_by_key"] if name in kills}
        if mine:
            data["exit_code_by_key"].update(dict.fromkeys(mine, 1))
            path.write_text(json.dumps(data, indent=4), encoding="utf-8")


def _report(codes: dict[str, int | None], equivalent: dict[str, str], fail_under: float) -> int:
    rows = []
    failing = []
    survivors: list[str] = []
    for module in CORE:
        names = [n for n in codes if _module_of(n) == module]
        equal = [n for n in names if n in equivalent]
        killed = [n for n in names if n not in equivalent and codes[n] in KILLED]
        left = [n for n in names if n not in equivalent and codes[n] not in KILLED]
        survivors.extend(left)
        counted = len(names) - len(equal)
        score = 100.0 * len(killed) / counted if counted else 100.0
        if score < fail_under:
            failing.append(module)
        rows.append(
            f"| {module} | {len(names)} | {len(killed)} | {len(left)} | {len(equal)} | "
            f"{score:.1f}% |"
        )
    print()
    print("| module | mutants | killed | survived | equivalent | score |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))
    stale = [n for n in equivalent if codes.get(n) in KILLED]
    unknown = [n for n in equivalent if n not in codes]
    if stale or unknown:
        print("\nequivalent.txt lists mutants that a test kills or that no longer exist:")
        print("\n".join(f"  {n}" for n in stale + unknown))
    if survivors:
        print(f"\n{len(survivors)} survivors (mutmut show NAME for the diff):")
        print("\n".join(f"  {n}" for n in survivors))
    if failing:
        print(f"\nUnder {fail_under:g}%: {', '.join(failing)}.")
        return 1
    print(f"\nEvery core module at {fail_under:g}% or more.")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--fail-under", type=float, default=90.0)
    options = parser.parse_args()

    run = subprocess.run(["mutmut", "run", "--max-children", str(options.max_children)], cwd=ROOT)
    if run.returncode:
        return run.returncode
    codes, hashes = _verdicts()
    equivalent = _equivalents()
    survivors = [n for n, c in codes.items() if c in SURVIVED and n not in equivalent]
    kills = _recheck(survivors, hashes, options.max_children)
    _mark_killed(kills)
    codes, _ = _verdicts()
    return _report(codes, equivalent, options.fail_under)


if __name__ == "__main__":
    sys.exit(main())
