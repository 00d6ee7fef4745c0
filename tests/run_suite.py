"""Run the whole suite: the kit's tests, the email site's, and the test project's own.

    python tests/run_suite.py [extra pytest arguments]

With ``KIT_DB=postgres`` or ``KIT_DB=mariadb`` it first checks that the server answers and
that its driver installs, and skips (exit 0, with a one-line reason naming what to start or
install) where not, as on a laptop without that database. ``KIT_DB_REQUIRED=1`` (CI) turns a
skip into a failure. The reason also goes to the file ``KIT_SKIP_REPORT`` names, for the summary
``toxfile.py`` prints at the end of a tox run.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVERS = {"postgres": ("PostgreSQL", 5432), "mariadb": ("MariaDB", 3306)}
# Installed only once a server answers: mysqlclient compiles against MariaDB's headers, which a
# laptop without MariaDB need not have.
DRIVERS = {
    "postgres": ("psycopg", "psycopg[binary]>=3.1"),
    "mariadb": ("MySQLdb", "mysqlclient>=2.2"),
}
# What a driver that cannot build needs; the package names are Debian's and Homebrew's.
BUILD_NEEDS = {
    "postgres": "libpq's headers (apt-get install libpq-dev; brew install libpq)",
    "mariadb": (
        "MariaDB's client headers and pkg-config (apt-get install libmariadb-dev pkg-config; "
        "brew install mariadb-connector-c pkg-config)"
    ),
}


def _server_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def _install_driver(module: str, requirement: str) -> str:
    """Install the driver if it is missing; return uv's last line of error, or ''."""
    if importlib.util.find_spec(module) is not None:
        return ""
    python = sys.executable
    done = subprocess.run(
        [python, "-m", "uv", "pip", "install", "-q", "-p", python, requirement],
        capture_output=True,
        text=True,
    )
    if done.returncode == 0:
        return ""
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    # The build's own complaint (mysqlclient: "Can not find valid pkg-config name") says most.
    telling = [line for line in lines if "error" in line.lower() or "can not" in line.lower()]
    return (telling or lines or [f"uv exited with {done.returncode}"])[-1][:200]


def _skip(reason: str) -> int:
    """Say why the env did not run; exit 0 on a laptop, 1 where KIT_DB_REQUIRED=1 (CI)."""
    required = os.environ.get("KIT_DB_REQUIRED") == "1"
    print(f"{'FAILED' if required else 'SKIPPED'}: {reason}", flush=True)
    report = os.environ.get("KIT_SKIP_REPORT")
    if report:
        Path(report).write_text(reason + "\n", encoding="utf-8")
    return 1 if required else 0


def main(extra: list[str]) -> int:
    database = os.environ.get("KIT_DB", "sqlite")
    if os.environ.get("KIT_SKIP_REPORT"):
        Path(os.environ["KIT_SKIP_REPORT"]).unlink(missing_ok=True)
    if database in SERVERS:
        name, default_port = SERVERS[database]
        host = os.environ.get("KIT_DB_HOST", "127.0.0.1")
        port = int(os.environ.get("KIT_DB_PORT", default_port))
        if not _server_answers(host, port):
            return _skip(
                f"no {name} server answers at {host}:{port}; start one, or point "
                "KIT_DB_HOST/KIT_DB_PORT at it."
            )
        module, requirement = DRIVERS[database]
        error = _install_driver(module, requirement)
        if error:
            return _skip(
                f"{requirement} cannot be installed ({error}); install "
                f"{BUILD_NEEDS[database]}, then rerun."
            )
    python = sys.executable
    commands = [
        [python, "-m", "pytest", "-q", *extra],
        [python, "-m", "pytest", "-q", "--ds=config.settings_emailsite", "tests/emailsite"],
        [python, "-m", "pytest", "-q", "--ds=config.settings_allauth", "tests/allauth_site"],
        [python, "testproject/manage.py", "test", "--noinput"],
    ]
    for command in commands:
        print("$ python", " ".join(command[1:]), flush=True)
        code = subprocess.call(command, cwd=ROOT)
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
