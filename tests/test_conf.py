from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase, override_settings
from django.urls import reverse_lazy
from django.utils.text import format_lazy

from django_integration_kit.conf import DEFAULTS, check_attributes, get_setting, origin


class Owner:
    login_fields = ("email", "pass")


def _error(name, owner=None):
    with pytest.raises(ImproperlyConfigured) as excinfo:
        get_setting(name, owner)
    return str(excinfo.value)


def test_defaults_apply_without_settings():
    assert get_setting("SIGNUP_URL") is None
    assert get_setting("LOGOUT_URL") is None
    assert get_setting("LOGIN_URL") is None
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


def test_an_unknown_setting_key_gets_at_most_three_suggestions(settings):
    settings.INTEGRATION_KIT = {"LOGIN_URLS": "login"}

    with pytest.raises(ImproperlyConfigured) as excinfo:
        get_setting("LOGIN_URL")

    assert str(excinfo.value) == (
        "Unknown django-integration-kit setting 'LOGIN_URLS' in settings.INTEGRATION_KIT. "
        "Did you mean 'LOGIN_URL' or 'LOGIN_FIELDS' or 'LOGOUT_URL'?"
    )


def test_an_unknown_setting_key_like_no_other_gets_no_suggestion(settings):
    settings.INTEGRATION_KIT = {"THEME": "dark"}

    with pytest.raises(ImproperlyConfigured) as excinfo:
        get_setting("LOGIN_URL")

    assert str(excinfo.value) == (
        "Unknown django-integration-kit setting 'THEME' in settings.INTEGRATION_KIT."
    )


def test_the_setting_must_be_a_dict(settings):
    settings.INTEGRATION_KIT = ["SIGNUP_URL"]

    with pytest.raises(ImproperlyConfigured, match="must be a dict, not list"):
        get_setting("SIGNUP_URL")


def test_get_setting_given_an_unknown_name_suggests_the_setting():
    with pytest.raises(KeyError) as excinfo:
        get_setting("BLOCK_NETWROK")

    assert excinfo.value.args == (
        "Unknown django-integration-kit setting 'BLOCK_NETWROK' in get_setting(). "
        "Did you mean 'BLOCK_NETWORK'?",
    )


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


# LOGIN_FIELDS


def test_login_fields_given_a_str_name_the_missing_tuple(settings):
    settings.INTEGRATION_KIT = {"LOGIN_FIELDS": ("email")}

    assert _error("LOGIN_FIELDS") == (
        "settings.INTEGRATION_KIT['LOGIN_FIELDS'] is 'email', a str; expected a pair of field "
        "names, the login form's username field then its password field, such as "
        "('email', 'password'); parentheses alone do not make a tuple."
    )


def test_login_fields_given_one_name_on_the_class():
    class MyTests:
        login_fields = ("email",)

    assert _error("LOGIN_FIELDS", MyTests) == (
        "the login_fields attribute of MyTests is ('email',), a tuple of 1 item; expected a "
        "pair of field names, the login form's username field then its password field, such "
        "as ('username', 'password')."
    )


def test_login_fields_given_three_names(settings):
    settings.INTEGRATION_KIT = {"LOGIN_FIELDS": ["login", "password", "remember"]}

    assert _error("LOGIN_FIELDS") == (
        "settings.INTEGRATION_KIT['LOGIN_FIELDS'] is ['login', 'password', 'remember'], a list "
        "of 3 items; expected a pair of field names, the login form's username field then its "
        "password field, such as ('username', 'password')."
    )


def test_login_fields_given_the_same_name_twice(settings):
    settings.INTEGRATION_KIT = {"LOGIN_FIELDS": ("email", "email")}

    assert _error("LOGIN_FIELDS") == (
        "settings.INTEGRATION_KIT['LOGIN_FIELDS'] is ('email', 'email'), a tuple of 2 items; "
        "expected a pair of field names, the login form's username field then its password "
        "field, such as ('username', 'password'), two different names."
    )


def test_login_fields_given_a_non_str_name(settings):
    settings.INTEGRATION_KIT = {"LOGIN_FIELDS": ("email", None)}

    assert _error("LOGIN_FIELDS").startswith(
        "settings.INTEGRATION_KIT['LOGIN_FIELDS'] is ('email', None), a tuple of 2 items; "
    )


def test_login_fields_given_an_empty_name(settings):
    settings.INTEGRATION_KIT = {"LOGIN_FIELDS": ("", "password")}

    assert _error("LOGIN_FIELDS") == (
        "settings.INTEGRATION_KIT['LOGIN_FIELDS'] is ('', 'password'), a tuple of 2 items; "
        "expected a pair of field names, the login form's username field then its password "
        "field, such as ('username', 'password')."
    )


def test_login_fields_as_a_list_read_as_a_tuple(settings):
    settings.INTEGRATION_KIT = {"LOGIN_FIELDS": ["login", "password"]}

    assert get_setting("LOGIN_FIELDS") == ("login", "password")


# SIGNUP_PASSWORD_FIELDS


def test_signup_password_fields_given_a_str_show_the_trailing_comma(settings):
    settings.INTEGRATION_KIT = {"SIGNUP_PASSWORD_FIELDS": ("password")}

    assert _error("SIGNUP_PASSWORD_FIELDS") == (
        "settings.INTEGRATION_KIT['SIGNUP_PASSWORD_FIELDS'] is 'password', a str; expected a "
        "tuple of field names such as ('password1', 'password2'); a 1-tuple needs a trailing "
        "comma: ('password',)."
    )


def test_signup_password_fields_given_a_non_str_name():
    class MyTests:
        signup_password_fields = ("password1", 2)

    assert _error("SIGNUP_PASSWORD_FIELDS", MyTests) == (
        "the signup_password_fields attribute of MyTests is ('password1', 2), a tuple of 2 "
        "items; expected a tuple of field names such as ('password1', 'password2'), or () to "
        "use the form's password inputs."
    )


def test_signup_password_fields_as_a_list_must_hold_field_names(settings):
    settings.INTEGRATION_KIT = {"SIGNUP_PASSWORD_FIELDS": ["password1", 2]}

    assert _error("SIGNUP_PASSWORD_FIELDS") == (
        "settings.INTEGRATION_KIT['SIGNUP_PASSWORD_FIELDS'] is ['password1', 2], a list of 2 "
        "items; expected a tuple of field names such as ('password1', 'password2'), or () to "
        "use the form's password inputs."
    )


def test_signup_password_fields_may_be_one_or_none(settings):
    settings.INTEGRATION_KIT = {"SIGNUP_PASSWORD_FIELDS": ["password"]}
    assert get_setting("SIGNUP_PASSWORD_FIELDS") == ("password",)

    settings.INTEGRATION_KIT = {"SIGNUP_PASSWORD_FIELDS": ()}
    assert get_setting("SIGNUP_PASSWORD_FIELDS") == ()


# Booleans


@pytest.mark.parametrize("key", ["FAST_PASSWORD_HASHER", "BLOCK_NETWORK", "ENFORCE_CSRF"])
def test_booleans_refuse_a_str(settings, key):
    settings.INTEGRATION_KIT = {key: "False"}

    assert _error(key) == (
        f"settings.INTEGRATION_KIT['{key}'] is 'False', a str; expected True or False."
    )


def test_booleans_refuse_an_int_on_the_class():
    class MyTests:
        clear_caches = 0

    assert _error("CLEAR_CACHES", MyTests) == (
        "the clear_caches attribute of MyTests is 0, an int; expected True or False."
    )


def test_booleans_are_read(settings):
    settings.INTEGRATION_KIT = {"BLOCK_NETWORK": False, "ENFORCE_CSRF": True}

    assert get_setting("BLOCK_NETWORK") is False
    assert get_setting("ENFORCE_CSRF") is True


# URLs


def test_a_url_must_be_a_str(settings):
    settings.INTEGRATION_KIT = {"SIGNUP_URL": 42}

    assert _error("SIGNUP_URL") == (
        "settings.INTEGRATION_KIT['SIGNUP_URL'] is 42, an int; expected None (to find the "
        "signup page by its URL name), a URL name such as 'account_signup', or a path "
        "starting with '/'."
    )


def test_a_url_must_not_be_empty():
    class MyTests:
        logout_url = ""

    assert _error("LOGOUT_URL", MyTests) == (
        "the logout_url attribute of MyTests is '', an empty str; expected None (to find the "
        "logout page by its URL name, or else end the session), a URL name such as "
        "'account_logout', or a path starting with '/'."
    )


def test_the_login_url_may_be_none_a_name_a_path_or_a_full_url(settings):
    for value in (None, "account_login", "/accounts/login/", "https://sso.example.com/login"):
        settings.INTEGRATION_KIT = {"LOGIN_URL": value}
        assert get_setting("LOGIN_URL") == value


def test_the_login_url_given_a_view_lists_what_it_takes(settings):
    settings.INTEGRATION_KIT = {"LOGIN_URL": ("login",)}

    assert _error("LOGIN_URL") == (
        "settings.INTEGRATION_KIT['LOGIN_URL'] is ('login',), a tuple of 1 item; expected "
        "None (to use settings.LOGIN_URL), a URL name such as 'account_login', a path starting "
        "with '/', or a full URL."
    )


def test_a_relative_path_is_refused(settings):
    settings.INTEGRATION_KIT = {"SIGNUP_URL": "accounts/signup/"}

    assert _error("SIGNUP_URL") == (
        "settings.INTEGRATION_KIT['SIGNUP_URL'] is 'accounts/signup/', which is neither a URL "
        "name nor a path: a path must start with '/', as in '/accounts/signup/'."
    )


def test_a_full_url_is_refused_for_signup(settings):
    settings.INTEGRATION_KIT = {"SIGNUP_URL": "https://example.com/accounts/signup/"}

    assert _error("SIGNUP_URL") == (
        "settings.INTEGRATION_KIT['SIGNUP_URL'] is 'https://example.com/accounts/signup/', a "
        "full URL; expected a URL name or a path of the project such as '/accounts/signup/', "
        "since the test client only requests the project's own pages."
    )


def test_a_full_url_without_a_path_suggests_the_root(settings):
    settings.INTEGRATION_KIT = {"LOGOUT_URL": "https://example.com"}

    assert _error("LOGOUT_URL") == (
        "settings.INTEGRATION_KIT['LOGOUT_URL'] is 'https://example.com', a full URL; expected "
        "a URL name or a path of the project such as '/', since the test client only requests "
        "the project's own pages."
    )


def test_a_lazy_url_is_read_as_a_str_of_the_current_urlconf(settings):
    settings.INTEGRATION_KIT = {"SIGNUP_URL": reverse_lazy("account_signup")}
    settings.ROOT_URLCONF = "config.urls_discovery_allauth"

    signup_url = get_setting("SIGNUP_URL")

    # A str, not the lazy object (which compares equal to one): callers may test isinstance().
    assert type(signup_url) is str
    assert signup_url == "/accounts/signup/"

    class MyTests:
        login_url = reverse_lazy("account_login")

    login_url = get_setting("LOGIN_URL", MyTests)

    assert type(login_url) is str
    assert login_url == "/accounts/login/"


def test_a_lazy_url_is_checked_when_read(settings):
    settings.INTEGRATION_KIT = {"SIGNUP_URL": format_lazy("{}/signup/", "accounts")}

    assert _error("SIGNUP_URL") == (
        "settings.INTEGRATION_KIT['SIGNUP_URL'] is 'accounts/signup/', which is neither a URL "
        "name nor a path: a path must start with '/', as in '/accounts/signup/'."
    )


# BROWSER_EXECUTABLE


def test_the_browser_executable_may_be_a_path(settings):
    settings.INTEGRATION_KIT = {"BROWSER_EXECUTABLE": Path("/usr/bin/chromium")}

    assert get_setting("BROWSER_EXECUTABLE") == "/usr/bin/chromium"


def test_the_browser_executable_must_be_a_path(settings):
    settings.INTEGRATION_KIT = {"BROWSER_EXECUTABLE": True}

    assert _error("BROWSER_EXECUTABLE") == (
        "settings.INTEGRATION_KIT['BROWSER_EXECUTABLE'] is True, a bool; expected None (to "
        "look for Chromium on PATH) or the path of a Chromium or Chrome executable."
    )


# When values are checked


def test_reading_any_key_checks_the_whole_dict(settings):
    settings.INTEGRATION_KIT = {"BLOCK_NETWORK": True, "LOGIN_FIELDS": "email"}

    assert _error("BLOCK_NETWORK").startswith(
        "settings.INTEGRATION_KIT['LOGIN_FIELDS'] is 'email', a str; "
    )


def test_override_settings_is_noticed(settings):
    settings.INTEGRATION_KIT = {"BLOCK_NETWORK": False}
    assert get_setting("BLOCK_NETWORK") is False

    with override_settings(INTEGRATION_KIT={"BLOCK_NETWORK": "no"}):
        assert _error("BLOCK_NETWORK").startswith("settings.INTEGRATION_KIT['BLOCK_NETWORK']")

    assert get_setting("BLOCK_NETWORK") is False


def test_a_dict_changed_in_place_is_checked_again(settings):
    settings.INTEGRATION_KIT = {"BLOCK_NETWORK": False}
    assert get_setting("BLOCK_NETWORK") is False

    settings.INTEGRATION_KIT["BLOCK_NETWORK"] = 1

    assert _error("BLOCK_NETWORK") == (
        "settings.INTEGRATION_KIT['BLOCK_NETWORK'] is 1, an int; expected True or False."
    )


def test_origin_names_the_class_attribute_or_the_setting():
    assert origin("LOGIN_FIELDS", Owner) == "the login_fields attribute of Owner"
    assert origin("LOGIN_FIELDS", Owner()) == "the login_fields attribute of Owner"
    assert origin("SIGNUP_URL", Owner) == "settings.INTEGRATION_KIT['SIGNUP_URL']"
    assert origin("SIGNUP_URL") == "settings.INTEGRATION_KIT['SIGNUP_URL']"


# Misspelt setting attributes


def test_a_misspelt_setting_attribute_is_refused():
    class CheckoutTests:
        fixtures = ["catalog.json"]

        def test_checkout(self):
            pass

        # Found after the ordinary attribute and the method too.
        block_netwrok = False

    with pytest.raises(ImproperlyConfigured) as excinfo:
        check_attributes(CheckoutTests)

    assert str(excinfo.value) == (
        "CheckoutTests.block_netwrok is not a django-integration-kit setting, so it would be "
        "ignored. Did you mean 'block_network' (the class attribute for "
        "INTEGRATION_KIT['BLOCK_NETWORK'])? Rename it, or rename the attribute if it is not "
        "meant as a setting."
    )


def test_a_misspelt_setting_on_a_mixin_after_the_test_case_is_refused():
    class OfflineMixin:
        block_netwrok = False

    # The MRO puts Django's classes before the mixin: they are passed over, not stopped at.
    class CheckoutTests(SimpleTestCase, OfflineMixin):
        pass

    with pytest.raises(ImproperlyConfigured) as excinfo:
        check_attributes(CheckoutTests)

    assert str(excinfo.value).startswith(
        "OfflineMixin.block_netwrok is not a django-integration-kit setting"
    )


def test_private_and_camel_case_attributes_are_not_taken_for_settings():
    class CheckoutTests:
        # Both are the class's own names, like unittest's maxDiff, however close to a setting.
        _block_network = False
        loginFields = ("email", "password")

    check_attributes(CheckoutTests)


@pytest.mark.parametrize(
    "module", ["django.test.testcases", "unittest.case", "django_integration_kit.testcases"]
)
def test_attributes_of_djangos_unittests_and_the_kits_classes_are_not_taken_for_settings(module):
    # A base class of these packages may have any attribute, including one close to a setting
    # (a later Django might add login_field), and a test class may set it in turn.
    class Base:
        __module__ = module
        login_field = "email"

    class CheckoutTests(Base):
        login_field = "username"

    check_attributes(CheckoutTests)


def test_a_misspelt_setting_after_an_attribute_of_djangos_classes_is_refused():
    class Base:
        __module__ = "django.test.testcases"
        login_field = "email"

    class CheckoutTests(Base):
        login_field = "username"
        block_netwrok = False

    with pytest.raises(ImproperlyConfigured, match=r"^CheckoutTests\.block_netwrok is not a "):
        check_attributes(CheckoutTests)


@pytest.mark.parametrize("module", ["djangoshop.tests", "unittests.checkout", "unittest_extras"])
def test_a_test_class_in_a_module_named_like_djangos_or_unittests_is_checked(module):
    class CheckoutTests:
        __module__ = module
        login_field = "email"

    with pytest.raises(ImproperlyConfigured, match=r"^CheckoutTests\.login_field is not a "):
        check_attributes(CheckoutTests)
