import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from django_integration_kit import (
    IntegrationTestCase,
    assert_login_required,
    login,
    login_as,
    logout,
    make_user,
    signup,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plain(fast_hasher):
    return Client()


@pytest.fixture
def csrf_checked(fast_hasher):
    return Client(enforce_csrf_checks=True)


# signup


def test_signup_returns_the_user_with_its_raw_password(plain):
    user = signup(plain, username="hasnat", password="strongPass123")

    assert isinstance(user, User)
    assert user.username == "hasnat"
    assert user.raw_password == "strongPass123"
    assert user.check_password("strongPass123")


def test_signup_fills_what_was_left_out(plain):
    user = signup(plain)

    assert user.username.startswith("user")
    assert user.check_password(user.raw_password)


def test_signup_skips_the_search_form_and_keeps_hidden_fields(plain):
    signup(plain, username="ivy")

    response = plain.get("/search/?q=x")
    assert response.status_code == 200
    assert User.objects.filter(username="ivy").exists()


def test_signup_fails_with_form_errors_in_message(plain):
    signup(plain, username="taken", password="strongPass123")

    with pytest.raises(AssertionError) as excinfo:
        signup(plain, username="taken", password="Another-pass-9")

    lines = str(excinfo.value).splitlines()
    assert lines[0] == "signup() failed: POST /signup/ answered 200 with form errors."
    assert lines[1:4] == ["Requests:", "  GET /signup/ 200", "  POST /signup/ 200"]
    assert lines[4:6] == ["Form errors:", "  username: A user with that username already exists."]
    assert lines[6].startswith("Submitted: csrfmiddlewaretoken='********', username='taken'")
    assert lines[7].startswith("Page text: 'Home Search Log in Sign up Sign up Username:")


def test_signup_masks_the_password_everywhere(plain):
    with pytest.raises(AssertionError) as excinfo:
        signup(plain, username="hasnat", password="hasnat12")

    message = str(excinfo.value)
    assert "hasnat12" not in message
    assert "password1='********', password2='********'" in message
    assert "password2: The password is too similar to the username." in message


def test_signup_names_a_field_that_is_not_in_the_form(plain):
    with pytest.raises(AssertionError) as excinfo:
        signup(plain, usernam="hasnat")

    assert str(excinfo.value) == (
        "Field 'usernam' is not in form #signup; its fields are: "
        "csrfmiddlewaretoken, username, password1, password2. Did you mean 'username'?"
    )


def test_signup_with_an_unknown_url_name_suggests_the_closest(plain):
    with pytest.raises(ValueError) as excinfo:
        signup(plain, url="sign_up")

    assert str(excinfo.value) == "No URL named 'sign_up'. Did you mean 'signup'?"


def test_signup_on_a_page_without_password_form(plain):
    with pytest.raises(AssertionError) as excinfo:
        signup(plain, url="contact")

    assert str(excinfo.value).splitlines()[0] == (
        "signup() found no form with a password field on GET /contact/ "
        "(forms on the page: form.search (GET /search/), #contact (POST /contact/))."
    )


def test_signup_on_a_missing_page(plain):
    with pytest.raises(AssertionError) as excinfo:
        signup(plain, url="/nowhere/")

    assert str(excinfo.value).splitlines()[:3] == [
        "signup() could not open its page: GET /nowhere/ answered 404, expected 200.",
        "Requests:",
        "  GET /nowhere/ 404",
    ]


def test_signup_fills_username_and_email_the_html_does_not_mark_required(plain):
    user = signup(plain, url="handmade_signup_page")

    assert user.username.startswith("user")
    assert user.email.endswith("@example.com")
    assert user.check_password(user.raw_password)


def test_signup_fails_when_the_submission_created_no_user(plain):
    User.objects.create_user("someone-else")

    with pytest.raises(AssertionError) as excinfo:
        signup(plain, url="signup_creates_nobody")

    assert str(excinfo.value).splitlines()[:4] == [
        "signup() submitted the form and POST /waiting-list/ answered 302 without form "
        "errors, but no user was created. Is this the signup page? Point "
        "INTEGRATION_KIT['SIGNUP_URL'] (or url=) at it.",
        "Requests:",
        "  GET /waiting-list/ 200",
        "  POST /waiting-list/ 302 -> /",
    ]


def test_signup_refuses_a_login_form(plain):
    with pytest.raises(AssertionError) as excinfo:
        signup(plain, url="login")

    assert str(excinfo.value).splitlines()[0] == (
        "signup() found a login form, not a signup form, on GET /login/: its form #login (POST "
        "/login/) has one password field, 'password', marked "
        "autocomplete=\"current-password\". Point INTEGRATION_KIT['SIGNUP_URL'] (or "
        "signup_url on the test class, or url=) at the signup page."
    )


# login


def test_login_through_the_form_redirects_to_the_dashboard(plain):
    User.objects.create_user("hasnat", password="strongPass123")

    response = login(plain, "hasnat", "strongPass123")

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert plain.get(reverse("dashboard")).status_code == 200


def test_login_fails_with_wrong_password_and_masks_it(plain):
    User.objects.create_user("hasnat", password="strongPass123")

    with pytest.raises(AssertionError) as excinfo:
        login(plain, "hasnat", "wrongPass456")

    message = str(excinfo.value)
    assert message.splitlines()[:6] == [
        "login() failed: POST /login/ answered 200 with form errors. The site rejected the "
        "credentials: username 'hasnat' with a password of 12 characters (not shown). Check "
        "both: a user from make_user() has its password at user.raw_password.",
        "Requests:",
        "  GET /login/ 200",
        "  POST /login/ 200",
        "Form errors:",
        "  __all__: Please enter a correct username and password. "
        "Note that both fields may be case-sensitive.",
    ]
    assert "wrongPass456" not in message
    assert "12 characters" in message


def test_login_names_a_one_character_password_in_the_singular(plain):
    User.objects.create_user("hasnat", password="strongPass123")

    with pytest.raises(AssertionError) as excinfo:
        login(plain, "hasnat", "x")

    assert str(excinfo.value).splitlines()[0] == (
        "login() failed: POST /login/ answered 200 with form errors. The site rejected the "
        "credentials: username 'hasnat' with a password of 1 character (not shown). Check "
        "both: a user from make_user() has its password at user.raw_password."
    )


def test_login_with_third_party_field_names(plain, settings):
    settings.INTEGRATION_KIT = {"LOGIN_FIELDS": ("login", "password")}
    User.objects.create_user("hasnat", password="strongPass123")

    response = login(plain, "hasnat", "strongPass123", url="legacy_login")

    assert response["Location"] == reverse("dashboard")


def test_login_finds_a_third_party_forms_fields_without_settings(plain):
    User.objects.create_user("hasnat", password="strongPass123")

    response = login(plain, "hasnat", "strongPass123", url="legacy_login")

    assert response["Location"] == reverse("dashboard")


def test_login_names_the_missing_field_and_the_setting(plain, settings):
    settings.INTEGRATION_KIT = {"LOGIN_FIELDS": ("email", "password")}

    with pytest.raises(AssertionError) as excinfo:
        login(plain, "hasnat", "strongPass123", url="legacy_login")

    assert str(excinfo.value) == (
        "The login form form.login (POST /legacy/login/) has no field 'email'; its fields "
        "are: csrfmiddlewaretoken, login, password. Set INTEGRATION_KIT['LOGIN_FIELDS'] (or "
        "login_fields on the test class) to the form's username and password names."
    )


def test_login_reports_a_second_step_with_the_fix(plain):
    User.objects.create_user("hasnat", password="strongPass123")

    with pytest.raises(AssertionError) as excinfo:
        login(plain, "hasnat", "strongPass123", url="two_step_password")

    assert str(excinfo.value).splitlines()[:4] == [
        "login() was sent on to a second step: POST /two-step/ answered 302 -> /two-step/token/, "
        "and the client is not logged in yet (no user in its session). A two-factor or "
        "multi-step login? Log in with login_as() to skip it, or drive the step with "
        "submit_form().",
        "Requests:",
        "  GET /two-step/ 200",
        "  POST /two-step/ 302 -> /two-step/token/",
    ]


def test_login_reports_a_second_step_on_the_same_page(plain):
    User.objects.create_user("hasnat", password="strongPass123")

    with pytest.raises(AssertionError) as excinfo:
        login(plain, "hasnat", "strongPass123", url="two_step_wizard")

    assert str(excinfo.value).splitlines()[:4] == [
        "login() got a second step: POST /two-step/wizard/ answered 200 with a form asking for "
        "token (POST /two-step/token/), and the client is not logged in yet (no user in its "
        "session). A two-factor or multi-step login? Log in with login_as() to skip it, or "
        "drive the step with submit_form().",
        "Requests:",
        "  GET /two-step/wizard/ 200",
        "  POST /two-step/wizard/ 200",
    ]


def test_the_second_step_can_be_driven_with_submit_form(plain):
    from django_integration_kit import submit_form

    User.objects.create_user("hasnat", password="strongPass123")
    with pytest.raises(AssertionError, match="second step"):
        login(plain, "hasnat", "strongPass123", url="two_step_password")

    response = submit_form(plain, plain.get("/two-step/token/"), token="123456")

    assert response["Location"] == reverse("dashboard")
    assert plain.get(reverse("dashboard")).status_code == 200


def test_a_login_page_that_sends_a_logged_in_client_away_says_so(plain):
    login_as(plain)

    with pytest.raises(AssertionError) as excinfo:
        login(plain, "hasnat", "strongPass123", url="login_or_away")

    assert str(excinfo.value).splitlines()[:3] == [
        "login() could not open its page: GET /login-or-away/ answered 302 -> /dashboard/, "
        "expected 200. The client is already logged in, and the page sent it away: call "
        "logout() first, or use a fresh client.",
        "Requests:",
        "  GET /login-or-away/ 302 -> /dashboard/",
    ]


def test_a_flow_page_that_redirects_says_where_and_what_to_point_at(plain):
    with pytest.raises(AssertionError) as excinfo:
        signup(plain, url="guarded_without_next")

    assert str(excinfo.value).splitlines()[:3] == [
        "signup() could not open its page: GET /guarded/ answered 302 -> /login/, expected "
        "200. The page redirected to /login/ instead of showing its form; point url= (or "
        "INTEGRATION_KIT['SIGNUP_URL']) at the page with the form.",
        "Requests:",
        "  GET /guarded/ 302 -> /login/",
    ]


def test_a_flow_page_that_takes_no_get_says_so(plain):
    with pytest.raises(AssertionError) as excinfo:
        login(plain, "hasnat", "strongPass123", url="logout")

    assert str(excinfo.value).splitlines()[:3] == [
        "login() could not open its page: GET /logout/ answered 405, expected 200. The view "
        "does not accept GET (it allows POST, OPTIONS), so it is not the page with the form; "
        "point url= (or INTEGRATION_KIT['LOGIN_URL']) at the page with the form.",
        "Requests:",
        "  GET /logout/ 405",
    ]


def test_login_with_a_missing_field_does_not_blame_the_credentials(plain):
    with pytest.raises(AssertionError) as excinfo:
        login(plain, "", "strongPass123")

    assert str(excinfo.value).splitlines()[:5] == [
        "login() failed: POST /login/ answered 200 with form errors.",
        "Requests:",
        "  GET /login/ 200",
        "  POST /login/ 200",
        "Form errors:",
    ]


# login_as and logout


def test_login_as_makes_a_user_and_logs_it_in(plain):
    user = login_as(plain, username="alex")

    assert user.username == "alex"
    assert plain.get(reverse("profile")).status_code == 200


def test_login_as_an_existing_user(plain):
    user = User.objects.create_user("alex")

    assert login_as(plain, user) is user
    assert plain.get(reverse("dashboard")).context["user"] == user


def test_login_as_refuses_a_user_and_fields(plain):
    with pytest.raises(TypeError) as excinfo:
        login_as(plain, User(username="a"), username="b")

    assert str(excinfo.value) == "login_as() takes a user or fields to make one with, not both."


def test_logout_posts_to_the_logout_view(plain):
    login_as(plain)

    logout(plain)

    assert plain.get(reverse("dashboard")).status_code == 302


def test_logout_without_a_logout_view_ends_the_session(plain, settings):
    settings.ROOT_URLCONF = "config.urls_without_logout"
    login_as(plain)

    logout(plain)

    assert plain.get(reverse("dashboard")).status_code == 302


def test_logout_fails_when_the_view_leaves_the_client_logged_in(plain, settings):
    settings.INTEGRATION_KIT = {"LOGOUT_URL": "contact"}
    login_as(plain)

    with pytest.raises(AssertionError) as excinfo:
        logout(plain)

    assert str(excinfo.value).splitlines()[:3] == [
        "logout() failed: POST /contact/ answered 302 but left the client logged in. Is it "
        "the logout view? Set INTEGRATION_KIT['LOGOUT_URL'] (or logout_url on the test class).",
        "Requests:",
        "  POST /contact/ 302 -> /",
    ]


def test_logout_sends_the_csrf_token_when_csrf_is_enforced(settings):
    from django_integration_kit import KitClient

    client = KitClient(enforce_csrf_checks=True)
    login_as(client)
    client.get(reverse("dashboard"))

    logout(client)

    assert client.get(reverse("dashboard")).status_code == 302


def test_login_as_refuses_what_is_not_a_user(plain):
    with pytest.raises(TypeError) as excinfo:
        login_as(plain, "alice")

    assert str(excinfo.value) == (
        "login_as() takes a User instance, not str 'alice'; fetch the user first, or pass "
        "fields to make one: login_as(client, username=...)."
    )


def test_login_as_refuses_an_unsaved_user(plain):
    with pytest.raises(ValueError) as excinfo:
        login_as(plain, User(username="ghost"))

    assert str(excinfo.value) == (
        "login_as() got an unsaved user <User: ghost>; save it first (user.save()), or use "
        "make_user()."
    )


def test_logout_with_a_misnamed_url_is_an_error(plain, settings):
    settings.INTEGRATION_KIT = {"LOGOUT_URL": "log_out"}

    with pytest.raises(ValueError, match=r"^No URL named 'log_out'. Did you mean 'logout' or"):
        logout(plain)


# assert_login_required


def test_assert_login_required_passes_on_the_redirect(plain):
    assert_login_required(plain, "dashboard")
    assert_login_required(plain, "/profile/")


def test_assert_login_required_fails_on_a_public_page(plain):
    with pytest.raises(AssertionError) as excinfo:
        assert_login_required(plain, "home")

    assert str(excinfo.value).splitlines()[:3] == [
        "GET / is not login-protected: it answered 200, expected a redirect to the login page "
        "/login/.",
        "Requests:",
        "  GET / 200",
    ]


def test_assert_login_required_accepts_the_status_it_is_told(plain):
    assert_login_required(plain, "staff", status=403)

    with pytest.raises(AssertionError) as excinfo:
        assert_login_required(plain, "staff")

    assert str(excinfo.value).splitlines()[0] == (
        "GET /staff/ is not login-protected: it answered 403, "
        "expected a redirect to the login page /login/."
    )


def test_assert_login_required_with_login_url_as_a_path(plain, settings):
    settings.LOGIN_URL = "/login/"

    assert_login_required(plain, "dashboard")


def test_assert_login_required_passes_on_a_redirect_without_next(plain):
    assert_login_required(plain, "guarded_without_next")


def test_assert_login_required_checks_next_when_there_is_one(plain):
    with pytest.raises(AssertionError) as excinfo:
        assert_login_required(plain, "guarded_with_wrong_next")

    assert str(excinfo.value).splitlines()[:3] == [
        "GET /guarded/wrong-next/ redirected to /login/?next=/, the login page, but with "
        "next='/' instead of '/guarded/wrong-next/'.",
        "Requests:",
        "  GET /guarded/wrong-next/ 302 -> /login/?next=/",
    ]


def test_assert_login_required_names_another_login_page_and_the_setting(plain):
    with pytest.raises(AssertionError) as excinfo:
        assert_login_required(plain, "admin:index")

    assert str(excinfo.value).splitlines()[:3] == [
        "GET /admin/ redirected to /admin/login/?next=/admin/, which looks like another login "
        "page than LOGIN_URL (/login/): the page is protected by a login page the kit was not "
        "told of. If that is the right one, set LOGIN_URL (or INTEGRATION_KIT['LOGIN_URL'], "
        "login_url on the test class, or login_url=) to it.",
        "Requests:",
        "  GET /admin/ 302 -> /admin/login/?next=/admin/",
    ]


def test_assert_login_required_with_another_login_page(plain):
    assert_login_required(plain, "admin:index", login_url="admin:login")


def test_assert_login_required_fails_on_a_redirect_elsewhere(plain):
    with pytest.raises(AssertionError) as excinfo:
        assert_login_required(plain, "contact", method="post")

    assert str(excinfo.value).splitlines()[0] == (
        "POST /contact/ redirected to /, not to the login page /login/."
    )


def test_assert_login_required_needs_an_anonymous_client(plain):
    login_as(plain)

    with pytest.raises(AssertionError) as excinfo:
        assert_login_required(plain, "dashboard")

    assert str(excinfo.value) == (
        "assert_login_required() needs an anonymous client, but this one is logged in; "
        "call logout() first or use a fresh one."
    )


def test_assert_login_required_with_post(plain):
    assert_login_required(plain, "members", method="post")


def test_literal_paths_must_start_with_a_slash(plain):
    with pytest.raises(ValueError) as excinfo:
        assert_login_required(plain, "dashboard/")

    assert str(excinfo.value) == (
        "'dashboard/' is neither a URL name nor a path: a literal path must start with '/'."
    )


# the same flows as test-case methods


class FlowMethodTests(IntegrationTestCase):
    def test_the_seed_journey(self):
        user = self.signup(username="hasnat", password="strongPass123")
        self.assertRedirects(self.last_response, reverse("login"))

        response = self.login(user.username, user.raw_password)
        self.assertRedirects(response, reverse("dashboard"))
        self.assertContains(self.client.get(reverse("dashboard")), "Welcome, hasnat")

        self.logout()
        self.assert_login_required("dashboard")

    def test_history_is_in_the_client(self):
        self.signup(username="hasnat")

        assert [str(e) for e in self.client.history] == [
            "GET /signup/ 200",
            "POST /signup/ 302 -> /login/",
        ]


class ConfiguredFlowTests(IntegrationTestCase):
    login_url = "legacy_login"
    login_fields = ("login", "password")

    def test_class_attributes_configure_the_flows(self):
        user = self.make_user()

        response = self.login(user.username, user.raw_password)

        self.assertRedirects(response, reverse("dashboard"))


def test_signup_leaves_no_signal_receiver_behind(plain):
    from django.db.models.signals import post_save

    before = len(post_save.receivers)
    signup(plain)
    with pytest.raises(AssertionError):
        signup(plain, username="x", password="short")

    assert len(post_save.receivers) == before


def test_assert_login_required_refuses_a_str_status(plain):
    with pytest.raises(TypeError) as excinfo:
        assert_login_required(plain, "staff", status="403")

    assert str(excinfo.value) == (
        "assert_login_required() takes status= the int status code a login wall may answer "
        "instead of redirecting (401 or 403), not str '403'. Pass status=403."
    )


def test_assert_login_required_refuses_a_status_that_is_no_refusal(plain):
    with pytest.raises(ValueError) as excinfo:
        assert_login_required(plain, "staff", status=302)

    assert str(excinfo.value) == (
        "assert_login_required() takes status= the status code a login wall may answer "
        "instead of redirecting, a 4xx such as 401 or 403; got 302."
    )


def test_assert_login_required_refuses_an_unknown_method(plain):
    with pytest.raises(ValueError) as excinfo:
        assert_login_required(plain, "dashboard", method="fetch")

    assert str(excinfo.value) == (
        "assert_login_required() takes method= an HTTP method, one of 'get', 'post', 'put', "
        "'patch', 'delete', 'head', 'options', 'trace'; got 'fetch'."
    )


# what the flows tell apart


def test_signup_with_password1_returns_that_password(plain):
    user = signup(plain, username="ann", password1="Given-Pass-123")

    assert user.raw_password == "Given-Pass-123"
    assert user.check_password("Given-Pass-123")


def test_signup_fills_a_username_that_is_not_an_email(plain):
    user = signup(plain, url="handmade_signup_page")

    assert "@" not in user.username
    assert user.email.endswith("@example.com")


def test_signup_masks_a_password_that_is_also_the_username(plain):
    with pytest.raises(AssertionError) as excinfo:
        signup(plain, username="Same-Pass-9x", password="Same-Pass-9x")

    message = str(excinfo.value)
    assert "Same-Pass-9x" not in message
    assert "username='********'" in message


def test_signup_answered_400_is_a_failure(plain, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2

    with pytest.raises(AssertionError) as excinfo:
        signup(plain, username="ann", password="strongPass123")

    assert str(excinfo.value).splitlines()[:4] == [
        "signup() failed: POST /signup/ answered 400.",
        "Requests:",
        "  GET /signup/ 200",
        "  POST /signup/ 400",
    ]
    assert not User.objects.filter(username="ann").exists()


def test_signup_through_a_page_that_sends_a_logged_in_client_away_says_so(plain):
    login_as(plain)

    with pytest.raises(AssertionError) as excinfo:
        signup(plain, url="login_or_away")

    assert str(excinfo.value).splitlines()[0] == (
        "signup() could not open its page: GET /login-or-away/ answered 302 -> /dashboard/, "
        "expected 200. The client is already logged in, and the page sent it away: call "
        "logout() first, or use a fresh client."
    )


def test_signup_on_a_page_without_any_form(plain):
    with pytest.raises(AssertionError) as excinfo:
        signup(plain, url="/widgets/crawl/ok/")

    assert str(excinfo.value).splitlines()[0] == (
        "signup() found no form with a password field on GET /widgets/crawl/ok/ "
        "(forms on the page: none)."
    )


def test_signup_through_a_form_with_one_password_field_fills_its_login_field(plain):
    with pytest.raises(AssertionError) as excinfo:
        signup(plain, url="legacy_login", password="strongPass123")

    lines = str(excinfo.value).splitlines()
    assert lines[:6] == [
        "signup() failed: POST /legacy/login/ answered 200 with form errors.",
        "Requests:",
        "  GET /legacy/login/ 200",
        "  POST /legacy/login/ 200",
        "Form errors:",
        "  __all__: The login and password do not match.",
    ]
    assert lines[6].startswith("Submitted: csrfmiddlewaretoken='********', login='user")
    assert lines[6].endswith(", password='********'")


def test_signup_that_creates_no_user_shows_what_it_submitted(plain):
    with pytest.raises(AssertionError) as excinfo:
        signup(
            plain, url="signup_creates_nobody", username="Same-Pass-9x", password="Same-Pass-9x"
        )

    lines = str(excinfo.value).splitlines()
    assert lines[4].startswith("Submitted: csrfmiddlewaretoken='********', username='********'")
    assert "Same-Pass-9x" not in str(excinfo.value)


def test_login_answered_400_is_a_failure(plain, settings):
    User.objects.create_user("hasnat", password="strongPass123")
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2

    with pytest.raises(AssertionError) as excinfo:
        login(plain, "hasnat", "strongPass123")

    assert str(excinfo.value).splitlines()[:4] == [
        "login() failed: POST /login/ answered 400.",
        "Requests:",
        "  GET /login/ 200",
        "  POST /login/ 400",
    ]


def test_login_on_a_page_without_any_form(plain):
    with pytest.raises(AssertionError) as excinfo:
        login(plain, "hasnat", "strongPass123", url="/widgets/crawl/ok/")

    assert str(excinfo.value).splitlines()[0] == (
        "login() found no form with a password field on GET /widgets/crawl/ok/ "
        "(forms on the page: none)."
    )


def test_login_names_the_password_field_a_form_with_two_lacks(plain):
    with pytest.raises(AssertionError) as excinfo:
        login(plain, "hasnat", "strongPass123", url="signup")

    assert str(excinfo.value) == (
        "The login form #signup (POST /signup/) has no field 'password'; its fields are: "
        "csrfmiddlewaretoken, username, password1, password2. Set "
        "INTEGRATION_KIT['LOGIN_FIELDS'] (or login_fields on the test class) to the form's "
        "username and password names."
    )


def test_login_masks_a_password_that_is_also_the_username_at_a_second_step(plain):
    User.objects.create_user("Same-Pass-9x", password="Same-Pass-9x")

    with pytest.raises(AssertionError) as excinfo:
        login(plain, "Same-Pass-9x", "Same-Pass-9x", url="two_step_password")

    message = str(excinfo.value)
    assert "Same-Pass-9x" not in message
    assert message.splitlines()[4] == (
        "Submitted: csrfmiddlewaretoken='********', username='********', password='********'"
    )


def test_logout_answered_400_is_a_failure(plain, settings):
    login_as(plain)
    settings.ALLOWED_HOSTS = ["example.com"]

    with pytest.raises(AssertionError) as excinfo:
        logout(plain)

    assert str(excinfo.value).splitlines()[:3] == [
        "logout() failed: POST /logout/ answered 400. Is it the logout view? Set "
        "INTEGRATION_KIT['LOGOUT_URL'] (or logout_url on the test class).",
        "Requests:",
        "  POST /logout/ 400",
    ]


def test_assert_login_required_with_a_status_fails_on_a_public_page(plain):
    with pytest.raises(AssertionError) as excinfo:
        assert_login_required(plain, "home", status=403)

    assert str(excinfo.value).splitlines()[0] == (
        "GET / is not login-protected: it answered 200, expected a redirect to the login page "
        "/login/ or a 403."
    )


def test_assert_login_required_takes_any_4xx_status(plain):
    assert_login_required(plain, "dashboard", status=400)
    assert_login_required(plain, "dashboard", status=499)

    with pytest.raises(ValueError, match=r"a 4xx such as 401 or 403; got 500\.$"):
        assert_login_required(plain, "dashboard", status=500)


def test_assert_login_required_refuses_a_status_that_is_no_int(plain):
    with pytest.raises(TypeError) as excinfo:
        assert_login_required(plain, "staff", status=403.0)

    assert str(excinfo.value) == (
        "assert_login_required() takes status= the int status code a login wall may answer "
        "instead of redirecting (401 or 403), not float 403.0."
    )

    with pytest.raises(TypeError, match=r"not bool True\.$"):
        assert_login_required(plain, "staff", status=True)


def test_assert_login_required_refuses_a_method_that_is_no_str(plain):
    with pytest.raises(TypeError) as excinfo:
        assert_login_required(plain, "dashboard", method=None)

    assert str(excinfo.value) == (
        "assert_login_required() takes method= an HTTP method, one of 'get', 'post', 'put', "
        "'patch', 'delete', 'head', 'options', 'trace'; got None."
    )


def test_assert_login_required_with_post_sends_the_csrf_header(csrf_checked):
    csrf_checked.get(reverse("login"))

    assert_login_required(csrf_checked, "members", method="post")


def test_assert_login_required_reverses_a_url_name_with_arguments(plain):
    with pytest.raises(AssertionError) as by_args:
        assert_login_required(plain, "catalog:order", "tea")
    with pytest.raises(AssertionError) as by_kwargs:
        assert_login_required(plain, "catalog:order", slug="tea")

    for excinfo in (by_args, by_kwargs):
        assert str(excinfo.value).splitlines()[0] == (
            "GET /catalog/tea/order/ is not login-protected: it answered 404, expected a "
            "redirect to the login page /login/."
        )


def test_assert_login_required_with_a_login_page_on_another_site(plain, settings):
    settings.LOGIN_URL = "https://accounts.example.com/login/"

    with pytest.raises(AssertionError) as excinfo:
        assert_login_required(plain, "guarded_without_next")

    assert (
        str(excinfo.value)
        .splitlines()[0]
        .startswith(
            "GET /guarded/ redirected to /login/, which looks like another login page than "
            "LOGIN_URL (https://accounts.example.com/login/):"
        )
    )


class ConfiguredByAttributesTests(IntegrationTestCase):
    signup_url = "handmade_signup_page"
    login_url = "legacy_login"
    login_fields = ("email", "password")
    logout_url = "contact"

    def test_signup_url_on_the_test_class(self):
        user = self.signup()

        assert user.email.endswith("@example.com")
        assert [str(e) for e in self.client.history][0] == "GET /join-by-hand/ 200"

    def test_login_fields_on_the_test_class(self):
        user = self.make_user()

        with pytest.raises(AssertionError, match=r"^The login form form.login \(POST /legacy/"):
            self.login(user.username, user.raw_password)

    def test_logout_url_on_the_test_class(self):
        self.login_as()

        with pytest.raises(AssertionError, match=r"^logout\(\) failed: POST /contact/ answered"):
            self.logout()


class AnotherLoginPageTests(IntegrationTestCase):
    login_url = "admin:login"

    def test_login_url_on_the_test_class(self):
        self.assert_login_required("admin:index")


def test_assert_login_required_accepts_the_whole_url_as_next_for_a_login_page_on_another_site(
    plain, settings
):
    # Django's redirect_to_login() sends next=http://testserver/dashboard/ when LOGIN_URL is
    # on another site.
    settings.LOGIN_URL = "https://accounts.example.com/login/"

    assert plain.get("/dashboard/")["Location"].endswith("?next=http%3A//testserver/dashboard/")
    assert_login_required(plain, "dashboard")


# pages with other sites' quirks (testproject/quirks)


def test_signup_fills_every_required_input_type_with_a_value_the_form_accepts(plain):
    user = signup(plain, url="quirks:typed_form")

    answers = plain.session["answers"]
    assert answers["username"] == user.username
    assert re.fullmatch(r"user\w+@example\.com", answers["contact"])
    assert re.fullmatch(r"user\w+@example\.com", answers["backup_email"])
    assert answers["age"].isdigit()
    assert answers["level"] == "1"
    assert answers["born"] == "2000-01-01"
    assert answers["meeting"].startswith("2000-01-01 00:00:00")
    assert answers["wake"] == "12:00:00"
    assert re.fullmatch(r"https://example\.com/\d+", answers["homepage"])
    assert re.fullmatch(r"\+1555\d{7}", answers["phone"])
    # The first real choice, not the "Choose a plan" placeholder.
    assert answers["plan"] == "basic"
    assert answers["terms"] == "True"
    assert answers["colour"] == "red"


def test_signup_leaves_optional_fields_empty_and_keeps_what_the_page_filled_in(plain):
    signup(plain, url="quirks:typed_form")

    answers = plain.session["answers"]
    assert answers["newsletter"] == "False"
    assert answers["nickname"] == ""
    assert answers["country"] == "NO"


def test_signup_types_what_it_is_given_over_what_it_would_choose(plain):
    signup(
        plain,
        url="quirks:typed_form",
        age=42,
        plan="pro",
        colour="blue",
        newsletter=True,
        nickname="Nan",
        country="SE",
    )

    answers = plain.session["answers"]
    assert (answers["age"], answers["plan"], answers["colour"]) == ("42", "pro", "blue")
    assert (answers["newsletter"], answers["nickname"], answers["country"]) == (
        "True",
        "Nan",
        "SE",
    )


def test_signup_gives_fields_new_values_each_time(plain):
    signup(plain, url="quirks:typed_form")
    first = plain.session["answers"]
    signup(plain, url="quirks:typed_form")
    second = plain.session["answers"]

    for name in ("username", "contact", "age", "homepage", "phone"):
        assert first[name] != second[name], name


def test_signup_fills_fields_behind_a_form_prefix(plain):
    user = signup(plain, url="quirks:prefixed_form", username="oscar", email="oscar@example.com")

    assert (user.username, user.email) == ("oscar", "oscar@example.com")
    assert user.check_password(user.raw_password)


def test_signup_fills_a_prefixed_email_it_was_not_given(plain):
    user = signup(plain, url="quirks:prefixed_form")

    assert re.fullmatch(r"user\w+@example\.com", user.email)
    assert user.username.startswith("user")


def test_login_fills_fields_behind_a_form_prefix(plain):
    user = make_user(username="tf")

    response = login(plain, "tf", user.raw_password, url="quirks:prefixed_entry")

    assert response["Location"] == "/dashboard/"
    assert plain.session["_auth_user_id"] == str(user.pk)


def test_login_fills_the_one_password_field_whatever_its_name(plain):
    user = make_user(username="pinned")

    login(plain, "pinned", user.raw_password, url="quirks:pin_entry")

    assert plain.session["_auth_user_id"] == str(user.pk)


def test_login_names_a_form_without_id_or_class_by_its_action(plain, settings):
    settings.INTEGRATION_KIT = {"LOGIN_FIELDS": ("email", "pin")}

    with pytest.raises(AssertionError) as excinfo:
        login(plain, "pinned", "Kit-pass-123", url="quirks:pin_entry")

    assert str(excinfo.value) == (
        "The login form (POST /quirks/pin/) has no field 'email'; its fields are: "
        "csrfmiddlewaretoken, username, pin. Set INTEGRATION_KIT['LOGIN_FIELDS'] (or "
        "login_fields on the test class) to the form's username and password names."
    )


def test_signup_and_login_pick_their_own_form_on_a_page_with_both(plain):
    user = signup(plain, url="quirks:both_forms", username="both")

    assert User.objects.filter(username="both").exists()
    login(plain, "both", user.raw_password, url="quirks:both_forms")
    assert plain.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    "answer", ["thanks", "stray_location", "two_forms", "json", "password_again"]
)
def test_login_that_answers_200_without_logging_in_says_so(plain, answer):
    user = make_user()

    with pytest.raises(AssertionError) as excinfo:
        login(plain, user.username, user.raw_password, url=f"/quirks/anonymous/{answer}/")

    lines = str(excinfo.value).splitlines()
    assert lines[0] == (
        "login() submitted the form and got no error, but the client is not logged in "
        "afterwards (no user in its session)."
    )
    assert lines[1:4] == [
        "Requests:",
        f"  GET /quirks/anonymous/{answer}/ 200",
        f"  POST /quirks/anonymous/{answer}/ 200",
    ]
    assert lines[4] == (
        f"Submitted: csrfmiddlewaretoken='********', username='{user.username}', "
        "password='********'"
    )
    assert "two-factor" not in str(excinfo.value)
    assert user.raw_password not in str(excinfo.value)


def test_login_that_answers_with_one_form_calls_it_a_second_step(plain):
    user = make_user()

    with pytest.raises(AssertionError) as excinfo:
        login(plain, user.username, user.raw_password, url="/quirks/anonymous/one_form/")

    assert str(excinfo.value).splitlines()[0] == (
        "login() got a second step: POST /quirks/anonymous/one_form/ answered 200 with a form "
        "asking for code, device_name (POST /quirks/anonymous/one_form/), and the client is not "
        "logged in "
        "yet (no user in its session). A two-factor or multi-step login? Log in with "
        "login_as() to skip it, or drive the step with submit_form()."
    )


@pytest.mark.parametrize(
    "answer",
    ["300/", "304/", "400/?location=/elsewhere/", "201/?location=/elsewhere/"],
)
@pytest.mark.parametrize("flow", [signup, login])
def test_a_page_answering_other_than_200_without_a_redirect_is_named_with_its_status(
    plain, flow, answer
):
    code = answer[:3]
    args = ("ada", "Kit-pass-123") if flow is login else ()

    with pytest.raises(AssertionError) as excinfo:
        flow(plain, *args, url=f"/quirks/status/{answer}")

    lines = str(excinfo.value).splitlines()
    assert lines[0] == (
        f"{flow.__name__}() could not open its page: GET /quirks/status/{answer} answered "
        f"{code}, expected 200."
    )
    assert lines[1:3] == ["Requests:", f"  GET /quirks/status/{answer} {code}"]


@pytest.mark.parametrize("code", [300, 301, 303, 307, 308, 399])
def test_a_page_that_redirects_names_where_to(plain, code):
    with pytest.raises(AssertionError) as excinfo:
        signup(plain, url=f"/quirks/status/{code}/?location=/elsewhere/")

    assert str(excinfo.value).splitlines()[0] == (
        f"signup() could not open its page: GET /quirks/status/{code}/?location=/elsewhere/ "
        f"answered {code} -> /elsewhere/, expected 200. The page redirected to /elsewhere/ "
        "instead of showing its form; point url= (or INTEGRATION_KIT['SIGNUP_URL']) at the page "
        "with the form."
    )


# what the flows cost: the session of the last answer is read, not loaded again


def queries_of(*requests):
    """How many queries the requests (functions of no arguments) make, done by hand."""
    with CaptureQueriesContext(connection) as raw:
        for request in requests:
            request()
    # Counted now: Django empties the query log when the next request starts.
    return len(raw)


def test_login_makes_the_queries_a_browser_login_makes_and_no_more(
    plain, django_assert_num_queries
):
    user = make_user(username="counted")
    by_hand = Client()
    token = by_hand.get("/login/").cookies["csrftoken"].value
    credentials = {"csrfmiddlewaretoken": token, "username": "counted"}
    expected = queries_of(
        lambda: by_hand.get("/login/"),
        lambda: by_hand.post("/login/", {**credentials, "password": user.raw_password}),
    )
    plain.get("/login/")

    with django_assert_num_queries(expected):
        login(plain, "counted", user.raw_password)


def test_logout_makes_the_queries_of_its_post_and_no_more(plain, django_assert_num_queries):
    by_hand = Client()
    login_as(by_hand)
    expected = queries_of(lambda: by_hand.post("/logout/"))
    login_as(plain)

    with django_assert_num_queries(expected):
        logout(plain)


def test_a_logged_in_client_sent_away_costs_only_the_page_request(
    plain, django_assert_num_queries
):
    by_hand = Client()
    login_as(by_hand)
    expected = queries_of(lambda: by_hand.get("/login-or-away/"))
    login_as(plain)

    with (
        django_assert_num_queries(expected),
        pytest.raises(AssertionError, match="already logged"),
    ):
        signup(plain, url="login_or_away")


def test_login_answered_by_a_300_to_a_next_step_calls_it_a_second_step(plain):
    user = make_user()

    with pytest.raises(AssertionError) as excinfo:
        login(plain, user.username, user.raw_password, url="/quirks/anonymous/multiple_choices/")

    assert str(excinfo.value).splitlines()[0] == (
        "login() was sent on to a second step: POST /quirks/anonymous/multiple_choices/ "
        "answered 300 -> /quirks/anonymous/one_form/, and the client is not logged in yet (no "
        "user in its session). A two-factor or multi-step login? Log in with login_as() to skip "
        "it, or drive the step with submit_form()."
    )


def test_signup_answered_by_a_300_counts_as_submitted_and_then_finds_no_user(plain):
    with pytest.raises(AssertionError) as excinfo:
        signup(plain, url="/quirks/both/posting-to/300/")

    assert str(excinfo.value).splitlines()[0] == (
        "signup() submitted the form and POST /quirks/status/300/ answered 300 without form "
        "errors, but no user was created. Is this the signup page? Point "
        "INTEGRATION_KIT['SIGNUP_URL'] (or url=) at it."
    )


def test_a_page_refusing_get_without_an_allow_header_is_named_so(plain):
    with pytest.raises(AssertionError) as excinfo:
        signup(plain, url="/quirks/status/405/")

    assert str(excinfo.value).splitlines()[0] == (
        "signup() could not open its page: GET /quirks/status/405/ answered 405, expected 200. "
        "The view does not accept GET, so it is not the page with the form; point url= (or "
        "INTEGRATION_KIT['SIGNUP_URL']) at the page with the form."
    )


def test_assert_login_required_takes_a_300_to_the_login_page_as_a_redirect(plain):
    assert_login_required(plain, "quirks:guarded", code=300)


@pytest.mark.parametrize("code", [200, 400, 401])
def test_assert_login_required_ignores_a_location_on_an_answer_that_is_no_redirect(plain, code):
    with pytest.raises(AssertionError) as excinfo:
        assert_login_required(plain, "quirks:guarded", code=code)

    assert str(excinfo.value).splitlines()[0] == (
        f"GET /quirks/guarded/{code}/ is not login-protected: it answered {code}, expected a "
        "redirect to the login page /login/."
    )


class ShownConfirmationSignupTests(IntegrationTestCase):
    """A signup whose second password field is plain text, named in signup_password_fields."""

    signup_url = "quirks:shown_confirmation"
    signup_password_fields = ("phrase", "phrase_again")

    def test_signup_types_the_password_into_every_field_named(self):
        user = self.signup(username="shown")

        self.assertTrue(user.check_password(user.raw_password))

    def test_a_failed_signup_hides_the_password_in_every_field(self):
        self.signup(username="shown", password="Opal-lantern-42")

        with pytest.raises(AssertionError) as excinfo:
            self.signup(username="shown", password="Opal-lantern-42")

        message = str(excinfo.value)
        assert "username: That username is taken." in message
        assert "Opal-lantern-42" not in message
        assert "phrase='********', phrase_again='********'" in message

    def test_a_signup_that_creates_nobody_hides_the_password_too(self):
        with pytest.raises(AssertionError) as excinfo:
            self.signup(username="waitlist", password="Opal-lantern-42")

        message = str(excinfo.value)
        assert "but no user was created" in message
        assert "Opal-lantern-42" not in message


class LoginByHandleTests(IntegrationTestCase):
    """LOGIN_FIELDS found behind a prefix, among checkboxes whose names end the same way."""

    login_url = "quirks:handle_entry"
    login_fields = ("login", "password")

    def test_login_fills_the_text_and_password_fields_of_those_names(self):
        user = self.make_user(username="handle")

        self.login("handle", user.raw_password)

        self.assertEqual(self.client.session["_auth_user_id"], str(user.pk))


def test_assert_login_required_refuses_a_next_on_another_site(plain):
    with pytest.raises(AssertionError) as excinfo:
        assert_login_required(plain, "quirks:foreign_next")

    assert str(excinfo.value).splitlines()[0] == (
        "GET /quirks/foreign-next/ redirected to "
        "/login/?next=https://elsewhere.example/quirks/foreign-next/, the login page, but with "
        "next='https://elsewhere.example/quirks/foreign-next/' instead of '/quirks/foreign-next/'."
    )


@pytest.mark.parametrize("username", ["shown", "waitlist"])
def test_a_failed_signup_hides_the_password_in_fields_not_named_as_secrets(
    plain, settings, username
):
    settings.INTEGRATION_KIT = {"SIGNUP_PASSWORD_FIELDS": ("phrase", "phrase_again")}
    make_user(username="shown")

    with pytest.raises(AssertionError) as excinfo:
        signup(
            plain, url="quirks:shown_confirmation", username=username, password="Opal-lantern-42"
        )

    message = str(excinfo.value)
    assert "Opal-lantern-42" not in message
    assert "phrase='********', phrase_again='********'" in message


@pytest.mark.parametrize(
    ("query", "sent"),
    [("?placeholder", "city=''"), ("", None)],
    ids=["only a placeholder", "no options"],
)
def test_signup_sends_a_select_with_no_choices_yet_as_a_browser_would(plain, query, sent):
    with pytest.raises(AssertionError) as excinfo:
        signup(plain, url=f"/quirks/city/{query}")

    lines = str(excinfo.value).splitlines()
    assert lines[0] == (
        f"signup() failed: POST /quirks/city/{query} answered 200 with form errors."
    )
    assert lines[4:6] == ["Form errors:", "  city: Choose your city."]
    assert lines[6].startswith("Submitted: ")
    if sent:
        assert sent in lines[6]
    else:
        assert "city" not in lines[6]


@pytest.mark.parametrize("code", [300, 304])
def test_assert_login_required_on_a_3xx_without_a_location(plain, code):
    with pytest.raises(AssertionError) as excinfo:
        assert_login_required(plain, f"/quirks/status/{code}/")

    assert str(excinfo.value).splitlines()[0] == (
        f"GET /quirks/status/{code}/ is not login-protected: it answered {code}, expected a "
        "redirect to the login page /login/."
    )
