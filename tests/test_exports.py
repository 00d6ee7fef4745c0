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
