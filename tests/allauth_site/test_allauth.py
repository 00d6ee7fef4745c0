"""The flows against django-allauth's real signup, email confirmation and login pages."""

import pytest
from django.test import override_settings
from django.urls import reverse

from django_integration_kit import IntegrationTestCase

pytest.importorskip(
    "allauth", reason="django-allauth is not installed: pip install django-allauth"
)


class AllauthJourneyTests(IntegrationTestCase):
    def test_signup_confirm_the_email_then_login(self):
        with self.capture_emails() as outbox:
            user = self.signup(username="hasnat", email="hasnat@example.com")

        self.assertRedirects(self.last_response, reverse("account_email_verification_sent"))
        outbox.assert_sent(to="hasnat@example.com", count=1)
        [link] = [url for url in outbox.links() if "/confirm-email/" in url]
        self.client.get(link)

        response = self.login("hasnat", user.raw_password)

        self.assertRedirects(response, reverse("dashboard"))
        self.assertContains(self.client.get(reverse("dashboard")), "Welcome, hasnat")

    def test_login_by_email_through_the_login_field(self):
        user = self.make_user(username="ada", email="ada@example.com")
        user.emailaddress_set.create(email="ada@example.com", verified=True, primary=True)

        response = self.login("ada@example.com", user.raw_password)

        self.assertRedirects(response, reverse("dashboard"))

    def test_a_wrong_password_shows_allauths_error(self):
        user = self.make_user(username="ada")

        with pytest.raises(AssertionError) as excinfo:
            self.login("ada", "not-" + user.raw_password)

        message = str(excinfo.value)
        assert message.startswith("login() failed: POST /accounts/login/ answered 200")
        assert "The username and/or password you specified are not correct." in message
        assert user.raw_password not in message

    def test_logout_and_the_login_wall(self):
        self.login_as()

        self.logout()

        self.assert_login_required("dashboard")


@override_settings(INTEGRATION_KIT={})
class AllauthZeroConfigTests(IntegrationTestCase):
    """No INTEGRATION_KIT settings: the flows find account_signup and account_login by their
    names, and the login form's one text field, login; logout needs its name here."""

    def test_signup_confirm_login_logout(self):
        with self.capture_emails() as outbox:
            user = self.signup(username="hasnat", email="hasnat@example.com")
        [link] = [url for url in outbox.links() if "/confirm-email/" in url]
        self.client.get(link)

        response = self.login("hasnat@example.com", user.raw_password)
        self.assertRedirects(response, reverse("dashboard"))

        # This site also serves the test project's own /logout/, so the kit will not guess.
        with pytest.raises(ValueError) as excinfo:
            self.logout()
        assert str(excinfo.value) == (
            "Several URLs fit a logout page: 'account_logout' (/accounts/logout/), 'logout' "
            "(/logout/). Set INTEGRATION_KIT['LOGOUT_URL'] (or logout_url on the test class) to "
            "the one the kit should use."
        )
        with override_settings(INTEGRATION_KIT={"LOGOUT_URL": "account_logout"}):
            self.logout()
        self.assertEqual(self.last_response.wsgi_request.path, reverse("account_logout"))
        self.assert_login_required("dashboard")
