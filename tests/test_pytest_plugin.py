"""The pytest plugin, run in a subprocess with pytester against the test project."""

import os
from pathlib import Path

import pytest

TESTPROJECT = Path(__file__).resolve().parent.parent / "testproject"


@pytest.fixture
def django_pytester(pytester, monkeypatch):
    # The inner run's test database must not be this run's: on PostgreSQL and MariaDB it would
    # drop it on exit, and this run's teardown would then warn that it does not exist.
    monkeypatch.setenv("KIT_DB_NAME", f"kit_pytester_{os.getpid()}")
    pytester.makeini(
        f"""
        [pytest]
        DJANGO_SETTINGS_MODULE = config.settings
        django_find_project = false
        pythonpath = {TESTPROJECT}
        """
    )
    return pytester


def test_kit_fixture_has_database_access_and_the_safe_defaults(django_pytester):
    django_pytester.makepyfile(
        """
        import socket
        import pytest
        from django.conf import settings
        from django_integration_kit import Kit

        def test_journey(kit: Kit):
            user = kit.signup(username="hasnat", password="strongPass123")
            response = kit.login("hasnat", "strongPass123")
            assert response["Location"] == "/dashboard/"
            assert "Welcome, hasnat" in kit.client.get("/dashboard/").content.decode()
            assert user.password.startswith("md5$")

        def test_network_is_blocked(kit):
            with pytest.raises(Exception, match="api.weather.example"):
                socket.getaddrinfo("api.weather.example", 443)

        def test_kit_client_alone(kit_client):
            kit_client.get("/")
            assert kit_client.last_response.status_code == 200

        def test_tests_without_kit_fixtures_are_untouched():
            assert not settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher")
            assert socket.getaddrinfo.__module__ == "socket"
        """
    )

    result = django_pytester.runpytest_subprocess("-q", "-p", "no:randomly")

    result.assert_outcomes(passed=4)


def test_kit_and_kit_client_are_one_client_in_either_order(django_pytester):
    django_pytester.makepyfile(
        """
        from django_integration_kit import KitClient

        def test_kit_first(kit, kit_client):
            assert kit.client is kit_client

        def test_kit_client_first(kit_client, kit):
            assert kit.client is kit_client
            kit_client.get("/")
            assert kit.last_response is kit_client.last_response

        def test_kit_alone_makes_its_own(kit, request):
            assert "kit_client" not in request.fixturenames
            assert type(kit.client) is KitClient
        """
    )

    result = django_pytester.runpytest_subprocess("-q", "-p", "no:randomly")

    result.assert_outcomes(passed=3)


def test_http_mock_hooks_into_the_reports_only_once_a_test_uses_it(django_pytester):
    django_pytester.makepyfile(
        """
        HOOK = "django_integration_kit.call_reports"

        def test_a_without_it(kit, request):
            assert not request.config.pluginmanager.has_plugin(HOOK)

        def test_b_with_it(http_mock, request):
            assert request.config.pluginmanager.has_plugin(HOOK)
        """
    )

    result = django_pytester.runpytest_subprocess("-q", "-p", "no:randomly")

    result.assert_outcomes(passed=2)


def test_service_fixtures(django_pytester):
    django_pytester.makepyfile(
        """
        import datetime as dt
        import requests
        from django.core.mail import send_mail
        from django.utils import timezone

        def test_http_mock(http_mock):
            http_mock.get("https://api.weather.example/today", json={"sky": "clear"})
            assert requests.get("https://api.weather.example/today").json() == {"sky": "clear"}

        def test_frozen(frozen):
            clock = frozen("2026-01-01T09:00:00Z")
            assert timezone.now() == dt.datetime(2026, 1, 1, 9, tzinfo=dt.timezone.utc)
            clock.tick(60)
            assert clock.now() == dt.datetime(2026, 1, 1, 9, 1, tzinfo=dt.timezone.utc)

        def test_time_runs_again_after_frozen():
            assert timezone.now().year >= 2026 and timezone.now() != dt.datetime(2026, 1, 1, 9, 1, tzinfo=dt.timezone.utc)

        def test_emails(emails):
            send_mail("Hi", "Body https://example.com/x", "a@example.com", ["b@example.com"])
            emails.assert_sent(to="b@example.com", subject="Hi")
            assert emails.links() == ["https://example.com/x"]
        """
    )

    result = django_pytester.runpytest_subprocess("-q", "-p", "no:randomly")

    result.assert_outcomes(passed=4)


def test_http_mock_fails_the_test_for_a_route_never_called(django_pytester):
    django_pytester.makepyfile(
        """
        def test_forgot_to_call(http_mock):
            http_mock.get("https://api.weather.example/today", json={})
        """
    )

    result = django_pytester.runpytest_subprocess("-q", "-p", "no:randomly")

    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*GET https://api.weather.example/today*"])


def test_http_mock_adds_nothing_to_a_test_that_failed(django_pytester):
    django_pytester.makepyfile(
        """
        import pytest
        import requests

        def test_fails_before_the_call(http_mock):
            http_mock.get("https://api.weather.example/today", json={})
            assert 1 == 2

        def test_a_miss_reaches_the_test(kit, http_mock):
            http_mock.get("https://api.weather.example/unused", json={})
            kit.client.get("/weather/?city=Oslo")

        @pytest.mark.xfail(strict=True)
        def test_expected_to_fail(http_mock):
            http_mock.get("https://api.weather.example/today", json={})
            raise ValueError
        """
    )

    result = django_pytester.runpytest_subprocess("-q", "-p", "no:randomly")

    result.assert_outcomes(failed=2, xfailed=1)
    assert "never called" not in result.stdout.str()
    assert "caught inside the block" not in result.stdout.str()


def test_the_kit_fixture_puts_the_hashers_and_the_network_back_after_each_test(django_pytester):
    django_pytester.makepyfile(
        """
        import socket

        import pytest
        from django.conf import settings
        from django.contrib.auth.hashers import get_hasher, get_hashers

        PROJECT = settings.PASSWORD_HASHERS
        PROJECT_HASHERS = [type(hasher) for hasher in get_hashers()]
        REAL = socket.getaddrinfo
        SHA1 = "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher"

        def assert_untouched():
            assert settings.PASSWORD_HASHERS is PROJECT
            assert [type(hasher) for hasher in get_hashers()] == PROJECT_HASHERS
            assert get_hasher().algorithm == "pbkdf2_sha256"
            assert socket.getaddrinfo is REAL

        def test_a_kit_test_that_raises(kit):
            assert get_hasher().algorithm == "md5"
            assert socket.getaddrinfo is not REAL
            raise ValueError("boom")

        def test_b_without_the_kit():
            assert_untouched()

        def test_c_kit_then_the_settings_fixture(kit, settings):
            settings.PASSWORD_HASHERS = [SHA1]
            assert get_hasher().algorithm == "pbkdf2_sha1"

        def test_d_without_the_kit():
            assert_untouched()

        def test_e_the_settings_fixture_then_kit(settings, kit):
            assert get_hasher().algorithm == "md5"
            settings.PASSWORD_HASHERS = [SHA1]
            assert get_hasher().algorithm == "pbkdf2_sha1"

        def test_f_without_the_kit():
            assert_untouched()

        def test_g_kit_and_kit_client_are_one_client(kit, kit_client):
            assert kit.client is kit_client
            assert get_hasher().algorithm == "md5"
            with pytest.raises(Exception, match="api.weather.example"):
                socket.getaddrinfo("api.weather.example", 443)

        def test_h_without_the_kit():
            assert_untouched()

        def test_i_kit(kit):
            assert socket.getaddrinfo is not REAL

        def test_j_kit_after_kit_still_blocks(kit):
            assert get_hasher().algorithm == "md5"
            with pytest.raises(Exception, match="api.weather.example"):
                socket.getaddrinfo("api.weather.example", 443)
        """
    )
    django_pytester.makeconftest(
        """
        import socket

        import pytest

        REAL = socket.getaddrinfo

        @pytest.hookimpl(trylast=True)
        def pytest_unconfigure(config):
            with open("after_the_session.txt", "w") as out:
                out.write(str(socket.getaddrinfo is REAL))
        """
    )

    result = django_pytester.runpytest_subprocess("-q", "-p", "no:randomly")

    result.assert_outcomes(passed=9, failed=1)
    # The guards the kit fixture kept between its tests are gone when the session ends.
    assert (django_pytester.path / "after_the_session.txt").read_text() == "True"
    result.stdout.fnmatch_lines(
        ["E       ValueError: boom", "FAILED *::test_a_kit_test_that_raises*"]
    )


def test_the_kit_fixture_without_pytest_django_says_to_install_it(pytester):
    pytester.makepyfile(
        """
        def test_journey(kit):
            pass

        def test_kit_client_alone_needs_no_database(kit_client):
            pass
        """
    )

    result = pytester.runpytest_subprocess("-q", "-p", "no:django", "-p", "no:randomly")

    result.assert_outcomes(errors=1, passed=1)
    result.stdout.fnmatch_lines(
        [
            "*The kit fixture needs pytest-django, for its database access: pip install "
            "pytest-django and set DJANGO_SETTINGS_MODULE (in pytest's configuration, or with "
            "--ds). It is not installed, or disabled with -p no:django."
        ]
    )
    assert "fixture 'db' not found" not in result.stdout.str()


def test_kit_assert_redirects_tells_the_story(django_pytester):
    django_pytester.makepyfile(
        """
        def test_signup(kit):
            kit.make_user(username="alex")
            response = kit.submit_form(
                kit.client.get("/signup/"), username="alex", password1="Kit-pass-123",
                password2="Kit-pass-123",
            )
            kit.assert_redirects(response, "/login/")
        """
    )

    result = django_pytester.runpytest_subprocess("-q", "-p", "no:randomly")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E       AssertionError: 200 != 302 : Response didn't redirect as expected: Response "
            "code was 200 (expected 302)",
            "E       Requests:",
            "E         GET /signup/ 200",
            "E         POST /signup/ 200",
            "E       Form errors:",
            "E         username: A user with that username already exists.",
            "E       Submitted: csrfmiddlewaretoken='********', username='alex', "
            "password1='********', password2='********'",
            "E       Page text: 'Home Search Log in Sign up Sign up Username:*",
            "",
            "test_kit_assert_redirects_tells_the_story.py:7: AssertionError",
        ]
    )
    message = [line for line in result.stdout.lines if line.startswith("E ")]
    assert not any("Kit-pass-123" in line for line in message)


@pytest.fixture
def enforced_csrf(settings):
    settings.INTEGRATION_KIT = {"ENFORCE_CSRF": True}


def test_the_kit_fixture_enforces_csrf_when_the_settings_ask(enforced_csrf, kit):
    # As IntegrationTestCase with enforce_csrf = True: a raw POST without a token is refused,
    # while the kit's form submission sends the page's token.
    assert kit.client.post("/contact/", {"name": "x"}).status_code == 403
    kit.client.get("/contact/")
    assert kit.submit_form(name="Bob").status_code == 302


def test_the_kit_fixture_leaves_csrf_unchecked_by_default(kit):
    assert kit.client.post("/contact/", {"name": "x"}).status_code == 302
