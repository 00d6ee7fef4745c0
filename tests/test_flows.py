import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from django_integration_kit import (
    IntegrationTestCase,
    assert_login_required,
    login,
    login_as,
    logout,
    signup,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plain(fast_hasher):
    return Client()


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
        "csrfmiddlewaretoken, username, password1, password2."
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
        "login() failed: POST /login/ answered 200 with form errors.",
        "Requests:",
        "  GET /login/ 200",
        "  POST /login/ 200",
        "Form errors:",
        "  __all__: Please enter a correct username and password. "
        "Note that both fields may be case-sensitive.",
    ]
    assert "wrongPass456" not in message


def test_login_with_third_party_field_names(plain, settings):
    settings.INTEGRATION_KIT = {"LOGIN_FIELDS": ("login", "password")}
    User.objects.create_user("hasnat", password="strongPass123")

    response = login(plain, "hasnat", "strongPass123", url="legacy_login")

    assert response["Location"] == reverse("dashboard")


def test_login_names_the_missing_field_and_the_setting(plain):
    with pytest.raises(AssertionError) as excinfo:
        login(plain, "hasnat", "strongPass123", url="legacy_login")

    assert str(excinfo.value) == (
        "The login form form.login (POST /legacy/login/) has no field 'username'; its fields "
        "are: csrfmiddlewaretoken, login, password. Set INTEGRATION_KIT['LOGIN_FIELDS'] (or "
        "login_fields on the test class) to the form's username and password names."
    )


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
    with pytest.raises(TypeError, match="takes a user or fields"):
        login_as(plain, User(username="a"), username="b")


def test_logout_posts_to_the_logout_view(plain):
    login_as(plain)

    logout(plain)

    assert plain.get(reverse("dashboard")).status_code == 302


def test_logout_without_a_logout_url_ends_the_session(plain, settings):
    settings.INTEGRATION_KIT = {"LOGOUT_URL": None}
    login_as(plain)

    logout(plain)

    assert plain.get(reverse("dashboard")).status_code == 302


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
        "GET / is not login-protected: it answered 200, expected a redirect to /login/?next=/.",
        "Requests:",
        "  GET / 200",
    ]


def test_assert_login_required_accepts_the_status_it_is_told(plain):
    assert_login_required(plain, "staff", status=403)

    with pytest.raises(AssertionError) as excinfo:
        assert_login_required(plain, "staff")

    assert str(excinfo.value).splitlines()[0] == (
        "GET /staff/ is not login-protected: it answered 403, "
        "expected a redirect to /login/?next=/staff/."
    )


def test_assert_login_required_with_login_url_as_a_path(plain, settings):
    settings.LOGIN_URL = "/login/"

    assert_login_required(plain, "dashboard")


def test_assert_login_required_needs_an_anonymous_client(plain):
    login_as(plain)

    with pytest.raises(AssertionError, match="needs an anonymous client"):
        assert_login_required(plain, "dashboard")


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
