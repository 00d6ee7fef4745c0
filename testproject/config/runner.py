"""The test project's runner: Django's, plus a closing summary of what ran and what skipped.

Django's runner ends with ``OK (skipped=1)``; this says which apps' tests ran, on which
database, and why each skipped test skipped (say, Playwright not installed).
"""

from __future__ import annotations

import re
import sys
import unittest
from typing import Any

from django.db import connection
from django.test.runner import DiscoverRunner


class SummaryRunner(DiscoverRunner):
    def run_suite(self, suite: unittest.TestSuite, **kwargs: Any) -> unittest.TestResult:
        self._suite_labels = sorted({type(test).__module__.split(".")[0] for test in suite})
        self._result = super().run_suite(suite, **kwargs)
        return self._result

    def run_tests(self, test_labels: list[str], **kwargs: Any) -> int:
        failures = super().run_tests(test_labels, **kwargs)
        result = getattr(self, "_result", None)
        if result is not None:
            self._summarise(result)
        return failures

    def _summarise(self, result: unittest.TestResult) -> None:
        skipped = {}
        for test, reason in result.skipped:
            # A class skipped in setUpClass comes as "setUpClass (module.Class)".
            where = re.sub(r"^setUpClass \((.*)\)$", r"\1", test.id())
            skipped.setdefault(reason, []).append(
                where if where != test.id() else where.rsplit(".", 1)[0]
            )
        problems = len(result.failures) + len(result.errors)
        passed = result.testsRun - problems - len(result.skipped)
        lines = [
            f"The test project's suite ({', '.join(self._suite_labels)}) on "
            f"{connection.display_name}: {result.testsRun} tests, {passed} passed, "
            f"{len(result.skipped)} skipped, {problems} failed or errored."
        ]
        for reason, where in skipped.items():
            lines.append(f"  skipped {len(where)} in {', '.join(sorted(set(where)))}: {reason}")
        # After unittest's own report, on the same stream.
        print("\n".join(lines), file=sys.stderr, flush=True)
