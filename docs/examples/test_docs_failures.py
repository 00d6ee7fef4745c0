"""Tests that fail on purpose: the docs show what a user sees when they fail.

Not part of the suite (pytest's testpaths leave docs/ out). The docs build runs this file
(``docs/_ext/kit_docs.py``) and shows each failure as pytest prints it, so the messages in the
docs are the kit's real ones; the build fails if an example here stops failing.
"""

from catalog.models import Category, Product
from django.core.mail import send_mail
from django.urls import reverse

from django_integration_kit import IntegrationTestCase, assert_max_queries, make


class SignupTests(IntegrationTestCase):
    def test_signup_with_a_taken_username(self):
        self.signup(username="taken", password="strongPass123")
        self.signup(username="taken", password="Another-pass-9")


class RedirectTests(IntegrationTestCase):
    def test_signup_redirects_to_the_login_page(self):
        self.make_user(username="alex")
        response = self.submit_form(
            self.client.get(reverse("signup")),
            username="alex",
            password1="Kit-pass-123",
            password2="Kit-pass-123",
        )
        self.assertRedirects(response, reverse("login"))


class ProductListTests(IntegrationTestCase):
    def test_the_product_list_runs_one_query(self):
        for number in range(3):
            make(Product, name=f"Product {number}", category=make(Category))

        with assert_max_queries(1):
            names = [product.category.name for product in Product.objects.all()]
        assert len(names) == 3


class ForgottenMockTests(IntegrationTestCase):
    def test_the_weather_page_without_a_mock(self):
        self.client.get(reverse("weather:current"), {"city": "Oslo"})


class EmailTests(IntegrationTestCase):
    def test_the_welcome_email_went_to_ann(self):
        with self.capture_emails() as outbox:
            send_mail("Welcome", "Hello Bob", "shop@example.com", ["bob@example.com"])
            send_mail("Receipt", "Thanks, Ann", "shop@example.com", ["ann@example.com"])

        outbox.assert_sent(to="ann@example.com", subject="Welcome")
