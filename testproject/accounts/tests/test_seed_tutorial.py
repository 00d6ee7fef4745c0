"""The integration-testing tutorial's three examples, written with the kit."""

from django.urls import reverse

from django_integration_kit import IntegrationTestCase


class SignupIntegrationTest(IntegrationTestCase):
    def test_signup_and_login_flow(self):
        # Step 1: sign up a new user through the real signup form.
        self.signup(username="hasnat", password="strongPass123")
        self.assertRedirects(self.last_response, reverse("login"))

        # Step 2: log in with the new credentials through the real login form.
        response = self.login("hasnat", "strongPass123")
        self.assertRedirects(response, reverse("dashboard"))

        # Step 3: the session is logged in.
        response = self.client.get(reverse("dashboard"))
        self.assertContains(response, "Welcome, hasnat")

    def test_profile_page_shows_user_data(self):
        self.login_as(username="alex")

        response = self.client.get(reverse("profile"))
        self.assertContains(response, "alex")

    def test_login_required_redirect(self):
        self.assert_login_required("dashboard")
