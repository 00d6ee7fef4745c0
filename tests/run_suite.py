"""Run the whole suite: the kit's tests, the email site's, and the test project's own.

    python tests/run_suite.py [extra pytest arguments]

With ``KIT_DB=postgres`` or ``KIT_DB=mariadb`` it first checks that the server answers, and
skips (exit 0, saying so) where none does, as on a laptop without that database.
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


def _server_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def _install_driver(module: str, requirement: str) -> None:
    if importlib.util.find_spec(module) is None:
        python = sys.executable
        subprocess.run(
            [python, "-m", "uv", "pip", "install", "-q", "-p", python, requirement], check=True
        )


def main(extra: list[str]) -> int:
    database = os.environ.get("KIT_DB", "sqlite")
    if database in SERVERS:
        name, default_port = SERVERS[database]
        host = os.environ.get("KIT_DB_HOST", "127.0.0.1")
        port = int(os.environ.get("KIT_DB_PORT", default_port))
        if not _server_answers(host, port):
            print(f"SKIPPED: no {name} server answers at {host}:{port} (KIT_DB={database}).")
            print("Start one, or point KIT_DB_HOST/KIT_DB_PORT at it, to run this env.")
            return 0
        _install_driver(*DRIVERS[database])
    python = sys.executable
    commands = [
        [python, "-m", "pytest", "-q", *extra],
        [python, "-m", "pytest", "-q", "--ds=config.settings_emailsite", "tests/emailsite"],
        [python, "-m", "pytest", "-q", "--ds=config.settings_allauth", "tests/allauth_site"],
        [python, "testproject/manage.py", "test", "--noinput"],
    ]
    for command in commands:
        print("$", " ".join(command[1:]), flush=True)
        code = subprocess.call(command, cwd=ROOT)
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
