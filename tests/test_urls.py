import pytest

from django_integration_kit._urls import resolve_url, url_names


def test_names_and_paths_resolve():
    assert resolve_url("dashboard") == "/dashboard/"
    assert resolve_url("/any/path/?x=1") == "/any/path/?x=1"
    assert resolve_url("admin:index") == "/admin/"


def test_url_names_include_namespaces():
    names = url_names()

    assert "dashboard" in names
    assert "admin:index" in names


def test_an_unknown_name_lists_the_closest():
    with pytest.raises(ValueError) as excinfo:
        resolve_url("dashbaord")

    assert str(excinfo.value) == (
        "No URL named 'dashbaord'. Did you mean 'dashboard' or 'async_dashboard'?"
    )


def test_an_unknown_name_with_nothing_close_lists_known_names():
    with pytest.raises(ValueError) as excinfo:
        resolve_url("zzzzzz")

    message = str(excinfo.value)
    assert message.startswith("No URL named 'zzzzzz'. Known names: account_settings, ")
    # The project's own names come before namespaced ones such as admin:index.
    assert "dashboard, " in message
    assert "admin:" not in message


def test_a_known_name_with_wrong_arguments():
    with pytest.raises(ValueError) as excinfo:
        resolve_url("dashboard", 7)

    assert str(excinfo.value) == (
        "URL 'dashboard' exists but does not match args=[7] kwargs={}; "
        "check the arguments its pattern expects."
    )


def test_a_path_with_arguments_is_refused():
    with pytest.raises(TypeError, match="were given with the literal path '/x/'"):
        resolve_url("/x/", 1)
