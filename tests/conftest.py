import os

import pytest

pytest_plugins = ["pytester"]

# tests/emailsite and tests/allauth_site run against other sites (an email user model,
# django-allauth); each needs its own settings module, so each run of the suite only collects
# the tests written for its settings.
_SITES = {"config.settings_emailsite": "emailsite", "config.settings_allauth": "allauth_site"}
_site = _SITES.get(os.environ.get("DJANGO_SETTINGS_MODULE", ""))
if _site is not None:
    collect_ignore_glob = ["test_*.py", *(f"{s}/*" for s in _SITES.values() if s != _site)]
else:
    collect_ignore = list(_SITES.values())
    # The clone-per-worker tests start some 60 pytest processes on three database servers:
    # they run once, in tox's xdist-db env (KIT_XDIST_DB_TESTS=1), not in every env.
    if os.environ.get("KIT_XDIST_DB_TESTS") != "1":
        collect_ignore.append("test_xdist_db.py")


@pytest.fixture(scope="session", autouse=True)
def _nested_runs_use_their_own_database():
    """Test runs started from a test (pytester, manage.py test) get a database of their own.

    With the same settings they would create and drop this run's test database on PostgreSQL
    and MariaDB, and this run's teardown would then warn that it no longer exists. The settings
    of this process were read already; only subprocesses see the new name.
    """
    previous = os.environ.get("KIT_DB_NAME")
    os.environ["KIT_DB_NAME"] = f"kit_nested_{os.getpid()}"
    yield
    if previous is None:
        del os.environ["KIT_DB_NAME"]
    else:
        os.environ["KIT_DB_NAME"] = previous


@pytest.fixture
def fast_hasher():
    """Plain-client tests hash like the kit's test cases do, instead of with PBKDF2."""
    from django_integration_kit._defaults import fast_password_hasher

    with fast_password_hasher():
        yield


def pytest_configure(config):
    """Under ``-n``, let an idle worker take over tests queued on a busy one (``worksteal``).

    A few dozen tests start a Python process each (pytester runs, ``manage.py`` commands,
    fresh-interpreter checks, ``pytest -n 2`` in tests/test_xdist_db.py) and take most of the
    suite's time. xdist's default ``--dist load`` hands them out in the batches of whichever
    worker asks, so one worker ran them while the other sat idle. A ``--dist`` on the command
    line still wins.
    """
    chosen = any(
        arg in ("--dist", "-d") or arg.startswith("--dist=")
        for arg in config.invocation_params.args
    )
    if getattr(config.option, "dist", "no") == "load" and not chosen:
        config.option.dist = "worksteal"
