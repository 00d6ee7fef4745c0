"""The browser as a driver of the kit's flows: each step done in a Playwright page.

The flows (``flows.py``) decide which page, which form, which fields and button, what counts as
success and what a failure says; this module only carries their steps out in Chromium: a
``Request`` is a navigation (or a fetch, for other methods), a ``Submit`` is typing into the
form and clicking its button, as a user would.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django_integration_kit import _frames, _report
from django_integration_kit._steps import (
    ClientCall,
    Request,
    SessionUser,
    Submit,
    csrf_header_name,
    stored_user_id,
)
from django_integration_kit.forms import parse_forms, submission

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Locator, Page, Response

    from django_integration_kit.forms import HtmlForm

_frames.hide(globals())

_REFUSED_FIELDS_JS = """form => form.noValidate ? [] : Array.from(form.elements)
    .filter(el => el.willValidate && !el.checkValidity())
    .map(el => `${el.name || el.id || el.tagName.toLowerCase()}: ${el.validationMessage}`)"""
# The form's submit buttons in the order form.elements lists them, which counts the buttons
# that join it from outside through form="id" too: SubmitButton.index counts the same way.
_NTH_SUBMIT_BUTTON_JS = """(form, index) => Array.from(form.elements).filter(el =>
    (el.tagName === "BUTTON" && el.type === "submit")
    || (el.tagName === "INPUT" && (el.type === "submit" || el.type === "image")))[index]"""


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class PageResponse:
    """One answer the browser got, shaped like the Django test responses the messages read.

    The first answer to a step carries every answer the browser went through as ``kit_hops``.
    """

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
        self.url = url
        self.status_code = status
        from django.utils.datastructures import CaseInsensitiveMapping

        headers = {"Content-Type": "text/html; charset=utf-8"}
        if location:
            headers["Location"] = location
        # Case-insensitive, as Django's response headers are.
        self.headers = CaseInsensitiveMapping(headers)
        self.content = content
        self.redirect_chain: list[tuple[str, int]] = []
        self.kit_hops: list[PageResponse] = [self]

    def __getitem__(self, header: str) -> str:
        return self.headers[header]


class BrowserDriver:
    """Carries the flows' steps out in ``page``: the browser ``BrowserTestCase`` passes to the
    flows where a test client would go."""

    kit_noun = "browser"

    def __init__(self, page: Page, context: BrowserContext, base_url: str, owner: object) -> None:
        self.page = page
        self.context = context
        self.base_url = base_url
        self.kit_owner = owner

    def kit_perform(self, step: Any) -> Any:
        """Do one step of a flow and return what a test client would have answered."""
        if isinstance(step, Submit):
            return self._submit(step)
        if isinstance(step, Request):
            return self._request(step)
        if isinstance(step, ClientCall):
            return getattr(self, step.name)(*step.args)
        assert isinstance(step, SessionUser)
        return self.session_user_id()

    @property
    def last_response(self) -> PageResponse:
        """The page the browser shows now, as a response."""
        return PageResponse("GET", self.page.url, 200, None, self.page.content().encode())

    # Requests

    def _request(self, step: Request) -> PageResponse:
        method = step.method.upper()
        if method == "GET" and step.data is None:
            return self._answers(self.page.goto(step.path))
        form = self._form_posting_to(step) if step.data is None else None
        if form is not None:
            # The page has the button for this request (a logout form): a user would click it.
            return self._submit(submission(form, {}))
        headers = {**self._csrf_headers(), **step.headers} if step.csrf_header else step.headers
        answer = self.page.request.fetch(
            step.path, method=method, headers=headers, data=step.data, max_redirects=0
        )
        return PageResponse(
            method, answer.url, answer.status, answer.headers.get("location"), answer.body()
        )

    def _form_posting_to(self, step: Request) -> HtmlForm | None:
        """The current page's form that sends just this request (no fields to type), if any."""
        if not self.page.url.startswith(self.base_url):
            return None
        path = urlsplit(self.page.url).path
        for form in parse_forms(self.page.content(), path):
            if (
                form.method == step.method.lower()
                and form.action == step.path
                and not form.typed_fields
            ):
                return form
        return None

    def _answers(self, response: Response | None) -> PageResponse:
        """The first answer behind ``response`` with every answer (redirects first, the page
        last) as its ``kit_hops``."""
        if response is None:
            return PageResponse("GET", self.page.url, 0, None, self.page.content().encode())
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
            hops.append(PageResponse(hop.method, hop.url, status, location))
        final = PageResponse(
            response.request.method,
            response.url,
            response.status,
            None,
            self.page.content().encode(),
        )
        final.redirect_chain = [(hop.headers.get("Location", ""), hop.status_code) for hop in hops]
        hops.append(final)
        hops[0].kit_hops = hops
        return hops[0]

    # Forms

    def _submit(self, step: Submit) -> PageResponse:
        form = step.form
        node = self.page.locator("form").nth(form.index)
        buttons = {button.name for button in form.buttons}
        for name in step.data:
            if name not in buttons:
                self.type_into(node, form, name, step.payload.get(name))
        refused = node.evaluate(_REFUSED_FIELDS_JS)
        if refused:
            raise AssertionError(
                _report.mask(
                    f"{step.flow}() could not submit {form.describe()}: the browser refused it "
                    f"({'; '.join(refused)}). Pass values these fields accept.",
                    step.secrets,
                )
            )
        with self.page.expect_navigation() as navigation:
            if step.button is not None:
                handle = node.evaluate_handle(_NTH_SUBMIT_BUTTON_JS, step.button.index)
                element = handle.as_element()
                assert element is not None, f"no submit button #{step.button.index}"
                element.click()
            else:
                node.evaluate("form => form.requestSubmit()")
        return self._answers(navigation.value)

    def _field(self, node: Locator, form: HtmlForm, name: str) -> Locator:
        selector = f"[name={_css_string(name)}]"
        field = node.locator(selector)
        if form.id:
            # Controls outside the <form> join it with form="id", as they do in the HTML.
            field = field.or_(self.page.locator(f"[form={_css_string(form.id)}]{selector}"))
        return field

    def type_into(self, node: Locator, form: HtmlForm, name: str, value: Any) -> None:
        """Set field ``name`` of ``form`` to ``value`` (what the browser is to send: a string,
        a list of strings, file objects, or None to leave it empty) as a user would."""
        kind = form.types[name]
        field = self._field(node, form, name)
        values = (
            [] if value is None else list(value) if isinstance(value, (list, tuple)) else [value]
        )
        if kind in ("checkbox", "radio"):
            wanted = {str(choice) for choice in values}
            for box in field.all():
                box_value = box.get_attribute("value") or "on"
                if box_value in wanted:
                    box.check()
                elif kind == "checkbox" and box.is_checked():
                    box.uncheck()
        elif kind == "select":
            field.first.select_option([str(choice) for choice in values])
        elif kind == "file":
            field.first.set_input_files([_file_payload(item) for item in values])
        elif kind == "hidden":
            field.first.evaluate("(el, value) => { el.value = value; }", str(value or ""))
        else:
            field.first.fill("" if value is None else str(value))

    # Sessions

    def _cookie(self, name: str) -> str | None:
        for cookie in self.context.cookies(self.base_url):
            if cookie.get("name") == name and cookie.get("value"):
                return str(cookie.get("value"))
        return None

    def session_user_id(self) -> str | None:
        """The id of the user the browser's session cookie logs in, or None."""
        from django.conf import settings

        return stored_user_id(self._cookie(settings.SESSION_COOKIE_NAME))

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
                [{"name": settings.CSRF_COOKIE_NAME, "value": token, "url": self.base_url}]
            )
        return {csrf_header_name(): token}

    def force_login(self, user: Any) -> None:
        """Log ``user`` in without a form: a saved session and its cookie in the browser, as
        ``Client.force_login`` does."""
        from importlib import import_module

        from django.conf import settings
        from django.contrib.auth import load_backend, login
        from django.http import HttpRequest

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
                    "url": self.base_url,
                }
            ]
        )

    def logout(self) -> None:
        """End the session without a logout view: drop the session cookie."""
        from django.conf import settings

        self.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)


def _file_payload(item: Any) -> Any:
    """What Playwright uploads for ``item``: a path as it is, a file object as name and bytes."""
    if isinstance(item, (str, Mapping)) or hasattr(item, "__fspath__"):
        return item
    name = str(getattr(item, "name", "upload")).rsplit("/", 1)[-1]
    if hasattr(item, "seek"):
        item.seek(0)
    content = item.read()
    return {
        "name": name,
        "mimeType": getattr(item, "content_type", None) or "application/octet-stream",
        "buffer": content if isinstance(content, bytes) else str(content).encode(),
    }
