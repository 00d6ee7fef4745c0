"""Failures point at the test's line: the kit's own frames are hidden from tracebacks."""

import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import django_integration_kit

ROOT = Path(__file__).resolve().parent.parent
TESTPROJECT = ROOT / "testproject"
KIT_FRAME = f"{os.sep}django_integration_kit{os.sep}"


# Modules being written beside this change; they join the check once they call _frames.hide().
def kit_modules():
    for module in pkgutil.walk_packages(
        django_integration_kit.__path__, "django_integration_kit."
    ):
        if not module.ispkg:
            yield module.name


@pytest.mark.parametrize("name", list(kit_modules()))
def test_every_module_hides_its_frames(name):
    namespace = vars(importlib.import_module(name))

    assert namespace.get("__tracebackhide__") is True
    assert "__unittest" in namespace


def test_kit_show_frames_keeps_them():
    code = (
        "import django_integration_kit.flows as flows\n"
        "print('__tracebackhide__' in vars(flows), '__unittest' in vars(flows))\n"
    )
    env = {**os.environ, "KIT_SHOW_FRAMES": "1"}

    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)

    assert shown.stdout == "False False\n"


# pytest


@pytest.fixture
def django_pytester(pytester):
    pytester.makeini(
        f"""
        [pytest]
        DJANGO_SETTINGS_MODULE = config.settings
        django_find_project = false
        pythonpath = {TESTPROJECT}
        """
    )
    return pytester


FAILING_TESTS = """
    import requests
    from django_integration_kit import mock_http

    def test_wrong_password(kit):
        kit.make_user(username="alex", password="Kit-right-123")
        kit.login("alex", "Kit-wrong-456")

    def test_unmocked_call():
        with mock_http():
            requests.get("https://api.weather.example/v1/current")

    def test_unmocked_call_in_a_view(kit):
        with mock_http():
            kit.client.get("/weather/?city=Oslo")
"""


def test_pytest_shows_the_tests_line_and_no_kit_frame(django_pytester):
    django_pytester.makepyfile(FAILING_TESTS)

    # Django's request logger prints its own traceback of the view's error; it is no failure's.
    result = django_pytester.runpytest_subprocess("-q", "-p", "no:randomly", "--show-capture=no")

    result.assert_outcomes(failed=3)
    output = result.stdout.str()
    assert KIT_FRAME not in output.replace("django_integration_kit.", "")
    result.stdout.fnmatch_lines(
        [
            '>       kit.login("alex", "Kit-wrong-456")',
            "E       AssertionError: login() failed: POST /login/ answered 200 with form errors.*",
            "test_pytest_shows_the_tests_line_and_no_kit_frame.py:6: AssertionError",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "test_pytest_shows_the_tests_line_and_no_kit_frame.py:10: ",
            "E * django_integration_kit.services.http.UnmatchedRequestError: GET "
            "https://api.weather.example/v1/current matches no route mocked by mock_http().*",
        ]
    )


def test_pytest_full_trace_shows_the_kit_frames(django_pytester):
    django_pytester.makepyfile(FAILING_TESTS)

    result = django_pytester.runpytest_subprocess("-q", "-p", "no:randomly", "--full-trace")

    result.assert_outcomes(failed=3)
    result.stdout.fnmatch_lines(["*django_integration_kit/flows.py:*", "*services/http.py:*"])


# unittest, through Django's runner

UNITTEST_MODULE = """
from django_integration_kit import IntegrationTestCase


class LoginTests(IntegrationTestCase):
    def test_wrong_password(self):
        self.make_user(username="alex", password="Kit-right-123")
        self.login("alex", "Kit-wrong-456")
"""


def run_django_tests(tmp_path, **env):
    (tmp_path / "kit_frames_tests.py").write_text(UNITTEST_MODULE)
    environ = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        **env,
    }
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, str(TESTPROJECT / "manage.py"), "test", "kit_frames_tests"],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )


def test_unittest_shows_the_tests_line_and_no_kit_frame(tmp_path):
    result = run_django_tests(tmp_path)

    # Python 3.13 marks the failing call with a line of ~ and ^ under it.
    lines = [line for line in result.stderr.splitlines() if line.strip(" ~^")]
    start = lines.index("Traceback (most recent call last):")
    assert lines[start : start + 4] == [
        "Traceback (most recent call last):",
        f'  File "{tmp_path / "kit_frames_tests.py"}", line 8, in test_wrong_password',
        '    self.login("alex", "Kit-wrong-456")',
        "AssertionError: login() failed: POST /login/ answered 200 with form errors. The site "
        "rejected the credentials: username 'alex' with a password of 13 characters (not "
        "shown). Check both: a user from make_user() has its password at user.raw_password.",
    ]
    assert KIT_FRAME not in result.stderr


def test_unittest_shows_the_kit_frames_with_kit_show_frames(tmp_path):
    result = run_django_tests(tmp_path, KIT_SHOW_FRAMES="1")

    assert f"{KIT_FRAME}flows.py" in result.stderr
