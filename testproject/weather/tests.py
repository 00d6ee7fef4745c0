from datetime import timedelta

import requests

from django_integration_kit import IntegrationTestCase

WEATHER_API = "https://api.weather.example/v1/current"
OSLO = {"city": "Oslo", "temperature_c": 12.4, "summary": "Light rain"}


class WeatherPageTests(IntegrationTestCase):
    def test_shows_the_weather_the_api_reports(self):
        with self.mock_http() as http:
            http.get(f"{WEATHER_API}?city=Oslo", json=OSLO)

            response = self.client.get(self.url("weather:current"), {"city": "Oslo"})

        self.assertContains(response, "12 °C, light rain")

    def test_a_timeout_shows_a_friendly_message(self):
        with self.mock_http() as http:
            http.get(WEATHER_API, exc=requests.exceptions.ConnectTimeout)

            response = self.client.get(self.url("weather:current"), {"city": "Oslo"})

        self.assertContains(response, "The weather service is not answering right now.")

    def test_an_api_error_shows_a_friendly_message(self):
        with self.mock_http() as http:
            http.get(WEATHER_API, status_code=503, text="Service Unavailable")

            response = self.client.get(self.url("weather:current"), {"city": "Oslo"})

        self.assertContains(response, "The weather service is not answering right now.")

    def test_the_weather_is_asked_for_at_most_every_ten_minutes(self):
        colder = {**OSLO, "temperature_c": 9.0, "summary": "Heavy rain"}
        with self.frozen_time("2026-03-01 09:00") as clock, self.mock_http() as http:
            api = http.get(f"{WEATHER_API}?city=Oslo", [{"json": OSLO}, {"json": colder}])

            self.client.get(self.url("weather:current"), {"city": "Oslo"})
            clock.tick(timedelta(minutes=9))
            cached = self.client.get(self.url("weather:current"), {"city": "Oslo"})
            clock.tick(timedelta(minutes=2))
            fresh = self.client.get(self.url("weather:current"), {"city": "Oslo"})

        self.assertContains(cached, "12 °C, light rain")
        self.assertContains(cached, "Updated at 09:00")
        self.assertContains(fresh, "9 °C, heavy rain")
        self.assertContains(fresh, "Updated at 09:11")
        self.assertEqual(api.call_count, 2)
