"""Sign up, log in, log out and check login walls through the project's real pages.

Each flow is written once, as steps (:mod:`django_integration_kit._steps`): the Django test
client, ``AsyncClient`` and the browser of ``BrowserTestCase`` all drive the same code.
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

from django_integration_kit import _frames, _report, _urls, conf
from django_integration_kit._form_html import read_forms
from django_integration_kit._steps import ClientCall, Request, SessionUser, Steps, Submit, run
from django_integration_kit._urls import resolve_url
from django_integration_kit.builders import make_user, unique_email, unique_username
from django_integration_kit.client import exchange_of
from django_integration_kit.forms import HtmlForm, choose_form, submission

_frames.hide(globals())

_values = itertools.count(1)
_USERNAME_NAME = re.compile(r"(^|[-_])(user_?name|user|login|handle)$", re.IGNORECASE)
_EMAIL_NAME = re.compile(r"(^|[-_])e-?mail(_?address)?$", re.IGNORECASE)
_TEXT_KINDS = frozenset({"text", "email", "tel", "url", "search"})


def _strong_password() -> str:
    return f"Kit-{secrets.token_urlsafe(9)}-7q!"


def _flow_path(flow: str, url: str | None, owner: object | None) -> str:
    """The path ``flow`` opens: ``url``, else its setting, else the one URL name that fits."""
    if url:
        return resolve_url(url)
    path = _urls.flow_path(flow, owner)
    assert path is not None, f"{flow}() has no page"
    return path


def _get_page(path: str, flow: str) -> Steps[Any]:
    response = yield Request("get", path)
    if response.status_code != 200:
        location = response.headers.get("Location") if 300 <= response.status_code < 400 else None
        hint = ""
        if location and flow in ("login", "signup") and (yield SessionUser(response)):
            hint = (
                " The client is already logged in, and the page sent it away: call logout() "
                "first, or use a fresh client."
            )
        elif location:
            hint = (
                f" The page redirected to {location} instead of showing its form; "
                f"{_point_at_the_form(flow)}"
            )
        elif response.status_code == 405:
            allowed = response.headers.get("Allow")
            hint = (
                f" The view does not accept GET{f' (it allows {allowed})' if allowed else ''}, "
                f"so it is not the page with the form; {_point_at_the_form(flow)}"
            )
        raise AssertionError(
            _report.story(
                f"{flow}() could not open its page: GET {path} answered "
                f"{response.status_code}{f' -> {location}' if location else ''}, expected 200."
                + hint,
                [response],
            )
        )
    return response


def _point_at_the_form(flow: str) -> str:
    return f"point url= (or INTEGRATION_KIT['{flow.upper()}_URL']) at the page with the form."


def _forms_of(response: Any, path: str) -> list[HtmlForm]:
    return read_forms(response.content, path)


def _password_form(response: Any, path: str, flow: str, password_count: int) -> HtmlForm:
    forms = _forms_of(response, path)
    candidates = [form for form in forms if form.password_fields]
    if not candidates:
        found = ", ".join(form.describe() for form in forms) or "none"
        raise AssertionError(
            _report.story(
                f"{flow}() found no form with a password field on GET {path} "
                f"(forms on the page: {found}).",
                [response],
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
    if "user" in name.lower() or _USERNAME_NAME.search(name):
        return unique_username()
    if kind in ("checkbox", "radio"):
        return True
    if kind == "select":
        choices = [value for value in form.options.get(name, []) if value]
        # With nothing to choose yet (a list a script fills in), the select is left as it is:
        # a browser sends its placeholder's empty value, or nothing.
        return choices[0] if choices else None
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


def _fail(
    flow: str,
    responses: list[Any],
    payload: Mapping[str, Any],
    secrets: list[str],
    hint: str = "",
) -> None:
    response = responses[-1]
    errors = " with form errors" if _report.form_errors(response) else ""
    raise AssertionError(
        _report.story(
            f"{flow}() failed: {_method(response)} {_path(response)} answered "
            f"{response.status_code}{errors}.{hint}",
            responses,
            dict(payload),
            secrets,
        )
    )


def _form_words(form: HtmlForm) -> str:
    """``form #login (POST /login/)``, or ``form (POST /login/)`` for a page's only form."""
    label = "" if form.label == "form" else f" {form.label}"
    return f"form{label} ({form.method.upper()} {form.action})"


def _method(response: Any) -> str:
    return exchange_of(response).method


def _path(response: Any) -> str:
    return exchange_of(response).path


# signup


def signup(client: Any, *, url: str | None = None, **fields: Any) -> Any:
    """Sign up through the project's signup form; return the new user with ``raw_password``.

    With an ``AsyncClient``, return an awaitable of the user.
    """
    owner = conf.owner_of(client)
    return run(client, lambda: _signup(owner, url, fields))


def _signup(owner: object, url: str | None, fields: dict[str, Any]) -> Steps[Any]:
    path = _flow_path("signup", url, owner)
    page = yield from _get_page(path, "signup")
    form = _password_form(page, path, "signup", password_count=2)
    _refuse_login_form(form, page, path, owner)
    data, raw_password = _signup_data(form, fields, owner)
    submit = submission(form, data, flow="signup", secrets=[raw_password])
    with _created_users() as created:
        response = yield submit
    return _signed_up_user([page, response], submit, raw_password, created)


def _refuse_login_form(form: HtmlForm, page: Any, path: str, owner: object) -> None:
    """A form whose one password field a browser would fill with a saved password is a login
    form: signing up through it would only fail later with a misleading form error."""
    if len(form.password_fields) != 1:
        return
    (password,) = form.password_fields
    autocomplete = form.autocomplete.get(password, "")
    if autocomplete != "current-password":
        return
    raise AssertionError(
        _report.story(
            f"signup() found a login form, not a signup form, on GET {path}: "
            f"its {_form_words(form)} has one password field, {password!r}, marked "
            "autocomplete=\"current-password\". Point INTEGRATION_KIT['SIGNUP_URL'] (or "
            "signup_url on the test class, or url=) at the signup page.",
            [page],
        )
    )


@contextmanager
def _created_users() -> Iterator[list[Any]]:
    """Collect the users created inside the block: the only users a signup may return."""
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


def _is_identity_field(form: HtmlForm, name: str) -> bool:
    """A username or email field, which a signup form needs filled even when the HTML does
    not mark it ``required`` (a hand-written template rarely does)."""
    from django.contrib.auth import get_user_model

    if form.types.get(name) not in _TEXT_KINDS:
        return False
    username_field = get_user_model().USERNAME_FIELD
    return bool(
        name == username_field
        or name.endswith(f"-{username_field}")
        or _USERNAME_NAME.search(name)
        or _EMAIL_NAME.search(name)
    )


def _signup_data(
    form: HtmlForm, fields: dict[str, Any], owner: object
) -> tuple[dict[str, Any], str]:
    """What signup types into ``form``, and the raw password: the given fields, the password in
    every password field, and unique values for the required and username/email fields left
    out."""
    configured = [n for n in conf.get_setting("SIGNUP_PASSWORD_FIELDS", owner) if n in form.types]
    password_fields = list(dict.fromkeys([*configured, *form.password_fields]))
    # A field given by its plain name fills the form's field behind a prefix (Oscar's
    # registration-email), as a user reads the label, not the name.
    data = {
        name if name == "password" else _field_named(form, name) or name: value
        for name, value in fields.items()
    }
    given = [data[name] for name in password_fields if data.get(name)]
    raw_password = str(data.pop("password", None) or (given[0] if given else _strong_password()))
    for name in password_fields:
        data.setdefault(name, raw_password)
    for name in form.names:
        if name in data or name in form.locked or any(form.values.get(name, [])):
            continue
        if name in form.required or _is_identity_field(form, name):
            value = _unique_value(form, name)
            if value is not None:
                data[name] = value
    return data, raw_password


def _signed_up_user(
    responses: list[Any],
    submit: Submit,
    raw_password: str,
    created: list[Any],
) -> Any:
    """The user a signup submission created (the last of ``created``), with ``raw_password``;
    fails with the story of ``responses`` when the submission failed or created no user."""
    response = responses[-1]
    # Every password field's value is a secret, a password2 that differs from password1 too.
    secrets = [raw_password, *submit.secrets]
    if not _succeeded(response):
        _fail("signup", responses, submit.payload, secrets)
    if not created:
        raise AssertionError(
            _report.story(
                f"signup() submitted the form and {_method(response)} {_path(response)} "
                f"answered {response.status_code} without form errors, but no user was "
                "created. Is this the signup page? Point INTEGRATION_KIT['SIGNUP_URL'] (or "
                "url=) at it.",
                responses,
                dict(submit.payload),
                secrets,
            )
        )
    user = created[-1]
    user.raw_password = raw_password
    return user


# login


def login(client: Any, username: str, password: str, *, url: str | None = None) -> Any:
    """Log in through the project's login form; return the response to the submission.

    With an ``AsyncClient``, return an awaitable of the response.
    """
    owner = conf.owner_of(client)
    return run(client, lambda: _login(owner, username, password, url))


def _login(owner: object, username: str, password: str, url: str | None) -> Steps[Any]:
    path = _flow_path("login", url, owner)
    page = yield from _get_page(path, "login")
    form = _password_form(page, path, "login", password_count=1)
    submit = submission(
        form, _login_data(form, username, password, owner), flow="login", secrets=[password]
    )
    response = yield submit
    if not _succeeded(response):
        _fail(
            "login",
            [page, response],
            submit.payload,
            [password, *submit.secrets],
            _rejected(response, username, password),
        )
    if (yield SessionUser(response)) is None and _uses_sessions():
        raise AssertionError(_not_logged_in(page, response, submit.payload, submit.secrets))
    return response


def _rejected(response: Any, username: str, password: str) -> str:
    """What a login form's error about the whole form means: the credentials were refused. The
    password's length tells a typo or a stale fixture apart without showing it."""
    if not any(name == "__all__" for name, _ in _report.form_errors(response)):
        return ""
    characters = "character" if len(password) == 1 else "characters"
    return (
        f" The site rejected the credentials: username {username!r} with a password of "
        f"{len(password)} {characters} (not shown). Check both: a user from make_user() has its "
        "password at user.raw_password."
    )


def _not_logged_in(
    page: Any, response: Any, payload: Mapping[str, Any], secrets: Sequence[str]
) -> str:
    where = f"{_method(response)} {_path(response)}"
    location = response.headers.get("Location") if 300 <= response.status_code < 400 else None
    step_form = _next_step_form(response) if location is None else None
    if location is not None:
        title = (
            f"login() was sent on to a second step: {where} answered {response.status_code} -> "
            f"{location}, and the client is not logged in yet (no user in its session)."
        )
    elif step_form is not None:
        fields = ", ".join(step_form.typed_fields)
        title = (
            f"login() got a second step: {where} answered {response.status_code} with a form "
            f"asking for {fields} ({step_form.method.upper()} {step_form.action}), and the "
            "client is not logged in yet (no user in its session)."
        )
    else:
        title = (
            "login() submitted the form and got no error, but the client is not logged in "
            "afterwards (no user in its session)."
        )
        return _report.story(title, [page, response], dict(payload), secrets)
    return _report.story(
        title + " A two-factor or multi-step login? Log in with login_as() to skip it, or "
        "drive the step with submit_form().",
        [page, response],
        dict(payload),
        secrets,
    )


def _next_step_form(response: Any) -> HtmlForm | None:
    if "html" not in response.headers.get("Content-Type", ""):
        return None
    forms = [
        form
        for form in _forms_of(_report.hops([response])[-1], _path(response))
        # A form asking for the password again is the login form, not a next step.
        if form.method == "post" and form.typed_fields and not form.password_fields
    ]
    return forms[0] if len(forms) == 1 else None


def _field_named(form: HtmlForm, name: str, kinds: frozenset[str] | None = None) -> str | None:
    """``name``, or the form's one field that is ``name`` under a form prefix (``auth-name``)."""
    if name in form.types:
        return name
    prefixed = [
        n
        for n in form.names
        if n.endswith(f"-{name}") and (kinds is None or form.types.get(n) in kinds)
    ]
    return prefixed[0] if len(prefixed) == 1 else None


def _login_data(form: HtmlForm, username: str, password: str, owner: object) -> dict[str, str]:
    """What login types into ``form``: the credentials under the ``LOGIN_FIELDS`` names (also
    behind a form prefix); without such names, the form's only text and password fields."""
    username_name, password_name = conf.get_setting("LOGIN_FIELDS", owner)
    user_field = _field_named(form, username_name, _TEXT_KINDS)
    password_field = _field_named(form, password_name, frozenset({"password"}))
    if (username_name, password_name) == conf.DEFAULTS["LOGIN_FIELDS"]:
        texts = [n for n in form.names if form.types.get(n) in _TEXT_KINDS]
        if user_field is None and len(texts) == 1:
            user_field = texts[0]
        if password_field is None and len(form.password_fields) == 1:
            password_field = form.password_fields[0]
    for wanted, found in ((username_name, user_field), (password_name, password_field)):
        if found is None:
            raise AssertionError(
                f"The login {_form_words(form)} has no field {wanted!r}; its fields are: "
                f"{', '.join(form.names)}. Set INTEGRATION_KIT['LOGIN_FIELDS'] (or "
                "login_fields on the test class) to the form's username and password names."
            )
    return {str(user_field): username, str(password_field): password}


def _uses_sessions() -> bool:
    from django.apps import apps

    return apps.is_installed("django.contrib.sessions")


# login_as


def login_as(client: Any, user: Any = None, **user_fields: Any) -> Any:
    """Log ``user`` in without a password; with no user, make one with ``make_user``."""
    if user is not None and user_fields:
        raise TypeError("login_as() takes a user or fields to make one with, not both.")
    if user is not None:
        _check_saved_user(user)
    return run(client, lambda: _login_as(user, user_fields))


def _check_saved_user(user: Any) -> None:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    if not isinstance(user, user_model):
        raise TypeError(
            f"login_as() takes a {user_model.__name__} instance, not {type(user).__name__} "
            f"{user!r}; fetch the user first, or pass fields to make one: "
            "login_as(client, username=...)."
        )
    if user._state.adding:
        raise ValueError(
            f"login_as() got an unsaved user {user!r}; save it first (user.save()), or use "
            "make_user()."
        )


def _login_as(user: Any, user_fields: dict[str, Any]) -> Steps[Any]:
    if user is None:
        user = make_user(**user_fields)
    yield ClientCall("force_login", (user,))
    return user


# logout


def logout(client: Any) -> Any:
    """Log out the way the project does: POST to its logout view, else end the session.

    With an ``AsyncClient``, return an awaitable.
    """
    return run(client, lambda: _logout(conf.owner_of(client)))


def _logout(owner: object) -> Steps[None]:
    path = _urls.flow_path("logout", owner)
    if path is None:
        # The site has no logout view to go through: end the session as the client can.
        yield ClientCall("logout")
        return
    response = yield Request("post", path, csrf_header=True)
    status = response.status_code
    if status >= 400:
        state = f"answered {status}"
    elif (yield SessionUser(response)) is not None:
        state = f"answered {status} but left the client logged in"
    else:
        return
    raise AssertionError(
        _report.story(
            f"logout() failed: POST {path} {state}. Is it the logout view? Set "
            "INTEGRATION_KIT['LOGOUT_URL'] (or logout_url on the test class).",
            [response],
        )
    )


# assert_login_required


def assert_login_required(
    client: Any,
    target: str,
    *args: Any,
    method: str = "get",
    status: int | None = None,
    login_url: str | None = None,
    **kwargs: Any,
) -> Any:
    """An anonymous request to ``target`` is sent to the login page (``login_url=``, else
    ``LOGIN_URL``); a ``?next=`` in that redirect must name ``target``.

    With ``status=`` (401 or 403), answering that status counts as success too. With an
    ``AsyncClient``, return an awaitable.
    """
    _check_method_and_status(method, status)
    path = resolve_url(target, *args, **kwargs)
    owner = conf.owner_of(client)
    noun = getattr(client, "kit_noun", "client")
    return run(
        client, lambda: _assert_login_required(owner, noun, path, method, status, login_url)
    )


_HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")


def _check_method_and_status(method: object, status: object) -> None:
    if not isinstance(method, str) or method.lower() not in _HTTP_METHODS:
        raise (ValueError if isinstance(method, str) else TypeError)(
            f"assert_login_required() takes method= an HTTP method, one of "
            f"{', '.join(repr(m) for m in _HTTP_METHODS)}; got {method!r}."
        )
    if status is None:
        return
    if isinstance(status, bool) or not isinstance(status, int):
        hint = (
            f" Pass status={int(status)}." if isinstance(status, str) and status.isdigit() else ""
        )
        raise TypeError(
            "assert_login_required() takes status= the int status code a login wall may "
            f"answer instead of redirecting (401 or 403), not {type(status).__name__} "
            f"{status!r}.{hint}"
        )
    if not 400 <= status <= 499:
        raise ValueError(
            "assert_login_required() takes status= the status code a login wall may answer "
            f"instead of redirecting, a 4xx such as 401 or 403; got {status}."
        )


def _assert_login_required(
    owner: object,
    noun: str,
    path: str,
    method: str,
    status: int | None,
    login_url: str | None,
) -> Steps[None]:
    if (yield SessionUser()) is not None:
        raise AssertionError(
            f"assert_login_required() needs an anonymous {noun}, but this one is logged in; "
            "call logout() first or use a fresh one."
        )
    response = yield Request(method.lower(), path, csrf_header=method.lower() != "get")
    _check_login_redirect(response, _flow_path("login", login_url, owner), path, method, status)


def _check_login_redirect(
    response: Any,
    login_url: str,
    path: str,
    method: str = "get",
    status: int | None = None,
) -> None:
    """``response`` (to an anonymous request for ``path``) redirects to ``login_url`` (with
    ``?next=path`` if it has a ``next``), or answers ``status``; else fail saying what it did."""
    code = response.status_code
    location = response.headers.get("Location", "") if 300 <= code < 400 else ""
    request = f"{method.upper()} {path}"
    if location:
        verdict = _login_redirect_verdict(location, login_url, path)
        if verdict is None:
            return
        title = f"{request} redirected to {location}, {verdict}"
    elif status is not None and code == status:
        return
    else:
        expected = f"a redirect to the login page {login_url}"
        if status is not None:
            expected += f" or a {status}"
        title = f"{request} is not login-protected: it answered {code}, expected {expected}."
    raise AssertionError(_report.story(title, [response]))


def _next_fits(value: str, path: str, login_site: str) -> bool:
    """Whether ``next`` names ``path``: the path itself or, with a login page on another site
    (Django's redirect_to_login() then sends the whole URL), the same path on this one."""
    if value == path:
        return True
    parts = urlsplit(value)
    return (
        bool(login_site and parts.netloc)
        and urlunsplit(parts._replace(scheme="", netloc="")) == path
    )


def _login_redirect_verdict(location: str, login_url: str, path: str) -> str | None:
    """None when ``location`` is the login page with a fitting ``next``; else what is wrong."""
    got, want = urlsplit(location), urlsplit(login_url)
    same_site = not want.netloc or (got.scheme, got.netloc) == (want.scheme, want.netloc)
    if same_site and got.path == want.path:
        nexts = parse_qs(got.query).get("next")
        if nexts is None or (len(nexts) == 1 and _next_fits(nexts[0], path, want.netloc)):
            return None
        return f"the login page, but with next={nexts[0]!r} instead of {path!r}."
    if _urls.is_flow_page("login", got.path):
        return (
            f"which looks like another login page than LOGIN_URL ({login_url}): the page is "
            "protected by a login page the kit was not told of. If that is the right one, set "
            "LOGIN_URL (or INTEGRATION_KIT['LOGIN_URL'], login_url on the test class, or "
            "login_url=) to it."
        )
    return f"not to the login page {login_url}."
