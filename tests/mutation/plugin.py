"""A pytest plugin for mutmut's runs only (``tox -e mutation`` loads it).

mutmut maps tests to functions by recording calls in its own process (``MUTANT_UNDER_TEST=stats``)
and reads its settings from the working directory; a child process (pytester, ``manage.py
test``, the import checks) can do neither. During the mapping run, children run the
unmutated code instead; with a mutant active, children inherit it, so a subprocess test
that is selected still kills.

The browser tests run in fresh processes afterwards (tests/mutation/run.py). The tests of the
code's own shape are left out: mutmut puts a trampoline of its own between
every caller and every mutated function and its names in every mutated module, so the
tracebacks and namespaces those tests check are mutmut's.
"""

from __future__ import annotations

import os
import subprocess
from typing import Any

_original_init = subprocess.Popen.__init__


def _popen_init(self: subprocess.Popen[Any], *args: Any, **kwargs: Any) -> None:
    env = kwargs.get("env")
    source = os.environ if env is None else env
    if source.get("MUTANT_UNDER_TEST") == "stats":
        kwargs["env"] = {**source, "MUTANT_UNDER_TEST": "none"}
    _original_init(self, *args, **kwargs)


# node id prefix -> what mutmut changes that the test checks
_SHAPE_TESTS = {
    "tests/test_frames.py::": "the frames of a traceback",
    "tests/test_exports.py::test_all_lists_exactly_the_public_names": "a module's names",
}


# Run by tests/mutation/run.py in fresh processes instead: Playwright's driver and Chromium,
# started in the process mutmut forks from, do not survive the fork.
_BROWSER_TESTS = ("tests/test_browser.py::", "testproject/accounts/tests/test_browser.py::")


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    left_out = (*_SHAPE_TESTS, *_BROWSER_TESTS)
    shape = [item for item in items if item.nodeid.startswith(left_out)]
    if shape:
        config.hook.pytest_deselected(items=shape)
        items[:] = [item for item in items if item not in shape]


def pytest_configure(config: Any) -> None:
    subprocess.Popen.__init__ = _popen_init  # type: ignore[method-assign]


def pytest_unconfigure(config: Any) -> None:
    subprocess.Popen.__init__ = _original_init  # type: ignore[method-assign]
