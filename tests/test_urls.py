import pytest
from django.conf import global_settings
from django.urls import reverse_lazy, set_script_prefix
from django.utils import translation

from django_integration_kit import _urls
from django_integration_kit._urls import flow_path, is_flow_page, resolve_url, url_names


def test_names_and_paths_resolve():
    assert resolve_url("dashboard") == "/dashboard/"
    assert resolve_url("/any/path/?x=1") == "/any/path/?x=1"
    assert resolve_url("admin:index") == "/admin/"


def test_url_names_include_namespaces():
    names = url_names()

    assert "dashboard" in names
    assert "admin:index" in names


def test_an_unknown_name_lists_the_closest():
    with pytest.raises(ValueError) as excinfo:
        resolve_url("dashbaord")

    assert str(excinfo.value) == (
        "No URL named 'dashbaord'. Did you mean 'dashboard' or 'async_dashboard'?"
    )


def test_an_unknown_name_with_nothing_close_lists_known_names():
    with pytest.raises(ValueError) as excinfo:
        resolve_url("zzzzzz")

    message = str(excinfo.value)
    assert message.startswith("No URL named 'zzzzzz'. Known names: account_settings, ")
    # The project's own names come before namespaced ones such as admin:index.
    assert "dashboard, " in message
    assert "admin:" not in message


def test_a_known_name_with_wrong_arguments():
    with pytest.raises(ValueError) as excinfo:
        resolve_url("dashboard", 7)

    assert str(excinfo.value) == (
        "URL 'dashboard' exists but does not match args=[7] kwargs={}; "
        "check the arguments its pattern expects."
    )


def test_a_path_with_arguments_is_refused():
    with pytest.raises(TypeError, match="were given with the literal path '/x/'"):
        resolve_url("/x/", 1)


# flow_path: the page each flow uses

NO_SIGNUP_FITS = (
    "no URL name of the project fits a signup page: one that takes no arguments and ends in "
    "signup, sign_up or register (such as 'account_signup' or 'customer:register'), or is "
    "registration or join. "
)
NO_LOGIN_FITS = (
    "no URL name of the project fits a login page: one that takes no arguments and ends in "
    "login, log_in, signin or sign_in (such as 'account_login' or 'two_factor:login'). "
)
SET_SIGNUP_URL = "Set INTEGRATION_KIT['SIGNUP_URL'] (or signup_url on the test class)"
SET_LOGIN_URL = (
    "Set settings.LOGIN_URL (or INTEGRATION_KIT['LOGIN_URL'], or login_url on the test class)"
)
DJANGOS_LOGIN_URL = (
    "settings.LOGIN_URL is Django's default '/accounts/login/', which is not a URL of the "
    "project, and "
)


@pytest.fixture
def djangos_login_url(settings):
    """settings.LOGIN_URL as a project that never set it, or set it to the default, has it."""
    settings.LOGIN_URL = global_settings.LOGIN_URL


def _urlconf(settings, name):
    settings.ROOT_URLCONF = f"config.urls_discovery_{name}"


def _flow_error(flow, owner=None):
    with pytest.raises(ValueError) as excinfo:
        flow_path(flow, owner)
    return str(excinfo.value)


def test_the_test_projects_own_pages_are_found():
    # logout beats admin:logout; LOGIN_URL = "login" in the settings names the login page.
    assert flow_path("signup") == "/signup/"
    assert flow_path("login") == "/login/"
    assert flow_path("logout") == "/logout/"


def test_allauth_pages_are_found_beside_social_and_admin_pages(settings, djangos_login_url):
    _urlconf(settings, "allauth")

    # socialaccount_signup fits too; account_signup is the well-known name.
    assert flow_path("signup") == "/accounts/signup/"
    assert flow_path("login") == "/accounts/login/"
    assert flow_path("logout") == "/accounts/logout/"


def test_oscar_pages_are_found_in_the_customer_namespace(settings, djangos_login_url):
    _urlconf(settings, "oscar")

    assert flow_path("signup") == "/accounts/register/"
    # Django's default LOGIN_URL is Oscar's login page.
    assert flow_path("login") == "/accounts/login/"
    # dashboard:logout fits too; customer:logout is the well-known name.
    assert flow_path("logout") == "/accounts/logout/"


def test_two_factor_login_wins_over_the_admins(settings, djangos_login_url):
    _urlconf(settings, "two_factor")

    assert flow_path("login") == "/account/login/"
    # With no logout page of its own, the project's admin logs out.
    assert flow_path("logout") == "/admin/logout/"


def test_django_registration_pages_are_found(settings, djangos_login_url):
    _urlconf(settings, "registration")

    # registration_disallowed and registration_activation_complete do not fit.
    assert flow_path("signup") == "/accounts/register/"
    assert flow_path("login") == "/accounts/login/"
    assert flow_path("logout") == "/accounts/logout/"


def test_a_projects_own_names_are_found(settings, djangos_login_url):
    _urlconf(settings, "plain")

    # Not registration_complete, event_registration, group_join, login_help, nor event_register
    # (it takes arguments).
    assert flow_path("signup") == "/join/"
    assert flow_path("login") == "/sign-in/"
    assert flow_path("logout") == "/sign-out/"


def test_the_admin_login_is_the_last_resort(settings, djangos_login_url):
    _urlconf(settings, "admin")

    assert flow_path("login") == "/admin/login/"
    assert flow_path("logout") == "/admin/logout/"


def test_several_fitting_signup_pages_are_listed(settings):
    _urlconf(settings, "ambiguous")

    assert _flow_error("signup") == (
        "Several URLs fit a signup page: 'register' (/register/), 'signup' (/signup/). "
        f"{SET_SIGNUP_URL} to the one the kit should use."
    )


def test_several_fitting_login_pages_are_listed(settings, djangos_login_url):
    _urlconf(settings, "ambiguous")

    assert _flow_error("login") == (
        f"{DJANGOS_LOGIN_URL}several URLs fit a login page: 'sign_in' (/sign-in/), "
        f"'staff_login' (/staff/login/). {SET_LOGIN_URL} to the one the kit should use."
    )


def test_several_fitting_logout_pages_are_listed(settings):
    _urlconf(settings, "ambiguous")

    assert _flow_error("logout") == (
        "Several URLs fit a logout page: 'sign_out' (/sign-out/), 'staff_logout' "
        "(/staff/logout/). Set INTEGRATION_KIT['LOGOUT_URL'] (or logout_url on the test "
        "class) to the one the kit should use."
    )


def test_no_fitting_signup_page_lists_the_account_like_names_first(settings):
    _urlconf(settings, "none")

    assert _flow_error("signup") == (
        NO_SIGNUP_FITS[0].upper() + NO_SIGNUP_FITS[1:] + "The closest names: invite_signup "
        "(takes arguments), password_reset, shop:customer_detail (takes arguments), "
        "account_settings, about, blog, catalog, contact, faq, home and 7 more. "
        f"{SET_SIGNUP_URL} to the signup page's URL name or path."
    )


def test_no_fitting_signup_page_lists_the_admins_names_last(settings):
    _urlconf(settings, "two_factor")

    message = _flow_error("signup")

    assert message.startswith(
        NO_SIGNUP_FITS[0].upper() + NO_SIGNUP_FITS[1:] + "The closest names: two_factor:login, "
        "two_factor:profile, home, two_factor:setup, two_factor:setup_complete, admin:login, "
    )


def test_no_fitting_login_page_says_why_it_was_looked_for(settings, djangos_login_url):
    _urlconf(settings, "none")

    assert _flow_error("login") == (
        f"{DJANGOS_LOGIN_URL}{NO_LOGIN_FITS}The closest names: invite_signup (takes arguments), "
        "account_settings, shop:customer_detail (takes arguments), password_reset, about, blog, "
        f"catalog, contact, faq, home and 7 more. {SET_LOGIN_URL} to the login page's URL name "
        "or path."
    )


def test_no_logout_page_means_ending_the_session(settings):
    _urlconf(settings, "none")

    assert flow_path("logout") is None


# flow_path: configured pages


def test_a_configured_name_or_path_is_used(settings):
    _urlconf(settings, "ambiguous")
    settings.INTEGRATION_KIT = {"SIGNUP_URL": "register", "LOGOUT_URL": "/staff/logout/"}

    class MyTests:
        login_url = "staff_login"

    assert flow_path("signup") == "/register/"
    assert flow_path("logout") == "/staff/logout/"
    assert flow_path("login", MyTests) == "/staff/login/"


def test_a_configured_unknown_name_names_the_setting(settings):
    _urlconf(settings, "allauth")
    settings.INTEGRATION_KIT = {"SIGNUP_URL": "acount_signup"}

    assert _flow_error("signup") == (
        "No URL named 'acount_signup'. Did you mean 'account_signup' or 'socialaccount_signup' "
        "or 'account_login'? It is the value of settings.INTEGRATION_KIT['SIGNUP_URL']; set "
        "that to a URL name or path, or to None to find the signup page by its name."
    )


def test_a_configured_unknown_name_names_the_class_attribute(settings):
    _urlconf(settings, "oscar")

    class MyTests:
        logout_url = "customer:log_out"

    assert _flow_error("logout", MyTests) == (
        "No URL named 'customer:log_out'. Did you mean 'customer:logout' or 'customer:login' or "
        "'customer:register'? It is the value of the logout_url attribute of MyTests; set that "
        "to a URL name or path, or to None to find the logout page by its name."
    )


def test_a_configured_name_that_takes_arguments_names_the_setting(settings):
    _urlconf(settings, "oscar")
    settings.INTEGRATION_KIT = {"LOGIN_URL": "customer:order"}

    assert _flow_error("login") == (
        "URL 'customer:order' exists but does not match args=[] kwargs={}; check the arguments "
        "its pattern expects. It is the value of settings.INTEGRATION_KIT['LOGIN_URL']; set "
        "that to a URL name or path, or to None to find the login page by its name."
    )


def test_a_configured_full_login_url_is_used_as_it_is(settings):
    settings.INTEGRATION_KIT = {"LOGIN_URL": "https://sso.example.com/login"}

    assert flow_path("login") == "https://sso.example.com/login"


# flow_path("login"): settings.LOGIN_URL


def test_settings_login_url_as_a_name(settings):
    _urlconf(settings, "two_factor")
    settings.LOGIN_URL = "two_factor:login"

    assert flow_path("login") == "/account/login/"


def test_settings_login_url_set_by_the_project_is_trusted(settings):
    settings.LOGIN_URL = "/sso/login/?app=shop"

    assert flow_path("login") == "/sso/login/?app=shop"


def test_settings_login_url_as_a_full_url_or_lazy(settings):
    settings.LOGIN_URL = "https://sso.example.com/login"
    assert flow_path("login") == "https://sso.example.com/login"

    settings.LOGIN_URL = reverse_lazy("dashboard")
    assert flow_path("login") == "/dashboard/"


def test_settings_login_url_as_an_unknown_name(settings):
    settings.LOGIN_URL = "dashbaord"

    assert _flow_error("login") == (
        "No URL named 'dashbaord'. Did you mean 'dashboard' or 'async_dashboard'? It is the "
        "value of settings.LOGIN_URL; set that to the login page's URL name or path."
    )


def test_djangos_default_login_url_is_used_where_it_resolves(settings, djangos_login_url):
    _urlconf(settings, "allauth")
    settings.INTEGRATION_KIT = {}

    assert flow_path("login") == "/accounts/login/"


# Caching


def test_discovery_runs_once_per_urlconf(settings, monkeypatch):
    calls = []
    choose = _urls._choose
    monkeypatch.setattr(_urls, "_choose", lambda *a: calls.append(a[0]) or choose(*a))
    _urlconf(settings, "allauth")

    assert [flow_path("signup") for _ in range(3)] == ["/accounts/signup/"] * 3
    assert calls == ["signup"]

    _urlconf(settings, "oscar")

    assert [flow_path("signup") for _ in range(3)] == ["/accounts/register/"] * 3
    assert calls == ["signup", "signup"]


def test_cached_paths_follow_the_language(settings):
    settings.LANGUAGES = [("en", "English"), ("fr", "French")]
    _urlconf(settings, "i18n")

    with translation.override("fr"):
        assert flow_path("signup") == "/fr/signup/"
    with translation.override("en"):
        assert flow_path("signup") == "/en/signup/"


def test_cached_paths_follow_the_script_prefix():
    assert flow_path("signup") == "/signup/"

    set_script_prefix("/shop/")
    try:
        assert flow_path("signup") == "/shop/signup/"
    finally:
        set_script_prefix("/")

    assert flow_path("signup") == "/signup/"


def test_url_names_list_the_admins_last(settings):
    _urlconf(settings, "oscar")

    assert url_names()[:6] == [
        "home",
        "customer:login",
        "customer:logout",
        "customer:order",
        "customer:profile-view",
        "customer:register",
    ]
    assert url_names()[-1].startswith("admin:")


def test_an_unknown_flow_is_refused():
    assert _flow_error("sigup") == "flow must be 'signup', 'login' or 'logout', not 'sigup'."


def test_is_flow_page_tells_another_login_page(settings):
    _urlconf(settings, "oscar")

    assert is_flow_page("login", "/dashboard/login/?next=/dashboard/")
    assert is_flow_page("login", "/accounts/login/")
    assert is_flow_page("logout", "/dashboard/logout/")
    assert not is_flow_page("login", "/dashboard/")
    assert not is_flow_page("login", "/nowhere/login/")
