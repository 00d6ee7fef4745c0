"""Examples the documentation includes and no other test shows yet; run like every other test."""

from catalog.models import Product
from django.test import TestCase
from django.urls import reverse

from django_integration_kit import (
    IntegrationTestCase,
    assert_login_required,
    login_as,
    make,
)
from django_integration_kit.services import NetworkBlockedError


class ExistingDashboardTests(TestCase):
    """An existing suite on Django's own TestCase, adopting two helpers and nothing else."""

    def test_the_dashboard_greets_the_member(self):
        user = login_as(self.client, username="alex")

        response = self.client.get(reverse("dashboard"))

        self.assertContains(response, f"Welcome, {user.username}")

    def test_the_dashboard_needs_a_login(self):
        assert_login_required(self.client, "dashboard")


class ForgottenMockTests(IntegrationTestCase):
    def test_a_call_to_an_unmocked_api_fails_the_test(self):
        with self.assertRaises(NetworkBlockedError) as caught:
            self.client.get(self.url("weather:current"), {"city": "Oslo"})

        self.assertTrue(
            str(caught.exception).startswith("Name lookup of api.weather.example:443 is blocked")
        )


class MigratedFromTestPlusTests(IntegrationTestCase):
    """What a django-test-plus test looks like once it is moved to the kit."""

    def test_members_see_the_members_page(self):
        user = self.make_user(username="u1")

        self.assert_login_required("members")
        self.login_as(user)
        response = self.client.get(self.url("members"))

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Members only")

    def test_the_product_list_stays_within_its_query_budget(self):
        make(Product, _quantity=5)

        with self.assert_max_queries(6):
            response = self.client.get(self.url("catalog:products"))

        self.assertEqual(response.status_code, 200)

    def test_the_contact_form_is_filled_in_and_sent(self):
        page = self.client.get(self.url("contact"))

        response = self.submit_form(page, "#contact", name="Bob", topic="sales")

        self.assertRedirects(response, self.url("home"))
        self.assert_message(response, "Thanks, Bob.")
