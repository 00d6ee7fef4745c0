"""Test database set-up with ``pytest -n 2`` on PostgreSQL: pytest-django's one migrate per
worker against ``--kit-clone-db`` (one migrate, a clone per worker) and a kept template reused.

Run from the repository root: ``python benchmarks/bench_xdist_db.py [--rounds 3]``. It writes a
throwaway project with 20 apps of 10 migrations each (models, foreign keys across apps, added
fields, indexes, a data migration) to a temporary directory, and runs its four trivial database
tests with two xdist workers, the scenarios taking turns, ``--rounds`` times. The project's
conftest times the ``django_db_setup`` fixture in each worker; the set-up of a run is its
slowest worker's, since the run waits for it. The server is the one ``KIT_DB_HOST``,
``KIT_DB_PORT``, ``KIT_DB_USER`` and ``KIT_DB_PASSWORD`` name (default 127.0.0.1:5432,
postgres); the databases it makes start with ``kit_xdist_bench_`` and are dropped at the end.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

APPS = 20
MIGRATIONS = 10
# Added by migrations 0002-0010, one a migration: (field class, its arguments).
FIELDS = [
    ("CharField", 'max_length=80, default=""'),
    ("IntegerField", "default=0"),
    ("BooleanField", "default=False"),
    ("DateTimeField", "null=True"),
    ("DecimalField", "max_digits=10, decimal_places=2, default=0"),
    ("TextField", 'default=""'),
    ("PositiveIntegerField", "default=1"),
    ("DateField", "null=True"),
    ("SlugField", 'max_length=60, default=""'),
]
INDEXED = {4, 7, 10}  # migrations that add an index on their field as well
DATA_MIGRATION = 5  # the migration that also adds rows

SCENARIOS = [
    ("pytest-django", "each worker migrates its own database", []),
    ("--kit-clone-db", "one template migrated, a clone per worker", ["--kit-clone-db"]),
    (
        "--kit-clone-db --kit-reuse-template, first run",
        "the template is made and kept",
        ["--kit-clone-db", "--kit-reuse-template"],
    ),
    (
        "--kit-clone-db --kit-reuse-template, next run",
        "the kept template is cloned, nothing migrates",
        ["--kit-clone-db", "--kit-reuse-template"],
    ),
]

SETTINGS = """
import os

SECRET_KEY = "bench"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"] + [
    f"app{{i:02d}}" for i in range({apps})
]
DATABASES = {{
    "default": {{
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "postgres",
        "HOST": os.environ.get("KIT_DB_HOST", "127.0.0.1"),
        "PORT": os.environ.get("KIT_DB_PORT", "5432"),
        "USER": os.environ.get("KIT_DB_USER", "postgres"),
        "PASSWORD": os.environ.get("KIT_DB_PASSWORD", ""),
        "TEST": {{"NAME": os.environ["BENCH_DB_NAME"]}},
    }}
}}
"""

CONFTEST = """
import json
import os
import time

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    if fixturedef.argname != "django_db_setup":
        return (yield)
    start, cpu = time.perf_counter(), time.process_time()
    try:
        return (yield)
    finally:
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        with open(os.environ["BENCH_TIMES"], "a") as times:
            times.write(json.dumps({"worker": worker, "seconds": seconds, "cpu": cpu}) + "\\n")
"""

TESTS = """
import pytest

from app00.models import Label


@pytest.mark.parametrize("n", range(4))
def test_trivial(db, n):
    assert Label.objects.count() == 3
"""


def _model_fields(app: int, upto: int) -> list[str]:
    """The Record model's fields once migrations up to ``upto`` are applied."""
    fields = ['    title = models.CharField(max_length=100, default="")']
    fields.append("    label = models.ForeignKey(Label, models.CASCADE, null=True)")
    if app and upto >= 2:
        fields.append(
            f"    previous = models.ForeignKey('app{app - 1:02d}.Label', models.SET_NULL, "
            "null=True, related_name='+')"
        )
    for number in range(2, upto + 1):
        kind, arguments = FIELDS[number - 2]
        fields.append(f"    f{number} = models.{kind}({arguments})")
    return fields


def _index(app: int, number: int) -> str:
    return f'models.Index(fields=["f{number}"], name="a{app:02d}_record_f{number}_idx")'


def _models(app: int) -> str:
    indexes = ", ".join(_index(app, n) for n in sorted(INDEXED))
    return "\n".join(
        [
            "from django.db import models",
            "",
            "",
            "class Label(models.Model):",
            "    name = models.CharField(max_length=50)",
            "",
            "",
            "class Record(models.Model):",
            *_model_fields(app, MIGRATIONS),
            "",
            "    class Meta:",
            f"        indexes = [{indexes}]",
            "",
        ]
    )


def _migration(app: int, number: int) -> str:
    label = f"app{app:02d}"
    if number == 1:
        dependencies = "[]"
        operations = textwrap.dedent(
            """\
            migrations.CreateModel(
                name="Label",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                    ("name", models.CharField(max_length=50)),
                ],
            ),
            migrations.CreateModel(
                name="Record",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                    ("title", models.CharField(default="", max_length=100)),
                    ("label", models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, to="{label}.label")),
                ],
            ),
            """
        ).format(label=label)
    else:
        dependencies = f'[("{label}", "{_name(number - 1)}")]'
        if app and number == 2:
            dependencies = f'[("{label}", "{_name(1)}"), ("app{app - 1:02d}", "{_name(1)}")]'
        kind, arguments = FIELDS[number - 2]
        operations = f'migrations.AddField("record", "f{number}", models.{kind}({arguments})),\n'
        if app and number == 2:
            operations += (
                'migrations.AddField("record", "previous", models.ForeignKey(null=True, '
                "on_delete=django.db.models.deletion.SET_NULL, related_name='+', "
                f'to="app{app - 1:02d}.label")),\n'
            )
        if number in INDEXED:
            operations += f'migrations.AddIndex("record", {_index(app, number)}),\n'
        if number == DATA_MIGRATION:
            operations += "migrations.RunPython(add_labels, migrations.RunPython.noop),\n"
    return "\n".join(
        [
            "import django.db.models.deletion",
            "from django.db import migrations, models",
            "",
            "",
            "def add_labels(apps, schema_editor):",
            f'    Label = apps.get_model("{label}", "Label")',
            '    Label.objects.bulk_create(Label(name=f"label {i}") for i in range(3))',
            "",
            "",
            "class Migration(migrations.Migration):",
            f"    dependencies = {dependencies}",
            "    operations = [",
            textwrap.indent(operations, "        ").rstrip(),
            "    ]",
            "",
        ]
    )


def _name(number: int) -> str:
    return "0001_initial" if number == 1 else f"{number:04d}_step"


def generate(root: Path) -> None:
    """Write the project: settings, APPS apps of MIGRATIONS migrations, a conftest, tests."""
    (root / "bench_settings.py").write_text(textwrap.dedent(SETTINGS).format(apps=APPS))
    (root / "conftest.py").write_text(textwrap.dedent(CONFTEST).lstrip())
    (root / "test_trivial.py").write_text(textwrap.dedent(TESTS).lstrip())
    (root / "pytest.ini").write_text(
        "[pytest]\nDJANGO_SETTINGS_MODULE = bench_settings\ndjango_find_project = false\n"
        "pythonpath = .\naddopts = -p no:cacheprovider -p no:randomly\n"
    )
    for app in range(APPS):
        package = root / f"app{app:02d}"
        (package / "migrations").mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "migrations" / "__init__.py").write_text("")
        (package / "models.py").write_text(_models(app))
        for number in range(1, MIGRATIONS + 1):
            (package / "migrations" / f"{_name(number)}.py").write_text(_migration(app, number))


def _env(root: Path, db_name: str, times: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(BENCH_DB_NAME=db_name, BENCH_TIMES=str(times), PYTHONPATH=str(root))
    return env


def run(root: Path, db_name: str, flags: list[str]) -> tuple[float, float, float]:
    """One ``pytest -n 2`` run: its wall time, its set-up (the slowest worker's) and the CPU
    time the workers spent in set-up."""
    times = root / "times.jsonl"
    times.unlink(missing_ok=True)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", *flags],
        cwd=root, env=_env(root, db_name, times), capture_output=True, text=True,
    )  # fmt: skip
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"pytest {' '.join(flags)} failed:\n{done.stdout}\n{done.stderr}")
    setups = [json.loads(line) for line in times.read_text().splitlines()]
    return wall, max(s["seconds"] for s in setups), sum(s["cpu"] for s in setups)


def migrations_count(root: Path, db_name: str) -> tuple[int, int]:
    """The project's migrations: its apps' and Django's contrib apps'."""
    code = (
        "import django; django.setup()\n"
        "from django.db.migrations.loader import MigrationLoader\n"
        "labels = [label for label, _ in MigrationLoader(None).disk_migrations]\n"
        "print(sum(l.startswith('app') for l in labels), sum(not l.startswith('app') for l in labels))\n"
    )
    env = _env(root, db_name, root / "unused")
    env["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    return int(out[0]), int(out[1])


def drop_databases(prefix: str) -> None:
    import psycopg
    from psycopg.conninfo import make_conninfo

    conninfo = make_conninfo(dbname="postgres", **_server())
    with psycopg.connect(conninfo, autocommit=True) as connection:
        names = [row[0] for row in connection.execute("SELECT datname FROM pg_database")]
        for name in names:
            if name.startswith(prefix):
                connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _server() -> dict[str, str]:
    return {
        "host": os.environ.get("KIT_DB_HOST", "127.0.0.1"),
        "port": os.environ.get("KIT_DB_PORT", "5432"),
        "user": os.environ.get("KIT_DB_USER", "postgres"),
        "password": os.environ.get("KIT_DB_PASSWORD", ""),
    }


def _check_server() -> None:
    server = _server()
    try:
        socket.create_connection((server["host"], int(server["port"])), timeout=2).close()
    except OSError:
        sys.exit(
            f"No PostgreSQL server answers at {server['host']}:{server['port']}; start one, or "
            "point KIT_DB_HOST/KIT_DB_PORT at it."
        )
    try:
        import psycopg  # noqa: F401
    except ImportError:
        sys.exit("The benchmark needs psycopg: pip install 'psycopg[binary]'.")


def _seconds(values: Sequence[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    _check_server()
    prefix = f"kit_xdist_bench_{os.getpid()}"
    results: Results = {s[0]: [] for s in SCENARIOS}
    loads = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kit-bench-xdist-") as directory:
        root = Path(directory)
        generate(root)
        own, contrib = migrations_count(root, prefix)
        try:
            for _ in range(rounds):
                # A fresh kept template each round, so that its first run makes it.
                drop_databases(prefix)
                for name, _, flags in SCENARIOS:
                    loads.append(os.getloadavg()[0])
                    results[name].append(run(root, prefix, flags))
        finally:
            drop_databases(prefix)
    print_table(results, own=own, contrib=contrib, rounds=rounds, loads=loads, started=started)


Results = dict[str, list[tuple[float, float, float]]]


def print_table(
    results: Results, *, own: int, contrib: int, rounds: int, loads: list[float], started: float
) -> None:
    import django

    baseline = statistics.median(setup for _, setup, _ in results[SCENARIOS[0][0]])
    print(
        f"{own} migrations in {APPS} apps ({MIGRATIONS} each: models, foreign keys across apps, "
        f"added fields, indexes, a data migration) plus {contrib} of contenttypes and auth; "
        f"PostgreSQL; `pytest -n 2`, 4 trivial database tests; {rounds} rounds, scenarios "
        f"taking turns; median (range). Python {platform.python_version()}, Django "
        f"{django.__version__}, {os.cpu_count()} cores, load average "
        f"{min(loads):.1f}-{max(loads):.1f} during the runs; "
        f"{(time.perf_counter() - started) / 60:.1f} min in all.\n"
    )
    print(
        "| run | what happens | set-up, slowest worker | x pytest-django "
        "| set-up CPU, both workers | whole run, wall |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for name, what, _ in SCENARIOS:
        walls, setups, cpus = zip(*results[name], strict=True)
        ratio = statistics.median(setups) / baseline
        print(
            f"| {name} | {what} | {_seconds(setups)} | {ratio:.2f}x | {_seconds(cpus)} "
            f"| {_seconds(walls)} |"
        )
    print(
        "\nSet-up: the `django_db_setup` fixture, timed in each worker by the project's "
        "conftest. Its CPU column counts the pytest workers' own time; the PostgreSQL "
        "server's work (the DDL of each migration) comes on top."
    )


if __name__ == "__main__":
    main()
