"""``--kit-clone-db``: one template migrated per run (or kept between runs) and a clone of it
for each pytest-xdist worker, on SQLite, PostgreSQL and MariaDB.

Each test runs a small generated project in subprocesses. Its ``shop`` app writes a line to a
log each time ``migrate`` runs and each time a test runs (the worker, its database's name and
the columns the test sees), and crashes its process mid-creation where a flag file says so.
"""

import hashlib
import itertools
import os
import shutil
import socket
import subprocess
import sys
import textwrap

import pytest

from django_integration_kit import _xdist_db

# sqlite: the usual in-memory test database; sqlite-file: a TEST NAME that is a file.
BACKENDS = ["sqlite", "sqlite-file", "postgres", "mariadb"]
SERVERS = {
    "postgres": ("PostgreSQL", "5432", "postgres", "psycopg", "psycopg[binary]"),
    "mariadb": ("MariaDB", "3306", "root", "MySQLdb", "mysqlclient"),
}
_names = itertools.count()
# The file test database differs in its names and in how a worker gets its clone: the crash
# and concurrency tests leave it out.
THREE_BACKENDS = pytest.mark.parametrize(
    "project", ["sqlite", "postgres", "mariadb"], indirect=True
)


def _server_settings(backend):
    """Host, port, user and password; the KIT_DB_* variables count for the suite's own KIT_DB."""
    _, port, user, _, _ = SERVERS[backend]
    mine = os.environ.get("KIT_DB") == backend

    def env(name, default):
        return os.environ.get(f"KIT_DB_{name}", default) if mine else default

    return env("HOST", "127.0.0.1"), env("PORT", port), env("USER", user), env("PASSWORD", "")


def _skip_without(backend):
    if backend not in SERVERS:
        return
    # CI (KIT_DB_REQUIRED=1) fails rather than skips where a server or driver is missing.
    skip = pytest.fail if os.environ.get("KIT_DB_REQUIRED") == "1" else pytest.skip
    name, _, _, module, requirement = SERVERS[backend]
    host, port, _, _ = _server_settings(backend)
    try:
        socket.create_connection((host, int(port)), timeout=2).close()
    except OSError:
        skip(
            f"no {name} server answers at {host}:{port}; start one, or point "
            "KIT_DB_HOST/KIT_DB_PORT at it (with KIT_DB set)."
        )
    try:
        __import__(module)
    except ImportError:
        skip(f"the {name} driver is missing: pip install '{requirement}'.")
    if backend == "mariadb" and shutil.which("mysqldump") is None:
        skip("Django clones MariaDB databases with mysqldump, which is not on PATH.")


SETTINGS = """
import os

SECRET_KEY = "kit-xdist-tests"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "shop"]
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

backend, name = os.environ["KITX_DB"], os.environ["KITX_DB_NAME"]
server = {
    "HOST": os.environ.get("KITX_DB_HOST", ""),
    "PORT": os.environ.get("KITX_DB_PORT", ""),
    "USER": os.environ.get("KITX_DB_USER", ""),
    "PASSWORD": os.environ.get("KITX_DB_PASSWORD", ""),
}
if backend == "postgres":
    default = {"ENGINE": "django.db.backends.postgresql", "NAME": "postgres", **server}
    default["TEST"] = {"NAME": name}
elif backend == "mariadb":
    default = {"ENGINE": "django.db.backends.mysql", "NAME": "test", **server}
    default["OPTIONS"] = {"charset": "utf8mb4"}
    default["TEST"] = {"NAME": name, "CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
elif backend == "sqlite-file":
    here = os.path.dirname(os.path.abspath(__file__))
    default = {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(here, "db.sqlite3")}
    default["TEST"] = {"NAME": os.path.join(here, name + ".sqlite3")}
else:
    default = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
DATABASES = {"default": default}
"""

APPS = """
import os

from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


def log_migrate(sender, **kwargs):
    with open(os.environ["KITX_LOG"], "a") as log:
        log.write(f"migrate {os.getpid()}\\n")


def crash_when_flagged(sender, **kwargs):
    # Every migration is applied, the database is not finished: the worst time to die.
    flag = os.environ.get("KITX_CRASH_FLAG", "")
    if flag and os.path.exists(flag):
        os.remove(flag)
        os._exit(3)


class ShopConfig(AppConfig):
    name = "shop"

    def ready(self):
        pre_migrate.connect(log_migrate, sender=self)
        post_migrate.connect(crash_when_flagged, sender=self)
"""

MODELS = """
from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=50)
    price = models.IntegerField(default=0)
"""

MIGRATION_0001 = """
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Item",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=50)),
            ],
        ),
    ]
"""

MIGRATION_0002 = """
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [migrations.AddField("item", "price", models.IntegerField(default=0))]
"""

MIGRATION_0003 = """
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_item_price")]
    operations = [migrations.AddField("item", "stock", models.IntegerField(default=0))]
"""

TESTS = """
import os

import pytest
from django.db import connection

from shop.models import Item


@pytest.mark.parametrize("n", range(8))
def test_the_schema_is_migrated(db, n):
    Item.objects.create(name=f"item {n}", price=n)
    assert Item.objects.count() == 1
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, "shop_item")]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with open(os.environ["KITX_LOG"], "a") as log:
        log.write(f"test {worker} {connection.settings_dict['NAME']} {','.join(columns)}\\n")
"""

CRASHING_TEST = """
import os


def test_crashes_its_worker_once(db):
    flag = os.environ["KITX_CRASH_IN_TEST_FLAG"]
    if os.path.exists(flag):
        os.remove(flag)
        os._exit(3)
"""


class Project:
    """The generated project in pytester's directory, its runs and what they left behind."""

    def __init__(self, pytester, backend, name):
        self.pytester, self.backend, self.name = pytester, backend, name
        self.path = pytester.path
        self.log = self.path / "run.log"
        self.crash_flag = self.path / "crash.flag"
        self.crash_in_test_flag = self.path / "crash-in-test.flag"

    def env(self):
        # The suite's own settings module and options are in the environment, which wins over
        # the project's ini file.
        outer = ("DJANGO_SETTINGS_MODULE", "PYTEST_ADDOPTS")
        env = {k: v for k, v in os.environ.items() if k not in outer}
        env.update(
            {
                "KITX_DB": self.backend,
                "KITX_DB_NAME": self.name,
                "KITX_LOG": str(self.log),
                "KITX_CRASH_FLAG": str(self.crash_flag),
                "KITX_CRASH_IN_TEST_FLAG": str(self.crash_in_test_flag),
            }
        )
        if self.backend in SERVERS:
            host, port, user, password = _server_settings(self.backend)
            env.update(
                KITX_DB_HOST=host, KITX_DB_PORT=port, KITX_DB_USER=user, KITX_DB_PASSWORD=password
            )
        return env

    def command(self, *args, workers=2):
        xdist = ["-n", str(workers)] if workers else ["-p", "no:xdist"]
        return [sys.executable, "-m", "pytest", "-p", "no:randomly", *xdist, *args]

    def run(self, *args, workers=2):
        """One run of the project's tests (with two xdist workers unless told otherwise): the
        log lines it wrote, and pytest's outcome."""
        self.log.unlink(missing_ok=True)
        done = subprocess.run(
            self.command(*args, workers=workers),
            cwd=self.path, env=self.env(), capture_output=True, text=True,
        )  # fmt: skip
        return self.lines(), done

    def lines(self):
        return self.log.read_text().splitlines() if self.log.exists() else []

    def project_hash(self):
        """What the names of in-memory SQLite templates carry of the project's directory."""
        return hashlib.sha256(str(self.path).encode()).hexdigest()[:8]

    def databases(self):
        """The databases of this test's name on the server (files, for SQLite), sorted."""
        if self.backend == "sqlite-file":
            return sorted(p.name for p in self.path.glob(f"{self.name}*"))
        if self.backend == "sqlite":
            pattern = f"default_{self.project_hash()}_*.sqlite3"
            return sorted(p.name for p in _xdist_db._kit_dir().glob(pattern))
        host, port, user, password = _server_settings(self.backend)
        if self.backend == "postgres":
            import psycopg

            with psycopg.connect(
                host=host, port=port, user=user, password=password, dbname="postgres"
            ) as conn:
                names = [row[0] for row in conn.execute("SELECT datname FROM pg_database")]
        else:
            import MySQLdb

            conn = MySQLdb.connect(host=host, port=int(port), user=user, password=password)
            try:
                cursor = conn.cursor()
                cursor.execute("SHOW DATABASES")
                names = [row[0] for row in cursor.fetchall()]
            finally:
                conn.close()
        return sorted(n for n in names if n.startswith(self.name))

    def drop_all(self):
        # A run killed outright leaves its record of what to drop: this one drops it all.
        for record in _xdist_db._kit_dir().glob("run-*.txt"):
            try:
                text = record.read_text()
            except FileNotFoundError:  # another run's, which just ended
                continue
            if f"{self.name}_" in text or f"_{self.project_hash()}_" in text:
                record.unlink(missing_ok=True)
        # Kept templates' locks stay with them.
        for lock in _xdist_db._kit_dir().glob("*.lock"):
            if lock.name.startswith((f"{self.name}_", f"default_{self.project_hash()}_")):
                lock.unlink(missing_ok=True)
        names = self.databases()
        if self.backend == "sqlite":
            for name in names:
                (_xdist_db._kit_dir() / name).unlink()
        elif self.backend in SERVERS and names:
            host, port, user, password = _server_settings(self.backend)
            if self.backend == "postgres":
                import psycopg

                with psycopg.connect(
                    host=host, port=port, user=user, password=password, dbname="postgres",
                    autocommit=True,
                ) as conn:  # fmt: skip
                    for name in names:
                        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            else:
                import MySQLdb

                conn = MySQLdb.connect(host=host, port=int(port), user=user, password=password)
                try:
                    for name in names:
                        conn.cursor().execute(f"DROP DATABASE IF EXISTS `{name}`")
                finally:
                    conn.close()


@pytest.fixture(params=BACKENDS)
def project(request, pytester):
    backend = request.param
    _skip_without(backend)
    pytester.makeini(
        """
        [pytest]
        DJANGO_SETTINGS_MODULE = kitx_settings
        django_find_project = false
        pythonpath = .
        addopts = -p no:cacheprovider
        """
    )
    files = {
        "kitx_settings.py": SETTINGS,
        "shop/__init__.py": "",
        "shop/apps.py": APPS,
        "shop/models.py": MODELS,
        "shop/migrations/__init__.py": "",
        "shop/migrations/0001_initial.py": MIGRATION_0001,
        "shop/migrations/0002_item_price.py": MIGRATION_0002,
        "test_shop.py": TESTS,
    }
    for path, text in files.items():
        (pytester.path / path).parent.mkdir(parents=True, exist_ok=True)
        (pytester.path / path).write_text(textwrap.dedent(text).lstrip())
    # Unique on the server: this process (an xdist worker of the suite, maybe) and this test.
    made = Project(pytester, backend, f"kit_xdist_{os.getpid()}_{next(_names)}")
    yield made
    made.drop_all()


def migrations_run(lines):
    return sum(line.startswith("migrate ") for line in lines)


def ran_tests(lines):
    """(worker, database name, columns) of each test that ran."""
    return [tuple(line.split(" ")[1:]) for line in lines if line.startswith("test ")]


def test_without_the_option_each_worker_migrates_the_database_pytest_django_makes(project):
    lines, done = project.run()

    assert done.returncode == 0, done.stdout + done.stderr
    ran = ran_tests(lines)
    assert {worker for worker, _, _ in ran} == {"gw0", "gw1"}
    assert migrations_run(lines) == 2
    names = {worker: name for worker, name, _ in ran}
    if project.backend == "sqlite":
        expected = dict.fromkeys(names, "file:memorydb_default?mode=memory&cache=shared")
    elif project.backend == "sqlite-file":
        expected = {w: str(project.path / f"{project.name}.sqlite3_{w}") for w in names}
    else:
        expected = {w: f"{project.name}_{w}" for w in names}
    assert names == expected
    assert project.databases() == []


def test_the_option_migrates_one_template_and_gives_each_worker_a_clone(project):
    lines, done = project.run("--kit-clone-db")

    assert done.returncode == 0, done.stdout + done.stderr
    ran = ran_tests(lines)
    assert len(ran) == 8
    assert {worker for worker, _, _ in ran} == {"gw0", "gw1"}
    assert {columns for _, _, columns in ran} == {"id,name,price"}
    assert migrations_run(lines) == 1
    names = {worker: name for worker, name, _ in ran}
    if project.backend == "sqlite":
        # Each worker's clone is loaded into the in-memory database it would have had anyway.
        assert set(names.values()) == {"file:memorydb_default?mode=memory&cache=shared"}
    else:
        stem = (
            str(project.path / project.name) if project.backend == "sqlite-file" else project.name
        )
        ext = ".sqlite3" if project.backend == "sqlite-file" else ""
        for worker, name in names.items():
            assert name.startswith(f"{stem}_tpl_") and name.endswith(f"_{worker}{ext}"), name
        assert names["gw0"].replace("gw0", "gw1") == names["gw1"]
    # The run's template and clones are gone with it.
    assert project.databases() == []


@pytest.mark.parametrize("project", ["sqlite"], indirect=True)
def test_the_ini_options_switch_it_on_too_and_it_works_without_xdist(project):
    project.pytester.makeini(
        """
        [pytest]
        DJANGO_SETTINGS_MODULE = kitx_settings
        django_find_project = false
        pythonpath = .
        addopts = -p no:cacheprovider
        kit_clone_db = true
        kit_reuse_template = true
        """
    )

    first, done = project.run()
    assert done.returncode == 0, done.stdout + done.stderr
    second, done = project.run(workers=0)

    assert done.returncode == 0, done.stdout + done.stderr
    assert (migrations_run(first), migrations_run(second)) == (1, 0)
    assert len(project.databases()) == 1


def test_a_kept_template_is_reused_until_a_migration_changes(project):
    first, done = project.run("--kit-clone-db", "--kit-reuse-template")
    assert done.returncode == 0, done.stdout + done.stderr
    kept = project.databases()
    second, done = project.run("--kit-clone-db", "--kit-reuse-template")
    assert done.returncode == 0, done.stdout + done.stderr

    (project.path / "shop/migrations/0003_item_stock.py").write_text(MIGRATION_0003)
    with (project.path / "shop/models.py").open("a") as models:
        models.write("    stock = models.IntegerField(default=0)\n")
    third, done = project.run("--kit-clone-db", "--kit-reuse-template")

    assert done.returncode == 0, done.stdout + done.stderr
    assert [migrations_run(lines) for lines in (first, second, third)] == [1, 0, 1]
    assert len(kept) == 1 and project.databases() != kept
    assert {columns for _, _, columns in ran_tests(second)} == {"id,name,price"}
    assert {columns for _, _, columns in ran_tests(third)} == {"id,name,price,stock"}
    # The changed migrations get a template of their own; the first one stays for its code.
    assert len(project.databases()) == 2 and kept[0] in project.databases()


@THREE_BACKENDS
def test_a_worker_that_crashes_mid_creation_leaves_no_template_a_run_trusts(project):
    project.crash_flag.touch()

    crashed, done = project.run("--kit-clone-db", "--kit-reuse-template")

    # The other worker was waiting on the lock the crash let go of: it found no finished
    # template, made one, and the run went on without the worker that crashed.
    assert done.returncode == 1
    assert "crashed" in done.stdout
    assert migrations_run(crashed) == 2
    assert {columns for _, _, columns in ran_tests(crashed)} == {"id,name,price"}
    after, done = project.run("--kit-clone-db", "--kit-reuse-template")
    assert done.returncode == 0, done.stdout + done.stderr
    assert migrations_run(after) == 0
    assert len(project.databases()) == 1


@THREE_BACKENDS
def test_a_run_that_dies_mid_creation_leaves_nothing_the_next_run_trusts(project):
    project.crash_flag.touch()

    crashed, done = project.run("--kit-clone-db", "--kit-reuse-template", workers=0)
    assert done.returncode != 0
    assert migrations_run(crashed) == 1
    after, done = project.run("--kit-clone-db", "--kit-reuse-template")

    assert done.returncode == 0, done.stdout + done.stderr
    assert migrations_run(after) == 1
    assert {columns for _, _, columns in ran_tests(after)} == {"id,name,price"}


@THREE_BACKENDS
def test_a_worker_that_crashes_in_a_test_is_replaced_by_one_that_clones_the_template(project):
    (project.path / "test_crash.py").write_text(textwrap.dedent(CRASHING_TEST))
    project.crash_in_test_flag.touch()

    lines, done = project.run("--kit-clone-db")

    assert done.returncode == 1
    assert "1 failed, 8 passed" in done.stdout, done.stdout
    assert migrations_run(lines) == 1
    # The run drops the clone the crashed worker could not drop, and its template.
    assert project.databases() == []


@THREE_BACKENDS
def test_two_runs_at_once_share_one_template_and_both_pass(project):
    runs = [
        subprocess.Popen(
            project.command("--kit-clone-db", "--kit-reuse-template"),
            cwd=project.path,
            env=project.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        for _ in range(2)
    ]
    outputs = [run.communicate()[0] for run in runs]

    assert [run.returncode for run in runs] == [0, 0], outputs
    lines = project.lines()
    assert migrations_run(lines) == 1
    assert len(ran_tests(lines)) == 16
    assert len({name for _, name, _ in ran_tests(lines)}) == (
        1 if project.backend == "sqlite" else 4
    )
    assert len(project.databases()) == 1


def test_without_pytest_django_the_option_says_what_to_install(pytester):
    result = pytester.runpytest_subprocess("-p", "no:django", "--kit-clone-db")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: --kit-clone-db needs pytest-django, which makes the test databases: pip "
            "install pytest-django, or drop --kit-clone-db (kit_clone_db in the ini file)."
        ]
    )


def test_the_template_name_fits_the_server_and_keeps_apart_long_names():
    long = "test_" + "x" * 70

    fitted = _xdist_db._fit(long, "_tpl_0123456789ab", 63 - 16)

    assert len(fitted) == 47 and fitted.endswith("_tpl_0123456789ab")
    assert fitted != _xdist_db._fit(long + "y", "_tpl_0123456789ab", 63 - 16)
    assert _xdist_db._fit("test_shop", "_tpl_0123456789ab", 47) == "test_shop_tpl_0123456789ab"
