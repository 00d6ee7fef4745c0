"""``BrowserTestCase``: finding Chromium, skipping without it, the flows in a real browser, and
the screenshot, HTML and console errors of a failing test.

The tests that drive Chromium skip, saying what to install, where Playwright or Chromium is
missing; the others run everywhere.
"""

import json
import os
import subprocess
import sys
import unittest
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from selectolax.lexbor import LexborHTMLParser

from django_integration_kit import (
    assert_login_required,
    browser,
    login,
    login_as,
    logout,
    signup,
    submit_form,
)
from django_integration_kit._defaults import FAST_HASHER
from django_integration_kit.browser import BrowserTestCase, find_browser
from django_integration_kit.forms import fill, parse_forms

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.fixture
def real_browser():
    reason = browser._unavailable_reason(None)
    if reason is not None:
        pytest.skip(reason)


@pytest.fixture
def no_chromium(monkeypatch, tmp_path):
    """A machine with no Chromium: nothing configured, nothing at the default path or on PATH."""
    monkeypatch.delenv("KIT_BROWSER", raising=False)
    monkeypatch.delenv("KIT_BROWSER_REQUIRED", raising=False)
    monkeypatch.setattr(browser, "DEFAULT_EXECUTABLE", str(tmp_path / "missing" / "chromium"))
    monkeypatch.setenv("PATH", str(tmp_path))
    return tmp_path


def fake_executable(folder, name):
    path = folder / name
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


def run_case(case_class, *names):
    result = unittest.TestResult()
    unittest.TestSuite([case_class(name) for name in names]).run(result)
    return result


# Finding Chromium


def test_find_browser_prefers_kit_browser_over_the_setting(monkeypatch, settings, no_chromium):
    settings.INTEGRATION_KIT = {"BROWSER_EXECUTABLE": fake_executable(no_chromium, "configured")}
    monkeypatch.setenv("KIT_BROWSER", fake_executable(no_chromium, "from-env"))

    assert find_browser() == str(no_chromium / "from-env")


def test_find_browser_reads_the_setting_and_a_class_attribute(settings, no_chromium):
    settings.INTEGRATION_KIT = {"BROWSER_EXECUTABLE": fake_executable(no_chromium, "configured")}

    class Owner:
        browser_executable = fake_executable(no_chromium, "per-class")

    assert find_browser() == str(no_chromium / "configured")
    assert find_browser(Owner) == str(no_chromium / "per-class")


def test_find_browser_looks_up_a_configured_name_on_path(monkeypatch, no_chromium):
    monkeypatch.setenv("KIT_BROWSER", "my-chrome")
    fake_executable(no_chromium, "my-chrome")

    assert find_browser() == str(no_chromium / "my-chrome")


def test_find_browser_tries_usr_bin_chromium_then_names_on_path(monkeypatch, no_chromium):
    assert find_browser() is None

    fake_executable(no_chromium, "google-chrome")
    assert find_browser() == str(no_chromium / "google-chrome")

    fake_executable(no_chromium, "chromium-browser")
    assert find_browser() == str(no_chromium / "chromium-browser")

    default = no_chromium / "default"
    default.mkdir()
    monkeypatch.setattr(browser, "DEFAULT_EXECUTABLE", fake_executable(default, "chromium"))
    assert find_browser() == str(default / "chromium")


def test_find_browser_rejects_a_configured_path_that_is_not_executable(monkeypatch, no_chromium):
    missing = str(no_chromium / "nowhere" / "chrome")
    monkeypatch.setenv("KIT_BROWSER", missing)

    with pytest.raises(ImproperlyConfigured) as excinfo:
        find_browser()

    assert str(excinfo.value) == (
        f"KIT_BROWSER is {missing!r}, which is not an executable file or a program on PATH; "
        "point it at a Chromium or Chrome executable, or unset it to use /usr/bin/chromium."
    )


# Skipping where the browser is missing


class _Anything(BrowserTestCase):
    __test__ = False  # run by the tests below, not collected on its own

    def test_nothing(self):
        pass


def test_browser_tests_skip_saying_how_to_install_chromium(no_chromium):
    pytest.importorskip("playwright.sync_api")
    before = os.environ.get(ASYNC_UNSAFE)

    result = run_case(_Anything, "test_nothing")

    assert [reason for _, reason in result.skipped] == [
        "No Chromium found for the browser tests: install it (Debian/Ubuntu: apt-get install "
        "chromium) or set KIT_BROWSER (or INTEGRATION_KIT['BROWSER_EXECUTABLE']) to a "
        "Chromium or Chrome executable."
    ]
    assert result.errors == []
    assert os.environ.get(ASYNC_UNSAFE) == before


def test_browser_tests_skip_saying_how_to_install_playwright(monkeypatch):
    monkeypatch.delenv("KIT_BROWSER_REQUIRED", raising=False)
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)

    result = run_case(_Anything, "test_nothing")

    assert [reason for _, reason in result.skipped] == [
        "Playwright is not installed: pip install playwright (the browser tests drive a system "
        "Chromium, so `playwright install` is not needed)."
    ]


def test_kit_browser_required_turns_the_skip_into_an_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    monkeypatch.setenv("KIT_BROWSER_REQUIRED", "1")

    result = run_case(_Anything, "test_nothing")

    assert result.skipped == []
    [(_, report)] = result.errors
    assert report.rstrip().endswith(
        "RuntimeError: " + browser.NO_PLAYWRIGHT + " KIT_BROWSER_REQUIRED is set, so this is "
        "an error, not a skip."
    )


def test_the_module_imports_without_settings_or_playwright():
    root = str(Path(__file__).resolve().parent.parent)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    code = (
        "import sys, django_integration_kit.browser\n"
        "from django.conf import settings\n"
        "assert not settings.configured\n"
        "assert 'playwright' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=root)


# The flows in a real browser


class BrowserFlowsTest(BrowserTestCase):
    def test_each_test_starts_with_a_fresh_context_1(self):
        assert self.context.cookies() == []
        self.login_as()

    def test_each_test_starts_with_a_fresh_context_2(self):
        assert self.context.cookies() == []
        self.login_as()

    def test_the_kit_defaults_apply(self):
        assert settings.PASSWORD_HASHERS[0] == FAST_HASHER
        assert os.environ[ASYNC_UNSAFE] == "true"

    def test_visit_opens_a_url_name_or_a_path_and_returns_the_response(self):
        response = self.visit("home")
        assert response.status == 200
        assert self.page.url == self.live_server_url + "/"
        assert self.visit("/no-such-page/").status == 404

    def test_visit_refuses_an_unknown_url_name(self):
        with pytest.raises(ValueError) as excinfo:
            self.visit("dashbord")
        assert str(excinfo.value).startswith("No URL named 'dashbord'. Did you mean 'dashboard'")

    def test_signup_returns_the_user_who_can_then_log_in(self):
        user = self.signup()

        assert self.page.url == self.live_server_url + "/login/"
        assert user.check_password(user.raw_password)
        self.login(user.username, user.raw_password)
        assert self.page.inner_text("main p") == f"Welcome, {user.username}"

    def test_signup_fails_with_form_errors_and_masks_passwords(self):
        with pytest.raises(AssertionError) as excinfo:
            self.signup(username="ana", password1="Kit-first-pass-9", password2="Kit-other-pass-9")

        message = str(excinfo.value)
        assert message.splitlines()[:7] == [
            "signup() failed: POST /signup/ answered 200 with form errors.",
            "Requests:",
            "  GET /signup/ 200",
            "  POST /signup/ 200",
            "Form errors:",
            "  password2: The two password fields didn’t match.",
            "Submitted: csrfmiddlewaretoken='********', username='ana', "
            "password1='********', password2='********'",
        ]
        assert "Kit-first-pass-9" not in message
        assert "Kit-other-pass-9" not in message

    def test_signup_refuses_a_field_the_form_does_not_have(self):
        with pytest.raises(AssertionError) as excinfo:
            self.signup(nickname="ana")
        assert str(excinfo.value) == (
            "Field 'nickname' is not in form #signup; its fields are: "
            "csrfmiddlewaretoken, username, password1, password2."
        )

    def test_signup_fails_when_the_browser_refuses_the_form(self):
        with pytest.raises(AssertionError) as excinfo:
            self.signup(username="")
        assert str(excinfo.value) == (
            "signup() could not submit #signup (POST /signup/): the browser refused it "
            "(username: Please fill out this field.). Pass values these fields accept."
        )

    def test_login_fails_when_the_browser_refuses_the_form(self):
        with pytest.raises(AssertionError) as excinfo:
            self.login("", "Kit-pass-123")
        assert str(excinfo.value) == (
            "login() could not submit #login (POST /login/): the browser refused it "
            "(username: Please fill out this field.). Pass values these fields accept."
        )

    def test_login_types_into_the_form_and_returns_the_submissions_response(self):
        user = self.make_user()

        response = self.login(user.username, user.raw_password)

        assert response.status_code == 302
        assert response["Location"] == "/dashboard/"
        assert self.page.url == self.live_server_url + "/dashboard/"
        assert self.driver.session_user_id() == str(user.pk)

    def test_djangos_assertions_tell_the_story_of_a_test_client_response(self):
        response = self.client.get("/")

        with pytest.raises(AssertionError) as excinfo:
            self.assertContains(response, "Welcome, alex")

        lines = str(excinfo.value).splitlines()
        assert lines[0] == (
            "False is not true : Couldn't find 'Welcome, alex' in the following response"
        )
        assert lines[-3:-1] == ["Requests:", "  GET / 200"]

    def test_login_with_a_wrong_password_fails_with_a_masked_message(self):
        user = self.make_user()

        with pytest.raises(AssertionError) as excinfo:
            self.login(user.username, "Kit-wrong-pass-9")

        message = str(excinfo.value)
        assert message.splitlines()[:7] == [
            "login() failed: POST /login/ answered 200 with form errors. The site rejected the "
            f"credentials: username {user.username!r} with a password of 16 characters (not "
            "shown). Check both: a user from make_user() has its password at "
            "user.raw_password.",
            "Requests:",
            "  GET /login/ 200",
            "  POST /login/ 200",
            "Form errors:",
            "  __all__: Please enter a correct username and password. "
            "Note that both fields may be case-sensitive.",
            f"Submitted: csrfmiddlewaretoken='********', username={user.username!r}, "
            "password='********', next=''",
        ]
        assert "Kit-wrong-pass-9" not in message

    def test_login_honours_login_fields_on_the_test_class(self):
        user = self.make_user()

        with mock.patch.object(type(self), "login_fields", ("login", "password"), create=True):
            self.login(user.username, user.raw_password, url="legacy_login")

        assert self.page.inner_text("main p") == f"Welcome, {user.username}"

    def test_login_names_the_fields_when_login_fields_do_not_match(self):
        with (
            mock.patch.object(type(self), "login_fields", ("email", "password"), create=True),
            pytest.raises(AssertionError) as excinfo,
        ):
            self.login("ana", "Kit-pass-9", url="legacy_login")
        assert str(excinfo.value) == (
            "The login form form.login (POST /legacy/login/) has no field 'email'; its fields "
            "are: csrfmiddlewaretoken, login, password. Set INTEGRATION_KIT['LOGIN_FIELDS'] (or "
            "login_fields on the test class) to the form's username and password names."
        )

    def test_login_as_logs_the_browser_in_without_a_form(self):
        user = self.login_as(username="alex")

        self.visit("profile")

        assert self.page.inner_text("dd >> nth=0") == "alex"
        assert self.driver.session_user_id() == str(user.pk)
        with pytest.raises(TypeError):
            self.login_as(user, username="other")

    def test_logout_clicks_the_pages_logout_form(self):
        self.login_as()
        self.visit("dashboard")

        self.logout()

        assert self.page.url == self.live_server_url + "/"
        assert self.driver.session_user_id() is None

    def test_logout_posts_to_the_logout_view_from_any_page(self):
        self.login_as()

        self.logout()

        assert self.driver.session_user_id() is None
        self.assert_login_required("dashboard")

    def test_logout_without_a_logout_view_drops_the_session_cookie(self):
        self.login_as()

        with override_settings(ROOT_URLCONF="config.urls_without_logout"):
            self.logout()

        assert self.driver.session_user_id() is None

    def test_fields_of_every_kind_are_typed_into_the_page(self):
        self.visit("contact")
        [form] = [
            f for f in parse_forms(self.page.content(), "/contact/") if f.label == "#contact"
        ]
        node = self.page.locator("#contact")
        values = {
            "name": "Ana",
            "topic": "sales",
            "subscribe": True,
            "source": "kit",
            "body": "Hi",
        }

        payload = fill(form, values)

        for name in values:
            self.driver.type_into(node, form, name, payload[name])

        assert [node.locator(f"[name={name}]").input_value() for name in values] == [
            "Ana",
            "sales",
            "yes",
            "kit",
            "Hi",
        ]
        assert node.locator("[name=subscribe]").is_checked()
        self.driver.type_into(node, form, "subscribe", None)
        assert not node.locator("[name=subscribe]").is_checked()

    def test_assert_login_required_passes_for_a_protected_page(self):
        self.assert_login_required("dashboard")
        self.assert_login_required("dashboard", method="post")
        self.assert_login_required("staff", status=403)

    def test_assert_login_required_fails_for_an_open_page(self):
        with pytest.raises(AssertionError) as excinfo:
            self.assert_login_required("home")
        assert str(excinfo.value).splitlines()[:3] == [
            "GET / is not login-protected: it answered 200, expected a redirect to the login "
            "page /login/.",
            "Requests:",
            "  GET / 200",
        ]

        with pytest.raises(AssertionError) as excinfo:
            self.assert_login_required("staff")
        assert str(excinfo.value).splitlines()[0] == (
            "GET /staff/ is not login-protected: it answered 403, expected a redirect to the "
            "login page /login/."
        )

    def test_assert_login_required_needs_an_anonymous_browser(self):
        self.login_as()
        with pytest.raises(AssertionError) as excinfo:
            self.assert_login_required("dashboard")
        assert str(excinfo.value) == (
            "assert_login_required() needs an anonymous browser, but this one is logged in; "
            "call logout() first or use a fresh one."
        )

    def test_console_errors_collects_console_errors_and_uncaught_errors(self):
        self.visit("home")
        self.page.evaluate("console.error('kit: logged')")
        self.page.add_script_tag(content="throw new TypeError('kit: thrown')")

        assert self.console_errors == [
            "console.error: kit: logged",
            "uncaught TypeError: kit: thrown",
        ]

    def test_frozen_time_is_not_supported(self):
        with pytest.raises(NotImplementedError) as excinfo:
            self.frozen_time("2026-01-01")
        assert str(excinfo.value) == (
            "frozen_time() does not work in a BrowserTestCase: the live server would run on "
            "the frozen clock while the browser keeps the real one, so the cookies the server "
            "sets could expire at once. Freeze time in an IntegrationTestCase, or set the "
            "browser's clock with self.page.clock."
        )

    def test_mock_http_answers_the_live_servers_requests(self):
        with self.mock_http() as api:
            api.get(
                "https://api.weather.example/v1/current?city=Oslo",
                json={"city": "Oslo", "temperature_c": 21.4, "summary": "Sunny"},
            )
            self.visit("weather:current")

        assert self.page.inner_text("p.weather") == "21 °C, sunny"

    def test_capture_emails_holds_the_mail_the_live_server_sends(self):
        with self.capture_emails() as outbox:
            self.visit("newsletter:subscribe")
            self.page.get_by_label("Your email address").fill("ana@example.com")
            with self.page.expect_navigation():
                self.page.get_by_role("button", name="Subscribe").click()

        outbox.assert_sent(to="ana@example.com", subject="Confirm your subscription", count=1)
        self.page.goto(outbox.links()[0])
        assert "You are subscribed." in self.page.inner_text(".messages")

    def test_pages_reach_no_host_but_the_live_server(self):
        from playwright.sync_api import Error as PlaywrightError

        with pytest.raises(PlaywrightError, match="ERR_NAME_NOT_RESOLVED"):
            self.page.goto("http://kit-browser-test.example/")


def test_the_browser_resolves_no_name_but_the_live_servers_unless_the_network_is_allowed():
    class Allowed(BrowserTestCase):
        block_network = False

    rule = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost"
    assert browser._launch_args(BrowserTestCase) == [*browser.BROWSER_ARGS, rule]
    assert browser._launch_args(Allowed) == list(browser.BROWSER_ARGS)


# What a failing browser test leaves behind


class _Failing(BrowserTestCase):
    __test__ = False  # run by the tests below, not collected on its own

    def test_fails(self):
        self.visit("home")
        self.page.evaluate("console.error('kit: deliberate console error')")
        self.page.add_script_tag(content="throw new TypeError('kit: deliberate page error')")
        self.fail("the deliberate failure")

    def test_raises(self):
        self.visit("home")
        raise ValueError("a deliberate error")

    @unittest.expectedFailure
    def test_expected_failure(self):
        self.visit("home")
        self.fail("expected")


def test_a_failing_browser_test_names_its_screenshot_html_and_console_errors(
    transactional_db, real_browser, tmp_path, monkeypatch
):
    monkeypatch.setenv("KIT_BROWSER_ARTIFACTS", str(tmp_path))
    async_unsafe, hashers = os.environ.get(ASYNC_UNSAFE), settings.PASSWORD_HASHERS

    result = run_case(_Failing, "test_fails", "test_raises", "test_expected_failure")

    [(failed, report)] = result.failures
    folder = tmp_path / failed.id().replace("<", "_").replace(">", "_")
    lines = report.splitlines()
    assert "AssertionError: the deliberate failure" in lines
    start = lines.index(f"Browser artifacts saved in {folder}{os.sep}")
    assert lines[start + 1 : start + 3] == [
        f"  screenshot: {folder / 'screenshot.png'}",
        f"  page HTML: {folder / 'page.html'}",
    ]
    assert lines[start + 3] == f"  page URL: {_Failing.live_server_url}/"
    assert lines[start + 4 : start + 7] == [
        "Browser console errors (2):",
        "  console.error: kit: deliberate console error",
        "  uncaught TypeError: kit: deliberate page error",
    ]
    assert (folder / "screenshot.png").read_bytes().startswith(b"\x89PNG")
    assert "<h1>Test project</h1>" in (folder / "page.html").read_text()

    [(errored, report)] = result.errors
    assert "ValueError: a deliberate error" in report
    assert f"  screenshot: {browser.artifacts_folder(errored.id()) / 'screenshot.png'}" in report
    assert "Browser console errors: none." in report

    assert len(result.expectedFailures) == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        browser.artifacts_folder(test.id()).name for test in (failed, errored)
    )
    assert os.environ.get(ASYNC_UNSAFE) == async_unsafe
    assert hashers == settings.PASSWORD_HASHERS


def test_a_browser_that_cannot_start_is_an_error_and_the_world_is_restored(
    transactional_db, real_browser, monkeypatch, tmp_path
):
    monkeypatch.setenv("KIT_BROWSER", fake_executable(tmp_path, "broken-chromium"))
    async_unsafe, hashers = os.environ.get(ASYNC_UNSAFE), settings.PASSWORD_HASHERS

    result = run_case(_Anything, "test_nothing")

    [(_, report)] = result.errors
    assert "broken-chromium" in report
    assert os.environ.get(ASYNC_UNSAFE) == async_unsafe
    assert hashers == settings.PASSWORD_HASHERS


# One flow definition, every driver


def _outcome(call):
    """What a flow call came to, comparable across drivers: its result or its failure's title."""
    try:
        result = call()
    except AssertionError as error:
        return f"failed: {str(error).splitlines()[0]}"
    if result is None:
        return "ok"
    if hasattr(result, "status_code"):
        return f"{result.status_code} -> {result.headers.get('Location')}"
    return f"user {result.username}"


class SameOutcomeOnEveryDriverTest(BrowserTestCase):
    """The same flow calls give the same outcome with the test client, AsyncClient and the
    browser: they are one definition, carried out by three drivers."""

    def _drivers(self):
        from concurrent.futures import ThreadPoolExecutor

        from asgiref.sync import async_to_sync
        from django.test import AsyncClient, Client

        def in_a_thread(flow):
            # Playwright keeps an event loop running in this thread; the async client gets its own.
            async def awaited(*args, **kwargs):
                return await flow(*args, **kwargs)

            def call(client, *args, **kwargs):
                with ThreadPoolExecutor(1) as pool:
                    return pool.submit(async_to_sync(awaited), client, *args, **kwargs).result()

            return call

        return {
            "client": (Client, lambda flow: flow),
            "async client": (AsyncClient, in_a_thread),
            "browser": (lambda: self.driver, lambda flow: flow),
        }

    def _outcomes(self, scenario):
        outcomes = {}
        for name, (make, wrap) in self._drivers().items():
            self.driver.logout()
            outcomes[name] = scenario(make(), wrap)
        return outcomes

    def assert_same(self, scenario, expected):
        assert self._outcomes(scenario) == dict.fromkeys(self._drivers(), expected)

    def test_signup_succeeds_alike(self):
        counter = iter(range(3))

        def scenario(client, wrap):
            return _outcome(lambda: wrap(signup)(client, username=f"ana{next(counter)}"))

        outcomes = self._outcomes(scenario)
        assert outcomes == {
            "client": "user ana0",
            "async client": "user ana1",
            "browser": "user ana2",
        }

    def test_signup_fails_alike(self):
        def scenario(client, wrap):
            return _outcome(
                lambda: wrap(signup)(
                    client, password1="Kit-pass-one-9", password2="Kit-pass-two-9"
                )
            )

        self.assert_same(
            scenario, "failed: signup() failed: POST /signup/ answered 200 with form errors."
        )

    def test_login_succeeds_and_fails_alike(self):
        user = self.make_user()

        self.assert_same(
            lambda client, wrap: _outcome(
                lambda: wrap(login)(client, user.username, user.raw_password)
            ),
            "302 -> /dashboard/",
        )
        self.assert_same(
            lambda client, wrap: _outcome(lambda: wrap(login)(client, user.username, "Kit-no-9")),
            "failed: login() failed: POST /login/ answered 200 with form errors. The site "
            f"rejected the credentials: username {user.username!r} with a password of 8 "
            "characters (not shown). Check both: a user from make_user() has its password at "
            "user.raw_password.",
        )

    def test_a_second_login_step_is_reported_alike(self):
        user = self.make_user()

        self.assert_same(
            lambda client, wrap: _outcome(
                lambda: wrap(login)(
                    client, user.username, user.raw_password, url="two_step_password"
                )
            ),
            "failed: login() was sent on to a second step: POST /two-step/ answered 302 -> "
            "/two-step/token/, and the client is not logged in yet (no user in its session). A "
            "two-factor or multi-step login? Log in with login_as() to skip it, or drive the "
            "step with submit_form().",
        )

    def test_login_walls_are_checked_alike(self):
        self.assert_same(
            lambda client, wrap: _outcome(
                lambda: wrap(assert_login_required)(client, "dashboard")
            ),
            "ok",
        )
        self.assert_same(
            lambda client, wrap: _outcome(lambda: wrap(assert_login_required)(client, "home")),
            "failed: GET / is not login-protected: it answered 200, expected a redirect to the "
            "login page /login/.",
        )

    def test_logout_ends_the_session_alike(self):
        def scenario(client, wrap):
            wrap(login_as)(client)
            wrap(logout)(client)
            return _outcome(lambda: wrap(assert_login_required)(client, "dashboard"))

        self.assert_same(scenario, "ok")


def _echoed(response):
    """What the echo view says it received, minus the CSRF token each client has its own of."""
    final = getattr(response, "kit_hops", [response])[-1]
    text = final.content.decode()
    if text.lstrip().startswith("<"):  # the browser shows JSON inside a page
        text = LexborHTMLParser(text).body.text()
    echoed = json.loads(text)
    echoed["data"].pop("csrfmiddlewaretoken", None)
    return echoed


class SubmitFormOnEveryDriverTest(BrowserTestCase):
    """submit_form() sends what the browser sends when a user types and clicks the same."""

    def _submitted(self, path, make_data):
        from concurrent.futures import ThreadPoolExecutor

        from asgiref.sync import async_to_sync
        from django.test import AsyncClient, Client

        client = Client()
        sent = {"client": _echoed(submit_form(client, client.get(path), **make_data()))}

        async def with_async_client():
            client = AsyncClient()
            return await submit_form(client, await client.get(path), **make_data())

        with ThreadPoolExecutor(1) as pool:
            sent["async client"] = _echoed(pool.submit(async_to_sync(with_async_client)).result())
        self.visit(path)
        sent["browser"] = _echoed(self.submit_form(**make_data()))
        return sent

    def assert_same(self, path, make_data, expected):
        assert self._submitted(path, make_data) == dict.fromkeys(
            ("client", "async client", "browser"), expected
        )

    def test_the_default_button_is_sent_alike(self):
        self.assert_same(
            "/widgets/buttons/",
            lambda: {"title": "Final"},
            {"method": "POST", "data": {"title": ["Final"], "action": ["save"]}, "files": {}},
        )

    def test_a_chosen_button_is_sent_alike(self):
        self.assert_same(
            "/widgets/buttons/",
            lambda: {"button": "Archive it"},
            {"method": "POST", "data": {"title": ["Draft"], "action": ["archive"]}, "files": {}},
        )
        self.assert_same(
            "/widgets/buttons/",
            lambda: {"publish": True},
            {
                "method": "POST",
                "data": {"title": ["Draft"], "publish": ["Publish now"]},
                "files": {},
            },
        )

    def test_controls_outside_the_form_are_sent_alike(self):
        self.assert_same(
            "/widgets/outside/",
            lambda: {"after": "22", "item": "coffee"},
            {
                "method": "POST",
                "data": {"before": ["1"], "item": ["coffee"], "after": ["22"], "go": ["late"]},
                "files": {},
            },
        )

    def test_files_are_uploaded_alike(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        def data():
            return {
                "selector": "#upload",
                "cover": SimpleUploadedFile("cover.txt", b"front"),
                "pages": [
                    SimpleUploadedFile("p1.txt", b"one"),
                    SimpleUploadedFile("p2.txt", b"two"),
                ],
            }

        self.assert_same(
            "/widgets/upload/",
            data,
            {
                "method": "POST",
                "data": {"caption": ["Holiday"]},
                "files": {
                    "cover": [["cover.txt", "front"]],
                    "pages": [["p1.txt", "one"], ["p2.txt", "two"]],
                },
            },
        )
