"""The test project's journeys in pytest style, one fixture of the kit's plugin at a time.

This folder has no ``__init__.py`` on purpose: Django's test runner skips it, pytest runs it.
"""

from django.urls import reverse

from django_integration_kit import Kit
from django_integration_kit.pytest_plugin import Freezer

WEATHER_API = "https://api.weather.example/v1/current"


def test_signup_login_dashboard(kit: Kit):
    kit.signup(username="hasnat", password="strongPass123")
    response = kit.login("hasnat", "strongPass123")

    assert response["Location"] == reverse("dashboard")
    assert "Welcome, hasnat" in kit.client.get(reverse("dashboard")).content.decode()


def test_the_dashboard_needs_a_login(kit: Kit):
    kit.assert_login_required("dashboard")


def test_kit_client_alone_remembers_its_requests(kit_client):
    kit_client.get("/dashboard/", follow=True)

    assert [str(exchange) for exchange in kit_client.history] == [
        "GET /dashboard/ 302 -> /login/?next=/dashboard/",
        "GET /login/?next=%2Fdashboard%2F 200",
    ]


def test_the_weather_page_with_http_mock(kit: Kit, http_mock):
    http_mock.get(
        f"{WEATHER_API}?city=Oslo",
        json={"city": "Oslo", "temperature_c": 12.4, "summary": "Light rain"},
    )

    response = kit.client.get(kit.url("weather:current"), {"city": "Oslo"})

    assert "12 °C, light rain" in response.content.decode()


def test_the_trial_with_a_frozen_clock(kit: Kit, frozen: Freezer):
    frozen("2026-03-01 09:00")
    kit.login_as()

    response = kit.client.get(kit.url("trials:status"))

    assert "Your free trial ends in 14 days, on 15 March 2026." in response.content.decode()


def test_the_newsletter_confirmation_email(kit: Kit, emails):
    page = kit.client.get(kit.url("newsletter:subscribe"))
    kit.submit_form(page, "#subscribe", email="ann@example.com")

    emails.assert_sent(to="ann@example.com", subject="Confirm your subscription")
    confirmed = kit.client.get(emails.links()[0], follow=True)
    kit.assert_message(confirmed, "You are subscribed.")
