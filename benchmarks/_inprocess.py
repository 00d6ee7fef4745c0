"""The in-process scenarios: the same flow written the kit's way and each anchor's way.

Imported by ``run.py`` after ``_setup.setup_django()``, so Django is configured. Each contender
is one operation as a test would do it (a fresh client, then the flow); the settings it needs
(the kit's defaults, MD5 by hand, django-webtest's middleware) are switched on around a round,
not per operation, as a test class switches them on once.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import freezegun
import time_machine
from _setup import in_rollback
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django_webtest import DjangoTestApp
from test_plus.test import TestCase as TestPlusCase

from django_integration_kit import KitClient, frozen_time, login, login_as, make_user, signup
from django_integration_kit._defaults import kit_defaults
from django_integration_kit.assertions import submit_form

MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PASSWORD = "Str0ng-bench-pass-42!"
WHEN = "2026-01-01T09:00:00Z"
_numbers = itertools.count(1)


@dataclass
class Contender:
    """One way of doing a scenario's flow, timed against the others."""

    label: str
    how: str
    op: Callable[[], None] | None
    kind: str = "raw"  # "kit", "raw" (the baseline), "anchor" or "other"
    context: Callable[[], AbstractContextManager[Any]] = nullcontext
    note: str = ""


@dataclass
class Scenario:
    """A flow and its contenders; ratios are taken against the best ``raw`` one, the baseline."""

    title: str
    contenders: list[Contender]
    notes: list[str] = field(default_factory=list)
    database: bool = True
    baseline: str = "best raw"


def _name(prefix: str) -> str:
    return f"{prefix}{next(_numbers)}"


def _expect(response: Any, status: int) -> Any:
    if response.status_code != status:
        raise AssertionError(f"expected {status}, got {response.status_code}")
    return response


def webtest_settings() -> AbstractContextManager[Any]:
    """django-webtest's ``user=`` support, as its ``WebTest`` class patches it in per test."""
    middleware = list(settings.MIDDLEWARE)
    index = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    middleware.insert(index + 1, "django_webtest.middleware.WebtestUserMiddleware")
    backends = ["django_webtest.backends.WebtestUserBackend", *settings.AUTHENTICATION_BACKENDS]
    return override_settings(MIDDLEWARE=middleware, AUTHENTICATION_BACKENDS=backends)


def md5_settings() -> AbstractContextManager[Any]:
    return override_settings(PASSWORD_HASHERS=MD5)


class _TestPlus(TestPlusCase):
    def runTest(self) -> None:  # noqa: N802  (unittest's name)
        """Only here so the case can be instantiated outside a test run."""


_test_plus = _TestPlus()


def _fresh_test_plus() -> _TestPlus:
    _test_plus.client = Client()
    _test_plus.last_response = None
    return _test_plus


# 1. make a user, log in, GET the dashboard


def _kit_login_get() -> None:
    client = KitClient()
    login_as(client, make_user())
    _expect(client.get("/dashboard/"), 200)


def _raw_login_get() -> None:
    client = Client()
    username = _name("raw")
    User.objects.create_user(username, password=PASSWORD)
    assert client.login(username=username, password=PASSWORD)
    _expect(client.get("/dashboard/"), 200)


def _raw_force_login_get() -> None:
    client = Client()
    client.force_login(User.objects.create_user(_name("raw")))
    _expect(client.get("/dashboard/"), 200)


def _test_plus_login_get() -> None:
    case = _fresh_test_plus()
    user = case.make_user(_name("tp"))
    with case.login(user):
        case.get_check_200("dashboard")


def _webtest_login_get() -> None:
    app = DjangoTestApp()
    user = User.objects.create_user(_name("wt"), password=PASSWORD)
    app.get("/dashboard/", user=user).mustcontain("Dashboard")


def _webtest_no_password_login_get() -> None:
    app = DjangoTestApp()
    user = User.objects.create_user(_name("wt"))
    app.get("/dashboard/", user=user).mustcontain("Dashboard")


# 2. sign up and log in through the real forms


def _kit_signup_login() -> None:
    client = KitClient()
    user = signup(client)
    login(client, user.username, user.raw_password)


def _raw_signup_login() -> None:
    client = Client()
    username = _name("raw")
    page = client.get("/signup/")
    data = {
        "csrfmiddlewaretoken": str(page.context["csrf_token"]),
        "username": username,
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    _expect(client.post("/signup/", data), 302)
    page = client.get("/login/")
    data = {
        "csrfmiddlewaretoken": str(page.context["csrf_token"]),
        "username": username,
        "password": PASSWORD,
    }
    _expect(client.post("/login/", data), 302)


def _test_plus_signup_login() -> None:
    case = _fresh_test_plus()
    username = _name("tp")
    case.get("signup")
    token = str(case.context["csrf_token"])
    data = {
        "csrfmiddlewaretoken": token,
        "username": username,
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    case.post("signup", data=data)
    case.response_302()
    case.get("login")
    token = str(case.context["csrf_token"])
    case.post(
        "login", data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
    )
    case.response_302()


def _webtest_signup_login() -> None:
    app = DjangoTestApp()
    username = _name("wt")
    form = app.get("/signup/").forms["signup"]
    form["username"] = username
    form["password1"] = PASSWORD
    form["password2"] = PASSWORD
    assert form.submit().status_int == 302
    form = app.get("/login/").forms["login"]
    form["username"] = username
    form["password"] = PASSWORD
    assert form.submit().status_int == 302


# 3. GET the contact page and submit its form


def _kit_submit() -> None:
    client = KitClient()
    page = client.get("/contact/")
    _expect(submit_form(client, page, "#contact", name="Bob"), 302)


def _raw_submit() -> None:
    client = Client()
    page = client.get("/contact/")
    data = {
        "csrfmiddlewaretoken": str(page.context["csrf_token"]),
        "source": "contact-page",
        "name": "Bob",
        "topic": "help",
        "body": "Hello",
    }
    _expect(client.post("/contact/", data), 302)


def _webtest_submit() -> None:
    app = DjangoTestApp()
    form = app.get("/contact/").forms["contact"]
    form["name"] = "Bob"
    assert form.submit().status_int == 302


# 4. freeze and unfreeze the clock


def _kit_freeze() -> None:
    with frozen_time(WHEN):
        pass


def _freezegun_freeze() -> None:
    with freezegun.freeze_time(WHEN):
        pass


def _time_machine_freeze() -> None:
    with time_machine.travel(WHEN, tick=False):
        pass


@contextmanager
def _kit_context() -> Iterator[None]:
    """What an ``IntegrationTestCase`` switches on for its class: MD5 first, network blocked."""
    with kit_defaults():
        yield


def scenarios() -> list[Scenario]:
    """The four in-process scenarios, each with its contenders."""
    kit = {"kind": "kit", "context": _kit_context}
    wt = {"kind": "other", "context": webtest_settings}
    return [
        Scenario(
            "1. make a user + log in + GET /dashboard/",
            [
                Contender("kit", "make_user + login_as + client.get", _kit_login_get, **kit),
                Contender(
                    "raw Django, default hashers (PBKDF2)",
                    "create_user(password) + client.login + client.get",
                    _raw_login_get,
                ),
                Contender(
                    "raw Django, MD5 set by hand",
                    "create_user(password) + client.login + client.get",
                    _raw_login_get,
                    context=md5_settings,
                ),
                Contender(
                    "raw Django, force_login",
                    "create_user() with no usable password + force_login + client.get",
                    _raw_force_login_get,
                ),
                Contender(
                    "django-test-plus",
                    "self.make_user + with self.login(user) + get_check_200",
                    _test_plus_login_get,
                    kind="other",
                ),
                Contender(
                    "django-webtest",
                    "create_user(password) + app.get(url, user=user)",
                    _webtest_login_get,
                    **wt,
                ),
                Contender(
                    "django-webtest, no password",
                    "create_user() with no usable password + app.get(url, user=user)",
                    _webtest_no_password_login_get,
                    **wt,
                ),
            ],
            notes=[
                "The kit's make_user gives a user with a usable password (`user.raw_password`), "
                "as create_user(password) does; force_login and django-webtest's `user=` need "
                "none, so their no-password rows show the login mechanism alone.",
            ],
        ),
        Scenario(
            "2. sign up + log in through the real forms",
            [
                Contender("kit", "signup(client) + login(client, ...)", _kit_signup_login, **kit),
                Contender(
                    "raw Django, default hashers (PBKDF2)",
                    "GET + post by hand with the CSRF token, twice",
                    _raw_signup_login,
                ),
                Contender(
                    "raw Django, MD5 set by hand",
                    "GET + post by hand with the CSRF token, twice",
                    _raw_signup_login,
                    context=md5_settings,
                ),
                Contender(
                    "django-test-plus",
                    "self.get + self.post by hand (it has no form filling), twice",
                    _test_plus_signup_login,
                    kind="other",
                ),
                Contender(
                    "django-webtest",
                    "app.get(...).forms[...] filled + form.submit(), twice",
                    _webtest_signup_login,
                    **wt,
                ),
            ],
        ),
        Scenario(
            "3. GET /contact/ + submit the #contact form",
            [
                Contender("kit", "client.get + submit_form(..., name=...)", _kit_submit, **kit),
                Contender(
                    "raw Django", "client.get + client.post of every field by hand", _raw_submit
                ),
                Contender(
                    "django-test-plus",
                    "n/a: no form API; posting every field by hand is the raw Django row",
                    None,
                    kind="other",
                ),
                Contender(
                    "django-webtest",
                    "app.get(...).forms['contact'] + form.submit()",
                    _webtest_submit,
                    **wt,
                ),
            ],
        ),
        Scenario(
            "4. freeze + unfreeze the clock (enter + exit, nothing inside)",
            [
                Contender("kit", "with frozen_time(when)", _kit_freeze, kind="kit"),
                Contender("freezegun", "with freeze_time(when)", _freezegun_freeze, kind="raw"),
                Contender(
                    "time-machine",
                    "with time_machine.travel(when, tick=False)",
                    _time_machine_freeze,
                    kind="anchor",
                ),
            ],
            database=False,
            baseline="freezegun",
            notes=[
                "Raw Django has no clock freezing: the ratio is to plain freezegun, which the "
                "kit builds on. time-machine is shown for reference (it patches the clock in C "
                "and needs no module scan); the kit does not promise to match it.",
            ],
        ),
    ]


def with_rollback(scenario: Scenario) -> Scenario:
    """The scenario with each operation wrapped in a rolled-back transaction, if it uses the database."""
    if scenario.database:
        for contender in scenario.contenders:
            if contender.op is not None:
                contender.op = in_rollback(contender.op)
    return scenario
