import gc
import weakref

import pytest
from django.test import Client

from django_integration_kit import KitClient
from django_integration_kit import client as client_module
from django_integration_kit.client import HISTORY_SIZE, Exchange, release, watch, watched

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


def test_watched_clients_are_the_live_ones_each_once():
    kept = KitClient()
    for _ in range(1000):
        KitClient()
        watch(kept)

    assert watched().count(kept) == 1
    # Clients that went are pruned as they pile up, not kept for good.
    assert len(client_module._watched) < 600


def test_a_client_lets_go_of_its_last_response_when_released():
    client = KitClient()
    client.get("/")
    response = weakref.ref(client.last_response)

    release(client)

    assert client.last_response is None
    assert list(client.history) == [Exchange("GET", "/", 200)]
    gc.collect()
    assert response() is None


def test_releasing_anything_else_does_nothing():
    release(None)
    release(Client())
