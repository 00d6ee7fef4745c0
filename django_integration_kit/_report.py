"""Failure messages: what happened, in order, with secrets masked."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote, quote_plus, unquote_plus

from selectolax.lexbor import LexborHTMLParser

from django_integration_kit import _frames
from django_integration_kit.client import Exchange, exchange_of, watch, watched

_frames.hide(globals())

MASK = "********"
EXCERPT_CHARS = 600
_SPACE = re.compile(r"\s+")

# The masking rule, one for every message the kit writes (flows, forms, mocks, query lists,
# mail): see mask(). A name is split into words at "_", "-", ".", digits and camelCase
# ("X-Amz-Signature": x, amz, signature; "password2": password, 2), and means a secret when
# a word contains a stem, or is a short secret word on its own.
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
# Stems are long enough to mean a secret inside glued names too (csrfmiddlewaretoken,
# sessionid, clientSecret); "secretary" and "possession" are not secrets.
_SECRET_STEM = re.compile(
    r"passw(?:or)?d|passphrase|passcode|passkey|secret(?!ar)|token|signature|(?<!pos)session"
    r"|sessid|csrf|xsrf|credential|authoriz|apikey|accesskey|privatekey|appid|jwt"
)
# Short words are secrets only as whole words: "pin" but not "spinner", "key" but not
# "keyboard" or "monkey", "code" but not "postcode", "auth" but not "author".
_SECRET_WORDS = frozenset(
    {
        "pass", "pwd", "pin", "key", "code", "sig", "hmac", "otp", "totp", "hotp", "mfa",
        "auth", "sid", "cookie", "cookies", "cvv", "cvc", "ssn",
    }
)  # fmt: skip
# ...except for a "key" or "code" that these words say is harmless (sort_key, zip_code).
_HARMLESS_QUALIFIERS = frozenset(
    {
        "sort", "primary", "foreign", "partition", "cache", "lookup", "order", "group", "index",
        "natural", "hot", "short", "public", "zip", "post", "postal", "country", "language",
        "lang", "locale", "currency", "area", "status", "error", "exit", "return", "response",
        "http", "product", "item", "sku", "bar", "color", "colour", "iso", "region", "state",
        "dial", "phone", "source", "airport", "tax", "vat", "unit", "type", "class",
    }
)  # fmt: skip
# A URL in a message: absolute (with a scheme), a path, or a bare query string.
_URL_IN_TEXT = re.compile(
    r"(?<![\w/.])(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>\\`]+|[/?][^\s'\"<>\\`]*)"
)
_TRAILING = re.compile(r"[.,;:!?)\]}]+$")
_INPUT_TAG = re.compile(r"<input\b[^>\n]*>?", re.IGNORECASE)
_INPUT_NAME = re.compile(r"""\sname=(["']?)([^"'\s>]*)\1""", re.IGNORECASE)
_INPUT_VALUE = re.compile(r"""(\svalue=["']?)([^"'>]*?)(["']|(?=[\s>]))""", re.IGNORECASE)
_PASSWORD_TYPE = re.compile(r"""\stype=["']?password\b""", re.IGNORECASE)
_JWT = re.compile(r"\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*")
_BEARER = re.compile(r"\b(Bearer|Basic|Token)\s+[\w\-.~+/=]{8,}")


def is_secret_name(name: str) -> bool:
    """Whether a field, parameter, header or cookie called ``name`` holds something a
    message must not show: see :func:`mask`."""
    words = [word.lower() for word in _WORD.findall(name)]
    if _SECRET_STEM.search("".join(words)):
        return True
    for word in words:
        if word in _SECRET_WORDS:
            harmless = word in ("key", "code") and any(w in _HARMLESS_QUALIFIERS for w in words)
            if not harmless:
                return True
    return False


def mask(text: str, secrets: Iterable[object] = ()) -> str:
    """``text`` as a message may show it. The one masking rule of the kit:

    - ``secrets`` (passwords typed into a form, values of fields named as secrets), also
      URL-encoded, and the values of the session, CSRF and other secret-named cookies of the
      clients in use;
    - in every URL: the user info (``https://token@host/``), the values of query parameters
      whose names mean a secret (:func:`is_secret_name`), and the whole fragment;
    - the value of an ``<input>`` tag (as a message quotes HTML) of type password or with a
      secret name;
    - JWTs and ``Bearer``/``Basic``/``Token`` credentials anywhere.
    """
    strings = {str(s) for s in secrets if isinstance(s, (str, int)) and not isinstance(s, bool)}
    strings.update(_cookie_secrets())
    encoded = {quote_plus(s) for s in strings} | {quote(s, safe="") for s in strings}
    for secret in sorted({s for s in strings | encoded if len(s) >= 3}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = _URL_IN_TEXT.sub(lambda match: mask_url(match.group()), text)
    text = _INPUT_TAG.sub(_masked_input, text)
    text = _JWT.sub(MASK, text)
    return _BEARER.sub(lambda match: f"{match.group(1)} {MASK}", text)


def mask_url(url: str) -> str:
    """``url`` with its user info, secret-named query values and fragment masked."""
    trailing = _TRAILING.search(url)
    tail = trailing.group() if trailing else ""
    url = url[: len(url) - len(tail)]
    url, hash_mark, fragment = url.partition("#")
    if fragment:
        fragment = MASK
    head, question_mark, query = url.partition("?")
    scheme, slashes, rest = head.partition("://")
    if slashes:
        authority, slash, path = rest.partition("/")
        if "@" in authority:
            authority = MASK + "@" + authority.rpartition("@")[2]
        head = f"{scheme}://{authority}{slash}{path}"
    if query:
        query = "&".join(_masked_pair(pair) for pair in query.split("&"))
    return head + question_mark + query + hash_mark + fragment + tail


def _masked_input(match: re.Match[str]) -> str:
    tag = match.group()
    name = _INPUT_NAME.search(tag)
    if _PASSWORD_TYPE.search(tag) or (name and is_secret_name(name.group(2))):
        return _INPUT_VALUE.sub(
            lambda value: value.group(1) + (MASK if value.group(2) else "") + value.group(3), tag
        )
    return tag


def _masked_pair(pair: str) -> str:
    name, equals, value = pair.partition("=")
    if not equals or not value:
        return pair
    if is_secret_name(unquote_plus(name)):
        return f"{name}={MASK}"
    plain = unquote_plus(value)
    if "?" in plain or "#" in plain or "@" in plain:
        # A URL inside the query (next=/pay/?token=...) is masked as a URL.
        masked = mask_url(plain)
        if masked != plain:
            return f"{name}={masked}"
    return pair


def _cookie_secrets() -> set[str]:
    names = {"sessionid", "csrftoken"}
    try:
        from django.conf import settings

        names.update((settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME))
    except Exception:  # settings not configured: the default names stand
        pass
    values: set[str] = set()
    for client in watched():
        cookies: Any = getattr(client, "cookies", None)
        if not hasattr(cookies, "items"):
            continue
        for name, morsel in cookies.items():
            value = getattr(morsel, "value", None)
            if isinstance(value, str) and (name in names or is_secret_name(name)):
                values.add(value)
    return values


def form_secrets(payload: Mapping[str, Any], forms: Iterable[Any] = ()) -> list[str]:
    """The values of ``payload`` a message must mask: those of fields named as secrets, and
    of every password field of ``forms`` (``HtmlForm``), whatever its name."""
    password_fields = {name for form in forms for name in form.password_fields}
    found: list[str] = []
    for name, value in payload.items():
        if name in password_fields or is_secret_name(name):
            for item in value if isinstance(value, (list, tuple)) else [value]:
                if isinstance(item, str) and item:
                    found.append(item)
    return found


@contextmanager
def masked_errors(
    secrets: Iterable[object] | Callable[[], Iterable[object]] = (),
) -> Iterator[None]:
    """Mask the message of an error the kit raises inside the block (keeping its type and
    traceback): the errors of forms and flows quote paths, actions and values. ``secrets`` may
    be a function, called only when there is an error to mask, so a passing call pays nothing."""
    try:
        yield
    except (AssertionError, TypeError, ValueError) as error:
        if _raised_by_kit(error):
            found = list(secrets() if callable(secrets) else secrets)
            error.args = tuple(
                mask(arg, found) if isinstance(arg, str) else arg for arg in error.args
            )
        raise


def _raised_by_kit(error: BaseException) -> bool:
    traceback = error.__traceback__
    if traceback is None:
        return False
    while traceback.tb_next is not None:
        traceback = traceback.tb_next
    module = traceback.tb_frame.f_globals.get("__name__", "")
    return isinstance(module, str) and module.startswith("django_integration_kit")


def page_text(response: Any) -> str:
    """The visible text of an HTML response, whitespace collapsed, cut to an excerpt."""
    content_type = response.headers.get("Content-Type", "")
    body = getattr(response, "content", b"") if not getattr(response, "streaming", False) else b""
    if "html" not in content_type:
        text = body.decode(errors="replace")
    else:
        tree = LexborHTMLParser(body)
        tree.strip_tags(["script", "style", "noscript"])
        root = tree.body or tree.root
        text = root.text(separator=" ") if root is not None else ""
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + " …"


def form_errors(response: Any) -> list[tuple[str, str]]:
    """``(field, message)`` for every error of a bound form the response rendered."""
    errors = _context_form_errors(response)
    return errors if errors else _html_form_errors(response)


def _context_form_errors(response: Any) -> list[tuple[str, str]]:
    from django.forms import BaseForm, BaseFormSet

    context = getattr(response, "context", None)
    if context is None:
        return []
    contexts = context if isinstance(context, list) else [context]
    seen: list[Any] = []
    errors: list[tuple[str, str]] = []
    for ctx in contexts:
        values = ctx.flatten().values() if hasattr(ctx, "flatten") else []
        for value in values:
            if not isinstance(value, (BaseForm, BaseFormSet)) or any(v is value for v in seen):
                continue
            seen.append(value)
            if not value.is_bound:
                continue
            forms = value.forms if isinstance(value, BaseFormSet) else [value]
            if isinstance(value, BaseFormSet):
                errors.extend(("__all__", str(e)) for e in value.non_form_errors())
            for form in forms:
                for name, messages in form.errors.items():
                    errors.extend((name, str(message)) for message in messages)
    return errors


def _html_form_errors(response: Any) -> list[tuple[str, str]]:
    if "html" not in response.headers.get("Content-Type", ""):
        return []
    from django_integration_kit._form_html import page_errors

    return page_errors(response.content)


def describe(
    title: str,
    exchanges: Sequence[Exchange],
    response: Any = None,
    submitted: dict[str, Any] | None = None,
    secrets: Iterable[str] = (),
    errors: list[tuple[str, str]] | None = None,
) -> str:
    """A failure message: the title, the requests, form errors (``errors``, else those the
    response rendered), what was sent, the page."""
    lines = [title, "Requests:"]
    lines.extend(f"  {exchange}" for exchange in exchanges)
    if not exchanges:
        lines.append("  (none recorded)")
    if response is not None:
        chain = getattr(response, "redirect_chain", None)
        if chain:
            lines.append(
                "Redirect chain: " + " -> ".join(f"{url} ({code})" for url, code in chain)
            )
    if errors is None and response is not None:
        errors = form_errors(response)
    if errors:
        lines.append("Form errors:")
        lines.extend(f"  {name}: {message}" for name, message in errors)
    secrets = [*secrets, *form_secrets(submitted or {})]
    if submitted:
        hidden = set(secrets)
        shown = {
            name: MASK if is_secret_name(name) or _holds(value, hidden) else value
            for name, value in submitted.items()
        }
        lines.append("Submitted: " + ", ".join(f"{k}={v!r}" for k, v in shown.items()))
    text = page_text(response) if response is not None else ""
    if text:
        lines.append(f"Page text: {text!r}")
    if response is not None:
        watch(getattr(response, "client", None))
    return mask("\n".join(lines), secrets)


def _holds(value: Any, secrets: set[str]) -> bool:
    items = value if isinstance(value, (list, tuple)) else [value]
    return any(isinstance(item, str) and item in secrets for item in items)


def hops(responses: Iterable[Any]) -> list[Any]:
    """Every answer behind ``responses``, in order: a browser's answer carries the redirects it
    followed as ``kit_hops``; a test client's answer is one hop."""
    return [
        hop for response in responses for hop in getattr(response, "kit_hops", None) or [response]
    ]


def story(
    title: str,
    responses: Sequence[Any],
    submitted: dict[str, Any] | None = None,
    secrets: Iterable[str] = (),
) -> str:
    """:func:`describe` for the answers a flow got: every hop, and the page it ended on."""
    answers = hops(responses)
    return describe(title, [exchange_of(r) for r in answers], answers[-1], submitted, secrets)


def assertion_story(
    message: str, response: Any = None, *, client: Any = None, form: Any = None
) -> str:
    """A failed assertion's ``message``, then the story of ``response``: the requests that led
    to it (the kit client's history, else the response's own exchange), its form errors (or
    ``form``'s), what its request submitted, secrets masked, and the page."""
    client = getattr(response, "client", None) or client
    if response is None:
        response = getattr(client, "last_response", None)
    if form is not None:
        data = form.data if form.is_bound else {}
        submitted = _flat(data.lists()) if hasattr(data, "lists") else dict(data)
        errors: list[tuple[str, str]] | None = [
            (name, str(error)) for name, messages in form.errors.items() for error in messages
        ]
    else:
        submitted, errors = _posted(response), None
    secrets = [
        value
        for name, values in submitted.items()
        if is_secret_name(name)
        for value in (values if isinstance(values, list) else [values])
    ]
    return describe(
        message, _exchanges_to(response, client), response, submitted, secrets, errors=errors
    )


def _exchanges_to(response: Any, client: Any) -> list[Exchange]:
    """The client's recorded requests up to the one ``response`` answered."""
    history = list(getattr(client, "history", None) or ())
    if response is None:
        return history
    if not history:
        return [exchange_of(response)]
    if response is not getattr(client, "last_response", None):
        own = exchange_of(response)
        for index in range(len(history) - 1, -1, -1):
            if history[index] == own:
                return history[: index + 1]
    return history


def _posted(response: Any) -> dict[str, Any]:
    request = getattr(response, "wsgi_request", None) or getattr(response, "asgi_request", None)
    if request is None or request.method != "POST":
        return {}
    try:
        return _flat(request.POST.lists())
    except Exception:  # a view that read the raw body leaves no POST to parse; tell the rest
        return {}


def _flat(lists: Iterable[tuple[str, list[Any]]]) -> dict[str, Any]:
    return {name: values[0] if len(values) == 1 else values for name, values in lists}
