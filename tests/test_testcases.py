import socket
import sys
import types
import unittest

import pytest
from django.conf import settings
from django.core.cache import cache

from django_integration_kit import IntegrationTestCase, IntegrationTransactionTestCase, KitClient
from django_integration_kit.services import network
from django_integration_kit.services.network import NetworkBlockedError


class DefaultsTests(IntegrationTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.shared = cls.make_user()

    def test_the_client_is_the_kits(self):
        assert isinstance(self.client, KitClient)

    def test_a_fast_hasher_is_used_and_the_projects_hashers_still_check(self):
        assert settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher")
        assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in settings.PASSWORD_HASHERS

    def test_setup_test_data_users_have_fast_hashes(self):
        assert self.shared.password.startswith("md5$")

    def test_caches_are_cleared_before_each_test_a(self):
        assert cache.get("leak") is None
        cache.set("leak", 1)

    def test_caches_are_cleared_before_each_test_b(self):
        assert cache.get("leak") is None
        cache.set("leak", 1)

    def test_url_resolves_names(self):
        assert self.url("profile") == "/profile/"

    def test_last_response_follows_the_client(self):
        response = self.client.get("/")
        assert self.last_response is response


class OptOutTests(IntegrationTestCase):
    fast_password_hasher = False
    clear_caches = False
    enforce_csrf = True

    def test_the_projects_hasher_is_kept(self):
        assert not settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher")

    def test_csrf_is_enforced_on_raw_posts(self):
        assert self.client.post("/contact/", {"name": "x"}).status_code == 403

    async def test_csrf_is_enforced_on_the_async_clients_raw_posts(self):
        response = await self.async_client.post("/contact/", {"name": "x"})
        assert response.status_code == 403

    def test_kit_forms_still_pass_csrf(self):
        self.client.get("/contact/")
        assert self.submit_form(name="Bob").status_code == 302


def test_the_hasher_is_restored_after_the_class():
    assert not settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher")


def hasher_state():
    from django.contrib.auth.hashers import get_hasher, get_hashers

    return settings.PASSWORD_HASHERS, [type(h) for h in get_hashers()], type(get_hasher())


def run_tests(case):
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(case).run(result)
    return result


@pytest.mark.django_db
def test_a_class_whose_tests_fail_puts_the_hashers_and_the_network_back():
    from django.contrib.auth.hashers import get_hasher

    before, real = hasher_state(), socket.getaddrinfo

    class Failing(IntegrationTestCase):
        def test_raises(self):
            assert get_hasher().algorithm == "md5"
            assert socket.getaddrinfo is not real
            raise ValueError("boom")

        def test_fails(self):
            self.fail("on purpose")

    result = run_tests(Failing)

    assert [error.splitlines()[-1] for _, error in result.errors] == ["ValueError: boom"]
    assert [error.splitlines()[-1] for _, error in result.failures] == [
        "AssertionError: on purpose"
    ]
    assert hasher_state() == before
    assert socket.getaddrinfo is real
    assert network._stack == []


@pytest.mark.django_db
def test_a_class_whose_set_up_fails_puts_the_hashers_and_the_network_back():
    before, real = hasher_state(), socket.getaddrinfo

    class Broken(IntegrationTestCase):
        @classmethod
        def setUpTestData(cls):
            raise RuntimeError("no data")

        def test_never_runs(self):
            raise AssertionError("ran")

    result = run_tests(Broken)

    assert [error.splitlines()[-1] for _, error in result.errors] == ["RuntimeError: no data"]
    assert hasher_state() == before
    assert socket.getaddrinfo is real
    assert network._stack == []


@pytest.mark.django_db
def test_the_network_guards_stay_between_a_modules_kit_classes_and_go_when_the_run_leaves_it(
    monkeypatch,
):
    from django.test import TestCase

    real, seen = socket.getaddrinfo, {}

    def note(name):
        seen[name] = (socket.getaddrinfo is real, list(network._stack))

    class First(IntegrationTestCase):
        def test_blocked(self):
            with pytest.raises(NetworkBlockedError):
                socket.getaddrinfo("kit-guard.invalid", 80)

    class Plain(TestCase):
        def test_between(self):
            note("between")

    class Second(First):
        """First's test again, in a second kit class of the module."""

    class Elsewhere(TestCase):
        def test_after(self):
            note("elsewhere")

    # unittest runs a module's cleanups only for a module it can find.
    for name, cases in {
        "kit_guards_one": (First, Plain, Second),
        "kit_guards_two": (Elsewhere,),
    }.items():
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
        for case in cases:
            case.__module__ = name
    load = unittest.defaultTestLoader.loadTestsFromTestCase
    result = unittest.TestResult()
    unittest.TestSuite([load(case) for case in (First, Plain, Second, Elsewhere)]).run(result)

    assert (result.errors, result.failures, result.testsRun) == ([], [], 4)
    # Between the module's kit classes the guards are in place, blocking nothing.
    assert seen["between"] == (False, [])
    # Another module's tests, and whatever runs after the run, get the socket module as it was.
    assert seen["elsewhere"] == (True, [])
    assert socket.getaddrinfo is real
    assert not network._keep_installed[0]


# Django's assertions tell the story of the response


def djangos_message(assertion, *args):
    """The message Django's own assertion fails with, masked as the kit masks the page it
    quotes (the CSRF token of its form), for comparison."""
    from django.test import SimpleTestCase

    from django_integration_kit._report import mask

    try:
        getattr(SimpleTestCase("run"), assertion)(*args)
    except AssertionError as error:
        return mask(str(error))
    raise AssertionError(f"{assertion}{args} passed")


SIGNUP_STORY = [
    "Requests:",
    "  GET /signup/ 200",
    "  POST /signup/ 200",
    "Form errors:",
    "  username: A user with that username already exists.",
    "Submitted: csrfmiddlewaretoken='********', username='alex', password1='********', "
    "password2='********'",
]


class StoryAssertionTests(IntegrationTestCase):
    def signup_with_a_taken_username(self):
        self.make_user(username="alex")
        return self.submit_form(
            self.client.get("/signup/"),
            username="alex",
            password1="Kit-pass-123",
            password2="Kit-pass-123",
        )

    def test_a_failing_assert_redirects_tells_the_story(self):
        self.make_user(username="alex")
        response = self.submit_form(
            self.client.get("/signup/"),
            username="alex",
            password1="Kit-pass-123",
            password2="Kit-pass-123",
        )

        with self.assertRaises(AssertionError) as caught:
            self.assertRedirects(response, "/login/")

        assert str(caught.exception).splitlines() == [
            "200 != 302 : Response didn't redirect as expected: Response code was 200 "
            "(expected 302)",
            "Requests:",
            "  GET /signup/ 200",
            "  POST /signup/ 200",
            "Form errors:",
            "  username: A user with that username already exists.",
            "Submitted: csrfmiddlewaretoken='********', username='alex', "
            "password1='********', password2='********'",
            "Page text: 'Home Search Log in Sign up Sign up Username: Required. 150 characters "
            "or fewer. Letters, digits and @/./+/-/_ only. A user with that username already "
            "exists. Password: Your password can’t be too similar to your other personal "
            "information. Your password must contain at least 8 characters. Your password "
            "can’t be a commonly used password. Your password can’t be entirely numeric. "
            "Password confirmation: Enter the same password as before, for verification. "
            "Create account'",
        ]

    def test_passing_assertions_behave_as_djangos(self):
        response = self.signup_with_a_taken_username()
        form = response.context["form"]

        assert self.assertContains(response, "already exists", count=1) is None
        assert self.assertNotContains(response, "Welcome") is None
        assert self.assertTemplateUsed(response, "accounts/signup.html") is None
        assert (
            self.assertFormError(form, "username", "A user with that username already exists.")
            is None
        )
        assert (
            self.assertRedirects(self.client.get("/dashboard/"), "/login/?next=/dashboard/")
            is None
        )

    def test_djangos_message_comes_first(self):
        response = self.signup_with_a_taken_username()

        for assertion, args in [
            ("assertContains", (response, "Welcome")),
            ("assertNotContains", (response, "already exists")),
            ("assertTemplateUsed", (response, "accounts/home.html")),
            ("assertRedirects", (response, "/login/", 302, 200, "After signup")),
        ]:
            with self.subTest(assertion), self.assertRaises(AssertionError) as caught:
                getattr(self, assertion)(*args)
            story = "\n".join(SIGNUP_STORY)
            assert str(caught.exception).startswith(
                f"{djangos_message(assertion, *args)}\n{story}\nPage text: 'Home Search Log in"
            )

    def test_a_failing_assert_form_error_lists_the_forms_errors_and_the_requests(self):
        response = self.signup_with_a_taken_username()
        form = response.context["form"]

        with self.assertRaises(AssertionError) as caught:
            self.assertFormError(form, "username", "Choose another username.")

        lines = str(caught.exception).splitlines()
        assert lines[:7] == [
            "['A user with that username already exists.'] != ['Choose another username.'] : "
            "The errors of field 'username' on form <UserCreationForm bound=True, valid=False, "
            "fields=(username;password1;password2)> don't match.",
            *SIGNUP_STORY,
        ]
        assert lines[7].startswith("Page text: 'Home Search Log in Sign up Sign up Username:")
        assert "Kit-pass-123" not in str(caught.exception)

    def test_the_story_ends_at_the_response_asserted_on(self):
        response = self.signup_with_a_taken_username()
        self.client.get("/")

        with self.assertRaises(AssertionError) as caught:
            self.assertRedirects(response, "/login/")

        assert str(caught.exception).splitlines()[1:4] == [
            "Requests:",
            "  GET /signup/ 200",
            "  POST /signup/ 200",
        ]

    def test_a_redirect_shows_where_it_went(self):
        response = self.client.get("/dashboard/")

        with self.assertRaises(AssertionError) as caught:
            self.assertRedirects(response, "/login/")

        assert str(caught.exception).splitlines()[-3:] == [
            " : Response redirected to '/login/?next=/dashboard/', expected '/login/': "
            "Expected '/login/?next=/dashboard/' to equal '/login/'.",
            "Requests:",
            "  GET /dashboard/ 302 -> /login/?next=/dashboard/",
        ]

    def test_a_wrong_password_is_masked_in_the_story(self):
        self.make_user(username="alex", password="Kit-right-123")
        response = self.client.post(
            "/login/", {"username": "alex", "password": "Kit-wrong-456", "api_token": "t0k3n-x"}
        )

        with self.assertRaises(AssertionError) as caught:
            self.assertRedirects(response, "/dashboard/")

        message = str(caught.exception)
        assert message.splitlines()[5] == (
            "Submitted: username='alex', password='********', api_token='********'"
        )
        assert "Kit-wrong-456" not in message
        assert "t0k3n-x" not in message

    def test_assert_template_used_as_a_context_manager_is_djangos(self):
        with self.assertTemplateUsed("accounts/home.html"):
            self.client.get("/")

        with self.assertRaises(AssertionError) as caught, self.assertTemplateUsed("x.html"):
            self.client.get("/")

        assert str(caught.exception).startswith(
            "False is not true : Template 'x.html' was not a template used to render the "
            "response. Actual template(s) used: accounts/home.html"
        )


class TransactionStoryAssertionTests(IntegrationTransactionTestCase):
    def test_a_failing_assert_contains_tells_the_story(self):
        response = self.client.get("/")

        with self.assertRaises(AssertionError) as caught:
            self.assertContains(response, "Welcome, alex")

        lines = str(caught.exception).splitlines()
        assert (
            lines[0]
            == "False is not true : Couldn't find 'Welcome, alex' in the following response"
        )
        assert lines[-3:-1] == ["Requests:", "  GET / 200"]
        assert lines[-1].startswith("Page text: 'Home Search Log in Sign up")


# Misspelt settings on a test class


def test_a_misspelt_setting_attribute_fails_at_set_up_class_naming_the_setting():
    from django.core.exceptions import ImproperlyConfigured

    class NetworkTests(IntegrationTestCase):
        block_netwrok = False

    class LoginTests(IntegrationTransactionTestCase):
        login_feilds = ("email", "password")

    with pytest.raises(ImproperlyConfigured) as network:
        NetworkTests.setUpClass()
    with pytest.raises(ImproperlyConfigured) as login:
        LoginTests.setUpClass()

    assert str(network.value) == (
        "NetworkTests.block_netwrok is not a django-integration-kit setting, so it would be "
        "ignored. Did you mean 'block_network' (the class attribute for "
        "INTEGRATION_KIT['BLOCK_NETWORK'])? Rename it, or rename the attribute if it is not "
        "meant as a setting."
    )
    assert "LoginTests.login_feilds is not a django-integration-kit setting" in str(login.value)


def test_ordinary_attributes_of_a_test_class_are_not_taken_for_settings():
    from django_integration_kit.conf import check_attributes

    class Base(IntegrationTestCase):
        login_fields = ("email", "password")

    class OrdinaryTests(Base):
        fixtures = ["catalog.json"]
        databases = {"default"}
        maxDiff = None
        login_path = "/accounts/login/"
        block = True
        network = "offline"
        signup_data = {"username": "ann"}

        def block_netwrok(self):  # a method is not a setting
            pass

    check_attributes(OrdinaryTests)


@pytest.mark.django_db
def test_each_test_case_is_its_django_case_with_the_kits_members_in_its_own_dict():
    from django.test import TestCase, TransactionTestCase

    for case, django_case in [
        (IntegrationTestCase, TestCase),
        (IntegrationTransactionTestCase, TransactionTestCase),
    ]:
        # Each class in a test case's MRO costs every test (benchmarks/results.md, section 9).
        assert case.__mro__[1:] == django_case.__mro__
        for name in ("login_as", "submit_form", "assertContains", "_pre_setup", "setUpClass"):
            assert name in vars(case)


@pytest.mark.django_db
def test_super_in_the_kits_members_reaches_djangos_and_a_subclass_can_extend_them():
    calls = []

    class Extended(IntegrationTestCase):
        @classmethod
        def setUpClass(cls):
            calls.append("setUpClass")
            super().setUpClass()

        def _post_teardown(self):
            super()._post_teardown()
            calls.append(("last response", type(self).client.last_response))

        def test_it(self):
            self.client.get("/")
            assert self.client.kit_owner is Extended
            assert self.last_response.status_code == 200
            with self.assertRaises(AssertionError):
                self.assertContains(self.last_response, "not on the page")

    result = run_tests(Extended)

    assert result.wasSuccessful(), result.errors + result.failures
    # The client lets go of its response at the end of the test: the response refers back to
    # the client, and the pair would otherwise wait for the garbage collector.
    assert calls == ["setUpClass", ("last response", None)]
