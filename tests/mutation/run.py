"""Mutation testing of the kit: mutmut over the package, each survivor rechecked in fresh
processes by all four runners, then each module's score.

    python tests/mutation/run.py [--all] [--max-children N] [--fail-under 90]

(``tox -e mutation``.) mutmut (configured in pyproject.toml) mutates the package and runs,
for each mutant, the tests of the kit and of the test project that call the mutated
function, forked from one process. A fork shares what was set up at import, so every
survivor is then run again in a fresh interpreter: by the same tests, and by each other runner
that calls the function (the email site's and the allauth site's pytest suites, and the test
project's ``manage.py test``). A mutant is killed when any of them fails.

``tests/mutation/equivalent.txt`` lists the survivors that no test can kill, with the reason;
they leave the count. A module's score is killed / (mutants - equivalent). The core modules
must each reach ``--fail-under`` (90%); ``--all`` also mutates and scores the other modules.
``mutmut show NAME`` prints a mutant's diff.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = ROOT / "mutants"
EQUIVALENT = Path(__file__).with_name("equivalent.txt")
PACKAGE = "django_integration_kit"
CORE = [
    "_report",
    "flows",
    "services.http",
    "forms",
    "services.network",
    "services.time",
    "builders",
    "conf",
    "assertions",
    "services.mail",
]
KILLED = {1, 3, 24, -24, 36, 152, 255}
SURVIVED = {0, 5, 33}
# The three runners besides the main pytest run, as tests/run_suite.py runs them.
EXTRA_RUNNERS = {
    "emailsite": ["pytest", "-q", "--ds=config.settings_emailsite", "tests/emailsite"],
    "allauth": ["pytest", "-q", "--ds=config.settings_allauth", "tests/allauth_site"],
    "manage.py test": ["manage", "test", "--noinput"],
}
PYTEST_OPTIONS = ["-q", "-x", "-p", "no:randomly", "-p", "no:xdist", "-p", "no:cacheprovider"]


def _module_of(mutant: str) -> str:
    return mutant.removeprefix(PACKAGE + ".").rsplit(".", 1)[0]


def _function_of(mutant: str) -> str:
    return mutant.partition("__mutmut_")[0]


def _statuses(modules: Iterable[str]) -> dict[str, int | None]:
    """mutmut's exit code for every mutant of ``modules``, from its meta files."""
    codes: dict[str, int | None] = {}
    for module in modules:
        meta = MUTANTS / PACKAGE / (module.replace(".", "/") + ".py.meta")
        if not meta.exists():
            continue
        data = json.loads(meta.read_text(encoding="utf-8"))
        codes.update(data["exit_code_by_key"])
    return codes


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


def _record_calls() -> dict[str, set[str]]:
    """Which mutated functions each extra runner calls, from one recorded run of each."""
    called: dict[str, set[str]] = {}
    for name, runner in EXTRA_RUNNERS.items():
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
            path = Path(out.name)
        kind, *args = runner
        if kind == "pytest":
            args = [*PYTEST_OPTIONS, *args]
        recorder = [sys.executable, str(Path(__file__).with_name("_record.py")), str(path), kind]
        subprocess.run(
            [*recorder, *args], cwd=MUTANTS, env=_env("stats"), capture_output=True, check=False
        )
        result = json.loads(path.read_text(encoding="utf-8"))
        path.unlink()
        if not result["passed"]:
            sys.exit(f"The {name} runner fails on the unmutated code; fix that first.")
        called[name] = set(result["called"])
        print(f"  {name}: calls {len(called[name])} mutated functions", flush=True)
    return called


def _killed_fresh(
    mutant: str, tests_by_function: dict[str, list[str]], called: dict[str, set[str]]
) -> str | None:
    """The first runner that kills ``mutant`` in a fresh process, or None if all pass."""
    function = _function_of(mutant)
    runs: list[tuple[str, list[str]]] = []
    tests = tests_by_function.get(function)
    if tests:
        runs.append(("pytest", _command(["pytest"], sorted(tests))))
    for name, runner in EXTRA_RUNNERS.items():
        if function in called[name]:
            runs.append((name, _command(runner)))
    for name, command in runs:
        try:
            done = subprocess.run(
                command,
                cwd=MUTANTS,
                env=_env(mutant),
                capture_output=True,
                timeout=600,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return f"{name} (timeout)"
        if done.returncode != 0:
            return name
    return None


def _recheck(survivors: list[str], jobs: int, cache: dict[str, str]) -> dict[str, str | None]:
    stats = json.loads((MUTANTS / "mutmut-stats.json").read_text(encoding="utf-8"))
    tests_by_function = stats["tests_by_mangled_function_name"]
    print(f"Rechecking {len(survivors)} survivors in fresh processes:", flush=True)
    called = _record_calls()
    verdicts: dict[str, str | None] = {}
    todo = [m for m in survivors if m not in cache]
    verdicts.update({m: cache[m] for m in survivors if m in cache})
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for done, (mutant, killer) in enumerate(
            zip(
                todo,
                pool.map(lambda m: _killed_fresh(m, tests_by_function, called), todo),
                strict=True,
            ),
            1,
        ):
            verdicts[mutant] = killer
            if killer:
                cache[mutant] = killer
            if done % 25 == 0 or done == len(todo):
                print(f"  {done}/{len(todo)} in {time.monotonic() - started:.0f} s", flush=True)
    return verdicts


def _load_cache(key: str) -> dict[str, str]:
    path = MUTANTS / "recheck-kills.json"
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") == key:
            return data["kills"]
    return {}


def _save_cache(key: str, kills: dict[str, str]) -> None:
    (MUTANTS / "recheck-kills.json").write_text(
        json.dumps({"key": key, "kills": kills}, indent=1), encoding="utf-8"
    )


def _tree_key() -> str:
    """A key that changes with the package's code: kills found fresh are kept until then."""
    import hashlib

    digest = hashlib.sha256()
    for folder in ("django_integration_kit",):
        for path in sorted((ROOT / folder).rglob("*.py")):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _report(
    modules: list[str],
    codes: dict[str, int | None],
    verdicts: dict[str, str | None],
    equivalent: dict[str, str],
    fail_under: float,
) -> int:
    rows = []
    failing = []
    survivors: list[str] = []
    for module in modules:
        names = [n for n in codes if _module_of(n) == module]
        if not names:
            continue
        equal = [n for n in names if n in equivalent]
        killed = [
            n
            for n in names
            if n not in equivalent and (codes[n] in KILLED or verdicts.get(n) is not None)
        ]
        unchecked = [n for n in names if codes[n] is None]
        counted = len(names) - len(equal)
        score = 100.0 * len(killed) / counted if counted else 100.0
        left = [n for n in names if n not in equivalent and n not in killed]
        survivors.extend(left)
        core = module in CORE
        if core and score < fail_under:
            failing.append(module)
        rows.append(
            f"| {module}{'' if core else ' (not core)'} | {len(names)} | {len(killed)} | "
            f"{len(left)} | {len(equal)} | {score:.1f}% |"
            + (f" {len(unchecked)} not checked" if unchecked else "")
        )
    print()
    print("| module | mutants | killed | survived | equivalent | score |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))
    stale = [n for n in equivalent if n in codes and (codes[n] in KILLED or verdicts.get(n))]
    if stale:
        print(f"\n{len(stale)} listed as equivalent but killed (remove them from equivalent.txt):")
        print("\n".join(f"  {n}" for n in stale))
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
    parser.add_argument("--all", action="store_true", help="mutate every module, not the core")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--fail-under", type=float, default=90.0)
    parser.add_argument("--no-recheck", action="store_true", help="score mutmut's verdicts alone")
    options = parser.parse_args()

    globs = [] if options.all else [f"{PACKAGE}.{module}.*" for module in CORE]
    run = subprocess.run(
        ["mutmut", "run", "--max-children", str(options.max_children), *globs], cwd=ROOT
    )
    if run.returncode:
        return run.returncode
    modules = CORE
    if options.all:
        modules = sorted(
            str(p.relative_to(MUTANTS / PACKAGE).with_suffix(""))
            .removesuffix(".py")
            .replace("/", ".")
            for p in (MUTANTS / PACKAGE).rglob("*.py.meta")
        )
    codes = _statuses(modules)
    equivalent = _equivalents()
    verdicts: dict[str, str | None] = {}
    if not options.no_recheck:
        key = _tree_key()
        cache = _load_cache(key)
        survivors = [n for n, c in codes.items() if c in SURVIVED and n not in equivalent]
        verdicts = _recheck(survivors, options.max_children, cache)
        _save_cache(key, cache)
    return _report(modules, codes, verdicts, equivalent, options.fail_under)


if __name__ == "__main__":
    sys.exit(main())
