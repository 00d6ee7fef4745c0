"""``BrowserTestCase``: the kit's flows driven in a real headless Chromium through Playwright.

Importing this module needs neither Playwright nor a browser: a test case that finds either
missing skips, with a message that says what to install.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import sys
import unittest
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn
from urllib.parse import urlsplit

from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from django_integration_kit import _defaults, _report, builders, conf, flows
from django_integration_kit._urls import resolve_url
from django_integration_kit.client import exchange_of
from django_integration_kit.forms import HtmlForm, fill, page_path, parse_forms
from django_integration_kit.services import http, mail

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Error,
        Locator,
        Page,
        Playwright,
        Response,
    )

DEFAULT_EXECUTABLE = "/usr/bin/chromium"
EXECUTABLE_NAMES = ("chromium", "chromium-browser", "google-chrome")
BROWSER_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
)
ARTIFACTS_DIR = "browser-artifacts"

NO_PLAYWRIGHT = (
    "Playwright is not installed: pip install playwright (the browser tests drive a system "
    "Chromium, so `playwright install` is not needed)."
)
NO_BROWSER = (
    "No Chromium found for the browser tests: install it (Debian/Ubuntu: apt-get install "
    "chromium) or set KIT_BROWSER (or INTEGRATION_KIT['BROWSER_EXECUTABLE']) to a Chromium or "
    "Chrome executable."
)

_ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
_SUBMIT_BUTTONS = "button:not([type]), button[type=submit], input[type=submit], input[type=image]"
_REFUSED_FIELDS_JS = """form => form.noValidate ? [] : Array.from(form.elements)
    .filter(el => el.willValidate && !el.checkValidity())
    .map(el => `${el.name || el.id || el.tagName.toLowerCase()}: ${el.validationMessage}`)"""


def find_browser(owner: object | None = None) -> str | None:
    """The Chromium the browser tests launch, or None when there is none.

    Looks at ``KIT_BROWSER``, then ``INTEGRATION_KIT["BROWSER_EXECUTABLE"]`` (or the
    ``browser_executable`` attribute of ``owner``), then /usr/bin/chromium, then chromium,
    chromium-browser and google-chrome on ``PATH``.
    """
    from django.core.exceptions import ImproperlyConfigured

    for where, configured in (
        ("KIT_BROWSER", os.environ.get("KIT_BROWSER")),
        ("INTEGRATION_KIT['BROWSER_EXECUTABLE']", conf.get_setting("BROWSER_EXECUTABLE", owner)),
    ):
        if configured:
            found = _executable(str(configured))
            if found is None:
                raise ImproperlyConfigured(
                    f"{where} is {str(configured)!r}, which is not an executable file or a "
                    "program on PATH; point it at a Chromium or Chrome executable, or unset it "
                    "to use /usr/bin/chromium."
                )
            return found
    for candidate in (DEFAULT_EXECUTABLE, *EXECUTABLE_NAMES):
        found = _executable(candidate)
        if found is not None:
            return found
    return None


def _executable(name: str) -> str | None:
    if os.sep in name:
        return name if os.path.isfile(name) and os.access(name, os.X_OK) else None
    return shutil.which(name)


def _unavailable_reason(owner: object | None) -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return NO_PLAYWRIGHT
    return None if find_browser(owner) else NO_BROWSER


def _require_browser(owner: object | None) -> str:
    reason = _unavailable_reason(owner)
    if reason is None:
        return str(find_browser(owner))
    if os.environ.get("KIT_BROWSER_REQUIRED", "").lower() in ("1", "true", "yes"):
        raise RuntimeError(
            f"{reason} KIT_BROWSER_REQUIRED is set, so this is an error, not a skip."
        )
    raise unittest.SkipTest(reason)


def _launch_args(owner: type[StaticLiveServerTestCase]) -> list[str]:
    args = list(BROWSER_ARGS)
    if conf.get_setting("BLOCK_NETWORK", owner):
        # Chromium runs outside the process block_network() guards; with no name resolving
        # but the live server's, the pages can reach no other host either.
        args.append(f"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE {owner.host}")
    return args


def _restore_env(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def artifacts_folder(test_id: str) -> Path:
    """Where a failing browser test's screenshot and HTML go: ``$KIT_BROWSER_ARTIFACTS/<test id>``."""
    base = Path(os.environ.get("KIT_BROWSER_ARTIFACTS") or ARTIFACTS_DIR)
    return (base / re.sub(r"[^A-Za-z0-9_.-]+", "_", test_id)).resolve()


def _add_note(error: BaseException, note: str) -> None:
    if sys.version_info >= (3, 11):
        error.add_note(note)
    elif error.args and isinstance(error.args[0], str):
        error.args = (f"{error.args[0]}\n\n{note}", *error.args[1:])
    else:
        error.args = (*error.args, note)


def _saved(label: str, path: Path, save: Callable[[Path], None]) -> str:
    try:
        save(path)
    except Exception as error:
        first_line = (str(error).splitlines() or [type(error).__name__])[0]
        return f"  {label} not saved: {first_line}"
    return f"  {label}: {path}"


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _PageResponse:
    """One answer the browser got, shaped like the Django test responses the messages read."""

    context = None

    def __init__(
        self, method: str, url: str, status: int, location: str | None, content: bytes = b""
    ) -> None:
        parts = urlsplit(url)
        self.request = {
            "REQUEST_METHOD": method,
            "PATH_INFO": parts.path or "/",
            "QUERY_STRING": parts.query,
        }
        self.status_code = status
        self.headers = {"Content-Type": "text/html; charset=utf-8"}
        if location:
            self.headers["Location"] = location
        self.content = content
        self.redirect_chain: list[tuple[str, int]] = []


class BrowserTestCase(StaticLiveServerTestCase):
    """``StaticLiveServerTestCase`` with a headless Chromium page at ``self.page`` and the kit's
    flows typed into the real pages: one browser per class, a fresh context per test.

    A failing test leaves a screenshot and the page's HTML under ``KIT_BROWSER_ARTIFACTS``
    (default ./browser-artifacts/<test id>/), named in the failure with the console errors.
    """

    browser: ClassVar[Browser]
    context: BrowserContext
    page: Page
    console_errors: list[str]
    _playwright: ClassVar[Playwright]

    @classmethod
    def setUpClass(cls) -> None:
        executable = _require_browser(cls)
        cls.addClassCleanup(_restore_env, _ASYNC_UNSAFE, os.environ.get(_ASYNC_UNSAFE))
        # Playwright's sync API keeps an asyncio event loop running in this thread, so Django
        # would refuse every ORM call from the test (SynchronousOnlyOperation) although nothing
        # runs concurrently: allow them for this class only.
        os.environ[_ASYNC_UNSAFE] = "true"
        defaults = _defaults.kit_defaults(cls)
        defaults.__enter__()
        cls.addClassCleanup(defaults.__exit__, None, None, None)
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls._playwright = sync_playwright().start()
        cls.addClassCleanup(cls._playwright.stop)
        cls.browser = cls._playwright.chromium.launch(
            executable_path=executable, args=_launch_args(cls)
        )
        cls.addClassCleanup(cls.browser.close)

    def run(self, result: unittest.TestResult | None = None) -> unittest.TestResult | None:
        with self._instrumented():
            return super().run(result)

    def debug(self) -> None:
        with self._instrumented():
            super().debug()

    @contextmanager
    def _instrumented(self) -> Iterator[None]:
        """Open the page before ``setUp`` and save artifacts when the test method raises."""
        name = self._testMethodName
        set_up = self.setUp
        method = getattr(self, name)
        self.setUp = self._with_page(set_up)  # type: ignore[method-assign]
        setattr(self, name, self._with_artifacts(method))
        try:
            yield
        finally:
            del self.setUp
            self.__dict__.pop(name, None)

    def _with_page(self, set_up: Callable[[], None]) -> Callable[[], None]:
        @functools.wraps(set_up)
        def set_up_with_page() -> None:
            self.addCleanup(self._close_page)
            self._open_page()
            set_up()

        return set_up_with_page

    def _open_page(self) -> None:
        _defaults.per_test_setup(type(self))
        self.console_errors = []
        self.context = self.browser.new_context(base_url=self.live_server_url, locale="en-US")
        self.page = self.context.new_page()
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)

    def _close_page(self) -> None:
        context = self.__dict__.get("context")
        if context is not None:
            context.close()

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            url = message.location.get("url")
            if urlsplit(url).path == "/favicon.ico":
                # The browser asks for /favicon.ico on its own; a site without one has no error.
                return
            # Playwright counts lines from 0; editors and tracebacks count from 1.
            line = int(message.location.get("lineNumber") or 0) + 1
            where = f" ({url}:{line})" if url else ""
            self.console_errors.append(f"console.error: {message.text}{where}")

    def _on_page_error(self, error: Error) -> None:
        self.console_errors.append(f"uncaught {error.name or 'Error'}: {error.message}")

    def _with_artifacts(self, method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def run_with_artifacts(*args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            except unittest.SkipTest:
                raise
            except Exception as error:
                expected = getattr(method, "__unittest_expecting_failure__", False) or getattr(
                    self, "__unittest_expecting_failure__", False
                )
                if not expected and "page" in self.__dict__:
                    _add_note(error, self._save_artifacts())
                raise

        return run_with_artifacts

    def _save_artifacts(self) -> str:
        folder = artifacts_folder(self.id())
        lines = [f"Browser artifacts saved in {folder}{os.sep}"]
        try:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            lines = [f"Browser artifacts could not be saved in {folder}: {error}"]
        lines.append(_saved("screenshot", folder / "screenshot.png", self._screenshot))
        lines.append(_saved("page HTML", folder / "page.html", self._write_html))
        lines.append(f"  page URL: {self.page.url}")
        # Read the errors last: the calls above let Playwright deliver pending console events.
        if self.console_errors:
            lines.append(f"Browser console errors ({len(self.console_errors)}):")
            lines.extend(f"  {entry}" for entry in self.console_errors)
        else:
            lines.append("Browser console errors: none.")
        return "\n".join(lines)

    def _screenshot(self, path: Path) -> None:
        self.page.screenshot(path=path, full_page=True)

    def _write_html(self, path: Path) -> None:
        path.write_text(self.page.content(), encoding="utf-8")

    # Pages and answers

    def url(self, target: str, *args: Any, **kwargs: Any) -> str:
        """The path of a URL name (strictly resolved) or a literal path."""
        return resolve_url(target, *args, **kwargs)

    def visit(self, target: str, *args: Any, **kwargs: Any) -> Response | None:
        """Open ``target`` (a URL name, with args, or a path) in the page; return the response."""
        return self.page.goto(resolve_url(target, *args, **kwargs))

    def _hops(self, response: Response | None) -> list[_PageResponse]:
        """Every answer behind ``response``, redirects first; the last one holds the page."""
        if response is None:
            return [_PageResponse("GET", self.page.url, 0, None, self.page.content().encode())]
        requests = []
        request: Any = response.request
        while request is not None:
            requests.append(request)
            request = request.redirected_from
        hops = []
        for hop in reversed(requests[1:]):
            answer = hop.response()
            status = answer.status if answer is not None else 0
            location = answer.header_value("location") if answer is not None else None
            hops.append(_PageResponse(hop.method, hop.url, status, location))
        final = _PageResponse(
            response.request.method,
            response.url,
            response.status,
            None,
            self.page.content().encode(),
        )
        final.redirect_chain = [(hop.headers.get("Location", ""), hop.status_code) for hop in hops]
        return [*hops, final]

    def _open(self, path: str, flow: str) -> _PageResponse:
        hops = self._hops(self.page.goto(path))
        first = hops[0]
        if first.status_code != 200:
            location = first.headers.get("Location")
            raise AssertionError(
                _report.describe(
                    f"{flow}() could not open its page: GET {path} answered "
                    f"{first.status_code}{f' -> {location}' if location else ''}, expected 200.",
                    [exchange_of(hop) for hop in hops],
                    hops[-1],
                )
            )
        return hops[-1]

    def _password_form(
        self, opened: _PageResponse, flow: str, password_count: int
    ) -> tuple[HtmlForm, Locator]:
        path = page_path(opened)
        form = flows._password_form(opened, path, flow, password_count)
        index = parse_forms(opened.content, path).index(form)
        return form, self.page.locator("form").nth(index)

    def _type(self, node: Locator, form: HtmlForm, name: str, value: Any) -> None:
        kind = form.types[name]
        field = node.locator(f"[name={_css_string(name)}]")
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        if kind in ("checkbox", "radio"):
            if value is None or value is False:
                if kind == "checkbox":
                    for box in field.all():
                        box.uncheck()
            elif value is True:
                field.first.check()
            else:
                for choice in values:
                    field.and_(node.locator(f"[value={_css_string(str(choice))}]")).check()
        elif kind == "select":
            field.first.select_option([str(choice) for choice in values])
        elif kind == "file":
            field.first.set_input_files(value)
        elif kind == "hidden":
            field.first.evaluate("(el, value) => { el.value = value; }", str(value))
        else:
            field.first.fill("" if value is None else str(value))

    def _submit(self, node: Locator, form: HtmlForm, flow: str, secrets: list[str]) -> Response:
        refused = node.evaluate(_REFUSED_FIELDS_JS)
        if refused:
            raise AssertionError(
                _report.mask(
                    f"{flow}() could not submit {form.describe()}: the browser refused it "
                    f"({'; '.join(refused)}). Pass values these fields accept.",
                    secrets,
                )
            )
        button = node.locator(_SUBMIT_BUTTONS).first
        with self.page.expect_navigation() as navigation:
            if button.count():
                button.click()
            else:
                node.evaluate("form => form.requestSubmit()")
        return navigation.value

    def _fill_and_submit(
        self, node: Locator, form: HtmlForm, data: dict[str, Any], flow: str, secrets: list[str]
    ) -> tuple[Response, list[_PageResponse]]:
        for name, value in data.items():
            self._type(node, form, name, value)
        response = self._submit(node, form, flow, secrets)
        return response, self._hops(response)

    # Cookies and sessions

    def _cookie(self, name: str) -> str | None:
        for cookie in self.context.cookies(self.live_server_url):
            if cookie.get("name") == name and cookie.get("value"):
                return str(cookie.get("value"))
        return None

    def _session_user_id(self) -> str | None:
        from importlib import import_module

        from django.conf import settings
        from django.contrib.auth import SESSION_KEY

        key = self._cookie(settings.SESSION_COOKIE_NAME)
        if key is None:
            return None
        user_id = import_module(settings.SESSION_ENGINE).SessionStore(key).get(SESSION_KEY)
        return None if user_id is None else str(user_id)

    def _csrf_headers(self) -> dict[str, str]:
        from django.conf import settings
        from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
        from django.utils.crypto import get_random_string

        token = self._cookie(settings.CSRF_COOKIE_NAME)
        if token is None:
            # A page with {% csrf_token %} would have set the cookie; a request sent with no
            # such page needs one, so make a secret the way Django's middleware does.
            token = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
            self.context.add_cookies(
                [{"name": settings.CSRF_COOKIE_NAME, "value": token, "url": self.live_server_url}]
            )
        header = settings.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-")
        return {header: token}

    def _fetch(self, method: str, path: str) -> list[_PageResponse]:
        headers = {} if method in ("GET", "HEAD", "OPTIONS") else self._csrf_headers()
        answer = self.page.request.fetch(path, method=method, headers=headers, max_redirects=0)
        location = answer.headers.get("location")
        return [_PageResponse(method, answer.url, answer.status, location, answer.body())]

    # Flows

    def signup(self, *, url: str | None = None, **fields: Any) -> Any:
        """Sign up by typing into the project's signup form in the browser and clicking its
        submit button; return the new user with ``raw_password``."""
        owner = type(self)
        opened = self._open(resolve_url(url or conf.get_setting("SIGNUP_URL", owner)), "signup")
        form, node = self._password_form(opened, "signup", password_count=2)
        data, raw_password = flows.signup_data(form, fields, owner)
        payload = fill(form, data)
        _, hops = self._fill_and_submit(node, form, data, "signup", [raw_password])
        return flows.signed_up_user([opened, *hops], payload, raw_password)

    def login(self, username: str, password: str, *, url: str | None = None) -> Response:
        """Log in by typing into the project's login form in the browser; return the response
        of the page the submission ended on (after its redirects)."""
        owner = type(self)
        path = resolve_url(url) if url else flows._login_path(owner)
        opened = self._open(path, "login")
        form, node = self._password_form(opened, "login", password_count=1)
        data = flows.login_data(form, username, password, owner)
        payload = fill(form, data)
        response, hops = self._fill_and_submit(node, form, data, "login", [password])
        if not flows._succeeded(hops[-1]):
            flows._fail("login", [opened, *hops], payload, [password])
        if self._session_user_id() is None and flows._uses_sessions():
            raise AssertionError(
                _report.describe(
                    "login() submitted the form and got no error, but the browser is not logged "
                    "in afterwards (no user in its session).",
                    [exchange_of(hop) for hop in (opened, *hops)],
                    hops[-1],
                    dict(payload),
                    [password],
                )
            )
        return response

    def login_as(self, user: Any = None, **user_fields: Any) -> Any:
        """Log ``user`` in without a form (a saved session and its cookie in the browser, as
        ``Client.force_login`` does); with no user, make one with ``make_user``."""
        from importlib import import_module

        from django.conf import settings
        from django.contrib.auth import load_backend, login
        from django.http import HttpRequest

        if user is None:
            user = builders.make_user(**user_fields)
        elif user_fields:
            raise TypeError("login_as() takes a user or fields to make one with, not both.")
        backend = next(
            path
            for path in settings.AUTHENTICATION_BACKENDS
            if hasattr(load_backend(path), "get_user")
        )
        request = HttpRequest()
        request.session = import_module(settings.SESSION_ENGINE).SessionStore()
        login(request, user, backend)
        request.session.save()
        self.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": str(request.session.session_key),
                    "url": self.live_server_url,
                }
            ]
        )
        return user

    def logout(self) -> None:
        """Log out the way the project does: submit the page's logout form, or POST to the
        logout view; with no logout view, end the session."""
        from django.conf import settings

        target = conf.get_setting("LOGOUT_URL", type(self))
        try:
            path = resolve_url(target) if target else None
        except ValueError:
            if target != conf.DEFAULTS["LOGOUT_URL"]:
                raise
            path = None
        if path is None:
            self.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
            return
        here = self.page.url
        on_site = here.startswith(self.live_server_url)
        forms = parse_forms(self.page.content(), urlsplit(here).path) if on_site else []
        index = next(
            (
                i
                for i, form in enumerate(forms)
                if form.method == "post" and form.action.split("?")[0] == path
            ),
            None,
        )
        if index is None:
            hops = self._fetch("POST", path)
        else:
            node = self.page.locator("form").nth(index)
            hops = self._hops(self._submit(node, forms[index], "logout", []))
        status = hops[0].status_code
        if status >= 400 or self._session_user_id() is not None:
            state = "answered" if status >= 400 else "left the browser logged in after"
            raise AssertionError(
                _report.describe(
                    f"logout() failed: POST {path} {state} {status}.",
                    [exchange_of(hop) for hop in hops],
                    hops[-1],
                )
            )

    def assert_login_required(
        self,
        target: str,
        *args: Any,
        method: str = "get",
        status: int | None = None,
        **kwargs: Any,
    ) -> None:
        """An anonymous browser asking for ``target`` is sent to ``LOGIN_URL`` with ``?next=``.

        With ``status=`` (401 or 403), answering that status counts as success too.
        """
        path = resolve_url(target, *args, **kwargs)
        if self._session_user_id() is not None:
            raise AssertionError(
                "assert_login_required() needs an anonymous browser, but this one is logged in; "
                "call self.logout() first."
            )
        verb = method.upper()
        hops = self._hops(self.page.goto(path)) if verb == "GET" else self._fetch(verb, path)
        login_url = flows._login_path(type(self))
        flows.check_login_redirect(hops[0], hops, login_url, path, verb, status)

    # Builders and services

    def make_user(self, **fields: Any) -> Any:
        """``make_user``: a saved user whose password is at ``user.raw_password``."""
        return builders.make_user(**fields)

    def make(self, model: Any, **attrs: Any) -> Any:
        """model-bakery's ``baker.make``."""
        return builders.make(model, **attrs)

    def prepare(self, model: Any, **attrs: Any) -> Any:
        """model-bakery's ``baker.prepare``."""
        return builders.prepare(model, **attrs)

    def make_recipe(self, name: str, **attrs: Any) -> Any:
        """model-bakery's ``baker.make_recipe``."""
        return builders.make_recipe(name, **attrs)

    @staticmethod
    def mock_http(*, strict: bool = True) -> http.mock_http:
        """``mock_http``: it also answers the live server's requests, which run in this process."""
        return http.mock_http(strict=strict)

    @staticmethod
    def capture_emails() -> mail.capture_emails:
        """``capture_emails``: it also holds the mail the live server sends from this process."""
        return mail.capture_emails()

    def frozen_time(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Not supported in the browser: always raises ``NotImplementedError``.

        The live server would run on the frozen clock and the browser on its own; set the
        browser's clock with ``self.page.clock``.
        """
        raise NotImplementedError(
            "frozen_time() does not work in a BrowserTestCase: the live server would run on "
            "the frozen clock while the browser keeps the real one, so the cookies the server "
            "sets could expire at once. Freeze time in an IntegrationTestCase, or set the "
            "browser's clock with self.page.clock."
        )
