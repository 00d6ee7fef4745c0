"""tox's inline plugin: a summary, at the very end of a run, of every env that did not run.

tox reports a skipped env as ``SKIP`` in a list and still ends with "congratulations" when the
rest passed. This says, as the last lines of the run, which envs did not run and why: no
interpreter for them (with how to get one), or a database env whose server or driver is missing
(the reason ``tests/run_suite.py`` writes to ``KIT_SKIP_REPORT``).
"""

from __future__ import annotations

import atexit
import logging
import os
import re
from pathlib import Path
from typing import Any

from tox.plugin import impl

_SKIP_FILE = "kit-skipped.txt"  # KIT_SKIP_REPORT, set in tox.ini
_ran: list[str] = []
_skipped: dict[str, str] = {}


class _SkipListener(logging.Filter):
    """Hears tox's "skipped because ..." for an env that could not be set up."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage().startswith("skipped because "):
            name = _current_env_name()
            if name:
                _skipped[name] = record.getMessage().removeprefix("skipped because ")
        return True


def _current_env_name() -> str | None:
    # tox's handler keeps the name of the env the logging thread works for.
    for handler in logging.getLogger().handlers:
        name = getattr(handler, "name", None)
        if type(handler).__name__ == "ToxHandler" and isinstance(name, str) and name != "root":
            return name
    return None


logging.getLogger("tox.session.cmd.run.single").addFilter(_SkipListener())


def _how_to_get(reason: str, base_python: list[str]) -> str:
    if "could not find python interpreter" not in reason:
        return reason
    # "py312" and "python3.12" both say Python 3.12.
    versions = [re.sub(r"^(?:py|python)(\d)\.?(\d+)$", r"Python \1.\2", b) for b in base_python]
    wanted = ", ".join(versions) or "the env's Python"
    return (
        f"no {wanted} found on PATH, and uv could not fetch one; install it (your OS's "
        "packages, pyenv, or `uv python install` where github.com is reachable) and rerun"
    )


@impl
def tox_before_run_commands(tox_env: Any) -> None:
    (Path(tox_env.conf["env_tmp_dir"]) / _SKIP_FILE).unlink(missing_ok=True)


@impl
def tox_after_run_commands(tox_env: Any, exit_code: int, outcomes: list[Any]) -> None:
    name = tox_env.conf.name
    report = Path(tox_env.conf["env_tmp_dir"]) / _SKIP_FILE
    if report.exists():
        _skipped[name] = report.read_text(encoding="utf-8").strip()
    else:
        _ran.append(name)


@impl
def tox_env_teardown(tox_env: Any) -> None:
    name = tox_env.conf.name
    if name in _skipped and "python interpreter" in _skipped[name]:
        try:
            base = list(tox_env.conf["base_python"])
        except Exception:  # noqa: BLE001 - the summary must never break the run
            base = []
        _skipped[name] = _how_to_get(_skipped[name], base)


def _summary() -> None:
    if not _ran and not _skipped:
        return  # tox --help, tox list, ...
    if not _skipped:
        print(f"django-integration-kit: all {len(_ran)} envs ran their tests.")
        return
    width = max(map(len, _skipped))
    lines = [
        "",
        f"django-integration-kit: {len(_skipped)} of {len(_ran) + len(_skipped)} envs did NOT "
        "run their tests:",
        *(f"  {name.ljust(width)}  {reason}" for name, reason in _skipped.items()),
        f"Only {len(_ran)} envs ran: {', '.join(_ran) or 'none'}. "
        "Fix the above to run the whole suite (.ci/run fails on any of them).",
    ]
    colour = os.environ.get("NO_COLOR") is None and os.isatty(1)
    text = "\n".join(lines)
    print(f"\033[1;33m{text}\033[0m" if colour else text, flush=True)


atexit.register(_summary)
