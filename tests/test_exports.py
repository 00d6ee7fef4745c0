import django_integration_kit


def test_all_lists_exactly_the_public_names():
    public = {name for name in dir(django_integration_kit) if not name.startswith("_")}
    modules = {
        name for name in public if type(getattr(django_integration_kit, name)).__name__ == "module"
    }

    assert set(django_integration_kit.__all__) == public - modules
    assert django_integration_kit.__all__ == sorted(django_integration_kit.__all__)


def test_the_contract_names_are_exported():
    contract = {
        "IntegrationTestCase", "IntegrationTransactionTestCase", "signup", "login",
        "login_as", "logout", "assert_login_required", "make_user", "make", "prepare",
        "make_recipe", "submit_form", "Freezer",
    }  # fmt: skip

    assert contract <= set(django_integration_kit.__all__)


def test_the_package_imports_without_django_settings():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "import django_integration_kit, django_integration_kit.pytest_plugin\n"
        "from django.conf import settings\n"
        "assert not settings.configured\n"
    )

    subprocess.run([sys.executable, "-c", code], env=env, check=True)


NOT_LOADED = """
import sys

heavy = {"django", "requests", "selectolax", "freezegun", "model_bakery"} - ALREADY
loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy)
assert not loaded, loaded
"""


def test_importing_the_package_and_its_plugin_loads_no_django_or_dependency():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "import django_integration_kit, django_integration_kit.pytest_plugin\n"
        + "ALREADY = set()\n"
        + NOT_LOADED
    )

    subprocess.run([sys.executable, "-c", code], env=env, check=True)


def test_pytest_with_the_plugin_and_no_settings_loads_no_django(tmp_path):
    import os
    import subprocess
    import sys

    # requests-mock's own pytest plugin (requests_mock.contrib) imports requests.
    (tmp_path / "test_nothing_loaded.py").write_text(
        "ALREADY = {'requests'}\n\n\n"
        "def test_nothing_heavy_is_loaded():\n"
        + "".join(f"    {line}\n" for line in NOT_LOADED.strip().splitlines())
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", str(tmp_path)],
        env=env, cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert "django_integration_kit" in subprocess.run(
        [sys.executable, "-m", "pytest", "--trace-config", "--co", "-q", str(tmp_path)],
        env=env, cwd=tmp_path, capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
