"""Run one of the suite's runners under mutmut's call recording and write what it called.

    python tests/mutation/_record.py OUT.json pytest ARGS...
    python tests/mutation/_record.py OUT.json manage ARGS...

Run from mutmut's ``mutants/`` folder. The file gets the mangled names of the mutated
functions the runner's tests called, in all and (pytest) test by test, so that a survivor is
rechecked only by the runners and tests that reach it, and whether the unmutated suite passed.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
from pathlib import Path


class _CallsByTest:
    """Which mutated functions each pytest test calls (its class's set-up counts for the first)."""

    def __init__(self, stats: set[str]) -> None:
        self.stats = stats
        self.calls: dict[str, list[str]] = {}
        self.before: set[str] = set()

    def pytest_runtest_logstart(self, nodeid: str, location: object) -> None:
        self.before = set(self.stats)
        self.stats.clear()

    def pytest_runtest_logfinish(self, nodeid: str, location: object) -> None:
        self.calls[nodeid] = sorted(self.stats)
        self.stats.update(self.before)


def main(out: str, runner: str, args: list[str]) -> int:
    os.environ["MUTANT_UNDER_TEST"] = "stats"
    from mutmut.configuration import config
    from mutmut.state import state

    by_test = _CallsByTest(state()._stats)

    # Read mutmut's settings now: manage.py changes directory before the first call.
    config()
    code = 1
    try:
        if runner == "pytest":
            import pytest

            code = int(pytest.main(args, plugins=[by_test]))
        else:
            sys.argv = ["manage.py", *args]
            try:
                runpy.run_path("testproject/manage.py", run_name="__main__")
                code = 0
            except SystemExit as exit:
                code = exit.code if isinstance(exit.code, int) else 1
    finally:
        Path(out).write_text(
            json.dumps(
                {"passed": code == 0, "called": sorted(state()._stats), "by_test": by_test.calls}
            ),
            encoding="utf-8",
        )
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
