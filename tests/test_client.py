import gc
import weakref

import pytest
from asgiref.sync import async_to_sync
from django.http import HttpResponse
from django.test import Client

from django_integration_kit import AsyncKitClient, KitClient
from django_integration_kit import client as client_module
from django_integration_kit.client import (
    HISTORY_SIZE,
    Exchange,
    exchange_of,
    release,
    set_enforce_csrf,
    watch,
    watched,
)

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


def test_a_client_without_requests_has_an_empty_history():
    assert KitClient().history == []


def test_the_history_is_a_copy_the_test_may_change():
    client = KitClient()
    client.get("/")

    client.history.clear()

    assert client.history == [Exchange("GET", "/", 200)]


def test_a_client_is_watched_from_its_first_response():
    client = KitClient()
    assert client not in watched()

    client.get("/")

    assert client in watched()


def test_a_response_is_described_once():
    response = KitClient().get("/?page=2")

    assert exchange_of(response) == Exchange("GET", "/?page=2", 200)
    assert exchange_of(response) is exchange_of(response)


def test_a_response_without_its_request_is_described_from_its_environ():
    response = HttpResponse(status=302, headers={"Location": "/login/"})
    response.request = {"REQUEST_METHOD": "post", "PATH_INFO": "/cart/", "QUERY_STRING": "a=1"}

    assert exchange_of(response) == Exchange("POST", "/cart/?a=1", 302, "/login/")


def test_the_async_client_is_built_at_its_first_use():
    client = AsyncKitClient(HTTP_HOST="shop.test")
    assert "handler" not in vars(client)
    assert client.history == []
    assert not hasattr(client, "__aenter__")
    assert "handler" not in vars(client)

    response = async_to_sync(client.get)("/")

    assert response.status_code == 200
    assert client.defaults == {"HTTP_HOST": "shop.test"}
    assert client.history == [Exchange("GET", "/", 200)]
    assert not hasattr(client, "no_such_attribute")


def test_what_a_test_sets_on_the_async_client_before_its_first_use_stays():
    client = AsyncKitClient()
    client.raise_request_exception = False

    assert client.handler.enforce_csrf_checks is False  # built here
    assert client.raise_request_exception is False


def test_csrf_checking_set_before_the_async_client_is_built_applies_to_it():
    client = AsyncKitClient()

    set_enforce_csrf(client, True)

    assert "handler" not in vars(client)
    assert client.handler.enforce_csrf_checks is True


def test_exchanges_read_like_a_log():
    assert (
        str(Exchange("POST", "/login/", 302, "/dashboard/")) == "POST /login/ 302 -> /dashboard/"
    )


def test_watched_clients_are_the_live_ones_each_once():
    kept = KitClient()
    for _ in range(1000):
        watch(KitClient())
        watch(kept)

    assert watched().count(kept) == 1
    # Clients that went are pruned as they pile up, not kept for good.
    assert len(client_module._watched) < 600


def test_a_client_lets_go_of_its_last_response_and_its_requests_when_released():
    client = KitClient()
    client.get("/")
    assert client.history == [Exchange("GET", "/", 200)]
    response = weakref.ref(client.last_response)
    request = weakref.ref(client.last_response.wsgi_request)

    release(client)

    # Django's test cases keep each class's last client until the run ends.
    assert client.last_response is None
    assert client.history == []
    gc.collect()
    assert response() is None
    assert request() is None
    client.get("/catalog/")
    assert [exchange.path for exchange in client.history] == ["/catalog/"]


def test_releasing_lets_go_of_every_client_given():
    clients = [KitClient(), KitClient()]
    for client in clients:
        client.get("/")

    release(*clients, None)

    assert [client.last_response for client in clients] == [None, None]


def test_releasing_anything_else_does_nothing():
    release(None)
    release(Client(), object())
