"""The browser's answers, shaped like the Django test responses the kit's messages read."""

from django_integration_kit._browser_driver import PageResponse


def test_a_browser_answer_has_its_headers_under_any_case_as_django_responses_do():
    answer = PageResponse("POST", "http://testserver/login/", 302, "/dashboard/")

    assert answer.headers["location"] == answer["Location"] == "/dashboard/"
    assert answer.headers.get("LOCATION") == "/dashboard/"
    assert answer.headers.get("content-type") == "text/html; charset=utf-8"


def test_a_browser_answer_without_a_redirect_has_no_location():
    answer = PageResponse("GET", "http://testserver/dashboard/?tab=2", 200, None, b"<p>Hi</p>")

    assert "Location" not in answer.headers
    assert answer.request["PATH_INFO"] == "/dashboard/"
    assert answer.request["QUERY_STRING"] == "tab=2"
    assert answer.content == b"<p>Hi</p>"
