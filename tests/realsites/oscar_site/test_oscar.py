"""django-oscar's shop: signup and login on its combined login/registration page, its
registration page, its dashboard's login wall, and logout."""

from django.contrib.auth import SESSION_KEY, get_user_model
from django.urls import reverse

from django_integration_kit import IntegrationTestCase


class OscarTestCase(IntegrationTestCase):
    def assert_logged_in_as(self, user):
        assert self.client.session.get(SESSION_KEY) == str(user.pk)

    def assert_logged_out(self):
        assert SESSION_KEY not in self.client.session


class OscarZeroConfigTests(OscarTestCase):
    """No INTEGRATION_KIT settings. Oscar serves its accounts at /accounts/, so Django's default
    LOGIN_URL is its combined page (customer:login); there is no URL named "signup"."""

    def test_signup_finds_the_registration_page(self):
        user = self.signup(email="ada@example.com")

        assert user.email == "ada@example.com"
        self.assert_logged_in_as(user)

    def test_signup_at_the_registration_page(self):
        user = self.signup(url="customer:register", email="ada@example.com")

        self.assertRedirects(self.last_response, "/accounts/profile/")
        assert get_user_model().objects.get(email="ada@example.com") == user
        assert user.check_password(user.raw_password)
        self.assert_logged_in_as(user)

    def test_signup_on_the_combined_page_sends_the_register_button(self):
        # Oscar's AccountAuthView answers 400 unless the POST names its button,
        # registration_submit (or login_submit for the other form).
        # email= fills the form's registration-email field, behind the form's prefix.
        user = self.signup(url="customer:login", email="ada@example.com")

        assert user.email == "ada@example.com"
        self.assert_logged_in_as(user)

    def test_login_with_the_email(self):
        user = self.make_user(email="ada@example.com")

        response = self.login("ada@example.com", user.raw_password)

        self.assertRedirects(response, "/accounts/profile/")
        self.assert_logged_in_as(user)

    def test_the_dashboard_wall_is_named_as_another_login_page(self):
        with self.assertRaises(AssertionError) as caught:
            self.assert_login_required("dashboard:index")

        assert str(caught.exception).splitlines()[0] == (
            "GET /dashboard/ redirected to /dashboard/login/?next=/dashboard/, which looks like "
            "another login page than LOGIN_URL (/accounts/login/): the page is protected by a "
            "login page the kit was not told of. If that is the right one, set LOGIN_URL (or "
            "INTEGRATION_KIT['LOGIN_URL'], login_url on the test class, or login_url=) to it."
        )
        self.assert_login_required("dashboard:index", login_url="dashboard:login")

    def test_logout_goes_through_oscars_logout_view(self):
        self.login_as(email="ada@example.com")

        self.logout()

        self.assert_logged_out()
        assert self.last_response is not None, "logout() sent no request"
        assert self.last_response.wsgi_request.path == reverse("customer:logout")


class OscarConfiguredTests(OscarTestCase):
    """The settings this site needs: the combined page's prefixed field names, the signup page,
    and the logout view (here as class attributes; the same keys go in INTEGRATION_KIT)."""

    signup_url = "customer:register"
    login_fields = ("login-username", "login-password")
    logout_url = "customer:logout"

    def test_signup(self):
        user = self.signup(email="ada@example.com")

        assert get_user_model().objects.get(email="ada@example.com") == user
        self.assert_logged_in_as(user)

    def test_login(self):
        user = self.make_user(email="ada@example.com")

        response = self.login("ada@example.com", user.raw_password)

        self.assertRedirects(response, "/accounts/profile/")
        self.assert_logged_in_as(user)

    def test_a_wrong_password_shows_oscars_error(self):
        user = self.make_user(email="ada@example.com")

        with self.assertRaises(AssertionError) as caught:
            self.login("ada@example.com", "not-" + user.raw_password)

        message = str(caught.exception)
        assert message.startswith(
            "login() failed: POST /accounts/login/ answered 200 with form errors."
        ), message
        assert "Please enter a correct username and password." in message
        assert user.raw_password not in message
        self.assert_logged_out()

    def test_a_staff_login_lands_on_the_dashboard(self):
        user = self.make_user(email="staff@example.com", is_staff=True)

        response = self.login("staff@example.com", user.raw_password)

        self.assertRedirects(response, reverse("dashboard:index"))

    def test_the_dashboard_is_closed_to_a_customer(self):
        self.login_as(email="ada@example.com")

        assert self.client.get(reverse("dashboard:index")).status_code == 403

    def test_login_through_submit_form_naming_the_button(self):
        # Today's workaround for the 400: the button is a field of the form, so it can be named.
        user = self.make_user(email="ada@example.com")
        page = self.client.get(reverse("customer:login"))

        response = self.submit_form(
            page,
            **{
                "login-username": "ada@example.com",
                "login-password": user.raw_password,
                "login_submit": "Log In",
            },
        )

        self.assertRedirects(response, "/accounts/profile/")
        self.assert_logged_in_as(user)

    def test_login_then_logout(self):
        user = self.make_user(email="ada@example.com")
        self.login("ada@example.com", user.raw_password)

        self.logout()

        # Oscar's LogoutView logs out on GET and POST alike and sends the user to its homepage.
        self.assertRedirects(
            self.last_response, reverse("catalogue:index"), fetch_redirect_response=False
        )
        self.assert_logged_out()
        self.assert_login_required("customer:summary")


class OscarDashboardWallTests(OscarTestCase):
    """The dashboard has a login page of its own, dashboard:login, apart from the customers'."""

    login_url = "dashboard:login"

    def test_the_dashboard_needs_login(self):
        self.assert_login_required("dashboard:index")

    def test_a_dashboard_page_needs_login(self):
        self.assert_login_required("dashboard:order-list")
