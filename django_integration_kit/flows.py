"""Sign up, log in, log out and check login walls through the project's real pages."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django_integration_kit import _report, conf
from django_integration_kit._steps import ClientCall, Request, Steps, run
from django_integration_kit._urls import resolve_url
from django_integration_kit.builders import make_user, unique_email, unique_username
from django_integration_kit.client import exchange_of
from django_integration_kit.forms import HtmlForm, choose_form, fill, parse_forms, send

_values = itertools.count(1)


def _strong_password() -> str:
    return f"Kit-{secrets.token_urlsafe(9)}-7q!"


def _get_page(path: str, flow: str) -> Steps[Any]:
    response = yield Request("get", path)
    if response.status_code != 200:
        raise AssertionError(
            _report.describe(
                f"{flow}() could not open its page: GET {path} answered "
                f"{response.status_code}, expected 200.",
                [exchange_of(response)],
                response,
            )
        )
    return response


def _password_form(response: Any, path: str, flow: str, password_count: int) -> HtmlForm:
    forms = parse_forms(response.content, path)
    candidates = [form for form in forms if form.password_fields]
    if not candidates:
        found = ", ".join(form.describe() for form in forms) or "none"
        raise AssertionError(
            _report.describe(
                f"{flow}() found no form with a password field on GET {path} "
                f"(forms on the page: {found}).",
                [exchange_of(response)],
                response,
            )
        )
    return choose_form(
        candidates,
        f"GET {path}",
        prefer=lambda form: (
            form.method != "post",
            abs(len(form.password_fields) - password_count),
        ),
    )


def _unique_value(form: HtmlForm, name: str) -> Any:
    kind = form.types.get(name, "text")
    n = next(_values)
    if kind == "email" or "email" in name.lower():
        return unique_email()
    if "user" in name.lower() or name.lower() in ("login", "handle"):
        return unique_username()
    if kind in ("checkbox", "radio"):
        return True
    if kind == "select":
        choices = [value for value in form.options.get(name, []) if value]
        return choices[0] if choices else ""
    return {
        "number": str(n),
        "range": "1",
        "date": "2000-01-01",
        "datetime-local": "2000-01-01T00:00",
        "time": "12:00",
        "url": f"https://example.com/{n}",
        "tel": f"+1555{n:07d}",
    }.get(kind, f"{name}-{n}")


def _succeeded(response: Any) -> bool:
    status = response.status_code
    return 300 <= status < 400 or (200 <= status < 300 and not _report.form_errors(response))


def _fail(flow: str, responses: list[Any], payload: Mapping[str, Any], secrets: list[str]) -> None:
    response = responses[-1]
    exchange = exchange_of(response)
    errors = " with form errors" if _report.form_errors(response) else ""
    raise AssertionError(
        _report.describe(
            f"{flow}() failed: {exchange.method} {exchange.path} answered "
            f"{exchange.status_code}{errors}.",
            [exchange_of(r) for r in responses],
            response,
            dict(payload),
            secrets,
        )
    )


def _logged_in_user_id(client: Any) -> str | None:
    """The user id in the client's session, without creating a session as ``client.session`` does."""
    from django.conf import settings
    from django.contrib.auth import SESSION_KEY

    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if cookie is None or not cookie.value:
        return None
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore(cookie.value)
    user_id = store.get(SESSION_KEY)
    return None if user_id is None else str(user_id)


def _session_user_id(response: Any) -> object | None:
    """The user id in the session of the request ``response`` answered: already loaded, so
    reading it costs no query, unlike reading the client's session."""
    from django.contrib.auth import SESSION_KEY

    request = getattr(response, "wsgi_request", None) or getattr(response, "asgi_request", None)
    session = getattr(request, "session", None)
    return None if session is None else session.get(SESSION_KEY)


def _find_created_user(payload: Mapping[str, Any]) -> Any:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    manager = user_model._default_manager
    username_field = user_model.USERNAME_FIELD
    field_names = {field.name for field in user_model._meta.get_fields()}
    for name in (username_field, "email"):
        value = payload.get(name)
        if value and name in field_names:
            user = manager.filter(**{f"{name}__iexact": value}).first()
            if user is not None:
                return user
    return manager.order_by("-pk").first() if username_field not in payload else None


def signup(client: Any, *, url: str | None = None, **fields: Any) -> Any:
    """Sign up through the project's signup form; return the new user with ``raw_password``.

    With an ``AsyncClient``, return an awaitable of the user.
    """
    owner = conf.owner_of(client)
    return run(client, lambda: _signup(client, owner, url, fields))


def _signup(client: Any, owner: object, url: str | None, fields: dict[str, Any]) -> Steps[Any]:
    path = resolve_url(url or conf.get_setting("SIGNUP_URL", owner))
    page = yield from _get_page(path, "signup")
    form = _password_form(page, path, "signup", password_count=2)
    data, raw_password = signup_data(form, fields, owner)
    payload = fill(form, data)
    with _created_users() as created:
        response = yield send(form, payload)
    return signed_up_user([page, response], payload, raw_password, created)


@contextmanager
def _created_users() -> Iterator[list[Any]]:
    """Collect the users created inside the block, so signup need not query for its user."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_save

    users: list[Any] = []

    def collect(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
        if created:
            users.append(instance)

    user_model = get_user_model()
    post_save.connect(collect, sender=user_model, weak=False, dispatch_uid=id(users))
    try:
        yield users
    finally:
        post_save.disconnect(sender=user_model, dispatch_uid=id(users))


def signup_data(
    form: HtmlForm, fields: dict[str, Any], owner: object
) -> tuple[dict[str, Any], str]:
    """What signup types into ``form``, and the raw password: the given fields, the password in
    every password field, and unique values for the required fields left out."""
    configured = [n for n in conf.get_setting("SIGNUP_PASSWORD_FIELDS", owner) if n in form.types]
    password_fields = list(dict.fromkeys([*configured, *form.password_fields]))
    given = [fields[name] for name in password_fields if fields.get(name)]
    data = dict(fields)
    raw_password = str(data.pop("password", None) or (given[0] if given else _strong_password()))
    for name in password_fields:
        data.setdefault(name, raw_password)
    for name in form.required:
        if name not in data and not any(form.values.get(name, [])):
            data[name] = _unique_value(form, name)
    return data, raw_password


def signed_up_user(
    responses: list[Any],
    payload: Mapping[str, Any],
    raw_password: str,
    created: list[Any] | None = None,
) -> Any:
    """The user a signup submission created (the last of ``created``, else looked up), with
    ``raw_password``; fails with the story of ``responses`` when the submission failed or made
    no user."""
    response = responses[-1]
    if not _succeeded(response):
        _fail("signup", responses, payload, [raw_password])
    user = created[-1] if created else _find_created_user(payload)
    if user is None:
        raise AssertionError(
            _report.describe(
                "signup() submitted the form successfully, but no user with the submitted "
                "username or email exists afterwards.",
                [exchange_of(r) for r in responses],
                response,
                dict(payload),
                [raw_password],
            )
        )
    user.raw_password = raw_password
    return user


def _login_path(owner: object | None) -> str:
    from django.conf import settings

    target = conf.get_setting("LOGIN_URL", owner) or settings.LOGIN_URL
    return str(target) if "://" in str(target) else resolve_url(str(target))


def login(client: Any, username: str, password: str, *, url: str | None = None) -> Any:
    """Log in through the project's login form; return the response to the submission.

    With an ``AsyncClient``, return an awaitable of the response.
    """
    owner = conf.owner_of(client)
    return run(client, lambda: _login(client, owner, username, password, url))


def _login(
    client: Any, owner: object, username: str, password: str, url: str | None
) -> Steps[Any]:
    path = resolve_url(url) if url else _login_path(owner)
    page = yield from _get_page(path, "login")
    form = _password_form(page, path, "login", password_count=1)
    payload = fill(form, login_data(form, username, password, owner))
    response = yield send(form, payload)
    if not _succeeded(response):
        _fail("login", [page, response], payload, [password])
    if _session_user_id(response) is None and _uses_sessions():
        raise AssertionError(
            _report.describe(
                "login() submitted the form and got no error, but the client is not logged in "
                "afterwards (no user in its session).",
                [exchange_of(page), exchange_of(response)],
                response,
                dict(payload),
                [password],
            )
        )
    return response


def login_data(form: HtmlForm, username: str, password: str, owner: object) -> dict[str, str]:
    """What login types into ``form``: the credentials under the ``LOGIN_FIELDS`` names,
    which must be fields of the form."""
    username_field, password_field = conf.get_setting("LOGIN_FIELDS", owner)
    for name in (username_field, password_field):
        if name not in form.types:
            raise AssertionError(
                f"The login form {form.describe()} has no field {name!r}; its fields are: "
                f"{', '.join(form.names)}. Set INTEGRATION_KIT['LOGIN_FIELDS'] (or "
                "login_fields on the test class) to the form's username and password names."
            )
    return {username_field: username, password_field: password}


def _uses_sessions() -> bool:
    from django.apps import apps

    return apps.is_installed("django.contrib.sessions")


def login_as(client: Any, user: Any = None, **user_fields: Any) -> Any:
    """Log ``user`` in without a password; with no user, make one with ``make_user``."""
    if user is not None and user_fields:
        raise TypeError("login_as() takes a user or fields to make one with, not both.")
    return run(client, lambda: _login_as(user, user_fields))


def _login_as(user: Any, user_fields: dict[str, Any]) -> Steps[Any]:
    if user is None:
        user = make_user(**user_fields)
    yield ClientCall("force_login", (user,))
    return user


def logout(client: Any) -> Any:
    """Log out the way the project does: POST to its logout view, else end the session.

    With an ``AsyncClient``, return an awaitable.
    """
    return run(client, lambda: _logout(client, conf.owner_of(client)))


def _logout(client: Any, owner: object) -> Steps[None]:
    from django.conf import settings

    target = conf.get_setting("LOGOUT_URL", owner)
    try:
        path = resolve_url(target) if target else None
    except ValueError:
        if target != conf.DEFAULTS["LOGOUT_URL"]:
            raise
        path = None
    if path is None:
        yield ClientCall("logout")
        return
    token = client.cookies.get(settings.CSRF_COOKIE_NAME)
    headers = {"X-CSRFToken": token.value} if token is not None else {}
    response = yield Request("post", path, headers=headers)
    if response.status_code >= 400 or _session_user_id(response) is not None:
        state = "answered" if response.status_code >= 400 else "left the client logged in after"
        raise AssertionError(
            _report.describe(
                f"logout() failed: POST {path} {state} {response.status_code}.",
                [exchange_of(response)],
                response,
            )
        )


def assert_login_required(
    client: Any,
    target: str,
    *args: Any,
    method: str = "get",
    status: int | None = None,
    **kwargs: Any,
) -> Any:
    """An anonymous request to ``target`` is sent to ``LOGIN_URL`` with ``?next=``.

    With ``status=`` (401 or 403), answering that status counts as success too. With an
    ``AsyncClient``, return an awaitable.
    """
    path = resolve_url(target, *args, **kwargs)
    owner = conf.owner_of(client)
    return run(client, lambda: _assert_login_required(client, owner, path, method, status))


def _assert_login_required(
    client: Any, owner: object, path: str, method: str, status: int | None
) -> Steps[None]:
    if _logged_in_user_id(client) is not None:
        raise AssertionError(
            "assert_login_required() needs an anonymous client, but this one is logged in; "
            "call logout(client) first or use a fresh client."
        )
    response = yield Request(method.lower(), path)
    check_login_redirect(response, [response], _login_path(owner), path, method, status)


def check_login_redirect(
    response: Any,
    responses: list[Any],
    login_url: str,
    path: str,
    method: str = "get",
    status: int | None = None,
) -> None:
    """``response`` (to an anonymous request for ``path``) redirects to ``login_url`` with
    ``?next=``, or answers ``status``; else fail with the story of ``responses``."""
    location = response.headers.get("Location", "") if 300 <= response.status_code < 400 else ""
    if location and _is_login_redirect(location, login_url, path):
        return
    if status is not None and response.status_code == status:
        return
    expected = f"a redirect to {login_url}?next={path}"
    if status is not None:
        expected += f" or a {status}"
    raise AssertionError(
        _report.describe(
            f"{method.upper()} {path} is not login-protected: it answered {response.status_code}"
            + (f" -> {location}" if location else "")
            + f", expected {expected}.",
            [exchange_of(r) for r in responses],
            responses[-1],
        )
    )


def _is_login_redirect(location: str, login_url: str, path: str) -> bool:
    got, want = urlsplit(location), urlsplit(login_url)
    if want.netloc and (got.scheme, got.netloc) != (want.scheme, want.netloc):
        return False
    return got.path == want.path and parse_qs(got.query).get("next") == [path]
