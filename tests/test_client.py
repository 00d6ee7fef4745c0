import pytest

from django_integration_kit import KitClient
from django_integration_kit.client import HISTORY_SIZE, Exchange

pytestmark = pytest.mark.django_db


def test_the_client_records_requests_and_the_last_response():
    client = KitClient()

    client.get("/dashboard/", follow=True)

    assert list(client.history)[-2:] == [
        Exchange("GET", "/dashboard/", 302, "/login/?next=/dashboard/"),
        Exchange("GET", "/login/?next=%2Fdashboard%2F", 200),
    ]
    assert client.last_response.status_code == 200


def test_the_history_keeps_the_recent_requests():
    client = KitClient()

    for _ in range(HISTORY_SIZE + 5):
        client.get("/")

    assert len(client.history) == HISTORY_SIZE


def test_exchanges_read_like_a_log():
    assert (
        str(Exchange("POST", "/login/", 302, "/dashboard/")) == "POST /login/ 302 -> /dashboard/"
    )
