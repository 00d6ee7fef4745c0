import os

import pytest

pytest_plugins = ["pytester"]

# tests/emailsite runs against another site (an email user model); it needs its own settings
# module, so each half of the suite only collects the tests written for its settings.
if os.environ.get("DJANGO_SETTINGS_MODULE") == "config.settings_emailsite":
    collect_ignore_glob = ["test_*.py"]
else:
    collect_ignore = ["emailsite"]


@pytest.fixture
def fast_hasher():
    """Plain-client tests hash like the kit's test cases do, instead of with PBKDF2."""
    from django_integration_kit._defaults import fast_password_hasher

    with fast_password_hasher():
        yield
