"""Opt-in "migrate once, clone per worker" test databases: ``--kit-clone-db``.

pytest-django migrates a test database in every pytest-xdist worker. With this option the
first worker to need a database migrates one template, under a file lock, and every worker
gets a clone of it (Django's ``clone_test_db``). ``--kit-reuse-template`` keeps the template
between runs, for as long as a hash of the migration files and the model state is unchanged.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import secrets
import sys
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from django_integration_kit import _frames

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from pytest_django import DjangoDbBlocker

_frames.hide(globals())

__all__ = ["addoption", "configure"]

# Part of every template's hash: bump it when what goes into a template changes, so that
# templates an older kit kept are not used.
_FORMAT = "1"
# MySQL cannot rename a database, so its templates are built under their final name and
# trusted only once this table, created last, is there; each clone drops it.
_MARKER = "kit_template_complete"
# Room kept after a template's name for a clone's "_<run>_<worker>".
_CLONE_ROOM = 16
_VENDORS = ("sqlite", "postgresql", "mysql")
_RUN = pytest.StashKey[str]()


def addoption(parser: pytest.Parser) -> None:
    """Add ``--kit-clone-db`` and ``--kit-reuse-template`` and their ini twins."""
    group = parser.getgroup("django-integration-kit")
    group.addoption(
        "--kit-clone-db",
        action="store_true",
        default=None,
        help="Migrate one template test database and give each xdist worker a clone of it.",
    )
    group.addoption(
        "--kit-reuse-template",
        action="store_true",
        default=None,
        help="With --kit-clone-db: keep the template for the next run, which uses it while "
        "the migration files and models are unchanged.",
    )
    parser.addini("kit_clone_db", "Like --kit-clone-db.", type="bool", default=False)
    parser.addini("kit_reuse_template", "Like --kit-reuse-template.", type="bool", default=False)


def configure(config: pytest.Config) -> None:
    """Switch the template databases on where the run asks for them; otherwise do nothing."""
    if not _enabled(config, "kit_clone_db"):
        return
    if not config.pluginmanager.hasplugin("django"):
        raise pytest.UsageError(
            "--kit-clone-db needs pytest-django, which makes the test databases: pip install "
            "pytest-django, or drop --kit-clone-db (kit_clone_db in the ini file)."
        )
    workerinput = getattr(config, "workerinput", {})
    config.stash[_RUN] = workerinput.get("kit_clone_db_run") or secrets.token_hex(4)
    config.pluginmanager.register(sys.modules[__name__], "django_integration_kit.clone_db")


def _enabled(config: pytest.Config, name: str) -> bool:
    return bool(config.getoption(name) or config.getini(name))


# The rest of this module is a plugin, registered by configure() only for a run that asks for
# it, after pytest-django: its fixtures win over pytest-django's of the same names, and a
# project's own conftest still wins over both.


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    # Every worker of the run names its clones and records them under the same run token.
    node.workerinput["kit_clone_db_run"] = node.config.stash[_RUN]


@pytest.fixture(scope="session")
def django_db_modify_db_settings_xdist_suffix() -> None:
    """No ``_gw0`` suffix: the workers share one template, and each clone's name carries
    its worker's id."""


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: DjangoDbBlocker,
    django_db_use_migrations: bool,
    django_db_keepdb: bool,
    django_db_createdb: bool,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """pytest-django's ``django_db_setup``, with each database cloned from a template."""
    from django.test.utils import teardown_databases
    from pytest_django.fixtures import _disable_migrations

    config = request.config
    if not django_db_use_migrations:
        _disable_migrations()
    # --reuse-db asks to keep databases; here that means the template (clones never are).
    reuse = (django_db_keepdb or _enabled(config, "kit_reuse_template")) and not (
        django_db_createdb
    )
    aliases, serialized_aliases = _databases_for_setup(request.session.items)
    worker = getattr(config, "workerinput", {}).get("workerid", "main")
    verbosity = config.option.verbose
    with django_db_blocker.unblock():
        old_config = setup_databases(
            aliases,
            serialized_aliases,
            run=config.stash[_RUN],
            worker=worker,
            reuse=reuse,
            verbosity=verbosity,
            rootdir=config.rootpath,
        )

    yield

    with django_db_blocker.unblock():
        try:
            teardown_databases(old_config, verbosity=verbosity)
        except Exception as exc:
            request.node.warn(
                pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}")
            )


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    # The controller (or the only process) ends after every worker: it drops what the run
    # made and did not keep, including the clones of workers that crashed.
    if not hasattr(session.config, "workerinput"):
        _sweep(session.config)


def _databases_for_setup(items: list[pytest.Item]) -> tuple[Any, Any]:
    try:
        from pytest_django.fixtures import _get_databases_for_setup
    except ImportError:  # older pytest-django (4.9) sets up every database
        return None, None
    return _get_databases_for_setup(items)


def setup_databases(
    aliases: set[str] | None,
    serialized_aliases: set[str] | None,
    *,
    run: str,
    worker: str,
    reuse: bool,
    verbosity: int,
    rootdir: Path,
) -> list[tuple[BaseDatabaseWrapper, str, bool]]:
    """Django's ``setup_databases``, each database a clone of its template; returns the
    ``old_config`` that Django's ``teardown_databases`` takes."""
    from django.db import connections
    from django.test.utils import get_unique_databases_and_mirrors

    test_databases, mirrored_aliases = get_unique_databases_and_mirrors(aliases)
    old_config = []
    serialize = []
    for db_name, db_aliases in test_databases.values():
        first = connections[db_aliases[0]]
        old_config += [(connections[alias], db_name, alias == first.alias) for alias in db_aliases]
        _clone_from_template(
            first, run=run, worker=worker, reuse=reuse, verbosity=verbosity, rootdir=rootdir
        )
        for alias in db_aliases[1:]:
            connections[alias].creation.set_as_test_mirror(first.settings_dict)
        if serialized_aliases is None or first.alias in serialized_aliases:
            serialize.append(first)
    for alias, mirror_alias in mirrored_aliases.items():
        connections[alias].creation.set_as_test_mirror(connections[mirror_alias].settings_dict)
    # As Django does, once every database is there, for serialized_rollback.
    for connection in serialize:
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()  # type: ignore[attr-defined]
    return old_config


def _clone_from_template(
    connection: BaseDatabaseWrapper,
    *,
    run: str,
    worker: str,
    reuse: bool,
    verbosity: int,
    rootdir: Path,
) -> None:
    """Point ``connection`` at a new clone of its template, making the template first if no
    finished one is there."""
    if connection.vendor not in _VENDORS:
        raise pytest.UsageError(
            f"--kit-clone-db clones SQLite, PostgreSQL, MariaDB and MySQL databases; database "
            f"{connection.alias!r} is {connection.vendor}. Run without --kit-clone-db."
        )
    # A kept template is found again by its hash; one the run drops is its own.
    key = _fingerprint(connection)[:12] if reuse else run
    template = _template_name(connection, key, rootdir)
    lock = _lock_path(connection, template)
    if not reuse:
        _record(run, "", str(lock))
    with _locked(lock):
        if not _is_finished(connection, template):
            if connection.vendor == "mysql":
                building = template
            else:
                building = _derived_name(connection, template, f"_{run}_new")
            # Written down before they exist, so that a crash leaves nothing the run's end
            # does not drop. A kept template is not: another run may be using it by then.
            if building != template:
                _record(run, connection.alias, building)
            if not reuse:
                _record(run, connection.alias, template)
            _drop_if_exists(connection, building)
            _build(connection, building, verbosity)
            _publish(connection, building, template)
    # Out of the lock, so that workers clone side by side: a finished template is never
    # changed, nor dropped before the end of the run that made it. A kept template has clones
    # from other runs beside this run's.
    suffix = f"{run}_{worker}" if reuse else worker
    _clone(connection, template, suffix, run=run, verbosity=verbosity)


def _fingerprint(connection: BaseDatabaseWrapper) -> str:
    """A hash of what a migrated test database is made from: migration files, models, apps."""
    import django
    from django.apps import apps
    from django.conf import settings
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.state import ProjectState

    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(part if isinstance(part, bytes) else str(part).encode())
            digest.update(b"\0")

    test_settings = {k: v for k, v in connection.settings_dict["TEST"].items() if k != "NAME"}
    add(_FORMAT, django.__version__, connection.settings_dict["ENGINE"])
    add(_serialize(test_settings), _serialize(getattr(settings, "CACHES", {})))
    for app_config in sorted(apps.get_app_configs(), key=lambda app: app.label):
        add("app", app_config.label, app_config.name)
        module_name, _ = MigrationLoader.migrations_module(app_config.label)
        for path in _migration_files(module_name):
            add(path.name, path.read_bytes())
    # The models matter beyond the migrations: apps without migrations are created from them,
    # and post_migrate makes content types and permissions for each.
    state = ProjectState.from_apps(apps)
    for key in sorted(state.models):
        model = state.models[key]
        add("model", key, *(f"{name}={_serialize(field)}" for name, field in model.fields.items()))
        add(*(f"{name}={_serialize(value)}" for name, value in sorted(model.options.items())))
        add(*map(_serialize, model.bases), *(_serialize(m) for _, m in model.managers))
    return digest.hexdigest()


def _migration_files(module_name: str | None) -> list[Path]:
    import importlib

    if module_name is None:  # migrations switched off (--nomigrations, MIGRATION_MODULES)
        return []
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return []
    return sorted(
        path for root in getattr(module, "__path__", ()) for path in Path(root).glob("*.py")
    )


def _serialize(value: object) -> str:
    """``value`` as a migration file would write it; the type's name where it cannot be."""
    from django.db.migrations.serializer import serializer_factory

    try:
        return str(serializer_factory(value).serialize()[0])
    except (TypeError, ValueError):
        return f"<{type(value).__module__}.{type(value).__qualname__}>"


def _template_name(connection: BaseDatabaseWrapper, key: str, rootdir: Path) -> str:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        if _in_memory(connection):
            # The rootdir keeps two checkouts' in-memory test databases apart.
            project = hashlib.sha256(str(rootdir).encode()).hexdigest()[:8]
            return str(_kit_dir() / f"{connection.alias}_{project}_tpl_{key}.sqlite3")
        root, ext = os.path.splitext(os.fspath(settings_dict["TEST"]["NAME"]))
        return f"{root}_tpl_{key}{ext}"
    from django.db.backends.base.creation import TEST_DATABASE_PREFIX

    base = settings_dict["TEST"]["NAME"] or TEST_DATABASE_PREFIX + settings_dict["NAME"]
    limit = connection.ops.max_name_length()
    return _fit(base, f"_tpl_{key}", limit - _CLONE_ROOM if limit else None)


def _fit(base: str, tail: str, limit: int | None) -> str:
    """``base + tail``, ``base`` shortened (and made unique by a hash) to fit in ``limit``."""
    if limit is None or len(base) + len(tail) <= limit:
        return base + tail
    digest = hashlib.sha256(base.encode()).hexdigest()[:6]
    return base[: limit - len(tail) - len(digest)] + digest + tail


def _derived_name(connection: BaseDatabaseWrapper, name: str, tail: str) -> str:
    if connection.vendor == "sqlite":
        root, ext = os.path.splitext(name)
        return f"{root}{tail}{ext}"
    return name + tail


def _in_memory(connection: BaseDatabaseWrapper) -> bool:
    name = connection.settings_dict["TEST"]["NAME"]
    return not name or name == ":memory:" or "mode=memory" in str(name)


def _kit_dir() -> Path:
    # One directory per user: another user's lock file could not be opened for writing.
    user = "" if sys.platform == "win32" else f"-{os.getuid()}"
    path = Path(tempfile.gettempdir()) / f"django-integration-kit{user}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _lock_path(connection: BaseDatabaseWrapper, template: str) -> Path:
    settings_dict = connection.settings_dict
    where = f"{connection.vendor}|{settings_dict['HOST']}|{settings_dict['PORT']}|{template}"
    # Named after the template, for whoever looks in the directory; the hash says which server.
    return (
        _kit_dir()
        / f"{Path(template).name}-{hashlib.sha256(where.encode()).hexdigest()[:12]}.lock"
    )


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError:  # LK_LOCK gives up after ten seconds; the holder may need longer
                continue

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path``; the system lets go of it if the process dies."""
    with open(path, "a+b") as handle:
        handle.seek(0)
        _lock(handle.fileno())
        try:
            yield
        finally:
            handle.seek(0)
            _unlock(handle.fileno())


def _is_finished(connection: BaseDatabaseWrapper, template: str) -> bool:
    """Whether a whole template is there: one that a crash cut short never is."""
    if connection.vendor == "sqlite":
        return os.path.exists(template)
    with connection._nodb_cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        else:
            cursor.execute(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = %s "
                "AND table_name = %s",
                [template, _MARKER],
            )
        return cursor.fetchone() is not None


def _build(connection: BaseDatabaseWrapper, name: str, verbosity: int) -> None:
    """Create and migrate the test database ``name``, as Django makes any test database."""
    test_settings = connection.settings_dict["TEST"]
    configured = test_settings["NAME"]
    test_settings["NAME"] = name
    try:
        connection.creation.create_test_db(
            verbosity=verbosity, autoclobber=True, **_no_serialize(connection)
        )
    finally:
        test_settings["NAME"] = configured
    _disconnect(connection)


def _no_serialize(connection: BaseDatabaseWrapper) -> dict[str, bool]:
    # Django < 6.0 serializes a new test database's rows unless told not to; nothing restores
    # a template's, and later versions deprecate the argument.
    parameter = inspect.signature(connection.creation.create_test_db).parameters.get("serialize")
    return {"serialize": False} if parameter is not None and parameter.default is True else {}


def _publish(connection: BaseDatabaseWrapper, building: str, template: str) -> None:
    """Make the finished database ``building`` the template, in one step a crash cannot split."""
    quote = connection.ops.quote_name
    if connection.vendor == "sqlite":
        os.replace(building, template)
    elif connection.vendor == "postgresql":
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"ALTER DATABASE {quote(building)} RENAME TO {quote(template)}")
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {quote(_MARKER)} (id INT)")
        _disconnect(connection)


def _clone(
    connection: BaseDatabaseWrapper, template: str, suffix: str, *, run: str, verbosity: int
) -> None:
    _set_name(connection, template)
    if connection.vendor == "sqlite" and _in_memory(connection):
        _load_into_memory(connection, template)
        return
    creation = connection.creation
    clone = creation.get_test_db_clone_settings(suffix)["NAME"]
    _record(run, connection.alias, clone)
    creation.clone_test_db(suffix=suffix, verbosity=verbosity, autoclobber=True)
    _set_name(connection, clone)
    if connection.vendor == "mysql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {connection.ops.quote_name(_MARKER)}")


def _load_into_memory(connection: BaseDatabaseWrapper, template: str) -> None:
    """Copy the template file into the in-memory database the tests would have had anyway."""
    import sqlite3

    name = f"file:memorydb_{connection.alias}?mode=memory&cache=shared"
    # A shared in-memory database lives while a connection holds it: this one, until Django's.
    holder = sqlite3.connect(name, uri=True)
    try:
        source = sqlite3.connect(f"{Path(template).as_uri()}?mode=ro", uri=True)
        try:
            source.backup(holder)
        finally:
            source.close()
        _set_name(connection, name)
        connection.ensure_connection()
    finally:
        holder.close()


def _set_name(connection: BaseDatabaseWrapper, name: str) -> None:
    # Where create_test_db() puts a test database's name, so that teardown finds it.
    from django.conf import settings

    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name


def _disconnect(connection: BaseDatabaseWrapper) -> None:
    # PostgreSQL renames or copies a database only while nobody is connected to it.
    connection.close()
    close_pool = getattr(connection, "close_pool", None)
    if close_pool is not None:
        close_pool()


def _drop_if_exists(connection: BaseDatabaseWrapper, name: str) -> None:
    if connection.vendor == "sqlite":
        Path(name).unlink(missing_ok=True)
        return
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


def _run_file(run: str) -> Path:
    return _kit_dir() / f"run-{run}.txt"


def _record(run: str, alias: str, name: str) -> None:
    """Write down a database (or, with no alias, a file) for the end of the run to remove."""
    # One short append per line: the run's workers write to the file at the same time.
    with open(_run_file(run), "a", encoding="utf-8") as handle:
        handle.write(f"{alias}\t{name}\n")


def _sweep(config: pytest.Config) -> None:
    """Drop what the run recorded and did not keep: leftover clones, temporary templates."""
    path = _run_file(config.stash[_RUN])
    if not path.exists():
        return
    from django.db import connections

    failures = []
    with _unblocked(config):
        for line in dict.fromkeys(path.read_text(encoding="utf-8").splitlines()):
            alias, name = line.split("\t", 1)
            try:
                if alias:
                    _drop_if_exists(connections[alias], name)
                else:
                    Path(name).unlink(missing_ok=True)
            except Exception as exc:
                failures.append(f"{name}: {exc}")
    path.unlink()
    if failures:
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                "--kit-clone-db could not drop these test databases; drop them by hand: "
                + "; ".join(failures),
                yellow=True,
            )


def _unblocked(config: pytest.Config) -> AbstractContextManager[None]:
    from pytest_django.plugin import blocking_manager_key

    blocker: DjangoDbBlocker = config.stash[blocking_manager_key]
    return blocker.unblock()
