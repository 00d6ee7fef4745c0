"""A different site, tested only from the contract in API.md: an email user model, its own
signup URL and password field names, a namespaced login URL."""

from django.urls import reverse

from django_integration_kit import IntegrationTestCase, login, signup


class EmailSiteTests(IntegrationTestCase):
    signup_url = "members:join"
    signup_password_fields = ("pass_a", "pass_b")

    def test_signup_then_login_with_the_email(self):
        member = self.signup(email="ada@example.com", display_name="Ada")

        assert member.email == "ada@example.com"
        assert member.check_password(member.raw_password)
        response = self.login("ada@example.com", member.raw_password)
        self.assertRedirects(response, reverse("members:home"))
        self.assertContains(self.client.get(reverse("members:home")), "Hello, Ada")

    def test_signup_fills_required_fields_left_out(self):
        member = self.signup()

        assert member.email.endswith("@example.com")
        assert member.display_name

    def test_make_user_and_login_as(self):
        member = self.login_as(display_name="Grace")

        assert member.email.endswith("@example.com")
        self.assertContains(self.client.get(reverse("members:home")), "Hello, Grace")

    def test_home_requires_login(self):
        self.assert_login_required("members:home")

    def test_logout_uses_configured_view(self):
        self.login_as()
        self.logout()
        self.assert_login_required("members:home")

    logout_url = "members:sign_out"


def test_plain_functions_with_pytest_django_client(client, db, settings):
    settings.INTEGRATION_KIT = {
        "SIGNUP_URL": "members:join",
        "SIGNUP_PASSWORD_FIELDS": ("pass_a", "pass_b"),
    }
    member = signup(client, email="lin@example.com", display_name="Lin", password="Tr1cky-pass!")

    response = login(client, "lin@example.com", "Tr1cky-pass!")

    assert response.status_code == 302
    assert member.raw_password == "Tr1cky-pass!"
