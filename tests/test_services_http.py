import asyncio
import contextlib
import fnmatch
import re
import unittest
from unittest import mock

import pytest
import requests
import requests_mock

from django_integration_kit import IntegrationTestCase, mock_http
from django_integration_kit.services import UnmatchedRequestError, block_network

API = "https://api.weather.example/v1"
REAL_SEND = requests.Session.send


def assert_requests_restored():
    assert requests.Session.send is REAL_SEND


# Answering


def test_yields_a_requests_mock_mocker_that_answers_registered_routes():
    with mock_http() as http:
        assert isinstance(http, requests_mock.Mocker)
        http.get(f"{API}/current?city=Oslo", json={"temperature_c": 12.5})

        response = requests.get(f"{API}/current", params={"city": "Oslo"}, timeout=3)

    assert response.json() == {"temperature_c": 12.5}
    assert http.call_count == 1
    assert http.last_request.qs == {"city": ["Oslo"]}
    assert_requests_restored()


def test_json_routes_answer_with_a_json_content_type():
    with mock_http() as http:
        http.get(f"{API}/current", json={"ok": True})
        http.get(f"{API}/plain", json={"ok": True}, headers={"Content-Type": "text/plain"})
        http.get(f"{API}/extra", json={"ok": True}, headers={"X-Rate-Limit": "60"})
        http.get(f"{API}/text", text="hello")

        assert requests.get(f"{API}/current").headers["Content-Type"] == "application/json"
        assert requests.get(f"{API}/plain").headers["Content-Type"] == "text/plain"
        extra = requests.get(f"{API}/extra").headers
        assert extra["Content-Type"] == "application/json"
        assert extra["X-Rate-Limit"] == "60"
        assert "Content-Type" not in requests.get(f"{API}/text").headers


def test_a_json_route_without_headers_answers_exactly_one_json_content_type_header():
    with mock_http() as http:
        http.get(f"{API}/current", json={"ok": True})

        response = requests.get(f"{API}/current")

    assert dict(response.headers) == {"Content-Type": "application/json"}


def test_a_list_of_responses_answers_calls_in_turn_with_json_content_types():
    with mock_http() as http:
        http.get(f"{API}/current", [{"json": {"n": 1}}, {"status_code": 503}])

        first = requests.get(f"{API}/current")
        second = requests.get(f"{API}/current")

    assert (first.json(), first.headers["Content-Type"]) == ({"n": 1}, "application/json")
    assert second.status_code == 503


def test_routes_can_raise_timeouts():
    with mock_http() as http:
        http.get(f"{API}/current", exc=requests.exceptions.ConnectTimeout)

        with pytest.raises(requests.exceptions.ConnectTimeout):
            requests.get(f"{API}/current", timeout=3)


def test_sessions_are_answered_too():
    with mock_http() as http:
        http.post(f"{API}/reports", status_code=201, json={"id": 7})

        with requests.Session() as session:
            response = session.post(f"{API}/reports", json={"city": "Oslo"})

    assert response.status_code == 201
    assert http.last_request.json() == {"city": "Oslo"}


def test_works_while_the_network_is_blocked():
    with block_network(), mock_http() as http:
        http.get(f"{API}/current", json={})

        assert requests.get(f"{API}/current").ok


# Unmatched requests


def test_an_unmatched_request_with_another_method_suggests_register_uri():
    with pytest.raises(UnmatchedRequestError) as excinfo, mock_http():
        requests.request("PURGE", f"{API}/cache/current")

    assert str(excinfo.value).splitlines()[0] == (
        "PURGE https://api.weather.example/v1/cache/current matches no route mocked by "
        "mock_http(). Register it in the block, e.g. "
        "http.register_uri('PURGE', 'https://api.weather.example/v1/cache/current', json=...)."
    )


def test_matching_is_case_sensitive():
    with pytest.raises(UnmatchedRequestError) as excinfo, mock_http() as http:
        http.get(f"{API}/Current?city=Oslo", json={})
        requests.get(f"{API}/current?city=Oslo")

    assert str(excinfo.value).splitlines() == [
        "GET https://api.weather.example/v1/current?city=Oslo matches no route mocked by "
        "mock_http(). Register it in the block, e.g. "
        "http.get('https://api.weather.example/v1/current?city=Oslo', json=...).",
        "Registered routes:",
        "  GET https://api.weather.example/v1/Current?city=Oslo",
    ]


def test_an_unmatched_request_with_no_routes_says_so():
    with pytest.raises(UnmatchedRequestError) as excinfo, mock_http():
        requests.delete(f"{API}/reports/7")

    assert str(excinfo.value) == (
        "DELETE https://api.weather.example/v1/reports/7 matches no route mocked by "
        "mock_http(). Register it in the block, e.g. "
        "http.delete('https://api.weather.example/v1/reports/7', json=...).\n"
        "No routes are registered."
    )


def test_an_unmatched_request_is_an_assertion_not_a_requests_error():
    # Code that survives API failures must not turn a missing mock into a passing test.
    assert issubclass(UnmatchedRequestError, AssertionError)
    assert not issubclass(UnmatchedRequestError, requests.RequestException)


def test_an_unmatched_request_caught_inside_the_block_fails_at_exit():
    def fetch_or_default():
        try:
            return requests.get(f"{API}/current?city=Paris").json()
        except Exception:
            return {}

    with pytest.raises(AssertionError) as excinfo, mock_http():
        assert fetch_or_default() == {}

    assert str(excinfo.value) == (
        "GET https://api.weather.example/v1/current?city=Paris matched no mocked route, and "
        "its UnmatchedRequestError was caught inside the block. Register the route in the "
        "mock_http() block."
    )


def test_credentials_in_urls_are_masked():
    with pytest.raises(UnmatchedRequestError) as excinfo, mock_http() as http:
        http.get(f"{API}/current?appid=s3cr3t-key&city=Oslo", json={})
        requests.get("https://user:hunter22@api.weather.example/v1/current?api_key=abc123")

    message = str(excinfo.value)
    assert "s3cr3t-key" not in message
    assert "hunter22" not in message
    assert "abc123" not in message
    assert message.splitlines()[-1] == (
        "  GET https://api.weather.example/v1/current?appid=********&city=Oslo"
    )
    assert message.startswith(
        "GET https://********@api.weather.example/v1/current?api_key=******** "
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://s3.example/f?X-Amz-Credential=AKIA-SECRET1&X-Amz-Signature=SECRET1",
        "https://api.example/v1?access_key=SECRET1&page=2",
        "https://api.example/v1?sessionid=SECRET1",
        "https://api.example/v1?jwt=SECRET1",
        "https://api.example/v1?authorization=SECRET1",
        "https://SECRET1@api.example/v1",
        "https://ann:SECRET1@api.example/v1",
        "https://api.example/v1#access_token=SECRET1",
        "https://api.example/v1?next=/pay/%3Ftoken%3DSECRET1",
    ],
)
def test_no_secret_of_an_unmatched_url_shows(url):
    with pytest.raises(UnmatchedRequestError) as excinfo, mock_http() as http:
        http.get(url.replace("SECRET1", "SECRET2").replace(".example/", ".example.org/"), json={})
        requests.get(url, timeout=3)

    message = str(excinfo.value)
    assert "SECRET1" not in message
    assert "SECRET2" not in message
    assert "********" in message


def test_harmless_query_values_stay_readable():
    with pytest.raises(UnmatchedRequestError) as excinfo, mock_http():
        requests.get(f"{API}/current?city=Oslo&postcode=0150&keyboard=qwerty", timeout=3)

    assert str(excinfo.value).splitlines()[0] == (
        f"GET {API}/current?city=Oslo&postcode=0150&keyboard=qwerty matches no route mocked by "
        f"mock_http(). Register it in the block, e.g. http.get('{API}/current?city=Oslo&"
        "postcode=0150&keyboard=qwerty', json=...)."
    )


def test_a_route_with_a_bool_or_float_status_code_is_an_error_without_a_hint():
    with mock_http() as http:
        with pytest.raises(TypeError) as a_bool:
            http.get(f"{API}/current", status_code=True)
        with pytest.raises(TypeError) as a_float:
            http.get(f"{API}/current", status_code=200.0)
        with pytest.raises(TypeError) as none:
            http.get(f"{API}/current", status_code=None)

    assert str(a_bool.value) == (
        f"The route GET {API}/current takes status_code= an int HTTP status such as 200 or 404, "
        "not bool True."
    )
    assert str(a_float.value).endswith(" not float 200.0.")
    assert str(none.value).endswith(" not NoneType None.")


def test_status_codes_from_100_to_599_are_accepted():
    with mock_http() as http:
        http.get(f"{API}/continue", status_code=100)
        http.get(f"{API}/edge", status_code=599)
        with pytest.raises(ValueError, match="from 100 to 599, not 99.$"):
            http.get(f"{API}/below", status_code=99)
        with pytest.raises(ValueError, match="from 100 to 599, not 600.$"):
            http.get(f"{API}/above", [{"json": {}}, {"status_code": 600}])

        assert requests.get(f"{API}/continue").status_code == 100
        assert requests.get(f"{API}/edge").status_code == 599


def test_a_route_with_a_str_status_code_is_an_error():
    with mock_http() as http:
        with pytest.raises(TypeError) as excinfo:
            http.get(f"{API}/current", status_code="404")
        with pytest.raises(TypeError) as in_a_list:
            http.get(f"{API}/other", [{"json": {}}, {"status_code": "503"}])
        with pytest.raises(ValueError) as out_of_range:
            http.get(f"{API}/third", status_code=42)

    assert str(excinfo.value) == (
        f"The route GET {API}/current takes status_code= an int HTTP status such as 200 or 404, "
        "not str '404'. Pass status_code=404."
    )
    assert "not str '503'. Pass status_code=503." in str(in_a_list.value)
    assert str(out_of_range.value) == (
        f"The route GET {API}/third takes status_code= an HTTP status from 100 to 599, not 42."
    )


# strict


def test_a_route_never_called_fails_at_exit_naming_it():
    with pytest.raises(AssertionError) as excinfo, mock_http() as http:
        http.get(f"{API}/current?city=Oslo", json={})
        http.post(f"{API}/reports", status_code=201)
        requests.get(f"{API}/current?city=Oslo")
        http.register_uri("PURGE", re.compile(r"/cache/"), status_code=204)
        http.get(f"{API}/alerts", request_headers={"Authorization": "Bearer t0ken"}, json=[])

    assert str(excinfo.value) == (
        "3 mocked routes were never called:\n"
        "  POST https://api.weather.example/v1/reports\n"
        "  PURGE regex '/cache/'\n"
        "  GET https://api.weather.example/v1/alerts (headers Authorization)\n"
        "Remove what the code does not call, or use mock_http(strict=False) where a call is "
        "optional."
    )
    assert_requests_restored()


def test_a_route_never_called_is_named_with_what_else_it_matches_on():
    with pytest.raises(AssertionError) as excinfo, mock_http() as http:
        http.get(
            f"{API}/alerts",
            request_headers={"Accept": "application/json", "Accept-Language": "nb"},
            complete_qs=True,
            additional_matcher=lambda request: True,
            json=[],
        )
        http.get(f"{API}/forecast", complete_qs=True, json=[])
        http.register_uri(requests_mock.ANY, requests_mock.ANY, status_code=204)

    assert str(excinfo.value).splitlines()[1:-1] == [
        f"  GET {API}/alerts (headers Accept, Accept-Language; complete query; "
        "additional matcher)",
        f"  GET {API}/forecast (complete query)",
        "  ANY any URL",
    ]


def test_an_unmatched_request_caught_and_a_route_never_called_are_both_reported():
    with pytest.raises(AssertionError) as excinfo, mock_http() as http:
        http.get(f"{API}/alerts", json=[])
        with contextlib.suppress(Exception):
            requests.get(f"{API}/forecast")

    assert str(excinfo.value).splitlines() == [
        f"GET {API}/forecast matched no mocked route, and its UnmatchedRequestError was caught "
        "inside the block. Register the route in the mock_http() block.",
        "1 mocked route was never called:",
        f"  GET {API}/alerts",
        "Remove what the code does not call, or use mock_http(strict=False) where a call is "
        "optional.",
    ]


def test_strict_false_allows_routes_never_called():
    with mock_http(strict=False) as http:
        http.get(f"{API}/current", json={})
    assert_requests_restored()


def test_the_blocks_own_exception_is_not_masked_by_strict():
    with pytest.raises(KeyError), mock_http() as http:
        http.get(f"{API}/current", json={})
        raise KeyError("temperature_c")
    assert_requests_restored()


# Registering twice


def test_the_same_route_registered_twice_is_an_error():
    with mock_http(strict=False) as http:
        http.get(f"{API}/current?city=Oslo&units=metric", json={})

        with pytest.raises(ValueError) as excinfo:
            http.get(f"{API}/current?units=metric&city=Oslo", status_code=500)

    assert str(excinfo.value) == (
        "GET https://api.weather.example/v1/current?units=metric&city=Oslo is already mocked "
        "in this mock_http() block. Register a route once; to answer several calls "
        "differently, give it a list of responses: "
        "http.get(url, [{'json': ...}, {'status_code': 503}])."
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"url": f"{API}/current"}, {"url": "HTTPS://API.Weather.Example/v1/current"}),
        ({"url": "https://api.weather.example"}, {"url": "https://api.weather.example/"}),
        ({"url": f"{API}/current"}, {"url": f"{API}/current", "method": "get"}),
        (
            {"url": f"{API}/current", "request_headers": {"Accept-Language": "nb"}},
            {"url": f"{API}/current", "request_headers": {"accept-language": "nb"}},
        ),
        ({"url": re.compile(r"/cache/")}, {"url": re.compile(r"/cache/")}),
        ({"url": requests_mock.ANY}, {"url": requests_mock.ANY}),
        (
            {"url": f"{API}/current", "method": requests_mock.ANY},
            {"url": f"{API}/current", "method": requests_mock.ANY},
        ),
    ],
)
def test_routes_that_match_the_same_requests_are_duplicates(first, second):
    # Copies: the parameters are shared by every run of the test in this process.
    first, second = dict(first), dict(second)
    with mock_http(strict=False) as http:
        http.register_uri(first.pop("method", "GET"), first.pop("url"), json={}, **first)

        with pytest.raises(ValueError, match="is already mocked in this mock_http\\(\\) block"):
            http.register_uri(second.pop("method", "GET"), second.pop("url"), json={}, **second)


def test_a_regex_compiled_again_is_the_same_route():
    pattern = re.compile(r"/forecast/")
    re.purge()
    again = re.compile(r"/forecast/")
    assert again is not pattern

    with mock_http(strict=False) as http:
        http.get(pattern, json={})

        with pytest.raises(ValueError, match="^GET regex '/forecast/' is already mocked "):
            http.get(again, json={})


class Host:
    """A URL matcher of one's own: requests-mock asks its search() about each URL."""

    def __init__(self, host):
        self.host = host

    def search(self, url):
        return self.host in url or None


class Glob(Host):
    """One that keeps its pattern in .pattern, as a compiled regex does, but has no flags."""

    def __init__(self, pattern):
        self.pattern = pattern

    def search(self, url):
        return fnmatch.fnmatch(url, self.pattern) or None


def test_url_matchers_of_ones_own_answer_and_are_told_apart():
    with mock_http() as http:
        http.get(Host("api.weather.example"), json={"from": "weather"})
        http.get(Host("api.maps.example"), json={"from": "maps"})
        http.get(Glob("https://cdn.example/*.png"), status_code=204)

        assert requests.get(f"{API}/current").json() == {"from": "weather"}
        assert requests.get("https://api.maps.example/v2/tiles").json() == {"from": "maps"}
        assert requests.get("https://cdn.example/logo.png").status_code == 204


def test_routes_that_differ_in_method_query_or_matchers_are_not_duplicates():
    with mock_http(strict=False) as http:
        http.get(f"{API}/current", json={})
        http.post(f"{API}/current", json={})
        http.get(f"{API}/current?city=Oslo", json={})
        http.get(f"{API}/Current", json={})
        http.get(f"{API}/current", request_headers={"Accept-Language": "nb"}, json={})
        http.get(f"{API}/current", request_headers={"Accept-Language": "en"}, json={})
        http.get(f"{API}/current", request_headers={"Accept": "nb"}, json={})
        http.get(f"{API}/current", complete_qs=True, json={})
        http.get(f"{API}/current", additional_matcher=lambda request: True, json={})
        http.get(f"{API}/current?city=", json={})
        http.get(re.compile(r"/cache/"), json={})
        http.get(re.compile(r"/alerts/"), json={})
        http.get(re.compile(r"/alerts/", re.IGNORECASE), json={})


# Nesting, decorators, test cases


def test_blocks_nest_inner_routes_first_then_the_outer_ones():
    with mock_http() as outer:
        outer.get(f"{API}/current", json={"from": "outer"})
        outer.get(f"{API}/alerts", json=[])

        with mock_http() as inner:
            inner.get(f"{API}/current", json={"from": "inner"})
            assert requests.get(f"{API}/current").json() == {"from": "inner"}
            assert requests.get(f"{API}/alerts").json() == []

        assert requests.get(f"{API}/current").json() == {"from": "outer"}
    assert_requests_restored()


def test_a_nested_unmatched_request_lists_every_active_route():
    with pytest.raises(UnmatchedRequestError) as excinfo, mock_http() as outer:
        outer.get(f"{API}/alerts", json=[])
        with mock_http() as inner:
            inner.get(f"{API}/current", json={})
            requests.get(f"{API}/forecast")

    assert str(excinfo.value).splitlines()[1:] == [
        "Registered routes:",
        "  GET https://api.weather.example/v1/current",
        "  GET https://api.weather.example/v1/alerts",
    ]
    assert_requests_restored()


def test_the_same_instance_can_be_entered_again_while_active():
    mocked = mock_http()
    with mocked as outer, mocked as inner:
        outer.get(f"{API}/alerts", json=[])
        inner.get(f"{API}/current", json={})
        assert requests.get(f"{API}/alerts").ok
        assert requests.get(f"{API}/current").ok
    assert_requests_restored()


def test_function_decorator_with_the_mocker_as_a_keyword_argument():
    @mock_http(kwarg_name="http")
    def fetch(http):
        http.get(f"{API}/current", json={"temperature_c": 3})
        return requests.get(f"{API}/current").json()

    assert fetch() == {"temperature_c": 3}
    assert fetch() == {"temperature_c": 3}
    assert_requests_restored()


def test_async_function_decorator():
    @mock_http(kwarg_name="http")
    async def fetch(http):
        http.get(f"{API}/current", json={"temperature_c": 3})
        await asyncio.sleep(0)
        return requests.get(f"{API}/current").json()

    assert asyncio.run(fetch()) == {"temperature_c": 3}
    assert_requests_restored()


def test_decorated_function_fails_on_a_route_never_called():
    @mock_http()
    def forgets():
        pass

    @mock_http(kwarg_name="http")
    def registers_and_forgets(http):
        http.get(f"{API}/current", json={})

    forgets()
    with pytest.raises(AssertionError, match="^1 mocked route was never called:\n  GET "):
        registers_and_forgets()
    assert_requests_restored()


@mock_http(attr_name="http")
class MockedClassTests(IntegrationTestCase):
    def test_each_test_gets_its_own_mocker_a(self):
        self.http.get(f"{API}/current", json={"n": 1})
        assert requests.get(f"{API}/current").json() == {"n": 1}

    def test_each_test_gets_its_own_mocker_b(self):
        assert self.http.call_count == 0
        self.http.get(f"{API}/current", json={"n": 2})
        assert requests.get(f"{API}/current").json() == {"n": 2}


def test_the_class_decorator_restored_requests():
    assert_requests_restored()


def test_a_decorated_test_case_fails_a_test_that_leaves_a_route_uncalled():
    @mock_http(attr_name="http")
    class WeatherTests(unittest.TestCase):
        def test_calls_its_route(self):
            self.http.get(f"{API}/current", json={})
            requests.get(f"{API}/current")

        def test_forgets_its_route(self):
            self.http.get(f"{API}/alerts", json=[])

    passed, failed = unittest.TestResult(), unittest.TestResult()
    WeatherTests("test_calls_its_route").run(passed)
    WeatherTests("test_forgets_its_route").run(failed)

    assert passed.wasSuccessful()
    [(_, traceback)] = failed.failures
    assert traceback.endswith(
        "AssertionError: 1 mocked route was never called:\n"
        "  GET https://api.weather.example/v1/alerts\n"
        "Remove what the code does not call, or use mock_http(strict=False) where a call is "
        "optional.\n"
    )
    assert_requests_restored()


class MockInSetUpTests(IntegrationTestCase):
    def setUp(self):
        mocked = self.mock_http()
        self.http = mocked.__enter__()
        self.addCleanup(mocked.__exit__, None, None, None)
        self.http.get(f"{API}/current?city=Oslo", json={"temperature_c": 12.5})

    def test_routes_from_set_up_answer_the_test(self):
        assert requests.get(f"{API}/current?city=Oslo").json() == {"temperature_c": 12.5}

    def test_a_test_can_add_routes_and_nest_blocks(self):
        self.http.get(f"{API}/alerts", json=[])
        with self.mock_http() as http:
            http.get(f"{API}/current?city=Oslo", json={"temperature_c": -4})
            assert requests.get(f"{API}/current?city=Oslo").json() == {"temperature_c": -4}
        assert requests.get(f"{API}/current?city=Oslo").json() == {"temperature_c": 12.5}
        assert requests.get(f"{API}/alerts").json() == []


class KitMethodTests(IntegrationTestCase):
    def test_self_mock_http_with_strict_false(self):
        with self.mock_http(strict=False) as http:
            http.get(f"{API}/current", json={})
        assert_requests_restored()


# What reached the test is not reported again at exit


def test_a_decorated_function_that_raises_reports_only_its_own_error():
    @mock_http(kwarg_name="http")
    def breaks(http):
        http.get(f"{API}/current", json={})
        raise KeyError("temperature_c")

    with pytest.raises(KeyError):
        breaks()
    assert_requests_restored()


class UnmatchedThroughTheClientTests(IntegrationTestCase):
    def test_an_unmatched_request_raised_out_of_the_client_is_not_reported_again(self):
        with mock_http(), self.assertRaises(UnmatchedRequestError) as caught:
            self.client.get("/weather/?city=Oslo")

        assert str(caught.exception).startswith(
            f"GET {API}/current?city=Oslo matches no route mocked by mock_http()."
        )
        assert_requests_restored()

    def test_the_same_with_a_plain_client_and_pytest_raises(self):
        from django.test import Client

        with mock_http(), pytest.raises(UnmatchedRequestError):
            Client().get("/weather/?city=Bergen")

    def test_one_the_view_swallowed_is_still_reported(self):
        from weather.api import WeatherUnavailable

        # The view survives a WeatherUnavailable; an UnmatchedRequestError it turned into
        # one would hide the missing route.
        def fetch_quietly(city):
            try:
                requests.get(f"{API}/current", params={"city": city}, timeout=3)
            except Exception:
                raise WeatherUnavailable(city) from None

        with (
            self.assertRaises(AssertionError) as caught,
            mock_http(),
            mock.patch("weather.api._fetch", fetch_quietly),
        ):
            assert self.client.get("/weather/?city=Oslo").status_code == 200

        assert str(caught.exception) == (
            f"GET {API}/current?city=Oslo matched no mocked route, and its "
            "UnmatchedRequestError was caught inside the block. Register the route in the "
            "mock_http() block."
        )
