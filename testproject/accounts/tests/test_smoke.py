"""A smoke test of the whole project: every page a visitor can reach answers without an error.

The crawl starts at the home page and at the page that lists all pages (/widgets/), follows
every link and GET form, and fails listing the pages that answer 4xx or 5xx, raise, or run
more queries than the budget.
"""

from catalog.models import Product

from django_integration_kit import IntegrationTestCase, make

WEATHER_API = "https://api.weather.example/v1/current"
SUNNY = {"city": "Oslo", "temperature_c": 12, "summary": "Sunny"}
# The most queries a page may run: a member's first visit to the trial page creates the trial.
QUERY_BUDGET = 6


class SmokeTests(IntegrationTestCase):
    @classmethod
    def setUpTestData(cls):
        make(Product, name="Tea", slug="tea")  # so the crawl reaches an order page too

    def test_every_page_works_for_visitors(self):
        with self.mock_http() as http:
            http.get(WEATHER_API, json=SUNNY)

            summary = self.assert_pages_ok(["home", "widgets_site_map"], max_queries=QUERY_BUDGET)

        self.assertEqual(summary.statuses["/dashboard/"], 302)  # to the login page: fine
        self.assertTrue(summary.complete)

    def test_every_page_works_for_members(self):
        self.login_as(username="alex")
        with self.mock_http() as http:
            http.get(WEATHER_API, json=SUNNY)

            summary = self.assert_pages_ok(["home", "widgets_site_map"], max_queries=QUERY_BUDGET)

        self.assertEqual(summary.statuses["/dashboard/"], 200)
        self.assertEqual(summary.statuses["/catalog/tea/order/"], 200)
