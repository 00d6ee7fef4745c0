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

from django_integration_kit import _defaults, _frames, conf
from django_integration_kit._browser_driver import BrowserDriver
from django_integration_kit._urls import resolve_url
from django_integration_kit.testcases import _KitChecks

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Error,
        Page,
        Playwright,
        Response,
    )

_frames.hide(globals())

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


class BrowserTestCase(_KitChecks, StaticLiveServerTestCase):
    """``StaticLiveServerTestCase`` with a headless Chromium page at ``self.page`` and the kit's
    flows typed into the real pages: one browser per class, a fresh context per test.

    The flows are the very ones the test client runs; ``self.driver`` carries them out in the
    page.

    A failing test leaves a screenshot and the page's HTML under ``KIT_BROWSER_ARTIFACTS``
    (default ./browser-artifacts/<test id>/), named in the failure with the console errors.
    """

    browser: ClassVar[Browser]
    context: BrowserContext
    page: Page
    driver: BrowserDriver
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
        cls.addClassCleanup(_defaults.switch_on(cls), None)
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
        self.driver = BrowserDriver(self.page, self.context, self.live_server_url, type(self))
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

    # Pages

    @property
    def _driver(self) -> BrowserDriver:
        return self.driver

    def visit(self, target: str, *args: Any, **kwargs: Any) -> Response | None:
        """Open ``target`` (a URL name, with args, or a path) in the page; return the response."""
        return self.page.goto(resolve_url(target, *args, **kwargs))

    # Services: mock_http() and capture_emails() cover the live server's requests and mail
    # too, since it runs in this process; the browser's clock cannot be frozen from here.

    @staticmethod
    def frozen_time(when: Any, *, tick: bool = False) -> NoReturn:
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
