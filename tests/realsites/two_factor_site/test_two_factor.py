"""django-two-factor-auth's login wizard: a user without a device logs in with the credentials
step alone; a user with a TOTP device is asked for a token in a second step."""

from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from django_integration_kit import IntegrationTestCase


class TwoFactorTestCase(IntegrationTestCase):
    def assert_logged_in_as(self, user):
        assert self.client.session.get(SESSION_KEY) == str(user.pk)

    def assert_logged_out(self):
        assert SESSION_KEY not in self.client.session

    def make_totp_user(self, **fields):
        user = self.make_user(**fields)
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
        return user, device


class TwoFactorZeroConfigTests(TwoFactorTestCase):
    """No INTEGRATION_KIT settings: LOGIN_URL is two_factor:login, whose wizard prefixes the
    first step's fields with the step's name (auth-username, auth-password)."""

    def test_login_without_a_device(self):
        user = self.make_user(username="ada")

        response = self.login("ada", user.raw_password)

        self.assertRedirects(response, reverse("dashboard"))
        self.assert_logged_in_as(user)

    def test_the_dashboard_needs_login(self):
        self.assert_login_required("dashboard")


class TwoFactorConfiguredTests(TwoFactorTestCase):
    """The field names given as a setting, INTEGRATION_KIT["LOGIN_FIELDS"] = ("auth-username",
    "auth-password") (here as the class attribute): not needed, the kit finds them behind the
    wizard's prefix, but a project may say so."""

    login_fields = ("auth-username", "auth-password")

    def test_login_without_a_device(self):
        user = self.make_user(username="ada")

        response = self.login("ada", user.raw_password)

        self.assertRedirects(response, reverse("dashboard"))
        self.assert_logged_in_as(user)
        self.assertContains(self.client.get(reverse("dashboard")), "Welcome, ada")

    def test_a_wrong_password_shows_the_wizards_error(self):
        user = self.make_user(username="ada")

        with self.assertRaises(AssertionError) as caught:
            self.login("ada", "not-" + user.raw_password)

        message = str(caught.exception)
        assert message.startswith(
            "login() failed: POST /account/login/ answered 200 with form errors."
        ), message
        assert "Please enter a correct username and password." in message
        assert user.raw_password not in message
        self.assert_logged_out()

    def test_login_with_a_device_stops_at_the_token_step(self):
        user, _device = self.make_totp_user(username="ada")

        with self.assertRaises(AssertionError) as caught:
            self.login("ada", user.raw_password)

        # The credentials were right: the wizard answered 200 with its token step, and nobody
        # is logged in until the token is entered. The kit should say that a second step
        # (the token-otp_token field) is waiting, not only that no user is in the session.
        assert str(caught.exception).splitlines()[:4] == [
            "login() got a second step: POST /account/login/ answered 200 with a form asking "
            "for token-otp_token (POST /account/login/), and the client is not logged in yet "
            "(no user in its session). A two-factor or multi-step login? Log in with login_as() "
            "to skip it, or drive the step with submit_form().",
            "Requests:",
            "  GET /account/login/ 200",
            "  POST /account/login/ 200",
        ]
        self.assertContains(self.last_response, 'name="token-otp_token"')
        self.assert_logged_out()

    def test_the_token_step_through_submit_form(self):
        user, device = self.make_totp_user(username="ada")
        page = self.client.get(reverse("two_factor:login"))
        token_step = self.submit_form(
            page, **{"auth-username": "ada", "auth-password": user.raw_password}
        )
        self.assertContains(token_step, 'name="token-otp_token"')
        self.assert_logged_out()

        response = self.submit_form(
            token_step, **{"token-otp_token": f"{totp(device.bin_key):06d}"}
        )

        self.assertRedirects(response, reverse("dashboard"))
        self.assert_logged_in_as(user)

    def test_a_wrong_token_shows_the_wizards_error(self):
        user, device = self.make_totp_user(username="ada")
        page = self.client.get(reverse("two_factor:login"))
        token_step = self.submit_form(
            page, **{"auth-username": "ada", "auth-password": user.raw_password}
        )
        wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"

        response = self.submit_form(token_step, **{"token-otp_token": wrong})

        assert response.status_code == 200
        self.assertContains(response, "Invalid token.")
        self.assert_logged_out()

    def test_logout(self):
        user = self.make_user(username="ada")
        self.login("ada", user.raw_password)

        self.logout()

        self.assert_logged_out()
        self.assert_login_required("dashboard")
