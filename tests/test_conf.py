import pytest
from django.core.exceptions import ImproperlyConfigured

from django_integration_kit.conf import DEFAULTS, get_setting


class Owner:
    login_fields = ("email", "pass")


def test_defaults_apply_without_settings():
    assert get_setting("SIGNUP_URL") == "signup"
    assert get_setting("ENFORCE_CSRF") is False


def test_settings_win_over_defaults(settings):
    settings.INTEGRATION_KIT = {"SIGNUP_URL": "join"}

    assert get_setting("SIGNUP_URL") == "join"


def test_class_attributes_win_over_settings(settings):
    settings.INTEGRATION_KIT = {"LOGIN_FIELDS": ("login", "password")}

    assert get_setting("LOGIN_FIELDS", Owner) == ("email", "pass")
    assert get_setting("LOGIN_FIELDS") == ("login", "password")


def test_an_unknown_setting_key_is_named(settings):
    settings.INTEGRATION_KIT = {"SIGNUP_URLS": "join"}

    with pytest.raises(ImproperlyConfigured) as excinfo:
        get_setting("SIGNUP_URL")

    assert str(excinfo.value) == (
        "Unknown django-integration-kit setting 'SIGNUP_URLS' in settings.INTEGRATION_KIT. "
        "Did you mean 'SIGNUP_URL' or 'LOGIN_URL'?"
    )


def test_the_setting_must_be_a_dict(settings):
    settings.INTEGRATION_KIT = ["SIGNUP_URL"]

    with pytest.raises(ImproperlyConfigured, match="must be a dict, not list"):
        get_setting("SIGNUP_URL")


def test_every_documented_key_has_a_default():
    assert {
        "SIGNUP_URL",
        "SIGNUP_PASSWORD_FIELDS",
        "LOGIN_URL",
        "LOGIN_FIELDS",
        "FAST_PASSWORD_HASHER",
        "BLOCK_NETWORK",
        "ENFORCE_CSRF",
        "CLEAR_CACHES",
    } <= set(DEFAULTS)
